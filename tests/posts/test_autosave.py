"""Autosave of the open post: one per person per post, never published, offered on reopening."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog.posts import revisions
from blog.posts.models import Autosave, Post
from tests.factories import PostFactory, StaffFactory
from tests.helpers import one, page, text_of
from tests.posts.test_revisions import save_through_admin

pytestmark = pytest.mark.django_db

NOTICE = "There is an autosave of this post that is more recent than the version below."


@pytest.fixture
def draft():
    return PostFactory(
        title="Draft title",
        excerpt="Draft excerpt",
        body="Draft body",
        status=Post.Status.DRAFT,
        published_at=None,
    )


def url(name, post):
    return reverse(f"admin:posts_post_{name}", args=[post.pk])


def autosave(client, post, title="Typed title", excerpt="Typed excerpt", body="Typed body"):
    return client.post(url("autosave", post), {"title": title, "excerpt": excerpt, "body": body})


def panel(client, post):
    response = client.get(url("change", post))
    assert response.status_code == 200
    return response, one(page(response), "#revisions-panel")


def unchanged(post):
    stored = Post.objects.get(pk=post.pk)
    return (stored.title, stored.excerpt, stored.body, stored.status, stored.updated_at) == (
        post.title,
        post.excerpt,
        post.body,
        post.status,
        post.updated_at,
    )


# --- the endpoint -----------------------------------------------------------


def test_autosave_keeps_the_text_without_touching_the_post(boss_client, boss, draft):
    response = autosave(boss_client, draft, body="Half a <b>thought</b>")

    assert response.status_code == 200
    answer = response.json()
    saved = Autosave.objects.get()
    assert (saved.post, saved.user) == (draft, boss)
    assert (saved.title, saved.excerpt, saved.body) == (
        "Typed title",
        "Typed excerpt",
        "Half a <b>thought</b>",
    )
    assert datetime.datetime.fromisoformat(answer["saved_at"]) == saved.saved_at
    local = timezone.localtime(saved.saved_at)
    assert answer["message"] == f"Autosaved at {local:%H:%M:%S}."
    assert unchanged(draft)
    assert draft.revisions.count() == 1


def test_autosave_never_publishes(boss_client, draft):
    autosave(boss_client, draft)

    draft.refresh_from_db()
    assert draft.status == Post.Status.DRAFT
    assert draft.published_at is None
    assert not Post.objects.published().filter(pk=draft.pk).exists()


def test_one_autosave_per_person_per_post_replaced_each_time(boss_client, boss, draft):
    autosave(boss_client, draft, body="First")
    first = Autosave.objects.get()

    autosave(boss_client, draft, title="Again", body="Second")

    saved = Autosave.objects.get()
    assert saved.pk == first.pk
    assert (saved.title, saved.body) == ("Again", "Second")
    assert saved.saved_at >= first.saved_at
    assert unchanged(draft)


def test_each_person_has_their_own_autosave(boss_client, draft):
    other = Client()
    other.force_login(StaffFactory(username="colleague"))

    autosave(boss_client, draft, body="Mine")
    autosave(other, draft, body="Theirs")

    assert sorted(Autosave.objects.values_list("body", flat=True)) == ["Mine", "Theirs"]


def test_autosave_takes_the_csrf_token_from_a_header(boss, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(boss)
    client.get(url("change", draft))
    token = client.cookies["csrftoken"].value
    data = {"title": "t", "excerpt": "", "body": "b"}

    refused = client.post(url("autosave", draft), data)
    accepted = client.post(url("autosave", draft), data, headers={"X-CSRFToken": token})

    assert refused.status_code == 403
    assert accepted.status_code == 200
    assert Autosave.objects.get().body == "b"


def test_autosave_answers_405_to_get(boss_client, draft):
    response = boss_client.get(url("autosave", draft))

    assert response.status_code == 405
    assert not Autosave.objects.exists()


def test_autosave_refuses_too_long_a_title_in_json(boss_client, draft):
    response = autosave(boss_client, draft, title="x" * 201)

    assert response.status_code == 400
    answer = response.json()
    assert "title" in answer["errors"]
    assert answer["message"].startswith("Not autosaved: Title: ")
    assert not Autosave.objects.exists()


def test_fields_left_out_keep_what_the_post_holds(boss_client, draft):
    boss_client.post(url("autosave", draft), {"body": "Only the body"})

    saved = Autosave.objects.get()
    assert (saved.title, saved.excerpt, saved.body) == (
        "Draft title",
        "Draft excerpt",
        "Only the body",
    )


def test_autosave_of_an_unknown_post_is_a_json_404(boss_client):
    response = boss_client.post(reverse("admin:posts_post_autosave", args=[9999]), {})

    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "message": "Not autosaved: no such post."}


# --- offered on reopening -------------------------------------------------------


def test_reopening_the_post_offers_the_autosave(boss_client, draft):
    autosave(boss_client, draft)

    response, notice_panel = panel(boss_client, draft)

    assert NOTICE in text_of(notice_panel)
    assert response.context["pending_autosave"] == Autosave.objects.get()
    assert response.context["autosave_url"] == url("autosave", draft)
    assert response.context["revisions_url"] == url("revisions", draft)
    assert response.context["revision_count"] == 1
    assert "Revisions (1) — Browse" in text_of(notice_panel)
    assert one(notice_panel, "a")["href"] == url("revisions", draft)
    form = one(page(response), "form#post_form")
    restore, discard = (one(notice_panel, f"button.autosave-{n}") for n in ("restore", "discard"))
    for button, name in ((restore, "autosave_restore"), (discard, "autosave_discard")):
        assert button["formaction"] == url(name, draft)
        assert button["formmethod"] == "post"
        assert button["form"] == "post_form"
    assert (text_of(restore), text_of(discard)) == ("Restore", "Discard")
    # The form they post carries the CSRF token; Enter in a field still saves.
    assert form.select("input[name=csrfmiddlewaretoken]")
    assert _first_submit_button(page(response), form)["name"] == "_save"
    assert page(response).select("#revisions-panel [style]") == []


def _first_submit_button(tree, form):
    """The button a browser clicks on Enter: the form's first submit button in document order."""

    def owner(button):
        return button.get("form") or next(
            (parent.get("id") for parent in button.parents if parent.name == "form"), None
        )

    return next(
        button
        for button in tree.select("button, input[type=submit]")
        if button.get("type", "submit") == "submit" and owner(button) == form["id"]
    )


