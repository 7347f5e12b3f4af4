"""
Every old WordPress address answers with one 301 to the new one: the query
forms (?p=, ?page_id=, ?cat=, ?tag=, ?attachment_id=, ?feed=), old feed
addresses, each imported item's old link whatever the old permalink structure,
old slugs, and old uploads with their size variants. Unknown ids and drafts
are 404s. The objects and their Origin rows are made here as the importer
makes them.
"""

import datetime
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog.media.models import Rendition
from blog.posts.models import Post, PostRedirect
from blog.wordpress import redirects
from blog.wordpress.models import Origin, Site
from tests.factories import CategoryFactory, CommentFactory, PageFactory, PostFactory
from tests.media.factories import ImageFactory, MediaFileFactory, image_bytes

pytestmark = pytest.mark.django_db

Kind = Origin.Kind
FEBRUARY_22 = datetime.datetime(2014, 2, 22, 10, tzinfo=datetime.UTC)
MIDDLEWARE = "blog.wordpress.middleware.OldAddressMiddleware"


@pytest.fixture(autouse=True)
def _image_widths(settings):
    settings.BLOG_IMAGE_WIDTHS = [480, 800, 1200, 1600]


def old_site(base_url="https://old.example"):
    return Site.objects.get_or_create(base_url=base_url, defaults={"title": base_url})[0]


def imported(target, kind, wp_id, old_path="", *, site=None, at=None):
    """``target`` as the importer leaves it: with its Origin row."""
    Origin.objects.create(
        site=site or old_site(),
        kind=kind,
        wp_id=wp_id,
        target=target,
        old_path=old_path,
        imported_at=at or timezone.now(),
    )
    return target


def assert_moved(client, url, expected, *, follow=True):
    """One 301 straight to ``expected``, which answers 200 itself (no chain)."""
    response = client.get(url)
    assert response.status_code == 301, (url, response.status_code)
    assert response["Location"] == expected
    if follow:
        final = client.get(expected)
        assert final.status_code == 200, (expected, final.status_code)
    return response


def assert_file_at(url, stored):
    """Media files are served by the web server: check the URL names the stored file."""
    assert url == stored.url
    assert default_storage.exists(stored.name)


@pytest.fixture
def post():
    return imported(
        PostFactory(title="Hello world", slug="hello-world", published_at=FEBRUARY_22),
        Kind.POST,
        1,
        "/2014/02/hello-world/",
    )


@pytest.fixture
def page():
    about = PageFactory(title="About", slug="about")
    return imported(PageFactory(title="Team", slug="team", parent=about), Kind.PAGE, 2)


@pytest.fixture
def image():
    return imported(
        ImageFactory(size=(1000, 750)),
        Kind.ATTACHMENT,
        3,
        "/wp-content/uploads/2014/02/photo.jpg",
    )


@pytest.fixture
def category():
    parent = CategoryFactory(name="News", slug="news")
    return imported(CategoryFactory(name="Local", slug="local", parent=parent), Kind.CATEGORY, 7)


# -- query-string forms ------------------------------------------------------------


def test_p_finds_a_post_a_page_or_an_attachment(client, post, page, image):
    assert_moved(client, "/?p=1", "/2014/02/22/hello-world/")
    assert_moved(client, "/?p=2", "/about/team/")
    response = assert_moved(client, "/?p=3", image.url, follow=False)
    assert_file_at(response["Location"], image.file)


def test_page_id_and_attachment_id(client, page, image):
    assert_moved(client, "/?page_id=2", "/about/team/")
    response = assert_moved(client, "/?attachment_id=3", image.url, follow=False)
    assert_file_at(response["Location"], image.file)


def test_attachment_id_of_a_document_leads_to_the_file(client):
    document = imported(MediaFileFactory(title="Price list"), Kind.ATTACHMENT, 30)
    response = assert_moved(client, "/?attachment_id=30", document.url, follow=False)
    assert_file_at(response["Location"], document.file)


def test_cat_leads_to_the_category_at_its_full_path(client, category, post):
    post.categories.set([category])
    assert_moved(client, "/?cat=7", "/category/news/local/")


def test_tag_and_author(client, post):
    post.tags.set(["Apps"])
    assert_moved(client, "/?tag=apps", "/tag/apps/")
    imported(post.author, Kind.AUTHOR, 4)
    assert_moved(client, "/?author=4", post.author.get_absolute_url())


