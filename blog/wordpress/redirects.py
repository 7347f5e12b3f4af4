"""
WordPress's old addresses, each answered with one 301 to where its content is now.

Two entry points, both used by ``middleware.OldAddressMiddleware``:

- ``url_for_query(params)``: the query-string forms WordPress answers at the
  site root (``/?p=123``, ``/?page_id=``, ``/?attachment_id=``, ``/?cat=``,
  ``/?tag=``, ``/?author=``, ``/?feed=rss2``, ``/?m=201402``, ``/?paged=2``…).
  They are resolved before any view or page cache sees the request.
- ``url_for_path(path, query_string)``: an address nothing else here answered
  (a 404): an imported item's old ``<link>`` whatever the old permalink
  structure (``/2014/02/slug/``, ``/slug/``, ``/archives/123``,
  ``/index.php/…``, ``/blog/?p=123``), an old slug (``PostRedirect``), an old
  upload under ``…/wp-content/uploads/…`` or ``…/files/…`` including its size
  variants (``photo-300x200.jpg``), in one or two indexed queries; feeds'
  other names (``/category/news/feed/rss2/``); and the
  query forms at the root of a site that WordPress ran in a subfolder
  (``/blog/?p=123``).

Both return the final address (never one that redirects again), or None when
there is none: an unknown id, or a target readers may not see (a draft's old
address is a 404, as its new one is). When two imported sites used the same
id or the same old address, the most recent import wins.

The importer stores each object's old address as ``old_path_of(url)`` gives
it; the lookup also accepts the percent-encoded and the slash-toggled forms.
"""

import datetime
import re
from urllib.parse import quote, unquote, urlsplit

from django.contrib.contenttypes.models import ContentType
from django.http import QueryDict
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from taggit.models import Tag

from blog.accounts.models import User
from blog.categories.models import Category
from blog.media.models import Image, MediaFile, Rendition
from blog.posts.models import Post, PostRedirect

from .models import Origin, Site

Kind = Origin.Kind

# ?name=ID parameters and the kinds of object their id may name. WordPress
# numbers posts, pages and attachments in one sequence, so ?p= finds any.
ID_PARAMETERS = {
    "p": (Kind.POST, Kind.PAGE, Kind.ATTACHMENT),
    "page_id": (Kind.PAGE, Kind.POST),
    "attachment_id": (Kind.ATTACHMENT,),
    "cat": (Kind.CATEGORY,),
    "author": (Kind.AUTHOR,),
}
# The kinds of object that have an address of their own (not comments or menus).
ADDRESSED_KINDS = (
    Kind.POST,
    Kind.PAGE,
    Kind.ATTACHMENT,
    Kind.CATEGORY,
    Kind.TAG,
    Kind.AUTHOR,
)
SLUG_PARAMETERS = ("tag", "category_name", "name", "pagename")
OTHER_PARAMETERS = ("feed", "m", "paged")
# The parameters that make the middleware act on a request for the site root.
QUERY_PARAMETERS = frozenset({*ID_PARAMETERS, *SLUG_PARAMETERS, *OTHER_PARAMETERS})

# ?feed= values (and the old feed files) and the feed each one became.
FEEDS = {
    "rss2": "posts:feed",
    "rss": "posts:feed",
    "rdf": "posts:feed",
    "atom": "posts:feed_atom",
    "comments-rss2": "comments:feed",
    "comments-atom": "comments:feed_atom",
}

_FEED_VARIANT = re.compile(r"(?P<prefix>/(?:.+/)?)feed/(?:rss2|rss|rdf)/?")
_DIGITS = re.compile(r"[0-9]{1,18}")
_MONTH_ARCHIVE = re.compile(r"([0-9]{4})([0-9]{2})?([0-9]{2})?")
# The last part of an upload's address: WordPress names its resized copies
# "<name>-<width>x<height>.<ext>" and, since 5.3, keeps a big original's
# downsized copy as "<name>-scaled.<ext>" (the attachment's own file then).
_UPLOAD_NAME = re.compile(
    r"(?P<stem>.+?)(?:-(?P<width>[0-9]{1,5})x[0-9]{1,5})?(?P<scaled>-scaled)?"
    r"(?P<ext>\.[A-Za-z0-9]{1,5})"
)
# WordPress serves uploads from wp-content/uploads/ (multisite: also
# .../uploads/sites/N/) and, on WordPress.com and old multisite, from files/.
_UPLOAD_DIR = re.compile(r"(?P<prefix>.*?/)(?P<dir>wp-content/uploads/(?:sites/[0-9]+/)?|files/)")
_EXTENSION_FORMATS = {
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".jpe": "JPEG",
    ".png": "PNG",
    ".webp": "WEBP",
    ".gif": "GIF",
}


def old_path_of(url):
    """
    What an imported object's old address is stored as: the path of ``url``
    (any host), percent-decoded, with its query string when it had one
    (``http://old.example/?p=123`` → ``/?p=123``).
    """
    parts = urlsplit(url)
    path = unquote(parts.path) or "/"
    return f"{path}?{parts.query}" if parts.query else path


