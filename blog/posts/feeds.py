"""
RSS 2.0 and Atom feeds of published posts: the site's, and each category's,
tag's and author's (``<archive>/feed/`` and ``<archive>/feed/atom/``).

As in WordPress, every item carries the post's summary; with the site's
"full text in feeds" on, it also carries the whole body (``content:encoded``
in RSS, ``<content>`` in Atom), with the same responsive images the article
shows and every link and image made absolute for feed readers. Protected
posts never carry their body or their featured image.

Feeds answer conditional GETs: Last-Modified is the latest ``published_at``
or ``updated_at`` over every published post the feed covers (one query over
indexes, so a scheduled post going live changes it), and the ETag also follows
which posts the feed shows and the settings that change what the feed says.
"""

import copy
import hashlib
import re
from html import unescape
from urllib.parse import urljoin

from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.views.decorators.http import condition

from blog.categories.models import Category
from blog.media.processing import MIME_TYPES
from blog.pagecache import deps
from blog.sitesettings.models import SiteSettings

from .models import Post

# WordPress's default for "Syndication feeds show the most recent N items".
FEED_ITEMS = 10

# A start tag, whose quoted attribute values may hold ">".
_START_TAG = re.compile(r"""<[a-zA-Z][^\s/>]*(?:[^>"']|"[^"]*"|'[^']*')*>""")
# One attribute; matching them in turn keeps a "src=" inside another value unread.
_ATTRIBUTE = re.compile(r"""([^\s"'=<>/]+)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]+)""")
_URL_ATTRIBUTES = frozenset({"href", "src"})


def absolute_urls(html, base):
    """
    ``html`` with every ``href``, ``src`` and ``srcset`` URL made absolute
    against ``base`` (an absolute URL: relative paths and ``#fragments``
    resolve as they would on that page). Feed readers show items away from
    the site, where a relative URL points nowhere.
    """

    def attribute(match):
        name, value = match[1].lower(), match[3]
        if name not in _URL_ATTRIBUTES and name != "srcset":
            return match[0]
        value = unescape(value[1:-1] if value[0] in "\"'" else value).strip()
        if name == "srcset":
            candidates = (c.split() for c in value.split(",") if c.strip())
            value = ", ".join(" ".join([urljoin(base, url), *rest]) for url, *rest in candidates)
        else:
            value = urljoin(base, value)
        return f'{match[1]}="{escape(value)}"'

    def tag(match):
        return _ATTRIBUTE.sub(attribute, match[0])

    return _START_TAG.sub(tag, html)


class ContentRssFeed(Rss201rev2Feed):
    """RSS 2.0 with the full body in ``content:encoded`` and the feed's own build date."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content") is not None:
            handler.addQuickElement("content:encoded", item["content"])

    def latest_post_date(self):
        # The same instant as Last-Modified, which also counts posts past the last item.
        return self.feed.get("last_change") or super().latest_post_date()


class ContentAtomFeed(Atom1Feed):
    """Atom with the full body in ``<content type="html">`` and the feed's own updated date."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content") is not None:
            handler.addQuickElement("content", item["content"], {"type": "html"})

    def latest_post_date(self):
        return self.feed.get("last_change") or super().latest_post_date()


class Moved(Exception):  # noqa: N818 - a redirect, not an error
    def __init__(self, url):
        self.url = url


class ConditionalFeed(Feed):
    """
    A feed that answers conditional GETs with 304.

    One instance serves every request to its URL, so each request works on a
    copy holding ``request`` and ``site`` (the site settings). Subclasses give
    ``changes(obj)``: a queryset aggregate with ``latest`` (a datetime or None)
    and ``count``. ``atom=True`` makes the Atom variant.
    """

    feed_type = ContentRssFeed

    def __init__(self, *, atom=False):
        super().__init__()
        if atom:
            self.feed_type = ContentAtomFeed

    def __call__(self, request, *args, **kwargs):
        feed = copy.copy(self)
        feed.request = request
        feed.site = SiteSettings.current()
        try:
            return feed.respond(request, *args, **kwargs)
        except Moved as moved:
            return redirect(moved.url, permanent=True)

    def respond(self, request, *args, **kwargs):
        try:
            obj = self.get_object(request, *args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404("Feed object does not exist.") from None
        changes = self.changes(obj)
        self.last_change = changes["latest"]
        etag = self.etag(changes)

        @condition(
            etag_func=lambda request: etag, last_modified_func=lambda request: self.last_change
        )
        def render(request):
            feedgen = self.get_feed(obj, request)
            response = HttpResponse(content_type=feedgen.content_type)
            feedgen.write(response, "utf-8")
            return response

        return render(request)

    def etag(self, changes):
        parts = [
            self.request.path,
            changes["latest"].isoformat() if changes["latest"] else "",
            changes["count"],
            self.site.feed_full_text,
            self.site.title,
            self.site.tagline,
        ]
        return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]

    def feed_guid(self, obj):
        # Distinct for every feed, where the site's link would be shared by several.
        return self.absolute(self.request.path)

    def feed_extra_kwargs(self, obj):
        return {"last_change": self.last_change}

    def absolute(self, path):
        return self.request.build_absolute_uri(path)

    def tag_uri(self, kind, pk, created_at):
        # Stable across slug and date changes, unlike the permalink.
        return f"tag:{self.request.get_host().split(':')[0]},{created_at:%Y-%m-%d}:{kind}-{pk}"


