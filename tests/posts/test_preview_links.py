"""Previews of unpublished posts: for their editors at the permalink, for anyone by a share link."""

import datetime

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse

from blog.accounts.roles import CONTRIBUTOR, EDITOR
from blog.posts.models import Post
from tests.factories import PostFactory, RoleUserFactory
from tests.helpers import one, page, text_of

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 5, 4, 10, 0, tzinfo=datetime.UTC)
BODY_LINE = "Not sure if you've noticed any service interruptions today."


def share_url(post):
    return reverse("admin:posts_post_share_preview", args=[post.pk])


def revoke_url(post):
    return reverse("admin:posts_post_revoke_preview", args=[post.pk])


def change_url(post):
    return reverse("admin:posts_post_change", args=[post.pk])


@pytest.fixture
def editor(client):
    user = RoleUserFactory(username="ed", role=EDITOR)
    client.force_login(user)
    return user


@pytest.fixture
def draft():
    return PostFactory(title="Work in progress", status=Post.Status.DRAFT, published_at=None)


def share_link(client, post):
    """Press "Create a share link" in the change form and read the link it then shows."""
    response = client.post(share_url(post))
    assert response.status_code == 302
    assert response["Location"] == change_url(post)
    form = client.get(change_url(post))
    links = [
        a.attrs["href"]
        for a in page(form).select(".field-preview_link a")
        if a.attrs["href"].startswith("/preview/")
    ]
    assert len(links) == 1
    return links[0]


def assert_preview_shown(response):
    assert response.status_code == 200
    tree = page(response)
    assert text_of(one(tree, "h1.entry-title")) == "Work in progress"
    assert BODY_LINE in text_of(one(tree, ".entry-content"))
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]
    assert one(tree, 'meta[name="robots"]').attrs["content"] == "noindex"
    assert text_of(one(tree, ".preview-notice")) == (
        "Preview: readers cannot see this post yet (status: Draft)."
    )
    # A preview takes no comments.
    assert tree.select("#comments") == []


def test_editor_previews_a_draft_at_its_permalink(client, editor, draft):
    response = client.get(draft.get_absolute_url())

    assert response.status_code == 200
    tree = page(response)
    assert text_of(one(tree, ".preview-notice")) == (
        "Preview: readers cannot see this post yet (status: Draft)."
    )
    assert BODY_LINE in text_of(one(tree, ".entry-content"))
    assert "no-store" in response["Cache-Control"]
    assert Client().get(draft.get_absolute_url()).status_code == 404


def test_change_form_offers_the_theme_preview_and_a_share_button(client, editor, draft):
    tree = page(client.get(change_url(draft)))

    # The publish panel's Preview posts the form (unsaved text and all) to a new tab.
    preview = one(tree, "[data-preview-button]")
    assert preview.attrs["formaction"] == reverse("admin:posts_post_theme_preview", args=[draft.pk])
    assert preview.attrs["formtarget"] == "_blank"
    field = one(tree, ".field-preview_link")
    button = one(field, "button")
    assert button.attrs["formaction"] == share_url(draft)
    assert text_of(button) == "Create a share link"


def test_share_link_opens_for_someone_with_no_account(client, editor, draft):
    link = share_link(client, draft)

    assert_preview_shown(Client().get(link))


def test_share_link_is_offered_with_a_revoke_button(client, editor, draft):
    share_link(client, draft)

    field = one(page(client.get(change_url(draft))), ".field-preview_link")
    assert "Share link (valid 7 days, for anyone)" in text_of(field)
    assert one(field, "button[formaction]").attrs["formaction"] == revoke_url(draft)


def test_share_link_is_shown_as_a_full_address_to_copy(client, editor, draft, settings):
    settings.BLOG_SITE_URL = "https://blog.example.com/"
    # Each page signs the link afresh, with the time: both pages in the same second.
    with time_machine.travel(START, tick=False):
        link = share_link(client, draft)
        field = one(page(client.get(change_url(draft))), ".field-preview_link")
    assert one(field, "input[data-share-url]").attrs["value"] == f"https://blog.example.com{link}"
    assert text_of(one(field, "button[data-copy-share]")) == "Copy link"


def test_share_link_expires_after_7_days(client, editor, draft):
    with time_machine.travel(START, tick=False):
        link = share_link(client, draft)
    reader = Client()

    with time_machine.travel(START + datetime.timedelta(days=7, minutes=-1), tick=False):
        assert reader.get(link).status_code == 200
    with time_machine.travel(START + datetime.timedelta(days=7, minutes=1), tick=False):
        response = reader.get(link)

    assert response.status_code == 404
    assert "Work in progress" not in response.text


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token.replace(token.split(":")[0], token.split(":")[0][::-1], 1),
        lambda token: "not-a-token",
    ],
    ids=["signature", "payload", "garbage"],
)
def test_tampered_link_is_404(client, editor, draft, tamper):
    link = share_link(client, draft)
    token = link.removeprefix("/preview/").removesuffix("/")

    response = Client().get(reverse("posts:preview", kwargs={"token": tamper(token)}))

    assert response.status_code == 404


