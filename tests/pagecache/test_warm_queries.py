"""
With the page cache bypassed (off, or a reader it does not serve) and the
shared fragments warm (site settings, header menu, sidebar), a page costs
only its own queries: at most 5 for an article and 6 for every other page,
the same with 10 and 100 posts and with 0 and 500 comments.
"""

import datetime

import pytest
from django.utils import timezone

from blog.comments.models import Comment
from tests import query_counts
from tests.factories import CategoryFactory, CommentFactory, PageFactory, PostFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_cache")]


@pytest.fixture
def categories():
    news = CategoryFactory(name="News", slug="news")
    local = CategoryFactory(name="Local", slug="local", parent=news)
    return news, local


def make_posts(count, categories):
    authors = [UserFactory(display_name=f"Writer {n}") for n in range(3)]
    start = timezone.now() - datetime.timedelta(hours=1)
    posts = []
    for n in range(count):
        posts.append(
            PostFactory(
                author=authors[n % 3],
                published_at=start - datetime.timedelta(seconds=30 * n),
                categories=list(categories)[: 1 + n % 2],
                tags=["apps", f"tag-{n}"],
            )
        )
    # Comments on a few: counts come in one query however many.
    for post in posts[:5]:
        CommentFactory.create_batch(2, post=post)
    return posts


def warm_then_count(client, url, django_assert_num_queries, queries):
    assert client.get(url).status_code == 200  # fills the fragments
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("comments", [0, 500])
def test_article(client, django_assert_num_queries, categories, comments):
    make_posts(3, categories)
    post = PostFactory(categories=list(categories), tags=["apps", "seo"])
    Comment.objects.bulk_create(
        [
            Comment(post=post, name=f"Reader {n}", email="r@example.com", body=f"Comment {n}")
            for n in range(comments)
        ]
    )
    Comment.objects.filter(post=post).update(status=Comment.Status.APPROVED)

    response = warm_then_count(
        client, post.get_absolute_url(), django_assert_num_queries, query_counts.WARM_ARTICLE
    )

    assert query_counts.WARM_ARTICLE <= 5
    assert response.text.count('class="comment"') == min(comments, 50)


@pytest.mark.parametrize("posts", [10, 100])
def test_home_and_archives(client, django_assert_num_queries, categories, posts):
    made = make_posts(posts, categories)
    author = made[0].author
    day = timezone.localdate(made[0].published_at)
    expected = {
        "/": query_counts.WARM_LIST,
        "/category/news/": query_counts.WARM_CATEGORY_ARCHIVE,
        "/category/news/local/": query_counts.WARM_CATEGORY_ARCHIVE,
        "/tag/apps/": query_counts.WARM_ARCHIVE,
        author.get_absolute_url(): query_counts.WARM_ARCHIVE,
        f"/{day.year}/": query_counts.WARM_ARCHIVE,
        f"/{day.year}/{day.month:02d}/": query_counts.WARM_ARCHIVE,
        f"/{day.year}/{day.month:02d}/{day.day:02d}/": query_counts.WARM_ARCHIVE,
    }
    if posts > 10:
        expected["/page/2/"] = query_counts.WARM_LIST
    for url, queries in expected.items():
        warm_then_count(client, url, django_assert_num_queries, queries)
        assert queries <= 6, url


def test_pages(client, django_assert_num_queries):
    about = PageFactory(title="About", slug="about")
    team = PageFactory(title="Team", slug="team", parent=about)
    CommentFactory.create_batch(3, post=about)

    warm_then_count(
        client, about.get_absolute_url(), django_assert_num_queries, query_counts.WARM_PAGE
    )
    warm_then_count(
        client, team.get_absolute_url(), django_assert_num_queries, query_counts.WARM_SUBPAGE
    )
    assert query_counts.WARM_SUBPAGE <= 6


def test_cold_cache_article(client, django_assert_num_queries, categories, settings):
    """With nothing cached the fragments are read too: settings, menu and sidebar."""
    post = PostFactory(categories=list(categories), tags=["apps"])
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    with django_assert_num_queries(query_counts.ARTICLE):
        assert client.get(post.get_absolute_url()).status_code == 200


def test_the_header_and_sidebar_are_not_rendered_again_until_they_change(client, monkeypatch):
    from blog.pages import menus

    post = PostFactory(title="First story")
    for _ in range(2):  # the first finds the next publish time, the second keeps the header
        client.get(post.get_absolute_url())
    built = []
    monkeypatch.setattr(
        "blog.pages.templatetags.menu_tags.header_links",
        lambda path="": built.append(path) or menus.header_links(path),
    )

    client.get(post.get_absolute_url())
    assert built == []

    PageFactory(title="About us")
    PostFactory(title="Second story")
    response = client.get(post.get_absolute_url())

    assert built == [post.get_absolute_url()]
    header = response.text.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    sidebar = response.text.split('<aside class="sidebar"', 1)[1].split("</aside>", 1)[0]
    assert "About us" in header
    assert "Second story" in sidebar


def test_the_header_and_sidebar_versions_are_read_in_one_round_trip(client, monkeypatch):
    from blog.pagecache import store

    post = PostFactory()
    client.get(post.get_absolute_url())
    reads = []
    real = store.versions.read
    monkeypatch.setattr(
        store.versions, "read", lambda keys, *args: reads.append(set(keys)) or real(keys, *args)
    )

    response = client.get(post.get_absolute_url())

    live_reads = [keys for keys in reads if keys & {"menu", "sidebar"}]
    assert live_reads == [{"menu", "sidebar", "settings"}]
    assert '<nav class="site-nav"' in response.text and '<aside class="sidebar"' in response.text


def test_the_header_marks_the_current_page_at_each_address(client):
    about = PageFactory(title="About us", slug="about")
    for _ in range(2):
        on_about = client.get(about.get_absolute_url()).text
        on_home = client.get("/").text

        assert f'href="{about.get_absolute_url()}" aria-current="page"' in on_about
        assert f'href="{about.get_absolute_url()}" aria-current="page"' not in on_home
        assert 'href="/" aria-current="page"' in on_home
