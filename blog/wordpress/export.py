"""
The whole site as a WordPress eXtended RSS file (WXR 1.2), shaped as
WordPress's own exporter writes it, so WordPress's importer (and ours,
``blog/wordpress/importer.py``) can read it back.

What goes in, in WordPress's order: the channel (title, link, description,
language, the site's base URL from ``settings.BLOG_SITE_URL``), authors (users
who wrote a post or a comment or uploaded a file), categories (parents before
their children, the parent named by its slug), tags, menus (``nav_menu``
terms), then items: attachments (library images and files), posts and pages
with their comments, and the menus' items.

- Markdown bodies go out as their rendered HTML (``body_html``): WordPress has
  no Markdown. WordPress-format (HTML) bodies go out as written, shortcodes and
  all. Addresses on this site in bodies (``/media/…``, ``/2014/…``) become
  absolute, as WordPress stores them, so an importer can match them to the
  attachments' ``attachment_url``.
- Statuses: published → ``publish`` (``future`` when scheduled), draft, pending,
  private, trash. Comments: approved → ``1``, pending → ``0``, ``spam``,
  ``trash``. A post whose comments are hidden goes out as ``closed``
  (WordPress has no hidden).
- WordPress's files do not say which menu a theme shows; the header menu is
  written first, so an importer that takes the first (ours does) picks it.
- Dates are written to the second, as WordPress stores them.
- WordPress numbers every post, page, attachment and menu item in one
  sequence, and every category, tag and menu in another. Posts and pages keep
  their ids here; images, files and menu items are numbered after the highest
  post id, tags and menus after the highest category id.

Everything is written as it is read: querysets are walked with
``.iterator()`` in chunks (comments, categories and tags prefetched per
chunk), and each item is yielded as soon as it is made, so memory does not
grow with the site. ``WXRExport(...)`` is iterable (chunks of text);
``write(file)`` writes them to an open text file.
"""

import datetime
import re
from collections import Counter
from email.utils import format_datetime
from html.parser import HTMLParser
from urllib.parse import quote

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Prefetch
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from blog.accounts.models import User
from blog.categories.models import Category
from blog.comments.models import Comment
from blog.media.models import Image, MediaFile
from blog.pages.models import Menu, MenuItem
from blog.posts.models import Post
from blog.sitesettings.models import SiteSettings

WXR_VERSION = "1.2"
NAMESPACES = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": "http://wordpress.org/export/1.2/",
}
# Rows read from the database at a time (with their comments, categories, tags).
CHUNK_SIZE = 200
# WordPress writes this for a date it does not know.
ZERO_DATE = "0000-00-00 00:00:00"

# Characters XML 1.0 cannot carry at all, even in CDATA.
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# WordPress's percent-encoded slugs use lower-case hex digits.
_PERCENT = re.compile(r"%[0-9A-F]{2}")
# Attributes whose value is an address, and the one that holds several.
_URL_ATTRIBUTES = frozenset({"href", "src", "poster", "cite", "action", "data"})
_SRCSET = "srcset"

STATUSES = {
    Post.Status.DRAFT: "draft",
    Post.Status.PENDING: "pending",
    Post.Status.PRIVATE: "private",
    Post.Status.PUBLISHED: "publish",
    Post.Status.TRASH: "trash",
}
COMMENT_STATUSES = {
    Comment.Status.APPROVED: "1",
    Comment.Status.PENDING: "0",
    Comment.Status.SPAM: "spam",
    Comment.Status.TRASH: "trash",
}
# Statuses WordPress gives a permalink; drafts, pending and trashed posts are linked by id.
_LINKED = frozenset({Post.Status.PUBLISHED, Post.Status.PRIVATE})
# WordPress's empty PHP array of CSS classes, as it writes every menu item's.
_NO_CLASSES = 'a:1:{i:0;s:0:"";}'


def cdata(value):
    """
    ``value`` as WordPress's ``wxr_cdata()`` writes it: one CDATA section, split
    at ``]]>``; numbers as they are.
    """
    if isinstance(value, int):
        return str(value)  # numbers as WordPress writes them, without CDATA
    text = _NOT_XML.sub("", "" if value is None else str(value))
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text(value):
    """``value`` escaped for an element's text or a double-quoted attribute."""
    value = _NOT_XML.sub("", str(value if value is not None else ""))
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _by_name(term):
    """Terms by name, the same on every database whatever its collation."""
    return (term.name.casefold(), term.name, term.pk)