# -- query-string forms ---------------------------------------------------------


def wants_query_redirect(request):
    """
    Whether ``request`` is one of WordPress's query-string addresses: a GET or
    HEAD of ``/`` or ``/index.php`` carrying one of QUERY_PARAMETERS (and not
    a search, which the posts app redirects). Reads no database.
    """
    if request.method not in ("GET", "HEAD") or not request.META.get("QUERY_STRING"):
        return False
    if request.path_info not in ("/", "/index.php"):
        return False
    params = request.GET
    return "s" not in params and not QUERY_PARAMETERS.isdisjoint(params)


def url_for_query(params):
    """The address a root query string (a ``QueryDict``) names now, or None."""
    feed = params.get("feed")
    for name, kinds in ID_PARAMETERS.items():
        if name in params:
            target = _latest_target(kinds, params[name])
            return _with_feed(target, feed) if feed else url_of(target)
    for name in SLUG_PARAMETERS:
        if name in params:
            return _slug_target_url(name, params[name], feed)
    if "m" in params:
        return _date_archive_url(params["m"])
    if "paged" in params:
        return _home_page_url(params["paged"])
    if feed is not None:
        return _reverse(FEEDS.get(feed or "rss2"))
    return None


def _latest_target(kinds, value):
    """The object the most recent import of WordPress id ``value`` became."""
    if not _DIGITS.fullmatch(value or ""):
        return None
    origin = (
        Origin.objects.filter(kind__in=kinds, wp_id=int(value))
        .select_related("content_type")
        .order_by("-imported_at", "-pk")
        .first()
    )
    return origin.target if origin else None


def _slug_target_url(parameter, value, feed):
    value = (value or "").strip("/")
    if not value:
        return None
    if parameter == "tag":
        target = Tag.objects.filter(slug=value).first()
    elif parameter == "category_name":
        # WordPress accepts the category's path; slugs are unique here.
        target = Category.objects.with_parents().filter(slug=value.rsplit("/", 1)[-1]).first()
    elif parameter == "name":
        target = Post.objects.published().filter(slug=value).first()
    else:
        target = Post.any_kind.published().filter(kind=Post.Kind.PAGE, path=value).first()
    return _with_feed(target, feed) if feed else url_of(target)


def _date_archive_url(value):
    """``?m=2014``, ``?m=201402``, ``?m=20140222``: the date archive."""
    match = _MONTH_ARCHIVE.fullmatch(value or "")
    if not match:
        return None
    year, month, day = match.groups()
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None  # ?m=201413: no such month
    if day:
        return _reverse("posts:day", year=int(year), month=int(month), day=int(day))
    if month:
        return _reverse("posts:month", year=int(year), month=int(month))
    return _reverse("posts:year", year=int(year))


def _home_page_url(value):
    if not _DIGITS.fullmatch(value or ""):
        return None
    page = int(value)
    return _reverse("posts:home") if page <= 1 else _reverse("posts:home_page", page=page)


def _with_feed(target, feed):
    """``?feed=`` beside an object: the object's own feed (``?cat=3&feed=rss2``)."""
    if url_of(target) is None:
        return None
    suffix = "_atom" if feed.endswith("atom") else ""
    if isinstance(target, Post) and target.kind == Post.Kind.POST:
        return _reverse(f"comment_feeds:post_feed{suffix}", **target.permalink_kwargs())
    if isinstance(target, Category):
        return _reverse(f"posts:category_feed{suffix}", path=target.path)
    if isinstance(target, Tag):
        return _reverse(f"posts:tag_feed{suffix}", slug=target.slug)
    if isinstance(target, User):
        return _reverse(f"posts:author_feed{suffix}", username=target.username)
    return url_of(target)


def _reverse(name, **kwargs):
    if name is None:
        return None
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


# -- what an object's address is ------------------------------------------------


def url_of(target):
    """
    The address readers find ``target`` at now, or None when they may not
    see it (a post or page that is not published) or it has none.
    """
    if target is None:
        return None
    if isinstance(target, Post):
        return target.get_absolute_url() if target.is_published else None
    if isinstance(target, Image | MediaFile):
        return target.url
    if isinstance(target, Category | User):
        return target.get_absolute_url()
    if isinstance(target, Tag):
        return _reverse("posts:tag", slug=target.slug)
    return None


# -- old paths --------------------------------------------------------------------


def url_for_path(path, query_string=""):
    """
    The address an old path (decoded, as ``request.path_info``) names now,
    or None. One query on ``Origin.old_path``, and one on ``PostRedirect``
    when that finds nothing; an old upload's size variant may add one more
    to pick the closest rendition.
    """
    feed = _feed_variant_url(path)
    if feed is not None:
        return feed
    candidates = _path_candidates(path, query_string)
    found = list(
        Origin.objects.filter(kind__in=ADDRESSED_KINDS, old_path__in=[c.path for c in candidates])
        .select_related("content_type")
        .order_by("-imported_at", "-pk")
    )
    if found:
        rank = {c.path: n for n, c in enumerate(candidates)}
        # Most precise candidate first; among equals, the most recent import.
        origin = min(found, key=lambda o: rank[o.old_path])
        candidate = candidates[rank[origin.old_path]]
        url = _upload_url(origin, candidate) if candidate.width else url_of(origin.target)
    else:
        short = [c.path for c in candidates if len(c.path) <= 400 and not c.width]
        moved = (
            PostRedirect.objects.select_related("post")
            .filter(old_path__in=short)
            .order_by("-created_at", "-pk")
            .first()
        )
        url = url_of(moved.post) if moved else None
        if moved is None and query_string:
            url = _subfolder_query_url(path, query_string)
    if url and url == path and not query_string:
        return None  # never answer an address with itself
    return url


