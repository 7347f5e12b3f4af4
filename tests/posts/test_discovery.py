"""
What search engines and link previews read: /sitemap.xml, /robots.txt, the
canonical link, title and description, Open Graph and Twitter tags, JSON-LD,
and noindex on later pages of lists.
"""

import datetime
import json
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.utils import timezone

from blog.posts import preview, seo
from blog.posts.models import Post
from blog.sitesettings.models import SiteSettings
from tests import query_counts
from tests.factories import CategoryFactory, PostFactory, UserFactory
from tests.helpers import one, page, text_of
from tests.media.factories import ImageFactory

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = "http://testserver"


def parse_xml(content):
    return ET.fromstring(content)  # noqa: S314 - the app's own output


def sitemap_entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = parse_xml(response.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    return {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in root.findall("sm:url", NS)
    }


def parse_w3c(value):
    return datetime.datetime.fromisoformat(value)


def to_the_second(moment):
    """Pages give times to the second."""
    return moment.replace(microsecond=0)


def head_meta(tree, prop):
    return [m.attrs["content"] for m in tree.select(f'meta[property="{prop}"]')]


def canonical(response):
    return one(page(response), 'link[rel="canonical"]').attrs["href"]


def json_ld(response):
    (script,) = page(response).select('script[type="application/ld+json"]')
    return json.loads(script.string)


# -- sitemap.xml ------------------------------------------------------------


@pytest.fixture
def site_content(now):
    jane = UserFactory(username="jane", display_name="Jane Doe")
    nobody = UserFactory(username="nobody", display_name="No Body")
    parent = CategoryFactory(name="Marketing", slug="marketing")
    child = CategoryFactory(name="SEO", slug="seo", parent=parent)
    empty = CategoryFactory(name="Empty", slug="empty")
    published = PostFactory(
        title="Live",
        author=jane,
        categories=[child],
        tags=["apps"],
        published_at=now - datetime.timedelta(days=3),
    )
    hidden = {
        "draft": PostFactory(
            title="Draft", author=nobody, status=Post.Status.DRAFT, published_at=None
        ),
        "pending": PostFactory(title="Pending", author=nobody, status=Post.Status.PENDING),
        "private": PostFactory(title="Private", author=nobody, status=Post.Status.PRIVATE),
        "scheduled": PostFactory(
            title="Scheduled",
            author=nobody,
            published_at=now + datetime.timedelta(days=2),
            categories=[empty, child],
            tags=["apps", "future"],
        ),
        "trash": PostFactory(title="Trashed", author=nobody),
    }
    hidden["trash"].trash()
    for post in hidden.values():
        post.categories.add(empty)
        post.tags.add("unseen")
    return {"published": published, "hidden": hidden, "parent": parent, "child": child}


def test_sitemap_lists_published_posts_and_their_archives(client, site_content):
    published = site_content["published"]
    entries = sitemap_entries(client)

    assert set(entries) == {
        f"{BASE}/",
        f"{BASE}{published.get_absolute_url()}",
        f"{BASE}/category/marketing/",
        f"{BASE}/category/marketing/seo/",
        f"{BASE}/tag/apps/",
        f"{BASE}/author/jane-doe/",
    }
    published.refresh_from_db()
    assert parse_w3c(entries[f"{BASE}{published.get_absolute_url()}"]) == to_the_second(
        published.updated_at
    )
    # Archives changed last when their newest post went live; the scheduled
    # post in SEO and "apps" does not count yet.
    went_live = to_the_second(published.published_at)
    for archive in ("/", "/category/marketing/", "/category/marketing/seo/", "/tag/apps/",
                    "/author/jane-doe/"):  # fmt: skip
        assert parse_w3c(entries[f"{BASE}{archive}"]) == went_live, archive


def test_sitemap_never_lists_hidden_posts(client, site_content):
    listed = " ".join(sitemap_entries(client))
    for post in site_content["hidden"].values():
        assert post.slug not in listed
    for hidden_archive in ("/category/empty/", "/tag/future/", "/tag/unseen/", "/author/no-body/"):
        assert hidden_archive not in listed


def test_scheduled_post_enters_the_sitemap_when_its_time_comes(client, site_content, now):
    scheduled = site_content["hidden"]["scheduled"]
    url = f"{BASE}{scheduled.get_absolute_url()}"
    assert url not in sitemap_entries(client)

    with time_machine.travel(now + datetime.timedelta(days=2, minutes=1)):
        entries = sitemap_entries(client)

    assert url in entries
    # Saved before it went live: its lastmod is the moment it appeared.
    assert parse_w3c(entries[url]) == to_the_second(scheduled.published_at)
    assert parse_w3c(entries[f"{BASE}/tag/future/"]) == to_the_second(scheduled.published_at)
    assert parse_w3c(entries[f"{BASE}/category/marketing/"]) == to_the_second(
        scheduled.published_at
    )
    assert f"{BASE}/author/no-body/" in entries


def test_sitemap_includes_categories_of_any_depth_in_constant_queries(client):
    categories = [CategoryFactory(slug="level-0")]
    for depth in range(1, 5):
        categories.append(CategoryFactory(slug=f"level-{depth}", parent=categories[-1]))
    PostFactory(categories=[categories[-1]])

    entries = sitemap_entries(client)

    paths = ["level-0"]
    for depth in range(1, 5):
        paths.append(f"{paths[-1]}/level-{depth}")
    for path in paths:
        assert f"{BASE}/category/{path}/" in entries


@pytest.mark.parametrize("count", [10, 100])
def test_sitemap_queries_do_not_grow_with_posts(client, django_assert_num_queries, count, now):
    authors = [UserFactory() for _ in range(3)]
    categories = [CategoryFactory()]
    categories.append(CategoryFactory(parent=categories[0]))
    for n in range(count):
        PostFactory(
            author=authors[n % 3],
            published_at=now - datetime.timedelta(hours=n + 1),
            categories=categories[: 1 + n % 2],
            tags=["apps", f"tag-{n}"],
        )
    PostFactory(status=Post.Status.DRAFT, published_at=None)

    with django_assert_num_queries(query_counts.SITEMAP):
        response = client.get("/sitemap.xml")

    root = parse_xml(response.content)
    # Home, the posts, both categories, "apps" and one tag per post, the authors.
    assert len(root.findall("sm:url", NS)) == 1 + count + 2 + 1 + count + 3


# -- robots.txt -------------------------------------------------------------


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_admin_and_search(
    client, settings, django_assert_num_queries
):
    settings.ALLOWED_HOSTS = ["blog.example.com"]
    with django_assert_num_queries(query_counts.SITE_SETTINGS):
        response = client.get("/robots.txt", HTTP_HOST="blog.example.com")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.text.splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /search/" in lines
    assert "Sitemap: http://blog.example.com/sitemap.xml" in lines
    assert "<" not in response.text


def test_robots_txt_sitemap_is_https_behind_https(client, settings):
    settings.ALLOWED_HOSTS = ["blog.example.com"]
    response = client.get("/robots.txt", HTTP_HOST="blog.example.com", secure=True)

    assert "Sitemap: https://blog.example.com/sitemap.xml" in response.text.splitlines()


# -- canonical, title, description ------------------------------------------


@pytest.fixture
def paged_category():
    SiteSettings.objects.create(pk=1, posts_per_page=2)
    category = CategoryFactory(name="SEO", slug="seo")
    for n in range(3):
        PostFactory(categories=[category], published_at=timezone.now() - datetime.timedelta(n + 1))
    return category


def test_canonical_link_on_home_article_and_archives(client, paged_category):
    post = Post.objects.published().first()

    assert canonical(client.get("/?utm_source=newsletter")) == f"{BASE}/"
    assert canonical(client.get(post.get_absolute_url() + "?ref=x")) == (
        f"{BASE}{post.get_absolute_url()}"
    )
    assert canonical(client.get("/category/seo/")) == f"{BASE}/category/seo/"
    # A later page of an archive is its own canonical, not page 1.
    assert canonical(client.get("/category/seo/page/2/")) == f"{BASE}/category/seo/page/2/"
    assert canonical(client.get("/page/2/")) == f"{BASE}/page/2/"


def test_og_url_matches_canonical(client, paged_category):
    tree = page(client.get("/category/seo/page/2/"))
    assert head_meta(tree, "og:url") == [f"{BASE}/category/seo/page/2/"]
    assert head_meta(tree, "og:type") == ["website"]
    assert head_meta(tree, "og:title") == [text_of(one(tree, "title"))]


def test_noindex_on_later_pages_of_lists_only(client, paged_category):
    for first, later in (("/", "/page/2/"), ("/category/seo/", "/category/seo/page/2/")):
        assert page(client.get(first)).select('meta[name="robots"]') == [], first
        robots = one(page(client.get(later)), 'meta[name="robots"]')
        assert robots.attrs["content"] == "noindex", later


def test_not_found_page_claims_no_canonical_address(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert page(response).select('link[rel="canonical"]') == []


def test_title_and_description_come_from_the_post(client):
    post = PostFactory(title="Q&A: the outage", excerpt="Why the app\nwent down & came back.")

    tree = page(client.get(post.get_absolute_url()))

    assert text_of(one(tree, "title")) == f"Q&A: the outage – {SiteSettings.current().title}"
    assert one(tree, 'meta[name="description"]').attrs["content"] == (
        "Why the app went down & came back."
    )
    assert head_meta(tree, "og:title") == ["Q&A: the outage"]
    assert head_meta(tree, "og:description") == ["Why the app went down & came back."]


def test_long_description_is_cut_at_a_word_boundary(client):
    words = "Messaging apps went dark for hours while engineers chased a routing fault"
    post = PostFactory(excerpt=f"{words} " * 5)

    description = one(page(client.get(post.get_absolute_url())), 'meta[name="description"]')

    content = description.attrs["content"]
    assert len(content) <= seo.DESCRIPTION_LENGTH
    assert content.endswith("…")
    assert content[:-1] == (f"{words} " * 5)[: len(content) - 1]
    assert (f"{words} " * 5)[len(content) - 1] == " "


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("short", "short"),
        ("a " * 100, ("a " * 80).strip() + "…"),
        ("x" * 200, "x" * 159 + "…"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
    ],
)
def test_meta_description_trims_text(text, expected):
    assert seo.meta_description(text) == expected


# -- Open Graph, Twitter, JSON-LD ---------------------------------------------


@pytest.fixture
def article():
    author = UserFactory(username="jane", display_name="Jane Doe")
    image = ImageFactory(size=(2000, 1500), alt_text="A dark phone screen")
    return PostFactory(
        title="WhatsApp is down",
        excerpt="The outage, explained.",
        author=author,
        featured_image=image,
        categories=[CategoryFactory(name="Apps", slug="apps")],
        tags=["outage", "messaging"],
    )


def test_article_open_graph_and_twitter_tags(client, article):
    tree = page(client.get(article.get_absolute_url()))

    assert head_meta(tree, "og:type") == ["article"]
    assert head_meta(tree, "og:site_name") == [SiteSettings.current().title]
    assert head_meta(tree, "og:url") == [f"{BASE}{article.get_absolute_url()}"]
    (image_url,) = head_meta(tree, "og:image")
    assert image_url.startswith(f"{BASE}/media/")
    # The 1200 px rendition, not the 2000 px original.
    assert head_meta(tree, "og:image:width") == ["1200"]
    assert head_meta(tree, "og:image:height") == ["900"]
    assert head_meta(tree, "og:image:alt") == ["A dark phone screen"]
    assert article.featured_image.renditions.filter(file=image_url.split("/media/")[1]).exists()
    (published,) = head_meta(tree, "article:published_time")
    assert parse_w3c(published) == to_the_second(article.published_at)
    (modified,) = head_meta(tree, "article:modified_time")
    assert parse_w3c(modified) >= article.published_at
    assert head_meta(tree, "article:author") == [f"{BASE}/author/jane-doe/"]
    assert head_meta(tree, "article:section") == ["Apps"]
    assert sorted(head_meta(tree, "article:tag")) == ["messaging", "outage"]
    assert one(tree, 'meta[name="twitter:card"]').attrs["content"] == "summary_large_image"


def test_small_featured_image_is_shared_as_uploaded(client):
    post = PostFactory(featured_image=ImageFactory(size=(800, 600)))
    tree = page(client.get(post.get_absolute_url()))

    assert head_meta(tree, "og:image") == [f"{BASE}{post.featured_image.url}"]
    assert head_meta(tree, "og:image:width") == ["800"]


def test_article_without_image_gets_a_summary_card(client):
    post = PostFactory()
    tree = page(client.get(post.get_absolute_url()))

    assert head_meta(tree, "og:image") == []
    assert one(tree, 'meta[name="twitter:card"]').attrs["content"] == "summary"
    assert "image" not in json_ld(client.get(post.get_absolute_url()))


def test_protected_post_does_not_share_its_image(client):
    post = PostFactory(password="secret", featured_image=ImageFactory())
    response = client.get(post.get_absolute_url())
    tree = page(response)

    assert head_meta(tree, "og:image") == []
    assert one(tree, 'meta[name="twitter:card"]').attrs["content"] == "summary"
    assert "image" not in json_ld(response)


def test_home_page_is_a_website_with_the_tagline(client):
    SiteSettings.objects.create(pk=1, title="Journal", tagline="Marketing, measured.")
    tree = page(client.get("/"))

    assert head_meta(tree, "og:type") == ["website"]
    assert head_meta(tree, "og:title") == ["Journal"]
    assert head_meta(tree, "og:description") == ["Marketing, measured."]
    assert head_meta(tree, "article:published_time") == []
    assert one(tree, 'meta[name="twitter:card"]').attrs["content"] == "summary"
    assert tree.select('script[type="application/ld+json"]') == []


def test_json_ld_blog_posting(client, article):
    SiteSettings.objects.create(pk=1, title="Journal")
    url = f"{BASE}{article.get_absolute_url()}"

    data = json_ld(client.get(article.get_absolute_url()))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "WhatsApp is down"
    assert data["description"] == "The outage, explained."
    assert data["url"] == url
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert parse_w3c(data["datePublished"]) == to_the_second(article.published_at)
    assert parse_w3c(data["dateModified"]) >= parse_w3c(data["datePublished"])
    assert data["author"] == {
        "@type": "Person",
        "name": "Jane Doe",
        "url": f"{BASE}/author/jane-doe/",
    }
    assert data["publisher"] == {"@type": "Organization", "name": "Journal"}
    assert data["image"]["@type"] == "ImageObject"
    assert data["image"]["url"].startswith(f"{BASE}/media/")
    assert (data["image"]["width"], data["image"]["height"]) == (1200, 900)
    assert data["articleSection"] == "Apps"
    assert sorted(data["keywords"]) == ["messaging", "outage"]


def test_json_ld_cannot_be_broken_out_of(client):
    post = PostFactory(title="</script><script>alert(1)</script> & more")
    response = client.get(post.get_absolute_url())

    (script,) = page(response).select('script[type="application/ld+json"]')
    assert "<" not in script.string and "&" not in script.string
    assert json.loads(script.string)["headline"] == post.title
    assert page(response).select("script:not([type], [src])") == []


def test_draft_previews_claim_no_publication(client, now):
    draft = PostFactory(status=Post.Status.DRAFT, published_at=None, featured_image=ImageFactory())
    scheduled = PostFactory(published_at=now + datetime.timedelta(days=1))

    for post in (draft, scheduled):
        response = client.get(preview.link_for(post))
        assert response.status_code == 200
        tree = page(response)
        assert tree.select('script[type="application/ld+json"]') == []
        assert head_meta(tree, "og:type") == ["website"]
        assert head_meta(tree, "article:published_time") == []
        assert head_meta(tree, "og:image") == []
        assert tree.select('link[rel="canonical"]') == []
        assert one(tree, 'meta[name="robots"]').attrs["content"] == "noindex"


def test_staff_viewing_a_draft_get_no_structured_data(admin_client):
    draft = PostFactory(status=Post.Status.DRAFT, published_at=None)
    tree = page(admin_client.get(draft.get_absolute_url()))

    assert tree.select('script[type="application/ld+json"]') == []
    assert head_meta(tree, "og:type") == ["website"]