def wp_slug(slug):
    """A slug as WordPress stores it: non-ASCII letters percent-encoded, lower case."""
    if slug.isascii():
        return slug
    return _PERCENT.sub(lambda m: m[0].lower(), quote(slug, safe="-_.~"))


def absolute_urls(html, base):
    """
    ``html`` with every root-relative address in a tag's attributes (``href``,
    ``src``, ``srcset``, ``poster``…) made absolute on ``base``. The tags are
    found by Python's HTML tokenizer; only tags that change are rewritten, and
    everything else is left byte for byte.
    """
    if not html or "/" not in html:
        return html
    finder = _RelativeTags(base)
    finder.feed(html)
    finder.close()
    if not finder.changes:
        return html
    # The tokenizer counts lines at "\n" only.
    starts = [0]
    for line in html.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    parts, position = [], 0
    for (line, column), original, replacement in finder.changes:
        start = starts[line - 1] + column
        if html[start : start + len(original)] != original:
            continue  # the tokenizer's position did not match: leave the tag alone
        parts += [html[position:start], replacement]
        position = start + len(original)
    parts.append(html[position:])
    return "".join(parts)


def _absolute(url, base):
    url = url.strip()
    if url.startswith("/") and not url.startswith(("//", "/\\")):
        return base + url
    return url


class _RelativeTags(HTMLParser):
    """Start tags with root-relative addresses, and the tag each should become."""

    def __init__(self, base):
        super().__init__(convert_charrefs=False)
        self.base = base
        self.changes = []  # ((line, column), original tag text, new tag text)

    def handle_starttag(self, tag, attrs):
        changed, rewritten = False, []
        for name, value in attrs:
            new = value
            if value is not None and name in _URL_ATTRIBUTES:
                new = _absolute(value, self.base)
            elif value is not None and name == _SRCSET:
                new = ", ".join(
                    " ".join([_absolute(candidate.split()[0], self.base), *candidate.split()[1:]])
                    for candidate in value.split(",")
                    if candidate.strip()
                )
            changed = changed or new != value
            rewritten.append((name, new))
        if not changed:
            return
        original = self.get_starttag_text()
        closing = "/>" if original.rstrip().endswith("/>") else ">"
        attributes = "".join(
            f" {name}" if value is None else f' {name}="{text(value)}"' for name, value in rewritten
        )
        self.changes.append((self.getpos(), original, f"<{tag}{attributes}{closing}"))

    handle_startendtag = handle_starttag


