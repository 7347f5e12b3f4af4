"""
Open, closed and hidden comments, the site-wide switch and the age limit, as
readers see them on the article and the home page; and the comment mode a
new post takes from its categories.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.accounts.roles import CONTRIBUTOR
from blog.comments.models import Comment
from blog.posts.models import Post
from blog.sitesettings.models import SiteSettings
from tests.factories import CategoryFactory, CommentFactory, PostFactory, RoleUserFactory
from tests.helpers import form_data, meta_lines, one, page, text_of

pytestmark = pytest.mark.django_db

TITLE = "WhatsApp crashes"
OPEN, CLOSED, HIDDEN = Post.CommentMode.OPEN, Post.CommentMode.CLOSED, Post.CommentMode.HIDDEN
ADD_POST = reverse("admin:posts_post_add")


def make_post(mode=OPEN, **kwargs):
    post = PostFactory(title=TITLE, comment_mode=mode, **kwargs)
    first = CommentFactory(post=post, name="Maria", body="Approved words")
    CommentFactory(post=post, parent=first, name="Ann", body="Approved reply")
    CommentFactory(post=post, status=Comment.Status.PENDING, body="Pending words")
    return post


def post_a_comment(client, post):
    return client.post(
        reverse("comments:post", kwargs={"post_id": post.pk}),
        {"name": "Ann", "email": "ann@example.com", "body": "Too late?"},
    )


def assert_open(client, post):
    response = client.get(post.get_absolute_url())
    tree = page(response)
    assert meta_lines(response)[0].endswith(" // 2 Comments")
    assert one(tree, "p.post-meta span.comments-link a").attrs["href"].endswith("#comments")
    assert text_of(one(tree, "h2.comments-title")) == f"2 Comments on “{TITLE}”"
    assert len(tree.select("li.comment")) == 2
    assert len(tree.select("p.reply a")) == 2
    assert len(tree.select("form.comment-form")) == 1
    assert tree.select("p.comments-closed") == []
    assert meta_lines(client.get("/"))[0].endswith(" // 2 Comments")


def assert_closed(client, post):
    """Approved comments stay, without Reply links; no form; "Comments Off" in the meta line."""
    response = client.get(post.get_absolute_url())
    tree = page(response)
    assert meta_lines(response)[0].endswith(f" // Comments Off on {TITLE}")
    assert one(tree, "p.post-meta span.comments-link").select("a") == []
    assert text_of(one(tree, "h2.comments-title")) == f"2 Comments on “{TITLE}”"
    assert "Approved words" in text_of(one(tree, "ol.comment-list"))
    assert "Approved reply" in text_of(one(tree, "ol.comment-list"))
    assert "Pending words" not in response.text
    assert tree.select("p.reply") == []
    assert tree.select("form.comment-form") == []
    assert "Leave a Reply" not in response.text
    assert text_of(one(tree, "p.comments-closed")) == "Comments are closed."
    assert meta_lines(client.get("/"))[0].endswith(f" // Comments Off on {TITLE}")


def assert_hidden(client, post):
    """No comments, no form, no comments section at all; the meta line as closed."""
    response = client.get(post.get_absolute_url())
    tree = page(response)
    assert meta_lines(response)[0].endswith(f" // Comments Off on {TITLE}")
    assert tree.select("#comments") == []
    assert tree.select("li.comment") == []
    assert tree.select("form.comment-form") == []
    assert "Approved words" not in response.text
    assert "Maria" not in response.text
    assert meta_lines(client.get("/"))[0].endswith(f" // Comments Off on {TITLE}")


def assert_refused(client, post):
    before = Comment.objects.count()
    response = post_a_comment(client, post)
    assert response.status_code == 403
    assert "Comments are closed." in response.text
    assert Comment.objects.count() == before


def test_open_post(client):
    assert_open(client, make_post(OPEN))


def test_closed_post(client):
    post = make_post(CLOSED)

    assert_closed(client, post)
    assert_refused(client, post)


def test_hidden_post(client):
    post = make_post(HIDDEN)

    assert_hidden(client, post)
    assert_refused(client, post)


def test_closed_post_without_comments_says_comments_are_closed(client):
    post = PostFactory(title=TITLE, comment_mode=CLOSED)

    tree = page(client.get(post.get_absolute_url()))

    assert tree.select("h2.comments-title") == []
    assert tree.select("ol.comment-list") == []
    assert text_of(one(tree, "p.comments-closed")) == "Comments are closed."


def test_comments_closed_everywhere_closes_an_open_post(client):
    post = make_post(OPEN)
    SiteSettings(comments_closed_everywhere=True).save()

    assert_closed(client, post)
    assert_refused(client, post)


def test_comments_closed_everywhere_keeps_a_hidden_post_hidden(client):
    post = make_post(HIDDEN)
    SiteSettings(comments_closed_everywhere=True).save()

    assert_hidden(client, post)


def test_switching_closed_everywhere_off_opens_posts_again(client):
    post = make_post(OPEN)
    SiteSettings(comments_closed_everywhere=True).save()
    SiteSettings(comments_closed_everywhere=False).save()

    assert_open(client, post)


def test_post_older_than_the_age_limit_is_closed(client):
    post = make_post(OPEN, published_at=timezone.now() - datetime.timedelta(days=15))
    SiteSettings(close_comments_after_days=14).save()

    assert_closed(client, post)
    assert_refused(client, post)


def test_post_younger_than_the_age_limit_stays_open(client):
    post = make_post(OPEN, published_at=timezone.now() - datetime.timedelta(days=13))
    SiteSettings(close_comments_after_days=14).save()

    assert_open(client, post)


def test_hidden_post_past_the_age_limit_stays_hidden(client):
    post = make_post(HIDDEN, published_at=timezone.now() - datetime.timedelta(days=30))
    SiteSettings(close_comments_after_days=14).save()

    assert_hidden(client, post)


def test_reply_link_to_a_closed_post_brings_no_form(client):
    post = make_post(CLOSED)
    first = Comment.objects.get(name="Maria")

    response = client.get(f"{post.get_absolute_url()}?replytocom={first.pk}")

    assert page(response).select("form.comment-form") == []
    assert "Replying to" not in response.text


# The comment mode a new post takes from its categories.


def test_post_without_categories_takes_the_site_default():
    SiteSettings(default_comment_mode=CLOSED).save()

    assert PostFactory().comment_mode_from_categories() == CLOSED


def test_post_takes_its_categorys_default():
    post = PostFactory(categories=[CategoryFactory(default_comment_mode=HIDDEN)])

    assert post.comment_mode_from_categories() == HIDDEN


def test_categories_without_a_default_fall_back_to_the_site_default():
    SiteSettings(default_comment_mode=CLOSED).save()
    post = PostFactory(categories=[CategoryFactory(), CategoryFactory()])

    assert post.comment_mode_from_categories() == CLOSED


def test_first_category_by_name_with_a_default_wins():
    post = PostFactory(
        categories=[
            CategoryFactory(name="Zebras", default_comment_mode=CLOSED),
            CategoryFactory(name="Apples"),  # first by name, but no default
            CategoryFactory(name="Mangoes", default_comment_mode=HIDDEN),
            CategoryFactory(name="Pears", default_comment_mode=OPEN),
        ]
    )

    assert post.comment_mode_from_categories() == HIDDEN


def add_post(client, categories=(), **changes):
    response = client.get(ADD_POST)
    assert response.status_code == 200
    data = {
        **form_data(response, "form#post_form"),
        "title": "Filed post",
        "slug": "filed-post",
        "body": "Words.",
        "categories": [str(c.pk) for c in categories],
        **changes,
        "_save": "Save",
    }
    answer = client.post(ADD_POST, data)
    assert answer.status_code == 302, page(answer).select(".errorlist")
    return Post.objects.get(slug="filed-post")


def test_admin_add_form_offers_the_site_default(admin_client):
    SiteSettings(default_comment_mode=CLOSED).save()

    data = form_data(admin_client.get(ADD_POST), "form#post_form")

    assert data["comment_mode"] == CLOSED


def test_new_post_in_the_admin_takes_its_categorys_default(admin_client):
    closed = CategoryFactory(name="Announcements", default_comment_mode=CLOSED)

    post = add_post(admin_client, [closed, CategoryFactory(name="News")])

    assert post.comment_mode == CLOSED


def test_new_post_in_the_admin_takes_the_first_category_by_name(admin_client):
    categories = [
        CategoryFactory(name="Zebras", default_comment_mode=CLOSED),
        CategoryFactory(name="Mangoes", default_comment_mode=HIDDEN),
    ]

    post = add_post(admin_client, categories)

    assert post.comment_mode == HIDDEN


def test_new_post_in_the_admin_without_category_defaults_keeps_the_site_default(admin_client):
    SiteSettings(default_comment_mode=CLOSED).save()

    post = add_post(admin_client, [CategoryFactory(name="News")])

    assert post.comment_mode == CLOSED


def test_a_mode_the_author_chose_over_the_site_default_is_kept(admin_client):
    closed = CategoryFactory(name="Announcements", default_comment_mode=CLOSED)

    post = add_post(admin_client, [closed], comment_mode=HIDDEN)

    assert post.comment_mode == HIDDEN


def test_category_default_applies_over_a_site_default_of_closed(admin_client):
    SiteSettings(default_comment_mode=CLOSED).save()
    open_category = CategoryFactory(name="Open thread", default_comment_mode=OPEN)

    post = add_post(admin_client, [open_category])

    assert post.comment_mode == OPEN


def test_contributor_who_may_not_choose_gets_the_categorys_default(client):
    client.force_login(RoleUserFactory(username="connie", role=CONTRIBUTOR))
    closed = CategoryFactory(name="Announcements", default_comment_mode=CLOSED)

    post = add_post(client, [closed], status=Post.Status.PENDING)

    assert post.comment_mode == CLOSED


def test_editing_a_post_does_not_apply_the_category_default(admin_client):
    post = add_post(admin_client, [CategoryFactory(name="News")])
    closed = CategoryFactory(name="Announcements", default_comment_mode=CLOSED)
    change = reverse("admin:posts_post_change", args=[post.pk])

    response = admin_client.post(
        change,
        {
            **form_data(admin_client.get(change), "form#post_form"),
            "categories": [str(closed.pk)],
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    post.refresh_from_db()
    assert list(post.categories.all()) == [closed]
    assert post.comment_mode == OPEN


def test_new_post_with_a_closed_category_default_shows_comments_off(admin_client, client):
    closed = CategoryFactory(name="Announcements", default_comment_mode=CLOSED)
    post = add_post(admin_client, [closed], status=Post.Status.PUBLISHED)

    response = client.get(post.get_absolute_url())

    assert meta_lines(response)[0].endswith(" // Comments Off on Filed post")
    assert page(response).select("form.comment-form") == []
