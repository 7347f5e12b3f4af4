import datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItemBase

from blog import markup, site_paths
from blog.categories.models import Category
from blog.discussion import CommentMode
from blog.sitesettings.models import SiteSettings
from blog.slugs import likely_slugs

from .. import derived
from .redirect import PostRedirect

# Longer page paths could not be kept as an old address (PostRedirect.old_path).
PATH_MAX_LENGTH = 390


class PostQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: published, and its time has come."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=timezone.now())

    def authors(self):
        """
        The users who wrote a post in this queryset, as a queryset of users:
        ``published().authors()`` are those with a public author archive.
        """
        mine = self.filter(author=models.OuterRef("pk"))
        return get_user_model()._default_manager.filter(models.Exists(mine))

    def tags(self):
        """
        The tags of the posts in this queryset, in one query: ``published().tags()``
        are those with a public archive and feed (a tag on drafts only is not).
        """
        tagged = self.filter(tags=models.OuterRef("pk"))
        return Tag.objects.filter(models.Exists(tagged))

    def scheduled(self):
        """Published for a time still to come: readers do not see them yet."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__gt=timezone.now())

    def for_listing(self, tags=True):
        """
        Everything the post lists and the meta line show, in constant queries.
        Lists of summaries show no tags: ``tags=False`` saves their query and
        taggit's per-post work (about half a millisecond a post).
        """
        return (
            self.select_related("author", "featured_image")
            .prefetch_related(
                "featured_image__renditions",
                # With two levels of parents, so category URLs need no more queries.
                models.Prefetch("categories", queryset=Category.objects.with_parents()),
                *(["tags"] if tags else []),
            )
            .order_by("-published_at", "-pk")
        )

    def in_category(self, category):
        """Posts filed in ``category`` or any category below it, each once."""
        return self.in_categories(Category.objects.descendant_ids(category))

    def in_categories(self, ids):
        """Posts filed in any of the categories ``ids``, each once."""
        # A semi-join (IN), not a join and DISTINCT: counts and pages read the
        # indexes and never sort whole rows to drop the duplicates.
        filed = Post.categories.through.objects.filter(category_id__in=ids)
        return self.filter(pk__in=filed.values("post_id"))

    def visible_to(self, user):
        """Readers see published posts; staff who may edit posts also see the rest."""
        if user.is_authenticated and user.is_staff and user.has_perm("posts.change_post"):
            return self.exclude(status=Post.Status.TRASH)
        return self.published()

    def _older_and_newer(self, post):
        """The posts before and after ``post`` in list order, nearest first."""
        at = post.published_at
        older = self.filter(
            models.Q(published_at__lt=at) | models.Q(published_at=at, pk__lt=post.pk)
        ).order_by("-published_at", "-pk")
        newer = self.filter(
            models.Q(published_at__gt=at) | models.Q(published_at=at, pk__gt=post.pk)
        ).order_by("published_at", "pk")
        return older, newer

    def adjacent_to(self, post):
        """
        The posts just before and just after ``post`` in this queryset by
        ``published_at`` (then pk, as lists order them), as ``(previous, next)``,
        either None; read in one query.
        """
        if post.published_at is None:
            return Adjacent(None, None)
        at = post.published_at
        older, newer = self._older_and_newer(post)
        found = self.filter(
            models.Q(pk=models.Subquery(older.values("pk")[:1]))
            | models.Q(pk=models.Subquery(newer.values("pk")[:1]))
        ).order_by("published_at", "pk")
        previous = following = None
        for other in found:
            if (other.published_at, other.pk) < (at, post.pk):
                previous = other
            else:
                following = other
        return Adjacent(previous, following)

    def related_to(self, post):
        """
        Posts of this queryset that share tags or a category with ``post``:
        most shared tags first, then those sharing a category, then newest.
        Never ``post`` itself. One query, however many tags and categories.
        """
        filed = Post.categories.through.objects
        tag_ids = TaggedPost.objects.filter(content_object_id=post.pk).values("tag_id")
        category_ids = filed.filter(post_id=post.pk).values("category_id")
        # Narrowed to the candidates first, so the counts run on few rows.
        tagged_alike = TaggedPost.objects.filter(tag_id__in=tag_ids).values("content_object")
        filed_alike = filed.filter(category_id__in=category_ids).values("post_id")
        return (
            self.exclude(pk=post.pk)
            .filter(models.Q(pk__in=tagged_alike) | models.Q(pk__in=filed_alike))
            ._with_relatedness(post)
            .order_by(*self._RELATED_ORDER)
        )

    _RELATED_ORDER = ("-shared_tags", "-shares_category", "-published_at", "-pk")

    def _with_relatedness(self, post):
        """Each row's ``shared_tags`` (tags in common with ``post``) and ``shares_category``."""
        filed = Post.categories.through.objects
        tag_ids = TaggedPost.objects.filter(content_object_id=post.pk).values("tag_id")
        category_ids = filed.filter(post_id=post.pk).values("category_id")
        shared_tags = (
            TaggedPost.objects.filter(content_object=models.OuterRef("pk"), tag_id__in=tag_ids)
            .order_by()
            .values("content_object")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(
            shared_tags=Coalesce(models.Subquery(shared_tags), 0),
            shares_category=models.Exists(
                filed.filter(post_id=models.OuterRef("pk"), category_id__in=category_ids)
            ),
        )

    def neighbours_and_related(self, post, count):
        """
        ``(adjacent_to(post), list(related_to(post)[:count]))`` read in one
        query, as the article shows both: the rows of the two neighbours and
        of the top related posts, each marked, sorted apart in Python.
        """
        if post.published_at is None:
            return Adjacent(None, None), list(self.related_to(post)[:count])
        at = post.published_at
        older, newer = self._older_and_newer(post)
        top = self.related_to(post).values("pk")[:count]
        rows = list(
            self.filter(
                models.Q(pk=models.Subquery(older.values("pk")[:1]))
                | models.Q(pk=models.Subquery(newer.values("pk")[:1]))
                | models.Q(pk__in=top)
            )
            ._with_relatedness(post)
            .annotate(
                is_related=models.Case(
                    models.When(pk__in=top, then=models.Value(True)),
                    default=models.Value(False),
                    output_field=models.BooleanField(),
                )
            )
            .order_by("published_at", "pk")
        )
        before = [r for r in rows if (r.published_at, r.pk) < (at, post.pk)]
        after = [r for r in rows if (r.published_at, r.pk) > (at, post.pk)]
        related = sorted(
            (r for r in rows if r.is_related),
            key=lambda r: (-r.shared_tags, -r.shares_category, -r.published_at.timestamp(), -r.pk),
        )
        return Adjacent(before[-1] if before else None, after[0] if after else None), related


def post_models():
    """
    ``Post`` and its proxies (the pages app's ``Page``): signals name the
    proxy as their sender, so a receiver for every post connects to each.
    """
    from django.apps import apps

    return [model for model in apps.get_models() if issubclass(model, Post)]


AUTO_DRAFT = "auto-draft"


class PostManager(models.Manager.from_queryset(PostQuerySet)):
    """Rows of one kind only: ``Post.objects`` never returns a page, nor an auto-draft."""

    kind = "post"

    def get_queryset(self):
        return super().get_queryset().filter(kind=self.kind).exclude(status=AUTO_DRAFT)


class AnyKindManager(models.Manager.from_queryset(PostQuerySet)):
    """Posts and pages; never an auto-draft, which nothing but its own editor sees."""

    def get_queryset(self):
        return super().get_queryset().exclude(status=AUTO_DRAFT)


class AutoDraftManager(models.Manager.from_queryset(PostQuerySet)):
    """
    Auto-drafts only, of every kind: the rows a new post's first autosave
    makes (see ``Post.AUTO_DRAFT``). Only the post admin and the purge read them.
    """

    def get_queryset(self):
        return super().get_queryset().filter(status=AUTO_DRAFT)

    def stale(self, now=None):
        """Those not autosaved for ``Post.AUTO_DRAFT_DAYS``: never saved, and left."""
        now = now or timezone.now()
        return self.filter(updated_at__lt=now - datetime.timedelta(days=Post.AUTO_DRAFT_DAYS))

    def purge(self, now=None):
        """Delete the stale auto-drafts; returns how many went."""
        stale = list(self.stale(now).values_list("pk", flat=True))
        if stale:
            self.filter(pk__in=stale).delete()
        return len(stale)


class Adjacent(NamedTuple):
    previous: "Post | None"
    next: "Post | None"


class _Stored(NamedTuple):
    live_url: str | None
    path: str


class TaggedPost(TaggedItemBase):
    content_object = models.ForeignKey("Post", on_delete=models.CASCADE)

    class Meta:
        # A tag's posts from the index alone (tag archives, their counts).
        indexes = [models.Index(fields=["tag", "content_object"], name="taggedpost_tag_post_idx")]


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PENDING = "pending", "Pending review"
        PRIVATE = "private", "Private"
        PUBLISHED = "published", "Published"
        TRASH = "trash", "Trash"

    class Kind(models.TextChoices):
        # Pages are posts of another kind, as in WordPress and Ghost: they
        # share revisions, previews, old-address redirects, comments and
        # search. ``Post.objects`` holds posts, ``Page.objects`` (the pages
        # app's proxy) pages, ``Post.any_kind`` both.
        POST = "post", "Post"
        PAGE = "page", "Page"

    CommentMode = CommentMode
    BodyFormat = markup.BodyFormat

    # Trashed posts can be restored for this long, then purge_trash deletes them.
    TRASH_DAYS = 30

    # The status of the row a new post's first autosave makes, as WordPress's
    # auto-draft: the open form then edits that row, so saving never makes a
    # second post. Not one of ``Status`` (no form, filter or count offers it):
    # the managers leave these rows out, they take no slug, path or revision,
    # and purge_auto_drafts (also run by purge_trash) deletes those left
    # untouched for AUTO_DRAFT_DAYS. ``Post.auto_drafts`` reads them.
    AUTO_DRAFT = AUTO_DRAFT
    AUTO_DRAFT_DAYS = 7

    kind = models.CharField(max_length=10, choices=Kind, default=Kind.POST, editable=False)
    title = models.CharField(max_length=200)
    # Unique across all posts (and among a page's siblings), as WordPress's
    # post_name is, by database constraints rather than unique_for_date
    # (which only forms check).
    slug = models.SlugField(max_length=200, allow_unicode=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="posts", on_delete=models.PROTECT
    )
    body = models.TextField(
        help_text="In the body format below: Markdown (raw HTML allowed) or WordPress HTML. "
        "Sanitised either way."
    )
    body_format = models.CharField(
        max_length=10,
        choices=markup.BodyFormat,
        default=markup.BodyFormat.MARKDOWN,
        help_text="HTML is WordPress's format: blank lines make paragraphs, shortcodes work. "
        "Switching does not convert the body.",
    )
    body_html = models.TextField(editable=False, blank=True)
    # Derived from the body when the post is saved (blog/posts/derived.py), so
    # a page view reads fields and never parses HTML: the article as shown
    # (heading ids, responsive library images), its table of contents, the
    # plain-text summary and the word count.
    content_html = models.TextField(editable=False, blank=True)
    toc = models.JSONField(default=list, blank=True, editable=False)
    summary = models.TextField(editable=False, blank=True)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    excerpt = models.TextField(blank=True, help_text="Plain text shown in lists and feeds.")
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="A future time schedules the post."
    )
    comment_mode = models.CharField(
        "comments", max_length=10, choices=CommentMode, default=CommentMode.OPEN
    )
    featured_image = models.ForeignKey(
        "media.Image",
        null=True,
        blank=True,
        related_name="featured_in",
        # The media library refuses to delete an image a post uses.
        on_delete=models.PROTECT,
    )
    sticky = models.BooleanField(default=False, help_text="Keep at the top of the home page.")
    password = models.CharField(
        max_length=100,
        blank=True,
        help_text="Readers must enter this to read the post, as in WordPress.",
    )
    trashed_at = models.DateTimeField(null=True, blank=True, editable=False)
    status_before_trash = models.CharField(
        max_length=10, choices=Status, blank=True, editable=False
    )
    # Part of every shared preview link; a new value revokes the links given out.
    preview_key = models.CharField(max_length=32, blank=True, editable=False)
    categories = models.ManyToManyField("categories.Category", related_name="posts", blank=True)
    tags = TaggableManager(through=TaggedPost, blank=True)
    # Pages only: their place in the tree, and their full path below the site
    # root ("about/team"), kept on save so a page is found in one query.
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"kind": Kind.PAGE},
        # A page with child pages is not deleted from under them.
        on_delete=models.PROTECT,
    )
    menu_order = models.IntegerField(
        "order", default=0, help_text="Lower numbers come first in the header and among siblings."
    )
    path = models.CharField(max_length=PATH_MAX_LENGTH, blank=True, editable=False)
    # A default rather than auto_now_add, so imports can keep the original date.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostManager()
    any_kind = AnyKindManager()
    auto_drafts = AutoDraftManager()

    class Meta:
        # Undated drafts first, on every database (SQLite and PostgreSQL differ).
        ordering = [models.F("published_at").desc(nulls_first=True), "-pk"]
        # WordPress's capabilities that Django's add/change/delete/view lack.
        permissions = [
            ("publish_post", "Can publish and schedule posts"),
            ("edit_others_posts", "Can edit other people's posts"),
            ("toggle_comments", "Can switch comments on or off"),
        ]
        constraints = [
            # Auto-drafts hold no slug or path yet (all "").
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(kind="post") & ~models.Q(status=AUTO_DRAFT),
                name="post_slug_unique",
            ),
            models.UniqueConstraint(
                fields=["path"],
                condition=models.Q(kind="page") & ~models.Q(status=AUTO_DRAFT),
                name="page_path_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="post_status_published_idx"),
            models.Index(fields=["author", "status", "-published_at"], name="post_author_idx"),
            # Lists newest first (archives, feeds): the first page reads ten
            # index entries, a deep page or a count reads the index only.
            models.Index(
                fields=["kind", "status", "-published_at", "-id"], name="post_listing_idx"
            ),
            # A feed's latest edit.
            models.Index(fields=["kind", "status", "-updated_at"], name="post_updated_idx"),
            # The home page: sticky posts first.
            models.Index(
                fields=["kind", "status", "-sticky", "-published_at", "-id"], name="post_home_idx"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Browsers post textareas with CRLF; store one kind of line end.
        self.body = self.body.replace("\r\n", "\n")
        self.slug = self._unique_slug(self.slug or slugify(self.title, allow_unicode=True))
        if self.kind == self.Kind.PAGE:
            self.path = self.path_in_tree()
        else:
            self.parent = None
            self.path = ""
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.body_html = markup.render_post(self.body, self.body_format)
        self.derive()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "slug",
                "path",
                "body_html",
                *derived.FIELDS,
                "published_at",
            }
        stored = self._stored_url_and_path()
        super().save(*args, **kwargs)
        if stored.live_url and stored.live_url != self.get_absolute_url():
            self._keep_old_address(stored.live_url)
        if stored.path and stored.path != self.path:
            self._move_subpages(stored.path)

    def get_absolute_url(self):
        if self.kind == self.Kind.PAGE:
            return reverse("pages:detail", kwargs={"path": self.path})
        return reverse("posts:detail", kwargs=self.permalink_kwargs())

    def get_admin_url(self):
        """The admin's change form of this post, or page."""
        name = "pages_page" if self.kind == self.Kind.PAGE else "posts_post"
        return reverse(f"admin:{name}_change", args=[self.pk])

    @property
    def detail_template_name(self):
        """The template that shows this post, or page, to readers."""
        return f"{self.kind}s/{self.kind}_detail.html"

    def permalink_kwargs(self):
        """The date and slug parts of the permalink, for URLs that hang off it."""
        day = timezone.localdate(self.published_at or self.created_at or timezone.now())
        return {
            "year": day.year,
            "month": f"{day.month:02}",
            "day": f"{day.day:02}",
            "slug": self.slug,
        }

    def _keep_old_address(self, old_url):
        """The old address keeps working, as a 301 to the new one."""
        PostRedirect.objects.update_or_create(old_path=old_url, defaults={"post": self})
        PostRedirect.objects.filter(old_path=self.get_absolute_url()).delete()

    def _move_subpages(self, old_path):
        """A page moved or renamed: its subpages follow, their old addresses kept."""
        below = Post.any_kind.filter(kind=self.Kind.PAGE, path__startswith=f"{old_path}/")
        for page in below.order_by("path"):
            old_url = page.get_absolute_url() if page.is_published else None
            page.path = self.path + page.path[len(old_path) :]
            Post.any_kind.filter(pk=page.pk).update(path=page.path)
            if old_url:
                page._keep_old_address(old_url)

    def path_in_tree(self):
        """A page's path below the site root: its ancestors' slugs and its own."""
        if self.parent_id is None:
            return self.slug
        parent = Post.any_kind.filter(pk=self.parent_id).values_list("path", flat=True).first()
        return f"{parent}/{self.slug}" if parent else self.slug

    def _unique_slug(self, wanted):
        """``wanted``, or ``wanted-2``, ``-3``... as WordPress does on a clash."""
        base = wanted[:190] or self.kind
        # The likely slugs are looked up by the slug index alone (with the kind
        # in the query too, SQLite's planner scans every row of the kind, which
        # made large imports slow down as they went); a prefix scan only when
        # all of them are taken.
        likely = likely_slugs(base)
        taken = self._slugs_taken(Post.any_kind.filter(slug__in=likely))
        if all(slug in taken or self._slug_reserved(slug) for slug in likely):
            taken = self._slugs_taken(Post.any_kind.filter(slug__startswith=base))
        slug, n = base, 2
        while slug in taken or self._slug_reserved(slug):
            slug, n = f"{base}-{n}", n + 1
        return slug

    def _slugs_taken(self, candidates):
        """
        The slugs of ``candidates`` this post may not take: those of other
        posts of its kind; for a page, of its siblings only (top-level pages
        also step around the site's own addresses: blog/site_paths.py).
        """
        rows = candidates.values_list("pk", "slug", "kind", "parent_id")
        return {
            slug
            for pk, slug, kind, parent_id in rows
            if pk != self.pk
            and kind == self.kind
            and (kind != self.Kind.PAGE or parent_id == self.parent_id)
        }

    def _slug_reserved(self, slug):
        return self.kind == self.Kind.PAGE and site_paths.reserved(
            slug, top_level=self.parent_id is None
        )

    def _stored_url_and_path(self):
        """What the saved row answers at: its live URL (None unless published) and path."""
        if self.pk is None:
            return _Stored(None, "")
        stored = Post.any_kind.filter(pk=self.pk).first()
        if stored is None:
            return _Stored(None, "")
        return _Stored(stored.get_absolute_url() if stored.is_published else None, stored.path)

    def trash(self):
        self.status_before_trash = self.status
        self.status = self.Status.TRASH
        self.trashed_at = timezone.now()
        self.save()

    def restore(self):
        self.status = self.status_before_trash or self.Status.DRAFT
        self.status_before_trash = ""
        self.trashed_at = None
        self.save()

    def password_unlocks(self, password):
        return bool(self.password) and constant_time_compare(password, self.password)

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def comments_open(self):
        """
        Whether the form shows and posts are taken: open on this post, not
        closed site-wide, and not past the site's age limit.
        """
        site = SiteSettings.current()
        if site.comments_closed_everywhere or self.comment_mode != CommentMode.OPEN:
            return False
        days = site.close_comments_after_days
        # Computed at request time: no job closes comments on old posts.
        return not (
            days
            and self.published_at
            and self.published_at < timezone.now() - datetime.timedelta(days=days)
        )

    @property
    def comments_hidden(self):
        return self.comment_mode == CommentMode.HIDDEN

    def comment_mode_from_categories(self):
        """
        The comment mode a new post takes: the ``default_comment_mode`` of its
        first category by name that has one, else the site's default. Needs the
        post saved with its categories; the admin applies it to new posts.
        """
        chosen = (
            self.categories.exclude(default_comment_mode="")
            .order_by("name", "pk")
            .values_list("default_comment_mode", flat=True)
            .first()
        )
        return chosen or SiteSettings.current().default_comment_mode

    @property
    def reading_time(self):
        """Minutes to read the body, at least 1, counted as the editor counts them."""
        return markup.reading_minutes(self.word_count)

    @property
    def table_of_contents(self):
        """
        The stored ``toc``: ``[{"id", "text", "children": [...]}, ...]`` of the
        h2s and h3s; empty below ``derived.TOC_MIN_HEADINGS`` headings.
        """
        return self.toc

    def derive(self):
        """Fill the fields derived from the body (``blog/posts/derived.py``)."""
        found = derived.derive(
            body=self.body,
            body_format=self.body_format,
            body_html=self.body_html,
            excerpt=self.excerpt,
            password=self.password,
        )
        for name, value in found._asdict().items():
            setattr(self, name, value)
