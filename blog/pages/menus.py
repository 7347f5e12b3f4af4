"""
The header menu, built once and cached.

What the header shows: the menu chosen in the site settings
(``SiteSettings.header_menu``); with none chosen, the published top-level
pages in their menu order after a Home link (as WordPress's page menu
fallback does); with no pages either, Home and the RSS feed.

Speed: a menu is read in one query (its items with their pages, posts, tags
and categories with two levels of parents), whatever its size, and the
built tree (labels and URLs, plain data) is kept in Django's cache under a
key that holds a version. Every save or delete of a menu, menu item, page,
post, category, tag or of the site settings writes a new version (see
``forget_menus``, connected in ``PagesConfig.ready()``), so the next request
builds afresh. Pages and posts that are published but scheduled for later
are left out, and the cached tree expires at the earliest such time, so a
scheduled page appears in the menu when it goes live with nothing saved.
"""

import math
import uuid
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from blog.pagecache import versions
from blog.posts.models import Post
from blog.sitesettings.models import CACHE_KEY as SETTINGS_CACHE_KEY
from blog.sitesettings.models import SiteSettings

from .models import MenuItem, Page

VERSION_KEY = "menus:version"
# A safety net for changes that send no signals (QuerySet.update, raw SQL).
CACHE_SECONDS = 60 * 60
# The header shows two levels; deeper items join their second-level ancestor's list.
HEADER_LEVELS = 2


@dataclass
class Link:
    """One link of a menu as the header renders it."""

    label: str
    url: str
    id: str = ""
    depth: int = 1
    current: bool = False
    children: list = field(default_factory=list)
    # A MIME type for links to something other than a page (the RSS feed).
    type: str = ""


def forget_menus(**kwargs):
    """
    Signal receiver: menus built before this change are not used again. Runs
    now, for the rest of this transaction, and once more on commit, so a
    request that rebuilt the menu from the old rows meanwhile is not kept.
    """
    _new_version()
    transaction.on_commit(_new_version, using=kwargs.get("using"))
    # The page cache keeps the rendered header apart, under this key.
    versions.bump({"menu"}, using=kwargs.get("using"))


def forget_header_menu_choice(**kwargs):
    """
    Signal receiver for a deleted menu: the database empties the header menu
    choice (SET_NULL) without saving the settings, so their cached copy goes too.
    """
    cache.delete(SETTINGS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(SETTINGS_CACHE_KEY), using=kwargs.get("using"))


def _new_version():
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, None)
    return version


def _version():
    # A missing version (evicted, or a fresh cache) starts a new one: never
    # an old number that could meet a tree cached before.
    return cache.get(VERSION_KEY) or _new_version()


def header_links(path=""):
    """
    The header's links, top level first, each with its submenu (one level):
    a list of ``Link``. ``path`` (the request's) marks the current page's link.
    """
    menu_id = SiteSettings.current().header_menu_id
    if menu_id is not None:
        tree = _cached(f"menu:{menu_id}", lambda: _menu_tree(menu_id))
        links = _for_header(tree)
    else:
        links = _cached("pages", _pages_tree)
        if links:
            links = [Link("Home", reverse("posts:home")), *links]
    if not links:
        links = [
            Link("Home", reverse("posts:home")),
            Link("RSS feed", reverse("posts:feed"), type="application/rss+xml"),
        ]
    _mark_current(links, path)
    return links


def _cached(name, build):
    key = f"menus:{_version()}:{name}"
    found = cache.get(key)
    if found is None:
        found, expires_at = build()
        timeout = CACHE_SECONDS
        if expires_at is not None:
            # Rounded up: the tree is rebuilt just after the scheduled time, never before.
            seconds = math.ceil((expires_at - timezone.now()).total_seconds())
            timeout = max(1, min(timeout, seconds))
        cache.set(key, found, timeout)
    return found


def _menu_tree(menu_id):
    """
    ``(links, expires_at)``: the menu's visible items as a tree of ``Link``,
    in one query, and the earliest time a scheduled target goes live (or None).
    """
    items = (
        MenuItem.objects.filter(menu_id=menu_id)
        .select_related("page", "post", "tag", "category__parent__parent")
        .defer("page__body", "page__body_html", "post__body", "post__body_html")
        .order_by("order", "pk")
    )
    children, expires_at = {}, None
    for item in items:
        target = item.target
        if isinstance(target, Post) and not target.is_published:
            # Hidden with everything under it. Scheduled ones come back on time.
            if target.is_scheduled and (expires_at is None or target.published_at < expires_at):
                expires_at = target.published_at
            continue
        link = Link(item.display_label, item.get_target_url(), id=f"menu-item-{item.pk}")
        children.setdefault(item.parent_id, []).append((item.pk, link))
    return _attach(children, None, depth=1, seen=set()), expires_at


def _attach(children, parent_id, depth, seen):
    links = []
    for pk, link in children.get(parent_id, []):
        if pk in seen:  # a loop saved past clean() must not hang the page
            continue
        seen.add(pk)
        link.depth = depth
        link.children = _attach(children, pk, depth + 1, seen)
        links.append(link)
    return links


def _for_header(tree):
    """Two levels: items below the second join their level-2 ancestor's list, in tree order."""
    return [
        Link(
            top.label,
            top.url,
            id=top.id,
            depth=1,
            children=[
                Link(link.label, link.url, id=link.id, depth=link.depth)
                for child in top.children
                for link in _walk(child)
            ],
        )
        for top in tree
    ]


def _walk(link):
    yield link
    for child in link.children:
        yield from _walk(child)


def _pages_tree():
    """The published top-level pages in menu order, and when the next scheduled one goes live."""
    pages = (
        Page.objects.top_level()
        .filter(status=Post.Status.PUBLISHED)
        .in_menu_order()
        .only("kind", "title", "slug", "path", "status", "published_at", "menu_order")
    )
    links, expires_at = [], None
    for page in pages:
        if page.is_published:
            links.append(Link(page.title, page.get_absolute_url(), id=f"page-{page.pk}"))
        elif page.is_scheduled and (expires_at is None or page.published_at < expires_at):
            expires_at = page.published_at
    return links, expires_at


def _mark_current(links, path):
    for link in links:
        link.current = bool(path) and link.url == path
        _mark_current(link.children, path)
