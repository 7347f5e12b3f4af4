"""
A refused comment shows the whole article again, as readers saw it (related
posts, the previous and next posts, the thread), with each message once and
the reader's text kept; on pages as on posts.
"""

import datetime

import pytest
from django.utils import timezone

from blog.comments.models import Comment
from blog.posts.models import Post
from tests.comments.helpers import post_comment
from tests.factories import CategoryFactory, CommentFactory, PageFactory, PostFactory
from tests.helpers import one, page, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    news = CategoryFactory(name="News")
    now = timezone.now()
    PostFactory(title="The older one", categories=[news], published_at=now - datetime.timedelta(3))
    post = PostFactory(
        title="WhatsApp crashes", categories=[news], published_at=now - datetime.timedelta(2)
    )
    PostFactory(title="The newer one", categories=[news], published_at=now - datetime.timedelta(1))
    CommentFactory(post=post, name="Sophie", body="Mine stopped at 7:35pm.")
    return post


def shown_once(response, text):
    return text_of(page(response).body).count(text) == 1


def test_a_refused_comment_shows_the_related_posts_and_the_navigation(client, article):
    reader = client.get(article.get_absolute_url())
    refused = post_comment(client, article, email="not-an-email")

    assert refused.status_code == 400
    for selector in (".related-posts", ".post-navigation", ".comment-list", ".post-meta"):
        assert text_of(one(page(refused), selector)) == text_of(one(page(reader), selector))
    assert Comment.objects.filter(body__startswith="Happened").count() == 0


@pytest.mark.parametrize(
    ("refusal", "message"),
    [
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"name": "", "body": ""}, "This field is required."),
        ({"homepage": "http://spam.example"}, "A field meant to stay empty was filled in"),
        ({"parent": "999999"}, "The comment you replied to is no longer available."),
    ],
)
def test_each_message_shows_once_per_field(client, article, refusal, message):
    refused = post_comment(client, article, **refusal)

    texts = [text_of(node) for node in page(refused).select(".field-error, .form-errors li")]
    assert texts and all(texts.count(text) == 1 for text in texts if "required" not in text)
    assert message in " ".join(texts)
    # Required twice means two fields, each saying it once.
    if refusal.get("name") == "":
        assert texts.count("This field is required.") == 2


def test_a_fields_message_is_its_inputs_description(client, article):
    refused = post_comment(client, article, email="not-an-email")

    email = one(page(refused), 'input[name="email"]')
    described = email.attrs["aria-describedby"].split()
    errors = one(page(refused), f"#{described[-1]}")
    assert text_of(errors) == "Enter a valid email address."


def test_a_refused_comment_keeps_what_was_typed(client, article):
    refused = post_comment(client, article, email="not-an-email", body="Keep every word")

    form = one(page(refused), "form.comment-form")
    assert text_of(one(form, "textarea")) == "Keep every word"
    assert one(form, 'input[name="email"]').attrs["value"] == "not-an-email"


def test_a_refused_comment_on_a_page_shows_the_page_again(client):
    about = PageFactory(title="About us", comment_mode=Post.CommentMode.OPEN)

    refused = post_comment(client, about, email="not-an-email")

    assert refused.status_code == 400
    assert text_of(one(page(refused), "h1.entry-title")) == "About us"
    assert shown_once(refused, "Enter a valid email address.")


def test_the_refused_page_is_never_cached(client, article):
    refused = post_comment(client, article, email="not-an-email")

    assert "no-cache" in refused["Cache-Control"] or "max-age=0" in refused["Cache-Control"]