def test_link_signed_with_another_key_is_404(client, editor, draft):
    other = PostFactory(title="Other draft", status=Post.Status.DRAFT, published_at=None)
    share_link(client, other)
    other.refresh_from_db()
    # The right post and preview key, but not signed with the site's secret.
    token = signing.dumps({"post": other.pk, "key": other.preview_key}, key="x" * 50)

    assert Client().get(reverse("posts:preview", kwargs={"token": token})).status_code == 404


def test_revoking_makes_every_link_given_out_404(client, editor, draft):
    first = share_link(client, draft)
    second = share_link(client, draft)
    reader = Client()
    assert reader.get(first).status_code == 200

    response = client.post(revoke_url(draft))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.preview_key == ""
    assert reader.get(first).status_code == 404
    assert reader.get(second).status_code == 404
    # A new link can be made, and the old ones stay dead.
    new = share_link(client, draft)
    assert reader.get(new).status_code == 200
    assert reader.get(first).status_code == 404


def test_trashing_a_post_kills_its_links(client, editor, draft):
    link = share_link(client, draft)
    draft.refresh_from_db()

    draft.trash()

    assert Client().get(link).status_code == 404


@pytest.mark.parametrize("url", [share_url, revoke_url], ids=["share", "revoke"])
def test_share_and_revoke_answer_only_post(client, editor, draft, url):
    response = client.get(url(draft))

    assert response.status_code == 405
    draft.refresh_from_db()
    assert draft.preview_key == ""


def test_readers_cannot_share(client, draft):
    response = Client().post(share_url(draft))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    draft.refresh_from_db()
    assert draft.preview_key == ""


def test_contributor_cannot_share_someone_elses_post(client, draft):
    client.force_login(RoleUserFactory(username="cont", role=CONTRIBUTOR))

    response = client.post(share_url(draft))

    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.preview_key == ""


def test_contributor_cannot_revoke_someone_elses_links(client, editor, draft):
    link = share_link(client, draft)
    client.force_login(RoleUserFactory(username="cont", role=CONTRIBUTOR))

    assert client.post(revoke_url(draft)).status_code == 404

    assert Client().get(link).status_code == 200


def test_contributor_shares_their_own_draft(client):
    contributor = RoleUserFactory(username="cont", role=CONTRIBUTOR)
    client.force_login(contributor)
    post = PostFactory(
        title="Work in progress", author=contributor, status=Post.Status.DRAFT, published_at=None
    )

    link = share_link(client, post)

    assert_preview_shown(Client().get(link))


def test_contributor_cannot_share_their_published_post(client):
    contributor = RoleUserFactory(username="cont", role=CONTRIBUTOR)
    client.force_login(contributor)
    post = PostFactory(author=contributor)

    assert client.post(share_url(post)).status_code == 403
    post.refresh_from_db()
    assert post.preview_key == ""


# Once the post moves on, a share link shows no more than a reader could see.


def publish(post, **changes):
    post.refresh_from_db()
    for name, value in {"status": Post.Status.PUBLISHED, **changes}.items():
        setattr(post, name, value)
    post.published_at = post.published_at or START
    post.save()
    return post


def test_once_published_a_share_link_leads_to_the_permalink(client, editor, draft):
    link = share_link(client, draft)
    publish(draft)
    reader = Client()

    response = reader.get(link)

    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    assert "no-store" in response["Cache-Control"]
    article = reader.get(response["Location"])
    assert BODY_LINE in text_of(one(page(article), ".entry-content"))
    assert page(article).select(".preview-notice") == []


def test_published_with_a_password_the_link_leads_to_the_password_form(client, editor, draft):
    link = share_link(client, draft)
    publish(draft, password="open sesame")
    reader = Client()

    response = reader.get(link)

    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    article = reader.get(response["Location"], follow=True)
    assert BODY_LINE not in article.text
    assert page(article).select(".entry-content") == []
    one(page(article), "form.password-form")


@pytest.mark.parametrize(
    "change",
    [
        {"password": "open sesame"},
        {"status": Post.Status.PRIVATE, "published_at": START},
    ],
    ids=["password", "private"],
)
def test_a_draft_given_a_password_or_made_private_is_no_longer_shown(client, editor, draft, change):
    link = share_link(client, draft)
    assert Client().get(link).status_code == 200
    Post.any_kind.filter(pk=draft.pk).update(**change)

    response = Client().get(link)

    assert response.status_code == 404
    assert BODY_LINE not in response.text
    assert "Work in progress" not in response.text


def test_a_trashed_published_post_is_404_not_a_redirect(client, editor, draft):
    link = share_link(client, draft)
    publish(draft).trash()

    response = Client().get(link)

    assert response.status_code == 404
    assert BODY_LINE not in response.text


def test_a_scheduled_post_is_still_previewed_by_its_link(client, editor, draft):
    link = share_link(client, draft)
    with time_machine.travel(START, tick=False):
        publish(draft, published_at=START + datetime.timedelta(days=1))

        response = Client().get(link)

    assert response.status_code == 200
    assert BODY_LINE in text_of(one(page(response), ".entry-content"))