def test_slug_forms_of_posts_pages_and_categories(client, post, page, category):
    post.categories.set([category])
    assert_moved(client, "/?name=hello-world", "/2014/02/22/hello-world/")
    assert_moved(client, "/?pagename=about/team", "/about/team/")
    assert_moved(client, "/?category_name=news/local", "/category/news/local/")
    Post.any_kind.filter(pk=page.pk).update(status=Post.Status.DRAFT)
    assert client.get("/?pagename=about/team").status_code == 404


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/?feed=rss2", "/feed/"),
        ("/?feed=rss", "/feed/"),
        ("/?feed=atom", "/feed/atom/"),
        ("/?feed=comments-rss2", "/comments/feed/"),
        ("/feed/rss2/", "/feed/"),
        ("/feed/rss/", "/feed/"),
        ("/feed/rdf/", "/feed/"),
        ("/feed/rss2", "/feed/"),
        ("/wp-rss2.php", "/feed/"),
        ("/wp-atom.php", "/feed/atom/"),
    ],
)
def test_old_feed_addresses(client, post, url, expected):
    assert_moved(client, url, expected)


def test_old_feed_names_under_archives_and_posts(client, post, category):
    post.categories.set([category])
    post.tags.set(["apps"])
    assert_moved(client, "/category/news/local/feed/rss2/", "/category/news/local/feed/")
    assert_moved(client, "/tag/apps/feed/rdf/", "/tag/apps/feed/")
    assert_moved(client, "/comments/feed/rss2/", "/comments/feed/")
    assert_moved(client, "/2014/02/22/hello-world/feed/rss2/", "/2014/02/22/hello-world/feed/")
    # Not a feed here: a page's path keeps its 404.
    PageFactory(slug="about")
    assert client.get("/about/feed/rss2/").status_code == 404


def test_a_feed_beside_an_object_is_that_objects_feed(client, post, category):
    post.categories.set([category])
    assert_moved(client, "/?cat=7&feed=rss2", "/category/news/local/feed/")
    assert_moved(client, "/?p=1&feed=atom", "/2014/02/22/hello-world/feed/atom/")


def test_index_php_date_archives_and_paging(client, post, settings):
    PostFactory.create_batch(10, published_at=FEBRUARY_22)
    assert_moved(client, "/index.php?p=1", "/2014/02/22/hello-world/")
    assert_moved(client, "/?m=201402", "/2014/02/")
    assert_moved(client, "/?m=20140222", "/2014/02/22/")
    assert_moved(client, "/?paged=2", "/page/2/")
    assert_moved(client, "/index.php", "/")


def test_head_is_answered_too_and_a_post_is_left_to_the_view(client, post):
    response = client.head("/?p=1")
    assert (response.status_code, response["Location"]) == (301, "/2014/02/22/hello-world/")
    assert client.post("/?p=1").status_code != 301


def test_a_search_is_still_the_posts_apps(client, post):
    response = client.get("/?s=hello&feed=rss2")
    assert response.status_code == 302
    assert response["Location"].startswith("/search/?q=hello")


@pytest.mark.parametrize(
    "url",
    ["/?p=999", "/?page_id=999", "/?cat=999", "/?attachment_id=999", "/?author=999",
     "/?p=abc", "/?p=", "/?tag=nothing", "/?m=2014x", "/?m=201413", "/?feed=unknown"],
)  # fmt: skip
def test_an_unknown_id_is_a_404(client, post, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_a_deleted_target_is_a_404(client, post):
    Post.objects.filter(pk=post.pk).delete()
    assert client.get("/?p=1").status_code == 404
    assert client.get("/2014/02/hello-world/").status_code == 404


@pytest.mark.parametrize(
    "status", [Post.Status.DRAFT, Post.Status.PENDING, Post.Status.PRIVATE, Post.Status.TRASH]
)
def test_a_target_readers_cannot_see_is_a_404(client, post, page, status):
    Post.any_kind.filter(pk__in=[post.pk, page.pk]).update(status=status)
    for url in ("/?p=1", "/?p=2", "/?page_id=2", "/2014/02/hello-world/"):
        assert client.get(url).status_code == 404, url


def test_a_scheduled_target_is_a_404_until_its_time(client, post):
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() + datetime.timedelta(1))
    assert client.get("/?p=1").status_code == 404
    assert client.get("/2014/02/hello-world/").status_code == 404


