"""Date, category, tag and author archives, and how every list pages."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from blog.posts.models import Post
from blog.sitesettings.models import SiteSettings
from tests.factories import CategoryFactory, PostFactory, UserFactory
from tests.helpers import one, page, text_of

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
FEB_22 = datetime.datetime(2014, 2, 22, 12, tzinfo=UTC)


def titles(response):
    return [text_of(node) for node in page(response).select(".post-summary .entry-title")]


def heading(response):
    return text_of(one(page(response), "h1"))


def site_settings(**fields):
    settings = SiteSettings.current()
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.save()


@pytest.fixture
def jane():
    return UserFactory(username="jane", display_name="Jane Doe", bio="Writes about search.")


@pytest.fixture
def feb_post(jane):
    seo = CategoryFactory(name="SEO", slug="seo")
    return PostFactory(
        title="Twenty-second", author=jane, published_at=FEB_22, categories=[seo], tags=["apps"]
    )


@pytest.mark.parametrize(
    ("url", "expected_heading"),
    [
        ("/2014/", "Archives for 2014"),
        ("/2014/02/", "Archives for February 2014"),
        ("/2014/02/22/", "Archives for February 22, 2014"),
        ("/category/seo/", "Category: SEO"),
        ("/tag/apps/", "Tag: apps"),
        ("/author/jane-doe/", "Author: Jane Doe"),
    ],
)
def test_archive_shows_its_heading_and_posts(client, feb_post, url, expected_heading):
    PostFactory(title="Elsewhere", published_at=datetime.datetime(2013, 5, 1, tzinfo=UTC))

    response = client.get(url)

    assert response.status_code == 200
    assert heading(response) == expected_heading
    assert titles(response) == ["Twenty-second"]


def test_date_archive_titles_name_the_period(client, feb_post):
    assert page(client.get("/2014/02/22/")).title.string.startswith("February 22, 2014 – ")


@pytest.mark.parametrize(
    "url",
    [
        "/2013/",  # no posts that year
        "/2014/03/",  # nor that month
        "/2014/02/21/",  # nor that day
        "/2014/13/",
        "/2014/00/",
        "/2014/02/30/",
        "/2014/02/00/",
        "/2014/page/2/",  # past the last page
        "/2014/02/page/2/",
        "/2014/02/22/page/2/",
        "/page/2/",
        "/category/seo/page/2/",
        "/tag/apps/page/2/",
        "/author/jane-doe/page/2/",
        "/category/no-such-category/",
        "/tag/no-such-tag/",
        "/author/nobody/",
    ],
)
def test_archives_that_do_not_exist_are_404(client, feb_post, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("/2014/page/1/", "/2014/"),
        ("/2014/02/page/1/", "/2014/02/"),
        ("/2014/02/22/page/1/", "/2014/02/22/"),
    ],
)
def test_first_page_of_a_date_archive_redirects_to_the_archive(client, feb_post, url, target):
    response = client.get(url)

    assert response.status_code == 301
    assert response["Location"] == target


def test_existing_category_without_posts_is_an_empty_page(client, feb_post):
    CategoryFactory(name="Quiet", slug="quiet")

    response = client.get("/category/quiet/")

    assert response.status_code == 200
    assert "Nothing has been published here yet." in response.text


# Home and one archive of each kind.
LISTS = [
    "/",
    "/2014/",
    "/2014/02/",
    "/2014/02/22/",
    "/category/seo/",
    "/tag/apps/",
    "/author/jane-doe/",
]


@pytest.fixture
def five_posts_two_a_page(jane):
    site_settings(posts_per_page=2)
    seo = CategoryFactory(name="SEO", slug="seo")
    for n in range(5):
        PostFactory(
            title=f"Post {n}",
            author=jane,
            published_at=FEB_22 - datetime.timedelta(minutes=n),
            categories=[seo],
            tags=["apps"],
        )


@pytest.mark.usefixtures("five_posts_two_a_page")
@pytest.mark.parametrize("url", LISTS)
def test_first_page_links_to_the_next_and_to_every_page(client, url):
    html = page(client.get(url))

    assert [text_of(node) for node in html.select(".entry-title")] == ["Post 0", "Post 1"]
    pagination = one(html, "nav.pagination")
    assert [(a["href"], text_of(a)) for a in pagination.select("li a")] == [
        (f"{url}page/2/", "2"),
        (f"{url}page/3/", "3"),
    ]
    assert text_of(one(pagination, "[aria-current=page]")) == "1"
    assert not html.select("[rel=prev]")
    assert one(html, "head link[rel=next]")["href"] == f"{url}page/2/"
    assert one(pagination, "a[rel=next]")["href"] == f"{url}page/2/"


@pytest.mark.usefixtures("five_posts_two_a_page")
@pytest.mark.parametrize("url", LISTS)
def test_middle_page_links_both_ways(client, url):
    html = page(client.get(f"{url}page/2/"))

    assert [text_of(node) for node in html.select(".entry-title")] == ["Post 2", "Post 3"]
    assert one(html, "head link[rel=prev]")["href"] == url
    assert one(html, "head link[rel=next]")["href"] == f"{url}page/3/"


@pytest.mark.usefixtures("five_posts_two_a_page")
@pytest.mark.parametrize("url", LISTS)
def test_last_page_has_no_next_and_the_one_after_is_404(client, url):
    response = client.get(f"{url}page/3/")
    html = page(response)

    assert [text_of(node) for node in html.select(".entry-title")] == ["Post 4"]
    assert one(html, "head link[rel=prev]")["href"] == f"{url}page/2/"
    assert one(html, "nav.pagination a[rel=prev]")["href"] == f"{url}page/2/"
    assert not html.select("[rel=next]")
    assert client.get(f"{url}page/4/").status_code == 404


def test_list_on_one_page_shows_no_pagination(client, feb_post):
    html = page(client.get("/2014/"))

    assert not html.select("nav.pagination")
    assert not html.select("link[rel=prev], link[rel=next]")


def test_category_archive_includes_posts_of_categories_below_it_once(client):
    news = CategoryFactory(name="News", slug="news")
    tech = CategoryFactory(name="Tech", slug="tech", parent=news)
    phones = CategoryFactory(name="Phones", slug="phones", parent=tech)
    PostFactory(title="Only in the grandchild", categories=[phones])
    PostFactory(title="In all three", categories=[news, tech, phones])
    PostFactory(title="Elsewhere", categories=[CategoryFactory(name="Other", slug="other")])

    both = ["In all three", "Only in the grandchild"]
    assert sorted(titles(client.get("/category/news/"))) == both
    assert sorted(titles(client.get("/category/news/tech/phones/"))) == both


def test_category_archive_counts_each_post_once_when_paging(client):
    site_settings(posts_per_page=2)
    news = CategoryFactory(name="News", slug="news")
    tech = CategoryFactory(name="Tech", slug="tech", parent=news)
    for n in range(2):
        PostFactory(title=f"Both {n}", categories=[news, tech])

    # Two posts filed twice each still fit on one page.
    assert not page(client.get("/category/news/")).select("nav.pagination")
    assert client.get("/category/news/page/2/").status_code == 404


def test_category_archive_shows_its_description_and_path(client):
    news = CategoryFactory(name="News", slug="news")
    tech = CategoryFactory(name="Tech", slug="tech", parent=news)
    phones = CategoryFactory(
        name="Phones", slug="phones", parent=tech, description="Handsets and their apps."
    )
    PostFactory(categories=[phones])

    html = page(client.get("/category/news/tech/phones/"))

    crumbs = one(html, "nav.breadcrumbs[aria-label=Breadcrumbs]")
    assert [(a["href"], text_of(a)) for a in crumbs.select("a")] == [
        ("/category/news/", "News"),
        ("/category/news/tech/", "Tech"),
    ]
    assert text_of(one(crumbs, "[aria-current=page]")) == "Phones"
    assert text_of(one(html, ".archive-description")) == "Handsets and their apps."


def test_author_archive_shows_name_and_bio(client, feb_post):
    html = page(client.get("/author/jane-doe/"))

    assert text_of(one(html, "h1")) == "Author: Jane Doe"
    assert text_of(one(html, ".archive-description")) == "Writes about search."


def test_author_without_display_name_is_shown_by_username(client):
    sam = UserFactory(username="sam")
    PostFactory(author=sam)

    assert heading(client.get(sam.get_absolute_url())) == "Author: sam"


def test_date_archives_follow_the_site_time_zone(client):
    site_settings(time_zone="America/New_York")
    new_york = zoneinfo.ZoneInfo("America/New_York")
    # March 1st, 04:30 in UTC.
    PostFactory(title="Late", published_at=datetime.datetime(2014, 2, 28, 23, 30, tzinfo=new_york))
    # January 1st 2015, 04:30 in UTC.
    eve = datetime.datetime(2014, 12, 31, 23, 30, tzinfo=new_york)
    PostFactory(title="New Year's Eve", published_at=eve)

    assert titles(client.get("/2014/02/")) == ["Late"]
    assert titles(client.get("/2014/02/28/")) == ["Late"]
    assert client.get("/2014/03/").status_code == 404
    assert client.get("/2014/03/01/").status_code == 404
    assert titles(client.get("/2014/")) == ["New Year's Eve", "Late"]
    assert client.get("/2015/").status_code == 404


def test_date_archives_in_utc_when_the_site_has_no_zone(client):
    new_york = zoneinfo.ZoneInfo("America/New_York")
    PostFactory(title="Late", published_at=datetime.datetime(2014, 2, 28, 23, 30, tzinfo=new_york))

    assert titles(client.get("/2014/03/01/")) == ["Late"]
    assert client.get("/2014/02/").status_code == 404


def test_unpublished_posts_are_in_no_archive(client, jane, tomorrow):
    seo = CategoryFactory(name="SEO", slug="seo")
    PostFactory(title="Live", author=jane, published_at=FEB_22, categories=[seo], tags=["apps"])
    hidden = {"categories": [seo], "tags": ["apps"], "author": jane}
    PostFactory(title="Draft", status=Post.Status.DRAFT, published_at=FEB_22, **hidden)
    PostFactory(title="Private", status=Post.Status.PRIVATE, published_at=FEB_22, **hidden)
    PostFactory(title="Pending", status=Post.Status.PENDING, published_at=FEB_22, **hidden)
    PostFactory(title="Scheduled", published_at=tomorrow, **hidden)

    for url in LISTS:
        assert titles(client.get(url)) == ["Live"], url
    day = timezone.localdate(tomorrow)
    assert client.get(f"/{day:%Y}/{day:%m}/{day:%d}/").status_code == 404


def test_periods_with_only_a_scheduled_post_are_404(client):
    when = timezone.now() + datetime.timedelta(days=400)
    PostFactory(published_at=when)

    assert client.get(f"/{when:%Y}/").status_code == 404
    assert client.get(f"/{when:%Y}/{when:%m}/").status_code == 404
