"""
Auto-drafts: a new post's first autosave makes a hidden row that the open
form then edits, as WordPress does, so no work is lost and saving never
makes a second post. Hidden means: not listed, counted, slugged or given
revisions, and purged 7 days after its last autosave if never saved.
"""

import datetime
import io

import pytest
import time_machine
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from blog.accounts.roles import EDITOR
from blog.pages.models import Page
from blog.posts.models import Autosave, Post
from tests.factories import PostFactory, RoleUserFactory
from tests.helpers import form_data, one, page, text_of

pytestmark = pytest.mark.django_db


def autosave_new(client, kind="post", **typed):
    data = {"title": "", "excerpt": "", "body": "", **typed}
    return client.post(reverse(f"admin:{kind}s_{kind}_autosave_new"), data)


@pytest.fixture
def auto_draft(boss_client):
    answer = autosave_new(boss_client, title="Half a thought", body="Typed before saving.")
    assert answer.status_code == 200
    return Post.auto_drafts.get(pk=answer.json()["id"])


def test_the_first_autosave_makes_a_hidden_auto_draft(boss_client, boss):
    answer = autosave_new(boss_client, title="Half a thought", body="Typed before saving.")

    assert answer.status_code == 200
    reply = answer.json()
    draft = Post.auto_drafts.get(pk=reply["id"])
    assert reply["change_url"] == reverse("admin:posts_post_change", args=[draft.pk])
    assert reply["autosave_url"] == reverse("admin:posts_post_autosave", args=[draft.pk])
    assert reply["message"].startswith("Autosaved at")
    assert (draft.title, draft.body, draft.author, draft.kind) == (
        "Half a thought",
        "Typed before saving.",
        boss,
        Post.Kind.POST,
    )
    # Not listed, counted, slugged or given a revision.
    assert not Post.objects.exists()
    assert not Post.any_kind.exists()
    assert (draft.slug, draft.path, draft.revisions.count()) == ("", "", 0)
    listing = boss_client.get(reverse("admin:posts_post_changelist"))
    assert "Half a thought" not in listing.text


def test_many_auto_drafts_live_side_by_side_without_slugs(boss_client):
    for title in ("One", "Two", "Three"):
        assert autosave_new(boss_client, title=title).status_code == 200

    assert Post.auto_drafts.count() == 3
    assert set(Post.auto_drafts.values_list("slug", flat=True)) == {""}


def test_later_autosaves_write_to_the_auto_draft_itself(boss_client, auto_draft):
    answer = boss_client.post(
        reverse("admin:posts_post_autosave", args=[auto_draft.pk]),
        {"title": "A whole thought", "excerpt": "", "body": "Typed some more."},
    )

    assert answer.status_code == 200
    auto_draft.refresh_from_db()
    assert (auto_draft.title, auto_draft.body) == ("A whole thought", "Typed some more.")
    assert auto_draft.status == Post.AUTO_DRAFT
    assert not Autosave.objects.exists()
    assert auto_draft.revisions.count() == 0


def test_the_form_of_an_auto_draft_is_still_an_add_form(boss_client, auto_draft):
    response = boss_client.get(reverse("admin:posts_post_change", args=[auto_draft.pk]))

    assert response.status_code == 200
    tree = page(response)
    assert text_of(one(tree, "h1")) == "Add post"
    assert one(tree, "#id_title").attrs["value"] == "Half a thought"
    assert one(tree, "#id_status option[selected]").attrs["value"] == Post.Status.DRAFT


def test_only_its_author_finds_an_auto_draft(client, auto_draft):
    client.force_login(RoleUserFactory(username="other-editor", role=EDITOR, is_staff=True))

    response = client.get(reverse("admin:posts_post_change", args=[auto_draft.pk]))

    assert response.status_code == 302  # the admin's "no such post" answer
    assert not Post.objects.exists()


def test_saving_the_auto_draft_makes_one_post_added_with_one_revision(boss_client, auto_draft):
    url = reverse("admin:posts_post_change", args=[auto_draft.pk])
    data = form_data(boss_client.get(url), "#post_form")

    response = boss_client.post(url, {**data, "_publish": "Publish"})

    assert response.status_code == 302
    post = Post.objects.get()
    assert post.pk == auto_draft.pk
    assert post.is_published and post.slug == "half-a-thought"
    assert not Post.auto_drafts.exists()
    assert post.revisions.count() == 1
    assert LogEntry.objects.get(object_id=str(post.pk)).action_flag == ADDITION


def test_the_add_form_offers_the_unsaved_drafts_back(boss_client, auto_draft):
    tree = page(boss_client.get(reverse("admin:posts_post_add")))

    offer = one(tree, ".unsaved-drafts")
    link = one(offer, "a")
    assert text_of(link) == "Half a thought"
    assert link.attrs["href"] == reverse("admin:posts_post_change", args=[auto_draft.pk])


def test_discarding_an_auto_draft_deletes_it(boss_client, auto_draft):
    response = boss_client.post(reverse("admin:posts_post_autosave_discard", args=[auto_draft.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:posts_post_add")
    assert not Post.auto_drafts.exists()


def test_a_page_gets_an_auto_draft_of_its_own_kind(boss_client):
    answer = autosave_new(boss_client, kind="page", title="About us")

    draft = Post.auto_drafts.get(pk=answer.json()["id"])
    assert draft.kind == Post.Kind.PAGE
    assert draft.comment_mode == Post.CommentMode.CLOSED
    assert not Page.objects.exists()
    offer = one(page(boss_client.get(reverse("admin:pages_page_add"))), ".unsaved-drafts")
    assert "About us" in text_of(offer)


def test_preview_before_the_first_save_shows_the_typed_article(boss_client):
    response = boss_client.post(
        reverse("admin:posts_post_theme_preview_new"),
        {"title": "Not saved yet", "body": "## A heading\n\nWords.", "body_format": "markdown"},
    )

    assert response.status_code == 200
    assert "Not saved yet" in text_of(one(page(response), "h1"))
    assert "A heading" in response.text
    assert "no-cache" in response["Cache-Control"]
    assert not Post.objects.exists()


def test_preview_of_a_saved_post_shows_the_unsaved_text_and_saves_nothing(boss_client):
    post = PostFactory(title="Saved title", body="Saved body.", status=Post.Status.DRAFT)

    response = boss_client.post(
        reverse("admin:posts_post_theme_preview", args=[post.pk]),
        {"title": "Typed title", "body": "Typed body.", "excerpt": ""},
    )

    assert response.status_code == 200
    assert "Typed body." in response.text
    post.refresh_from_db()
    assert (post.title, post.body) == ("Saved title", "Saved body.")


def purge(command):
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("command", ["purge_auto_drafts", "purge_trash"])
def test_auto_drafts_left_for_7_days_are_purged(boss_client, command):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        autosave_new(boss_client, title="Abandoned")
    with time_machine.travel(start + datetime.timedelta(days=5), tick=False):
        autosave_new(boss_client, title="Recent")
    with time_machine.travel(start + datetime.timedelta(days=7, minutes=1), tick=False):
        said = purge(command)

    assert list(Post.auto_drafts.values_list("title", flat=True)) == ["Recent"]
    assert "Purged 1 auto-draft(s) not autosaved for 7 days." in said
