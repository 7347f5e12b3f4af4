"""
Importing a WordPress export (WXR): ``import_wxr(source, ...) -> Report``.

Two streaming passes over the file, so memory does not grow with its size:

1. **Scan**: the whole file is read and checked (a malformed or hostile file
   stops here, before anything is written); authors, terms, attachments and
   menu items (small, and needed before the items that use them) are kept,
   and of every other item only its id, type and parent.
2. **Import**, in one transaction: the site, authors, categories and tags,
   attachments (files copied into the media library, so bodies can point at
   them), then posts and pages with their comments one item at a time,
   pages whose parent comes later in the file once it is there, and menus
   last. The search index is rebuilt once at the end. Any error rolls the
   transaction back and removes the media files the run stored.

Every object gets an ``Origin`` (site, kind, WordPress id): a second run
updates what changed in the file (``source_hash``), leaves alone what was
edited here since (``stored_hash`` no longer matches) and skips the rest.
A different site (another ``base_blog_url``) has its own origins, so its
file never touches this one's objects.
"""

import contextlib
import datetime
import hashlib
import json
import re
import shutil
import tempfile
import zlib
import zoneinfo
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone as dj_timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from taggit.models import Tag

from blog import markup, site_paths
from blog.accounts import roles
from blog.categories.models import Category
from blog.comments.models import Comment
from blog.media.models import Image, MediaFile
from blog.pages.models import Menu, MenuItem
from blog.posts import revisions
from blog.posts.models import Post, PostRedirect, Revision, TaggedPost, post_models
from blog.sitesettings.models import SiteSettings

from . import media, render, wxr
from .models import Origin, Site
from .report import Report
from .wxr import WXRError

__all__ = ["WXRError", "import_wxr"]

STATUSES = {
    "publish": Post.Status.PUBLISHED,
    "future": Post.Status.PUBLISHED,
    "draft": Post.Status.DRAFT,
    "pending": Post.Status.PENDING,
    "private": Post.Status.PRIVATE,
    "trash": Post.Status.TRASH,
}
COMMENT_STATUSES = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
    "post-trashed": Comment.Status.TRASH,
}
COMMENT_KINDS = {
    "pingback": Comment.Kind.PINGBACK,
    "trackback": Comment.Kind.TRACKBACK,
}
KIND_LABELS = {"post": "posts", "page": "pages"}
# Items read and rendered together (memory holds two batches at most).
BATCH_SIZE = 200
COMMENT_FIELDS = [
    "post",
    "kind",
    "parent",
    "name",
    "email",
    "url",
    "user",
    "body",
    "body_html",
    "status",
    "created_at",
    "status_changed_at",
    "ip",
]
# The source hash of an origin pointing at an object that was already here
# (a category or tag of the same slug): it is used, never changed.
REUSED = "reused"


class _DryRun(Exception):
    """Raised at the end of a dry run to roll everything back."""