def _feed_variant_url(path):
    """
    WordPress's other names of a feed, at any archive or post:
    ``/category/news/feed/rss2/`` is ``/category/news/feed/``. No query.
    """
    match = _FEED_VARIANT.fullmatch(path)
    if match is None:
        return None
    url = f"{match['prefix']}feed/"
    try:
        found = resolve(url)
    except Resolver404:
        return None
    return url if "feed" in (found.url_name or "") else None


def _subfolder_query_url(path, query_string):
    """
    A query form at the root of a site WordPress ran in a subfolder
    (``/blog/?cat=4`` for ``https://example.com/blog``): as at the root here.
    One more query, only for a 404 carrying one of QUERY_PARAMETERS.
    """
    params = QueryDict(query_string)
    if "s" in params or QUERY_PARAMETERS.isdisjoint(params):
        return None
    folder = path.removesuffix("index.php").rstrip("/")
    if not folder:
        return None
    for base_url in Site.objects.values_list("base_url", flat=True):
        if unquote(urlsplit(base_url).path).rstrip("/") == folder:
            return url_for_query(params)
    return None


class _Candidate:
    """One form an old address may have been stored in, and for an upload's size
    variant, the width and format asked for."""

    __slots__ = ("path", "width", "image_format")

    def __init__(self, path, width=None, image_format=None):
        self.path, self.width, self.image_format = path, width, image_format


def _path_candidates(path, query_string):
    """
    The stored forms that may match ``path`` (most precise first): with its
    query string, as given, without ``/index.php``, slash toggled, percent-
    encoded; for an upload, the original of a size variant (and its
    ``-scaled`` copy) and the other upload folder.
    """
    forms = []
    if query_string:
        forms.append(f"{path}?{unquote(query_string)}")
        forms.append(f"{path}?{query_string}")
    forms.append(path)
    if path.startswith("/index.php/"):
        forms.append(path[len("/index.php") :])
    forms += [p[:-1] if p.endswith("/") else f"{p}/" for p in list(forms) if p != "/"]
    candidates = [_Candidate(p) for p in forms]
    candidates += _upload_candidates(path)
    for candidate in list(candidates):
        encoded = quote(candidate.path, safe="/?=&;:@!$'()*+,~")
        if encoded != candidate.path:
            lower = re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), encoded)
            for form in dict.fromkeys([encoded, lower]):
                candidates.append(_Candidate(form, candidate.width, candidate.image_format))
    unique = {}
    for candidate in candidates:
        unique.setdefault(candidate.path, candidate)
    return list(unique.values())


def _upload_candidates(path):
    """An old upload's other names: its original for a size variant, the other folder."""
    directory = _UPLOAD_DIR.match(path)
    if directory is None:
        return []
    rest = path[directory.end() :]
    folder, _, name = rest.rpartition("/")
    match = _UPLOAD_NAME.fullmatch(name)
    if match is None:
        return []
    stem, ext = match["stem"], match["ext"]
    width = int(match["width"]) if match["width"] else None
    image_format = _EXTENSION_FORMATS.get(ext.lower())
    # Same name first; then the original of a size variant and its -scaled copy.
    names = [(name, None)]
    if width:
        names += [(f"{stem}{ext}", width), (f"{stem}-scaled{ext}", width)]
    elif match["scaled"]:
        names += [(f"{stem}{ext}", None)]
    prefix = directory["prefix"]
    dirs = [directory["dir"]]
    # A WordPress.com file's old address is on its files host, with no folder:
    # https://example.files.wordpress.com/2014/02/photo.jpg is stored as
    # /2014/02/photo.jpg, and example.com/files/2014/02/photo.jpg led there.
    dirs += [d for d in ("wp-content/uploads/", "files/", "") if d not in dirs]
    folder = f"{folder}/" if folder else ""
    return [
        _Candidate(f"{prefix}{d}{folder}{n}", w, image_format if w else None)
        for d in dirs
        for n, w in names
    ]


def _upload_url(origin, candidate):
    """
    A size variant of an old image: the image's closest rendition at least as
    wide, in the format the old address had, or else the image itself.
    """
    if origin.content_type_id == ContentType.objects.get_for_model(Image).pk:
        rendition = (
            Rendition.objects.filter(
                image_id=origin.object_id,
                format=candidate.image_format,
                width__gte=candidate.width,
            )
            .order_by("width")
            .first()
        )
        if rendition is not None:
            return rendition.url
    return url_of(origin.target)
