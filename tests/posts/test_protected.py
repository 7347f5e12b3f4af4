"""Password-protected posts, as in WordPress: the title and a form until the right password."""

import pytest
from django.test import Client
from django.urls import reverse

from blog.comments.models import Comment
from tests.comments.helpers import signed_token
from tests.factories import CommentFactory, PostFactory
from tests.helpers import one, page, text_of

pytestmark = pytest.mark.django_db

SECRET_LINE = "Not sure if you've noticed any service interruptions today."
NO_EXCERPT = "There is no excerpt because this is a protected post."
VALID_COMMENT = {"name": "Ann", "email": "ann@example.com", "body": "Me too."}


@pytest.fixture
def post():
    protected = PostFactory(title="Members only", password="open sesame")
    CommentFactory(post=protected, body="A comment only unlocked readers see.")
    return protected


def unlock(client, post, password):
    return client.post(reverse("posts:unlock", kwargs={"pk": post.pk}), {"password": password})


def assert_locked(response, post):
    assert response.status_code in (200, 403)
    tree = page(response)
    assert text_of(one(tree, "h1.entry-title")) == post.title
    form = one(tree, "form.password-form")
    assert form.attrs["action"] == reverse("posts:unlock", kwargs={"pk": post.pk})
    assert one(form, 'input[name="password"]').attrs["type"] == "password"
    assert tree.select(".entry-content") == []
    assert SECRET_LINE not in response.text
    # No comments while locked: neither the list, nor the form, nor the section.
    assert tree.select("#comments") == []
    assert "A comment only unlocked readers see." not in response.text


def assert_unlocked(response):
    assert response.status_code == 200
    tree = page(response)
    assert tree.select("form.password-form") == []
    assert SECRET_LINE in text_of(one(tree, ".entry-content"))
    assert "A comment only unlocked readers see." in text_of(one(tree, "#comments"))


def test_readers_see_the_title_and_a_password_form_only(client, post):
    response = client.get(post.get_absolute_url())

    assert_locked(response, post)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    # Not even in the page's description.
    assert one(page(response), 'meta[name="description"]').attrs["content"] == NO_EXCERPT


def test_wrong_password_says_so_and_keeps_the_body_hidden(client, post):
    response = unlock(client, post, "open says me")

    assert response.status_code == 403
    assert_locked(response, post)
    error = one(page(response), "form.password-form .field-error")
    assert text_of(error) == "That password is not right. Please try again."
    assert "unlocked_posts" not in client.session
    assert_locked(client.get(post.get_absolute_url()), post)


def test_empty_password_is_refused(client, post):
    response = unlock(client, post, "")

    assert response.status_code == 403
    assert_locked(response, post)


def test_right_password_shows_the_body_for_the_session(client, post):
    response = unlock(client, post, "open sesame")

    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url()
    assert_unlocked(client.get(post.get_absolute_url()))
    # Still unlocked on the next visit in the same session.
    again = client.get(post.get_absolute_url())
    assert_unlocked(again)
    assert "no-store" in again["Cache-Control"]


def test_unlocking_is_per_session(client, post):
    unlock(client, post, "open sesame")

    assert_locked(Client().get(post.get_absolute_url()), post)


def test_unlocking_one_post_does_not_unlock_another(client, post):
    other = PostFactory(title="Also protected", password="open sesame")
    unlock(client, post, "open sesame")

    assert_locked(client.get(other.get_absolute_url()), other)


def test_changing_the_password_locks_it_again(client, post):
    unlock(client, post, "open sesame")
    post.password = "new secret"
    post.save()

    assert_locked(client.get(post.get_absolute_url()), post)
    unlock(client, post, "new secret")
    assert_unlocked(client.get(post.get_absolute_url()))


def test_removing_the_password_shows_the_post_to_everyone(client, post):
    post.password = ""
    post.save()

    assert_unlocked(client.get(post.get_absolute_url()))


def test_home_list_shows_no_excerpt_and_never_the_body(client, post):
    PostFactory(title="Open post", excerpt="An ordinary excerpt.")

    response = client.get(reverse("posts:home"))

    (article,) = [
        a
        for a in page(response).select("article.post-summary")
        if text_of(one(a, "h2")) == "Members only"
    ]
    assert text_of(one(article, "p.excerpt")) == NO_EXCERPT
    assert SECRET_LINE not in response.text
    assert "An ordinary excerpt." in response.text


def test_list_shows_no_excerpt_even_when_one_was_written(client):
    PostFactory(title="Members only", password="pw", excerpt="A leaked summary.")

    response = client.get(reverse("posts:home"))

    assert NO_EXCERPT in response.text
    assert "A leaked summary." not in response.text


def test_unlocking_an_unpublished_post_is_404(client):
    draft = PostFactory(status="draft", password="pw")

    assert unlock(client, draft, "pw").status_code == 404
    assert "unlocked_posts" not in client.session


def test_unlock_answers_only_post(client, post):
    response = client.get(reverse("posts:unlock", kwargs={"pk": post.pk}))

    assert response.status_code == 405


def test_a_locked_post_takes_no_comments(client, post):
    url = reverse("comments:post", kwargs={"post_id": post.pk})

    response = client.post(url, {**VALID_COMMENT, "token": signed_token(post)})

    assert response.status_code == 403
    assert not Comment.objects.filter(name="Ann").exists()
    unlock(client, post, "open sesame")
    assert client.post(url, {**VALID_COMMENT, "token": signed_token(post)}).status_code == 302
    assert Comment.objects.filter(name="Ann").exists()
