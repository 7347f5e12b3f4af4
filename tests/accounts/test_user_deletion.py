"""
Deleting a user who wrote posts, as in WordPress: the admin asks who their
posts and pages are attributed to, and nothing they wrote is lost; their
auto-drafts go with them. A user who wrote nothing gets Django's own page.
"""

import pytest
from django.urls import reverse

from blog.accounts.models import User
from blog.accounts.roles import EDITOR
from blog.posts.models import Post
from tests.factories import (
    CommentFactory,
    PageFactory,
    PostFactory,
    RoleUserFactory,
    StaffFactory,
    UserFactory,
)
from tests.helpers import form_data, one, page, text_of

# Every test runs as the boss, logged in, unless it logs in as someone else.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("boss_client")]


@pytest.fixture
def leaving():
    return StaffFactory(username="leaving", display_name="Leaving Writer")


def delete_url(user):
    return reverse("admin:accounts_user_delete", args=[user.pk])


def answer(client, user, **data):
    """The question's form sent as a browser sends it."""
    return client.post(delete_url(user), {"attribute_content": "yes", **data})


def make_auto_draft(author):
    return Post.auto_drafts.create(title="", body="", author=author, status=Post.AUTO_DRAFT)


def test_it_asks_who_their_posts_go_to_and_moves_every_one(client, boss, leaving):
    published = PostFactory(author=leaving, title="Their story")
    draft = PostFactory(author=leaving, status=Post.Status.DRAFT, published_at=None)
    about = PageFactory(author=leaving, title="About them")
    comment = CommentFactory(post=published, user=leaving, name="Leaving Writer")
    auto_draft = make_auto_draft(leaving)

    asked = client.get(delete_url(leaving))
    assert asked.status_code == 200
    question = one(page(asked), "#content-main")
    assert "They wrote 3 posts and pages (2 published)" in text_of(question)
    offered = [o.get_text() for o in question.select("select[name=attribute_to] option")]
    assert offered == ["Choose a user…", "The Boss (boss)"]

    data = form_data(asked, "#content-main form")
    data["attribute_to"] = str(boss.pk)
    done = client.post(delete_url(leaving), data, follow=True)

    assert done.redirect_chain[-1][0] == reverse("admin:accounts_user_changelist")
    assert "“The Boss” is now the author of Leaving Writer’s 3 posts and pages." in done.text
    assert not User.objects.filter(username="leaving").exists()
    for kept in (published, draft, about):
        kept.refresh_from_db()
        assert kept.author == boss
    assert not Post.auto_drafts.filter(pk=auto_draft.pk).exists()
    comment.refresh_from_db()
    assert comment.user is None and comment.name == "Leaving Writer"


def test_without_a_choice_nothing_is_deleted_and_it_says_why(client, boss, leaving):
    post = PostFactory(author=leaving)

    reply = answer(client, leaving, attribute_to="")

    assert reply.status_code == 200
    assert "Choose the user their posts and pages are attributed to." in reply.text
    assert User.objects.filter(pk=leaving.pk).exists()
    post.refresh_from_db()
    assert post.author == leaving


def test_a_user_who_cannot_write_is_not_offered(client, boss, leaving):
    PostFactory(author=leaving)
    reader = UserFactory(username="reader")
    gone = StaffFactory(username="gone", is_active=False)

    assert "Select a valid choice" in answer(client, leaving, attribute_to=str(reader.pk)).text
    assert "Select a valid choice" in answer(client, leaving, attribute_to=str(gone.pk)).text
    assert User.objects.filter(pk=leaving.pk).exists()


def test_their_name_leaves_the_cached_article(client, boss, leaving, page_cache):
    post = PostFactory(author=leaving, title="Their story")
    client.logout()
    assert "Leaving Writer" in client.get(post.get_absolute_url()).text
    assert client.get(post.get_absolute_url())["X-Cache"] == "hit"

    client.force_login(boss)
    answer(client, leaving, attribute_to=str(boss.pk))
    client.logout()

    fresh = client.get(post.get_absolute_url())
    assert fresh["X-Cache"] == "miss"
    assert "The Boss" in text_of(one(page(fresh), "p.post-meta"))
    assert "Leaving Writer" not in fresh.text


def test_only_auto_drafts_go_with_them_without_a_question(client, boss, leaving):
    auto_draft = make_auto_draft(leaving)

    asked = client.get(delete_url(leaving))
    assert "Attribute all content to" not in asked.text
    assert "auto-drafts" in asked.text
    answer(client, leaving)

    assert not User.objects.filter(pk=leaving.pk).exists()
    assert not Post.auto_drafts.filter(pk=auto_draft.pk).exists()


def test_a_user_who_wrote_nothing_gets_djangos_confirmation(client, boss, leaving):
    asked = client.get(delete_url(leaving))
    assert "Are you sure" in asked.text

    client.post(delete_url(leaving), {"post": "yes"})

    assert not User.objects.filter(pk=leaving.pk).exists()


def test_only_those_who_may_delete_users_see_the_question(client, leaving):
    PostFactory(author=leaving)
    client.force_login(RoleUserFactory(username="an-editor", role=EDITOR))

    assert client.get(delete_url(leaving)).status_code == 403
    assert answer(client, leaving, attribute_to="").status_code == 403
    assert User.objects.filter(pk=leaving.pk).exists()


def run_action(client, users, **data):
    return client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [u.pk for u in users], **data},
        follow=True,
    )


def test_deleting_several_from_the_list_asks_once_for_all_they_wrote(client, boss, leaving):
    other = StaffFactory(username="other", display_name="Other Writer")
    theirs = [PostFactory(author=leaving), PostFactory(author=other), PageFactory(author=other)]
    make_auto_draft(other)

    asked = run_action(client, [leaving, other])
    question = one(page(asked), "#content-main")
    assert "You are deleting these users: Leaving Writer, Other Writer." in text_of(question)
    assert "Between them they wrote 3 posts and pages (3 published)" in text_of(question)
    offered = [o.get_text() for o in question.select("select[name=attribute_to] option")]
    assert offered == ["Choose a user…", "The Boss (boss)"]

    data = form_data(asked, "#content-main form")
    data["attribute_to"] = str(boss.pk)
    done = client.post(reverse("admin:accounts_user_changelist"), data, follow=True)

    assert "“The Boss” is now the author of Leaving Writer, Other Writer’s 3" in done.text
    assert "2 user(s) deleted." in done.text
    assert set(User.objects.values_list("username", flat=True)) == {"boss"}
    assert {Post.any_kind.get(pk=post.pk).author for post in theirs} == {boss}
    assert not Post.auto_drafts.exists()


def test_the_list_action_without_a_choice_deletes_no_one(client, boss, leaving):
    PostFactory(author=leaving)
    asked = run_action(client, [leaving])
    data = form_data(asked, "#content-main form")

    reply = client.post(reverse("admin:accounts_user_changelist"), data)

    assert "Choose the user their posts and pages are attributed to." in reply.text
    assert User.objects.filter(pk=leaving.pk).exists()


def test_users_who_wrote_nothing_get_djangos_bulk_confirmation(client, boss, leaving):
    asked = run_action(client, [leaving])
    assert "<title>Delete multiple objects" in asked.text

    run_action(client, [leaving], post="yes")

    assert not User.objects.filter(pk=leaving.pk).exists()
