"""
A post's life: draft, pending, published (or scheduled), private, trash and
back; its excerpt, its place on the home page, and its slug and old addresses.
"""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from blog.accounts.roles import AUTHOR, CONTRIBUTOR, EDITOR
from blog.posts.models import Post, PostRedirect
from tests.factories import PostFactory, RoleUserFactory
from tests.helpers import form_data, one, page, text_of

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:posts_post_changelist")
HOME = reverse("posts:home")
UTC = datetime.UTC


def change_url(post):
    return reverse("admin:posts_post_change", args=[post.pk])


def submit_form(client, url, **changes):
    response = client.get(url)
    assert response.status_code == 200
    return client.post(url, {**form_data(response, "form#post_form"), **changes, "_save": "Save"})


def run_action(client, action, posts, url=CHANGELIST):
    return client.post(
        url, {"action": action, "_selected_action": [str(p.pk) for p in posts], "index": "0"}
    )


def listed_titles(client, url=CHANGELIST):
    return [text_of(th) for th in page(client.get(url)).select("#result_list .row-title")]


def home_titles(client):
    return [text_of(h2) for h2 in page(client.get(HOME)).select("article.post-summary h2")]


@pytest.fixture
def editor(client):
    user = RoleUserFactory(username="ed", role=EDITOR)
    client.force_login(user)
    return user


# Trash.


def test_trash_action_hides_the_post_from_readers(client, editor):
    post = PostFactory(title="Regrettable")
    url = post.get_absolute_url()

    run_action(client, "move_to_trash", [post])

    post.refresh_from_db()
    assert post.status == Post.Status.TRASH
    assert post.status_before_trash == Post.Status.PUBLISHED
    assert post.trashed_at is not None
    client.logout()
    assert client.get(url).status_code == 404
    assert "Regrettable" not in client.get(HOME).text


def test_trashed_post_is_hidden_from_its_editors_too(client, editor):
    post = PostFactory(title="Regrettable")
    post.trash()

    assert client.get(post.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "status", [Post.Status.DRAFT, Post.Status.PENDING, Post.Status.PRIVATE, Post.Status.PUBLISHED]
)
def test_restore_brings_back_the_status_it_had(client, editor, status):
    post = PostFactory(title="Second thoughts", status=status)
    run_action(client, "move_to_trash", [post])

    run_action(client, "restore_from_trash", [post], url=f"{CHANGELIST}?status=trash")

    post.refresh_from_db()
    assert (post.status, post.status_before_trash, post.trashed_at) == (status, "", None)


def test_restored_published_post_is_back_at_its_address(client, editor):
    post = PostFactory(title="Back again")
    url = post.get_absolute_url()
    post.trash()

    run_action(client, "restore_from_trash", [post], url=f"{CHANGELIST}?status=trash")

    client.logout()
    assert client.get(url).status_code == 200


def test_trashed_posts_are_listed_only_under_the_trash_filter(client, editor):
    PostFactory(title="Live one")
    PostFactory(title="Draft one", status=Post.Status.DRAFT, published_at=None)
    PostFactory(title="Binned").trash()

    assert sorted(listed_titles(client)) == ["Draft one", "Live one"]
    assert listed_titles(client, f"{CHANGELIST}?status=trash") == ["Binned"]
    assert listed_titles(client, f"{CHANGELIST}?status=draft") == ["Draft one"]
    filters = text_of(one(page(client.get(CHANGELIST)), "#changelist-filter"))
    assert "All (except trash)" in filters


def test_purge_trash_deletes_posts_trashed_over_30_days_ago(capsys):
    start = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    old = PostFactory(title="Long gone")
    recent = PostFactory(title="Recently binned")
    live = PostFactory(title="Still here")
    with time_machine.travel(start, tick=False):
        old.trash()
    with time_machine.travel(start + datetime.timedelta(days=2), tick=False):
        recent.trash()

    with time_machine.travel(start + datetime.timedelta(days=31), tick=False):
        call_command("purge_trash")

    assert capsys.readouterr().out.splitlines()[0] == (
        "Purged 1 post(s) trashed before 2026-03-02 12:00 UTC."
    )
    assert sorted(Post.objects.values_list("title", flat=True)) == [
        "Recently binned",
        "Still here",
    ]
    assert live.pk and recent.pk


def test_purge_trash_keeps_a_post_trashed_exactly_30_days_ago():
    start = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    post = PostFactory()
    with time_machine.travel(start, tick=False):
        post.trash()

    with time_machine.travel(start + datetime.timedelta(days=30), tick=False):
        call_command("purge_trash", stdout=None)

    assert Post.objects.filter(pk=post.pk).exists()


# Publishing and scheduling.


def test_publishing_a_draft_in_the_admin_sets_its_date(client, editor):
    post = PostFactory(title="Fresh", status=Post.Status.DRAFT, published_at=None)
    moment = datetime.datetime(2026, 4, 2, 9, 30, tzinfo=UTC)

    with time_machine.travel(moment, tick=False):
        response = submit_form(client, change_url(post), status=Post.Status.PUBLISHED)

    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.status, post.published_at) == (Post.Status.PUBLISHED, moment)
    client.logout()
    assert client.get("/2026/04/02/fresh/").status_code == 200