def test_colliding_ids_of_two_sites_serve_the_most_recent_import(client):
    now = timezone.now()
    # The newer import is made first, so neither creation order nor pk decides.
    newer = imported(
        PostFactory(slug="from-b"), Kind.POST, 5, site=old_site("https://b.example"), at=now
    )
    older = imported(
        PostFactory(slug="from-a"),
        Kind.POST,
        5,
        site=old_site("https://a.example"),
        at=now - datetime.timedelta(days=1),
    )
    assert_moved(client, "/?p=5", newer.get_absolute_url())
    Origin.objects.filter(object_id=older.pk).update(imported_at=now + datetime.timedelta(1))
    assert_moved(client, "/?p=5", older.get_absolute_url())


# -- old links, whatever the old permalink structure ------------------------------------


@pytest.mark.parametrize(
    ("old_path", "requested"),
    [
        ("/2014/02/hello-world/", "/2014/02/hello-world/"),
        ("/hello-world/", "/hello-world/"),
        ("/archives/123", "/archives/123"),
        ("/archives/123", "/archives/123/"),
        ("/index.php/2014/02/22/hello-world/", "/index.php/2014/02/22/hello-world/"),
        ("/blog/?p=123", "/blog/?p=123"),
        ("/2014/02/22/hello-world-2/", "/2014/02/22/hello-world-2/"),
        ("/2014/02/日本語/", "/2014/02/%E6%97%A5%E6%9C%AC%E8%AA%9E/"),
        ("/2014/02/%e6%97%a5%e6%9c%ac%e8%aa%9e/", "/2014/02/%E6%97%A5%E6%9C%AC%E8%AA%9E/"),
    ],
)
def test_an_imported_posts_old_link_answers(client, old_path, requested):
    post = PostFactory(slug="hello-world", published_at=FEBRUARY_22)
    imported(post, Kind.POST, 123, old_path)
    assert_moved(client, requested, "/2014/02/22/hello-world/")


def test_query_forms_at_the_root_of_a_site_that_lived_in_a_subfolder(client, category, post):
    post.categories.set([category])
    Origin.objects.update(site=old_site("https://example.com/blog"))
    assert_moved(client, "/blog/?p=1", "/2014/02/22/hello-world/")
    assert_moved(client, "/blog/index.php?cat=7", "/category/news/local/")
    assert_moved(client, "/blog/?feed=rss2", "/feed/")
    for url in ("/blog/?p=999", "/elsewhere/?p=1", "/blog/?utm_source=x"):
        assert client.get(url).status_code == 404, url


def test_old_path_of_is_how_the_importer_stores_an_address():
    assert redirects.old_path_of("http://old.example/2014/02/hello/") == "/2014/02/hello/"
    assert redirects.old_path_of("https://old.example/?p=123") == "/?p=123"
    assert redirects.old_path_of("https://old.example") == "/"
    assert redirects.old_path_of("http://x.example/%e6%97%a5/") == "/日/"


def test_a_pages_old_link_and_a_categorys(client, page, category, post):
    post.categories.set([category])
    Origin.objects.filter(kind=Kind.PAGE).update(old_path="/team/")
    Origin.objects.filter(kind=Kind.CATEGORY).update(old_path="/topics/local/")
    assert_moved(client, "/team/", "/about/team/")
    assert_moved(client, "/topics/local/", "/category/news/local/")


def test_an_old_link_shared_with_a_comment_or_a_menu_item_finds_the_post(client, post):
    comment = CommentFactory(post=post)
    imported(comment, Kind.COMMENT, 50, "/2014/02/hello-world/")
    assert_moved(client, "/2014/02/hello-world/", "/2014/02/22/hello-world/")


def test_an_old_slug_under_the_old_structure(client, post):
    PostRedirect.objects.create(old_path="/2014/02/hello-there/", post=post)
    PostRedirect.objects.create(old_path="/hello-there", post=post)
    assert_moved(client, "/2014/02/hello-there/", "/2014/02/22/hello-world/")
    assert_moved(client, "/hello-there", "/2014/02/22/hello-world/")


def test_an_unknown_old_path_is_a_404(client, post):
    for url in ("/2014/02/nothing/", "/archives/999", "/nothing/", "/wp-content/uploads/x.jpg"):
        # A path with no slash may first get CommonMiddleware's added slash.
        assert client.get(url, follow=True).status_code == 404, url


def test_the_sites_own_addresses_are_left_alone(client, post):
    # An old address that is also a live one here: the live page answers.
    PageFactory(title="Contact", slug="contact")
    imported(post, Kind.PAGE, 9, "/contact/")
    assert client.get("/contact/").status_code == 200


