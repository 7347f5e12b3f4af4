"""The meta line under a title: date // by author // categories // comments."""

import datetime

import pytest
from django.urls import reverse

from blog.comments.models import Comment
from blog.posts.models import Post
from blog.sitesettings.models import SiteSettings
from tests.factories import CategoryFactory, CommentFactory, PostFactory, UserFactory
from tests.helpers import meta_lines, one, page, text_of

pytestmark = pytest.mark.django_db

TITLE = "WhatsApp crashes and leaves millions speechless"
FEB_22_2014 = datetime.datetime(2014, 2, 22, 10, 0, tzinfo=datetime.UTC)


def article_meta(client, post):
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    (line,) = meta_lines(response)
    return line


def article_meta_node(client, post):
    return one(page(client.get(post.get_absolute_url())), "p.post-meta")


@pytest.fixture
def whatsapp_post():
    return PostFactory(
        title=TITLE,
        author=UserFactory(username="admin"),
        published_at=FEB_22_2014,
        comment_mode=Post.CommentMode.CLOSED,
        categories=[CategoryFactory(name="Online Marketing Tips", slug="online-marketing-tips")],
    )


def test_closed_post_with_one_category_has_the_wordpress_meta_line(client, whatsapp_post):
    assert article_meta(client, whatsapp_post) == (
        "Feb 22, 2014 // by admin // Online Marketing Tips // Comments Off on "
        "WhatsApp crashes and leaves millions speechless"
    )


def test_closed_post_meta_line_has_no_comments_link(client, whatsapp_post):
    meta = article_meta_node(client, whatsapp_post)

    assert one(meta, "span.comments-link").select("a") == []


def test_open_post_without_comments_says_no_comments(client):
    post = PostFactory(
        title="Quiet", author=UserFactory(username="admin"), published_at=FEB_22_2014
    )

    assert article_meta(client, post) == "Feb 22, 2014 // by admin // No Comments"


def test_open_post_comment_count_links_to_the_comments(client):
    post = PostFactory()

    link = one(one(article_meta_node(client, post), "span.comments-link"), "a")

    assert link.attrs["href"] == f"{post.get_absolute_url()}#comments"
    assert text_of(link) == "No Comments"


@pytest.mark.parametrize(
    ("approved", "label"), [(0, "No Comments"), (1, "1 Comment"), (3, "3 Comments")]
)
def test_open_post_counts_only_approved_comments(client, approved, label):
    post = PostFactory()
    CommentFactory.create_batch(approved, post=post)
    for status in (Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.TRASH):
        CommentFactory(post=post, status=status)

    assert article_meta(client, post).endswith(f" // {label}")


def test_comments_on_other_posts_are_not_counted(client):
    post = PostFactory()
    CommentFactory.create_batch(2, post=PostFactory())

    assert article_meta(client, post).endswith(" // No Comments")


def test_two_categories_are_joined_with_a_comma(client):
    post = PostFactory(
        author=UserFactory(username="admin"),
        published_at=FEB_22_2014,
        categories=[
            CategoryFactory(name="Apps", slug="apps"),
            CategoryFactory(name="Online Marketing Tips", slug="omt"),
        ],
    )

    assert article_meta(client, post) == (
        "Feb 22, 2014 // by admin // Apps, Online Marketing Tips // No Comments"
    )


def test_display_name_is_shown_when_set(client):
    author = UserFactory(username="jdoe", display_name="Jane Doe")
    post = PostFactory(author=author)

    assert " // by Jane Doe // " in article_meta(client, post)
    assert "jdoe" not in article_meta(client, post)


def test_username_is_shown_without_a_display_name(client):
    post = PostFactory(author=UserFactory(username="jdoe", display_name=""))

    assert " // by jdoe // " in article_meta(client, post)


def test_author_links_to_the_author_archive(client):
    post = PostFactory(author=UserFactory(username="jdoe", display_name="Jane Doe"))

    link = article_meta_node(client, post).select("a")[0]

    assert link.attrs["href"] == "/author/jane-doe/"
    assert link.attrs["rel"] == "author"
    assert text_of(link) == "Jane Doe"


def test_child_category_links_to_its_full_path(client):
    parent = CategoryFactory(name="Marketing", slug="marketing")
    child = CategoryFactory(name="SEO", slug="seo", parent=parent)
    post = PostFactory(categories=[child])

    links = [a for a in article_meta_node(client, post).select("a") if text_of(a) == "SEO"]

    assert [a.attrs["href"] for a in links] == ["/category/marketing/seo/"]


def test_date_is_shown_in_the_site_time_zone(client, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    post = PostFactory(
        slug="late-night",
        published_at=datetime.datetime(2014, 2, 22, 23, 30, tzinfo=datetime.UTC),
    )

    assert post.get_absolute_url() == "/2014/02/23/late-night/"
    assert article_meta(client, post).startswith("Feb 23, 2014 // ")


def test_date_in_utc_site_is_the_utc_date(client, settings):
    settings.TIME_ZONE = "UTC"
    post = PostFactory(
        slug="late-night",
        published_at=datetime.datetime(2014, 2, 22, 23, 30, tzinfo=datetime.UTC),
    )

    assert post.get_absolute_url() == "/2014/02/22/late-night/"
    assert article_meta(client, post).startswith("Feb 22, 2014 // ")


def test_utc_date_in_the_url_redirects_to_the_local_date(client, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    PostFactory(
        slug="late-night",
        published_at=datetime.datetime(2014, 2, 22, 23, 30, tzinfo=datetime.UTC),
    )

    response = client.get("/2014/02/22/late-night/")

    assert response.status_code == 301
    assert response["Location"] == "/2014/02/23/late-night/"


def test_home_page_summaries_carry_the_same_meta_line(client, whatsapp_post):
    PostFactory(
        title="Second",
        author=UserFactory(username="jdoe", display_name="Jane Doe"),
        published_at=FEB_22_2014 - datetime.timedelta(days=1),
    )
    CommentFactory.create_batch(2, post=Post.objects.get(title="Second"))

    lines = meta_lines(client.get(reverse("posts:home")))

    assert lines == [
        "Feb 22, 2014 // by admin // Online Marketing Tips // Comments Off on "
        "WhatsApp crashes and leaves millions speechless",
        "Feb 21, 2014 // by Jane Doe // 2 Comments",
    ]


def test_article_and_summary_meta_lines_match(client, whatsapp_post):
    summary = meta_lines(client.get(reverse("posts:home")))

    assert summary == [article_meta(client, whatsapp_post)]


def test_site_wide_switch_turns_comments_off_everywhere(client):
    SiteSettings(comments_closed_everywhere=True).save()
    first = PostFactory(title="First open post")
    second = PostFactory(title="Second open post")
    CommentFactory(post=first)

    assert article_meta(client, first).endswith(" // Comments Off on First open post")
    lines = meta_lines(client.get(reverse("posts:home")))
    assert [line.rsplit(" // ", 1)[1] for line in lines] == [
        "Comments Off on Second open post",
        "Comments Off on First open post",
    ]
    assert second.title in lines[0]