def test_publishing_keeps_a_date_already_given(client, editor):
    when = datetime.datetime(2025, 12, 24, 18, 0, tzinfo=UTC)
    post = PostFactory(status=Post.Status.DRAFT, published_at=when)

    submit_form(client, change_url(post), status=Post.Status.PUBLISHED)

    post.refresh_from_db()
    assert post.published_at == when


def test_changelist_labels_future_posts_scheduled(client):
    author = RoleUserFactory(username="ann", role=AUTHOR)
    client.force_login(author)
    now = timezone.now()
    PostFactory(author=author, title="Tomorrow", published_at=now + datetime.timedelta(days=1))
    PostFactory(author=author, title="Yesterday")
    PostFactory(author=author, title="Unfinished", status=Post.Status.DRAFT, published_at=None)
    PostFactory(author=author, title="Waiting", status=Post.Status.PENDING, published_at=None)

    tree = page(client.get(CHANGELIST))

    # WordPress's words: states after the title, and the date column saying what its date is.
    states = {
        text_of(one(row, ".row-title")): (
            text_of(row.select_one(".post-states")) if row.select_one(".post-states") else "",
            text_of(one(row, "td.field-date_column .date-state")),
        )
        for row in tree.select("#result_list tbody tr")
    }
    assert states == {
        "Tomorrow": ("— Scheduled", "Scheduled"),
        "Yesterday": ("", "Published"),
        "Unfinished": ("— Draft", "Last modified"),
        "Waiting": ("— Pending", "Last modified"),
    }
    scheduled = listed_titles(client, f"{CHANGELIST}?visibility=scheduled")
    assert scheduled == ["Tomorrow"]


def test_scheduled_post_appears_when_its_time_comes(client):
    now = timezone.now()
    post = PostFactory(title="Later", published_at=now + datetime.timedelta(hours=2))

    assert client.get(post.get_absolute_url()).status_code == 404
    with time_machine.travel(now + datetime.timedelta(hours=3)):
        assert client.get(post.get_absolute_url()).status_code == 200
        assert "Later" in home_titles(client)


# Private posts.


@pytest.fixture
def private_post():
    author = RoleUserFactory(username="writer", role=AUTHOR)
    return PostFactory(title="Between us", author=author, status=Post.Status.PRIVATE)


def test_private_post_is_404_for_readers(client, private_post):
    response = client.get(private_post.get_absolute_url())

    assert response.status_code == 404
    assert "Between us" not in response.text
    assert "Between us" not in client.get(HOME).text


def test_private_post_is_404_for_a_contributor_who_did_not_write_it(client, private_post):
    client.force_login(RoleUserFactory(username="cont", role=CONTRIBUTOR))

    assert client.get(private_post.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("who", ["its author", "an editor"])
def test_private_post_is_shown_to_those_with_rights(client, private_post, who):
    user = (
        private_post.author if who == "its author" else RoleUserFactory(username="ed", role=EDITOR)
    )
    client.force_login(user)

    response = client.get(private_post.get_absolute_url())

    assert response.status_code == 200
    assert text_of(one(page(response), "h1.entry-title")) == "Between us"
    assert "this post is private" in text_of(one(page(response), ".preview-notice"))
    assert "no-store" in response["Cache-Control"]


# The home page.


def test_sticky_post_stays_at_the_top_of_the_home_page(client):
    now = timezone.now()
    PostFactory(title="Old but sticky", sticky=True, published_at=now - datetime.timedelta(days=9))
    PostFactory(title="Newest", published_at=now - datetime.timedelta(hours=1))
    PostFactory(title="Middle", published_at=now - datetime.timedelta(days=3))

    assert home_titles(client) == ["Old but sticky", "Newest", "Middle"]


# Excerpts.


def summary_on_home(client, post):
    (article,) = [
        a
        for a in page(client.get(HOME)).select("article.post-summary")
        if text_of(one(a, "h2")) == post.title
    ]
    return article


def test_list_shows_the_explicit_excerpt(client):
    post = PostFactory(title="With excerpt", excerpt="A hand-written summary.")

    article = summary_on_home(client, post)

    assert text_of(one(article, "p.excerpt")) == "A hand-written summary."
    link = one(article, "p.more a")
    assert link.attrs["href"] == post.get_absolute_url()
    assert text_of(link) == "Continue reading “With excerpt”"


def test_list_shows_the_text_before_the_more_marker(client):
    post = PostFactory(
        title="Teaser",
        body="First part, **bold**.\n\nStill the teaser.\n\n<!--more-->\n\nThe rest of the story.",
    )

    article = summary_on_home(client, post)

    assert text_of(one(article, "p.excerpt")) == "First part, bold. Still the teaser."
    assert "The rest of the story" not in text_of(article)
    full = client.get(post.get_absolute_url())
    assert "The rest of the story." in text_of(one(page(full), ".entry-content"))
    assert "more" not in str(one(page(full), ".entry-content"))


def test_more_marker_with_custom_text_also_counts(client):
    post = PostFactory(title="Custom", body="Teaser only.\n\n<!--more Read on-->\n\nHidden.")

    assert post.summary == "Teaser only."


def test_list_falls_back_to_the_first_paragraph_cut_to_55_words(client):
    words = [f"word{n}" for n in range(80)]
    post = PostFactory(
        title="Long", body="## A heading\n\n" + " ".join(words) + "\n\nSecond paragraph."
    )

    excerpt = text_of(one(summary_on_home(client, post), "p.excerpt"))

    assert excerpt == " ".join(words[:55]) + "…"


def test_first_paragraph_fallback_keeps_a_short_paragraph_whole(client):
    post = PostFactory(title="Short", body="Just this.\n\nAnd not this.")

    assert text_of(one(summary_on_home(client, post), "p.excerpt")) == "Just this."


# Slugs.


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Größe & Ärger", "größe-ärger"),
        ("Привет, мир", "привет-мир"),
        ("東京の天気", "東京の天気"),
        ("Hello World!", "hello-world"),
    ],
)
def test_slug_comes_from_the_title_keeping_its_letters(client, title, slug):
    post = PostFactory(title=title)

    assert post.slug == slug
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert text_of(one(page(response), "h1.entry-title")) == title