def _hash(value):
    data = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def _int(value, default=0):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _path_of(url):
    """The path (and query, for ``?p=`` links) of an old address."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return ""
    path = parts.path or ("/" if parts.query else "")
    return f"{path}?{parts.query}" if parts.query else path


# -- hashes of our objects (edited here since the import?) ------------------------


def post_hash(post, category_ids=None, tag_slugs=None):
    if category_ids is None:
        category_ids = list(post.categories.values_list("pk", flat=True))
    if tag_slugs is None:
        tag_slugs = list(post.tags.values_list("slug", flat=True))
    return _hash(
        [
            post.kind,
            post.title,
            post.slug,
            post.body.replace("\r\n", "\n"),
            post.body_format,
            post.excerpt,
            post.status,
            post.published_at.isoformat() if post.published_at else None,
            post.author_id,
            post.comment_mode,
            post.sticky,
            post.password,
            post.menu_order,
            post.parent_id,
            post.featured_image_id,
            sorted(category_ids),
            sorted(tag_slugs),
        ]
    )


def comment_hash(comment):
    return _hash(
        [
            comment.post_id,
            comment.kind,
            comment.parent_id,
            comment.name,
            comment.email,
            comment.url,
            comment.user_id,
            comment.body,
            comment.status,
            comment.created_at.isoformat() if comment.created_at else None,
        ]
    )


def category_hash(category):
    return _hash([category.name, category.slug, category.parent_id, category.description])


def tag_hash(tag):
    return _hash([tag.name, tag.slug])


def user_hash(user):
    return _hash([user.username, user.email, user.display_name, user.first_name, user.last_name])


def image_hash(image):
    return _hash([image.alt_text, image.caption, image.file.name])


def media_file_hash(media_file):
    return _hash([media_file.title, media_file.file.name])


def menu_hash(menu):
    return _hash([menu.name])


def menu_item_hash(item):
    return _hash(
        [
            item.menu_id,
            item.parent_id,
            item.order,
            item.label,
            item.page_id,
            item.post_id,
            item.category_id,
            item.tag_id,
            item.url,
        ]
    )


HASHERS = {
    Post: post_hash,
    Comment: comment_hash,
    Category: category_hash,
    Tag: tag_hash,
    Image: image_hash,
    MediaFile: media_file_hash,
    Menu: menu_hash,
    MenuItem: menu_item_hash,
}


# -- pass 1 ------------------------------------------------------------------------


@dataclass
class Scan:
    """What the first pass keeps: small things, and ids of the rest."""

    meta: dict = field(default_factory=dict)
    authors: list = field(default_factory=list)
    categories: dict = field(default_factory=dict)  # slug -> fields
    tags: dict = field(default_factory=dict)  # slug -> fields
    menus: dict = field(default_factory=dict)  # slug -> fields (nav_menu terms)
    other_terms: set = field(default_factory=set)  # (taxonomy, term id or slug)
    attachments: list = field(default_factory=list)
    menu_items: list = field(default_factory=list)
    types: dict = field(default_factory=dict)  # post id -> post type
    page_parents: dict = field(default_factory=dict)  # page id -> parent id
    seen_menu_items: set = field(default_factory=set)
    items: int = 0

    @property
    def site_url(self):
        return (self.meta.get("base_blog_url") or self.meta.get("link") or "").rstrip("/")

    @property
    def sticky_ids(self):
        raw = self.meta.get("sticky_posts", "")
        return {_int(n) for n in raw.replace(",", " ").split() if _int(n)}


def _slug(value, fallback=""):
    text = unquote(value or "").strip()
    return text or slugify(fallback, allow_unicode=True)


def scan(source):
    result = Scan()
    for record in wxr.read(source):
        kind = record[0]
        if kind == "meta":
            result.meta.setdefault(record[1], record[2])
        elif kind == "author":
            result.authors.append(record[1])
        elif kind == "category":
            values = record[1]
            slug = _slug(values.get("category_nicename"), values.get("cat_name", ""))
            result.categories.setdefault(
                slug,
                {
                    "term_id": _int(values.get("term_id")),
                    "slug": slug,
                    "name": values.get("cat_name", "") or slug,
                    "parent": _slug(values.get("category_parent")),
                    "description": values.get("category_description", ""),
                },
            )
        elif kind == "tag":
            values = record[1]
            slug = _slug(values.get("tag_slug"), values.get("tag_name", ""))
            result.tags.setdefault(
                slug,
                {
                    "term_id": _int(values.get("term_id")),
                    "slug": slug,
                    "name": values.get("tag_name", "") or slug,
                    "description": values.get("tag_description", ""),
                },
            )
        elif kind == "term":
            _scan_term(result, record[1])
        elif kind == "item":
            _scan_item(result, record[1])
    return result


def _scan_term(result, values):
    taxonomy = values.get("term_taxonomy", "")
    slug = _slug(values.get("term_slug"), values.get("term_name", ""))
    fields = {
        "term_id": _int(values.get("term_id")),
        "slug": slug,
        "name": values.get("term_name", "") or slug,
        "parent": _slug(values.get("term_parent")),
        "description": values.get("term_description", ""),
    }
    if taxonomy == "category":
        result.categories.setdefault(slug, fields)
    elif taxonomy == "post_tag":
        result.tags.setdefault(slug, fields)
    elif taxonomy == "nav_menu":
        result.menus.setdefault(slug, fields)
    else:
        result.other_terms.add((taxonomy, fields["term_id"] or slug))


def _scan_item(result, item):
    result.items += 1
    post_id = _int(item.get("post_id"))
    post_type = item.get("post_type")
    result.types[post_id] = post_type
    if post_type == "page":
        result.page_parents[post_id] = _int(item.get("post_parent"))
    elif post_type == "attachment":
        result.attachments.append(
            {
                "wp_id": post_id,
                "url": item.get("attachment_url") or item.get("guid"),
                "attached_file": item.meta_value("_wp_attached_file"),
                "title": item.get("title"),
                "alt": item.meta_value("_wp_attachment_image_alt"),
                "caption": item.get("excerpt"),
                "creator": item.get("creator"),
                "line": item.line,
            }
        )
    elif post_type == "nav_menu_item":
        menus = [nicename for domain, nicename, _ in item.terms if domain == "nav_menu"]
        menus += [text for domain, nicename, text in item.terms if domain == "nav_menu"]
        menu = _slug(menus[0]) if menus else ""
        # WordPress.com exports may list one item id under two menus: each is
        # an item of its own, remembered under an id of its own.
        origin_id = post_id
        if (post_id, "nav_menu_item") in result.seen_menu_items:
            origin_id = -zlib.crc32(f"{menu}:{post_id}".encode())
        result.seen_menu_items.add((post_id, "nav_menu_item"))
        result.menu_items.append(
            {
                "wp_id": post_id,
                "origin_id": origin_id,
                "title": item.get("title"),
                "menu": menu,
                "menu_name": menus[-1] if menus else "",
                "order": _int(item.get("menu_order")),
                "type": item.meta_value("_menu_item_type"),
                "object": item.meta_value("_menu_item_object"),
                "object_id": _int(item.meta_value("_menu_item_object_id")),
                "parent": _int(item.meta_value("_menu_item_menu_item_parent")),
                "url": item.meta_value("_menu_item_url").strip(),
            }
        )
    for domain, nicename, text in item.terms:
        if domain == "category" and nicename:
            slug = _slug(nicename, text)
            result.categories.setdefault(
                slug, {"term_id": 0, "slug": slug, "name": text or slug, "parent": ""}
            )
        elif domain == "post_tag" and nicename:
            slug = _slug(nicename, text)
            result.tags.setdefault(slug, {"term_id": 0, "slug": slug, "name": text or slug})
        elif domain == "nav_menu" and nicename:
            slug = _slug(nicename, text)
            result.menus.setdefault(slug, {"term_id": 0, "slug": slug, "name": text or slug})
        elif domain not in ("category", "post_tag", "nav_menu", ""):
            result.other_terms.add((domain, nicename))


# -- pass 2 ------------------------------------------------------------------------


@contextlib.contextmanager
def _saves_deferred():
    """
    While importing, posts are indexed for search once at the end, not one by
    one, the revisions of new posts are written a batch at a time (the
    importer records them itself: ``_Import._record_revision``), and the page
    cache is made fresh once at the end rather than worked out per row.
    """
    from blog.pagecache import versions
    from blog.posts import counts
    from blog.posts.signals import record_revision
    from blog.search import signals

    receivers = [
        (signals.post_saved, "search.saved.{}"),
        (record_revision, "posts.record_revision.{}"),
    ]
    models = post_models()
    for model in models:
        for _, uid in receivers:
            post_save.disconnect(sender=model, dispatch_uid=uid.format(model.__name__))
    try:
        # New posts' categories and tags are written in bulk, without
        # signals: the lists' stored sizes are worked out once, at the end.
        with versions.bulk_change(), counts.deferred():
            yield
    finally:
        for model in models:
            for receiver, uid in receivers:
                post_save.connect(receiver, sender=model, dispatch_uid=uid.format(model.__name__))


@contextlib.contextmanager
def _opened(source):
    """``source`` as something two passes can read: a path, or a seekable file."""
    if isinstance(source, str | bytes) or hasattr(source, "__fspath__"):
        yield source
        return
    if hasattr(source, "seekable") and source.seekable():
        yield _Rewinder(source, source.tell())
        return
    with tempfile.TemporaryFile() as spooled:
        shutil.copyfileobj(source, spooled)
        spooled.seek(0)
        yield _Rewinder(spooled, 0)


class _Rewinder:
    """A seekable file handed to each pass from its start."""

    def __init__(self, stream, start):
        self.stream = stream
        self.start = start

    def open(self):
        self.stream.seek(self.start)
        return self.stream


def _records(opened):
    return wxr.read(opened.open() if isinstance(opened, _Rewinder) else opened)


def import_wxr(
    source,
    *,
    media_dir=None,
    dry_run=False,
    author_role=roles.AUTHOR,
    timezone=None,
    progress=None,
):
    """
    Import a WXR file (a path or a binary file object) and return a
    ``Report``. ``media_dir`` is the old ``wp-content/uploads`` folder;
    ``timezone`` (a zone name) dates items whose GMT date is missing, by
    default the site's; ``progress(done, total)`` is called as items are
    imported. Raises ``WXRError`` for a malformed or hostile file (nothing
    written) and ``ValueError`` for an unknown role or time zone.
    """
    if author_role not in roles.ROLES:
        raise ValueError(f"Unknown role {author_role!r}: choose one of {', '.join(roles.ROLES)}.")
    if timezone:
        try:
            zone = zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"Unknown time zone {timezone!r}.") from None
    else:
        zone = SiteSettings.current().zone or dj_timezone.get_default_timezone()
    with _opened(source) as opened:
        found = scan(opened.open() if isinstance(opened, _Rewinder) else opened)
        run = _Import(
            found,
            opened,
            media_dir=media_dir,
            dry_run=dry_run,
            author_role=author_role,
            zone=zone,
            progress=progress,
        )
        return run.run()


class _Import:
    def __init__(self, found, opened, *, media_dir, dry_run, author_role, zone, progress):
        self.scan = found
        self.opened = opened
        self.media_dir = media_dir
        self.dry_run = dry_run
        self.author_role = author_role
        self.zone = zone
        self.progress = progress
        self.report = Report(dry_run=dry_run, site=found.site_url)
        self.now = dj_timezone.now()
        self.stored_files = []
        self.urls = media.UrlMap()
        self.users_by_login = {}
        self.users_by_wp_id = {}
        self.categories = {}  # slug -> pk
        self.tags = {}  # slug -> Tag
        self.images = {}  # attachment id -> Image pk
        self.posts = {}  # WordPress id -> (kind, pk)
        self.deferred = []
        self.seen = set()
        self.new_site = False
        # (kind, WordPress id) of the origins this run created (comments aside).
        self.remembered = set()
        self.done = 0
        self.changed = False
        self.content_types = {}
        self.renderer = render.Renderer()
        # Comments read but not yet written: (wp id, Comment, source hash, origin, parent).
        self.new_comments = []
        self.changed_comments = []
        self.new_revisions = []
        self.new_filings = []
        self.new_taggings = []
        self.new_origins = []

    # -- running -------------------------------------------------------------------

    def run(self):
        if not self.scan.site_url:
            raise WXRError("the file names no site: it has no <wp:base_blog_url> or <link>", 1, 1)
        workers = render.workers_wanted() if self.scan.items >= render.PARALLEL_FROM else 0
        # Started now, the workers are ready by the time the posts come.
        self.renderer = render.Renderer(workers)
        try:
            with transaction.atomic(), _saves_deferred():
                self.site = self._site()
                self._authors()
                self._categories()
                self._tags()
                self._attachments()
                self._items()
                self._menus()
                self._other_counts()
                self._shared_ids()
                if self.changed and not self.dry_run:
                    self._rebuild_search()
                if self.dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        except BaseException:
            self._remove_stored_files()
            raise
        finally:
            self.renderer.close()
        if self.dry_run:
            self._remove_stored_files()
        elif self.changed:
            self._forget_caches()
        return self.report

    def _remove_stored_files(self):
        for name in self.stored_files:
            with contextlib.suppress(OSError):
                default_storage.delete(name)
        self.stored_files = []

    def _tick(self):
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.scan.items)

    def _site(self):
        site, created = Site.objects.get_or_create(
            base_url=self.scan.site_url, defaults={"title": self.scan.meta.get("title", "")[:500]}
        )
        self.new_site = created
        if not created and not site.title and self.scan.meta.get("title"):
            site.title = self.scan.meta["title"][:500]
            site.save(update_fields=["title"])
        return site

    def _content_type(self, model):
        if model not in self.content_types:
            self.content_types[model] = ContentType.objects.get_for_model(
                model, for_concrete_model=True
            )
        return self.content_types[model]

    def _origin(self, kind, wp_id):
        if self.new_site and (kind, wp_id) not in self.remembered:
            # A site imported for the first time has no origins but this run's.
            return None
        return Origin.objects.filter(site=self.site, kind=kind, wp_id=wp_id).first()

    def _target(self, origin, model):
        if origin is None or origin.content_type_id != self._content_type(model).pk:
            return None
        manager = Post.any_kind if model is Post else model._default_manager
        return manager.filter(pk=origin.object_id).first()

    def _remember(
        self, origin, kind, wp_id, obj, *, source_hash, old_path="", stored_hash=None, later=False
    ):
        """
        Create or update the object's origin, hashing it as it now stands; a
        new one is written with its batch when ``later``.
        """
        model = Post if isinstance(obj, Post) else type(obj)
        if stored_hash is None:
            stored_hash = HASHERS[model](obj)
        values = {
            "content_type": self._content_type(model),
            "object_id": obj.pk,
            "old_path": old_path[:1000],
            "source_hash": source_hash,
            "stored_hash": stored_hash,
            "imported_at": self.now,
        }
        if origin is None:
            if (kind, wp_id) in self.remembered:
                # The same id twice in one file: the first keeps its origin.
                return
            new = Origin(site=self.site, kind=kind, wp_id=wp_id, **values)
            if later:
                self.new_origins.append(new)
            else:
                new.save()
            self.remembered.add((kind, wp_id))
        else:
            for name, value in values.items():
                setattr(origin, name, value)
            origin.save()
        self.changed = True

    def _existing(self, kind, wp_id, model, source_hash, label, item_name):
        """
        ``(origin, object, verdict)`` for an object imported before: verdict is
        "kept" (edited here since), "skipped" (unchanged in the file), "update"
        or "create" (never imported, or deleted here since).
        """
        origin = self._origin(kind, wp_id)
        target = self._target(origin, model)
        if target is None:
            return origin, None, "create"
        if origin.source_hash == REUSED:
            self.report.add(label, "skipped")
            return origin, target, "skipped"
        if HASHERS[model](target) != origin.stored_hash:
            self.report.add(label, "kept")
            self.report.warn(label, item_name, "edited here since the last import: left as edited")
            return origin, target, "kept"
        if origin.source_hash == source_hash:
            self.report.add(label, "skipped", unchanged=True)
            return origin, target, "skipped"
        return origin, target, "update"

    # -- authors ------------------------------------------------------------------------

    def _authors(self):
        for values in self.scan.authors:
            login = values.get("author_login", "").strip()
            if not login:
                continue
            wp_id = _int(values.get("author_id")) or -zlib.crc32(login.encode())
            user = self._author(login, values, wp_id)
            self.users_by_login[login] = user
            if values.get("author_id"):
                self.users_by_wp_id[_int(values["author_id"])] = user

    def _author(self, login, values, wp_id):
        User = get_user_model()
        source_hash = _hash(values | {"line": None})
        origin = self._origin(Origin.Kind.AUTHOR, wp_id)
        user = self._target(origin, User)
        if user is not None:
            self.report.add("authors", "skipped", unchanged=True)
            return user
        email = values.get("author_email", "").strip()
        user = User.objects.filter(username__iexact=login[:150]).first()
        if user is None and email:
            user = User.objects.filter(email__iexact=email).order_by("pk").first()
        if user is not None:
            self.report.add("authors", "skipped")
            self.report.warn("authors", login, f"matched the existing user “{user.username}”")
        else:
            user = User(
                username=login[:150],
                email=email[:254],
                display_name=values.get("author_display_name", "")[:150],
                first_name=values.get("author_first_name", "")[:150],
                last_name=values.get("author_last_name", "")[:150],
            )
            user.set_unusable_password()
            user.save()
            roles.assign_role(user, self.author_role)
            self.report.add("authors", "imported")
            self.report.warn(
                "authors", login, f"user created with the {self.author_role} role (no password)"
            )
        self._remember(
            origin, Origin.Kind.AUTHOR, wp_id, user, source_hash=source_hash, stored_hash=""
        )
        return user

    def _user_for(self, login):
        """The user of an item's ``dc:creator``; an author the header missed is created."""
        login = (login or "").strip() or "wordpress"
        user = self.users_by_login.get(login)
        if user is None:
            # Some exports carry stray characters ("themereviewteam>").
            login = re.sub(r"[^\w.@+\- ]", "", login) or "wordpress"
            user = self.users_by_login.get(login)
        if user is None:
            user = self._author(login, {"author_login": login}, -zlib.crc32(login.encode()))
            self.users_by_login[login] = user
        return user

    # -- categories and tags -----------------------------------------------------

    def _categories(self):
        pending = dict(self.scan.categories)
        visiting = set()

        def place(slug):
            if slug in self.categories or slug not in pending:
                return self.categories.get(slug)
            values = pending[slug]
            visiting.add(slug)
            parent_slug = values.get("parent", "")
            parent_id = None
            if parent_slug and parent_slug != slug and parent_slug not in visiting:
                parent_id = place(parent_slug)
                if parent_id is None:
                    self.report.warn(
                        "categories", slug, f"its parent “{parent_slug}” is not in the file"
                    )
            visiting.discard(slug)
            self.categories[slug] = self._category(values, parent_id)
            return self.categories[slug]

        for slug in list(pending):
            place(slug)

    def _category(self, values, parent_id):
        slug = values["slug"][:100]
        wp_id = values["term_id"] or -zlib.crc32(slug.encode())
        source_hash = _hash([values.get(k) for k in ("slug", "name", "parent", "description")])
        origin, category, verdict = self._existing(
            Origin.Kind.CATEGORY, wp_id, Category, source_hash, "categories", slug
        )
        if verdict in ("kept", "skipped"):
            return category.pk
        if category is None:
            category = Category.objects.filter(slug=slug).first()
            if category is not None:
                # Already here (made here, or by another site's import): used, not changed.
                self.report.add("categories", "skipped")
                self._remember(origin, Origin.Kind.CATEGORY, wp_id, category, source_hash=REUSED)
                return category.pk
            category = Category()
            column = "imported"
        else:
            column = "updated"
        category.slug = slug
        category.name = values["name"][:100]
        category.description = values.get("description", "")
        category.parent_id = parent_id
        category.save()
        self.report.add("categories", column)
        self._remember(origin, Origin.Kind.CATEGORY, wp_id, category, source_hash=source_hash)
        return category.pk

    def _tags(self):
        for values in self.scan.tags.values():
            slug = values["slug"][:100]
            wp_id = values["term_id"] or -zlib.crc32(slug.encode())
            source_hash = _hash([values.get(k) for k in ("slug", "name")])
            origin, tag, verdict = self._existing(
                Origin.Kind.TAG, wp_id, Tag, source_hash, "tags", slug
            )
            if verdict in ("kept", "skipped"):
                self.tags[slug] = tag
                continue
            name = values["name"][:100]
            if tag is None:
                tag = Tag.objects.filter(slug=slug).first() or Tag.objects.filter(name=name).first()
                if tag is not None:
                    self.report.add("tags", "skipped")
                    self._remember(origin, Origin.Kind.TAG, wp_id, tag, source_hash=REUSED)
                    self.tags[slug] = tag
                    continue
                tag, column = Tag(), "imported"
            else:
                column = "updated"
            tag.slug, tag.name = slug, name
            tag.save()
            self.report.add("tags", column)
            self._remember(origin, Origin.Kind.TAG, wp_id, tag, source_hash=source_hash)
            self.tags[slug] = tag

    # -- attachments -------------------------------------------------------------

    def _attachments(self):
        for values in self.scan.attachments:
            self._attachment(values)
            self._tick()

    def _attachment(self, values):
        wp_id, url = values["wp_id"], values["url"]
        label = values["title"] or url
        source_hash = _hash(
            [values.get(k) for k in ("url", "attached_file", "title", "alt", "caption")]
        )
        origin = self._origin(Origin.Kind.ATTACHMENT, wp_id)
        target = None
        if origin is not None:
            model = origin.content_type.model_class()
            if model in (Image, MediaFile):
                target = self._target(origin, model)
        if target is not None:
            self.urls.add(url, values["attached_file"], target.url, wp_id=wp_id, pk=target.pk)
            if isinstance(target, Image):
                self.images[wp_id] = target.pk
            if HASHERS[type(target)](target) != origin.stored_hash:
                self.report.add("attachments", "kept")
                self.report.warn("attachments", label, "edited here since the last import")
            elif origin.source_hash == source_hash:
                self.report.add("attachments", "skipped", unchanged=True)
            else:
                if isinstance(target, Image):
                    target.alt_text = (values["alt"] or values["title"] or target.alt_text)[:250]
                    target.caption = values["caption"]
                else:
                    target.title = (values["title"] or target.title)[:200]
                target.save()
                self.report.add("attachments", "updated")
                self._remember(
                    origin,
                    Origin.Kind.ATTACHMENT,
                    wp_id,
                    target,
                    source_hash=source_hash,
                    old_path=_path_of(url),
                )
            return
        path = media.find_file(self.media_dir, values["attached_file"], url)
        if path is None:
            self.urls.add_missing(url, values["attached_file"])
            self.report.add("attachments", "failed")
            where = f" under {self.media_dir}" if self.media_dir else " (no --media-dir given)"
            self.report.warn("attachments", label, f"file not found{where}: {url}")
            return
        try:
            stored, names = media.store(
                path,
                title=values["title"],
                alt_text=values["alt"],
                caption=values["caption"],
                uploaded_by=self.users_by_login.get(values["creator"]),
                dry_run=self.dry_run,
            )
        except media.ImportFailed as error:
            self.urls.add_missing(url, values["attached_file"])
            self.report.add("attachments", "failed")
            self.report.warn("attachments", label, f"{path.name}: {error}")
            return
        self.stored_files += names
        self.report.add("attachments", "imported")
        if stored is None:  # a dry run: the file is good, nothing stored
            self.urls.add(url, values["attached_file"], f"/media/{path.name}", wp_id=wp_id, pk=0)
            return
        self.urls.add(url, values["attached_file"], stored.url, wp_id=wp_id, pk=stored.pk)
        if isinstance(stored, Image):
            self.images[wp_id] = stored.pk
        self._remember(
            origin,
            Origin.Kind.ATTACHMENT,
            wp_id,
            stored,
            source_hash=source_hash,
            old_path=_path_of(url),
        )

    # -- posts and pages ---------------------------------------------------------

    def _items(self):
        try:
            with self.renderer.used_by_saves():
                # Batch N+1 renders in the workers while batch N is written here.
                pending = None
                for batch in self._batches():
                    jobs = self.renderer.submit(*self._bodies(batch))
                    if pending is not None:
                        self._import_batch(*pending)
                    pending = (batch, jobs)
                if pending is not None:
                    self._import_batch(*pending)
        finally:
            self.renderer.close()
        # Pages whose parent came later in the file, parents first.
        while self.deferred:
            ready = [i for i in self.deferred if self._parent_ready(i)]
            if not ready:
                ready = self.deferred[:1]
            for item in ready:
                self.deferred.remove(item)
                self._item(item, deferred=True)
            self._flush_comments()

    def _batches(self):
        batch = []
        for record in _records(self.opened):
            if record[0] == "item":
                batch.append(record[1])
                if len(batch) >= BATCH_SIZE:
                    yield batch
                    batch = []
        if batch:
            yield batch

    def _bodies(self, batch):
        """The batch's bodies as they will be stored: URLs rewritten, comments as written."""
        posts, comments = [], []
        for item in batch:
            if item.get("post_type") in KIND_LABELS and item.get("status") in STATUSES:
                item.rewritten = self.urls.rewrite(item.get("content"))
                posts.append(item.rewritten[0])
                comments += [c.get("comment_content", "") for c in item.comments]
        return posts, comments

    def _import_batch(self, batch, jobs):
        self.renderer.collect(jobs)
        for item in batch:
            post_type = item.get("post_type")
            if post_type in KIND_LABELS:
                self._item(item)
            elif post_type not in ("attachment", "nav_menu_item"):
                self.report.add("skipped types", "skipped")
                self._tick()
            elif post_type == "nav_menu_item":
                self._tick()
        self._flush_comments()
        self.renderer.forget()

    def _parent_ready(self, item):
        parent = _int(item.get("post_parent"))
        return parent in self.posts or self.scan.types.get(parent) != "page"

    def _item(self, item, deferred=False):
        post_type = item.get("post_type")
        label = KIND_LABELS[post_type]
        wp_id = _int(item.get("post_id"))
        if not deferred and wp_id in self.seen:
            self.report.add(label, "skipped")
            self.report.warn(
                label,
                item.get("title") or wp_id,
                f"id {wp_id} appears twice in the file: the first is kept",
            )
            self._tick()
            return
        self.seen.add(wp_id)
        status = STATUSES.get(item.get("status"))
        if status is None:
            self.report.add(label, "skipped")
            self.report.add("comments", "skipped", len(item.comments))
            self._tick()
            return
        parent_wp = _int(item.get("post_parent")) if post_type == "page" else 0
        if (
            parent_wp
            and not deferred
            and parent_wp not in self.posts
            and self.scan.types.get(parent_wp) == "page"
        ):
            # Its parent comes later in the file: imported once the parent is.
            self.deferred.append(item)
            return
        self._tick()
        post = self._post(item, wp_id, post_type, status, parent_wp)
        if post is not None:
            self._comments(item, post)
        else:
            self.report.add("comments", "skipped", len(item.comments))

    def _date(self, gmt, local):
        for value, zone in ((gmt, datetime.UTC), (local, self.zone)):
            value = (value or "").strip()
            if not value or value.startswith("0000"):
                continue
            try:
                parsed = datetime.datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S")
            except ValueError:
                continue
            return parsed.replace(tzinfo=zone)
        return None

    def _post(self, item, wp_id, post_type, status, parent_wp):
        label = KIND_LABELS[post_type]
        title = item.get("title")
        name = title or f"{post_type} {wp_id}"
        rewritten = getattr(item, "rewritten", None) or self.urls.rewrite(item.get("content"))
        body, missing, foreign = rewritten
        wanted_slug = _slug(item.get("post_name"))[:200]
        categories = sorted(
            {
                self.categories[_slug(nicename, text)]
                for domain, nicename, text in item.terms
                if domain == "category" and _slug(nicename, text) in self.categories
            }
        )
        tags = {
            _slug(nicename, text): self.tags[_slug(nicename, text)]
            for domain, nicename, text in item.terms
            if domain == "post_tag" and _slug(nicename, text) in self.tags
        }
        parent_id = None
        if parent_wp:
            parent = self.posts.get(parent_wp)
            if parent is not None and parent[0] == "page":
                parent_id = parent[1]
            else:
                self.report.warn(label, name, f"its parent page {parent_wp} is not in the file")
        thumbnail = _int(item.meta_value("_thumbnail_id"))
        source = item.as_dict()
        source["fields"] = source["fields"] | {"content": body}
        source["resolved"] = [parent_id, self.images.get(thumbnail), categories, sorted(tags)]
        source_hash = _hash(source)
        origin, post, verdict = self._existing(
            post_type, wp_id, Post, source_hash, label, f"{name} ({wp_id})"
        )
        if verdict in ("kept", "skipped"):
            self.posts[wp_id] = (post.kind, post.pk)
            return post
        column = "updated" if post is not None else "imported"
        if post is None:
            post = Post(kind=post_type)
        date = self._date(item.get("post_date_gmt"), item.get("post_date"))
        post.title = title[:200]
        post.slug = wanted_slug
        post.author = self._user_for(item.get("creator"))
        post.body = body
        post.body_format = Post.BodyFormat.HTML
        post.excerpt = strip_tags(item.get("excerpt")).strip()
        post.status = status
        post.published_at = date
        post.created_at = date or self.now
        post.comment_mode = (
            Post.CommentMode.OPEN
            if item.get("comment_status", "open") == "open"
            else Post.CommentMode.CLOSED
        )
        post.sticky = item.get("is_sticky") == "1" or wp_id in self.scan.sticky_ids
        post.password = item.get("post_password")[:100]
        post.menu_order = _int(item.get("menu_order"))
        post.parent_id = parent_id
        post.featured_image_id = self.images.get(thumbnail)
        if status == Post.Status.TRASH:
            before = STATUSES.get(item.meta_value("_wp_trash_meta_status"))
            post.status_before_trash = before if before != Post.Status.TRASH else ""
            trashed = _int(item.meta_value("_wp_trash_meta_time"))
            post.trashed_at = (
                datetime.datetime.fromtimestamp(trashed, datetime.UTC) if trashed else self.now
            )
        try:
            post.save()
        except markup.RenderRefused as refused:
            # Over the limits a post form refuses (README: Security): nothing
            # is stored, and the report says why.
            self.report.add(label, "failed")
            self.report.warn(label, name, f"refused: {refused}")
            return None
        self._record_revision(post, new=column == "imported")
        if column == "imported":
            # A new post: its rows are written with its batch, no diffing.
            self.new_filings += [
                Post.categories.through(post_id=post.pk, category_id=pk) for pk in categories
            ]
            self.new_taggings += [
                TaggedPost(content_object_id=post.pk, tag_id=t.pk) for t in {*tags.values()}
            ]
        else:
            post.categories.set(categories)
            post.tags.set(list(tags.values()))
        self.report.add(label, column)
        self.posts[wp_id] = (post.kind, post.pk)
        if post_type == "page" and wanted_slug and post.slug != wanted_slug:
            reason = (
                "is taken by the site's own addresses"
                if site_paths.reserved(wanted_slug, top_level=parent_id is None)
                else "is taken by another page at the same place"
            )
            self.report.warn(
                label, name, f"slug “{wanted_slug}” {reason}: renamed to “{post.slug}”"
            )
        if missing:
            urls = list(dict.fromkeys(missing))
            self.report.warn(
                label,
                name,
                f"shows {len(urls)} missing file(s), linked to the old address: {', '.join(urls)}",
            )
        missing_set = set(missing)
        for url in dict.fromkeys(foreign):
            if url not in missing_set:
                self.report.warn(label, name, f"an image from another site became a link: {url}")
        self._unknown_shortcodes(label, name, body)
        link = item.get("link")
        self._old_slugs(item, post, link)
        self._remember(
            origin,
            post_type,
            wp_id,
            post,
            source_hash=source_hash,
            old_path=_path_of(link),
            stored_hash=post_hash(post, categories, {t.slug for t in tags.values()}),
            later=True,
        )
        return post

    def _record_revision(self, post, *, new):
        """The revision a save records, new posts' a batch at a time (see _saves_deferred)."""
        if not new:
            revisions.record(post)
            return
        self.new_revisions.append(
            Revision(
                post_id=post.pk,
                title=post.title,
                excerpt=post.excerpt,
                body=post.body,
                author_id=post.author_id,
            )
        )

    def _unknown_shortcodes(self, label, name, body):
        codes = unknown_shortcodes(body)
        if codes:
            listed = ", ".join(f"[{code}]" for code in codes)
            self.report.warn(label, name, f"unknown shortcode(s) shown as text: {listed}")

    def _old_slugs(self, item, post, link):
        path = urlsplit(link or "").path
        slug = unquote(item.get("post_name"))
        if not path or not slug:
            return
        parts = path.split("/")
        positions = [i for i, part in enumerate(parts) if unquote(part) == slug]
        if not positions:
            return
        for old in dict.fromkeys(item.meta_values("_wp_old_slug")):
            old = old.strip()
            if not old or old == slug:
                continue
            old_parts = list(parts)
            old_parts[positions[-1]] = old
            old_path = "/".join(old_parts)
            if len(old_path) > 400 or old_path == post.get_absolute_url():
                continue
            # An old address already kept (for another post, another site) stays as it is.
            PostRedirect.objects.get_or_create(old_path=old_path, defaults={"post": post})

    # -- comments ---------------------------------------------------------------

    def _comment_values(self, values, post):
        kind = COMMENT_KINDS.get(values.get("comment_type", "").strip(), Comment.Kind.COMMENT)
        created = self._date(values.get("comment_date_gmt"), values.get("comment_date")) or self.now
        user = self.users_by_wp_id.get(_int(values.get("comment_user_id")))
        return {
            "post_id": post.pk,
            "kind": kind,
            "name": values.get("comment_author", "").strip()[:100],
            "email": values.get("comment_author_email", "").strip()[:254],
            "url": values.get("comment_author_url", "").strip()[:200],
            "user_id": user.pk if user is not None else None,
            "body": values.get("comment_content", ""),
            "status": COMMENT_STATUSES.get(
                values.get("comment_approved", "").strip(), Comment.Status.PENDING
            ),
            "created_at": created,
            "status_changed_at": created,
            "ip": _ip(values.get("comment_author_IP", "")),
            "user_agent": values.get("comment_agent", "").strip()[:500],
        }

    def _comments(self, item, post):
        if not item.comments:
            return
        ids = [_int(c.get("comment_id")) for c in item.comments]
        origins = {}
        if not self.new_site:
            found = Origin.objects.filter(site=self.site, kind=Origin.Kind.COMMENT, wp_id__in=ids)
            origins = {o.wp_id: o for o in found}
        existing = Comment.objects.in_bulk(
            [o.object_id for o in origins.values() if o.content_type_id == self._ct(Comment)]
        )
        by_wp_id = {}  # WordPress id -> our Comment
        parents = {}  # WordPress id -> WordPress parent id
        fresh = []  # (wp_id, Comment, source hash) to create
        changed = []  # (wp_id, Comment, source hash, origin) updated
        for values in item.comments:
            wp_id = _int(values.get("comment_id"))
            if wp_id in by_wp_id:
                self.report.add("comments", "skipped")
                continue
            fields = self._comment_values(values, post)
            parent_wp = _int(values.get("comment_parent"))
            if fields["kind"] == Comment.Kind.COMMENT and parent_wp:
                parents[wp_id] = parent_wp
            source_hash = _hash({k: v for k, v in values.items() if k != "line"})
            origin = origins.get(wp_id)
            comment = existing.get(origin.object_id) if origin is not None else None
            name = f"comment {wp_id} by {fields['name'] or 'anonymous'} on “{post.title}”"
            if comment is not None:
                by_wp_id[wp_id] = comment
                if comment_hash(comment) != origin.stored_hash:
                    self.report.add("comments", "kept")
                    self.report.warn("comments", name, "edited here since the last import")
                    continue
                if origin.source_hash == source_hash:
                    self.report.add("comments", "skipped", unchanged=True)
                    continue
                try:
                    html = self.renderer.comment_html(fields["body"])
                except markup.RenderRefused as refused:
                    self.report.add("comments", "failed")
                    self.report.warn("comments", name, f"refused: {refused}")
                    continue
                for key, value in fields.items():
                    setattr(comment, key, value)
                comment.body_html = html
                changed.append((wp_id, comment, source_hash, origin, name))
                continue
            comment = Comment(**fields)
            try:
                comment.body_html = self.renderer.comment_html(comment.body)
            except markup.RenderRefused as refused:
                self.report.add("comments", "failed")
                self.report.warn("comments", name, f"refused: {refused}")
                continue
            by_wp_id[wp_id] = comment
            fresh.append((wp_id, comment, source_hash, None, name))
        for wp_id, comment, source_hash, origin, name in fresh + changed:
            parent_wp = parents.get(wp_id)
            parent = by_wp_id.get(parent_wp) if parent_wp else None
            if parent_wp and parent is None:
                parent = self._earlier_comment(parent_wp)
                if parent is None:
                    self.report.warn(
                        "comments", name, f"its parent comment {parent_wp} is not in the file"
                    )
            entry = (wp_id, comment, source_hash, origin, parent)
            (self.new_comments if origin is None else self.changed_comments).append(entry)
        self.report.add("comments", "imported", len(fresh))
        self.report.add("comments", "updated", len(changed))
        if fresh or changed:
            self.changed = True

    def _flush_comments(self):
        """
        Write the revisions, categories, tags and origins of new posts and the
        comments of the items read so far: new comments parents first,
        a few inserts for a whole batch of items, each reply knowing its
        parent's id; then the changed ones; then their origins. Rows are
        written without save(): no moderation, no signal, no email.
        """
        for rows in (self.new_revisions, self.new_filings, self.new_taggings, self.new_origins):
            if rows:
                type(rows[0]).objects.bulk_create(rows, batch_size=500)
            rows.clear()
        waiting, self.new_comments = self.new_comments, []
        changed, self.changed_comments = self.changed_comments, []
        written = []
        while waiting:
            ready = [e for e in waiting if e[4] is None or e[4].pk is not None] or waiting[:1]
            for _, comment, _, _, parent in ready:
                # (A loop of replies in the file is cut where it is found.)
                comment.parent_id = parent.pk if parent is not None else None
            Comment.objects.bulk_create([entry[1] for entry in ready], batch_size=500)
            done = {id(entry[1]) for entry in ready}
            waiting = [entry for entry in waiting if id(entry[1]) not in done]
            written += ready
        for _, comment, _, _, parent in changed:
            comment.parent_id = parent.pk if parent is not None else None
        if changed:
            Comment.objects.bulk_update([e[1] for e in changed], COMMENT_FIELDS, batch_size=500)
        content_type = self._content_type(Comment)
        new_origins = []
        for wp_id, comment, source_hash, origin, _ in written + changed:
            values = {
                "content_type": content_type,
                "object_id": comment.pk,
                "source_hash": source_hash,
                "stored_hash": comment_hash(comment),
                "imported_at": self.now,
            }
            if origin is None:
                new_origins.append(
                    Origin(site=self.site, kind=Origin.Kind.COMMENT, wp_id=wp_id, **values)
                )
            else:
                Origin.objects.filter(pk=origin.pk).update(**values)
        # A comment id twice in one file keeps the first one's origin.
        Origin.objects.bulk_create(new_origins, batch_size=500, ignore_conflicts=True)

    def _ct(self, model):
        return self._content_type(model).pk

    def _earlier_comment(self, wp_id):
        origin = self._origin(Origin.Kind.COMMENT, wp_id)
        return self._target(origin, Comment)

    # -- menus ---------------------------------------------------------------

    def _menus(self):
        items_by_menu = {}
        for values in self.scan.menu_items:
            items_by_menu.setdefault(values["menu"], []).append(values)
        first_with_items = None
        for slug, values in self.scan.menus.items():
            menu = self._menu(slug, values)
            items = items_by_menu.pop(slug, [])
            if menu is None:
                self.report.add("menu items", "skipped", len(items))
                continue
            self._menu_items(menu, items)
            if items and first_with_items is None:
                first_with_items = menu
        for values in (v for items in items_by_menu.values() for v in items):
            self.report.add("menu items", "failed")
            self.report.warn("menu items", values["title"] or values["wp_id"], "names no menu")
        if first_with_items is not None:
            settings = SiteSettings.objects.filter(pk=1).first() or SiteSettings(pk=1)
            if settings.header_menu_id is None:
                settings.header_menu = first_with_items
                settings.save()
                self.report.warn("menus", first_with_items.name, "is now the header menu")

    def _menu(self, slug, values):
        wp_id = values["term_id"] or -zlib.crc32(slug.encode())
        source_hash = _hash([slug, values["name"]])
        origin, menu, verdict = self._existing(
            Origin.Kind.MENU, wp_id, Menu, source_hash, "menus", values["name"]
        )
        if verdict in ("kept", "skipped"):
            return menu
        column = "updated" if menu is not None else "imported"
        if menu is None:
            menu = Menu()
        name, n = values["name"][:90] or slug[:90], 2
        wanted = name
        while Menu.objects.filter(name=name).exclude(pk=menu.pk).exists():
            name, n = f"{wanted} ({n})", n + 1
        menu.name = name
        menu.save()
        self.report.add("menus", column)
        self._remember(origin, Origin.Kind.MENU, wp_id, menu, source_hash=source_hash)
        return menu

    def _menu_target(self, values):
        """The fields of a MenuItem for what the WordPress item links to, or None."""
        kind, target, object_id = values["type"], values["object"], values["object_id"]
        if kind == "post_type" and target in ("page", "post"):
            found = self.posts.get(object_id)
            if found is None:
                return None
            return {"page_id": found[1]} if found[0] == "page" else {"post_id": found[1]}
        if kind == "taxonomy" and target == "category":
            for slug, values_ in self.scan.categories.items():
                if values_["term_id"] == object_id and slug in self.categories:
                    return {"category_id": self.categories[slug]}
            return None
        if kind == "taxonomy" and target == "post_tag":
            for slug, values_ in self.scan.tags.items():
                if values_["term_id"] == object_id and slug in self.tags:
                    return {"tag_id": self.tags[slug].pk}
            return None
        if values["url"]:
            return {"url": values["url"][:500]}
        return None

    def _menu_items(self, menu, items):
        made = {}  # WordPress id -> MenuItem
        placed = []
        for values in sorted(items, key=lambda v: (v["order"], v["wp_id"])):
            wp_id = values["wp_id"]
            label = values["title"] or f"menu item {wp_id}"
            source_hash = _hash(values)
            origin, item, verdict = self._existing(
                Origin.Kind.MENU_ITEM,
                values["origin_id"],
                MenuItem,
                source_hash,
                "menu items",
                label,
            )
            if verdict in ("kept", "skipped"):
                made[wp_id] = item
                continue
            target = self._menu_target(values)
            if target is None:
                self.report.add("menu items", "failed")
                self.report.warn(
                    "menu items",
                    label,
                    f"links to {values['object'] or values['type']} {values['object_id']}, "
                    "which was not imported",
                )
                continue
            column = "updated" if item is not None else "imported"
            if item is None:
                item = MenuItem(menu=menu)
            for name in ("page_id", "post_id", "category_id", "tag_id"):
                setattr(item, name, None)
            item.url = ""
            for name, value in target.items():
                setattr(item, name, value)
            item.menu = menu
            item.order = values["order"]
            item.label = (values["title"] or target.get("url", ""))[:100]
            item.parent = None
            item.save()
            made[wp_id] = item
            placed.append((values, item, origin, source_hash, column))
        for values, item, origin, source_hash, column in placed:
            parent = made.get(values["parent"]) if values["parent"] else None
            if values["parent"] and parent is None:
                self.report.warn(
                    "menu items",
                    values["title"] or values["wp_id"],
                    f"its parent item {values['parent']} was not imported: placed at the top",
                )
            if parent is not None and parent.pk != item.pk:
                item.parent = parent
                item.save(update_fields=["parent"])
            self.report.add("menu items", column)
            self._remember(
                origin, Origin.Kind.MENU_ITEM, values["origin_id"], item, source_hash=source_hash
            )

    # -- the end -----------------------------------------------------------------

    def _other_counts(self):
        self.report.add("other taxonomies", "skipped", len(self.scan.other_terms))

    def _shared_ids(self):
        """WordPress ids another imported site uses too: ``?p=ID`` serves the newest."""
        kinds = (Origin.Kind.POST, Origin.Kind.PAGE, Origin.Kind.ATTACHMENT)
        ours = Origin.objects.filter(site=self.site, kind__in=kinds).values("wp_id")
        shared = sorted(
            set(
                Origin.objects.filter(kind__in=kinds, wp_id__in=ours)
                .exclude(site=self.site)
                .values_list("wp_id", flat=True)
            )
        )
        if shared:
            listed = ", ".join(str(n) for n in shared[:20]) + (" …" if len(shared) > 20 else "")
            self.report.warn(
                "posts",
                f"{len(shared)} WordPress id(s)",
                f"also used by another imported site: ?p=ID now answers with this import's "
                f"(the most recent): {listed}",
            )

    def _rebuild_search(self):
        from blog.search import backends

        posts = Post.any_kind.exclude(status=Post.Status.TRASH).order_by("pk")
        backends.rebuild(posts.iterator(chunk_size=500))

    def _forget_caches(self):
        from blog.pages.menus import forget_menus

        forget_menus()


# [name attr=…], [name /] or [name]…[/name]: a bare [word] is ordinary text.
_SHORTCODE_OPEN = re.compile(r"(?<!\[)\[([A-Za-z][\w-]*)(\s[^\]]*|\s*/)?\](?!\])")


def unknown_shortcodes(body):
    """Names of shortcodes in ``body`` that this site does not render, in order."""
    from blog import shortcodes

    finder = getattr(shortcodes, "unknown_shortcodes", None)
    if finder is not None:
        return list(finder(body))
    known = set(getattr(shortcodes, "SHORTCODES", ()))
    found = []
    for match in _SHORTCODE_OPEN.finditer(body or ""):
        code = match.group(1)
        if code.lower() in known or code in found:
            continue
        if match.group(2) or f"[/{code}]" in body:
            found.append(code)
    return found


def _ip(value):
    import ipaddress

    value = (value or "").strip()
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None
