"""
The full-page cache: anonymous pages are served from the cache until
something they show changes, and exactly those pages are made fresh.

A hit says ``X-Cache: hit`` (``BLOG_PAGE_CACHE_DEBUG``, on in these tests)
and costs no query.
"""

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from blog.comments.models import Comment
from blog.sitesettings.models import SiteSettings
from tests.comments.helpers import post_comment
from tests.factories import CategoryFactory, CommentFactory, PageFactory, PostFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


def fetch(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response


def warm(client, *urls):
    for url in urls:
        fetch(client, url)
        assert fetch(client, url)["X-Cache"] == "hit", url


def cached(client, url):
    return fetch(client, url)["X-Cache"] == "hit"


@pytest.fixture
def news():
    return CategoryFactory(name="News", slug="news")


@pytest.fixture
def other():
    return CategoryFactory(name="Other", slug="other")


@pytest.fixture
def article(news):
    return PostFactory(title="WhatsApp crashes", categories=[news], tags=["apps"])


@pytest.fixture
def unrelated(other):
    # Older, so not the article's neighbour once another post comes along.
    return PostFactory(
        title="Far away",
        categories=[other],
        published_at=timezone.now() - datetime.timedelta(days=30),
    )


def test_a_hit_costs_no_query_and_is_the_same_page(client, article, django_assert_num_queries):
    first = fetch(client, article.get_absolute_url())
    assert first["X-Cache"] == "miss"

    with django_assert_num_queries(0):
        again = fetch(client, article.get_absolute_url())

    assert again["X-Cache"] == "hit"
    assert again.content == first.content


@pytest.mark.parametrize("where", ["article", "home", "archive"])
def test_two_anonymous_readers_get_the_same_bytes_and_no_cookie(client, article, where):
    url = {
        "article": article.get_absolute_url(),
        "home": "/",
        "archive": "/category/news/",
    }[where]
    assert article.comments_open

    first = fetch(client, url)
    from django.test import Client

    second = fetch(Client(), url)

    assert first.cookies == {} and second.cookies == {}
    assert "Set-Cookie" not in first.headers
    assert first.content == second.content
    assert first["Cache-Control"].startswith("public, max-age=")
    assert int(first["X-Accel-Expires"]) <= 300
    assert "Cookie" in first["Vary"]


def test_a_repeat_with_the_etag_answers_304(client, article):
    first = fetch(client, article.get_absolute_url())

    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""


def test_logged_in_readers_neither_see_nor_fill_the_cache(client, article):
    url = article.get_absolute_url()
    client.force_login(UserFactory())

    response = fetch(client, url)

    assert "X-Cache" not in response
    assert response["Cache-Control"] == "private"
    client.logout()
    assert fetch(client, url)["X-Cache"] == "miss"


def test_a_reader_with_a_pending_comment_sees_it_not_the_shared_page(client, article):
    url = article.get_absolute_url()
    warm(client, url)
    SiteSettings.objects.update_or_create(pk=1, defaults={"comment_manual_approval": True})

    assert post_comment(client, article, body="My own words, pending").status_code == 302
    mine = fetch(client, url)

    assert "X-Cache" not in mine
    assert "My own words, pending" in mine.text
    from django.test import Client

    assert "My own words, pending" not in fetch(Client(), url).text


def test_other_query_strings_bypass_the_cache(client, article):
    url = article.get_absolute_url()
    warm(client, url)

    assert "X-Cache" not in fetch(client, f"{url}?utm_source=feed")
    assert fetch(client, f"{url}?cpage=1")["X-Cache"] == "miss"


def test_posts_are_never_cached_for_posts_requests(client, article):
    response = post_comment(client, article)
    assert response.status_code == 302
    assert "X-Cache" not in response


# Exactness: each change makes fresh the pages that show it, and no others.


def test_editing_a_post_refreshes_its_pages_only(client, article, unrelated):
    urls = [article.get_absolute_url(), "/", "/category/news/", unrelated.get_absolute_url()]
    warm(client, *urls, "/category/other/")

    article.title = "WhatsApp is back"
    article.save()

    for url in urls[:3]:
        response = fetch(client, url)
        assert response["X-Cache"] == "miss", url
        assert "WhatsApp is back" in response.text
    assert cached(client, "/category/other/")


def test_publishing_a_post_shows_it_on_its_lists_and_beside_its_neighbour(
    client, article, unrelated, news
):
    warm(client, "/", "/category/news/", "/category/other/", article.get_absolute_url())
    warm(client, unrelated.get_absolute_url())

    PostFactory(title="Fresh news", categories=[news])

    for url in ("/", "/category/news/", article.get_absolute_url()):
        assert "Fresh news" in fetch(client, url).text, url
    assert cached(client, "/category/other/")
    assert cached(client, unrelated.get_absolute_url())


def test_trashing_a_post_takes_it_off_its_pages(client, article, unrelated):
    warm(client, "/", "/category/news/", unrelated.get_absolute_url(), "/category/other/")

    article.status = article.Status.TRASH
    article.save()

    assert "WhatsApp crashes" not in fetch(client, "/").text
    assert "WhatsApp crashes" not in fetch(client, "/category/other/").text
    assert cached(client, "/category/other/")


def test_approving_and_removing_a_comment_refreshes_its_article_only(client, article, unrelated):
    warm(client, article.get_absolute_url(), unrelated.get_absolute_url())
    comment = CommentFactory(post=article, status=Comment.Status.PENDING, body="Same here")
    assert cached(client, article.get_absolute_url())

    comment.status = Comment.Status.APPROVED
    comment.save()

    assert "Same here" in fetch(client, article.get_absolute_url()).text
    assert cached(client, unrelated.get_absolute_url())
    # The sidebar of the unrelated article is put in fresh: its recent comments show it.
    assert "Same here" not in fetch(client, unrelated.get_absolute_url()).text
    assert comment.name in fetch(client, unrelated.get_absolute_url()).text

    comment.delete()
    assert "Same here" not in fetch(client, article.get_absolute_url()).text


def test_bulk_moderation_in_the_admin_refreshes_the_article(
    client, article, admin_user, django_capture_on_commit_callbacks
):
    comment = CommentFactory(post=article, status=Comment.Status.PENDING, body="Bulk approved")
    warm(client, article.get_absolute_url())
    moderator = Client()
    moderator.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        moderator.post(
            "/admin/comments/comment/?status=all",
            {"action": "approve", "_selected_action": [str(comment.pk)], "index": "0"},
        )

    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.APPROVED
    assert "Bulk approved" in fetch(client, article.get_absolute_url()).text


def test_renaming_a_category_refreshes_the_pages_that_name_it(client, article, unrelated, news):
    warm(client, article.get_absolute_url(), "/category/news/", unrelated.get_absolute_url())

    news.name = "Headlines"
    news.save()

    assert "Headlines" in fetch(client, article.get_absolute_url()).text
    assert "Headlines" in fetch(client, "/category/news/").text
    assert cached(client, unrelated.get_absolute_url())


def test_renaming_a_tag_refreshes_the_pages_that_show_it(client, article, unrelated):
    warm(client, article.get_absolute_url(), "/feed/", unrelated.get_absolute_url())
    tag = article.tags.get()

    tag.name = "Mobile apps"
    tag.save()

    assert "Mobile apps" in fetch(client, article.get_absolute_url()).text
    assert "<category>Mobile apps</category>" in fetch(client, "/feed/").text
    assert cached(client, unrelated.get_absolute_url())


def test_changing_the_site_settings_refreshes_every_page(client, article):
    warm(client, article.get_absolute_url(), "/")

    site = SiteSettings.current()
    site.title = "A new name"
    site.save()

    assert "A new name" in fetch(client, "/").text
    assert "A new name" in fetch(client, article.get_absolute_url()).text


def test_a_menu_change_shows_on_cached_pages_without_refreshing_them(client, article):
    warm(client, article.get_absolute_url())

    PageFactory(title="About us")

    response = fetch(client, article.get_absolute_url())
    assert response["X-Cache"] == "hit"
    assert "About us" in response.text


def test_editing_a_page_refreshes_it(client, article):
    page = PageFactory(title="About us", body="Old words")
    warm(client, page.get_absolute_url(), article.get_absolute_url())

    page.body = "New words"
    page.save()

    assert "New words" in fetch(client, page.get_absolute_url()).text
    assert cached(client, article.get_absolute_url())


def test_a_scheduled_post_appears_at_its_second_through_the_cache(client, article, news):
    at = timezone.now().replace(microsecond=0) + datetime.timedelta(minutes=2)
    PostFactory(title="Scheduled story", categories=[news], published_at=at)
    with time_machine.travel(at - datetime.timedelta(seconds=1), tick=False) as clock:
        warm(client, "/", "/category/news/")
        assert "Scheduled story" not in fetch(client, "/").text

        clock.move_to(at)

        assert "Scheduled story" in fetch(client, "/").text
        assert "Scheduled story" in fetch(client, "/category/news/").text


def test_comments_closing_after_n_days_ends_the_cached_article(client):
    SiteSettings.objects.update_or_create(pk=1, defaults={"close_comments_after_days": 3})
    post = PostFactory(published_at=timezone.now() - datetime.timedelta(days=3, seconds=-60))
    with time_machine.travel(timezone.now(), tick=False) as clock:
        warm(client, post.get_absolute_url())
        assert "Leave a Reply" in fetch(client, post.get_absolute_url()).text

        clock.shift(61)

        assert "Leave a Reply" not in fetch(client, post.get_absolute_url()).text


def test_old_wordpress_addresses_are_not_answered_by_the_cached_home_page(client):
    warm(client, "/")

    # Not the cached home page: WordPress's ?p= is looked up (and here not found).
    assert client.get("/?p=999").status_code == 404


# Post feeds are kept as pages are.


def test_feeds_are_kept_and_made_fresh_by_what_they_list(client, article, unrelated, news):
    feeds = ["/feed/", "/feed/atom/", "/category/news/feed/", "/tag/apps/feed/"]
    warm(client, *feeds, "/category/other/feed/")
    assert fetch(client, "/feed/")["Content-Type"].startswith("application/rss+xml")

    article.title = "WhatsApp is back"
    article.save()

    for url in feeds:
        response = fetch(client, url)
        assert (response["X-Cache"], "WhatsApp is back" in response.text) == ("miss", True), url
    assert cached(client, "/category/other/feed/")


def test_a_feed_stays_kept_through_changes_it_does_not_show(client, article):
    warm(client, "/feed/")
    CommentFactory(post=article, status=Comment.Status.APPROVED, body="Same here")
    news = article.categories.get()
    CategoryFactory(name="Unused", slug="unused")

    assert cached(client, "/feed/")
    news.name = "World news"
    news.save()
    response = fetch(client, "/feed/")
    assert response["X-Cache"] == "miss" and "World news" in response.text


def test_a_scheduled_post_enters_the_kept_feed_at_its_time(client, article):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        PostFactory(
            title="Scheduled story", published_at=timezone.now() + datetime.timedelta(seconds=30)
        )
        warm(client, "/feed/")
        assert "Scheduled story" not in fetch(client, "/feed/").text

        clock.shift(31)

        assert "Scheduled story" in fetch(client, "/feed/").text
