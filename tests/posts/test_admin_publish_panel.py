"""
The publish panel of the post and page form: status, visibility and publish
time, Save draft and one main button that says what it will do, and a
message after saving that says what happened, with a link to it.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from blog.accounts.roles import CONTRIBUTOR
from blog.posts.models import Autosave, Post
from tests.factories import PageFactory, PostFactory, RoleUserFactory
from tests.helpers import form_data, one, page, text_of

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def add_url(kind="post"):
    return reverse(f"admin:{kind}s_{kind}_add")


def change_url(post, kind="post"):
    return reverse(f"admin:{kind}s_{kind}_change", args=[post.pk])


def submit(client, url, button, **changes):
    form = "#page_form" if "/pages/" in url else "#post_form"
    data = {**form_data(client.get(url), form), **changes}
    data[button] = "clicked"
    return client.post(url, data, follow=True)


def message(response):
    return text_of(one(page(response), ".messagelist li"))


def main_label(client, url):
    return text_of(one(page(client.get(url)), "[data-publish-button]"))


def test_the_panel_comes_first_with_its_fields_and_buttons(boss_client):
    tree = page(boss_client.get(add_url()))

    panel = one(tree, "#publish-panel")
    fieldsets = tree.select("#post_form fieldset.module")
    assert fieldsets[0].find_parent(id="publish-panel") is panel
    for name in ("status", "visibility", "password", "publish_time", "published_at"):
        assert panel.select(f".field-{name}"), name
    assert [
        text_of(b) for b in panel.select(".publish-panel__actions button, [data-publish-button]")
    ] == [
        "Save draft",
        "Preview (opens in a new tab)",
        "Publish",
    ]


def test_the_main_button_says_what_it_will_do(client, boss_client):
    draft = PostFactory(status=Post.Status.DRAFT, published_at=None)
    later = PostFactory(status=Post.Status.DRAFT, published_at=NOW + datetime.timedelta(days=3))
    live = PostFactory(status=Post.Status.PUBLISHED)

    assert main_label(boss_client, add_url()) == "Publish"
    assert main_label(boss_client, change_url(draft)) == "Publish"
    assert main_label(boss_client, change_url(later)) == "Schedule"
    assert main_label(boss_client, change_url(live)) == "Update"
    client.force_login(RoleUserFactory(role=CONTRIBUTOR, is_staff=True))
    assert main_label(client, add_url()) == "Submit for review"


def test_save_draft_says_so_with_a_preview_link(boss_client):
    response = submit(
        boss_client, add_url(), "_save_draft", title="First words", body="Body.", status="draft"
    )

    post = Post.objects.get()
    assert post.status == Post.Status.DRAFT
    assert response.redirect_chain[-1][0] == change_url(post)
    assert message(response) == "Post draft saved. Preview post"
    assert one(page(response), ".messagelist a").attrs["href"] == post.get_absolute_url()


def test_publish_publishes_now_and_links_to_the_post(boss_client):
    response = submit(boss_client, add_url(), "_publish", title="Out now", body="Body.")

    post = Post.objects.get()
    assert post.is_published and post.published_at == NOW
    assert message(response) == "Post published. View post"
    assert one(page(response), ".messagelist a").attrs["href"] == post.get_absolute_url()


def test_schedule_says_when_and_the_form_calls_it_scheduled(boss_client, settings):
    settings.TIME_ZONE = "UTC"
    response = submit(
        boss_client,
        add_url(),
        "_publish",
        title="Later",
        body="Body.",
        publish_time="date",
        published_at_0="2026-12-30",
        published_at_1="06:33:00",
    )

    post = Post.objects.get()
    assert post.is_scheduled
    assert message(response) == "Post scheduled for 30 Dec 2026, 06:33. Preview post"
    tree = page(response)
    assert text_of(one(tree, "#id_status option[selected]")) == "Scheduled"
    assert text_of(one(tree, "[data-publish-button]")) == "Update"
    # The list says the same.
    listing = boss_client.get(reverse("admin:posts_post_changelist"))
    assert "Scheduled" in listing.text


def test_update_of_a_live_post_keeps_its_date(boss_client):
    post = PostFactory(status=Post.Status.PUBLISHED, title="Live")
    published_at = post.published_at

    response = submit(boss_client, change_url(post), "_publish", title="Live, edited")

    post.refresh_from_db()
    assert (post.title, post.published_at, post.status) == (
        "Live, edited",
        published_at,
        Post.Status.PUBLISHED,
    )
    assert message(response) == "Post updated. View post"


def test_a_contributor_submits_for_review(client):
    client.force_login(RoleUserFactory(role=CONTRIBUTOR, is_staff=True))

    response = submit(client, add_url(), "_publish", title="Please look", body="Body.")

    assert Post.objects.get().status == Post.Status.PENDING
    assert message(response) == "Post submitted for review. Preview post"


def test_private_visibility_publishes_privately(boss_client):
    response = submit(
        boss_client, add_url(), "_publish", title="Ours", body="Body.", visibility="private"
    )

    post = Post.objects.get()
    assert post.status == Post.Status.PRIVATE
    assert message(response) == "Post privately published. View post"
    tree = page(boss_client.get(change_url(post)))
    assert one(tree, "#id_visibility input[checked]").attrs["value"] == "private"


def test_password_visibility_needs_a_password_and_keeps_what_was_typed(boss_client):
    response = submit(
        boss_client, add_url(), "_publish", title="Locked", body="Kept.", visibility="password"
    )

    assert not Post.objects.exists()
    tree = page(response)
    assert "Enter the password readers will need" in text_of(one(tree, ".field-password"))
    assert one(tree, "#id_title").attrs["value"] == "Locked"

    submit(
        boss_client,
        add_url(),
        "_publish",
        title="Locked",
        body="Kept.",
        visibility="password",
        password="open sesame",
    )
    assert Post.objects.get().password == "open sesame"


def test_public_visibility_clears_the_password(boss_client):
    post = PostFactory(status=Post.Status.PUBLISHED, password="secret")

    submit(boss_client, change_url(post), "_publish", visibility="public")

    post.refresh_from_db()
    assert post.password == ""


def test_a_date_is_needed_when_the_time_is_not_immediately(boss_client):
    response = submit(
        boss_client, add_url(), "_publish", title="When?", body="Body.", publish_time="date"
    )

    assert not Post.objects.exists()
    assert "Choose a date and time, or publish immediately." in text_of(
        one(page(response), ".field-published_at")
    )


def test_pages_have_the_panel_and_its_messages(boss_client):
    response = submit(boss_client, add_url("page"), "_publish", title="About", body="Us.")

    assert message(response) == "Page published. View page"
    about = PageFactory(title="Team")
    assert main_label(boss_client, change_url(about, "page")) == "Update"


def test_share_link_without_javascript_keeps_the_typed_text(boss_client, boss):
    with time_machine.travel(NOW - datetime.timedelta(hours=1), tick=False):
        post = PostFactory(title="Saved", body="Saved body.", status=Post.Status.DRAFT)
    url = change_url(post)
    data = {**form_data(boss_client.get(url), "#post_form"), "title": "Typed", "body": "Typed."}

    response = boss_client.post(
        reverse("admin:posts_post_share_preview", args=[post.pk]), data, follow=True
    )

    assert "Your unsaved changes are kept" in message(response)
    saved = Autosave.objects.get(post=post, user=boss)
    assert (saved.title, saved.body) == ("Typed", "Typed.")
    assert one(page(response), ".autosave-notice")


def test_share_link_for_the_script_answers_the_new_share_part(boss_client):
    post = PostFactory(status=Post.Status.DRAFT)

    answer = boss_client.post(
        reverse("admin:posts_post_share_preview", args=[post.pk]),
        HTTP_ACCEPT="application/json",
    ).json()

    assert "Share link (valid 7 days, for anyone)" in answer["html"]
    assert answer["message"].startswith("Anyone with the link")
    post.refresh_from_db()
    assert post.preview_key
    answer = boss_client.post(
        reverse("admin:posts_post_revoke_preview", args=[post.pk]),
        HTTP_ACCEPT="application/json",
    ).json()
    assert "Create a share link" in answer["html"]


def test_messages_use_the_sites_time_zone(boss_client, settings):
    settings.TIME_ZONE = "Europe/Paris"
    timezone.activate("Europe/Paris")
    try:
        response = submit(
            boss_client,
            add_url(),
            "_publish",
            title="Paris",
            body="Body.",
            publish_time="date",
            published_at_0="2026-12-30",
            published_at_1="06:33:00",
        )
    finally:
        timezone.deactivate()
    assert message(response) == "Post scheduled for 30 Dec 2026, 06:33. Preview post"


def test_a_date_typed_without_choosing_at_a_date_still_schedules(boss_client, settings):
    # With no script the date fields show whatever the choice; a typed date counts.
    settings.TIME_ZONE = "UTC"
    submit(
        boss_client,
        add_url(),
        "_publish",
        title="Typed date",
        body="Body.",
        publish_time="now",
        published_at_0="2026-12-30",
        published_at_1="06:33:00",
    )

    assert Post.objects.get().is_scheduled
