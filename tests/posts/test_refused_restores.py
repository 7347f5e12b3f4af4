"""
Text stored before today's render limits (blog/render_limits.py) never turns a
restore into an error page: the post stays as it is and the person is told why.
"""

import pytest
from django.urls import reverse

from blog.posts import revisions
from blog.posts.models import Autosave, Post
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db

# More elements opened inside one another than the renderer takes.
TOO_DEEP = "<div>" * 60 + "deep"


def url(name, post, *args):
    return reverse(f"admin:posts_post_{name}", args=[post.pk, *args])


@pytest.fixture
def draft(boss):
    return PostFactory(
        title="Kept", body="The body as saved.", status=Post.Status.DRAFT, author=boss
    )


def test_an_autosave_over_the_limits_is_kept_and_not_restored(boss_client, boss, draft):
    revisions.autosave(draft, boss, title="Kept", excerpt="", body=TOO_DEEP)

    response = boss_client.post(url("autosave_restore", draft), follow=True)

    assert response.status_code == 200
    message = [str(m) for m in response.context["messages"]][0]
    assert message.startswith("The autosave from ")
    assert "was not restored" in message
    draft.refresh_from_db()
    assert draft.body == "The body as saved."
    assert Autosave.objects.filter(post=draft).exists()


def test_a_revision_over_the_limits_is_not_restored(boss_client, boss, draft):
    # A revision as an older version of the site could have stored it.
    revision = draft.revisions.create(
        title="Old", excerpt="", body=TOO_DEEP, author=boss, created_by=boss
    )

    response = boss_client.post(url("revision_restore", draft, revision.pk), follow=True)

    assert response.status_code == 200
    message = [str(m) for m in response.context["messages"]][0]
    assert "was not restored" in message
    draft.refresh_from_db()
    assert (draft.title, draft.body) == ("Kept", "The body as saved.")