# -- old uploads ------------------------------------------------------------------------


def test_an_old_upload_leads_to_the_imported_file(client, image):
    response = assert_moved(
        client, "/wp-content/uploads/2014/02/photo.jpg", image.url, follow=False
    )
    assert_file_at(response["Location"], image.file)
    # WordPress.com and old multisite served the same file from /files/.
    assert_moved(client, "/files/2014/02/photo.jpg", image.url, follow=False)


def test_a_size_variant_leads_to_the_closest_rendition_at_least_as_wide(client, image):
    jpeg_480 = image.renditions.get(width=480, format="JPEG")
    response = assert_moved(
        client, "/wp-content/uploads/2014/02/photo-300x200.jpg", jpeg_480.url, follow=False
    )
    assert_file_at(response["Location"], jpeg_480.file)
    jpeg_800 = image.renditions.get(width=800, format="JPEG")
    assert_moved(
        client, "/wp-content/uploads/2014/02/photo-768x576.jpg", jpeg_800.url, follow=False
    )
    # Wider than every rendition: the original.
    assert_moved(client, "/wp-content/uploads/2014/02/photo-1024x768.jpg", image.url, follow=False)
    assert_moved(client, "/files/2014/02/photo-150x150.jpg", jpeg_480.url, follow=False)


def test_a_size_variant_of_a_scaled_original_and_of_an_image_without_renditions(client):
    scaled = imported(
        ImageFactory(size=(400, 300)),
        Kind.ATTACHMENT,
        40,
        "/wp-content/uploads/2020/01/big-scaled.jpg",
    )
    assert not Rendition.objects.filter(image=scaled, format="JPEG").exists()
    assert_moved(client, "/wp-content/uploads/2020/01/big-300x200.jpg", scaled.url, follow=False)
    assert_moved(client, "/wp-content/uploads/2020/01/big-scaled.jpg", scaled.url, follow=False)


def test_uploads_of_a_site_in_a_subfolder_and_documents(client):
    document = imported(
        MediaFileFactory(title="Menu"), Kind.ATTACHMENT, 41, "/blog/wp-content/uploads/menu.pdf"
    )
    assert_moved(client, "/blog/wp-content/uploads/menu.pdf", document.url, follow=False)
    assert client.get("/blog/wp-content/uploads/other.pdf", follow=True).status_code == 404


def test_a_wordpress_com_file_by_its_files_address(client):
    # Its attachment_url was https://oldblog.files.wordpress.com/2013/03/tree.jpg.
    tree = imported(ImageFactory(size=(1000, 750)), Kind.ATTACHMENT, 42, "/2013/03/tree.jpg")
    assert_moved(client, "/files/2013/03/tree.jpg", tree.url, follow=False)
    jpeg_480 = tree.renditions.get(width=480, format="JPEG")
    assert_moved(client, "/files/2013/03/tree-300x225.jpg", jpeg_480.url, follow=False)


def test_an_unknown_upload_is_a_404(client, image):
    assert client.get("/wp-content/uploads/2014/02/other.jpg").status_code == 404
    assert client.get("/wp-content/uploads/2014/03/photo.jpg").status_code == 404
    assert client.get("/files/2014/02/other-300x200.jpg").status_code == 404


# -- cost, order and the page cache -----------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return status, len(queries)