def latest_of(*dates):
    return max((d for d in dates if d is not None), default=None)


class PostFeed(ConditionalFeed):
    """The site's latest published posts; archive feeds narrow ``posts``."""

    def posts(self, obj):
        return Post.objects.published()

    def changes(self, obj):
        # Kept for items(): a category's posts read its descendants' ids once.
        self.feed_posts = self.posts(obj)
        # One query that reads indexes, not every post the feed covers: the
        # items shown (ten entries of the listing index) and the latest edit
        # of any of them (the first entry of the updated_at index), so it
        # costs the same at 100,000 posts as at 100.
        last_edit = self.feed_posts.order_by("-updated_at").values("updated_at")[:1]
        shown = (
            self.feed_posts.order_by("-published_at", "-pk")
            .annotate(last_edit=Subquery(last_edit))
            .values_list("pk", "published_at", "last_edit")[:FEED_ITEMS]
        )
        dates = [date for _, published, edited in shown for date in (published, edited)]
        return {
            "latest": latest_of(*dates),
            # Which posts are shown: one unpublished or deleted changes the ETag.
            "count": ",".join(str(pk) for pk, _, _ in shown),
        }

    def list_keys(self, obj):
        """The page cache's keys (blog/pagecache/deps.py) for which posts the feed lists."""
        return {"list:posts"}

    def title(self, obj):
        return self.site.title

    def description(self, obj):
        return self.site.tagline

    def link(self, obj):
        return reverse("posts:home")

    def items(self, obj):
        posts = list(
            self.feed_posts.select_related("author", "featured_image")
            # Lists, not querysets: a related manager's queryset costs as much
            # to build for each post as its share of the query.
            .prefetch_related(
                Prefetch("categories", to_attr="feed_categories"),
                Prefetch("tags", to_attr="feed_tags"),
            )
            .order_by("-published_at", "-pk")[:FEED_ITEMS]
        )
        # The page cache keeps the feed until one of these changes.
        deps.record(self.request, deps.for_feed(posts, self.list_keys(obj)))
        full = [p for p in posts if not p.password] if self.site.feed_full_text else []
        for post in full:
            # The article as stored on save: heading ids and responsive images.
            post.feed_content = absolute_urls(
                post.content_html, self.absolute(post.get_absolute_url())
            )
        return posts

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        # Readers treat the description as HTML; the summary is plain text.
        return escape(post.summary)

    def item_extra_kwargs(self, post):
        return {"content": getattr(post, "feed_content", None)}

    def item_guid(self, post):
        return self.tag_uri("post", post.pk, post.created_at)

    item_guid_is_permalink = False

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        # A post saved before its scheduled time was not updated before it appeared.
        return latest_of(post.published_at, post.updated_at)

    def item_author_name(self, post):
        return post.author.public_name

    def item_author_link(self, post):
        return self.absolute(post.author.get_absolute_url())

    def item_categories(self, post):
        return [term.name for term in (*post.feed_categories, *post.feed_tags)]

    def item_comments(self, post):
        return f"{self.absolute(post.get_absolute_url())}#comments"

    def item_enclosure_url(self, post):
        if post.featured_image and not post.password:
            return self.absolute(post.featured_image.url)
        return None

    def item_enclosure_length(self, post):
        return post.featured_image.file_size

    def item_enclosure_mime_type(self, post):
        return MIME_TYPES[post.featured_image.format]


class CategoryFeed(PostFeed):
    """A category's posts, with those of the categories below it."""

    def get_object(self, request, path):
        category = get_object_or_404(
            Category.objects.with_parents(), slug=path.rstrip("/").rsplit("/", 1)[-1]
        )
        if category.path != path:
            raise Moved(reverse(request.resolver_match.view_name, kwargs={"path": category.path}))
        return category

    def posts(self, category):
        return super().posts(category).in_category(category)

    def list_keys(self, category):
        return {f"list:category:{category.pk}", f"category:{category.pk}"}

    def title(self, category):
        return f"{self.site.title} » {category.name}"

    def description(self, category):
        return category.description or self.site.tagline

    def link(self, category):
        return category.get_absolute_url()


class TagFeed(PostFeed):
    def get_object(self, request, slug):
        # The same tags as the archive's, and the same 404 for any other.
        return get_object_or_404(Post.objects.published().tags(), slug=slug)

    def posts(self, tag):
        return super().posts(tag).filter(tags=tag)

    def list_keys(self, tag):
        return {f"list:tag:{tag.pk}", f"tag:{tag.pk}"}

    def title(self, tag):
        return f"{self.site.title} » {tag.name}"

    def link(self, tag):
        return reverse("posts:tag", kwargs={"slug": tag.slug})


class AuthorFeed(PostFeed):
    def get_object(self, request, slug):
        # The same authors as the archive's, and the same 404 for any other.
        return get_object_or_404(Post.objects.published().authors(), slug=slug)

    def posts(self, author):
        return super().posts(author).filter(author=author)

    def list_keys(self, author):
        return {f"list:author:{author.pk}", f"author:{author.pk}"}

    def title(self, author):
        return f"{self.site.title} » Posts by {author.public_name}"

    def description(self, author):
        return author.bio or self.site.tagline

    def link(self, author):
        return author.get_absolute_url()