def test_no_offer_without_an_autosave(boss_client, draft):
    response, no_notice = panel(boss_client, draft)

    assert NOTICE not in text_of(no_notice)
    assert response.context["pending_autosave"] is None


def test_no_offer_when_the_autosave_holds_what_the_post_holds(boss_client, draft):
    autosave(boss_client, draft, title=draft.title, excerpt=draft.excerpt, body=draft.body)

    _, no_notice = panel(boss_client, draft)

    assert NOTICE not in text_of(no_notice)


def test_no_offer_when_the_post_was_saved_since(boss_client, draft):
    autosave(boss_client, draft)
    Autosave.objects.update(saved_at=timezone.now() - datetime.timedelta(minutes=5))
    draft.title = "Saved later, elsewhere"
    draft.save()

    _, no_notice = panel(boss_client, draft)

    assert NOTICE not in text_of(no_notice)


def test_someone_elses_autosave_is_not_offered(boss_client, draft):
    other = Client()
    other.force_login(StaffFactory(username="colleague"))
    autosave(other, draft)

    _, no_notice = panel(boss_client, draft)

    assert NOTICE not in text_of(no_notice)


def test_saving_the_post_in_the_admin_clears_ones_autosave(boss_client, draft):
    autosave(boss_client, draft)

    save_through_admin(boss_client, draft, title="Saved properly")

    assert not Autosave.objects.exists()


# --- restoring and discarding ---------------------------------------------------


def test_restoring_the_autosave_saves_it_as_a_new_revision(boss_client, boss, draft):
    autosave(boss_client, draft, title="Recovered", excerpt="", body="Recovered body")
    _, notice_panel = panel(boss_client, draft)
    restore_url = one(notice_panel, "button.autosave-restore")["formaction"]

    response = boss_client.post(restore_url, follow=True)

    assert response.redirect_chain == [(url("change", draft), 302)]
    draft.refresh_from_db()
    assert (draft.title, draft.excerpt, draft.body) == ("Recovered", "", "Recovered body")
    assert draft.status == Post.Status.DRAFT
    newest = draft.revisions.first()
    assert (newest.title, newest.body, newest.created_by) == ("Recovered", "Recovered body", boss)
    assert not Autosave.objects.exists()
    assert any(
        text_of(li).startswith("Restored the autosave from ")
        for li in page(response).select("ul.messagelist li")
    )
    assert NOTICE not in response.text


def test_restoring_an_autosave_with_no_title_keeps_the_posts_title(boss, draft):
    saved = revisions.autosave(draft, boss, title="", excerpt="e", body="b")

    post = revisions.restore_autosave(saved, boss)

    assert (post.title, post.body) == ("Draft title", "b")


def test_discarding_the_autosave_leaves_the_post_alone(boss_client, draft):
    autosave(boss_client, draft)

    response = boss_client.post(url("autosave_discard", draft))

    assert response.status_code == 302
    assert response["Location"] == url("change", draft)
    assert not Autosave.objects.exists()
    assert unchanged(draft)


@pytest.mark.parametrize("name", ["autosave_restore", "autosave_discard"])
def test_restore_and_discard_take_only_post(boss_client, draft, name):
    autosave(boss_client, draft)

    response = boss_client.get(url(name, draft))

    assert response.status_code == 405
    assert Autosave.objects.count() == 1
    assert unchanged(draft)


def test_restore_with_no_autosave_changes_nothing(boss_client, draft):
    response = boss_client.post(url("autosave_restore", draft))

    assert response.status_code == 302
    assert unchanged(draft)


# --- permissions ------------------------------------------------------------------


def test_staff_who_may_not_change_the_post_are_refused(onlooker_client, onlooker, boss, draft):
    Post.objects.filter(pk=draft.pk).update(author=onlooker)
    revisions.autosave(draft, boss, "Boss's", "", "Boss's body")

    refused = autosave(onlooker_client, draft)

    assert refused.status_code == 403
    assert refused.json() == {
        "error": "forbidden",
        "message": "Not autosaved: you may not edit this post.",
    }
    assert onlooker_client.post(url("autosave_restore", draft)).status_code == 403
    assert onlooker_client.post(url("autosave_discard", draft)).status_code == 403
    assert Autosave.objects.get().user == boss
    assert unchanged(draft)


def test_readers_cannot_autosave(client, draft):
    response = autosave(client, draft)

    assert response.status_code == 302
    assert not Autosave.objects.exists()