def without_old_addresses(settings):
    """A client of the site with no OldAddressMiddleware (a client loads its middleware once)."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    return Client()


def test_other_pages_do_not_pay_for_old_addresses(client, post, settings):
    urls = ["/", "/?utm_source=feed", "/?s=", post.get_absolute_url(), "/about/"]
    PageFactory(slug="about")
    with_middleware = [count_queries(client, url) for url in urls]
    assert [status for status, _ in with_middleware] == [200, 200, 302, 200, 200]
    plain = without_old_addresses(settings)
    assert [count_queries(plain, url) for url in urls] == with_middleware


def test_an_address_that_is_not_found_costs_at_most_two_queries_more(client, post, settings):
    urls = ["/nothing/here/", "/2014/02/nothing/", "/nothing", "/?p=999"]
    with_middleware = [count_queries(client, url) for url in urls]
    plain = without_old_addresses(settings)
    without = [count_queries(plain, url) for url in urls]
    assert [status for status, _ in with_middleware] == [404, 404, 301, 404]
    for (_, queries), (_, before) in zip(with_middleware[:3], without[:3], strict=True):
        assert before < queries <= before + 2


def test_an_old_link_is_answered_without_rendering_a_404_page(client, post):
    status, queries = count_queries(client, "/2014/02/hello-world/")
    assert status == 301
    # Site settings, the page and old-slug lookups of the pages' view, the
    # origin and its post: no template, no sidebar.
    assert queries == 5
    assert count_queries(client, "/2014/02/nothing/")[1] > queries + 4


def test_query_forms_are_answered_before_the_page_cache(client, post, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "old-urls-page-cache",
        }
    }
    settings.CACHE_MIDDLEWARE_SECONDS = 600
    settings.MIDDLEWARE = [
        "django.middleware.cache.UpdateCacheMiddleware",
        *settings.MIDDLEWARE,
        "django.middleware.cache.FetchFromCacheMiddleware",
    ]
    cache.clear()
    try:
        assert client.get("/").status_code == 200
        status, queries = count_queries(client, "/")
        assert (status, queries) == (200, 0)  # the home page now comes from the cache
        for _ in range(2):
            assert_moved(client, "/?p=1", "/2014/02/22/hello-world/", follow=False)
            assert client.get("/?p=999").status_code == 404
        assert_moved(client, "/2014/02/hello-world/", "/2014/02/22/hello-world/", follow=False)
    finally:
        cache.clear()


# -- after a real import ------------------------------------------------------------------

WXR = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Old blog</title>
  <link>{base}</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>{base}</wp:base_site_url>
  <wp:base_blog_url>{base}</wp:base_blog_url>
  <wp:author><wp:author_id>1</wp:author_id><wp:author_login>jane</wp:author_login>
    <wp:author_email>jane@example.com</wp:author_email></wp:author>
  <wp:category><wp:term_id>4</wp:term_id><wp:category_nicename>news</wp:category_nicename>
    <wp:category_parent></wp:category_parent><wp:cat_name>News</wp:cat_name></wp:category>
  <item>
    <title>Photo</title><link>{base}/{slug}/photo/</link><dc:creator>jane</dc:creator>
    <wp:post_id>30</wp:post_id><wp:post_type>attachment</wp:post_type>
    <wp:status>inherit</wp:status><wp:post_name>photo</wp:post_name>
    <wp:post_date_gmt>2014-02-22 10:00:00</wp:post_date_gmt>
    <wp:attachment_url>{base}/wp-content/uploads/2014/02/photo.jpg</wp:attachment_url>
    <wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key>
      <wp:meta_value>2014/02/photo.jpg</wp:meta_value></wp:postmeta>
  </item>
  <item>
    <title>{title}</title><link>{base}/2014/02/{slug}/</link><dc:creator>jane</dc:creator>
    <content:encoded><![CDATA[<img src="{base}/wp-content/uploads/2014/02/photo-300x200.jpg">]]>
    </content:encoded>
    <wp:post_id>10</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
    <wp:post_name>{slug}</wp:post_name><wp:post_date_gmt>2014-02-22 10:00:00</wp:post_date_gmt>
    <category domain="category" nicename="news">News</category>
    <category domain="post_tag" nicename="apps">Apps</category>
    <wp:postmeta><wp:meta_key>_wp_old_slug</wp:meta_key>
      <wp:meta_value>{slug}-draft-title</wp:meta_value></wp:postmeta>
  </item>
  <item>
    <title>Archived</title><link>{base}/archives/12</link><dc:creator>jane</dc:creator>
    <wp:post_id>12</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
    <wp:post_name>archived</wp:post_name><wp:post_date_gmt>2014-02-21 10:00:00</wp:post_date_gmt>
  </item>
  <item>
    <title>About</title><link>{base}/?page_id=20</link><dc:creator>jane</dc:creator>
    <wp:post_id>20</wp:post_id><wp:post_type>page</wp:post_type><wp:status>publish</wp:status>
    <wp:post_name>about</wp:post_name><wp:post_date_gmt>2014-02-20 10:00:00</wp:post_date_gmt>
  </item>
  <item>
    <title>Not yet</title><link>{base}/?p=11</link><dc:creator>jane</dc:creator>
    <wp:post_id>11</wp:post_id><wp:post_type>post</wp:post_type><wp:status>draft</wp:status>
    <wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt>
  </item>
</channel>
</rss>
"""


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads"
    (folder / "2014" / "02").mkdir(parents=True)
    (folder / "2014" / "02" / "photo.jpg").write_bytes(image_bytes(size=(1000, 750)))
    return folder


