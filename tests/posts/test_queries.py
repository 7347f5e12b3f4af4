"""
Every public page does a fixed number of queries however many rows it shows.

The same exact number is asserted for a small and a large data set, so a
query per post, per comment, per category or per tag fails the test.
"""

import datetime

import pytest

from blog.comments.models import Comment
from tests import query_counts
from tests.factories import CommentFactory, PostFactory, UserFactory, category_tree
from tests.shared_rows import keep_rows

pytestmark = pytest.mark.django_db

ARTICLE_QUERIES = query_counts.ARTICLE
HOME_QUERIES = query_counts.LIST
ARCHIVE_QUERIES = query_counts.ARCHIVE
CATEGORY_ARCHIVE_QUERIES = query_counts.CATEGORY_ARCHIVE
# Every post of make_posts() is published in the hour before this, on one day.
POSTS_BEFORE = datetime.datetime(2014, 2, 22, 12, tzinfo=datetime.UTC)


@pytest.fixture
def author():
    return UserFactory(username="jane", display_name="Jane Doe")


def make_posts(count, author, categories):
    marketing, seo, local = categories
    others = [UserFactory(display_name=f"Guest {n}") for n in range(3)]
    start = POSTS_BEFORE - datetime.timedelta(minutes=1)
    posts = []
    for n in range(count):
        post = PostFactory(
            author=author if n % 2 == 0 else others[n % 3],
            published_at=start - datetime.timedelta(seconds=30 * n),
            categories=[seo, local, marketing][: 1 + n % 3],
            tags=["apps", f"tag-{n}"],
        )
        CommentFactory.create_batch(1 + n % 3, post=post)
        CommentFactory(post=post, status=Comment.Status.PENDING)
        posts.append(post)
    return posts


def make_threaded_comments(post, count):
    """``count`` approved comments: every third one a reply, some replies to replies."""
    comments = []
    for n in range(count):
        parent = comments[n - 1] if n % 3 == 2 else (comments[0] if n % 3 == 1 else None)
        comments.append(
            CommentFactory(post=post, parent=parent, user=post.author if n == 4 else None)
        )
    CommentFactory(post=post, status=Comment.Status.SPAM)
    return comments


@pytest.mark.parametrize("comments", [1, 50])
def test_article_queries_do_not_grow_with_comments(
    client, django_assert_num_queries, author, categories, comments
):
    post = PostFactory(author=author, categories=list(categories), tags=["apps", "seo", "local"])
    make_threaded_comments(post, comments)
    url = post.get_absolute_url()

    with django_assert_num_queries(ARTICLE_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    assert response.text.count('class="comment"') == comments


@pytest.fixture(scope="class")
def posts(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """
    ``make_posts(request.param)`` by jane and guests in the category tree, built
    once for every test of the class that asks for that many (each test's
    own changes are rolled back after it, these when the class is done).
    """

    def build():
        author = UserFactory(username="jane", display_name="Jane Doe")
        return make_posts(request.param, author, category_tree())

    yield from keep_rows(django_db_blocker, tmp_path_factory, build)


# The first page of lists: 10 or 100 posts.
FIRST_PAGE = pytest.mark.parametrize("posts", [10, 100], indirect=True)
# The second page: a page (10 posts) more than that, named after the 10 or 100.
SECOND_PAGE = pytest.mark.parametrize(
    "posts", [pytest.param(10 + 10, id="10"), pytest.param(100 + 10, id="100")], indirect=True
)


class TestFirstPages:
    @FIRST_PAGE
    def test_home_queries_do_not_grow_with_posts(self, client, django_assert_num_queries, posts):
        with django_assert_num_queries(HOME_QUERIES):
            response = client.get("/")

        assert response.status_code == 200
        assert response.text.count('class="post-summary"') == 10

    @FIRST_PAGE
    @pytest.mark.parametrize(
        ("url", "queries"),
        [
            # Parent categories also show their children's posts.
            ("/category/marketing/", CATEGORY_ARCHIVE_QUERIES),
            ("/category/marketing/seo/", CATEGORY_ARCHIVE_QUERIES),
            ("/category/marketing/seo/local/", CATEGORY_ARCHIVE_QUERIES),
            ("/tag/apps/", ARCHIVE_QUERIES),
            ("/author/jane-doe/", ARCHIVE_QUERIES),
            ("/2014/", ARCHIVE_QUERIES),
            ("/2014/02/", ARCHIVE_QUERIES),
            ("/2014/02/22/", ARCHIVE_QUERIES),
        ],
    )
    def test_archive_queries_do_not_grow_with_posts(
        self, client, django_assert_num_queries, posts, url, queries
    ):
        with django_assert_num_queries(queries):
            response = client.get(url)

        assert response.status_code == 200
        assert response.text.count('class="post-summary"') >= 3


class TestSecondPages:
    @SECOND_PAGE
    def test_second_home_page_queries_do_not_grow_with_posts(
        self, client, django_assert_num_queries, posts
    ):
        with django_assert_num_queries(HOME_QUERIES):
            response = client.get("/page/2/")

        assert response.status_code == 200

    @SECOND_PAGE
    @pytest.mark.parametrize(
        ("url", "queries"),
        [
            ("/2014/02/22/page/2/", ARCHIVE_QUERIES),
            ("/category/marketing/page/2/", CATEGORY_ARCHIVE_QUERIES),
        ],
    )
    def test_second_archive_page_queries_do_not_grow_with_posts(
        self, client, django_assert_num_queries, posts, url, queries
    ):
        with django_assert_num_queries(queries):
            response = client.get(url)

        assert response.status_code == 200


@pytest.mark.parametrize("inline_images", [1, 5])
def test_article_with_library_images_does_not_grow_with_them(
    client, django_assert_num_queries, author, categories, inline_images
):
    from tests.media.factories import ImageFactory

    images = [ImageFactory(size=(900, 600)) for _ in range(inline_images)]
    body = "\n\n".join(f"Paragraph {n}.\n\n{image.markdown}" for n, image in enumerate(images))
    post = PostFactory(author=author, body=body, featured_image=ImageFactory(size=(900, 600)))

    # The article's queries, plus the featured image's renditions; the body's
    # library images were made responsive when the post was saved: no query.
    with django_assert_num_queries(ARTICLE_QUERIES + 1):
        response = client.get(post.get_absolute_url())

    assert response.text.count("srcset=") >= inline_images + 1


@pytest.mark.parametrize("comments", [0, 20])
def test_locked_protected_article_does_not_load_comments(
    client, django_assert_num_queries, author, comments
):
    post = PostFactory(author=author, password="open sesame")
    make_threaded_comments(post, comments)

    # The meta line counts comments; the comments themselves are not read, nor
    # are related posts.
    with django_assert_num_queries(ARTICLE_QUERIES - query_counts.RELATED_POSTS):
        response = client.get(post.get_absolute_url())

    assert "password protected" in response.text


@pytest.mark.parametrize("comments", [0, 20])
def test_shared_preview_does_not_load_comments(client, django_assert_num_queries, author, comments):
    from blog.posts import preview

    post = PostFactory(author=author, status="draft", published_at=None)
    make_threaded_comments(post, comments)
    link = preview.link_for(post)

    # As the article, with the comments counted for the meta line but not read;
    # a draft has no adjacent or related posts.
    queries = ARTICLE_QUERIES - query_counts.ADJACENT_POSTS - query_counts.RELATED_POSTS
    with django_assert_num_queries(queries):
        response = client.get(link)

    assert response.status_code == 200
