"""
What a page showed, read from its view's context: the dependency keys the
cache records with it, and the time it stops being true by itself.

Keys (bumped by ``signals.py``):

- ``settings``: every page (title, tagline, time zone, lists' length, comment rules).
- ``post:<id>``: a post or page shown, whole or as a title in a list, a neighbour
  or a related post.
- ``comments:<id>``: a post's comment thread, or its comment count in a list.
- ``author:<id>``, ``category:<id>``, ``tag:<id>``, ``media:<id>``: what a post's
  meta line, its archive's heading or its featured image shows.
- ``list:posts``: which posts the home page, date archives and search list;
  ``list:category:<id>``, ``list:tag:<id>``, ``list:author:<id>``: which an archive lists.
- ``adjacent:<id>``: an article's previous and next posts; ``related:category:<id>``
  and ``related:tag:<id>``: the posts an article may list as related.
- ``pages``: a page's breadcrumbs and subpages (any page published or moved).

The header menu and the sidebar are no dependency: they are cached apart and
put into each page as it is served (see ``templatetags/pagecache.py``).
"""

import datetime

from django.utils import timezone

from blog.posts.models import Post
from blog.sitesettings.models import SiteSettings

NEXT_PUBLISH_KEY = "pc:next_publish"
_NONE = "none"


def _post_keys(post, keys, closes):
    keys.add(f"post:{post.pk}")
    keys.add(f"comments:{post.pk}")
    if post.author_id:
        keys.add(f"author:{post.author_id}")
    if getattr(post, "featured_image_id", None):
        keys.add(f"media:{post.featured_image_id}")
    cache = getattr(post, "_prefetched_objects_cache", {})
    for category in cache.get("categories", ()):
        keys.add(f"category:{category.pk}")
        # Its URL holds its parents' slugs.
        if category.parent_id:
            keys.add(f"category:{category.parent_id}")
    for tag in cache.get("tags", ()):
        keys.add(f"tag:{tag.pk}")
    closing = comments_close_at(post)
    if closing is not None:
        closes.append(closing)


def comments_close_at(post):
    """When the site's age limit closes comments on ``post``, if that is still to come."""
    days = SiteSettings.current().close_comments_after_days
    if not days or not post.published_at or getattr(post, "comment_mode", None) != "open":
        return None
    at = post.published_at + datetime.timedelta(days=days)
    return at if at > timezone.now() else None


def record(request, found):
    """
    What a view that renders no template (a feed) showed, as ``(keys,
    expires_at)``: the middleware keeps its answer with it, as it keeps a
    template's with ``from_context``'s.
    """
    if hasattr(request, "_pagecache_deps"):
        request._pagecache_deps = found


def for_feed(posts, list_keys):
    """
    ``(keys, None)`` for a feed of ``posts``: each entry's post, author, image
    and terms (``feed_categories`` and ``feed_tags``, prefetched as lists).
    """
    keys = {"settings", *list_keys}
    for post in posts:
        keys |= {f"post:{post.pk}", f"author:{post.author_id}"}
        if post.featured_image_id:
            keys.add(f"media:{post.featured_image_id}")
        keys |= {f"category:{category.pk}" for category in post.feed_categories}
        keys |= {f"tag:{tag.pk}" for tag in post.feed_tags}
    return keys, None


def from_context(context):
    """
    ``(keys, expires_at)`` for a page rendered with ``context``, or None when
    the page is not one the cache knows how to keep (anything but an article,
    a page, or a list of posts).
    """
    if not context:
        return None
    keys, closes = {"settings"}, []
    post = context.get("post")
    if isinstance(post, Post) and context.get("object") is post:
        if context.get("is_preview") or not post.is_published:
            return None
        _post_keys(post, keys, closes)
        keys.add(f"adjacent:{post.pk}")
        if post.kind == Post.Kind.PAGE:
            keys.add("pages")
        for category in getattr(post, "_prefetched_objects_cache", {}).get("categories", ()):
            keys.add(f"related:category:{category.pk}")
        for tag in getattr(post, "_prefetched_objects_cache", {}).get("tags", ()):
            keys.add(f"related:tag:{tag.pk}")
        for shown in (*(context.get("adjacent") or ()), *(context.get("related_posts") or ())):
            if shown is not None:
                keys.add(f"post:{shown.pk}")
    elif "page_obj" in context or "object_list" in context:
        object_list = context.get("object_list")
        if object_list is None:
            return None
        for listed in object_list:
            if not isinstance(listed, Post):
                return None
            _post_keys(listed, keys, closes)
        if context.get("category") is not None:
            keys |= {
                f"list:category:{context['category'].pk}",
                f"category:{context['category'].pk}",
            }
        elif context.get("tag") is not None:
            keys |= {f"list:tag:{context['tag'].pk}", f"tag:{context['tag'].pk}"}
        elif context.get("author") is not None:
            keys |= {f"list:author:{context['author'].pk}", f"author:{context['author'].pk}"}
        else:
            keys.add("list:posts")
    else:
        return None
    return keys, min(closes, default=None)


def next_scheduled_publish():
    """
    The earliest future ``published_at`` of any post or page (or None), cached
    until it passes or a post is saved (``signals.py`` forgets it).
    """
    from django.core.cache import cache

    known, nxt = next_publish_if_known()
    if known:
        return nxt
    nxt = (
        Post.any_kind.filter(status=Post.Status.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    cache.set(NEXT_PUBLISH_KEY, _NONE if nxt is None else nxt, None)
    return nxt


def next_publish_if_known():
    """
    ``(known, when)``: the next scheduled publish time as the cache holds it,
    without asking the database (``known`` is False when the cache has none).
    """
    from django.core.cache import cache

    found = cache.get(NEXT_PUBLISH_KEY)
    if found is None or found != _NONE and found <= timezone.now():
        return False, None
    return True, None if found == _NONE else found


def forget_next_publish():
    from django.core.cache import cache

    cache.delete(NEXT_PUBLISH_KEY)