def import_site(tmp_path, uploads, base, title, slug):
    from blog.wordpress.importer import import_wxr

    path = tmp_path / f"{slug}.xml"
    path.write_text(WXR.format(base=base, title=title, slug=slug), encoding="utf-8")
    return import_wxr(path, media_dir=uploads)


def test_every_old_address_of_an_imported_site_answers(client, tmp_path, uploads):
    import_site(tmp_path, uploads, "https://old.example", "Hello world", "hello-world")
    hello = Post.objects.get(slug="hello-world")
    archived = Post.objects.get(slug="archived")
    image = Origin.objects.get(kind=Kind.ATTACHMENT).target
    for url in ("/?p=10", "/2014/02/hello-world/", "/2014/02/hello-world-draft-title/"):
        assert_moved(client, url, hello.get_absolute_url())
    assert_moved(client, "/archives/12", archived.get_absolute_url())
    assert_moved(client, "/?page_id=20", "/about/")
    assert_moved(client, "/?cat=4", "/category/news/")
    assert_moved(client, "/?tag=apps", "/tag/apps/")
    assert_moved(client, "/?attachment_id=30", image.url, follow=False)
    rendition = image.renditions.get(width=480, format="JPEG")
    old_variant = "/wp-content/uploads/2014/02/photo-300x200.jpg"
    assert_moved(client, old_variant, rendition.url, follow=False)
    assert_file_at(rendition.url, rendition.file)
    for url in ("/?p=11", "/?p=999"):  # a draft, an id the file never had
        assert client.get(url).status_code == 404, url


def test_a_second_sites_colliding_ids_answer_with_its_items_after_its_import(
    client, tmp_path, uploads
):
    import_site(tmp_path, uploads, "https://old.example", "Hello world", "hello-world")
    hello = Post.objects.get(slug="hello-world").get_absolute_url()
    assert_moved(client, "/?p=10", hello)
    import_site(tmp_path, uploads, "https://other.example", "Other news", "other-news")
    other = Post.objects.get(slug="other-news").get_absolute_url()
    assert_moved(client, "/?p=10", other)
    # Each site's old links still find its own post.
    assert_moved(client, "/2014/02/hello-world/", hello)
    assert_moved(client, "/2014/02/other-news/", other)


SHARED = Path(__file__).resolve().parents[2].parent / "shared"
THEME_UNIT_TEST = SHARED / "wxr" / "themeunittestdata.wordpress.xml"


def get_raw(client, old_path):
    """GET an address exactly as a browser sends it, ``//greek/…`` included
    (the test client would read ``//greek`` as a host name)."""
    path, _, query = old_path.partition("?")
    raw = unquote_to_bytes(path).decode("iso-8859-1")
    return client.get("/", QUERY_STRING=query, PATH_INFO=raw)


@pytest.mark.skipif(
    not THEME_UNIT_TEST.exists(),
    reason=f"WordPress's theme unit test export is not at {THEME_UNIT_TEST} (../shared/wxr/)",
)
def test_every_post_and_page_of_the_theme_unit_test_export_keeps_its_old_addresses(client):
    from blog.wordpress.importer import import_wxr

    import_wxr(THEME_UNIT_TEST)
    origins = Origin.objects.filter(kind__in=[Kind.POST, Kind.PAGE]).select_related("site")
    checked = {"published": 0, "hidden": 0}
    for origin in origins:
        item = origin.target
        assert origin.old_path, item
        id_form = f"/?{'page_id' if origin.kind == Kind.PAGE else 'p'}={origin.wp_id}"
        by_id, by_link = client.get(id_form), get_raw(client, origin.old_path)
        if item.is_published:
            checked["published"] += 1
            assert (by_id.status_code, by_id["Location"]) == (301, item.get_absolute_url())
            if by_link.status_code == 301:
                assert by_link["Location"] == item.get_absolute_url(), origin.old_path
            else:  # the old permalink is the new one
                assert by_link.status_code == 200, origin.old_path
                assert unquote(origin.old_path) == unquote(item.get_absolute_url())
        else:
            checked["hidden"] += 1
            assert by_id.status_code == 404, id_form
            assert by_link.status_code == 404, origin.old_path
    # Its published posts and pages (77), and its draft and scheduled post.
    assert checked["published"] >= 70
    assert checked["hidden"] >= 2
