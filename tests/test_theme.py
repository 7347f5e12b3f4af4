"""
The public theme, without a browser: what it loads, from where, and how much;
its landmarks and alt text; its 404 and 500 pages.
"""

import datetime
import gzip
import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from tests.factories import CategoryFactory, CommentFactory, PostFactory, UserFactory
from tests.helpers import one, page, text_of
from tests.media.factories import ImageFactory

# The whole site's CSS, JS and fonts, compressed as whitenoise serves them.
BUDGET = 50 * 1024
PUBLISHED = datetime.datetime(2014, 2, 22, 19, 30, tzinfo=datetime.UTC)
# Tags whose URLs the browser fetches by itself, with the attributes that hold them.
FETCHED = {
    "link": ["href"],
    "script": ["src"],
    "img": ["src", "srcset"],
    "source": ["src", "srcset"],
    "iframe": ["src"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "embed": ["src"],
    "object": ["data"],
}
CSS_URL = re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s;]+)|url\(\s*["']?([^"')]+)""")


@pytest.fixture
def site(db):
    author = UserFactory(username="maria", display_name="Maria Keller", bio="Writes.")
    marketing = CategoryFactory(name="Marketing", slug="marketing")
    post = PostFactory(
        title="WhatsApp crashes and leaves millions speechless",
        author=author,
        published_at=PUBLISHED,
        categories=[marketing],
        tags=["whatsapp"],
        featured_image=ImageFactory(alt_text="A phone with no signal"),
    )
    CommentFactory(post=post, name="Sophie", url="https://sophie.example.com/")
    return post


@pytest.fixture
def pages(client, site):
    """The HTML of one page of each kind readers see."""
    paths = [
        "/",
        site.get_absolute_url(),
        "/category/marketing/",
        "/tag/whatsapp/",
        "/author/maria-keller/",
        "/2014/02/",
        "/search/?q=whatsapp",
    ]
    found = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        found[path] = page(response)
    return found


def fetched_urls(soup):
    for tag in soup.find_all(FETCHED):
        if tag.name == "link" and tag.get("rel") in ("alternate", "canonical"):
            continue  # Links to other documents, not loaded with the page.
        for attribute in FETCHED[tag.name]:
            value = tag.get(attribute)
            if not value:
                continue
            if attribute == "srcset":
                yield from (part.split()[0] for part in value.split(",") if part.strip())
            else:
                yield value


def is_same_origin(url):
    parts = urlsplit(url)
    return parts.scheme in ("", "http", "https") and parts.netloc in ("", "testserver")


def assets(soup):
    """Stylesheets, scripts and fonts a page loads, as local paths."""
    for tag in soup.find_all("link"):
        if tag.get("rel") in ("stylesheet", "preload", "modulepreload"):
            yield tag["href"]
    for tag in soup.find_all("script", src=True):
        yield tag["src"]


def test_pages_fetch_nothing_from_another_origin(pages):
    for path, soup in pages.items():
        foreign = [url for url in fetched_urls(soup) if not is_same_origin(url)]
        assert foreign == [], f"{path} loads {foreign}"


def test_css_js_and_fonts_fit_the_budget(client, pages):
    queue = sorted({url for soup in pages.values() for url in assets(soup)})
    assert any(url.endswith(".css") for url in queue), "no stylesheet found"
    sizes = {}
    while queue:
        url = queue.pop()
        assert is_same_origin(url) and urlsplit(url).path.startswith("/static/"), url
        path = urlsplit(url).path
        if path in sizes:
            continue
        response = client.get(path)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content)
        sizes[path] = len(gzip.compress(body, compresslevel=9))
        if path.endswith(".css"):
            for match in CSS_URL.finditer(body.decode()):
                target = match.group(1) or match.group(2)
                if not target.startswith("data:"):
                    queue.append(urljoin(path, target))
    assert sum(sizes.values()) < BUDGET, f"{sum(sizes.values())} bytes gzipped: {sizes}"


def test_pages_have_landmarks_skip_link_and_alt_text(pages):
    for path, soup in pages.items():
        body = soup.body
        # Top-level header and footer are the banner and contentinfo landmarks.
        assert len(body.find_all("header", recursive=False)) == 1, path
        assert len(body.find_all("footer", recursive=False)) == 1, path
        main = one(soup, "main")
        skip = soup.select_one("body > a.skip-link")
        assert skip is not None and skip["href"] == f"#{main['id']}", path
        assert one(soup, "header nav[aria-label]"), path
        assert one(soup, "aside[aria-label]"), path
        assert len(soup.find_all("h1")) == 1, path
        missing = [img.get("src") for img in soup.find_all("img") if img.get("alt") is None]
        assert missing == [], f"{path}: images without alt text {missing}"


def test_article_images_describe_themselves(pages, site):
    soup = pages[site.get_absolute_url()]
    alts = [img["alt"] for img in soup.select("main img")]
    assert "A phone with no signal" in alts
    assert all(alt.strip() for alt in alts), alts


def test_not_found_page_is_themed(client, site):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    soup = page(response)
    assert text_of(one(soup, "main h1")) == "Page not found"
    assert one(soup, "main a[href='/']")
    assert one(soup, "header .site-title a")
    assert one(soup, "link[rel=stylesheet]")["href"].startswith("/static/")


def test_server_error_page_renders_without_the_database():
    # No django_db mark: any query while rendering would raise here.
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    soup = page(response)
    assert text_of(one(soup, "main h1")) == "Something went wrong"
    assert one(soup, "link[rel=stylesheet]")["href"] == "/static/css/site.css"
    assert one(soup, "body > a.skip-link")["href"] == "#content"
    assert one(soup, "main a[href='/']")