def test_clashing_titles_get_numbered_slugs():
    slugs = [PostFactory(title="Same title").slug for _ in range(3)]

    assert slugs == ["same-title", "same-title-2", "same-title-3"]


def test_saving_a_post_again_keeps_its_slug():
    first = PostFactory(title="Same title")
    PostFactory(title="Same title")

    first.body = "Edited."
    first.save()

    first.refresh_from_db()
    assert first.slug == "same-title"


def test_empty_title_slug_is_post():
    assert PostFactory(title="!!!").slug == "post"


def test_a_typed_clashing_slug_gets_a_suffix_in_the_admin(client, editor):
    PostFactory(title="Taken", slug="my-slug")

    response = submit_form(
        client, reverse("admin:posts_post_add"), title="Another", slug="my-slug", body="x"
    )

    assert response.status_code == 302
    assert Post.objects.get(title="Another").slug == "my-slug-2"


def test_a_typed_unicode_slug_is_accepted_in_the_admin(client, editor):
    response = submit_form(
        client, reverse("admin:posts_post_add"), title="Grüße", slug="grüße-aus-köln", body="x"
    )

    assert response.status_code == 302
    assert Post.objects.get().slug == "grüße-aus-köln"


# Old addresses of published posts.


@pytest.fixture
def published():
    return PostFactory(
        title="Moving house",
        slug="moving-house",
        published_at=datetime.datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
    )


def assert_moved(client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new
    assert client.get(new).status_code == 200


def test_changing_the_slug_keeps_the_old_address_as_a_301(client, editor, published):
    submit_form(client, change_url(published), slug="new-home")

    assert_moved(client, "/2024/05/01/moving-house/", "/2024/05/01/new-home/")
    client.logout()
    assert_moved(client, "/2024/05/01/moving-house/", "/2024/05/01/new-home/")


def test_changing_the_date_keeps_the_old_address_as_a_301(client, editor, published):
    submit_form(client, change_url(published), published_at_0="2024-05-03")

    client.logout()
    assert_moved(client, "/2024/05/01/moving-house/", "/2024/05/03/moving-house/")


def test_changing_slug_and_date_together(client, editor, published):
    submit_form(client, change_url(published), slug="elsewhere", published_at_0="2024-06-10")

    client.logout()
    assert_moved(client, "/2024/05/01/moving-house/", "/2024/06/10/elsewhere/")


def test_several_moves_redirect_in_one_hop(client, editor, published):
    submit_form(client, change_url(published), slug="second")
    submit_form(client, change_url(published), slug="third")

    client.logout()
    assert_moved(client, "/2024/05/01/moving-house/", "/2024/05/01/third/")
    assert_moved(client, "/2024/05/01/second/", "/2024/05/01/third/")


def test_changing_back_removes_the_loop(client, editor, published):
    submit_form(client, change_url(published), slug="detour")
    submit_form(client, change_url(published), slug="moving-house")

    client.logout()
    response = client.get("/2024/05/01/moving-house/")
    assert response.status_code == 200
    assert text_of(one(page(response), "h1.entry-title")) == "Moving house"
    assert_moved(client, "/2024/05/01/detour/", "/2024/05/01/moving-house/")
    assert list(PostRedirect.objects.values_list("old_path", flat=True)) == ["/2024/05/01/detour/"]


def test_a_draft_changing_slug_leaves_no_redirect(client, editor):
    post = PostFactory(title="Not out yet", status=Post.Status.DRAFT)

    submit_form(client, change_url(post), slug="renamed")

    assert not PostRedirect.objects.exists()


def test_an_old_address_does_not_lead_to_a_post_taken_down(client, editor, published):
    submit_form(client, change_url(published), slug="new-home")
    published.refresh_from_db()
    published.trash()

    client.logout()
    assert client.get("/2024/05/01/moving-house/").status_code == 404
