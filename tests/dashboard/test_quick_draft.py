"""Quick draft on the dashboard: a title and a few lines become the writer's draft."""

import pytest
from django.urls import reverse

from blog import markup
from blog.posts.models import Post
from tests.factories import RoleUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contributor(client):
    user = RoleUserFactory(username="writer", role="Contributor")
    client.force_login(user)
    return user


def test_a_quick_draft_is_a_draft_of_its_writer_with_a_link_to_edit_it(client, contributor):
    response = client.post(
        reverse("admin:quick_draft"),
        {"title": "Ideas for Monday", "body": "Start with the outage."},
        follow=True,
    )
    post = Post.objects.get()
    assert (post.title, post.body, post.author, post.status, post.published_at) == (
        "Ideas for Monday",
        "Start with the outage.",
        contributor,
        Post.Status.DRAFT,
        None,
    )
    assert post.revisions.count() == 1
    assert response.redirect_chain[-1][0] == reverse("admin:index")
    page = response.content.decode()
    assert "Draft “Ideas for Monday” saved." in page
    assert f'href="{post.get_admin_url()}">Edit it</a>' in page
    # ...and it is listed under "Your drafts".
    assert f'<a href="{post.get_admin_url()}">Ideas for Monday</a>' in page


def test_a_quick_draft_without_a_title_keeps_what_was_typed(client, contributor):
    response = client.post(reverse("admin:quick_draft"), {"title": "", "body": "Half a thought"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page
    assert "Half a thought</textarea>" in page
    assert not Post.objects.exists()


def test_a_body_the_pipeline_refuses_is_refused_with_the_reason(client, contributor):
    too_long = "x" * (markup.POST_BODY_MAX_CHARS + 1)
    response = client.post(reverse("admin:quick_draft"), {"title": "Long", "body": too_long})
    assert response.status_code == 400
    assert 'value="Long"' in response.content.decode()
    assert response.context["quick_draft_form"].errors["body"]
    assert not Post.objects.exists()


def test_quick_draft_needs_a_post_and_a_csrf_token(client, contributor):
    assert client.get(reverse("admin:quick_draft")).status_code == 405
    client.logout()
    anonymous = client.post(reverse("admin:quick_draft"), {"title": "Sneaky"})
    assert anonymous.status_code == 302
    assert not Post.objects.exists()
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(contributor)
    assert strict.post(reverse("admin:quick_draft"), {"title": "No token"}).status_code == 403
    assert not Post.objects.exists()


def test_someone_who_may_not_write_posts_gets_no_quick_draft(client):
    user = RoleUserFactory(username="viewer")
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.post(reverse("admin:quick_draft"), {"title": "No"}).status_code == 403
    assert not Post.objects.exists()
