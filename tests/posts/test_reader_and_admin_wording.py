"""
What people read around a post, in words: a draft's meta line with no
dangling separator, the delete page saying what goes with the post, and which
saves keep a revision (the README's *History* says the same).
"""

import datetime

import pytest
import time_machine
from django.urls import reverse

from blog.posts.models import Post, Revision
from tests.factories import CategoryFactory, CommentFactory, PageFactory, PostFactory
from tests.helpers import form_data, one, page, text_of

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC)


# The meta line of a draft's preview


def test_a_drafts_preview_meta_line_starts_at_the_author(boss_client, boss):
    category = CategoryFactory(name="Email Marketing")
    draft = PostFactory(
        author=boss, status=Post.Status.DRAFT, published_at=None, categories=[category]
    )

    meta = text_of(one(page(boss_client.get(draft.get_absolute_url())), ".post-meta"))

    assert meta == "by The Boss // Email Marketing // No Comments"


def test_a_published_posts_meta_line_still_starts_with_its_date(client):
    post = PostFactory(published_at=datetime.datetime(2014, 2, 22, 19, 30, tzinfo=datetime.UTC))

    meta = text_of(one(page(client.get(post.get_absolute_url())), ".post-meta"))

    assert meta.startswith("Feb 22, 2014 // by ")


# The delete page


@pytest.fixture
def busy_post():
    post = PostFactory(
        title="WhatsApp crashes",
        categories=CategoryFactory.create_batch(3),
        tags=["whatsapp", "outages", "apps", "news"],
    )
    first = CommentFactory(post=post)
    CommentFactory.create_batch(10, post=post)
    CommentFactory(post=post, parent=first)
    return post


def effects(response):
    return [text_of(li) for li in page(response).select(".post-delete-effects li")]


def test_the_delete_page_says_what_goes_in_words(boss_client, busy_post):
    response = boss_client.get(reverse("admin:posts_post_delete", args=[busy_post.pk]))

    assert effects(response) == [
        "12 comments and 1 revision will be deleted.",
        "3 categories and 4 tags will be detached (they stay, for other posts).",
    ]
    assert "relationship" not in response.text
    assert "object (" not in response.text


def test_the_bulk_delete_page_says_it_for_all_the_posts(boss_client, busy_post):
    other = PostFactory(categories=busy_post.categories.all()[:1])
    for post in (busy_post, other):
        post.trash()
    response = boss_client.post(
        f"{reverse('admin:posts_post_changelist')}?status=trash",
        {"action": "delete_selected", "_selected_action": [busy_post.pk, other.pk], "index": "0"},
    )

    assert effects(response) == [
        "12 comments and 2 revisions will be deleted.",
        "3 categories and 4 tags will be detached (they stay, for other posts).",
    ]


def test_a_page_with_nothing_attached_says_so(boss_client):
    about = PageFactory(title="About")
    Revision.objects.filter(post=about).delete()

    response = boss_client.get(reverse("admin:pages_page_delete", args=[about.pk]))

    assert effects(response) == ["Nothing else is deleted with it."]


# Revisions per save


def save_through_the_form(client, url, button, **changes):
    form = "#post_form"
    data = {**form_data(client.get(url), form), **changes}
    data[button] = "clicked"
    return client.post(url, data, follow=True)


def test_saves_that_change_no_text_keep_no_new_revision(boss_client):
    with time_machine.travel(NOW, tick=False):
        add = reverse("admin:posts_post_add")
        save_through_the_form(boss_client, add, "_save_draft", title="Plans", body="Body.")
        post = Post.objects.get()
        change = reverse("admin:posts_post_change", args=[post.pk])
        save_through_the_form(
            boss_client,
            change,
            "_publish",
            publish_time="date",
            published_at_0="2026-12-30",
            published_at_1="06:33:00",
        )
        save_through_the_form(boss_client, change, "_publish", publish_time="now")
        post.refresh_from_db()
        assert post.is_published
        # Draft, scheduled, published: the same text, so one revision holds it.
        assert Revision.objects.filter(post=post).count() == 1

        save_through_the_form(boss_client, change, "_publish", body="Body, longer now.")

        assert list(
            Revision.objects.filter(post=post)
            .order_by("created_at", "pk")
            .values_list("body", flat=True)
        ) == ["Body.", "Body, longer now."]
