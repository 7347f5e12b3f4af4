"""Editors switching comments off and on for posts through the real admin."""

import pytest
from django.urls import reverse

from blog.comments.models import Comment
from blog.posts.models import Post
from tests.factories import CategoryFactory, PostFactory
from tests.helpers import meta_lines, one, page, text_of

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:posts_post_changelist")
VALID_COMMENT = {"name": "Ann", "email": "ann@example.com", "body": "Late to the party."}


def set_comment_mode_from_changelist(client, post, mode):
    # The list's one-click switch (a row action) posts to its own address.
    action = "comments_on" if mode == Post.CommentMode.OPEN else "comments_off"
    return client.post(
        reverse("admin:posts_post_row_action", args=[post.pk, action]), {"next": CHANGELIST}
    )


def run_action(client, action, posts):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [str(p.pk) for p in posts], "index": "0"},
        follow=True,
    )


def assert_comments_off(client, post):
    response = client.get(post.get_absolute_url())
    assert meta_lines(response)[0].endswith(f" // Comments Off on {post.title}")
    assert page(response).select("form.comment-form") == []
    refused = client.post(reverse("comments:post", kwargs={"post_id": post.pk}), VALID_COMMENT)
    assert refused.status_code == 403
    assert "Comments are closed." in refused.text
    assert not Comment.objects.filter(post=post).exists()


def assert_comments_on(client, post):
    response = client.get(post.get_absolute_url())
    assert meta_lines(response)[0].endswith(" // No Comments")
    assert len(page(response).select("form.comment-form")) == 1


def test_changelist_switches_comments_off_for_one_post(admin_client):
    post = PostFactory(title="Closing soon")
    other = PostFactory(title="Stays open")

    response = set_comment_mode_from_changelist(admin_client, post, Post.CommentMode.CLOSED)

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.comment_mode == Post.CommentMode.CLOSED
    admin_client.logout()
    assert_comments_off(admin_client, post)
    assert_comments_on(admin_client, other)


def test_changelist_switches_comments_back_on(admin_client):
    post = PostFactory(comment_mode=Post.CommentMode.CLOSED)

    set_comment_mode_from_changelist(admin_client, post, Post.CommentMode.OPEN)

    admin_client.logout()
    assert_comments_on(admin_client, post)


def test_changelist_offers_the_comment_switch_per_row(admin_client):
    post = PostFactory()

    tree = page(admin_client.get(CHANGELIST))

    cell = one(tree, "#result_list td.field-comments_column")
    button = one(cell, "button.comment-toggle")
    assert (text_of(cell), text_of(button)) == ("Open Switch off", "Switch off")
    assert button.attrs["formaction"] == reverse(
        "admin:posts_post_row_action", args=[post.pk, "comments_off"]
    )
    assert post.title in text_of(tree)


def test_bulk_action_switches_comments_off_for_the_selection(admin_client):
    first, second = PostFactory(title="First"), PostFactory(title="Second")
    untouched = PostFactory(title="Untouched")

    response = run_action(admin_client, "close_comments", [first, second])

    assert response.status_code == 200
    assert "Comments switched off on 2 posts." in response.text
    admin_client.logout()
    assert_comments_off(admin_client, first)
    assert_comments_off(admin_client, second)
    assert_comments_on(admin_client, untouched)


def test_bulk_action_switches_comments_back_on(admin_client):
    first = PostFactory(comment_mode=Post.CommentMode.CLOSED)
    second = PostFactory(comment_mode=Post.CommentMode.CLOSED)

    response = run_action(admin_client, "open_comments", [first, second])

    assert "Comments switched on on 2 posts." in response.text
    admin_client.logout()
    assert_comments_on(admin_client, first)
    assert_comments_on(admin_client, second)


def test_bulk_action_counts_only_posts_it_changed(admin_client):
    open_post = PostFactory()
    closed_post = PostFactory(comment_mode=Post.CommentMode.CLOSED)

    response = run_action(admin_client, "close_comments", [open_post, closed_post])

    assert "Comments switched off on 1 post." in response.text
    assert set(Post.objects.values_list("comment_mode", flat=True)) == {"closed"}


def test_closing_then_opening_brings_the_form_back(admin_client):
    post = PostFactory()

    run_action(admin_client, "close_comments", [post])
    assert page(admin_client.get(post.get_absolute_url())).select("form.comment-form") == []
    run_action(admin_client, "open_comments", [post])

    assert len(page(admin_client.get(post.get_absolute_url())).select("form.comment-form")) == 1


def test_changelist_shows_scheduled_for_a_future_post(admin_client, tomorrow):
    PostFactory(title="Future", published_at=tomorrow)
    PostFactory(title="Live")
    PostFactory(title="Sketch", status=Post.Status.DRAFT)

    tree = page(admin_client.get(CHANGELIST))

    # The date column says what its date is, as WordPress's does.
    states = {
        text_of(one(row, ".row-title")): text_of(one(row, "td.field-date_column .date-state"))
        for row in one(tree, "table#result_list").select("tbody tr")
    }
    assert states == {"Future": "Scheduled", "Live": "Published", "Sketch": "Last modified"}


def test_scheduled_filter_lists_only_future_posts(admin_client, tomorrow):
    PostFactory(title="Future", published_at=tomorrow)
    PostFactory(title="Live")

    tree = page(admin_client.get(CHANGELIST, {"visibility": "scheduled"}))

    titles = [text_of(t) for t in one(tree, "table#result_list").select(".row-title")]
    assert titles == ["Future"]


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:posts_post_changelist"),
        reverse("admin:posts_post_add"),
        reverse("admin:categories_category_changelist"),
        reverse("admin:categories_category_add"),
        reverse("admin:comments_comment_changelist"),
        reverse("admin:comments_comment_add"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_add"),
    ],
)
def test_admin_pages_open(admin_client, url):
    PostFactory(categories=[CategoryFactory()], tags=["apps"])

    assert admin_client.get(url).status_code == 200


def test_admin_change_pages_open(admin_client):
    category = CategoryFactory()
    post = PostFactory(categories=[category], tags=["apps"])

    for url in (
        reverse("admin:posts_post_change", args=[post.pk]),
        reverse("admin:categories_category_change", args=[category.pk]),
        reverse("admin:accounts_user_change", args=[post.author.pk]),
    ):
        assert admin_client.get(url).status_code == 200, url


def test_admin_is_closed_to_readers(client):
    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_bulk_action_over_a_whole_category_filter(admin_client):
    news = CategoryFactory(name="News", slug="news")
    in_news = PostFactory.create_batch(3, categories=[news])
    elsewhere = PostFactory()
    filtered = f"{CHANGELIST}?category={news.pk}"

    # "Select all N posts" sends select_across with one selected row, as the admin does.
    response = admin_client.post(
        filtered,
        {"action": "close_comments", "select_across": "1", "_selected_action": [in_news[0].pk]},
        follow=True,
    )

    assert "Comments switched off on 3 posts." in response.text
    modes = dict(Post.objects.values_list("pk", "comment_mode"))
    assert [modes[p.pk] for p in in_news] == [Post.CommentMode.CLOSED] * 3
    assert modes[elsewhere.pk] == Post.CommentMode.OPEN