class WXRExport:
    """
    The site as WXR, one chunk of text at a time: ``for chunk in WXRExport(): …``.
    ``counts`` tells how many of each kind were written so far.
    """

    def __init__(self, *, site_url=None, now=None):
        self.base = (site_url or settings.BLOG_SITE_URL).rstrip("/")
        self.now = now or timezone.now()
        self.zone = SiteSettings.current().zone or timezone.get_default_timezone()
        self.counts = Counter()

    def __iter__(self):
        return self.chunks()

    def write(self, file):
        """Write the whole export to the open text file ``file``; return the counts."""
        for chunk in self.chunks():
            file.write(chunk)
        return self.counts

    # The sequences WordPress numbers posts and terms in (see the module's docstring).

    def _number(self):
        post_max = Post.any_kind.aggregate(n=Max("pk"))["n"] or 0
        image_max = Image.objects.aggregate(n=Max("pk"))["n"] or 0
        file_max = MediaFile.objects.aggregate(n=Max("pk"))["n"] or 0
        self.image_offset = post_max
        self.file_offset = post_max + image_max
        self.menu_item_offset = post_max + image_max + file_max
        category_max = Category.objects.aggregate(n=Max("pk"))["n"] or 0
        tag_max = Tag.objects.aggregate(n=Max("pk"))["n"] or 0
        self.tag_offset = category_max
        self.menu_offset = category_max + tag_max

    def chunks(self):
        self._number()
        yield self._head()
        yield from self._authors()
        yield from self._categories()
        yield from self._tags()
        menus = self._menu_slugs()
        yield from self._menu_terms(menus)
        yield from self._attachments()
        yield from self._posts()
        yield from self._menu_items(menus)
        yield "</channel>\n</rss>\n"

    # Dates, as WordPress writes them.

    def _local(self, moment):
        return timezone.localtime(moment, self.zone).strftime("%Y-%m-%d %H:%M:%S")

    @staticmethod
    def _gmt(moment):
        return moment.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")

    @staticmethod
    def _rfc2822(moment):
        return format_datetime(moment.astimezone(datetime.UTC))

    def _url(self, url):
        return _absolute(url, self.base) if url else ""

    # The channel and its terms.

    def _head(self):
        site = SiteSettings.current()
        namespaces = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
        # WordPress writes its language as "en-US".
        language, _, region = settings.LANGUAGE_CODE.partition("-")
        language += f"-{region.upper()}" if region else ""
        return (
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            "<!-- This is a WordPress eXtended RSS file (WXR) generated as an export of the\n"
            " site. Import it in WordPress with Tools: Import: WordPress, or here with\n"
            " manage.py import_wxr. -->\n"
            f'<!-- generator="blog export_wxr" created="{self.now:%Y-%m-%d %H:%M}" -->\n'
            f'<rss version="2.0" {namespaces}>\n'
            "<channel>\n"
            f"\t<title>{text(site.title)}</title>\n"
            f"\t<link>{text(self.base)}</link>\n"
            f"\t<description>{text(site.tagline)}</description>\n"
            f"\t<pubDate>{self._rfc2822(self.now)}</pubDate>\n"
            f"\t<language>{text(language)}</language>\n"
            f"\t<wp:wxr_version>{WXR_VERSION}</wp:wxr_version>\n"
            f"\t<wp:base_site_url>{text(self.base)}</wp:base_site_url>\n"
            f"\t<wp:base_blog_url>{text(self.base)}</wp:base_blog_url>\n\n"
        )

    def _authors(self):
        authors = (
            User.objects.filter(
                Exists(Post.any_kind.filter(author=OuterRef("pk")))
                | Exists(Comment.objects.filter(user=OuterRef("pk")))
                | Exists(Image.objects.filter(uploaded_by=OuterRef("pk")))
                | Exists(MediaFile.objects.filter(uploaded_by=OuterRef("pk")))
            )
            .order_by("pk")
            .only("pk", "username", "email", "display_name", "first_name", "last_name")
        )
        for user in authors.iterator(chunk_size=CHUNK_SIZE):
            self.counts["authors"] += 1
            yield (
                "\t<wp:author>"
                f"<wp:author_id>{user.pk}</wp:author_id>"
                f"<wp:author_login>{cdata(user.username)}</wp:author_login>"
                f"<wp:author_email>{cdata(user.email)}</wp:author_email>"
                f"<wp:author_display_name>{cdata(user.display_name)}</wp:author_display_name>"
                f"<wp:author_first_name>{cdata(user.first_name)}</wp:author_first_name>"
                f"<wp:author_last_name>{cdata(user.last_name)}</wp:author_last_name>"
                "</wp:author>\n"
            )

    def _categories(self):
        # Parents first, as WordPress's importer needs them. Category trees are
        # small: read once, in one query.
        categories = sorted(Category.objects.all(), key=_by_name)
        by_pk = {category.pk: category for category in categories}
        children = {}
        for category in categories:
            parent = category.parent_id if category.parent_id in by_pk else None
            children.setdefault(parent, []).append(category)
        seen, todo = set(), list(reversed(children.get(None, [])))
        ordered = []
        while todo:
            category = todo.pop()
            if category.pk in seen:
                continue
            seen.add(category.pk)
            ordered.append(category)
            todo.extend(reversed(children.get(category.pk, [])))
        # A loop saved past clean() has no root: write its members anyway.
        ordered += [category for category in categories if category.pk not in seen]
        for category in ordered:
            parent = by_pk.get(category.parent_id)
            self.counts["categories"] += 1
            yield (
                "\t<wp:category>"
                f"<wp:term_id>{category.pk}</wp:term_id>"
                f"<wp:category_nicename>{cdata(wp_slug(category.slug))}</wp:category_nicename>"
                "<wp:category_parent>"
                f"{cdata(wp_slug(parent.slug) if parent else '')}"
                "</wp:category_parent>"
                f"<wp:cat_name>{cdata(category.name)}</wp:cat_name>"
                + (
                    f"<wp:category_description>{cdata(category.description)}"
                    "</wp:category_description>"
                    if category.description
                    else ""
                )
                + "</wp:category>\n"
            )

    def _tags(self):
        for tag in Tag.objects.order_by("name", "pk").iterator(chunk_size=CHUNK_SIZE):
            self.counts["tags"] += 1
            yield (
                "\t<wp:tag>"
                f"<wp:term_id>{self.tag_offset + tag.pk}</wp:term_id>"
                f"<wp:tag_slug>{cdata(wp_slug(tag.slug))}</wp:tag_slug>"
                f"<wp:tag_name>{cdata(tag.name)}</wp:tag_name>"
                "</wp:tag>\n"
            )

    def _menu_slugs(self):
        """``{menu pk: (slug, name)}``: menus have names only; WordPress needs slugs too."""
        slugs, taken = {}, set()
        # The header menu first: an importer that makes the first menu the header
        # menu (ours does, as WordPress's files do not say which it was) picks it.
        header = SiteSettings.current().header_menu_id
        menus = Menu.objects.order_by("pk").values_list("pk", "name")
        for pk, name in sorted(menus, key=lambda menu: menu[0] != header):
            base = slugify(name, allow_unicode=True) or "menu"
            slug, n = base, 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            taken.add(slug)
            slugs[pk] = (slug, name)
        return slugs

    def _menu_terms(self, menus):
        for pk, (slug, name) in menus.items():
            self.counts["menus"] += 1
            yield (
                "\t<wp:term>"
                f"<wp:term_id>{self.menu_offset + pk}</wp:term_id>"
                f"<wp:term_taxonomy>{cdata('nav_menu')}</wp:term_taxonomy>"
                f"<wp:term_slug>{cdata(wp_slug(slug))}</wp:term_slug>"
                f"<wp:term_name>{cdata(name)}</wp:term_name>"
                "</wp:term>\n"
            )

    # Items.

    def _item(self, *, title, link, when, creator, guid, content, excerpt, post_id, fields, tail):
        """One ``<item>``: ``when`` is (local date, GMT date, pubDate); ``tail`` what follows."""
        post_date, post_date_gmt, pub_date = when
        head = (
            "\n\t<item>\n"
            f"\t\t<title>{cdata(title)}</title>\n"
            f"\t\t<link>{text(link)}</link>\n"
            f"\t\t<pubDate>{pub_date}</pubDate>\n"
            f"\t\t<dc:creator>{cdata(creator)}</dc:creator>\n"
            f'\t\t<guid isPermaLink="false">{text(guid)}</guid>\n'
            "\t\t<description></description>\n"
            f"\t\t<content:encoded>{cdata(content)}</content:encoded>\n"
            f"\t\t<excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>\n"
            f"\t\t<wp:post_id>{post_id}</wp:post_id>\n"
            f"\t\t<wp:post_date>{cdata(post_date)}</wp:post_date>\n"
            f"\t\t<wp:post_date_gmt>{cdata(post_date_gmt)}</wp:post_date_gmt>\n"
        )
        body = "".join(f"\t\t<wp:{name}>{cdata(value)}</wp:{name}>\n" for name, value in fields)
        return head + body + "".join(tail) + "\t</item>\n"

    @staticmethod
    def _meta(key, value):
        return (
            "\t\t<wp:postmeta>\n"
            f"\t\t\t<wp:meta_key>{cdata(key)}</wp:meta_key>\n"
            f"\t\t\t<wp:meta_value>{cdata(value)}</wp:meta_value>\n"
            "\t\t</wp:postmeta>\n"
        )

    def _attachment(self, *, post_id, title, caption, url, name, moment, creator, alt=None):
        absolute = self._url(url)
        when = (self._local(moment), self._gmt(moment), self._rfc2822(moment))
        fields = [
            ("post_modified", when[0]),
            ("post_modified_gmt", when[1]),
            ("comment_status", "closed"),
            ("ping_status", "closed"),
            ("post_name", slugify(title) or str(post_id)),
            ("status", "inherit"),
            ("post_parent", 0),
            ("menu_order", 0),
            ("post_type", "attachment"),
            ("post_password", ""),
            ("is_sticky", 0),
            ("attachment_url", absolute),
        ]
        tail = [self._meta("_wp_attached_file", name)]
        if alt:
            tail.append(self._meta("_wp_attachment_image_alt", alt))
        return self._item(
            title=title,
            link=absolute,
            when=when,
            creator=creator,
            guid=absolute,
            content="",
            excerpt=caption,
            post_id=post_id,
            fields=fields,
            tail=tail,
        )

    def _attachments(self):
        images = Image.objects.select_related("uploaded_by").order_by("pk")
        for image in images.iterator(chunk_size=CHUNK_SIZE):
            self.counts["attachments"] += 1
            yield self._attachment(
                post_id=self.image_offset + image.pk,
                title=str(image),
                caption=image.caption,
                url=image.url,
                name=image.file.name,
                moment=image.uploaded_at,
                creator=image.uploaded_by.username if image.uploaded_by else "",
                alt=image.alt_text,
            )
        files = MediaFile.objects.select_related("uploaded_by").order_by("pk")
        for media_file in files.iterator(chunk_size=CHUNK_SIZE):
            self.counts["attachments"] += 1
            yield self._attachment(
                post_id=self.file_offset + media_file.pk,
                title=media_file.title,
                caption="",
                url=media_file.url,
                name=media_file.file.name,
                moment=media_file.created_at,
                creator=media_file.uploaded_by.username if media_file.uploaded_by else "",
            )

    def _posts(self):
        posts = (
            Post.any_kind.order_by("pk")
            .select_related("author")
            .prefetch_related(
                "categories",
                "tags",
                Prefetch("comments", queryset=Comment.objects.order_by("pk")),
                "redirects",
            )
        )
        for post in posts.iterator(chunk_size=CHUNK_SIZE):
            self.counts["pages" if post.kind == Post.Kind.PAGE else "posts"] += 1
            yield self._post(post)
            # Prefetched comments and redirects point back at their post: without
            # this, each chunk would wait for a full garbage collection to be
            # freed, and memory would grow with the site.
            post._prefetched_objects_cache.clear()

    def _post_status(self, post):
        if post.is_scheduled:
            return "future"
        return STATUSES.get(post.status, "draft")

    def _post(self, post):
        page = post.kind == Post.Kind.PAGE
        short = f"{self.base}/?{'page_id' if page else 'p'}={post.pk}"
        moment = post.published_at or post.created_at
        when = (
            self._local(moment),
            self._gmt(post.published_at) if post.published_at else ZERO_DATE,
            self._rfc2822(moment),
        )
        content = post.body if post.body_format == Post.BodyFormat.HTML else post.body_html
        fields = [
            ("post_modified", self._local(post.updated_at)),
            ("post_modified_gmt", self._gmt(post.updated_at)),
            ("comment_status", "open" if post.comment_mode == Post.CommentMode.OPEN else "closed"),
            ("ping_status", "closed"),
            ("post_name", wp_slug(post.slug)),
            ("status", self._post_status(post)),
            ("post_parent", post.parent_id or 0),
            ("menu_order", post.menu_order),
            ("post_type", "page" if page else "post"),
            ("post_password", post.password),
            ("is_sticky", int(post.sticky)),
        ]
        tail = [
            f'\t\t<category domain="category" nicename="{text(wp_slug(category.slug))}">'
            f"{cdata(category.name)}</category>\n"
            for category in sorted(post.categories.all(), key=_by_name)
        ]
        tail += [
            f'\t\t<category domain="post_tag" nicename="{text(wp_slug(tag.slug))}">'
            f"{cdata(tag.name)}</category>\n"
            for tag in sorted(post.tags.all(), key=_by_name)
        ]
        if post.featured_image_id:
            tail.append(self._meta("_thumbnail_id", self.image_offset + post.featured_image_id))
        if not page:
            tail += [self._meta("_wp_old_slug", slug) for slug in self._old_slugs(post)]
        for comment in post.comments.all():
            self.counts["comments"] += 1
            tail.append(self._comment(comment))
        return self._item(
            title=post.title,
            link=self._permalink(post) if post.status in _LINKED else short,
            when=when,
            creator=post.author.username,
            guid=short,
            content=absolute_urls(content, self.base),
            excerpt=post.excerpt,
            post_id=post.pk,
            fields=fields,
            tail=tail,
        )

    def _permalink(self, post):
        # Dated in the site's time zone, as the site's own pages date it.
        with timezone.override(self.zone):
            return self.base + post.get_absolute_url()

    @staticmethod
    def _old_slugs(post):
        """The slugs of a post's old addresses (``/YYYY/MM/DD/<slug>/``) other than its own."""
        slugs = []
        for redirect in post.redirects.all():
            parts = [part for part in redirect.old_path.split("/") if part]
            if parts and parts[-1] != post.slug and wp_slug(parts[-1]) not in slugs:
                slugs.append(wp_slug(parts[-1]))
        return slugs

    def _comment(self, comment):
        fields = [
            ("comment_id", comment.pk),
            ("comment_author", comment.name),
            ("comment_author_email", comment.email),
            ("comment_author_url", comment.url),
            ("comment_author_IP", comment.ip or ""),
            ("comment_date", self._local(comment.created_at)),
            ("comment_date_gmt", self._gmt(comment.created_at)),
            ("comment_content", comment.body),
            ("comment_approved", COMMENT_STATUSES.get(comment.status, "0")),
            ("comment_agent", comment.user_agent),
            ("comment_type", comment.kind),
            ("comment_parent", comment.parent_id or 0),
            ("comment_user_id", comment.user_id or 0),
        ]
        inner = "".join(f"\t\t\t<wp:{name}>{cdata(value)}</wp:{name}>\n" for name, value in fields)
        return f"\t\t<wp:comment>\n{inner}\t\t</wp:comment>\n"

    def _menu_items(self, menus):
        """Each menu's items, parents first, siblings in order (WordPress's menu_order)."""
        items = MenuItem.objects.select_related("category", "tag").order_by("menu", "order", "pk")
        # One menu at a time: a menu's items are few, and its tree must be whole to order it.
        for menu_pk, (slug, name) in menus.items():
            rows = list(items.filter(menu_id=menu_pk))
            children = {}
            pks = {item.pk for item in rows}
            for item in rows:
                parent = item.parent_id if item.parent_id in pks else None
                children.setdefault(parent, []).append(item)
            todo, position = list(reversed(children.get(None, []))), 0
            while todo:
                item = todo.pop()
                position += 1
                self.counts["menu items"] += 1
                yield self._menu_item(item, position, slug, name)
                todo.extend(reversed(children.get(item.pk, [])))

    def _menu_item(self, item, position, menu_slug, menu_name):
        post_id = self.menu_item_offset + item.pk
        if item.page_id is not None:
            kind, target, object_id = "post_type", "page", item.page_id
        elif item.post_id is not None:
            kind, target, object_id = "post_type", "post", item.post_id
        elif item.category_id is not None:
            kind, target, object_id = "taxonomy", "category", item.category_id
        elif item.tag_id is not None:
            kind, target, object_id = "taxonomy", "post_tag", self.tag_offset + item.tag_id
        else:
            kind, target, object_id = "custom", "custom", post_id
        parent = self.menu_item_offset + item.parent_id if item.parent_id else 0
        when = (self._local(self.now), self._gmt(self.now), self._rfc2822(self.now))
        fields = [
            ("post_modified", when[0]),
            ("post_modified_gmt", when[1]),
            ("comment_status", "closed"),
            ("ping_status", "closed"),
            ("post_name", str(post_id)),
            ("status", "publish"),
            ("post_parent", 0),
            ("menu_order", position),
            ("post_type", "nav_menu_item"),
            ("post_password", ""),
            ("is_sticky", 0),
        ]
        tail = [
            f'\t\t<category domain="nav_menu" nicename="{text(wp_slug(menu_slug))}">'
            f"{cdata(menu_name)}</category>\n",
            self._meta("_menu_item_type", kind),
            self._meta("_menu_item_menu_item_parent", parent),
            self._meta("_menu_item_object_id", object_id),
            self._meta("_menu_item_object", target),
            self._meta("_menu_item_target", ""),
            self._meta("_menu_item_classes", _NO_CLASSES),
            self._meta("_menu_item_xfn", ""),
            self._meta("_menu_item_url", item.url if kind == "custom" else ""),
        ]
        return self._item(
            title=item.label,
            link=f"{self.base}/?p={post_id}",
            when=when,
            creator="",
            guid=f"{self.base}/?p={post_id}",
            content="",
            excerpt="",
            post_id=post_id,
            fields=fields,
            tail=tail,
        )
