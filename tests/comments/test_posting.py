"""Readers posting comments through the real view, and how comments show on the article."""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog.comments.forms import CommentForm
from blog.comments.models import Comment
from blog.posts.models import Post
from blog.sitesettings.models import SiteSettings
from tests.comments.helpers import VALID, comment_data, comment_url, post_comment
from tests.factories import CommentFactory, PostFactory, UserFactory
from tests.helpers import form_data, one, page, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    return PostFactory(title="WhatsApp crashes")


# Posting


def test_valid_comment_is_stored_as_pending_with_ip_and_user_agent(client, post):
    post_comment(client, post)

    comment = Comment.objects.get()
    assert comment.post == post
    assert comment.status == Comment.Status.PENDING
    assert comment.name == "Ann Reader"
    assert comment.email == "ann@example.com"
    assert comment.url == "https://ann.example.com"
    assert comment.body == "Happened to me too, around noon."
    assert comment.ip == "203.0.113.7"
    assert comment.user_agent == "Mozilla/5.0 (TestBrowser)"
    assert comment.parent is None
    assert comment.user is None


def test_valid_comment_redirects_to_the_article_comments(client, post):
    response = post_comment(client, post)

    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}#comments"


def test_after_posting_the_reader_is_told_it_awaits_moderation(client, post):
    response = post_comment(client, post, body="My very distinctive remark")

    followed = client.get(response["Location"])

    assert followed.status_code == 200
    messages = one(page(followed), "div.messages")
    assert text_of(messages) == "Your comment is awaiting moderation."


def test_a_pending_comment_is_shown_to_its_author_only(client, post):
    post_comment(client, post, body="My very distinctive remark")
    comment = Comment.objects.get()

    assert client.session["own_pending_comments"] == [comment.pk]
    mine = one(page(client.get(post.get_absolute_url())), f"li#comment-{comment.pk}")
    assert "My very distinctive remark" in text_of(mine)
    assert "awaiting moderation" in text_of(mine)
    someone_else = Client().get(post.get_absolute_url())
    assert "My very distinctive remark" not in someone_else.text
    assert page(someone_else).select("li.comment") == []


def test_the_session_remembers_the_twenty_latest_pending_comments(client, post):
    for n in range(22):
        assert post_comment(client, post, body=f"Remark number {n}").status_code == 302

    remembered = client.session["own_pending_comments"]
    latest = Comment.objects.order_by("-pk").values_list("pk", flat=True)[:20]
    assert remembered == sorted(latest)


def test_moderation_notice_is_shown_only_once(client, post):
    response = post_comment(client, post)
    client.get(response["Location"])

    assert page(client.get(post.get_absolute_url())).select("div.messages") == []


def test_approved_comment_redirects_to_itself_with_no_awaiting_message(client, post):
    CommentFactory(name="Ann Reader", email="ann@example.com", post=PostFactory())

    response = post_comment(client, post, body="Shown straight away")

    comment = Comment.objects.get(body="Shown straight away")
    assert comment.status == Comment.Status.APPROVED
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"
    followed = client.get(response["Location"])
    assert "awaiting moderation" not in followed.text
    assert "Shown straight away" in text_of(one(page(followed), f"li#comment-{comment.pk}"))
    assert "own_pending_comments" not in client.session


def test_reply_opt_in_is_stored(client, post):
    post_comment(client, post, notify_replies="on")

    assert Comment.objects.get().notify_replies is True


def test_reply_opt_in_is_off_unless_ticked(client, post):
    post_comment(client, post)

    assert Comment.objects.get().notify_replies is False


def test_logged_in_reader_comments_as_themselves(client, post, django_user_model):
    user = django_user_model.objects.create_user(
        "reader", "reader@example.com", "x", display_name="Rita Reader"
    )
    client.force_login(user)

    # Name and email are not asked; posted ones are ignored.
    response = post_comment(client, post, name="Somebody Else", email="else@example.com")

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.user == user
    assert (comment.name, comment.email) == ("Rita Reader", "reader@example.com")


def test_logged_in_reader_without_display_name_comments_under_the_username(
    client, post, django_user_model
):
    client.force_login(django_user_model.objects.create_user("rita", "rita@example.com", "x"))

    assert post_comment(client, post, name=None, email=None).status_code == 302
    assert Comment.objects.get().name == "rita"


def test_the_form_does_not_ask_a_logged_in_reader_for_name_and_email(
    client, post, django_user_model
):
    user = django_user_model.objects.create_user(
        "reader", "reader@example.com", "x", display_name="Rita Reader"
    )
    client.force_login(user)

    form = one(page(client.get(post.get_absolute_url())), "form.comment-form")

    names = {node.attrs.get("name") for node in form.find_all(["input", "textarea"])}
    assert "name" not in names
    assert "email" not in names
    assert {"url", "body", "notify_replies", "parent", "token"} <= names
    assert text_of(one(form, "p.logged-in-as")) == "Logged in as Rita Reader."
    assert "name" not in CommentForm(post=post, user=user).fields


def test_user_agent_is_cut_to_500_characters(client, post):
    client.post(comment_url(post), comment_data(post), HTTP_USER_AGENT="A" * 900)

    assert Comment.objects.get().user_agent == "A" * 500


def test_reply_stores_its_parent(client, post):
    parent = CommentFactory(post=post)

    response = post_comment(client, post, parent=str(parent.pk))

    assert response.status_code == 302
    reply = Comment.objects.get(status=Comment.Status.PENDING)
    assert reply.parent == parent


def test_reply_to_a_comment_on_another_post_is_refused(client, post):
    elsewhere = CommentFactory(post=PostFactory())

    response = post_comment(client, post, parent=str(elsewhere.pk))

    assert response.status_code == 400
    assert "The comment you replied to is no longer available." in response.text
    assert Comment.objects.count() == 1


def test_reply_to_a_pending_comment_is_refused(client, post):
    pending = CommentFactory(post=post, status=Comment.Status.PENDING)

    response = post_comment(client, post, parent=str(pending.pk))

    assert response.status_code == 400
    assert Comment.objects.count() == 1


def field_errors(response, name):
    field = one(page(response), f"p.field-{name}")
    return [text_of(error) for error in field.select("span.field-error")]


def test_invalid_comment_answers_400_and_stores_nothing(client, post):
    response = post_comment(client, post, name="", email="not-an-email")

    assert response.status_code == 400
    assert Comment.objects.count() == 0


def test_invalid_comment_rerenders_the_article_with_one_message_per_field(client, post):
    response = post_comment(client, post, name="", email="not-an-email")

    assert "WhatsApp crashes" in text_of(one(page(response), "h1.entry-title"))
    assert field_errors(response, "name") == ["This field is required."]
    assert field_errors(response, "email") == ["Enter a valid email address."]
    assert field_errors(response, "body") == []
    assert field_errors(response, "url") == []


def test_invalid_comment_keeps_the_readers_text(client, post):
    response = post_comment(
        client, post, name=None, email="not-an-email", body="Keep <every> word & line"
    )

    form = one(page(response), "form.comment-form")
    assert text_of(one(form, "textarea")) == "Keep <every> word & line"
    inputs = {i.attrs.get("name"): i.attrs.get("value") for i in form.select("input")}
    assert inputs["email"] == "not-an-email"
    assert inputs["url"] == "https://ann.example.com"
    assert field_errors(response, "name") == ["This field is required."]


def test_missing_body_is_refused(client, post):
    response = post_comment(client, post, body="")

    assert response.status_code == 400
    assert field_errors(response, "body") == ["This field is required."]
    assert Comment.objects.count() == 0


def test_javascript_website_is_refused(client, post):
    response = post_comment(client, post, url="javascript:alert(1)")

    assert response.status_code == 400
    assert field_errors(response, "url") == ["Enter a valid URL."]
    assert Comment.objects.count() == 0


def test_get_on_the_comment_endpoint_is_405(client, post):
    assert client.get(comment_url(post)).status_code == 405


@pytest.mark.parametrize(
    "status", [Post.Status.DRAFT, Post.Status.PENDING, Post.Status.PRIVATE, Post.Status.TRASH]
)
def test_comment_on_an_unpublished_post_is_404(client, status):
    hidden = PostFactory(status=status)

    response = post_comment(client, hidden)

    assert response.status_code == 404
    assert Comment.objects.count() == 0


def test_comment_on_a_scheduled_post_is_404(client, tomorrow):
    scheduled = PostFactory(published_at=tomorrow)

    assert post_comment(client, scheduled).status_code == 404
    assert Comment.objects.count() == 0


def test_comment_on_an_unknown_post_is_404(client):
    response = client.post(reverse("comments:post", kwargs={"post_id": 999999}), VALID)

    assert response.status_code == 404
    assert "Page not found" in response.text


def test_comment_on_a_closed_post_is_refused_with_403_and_stores_nothing(client):
    closed = PostFactory(comment_mode=Post.CommentMode.CLOSED)

    response = post_comment(client, closed)

    assert response.status_code == 403
    assert "Comments are closed." in response.text
    assert Comment.objects.count() == 0


def test_comment_when_comments_are_off_site_wide_is_refused(client, post):
    SiteSettings(comments_closed_everywhere=True).save()

    response = post_comment(client, post)

    assert response.status_code == 403
    assert "Comments are closed." in response.text
    assert Comment.objects.count() == 0


# The form on the article


def test_open_post_has_the_comment_form(client, post):
    tree = page(client.get(post.get_absolute_url()))

    (form,) = tree.select("form.comment-form")
    # The fragment brings a reader whose form has errors back to the form.
    assert form.attrs["action"] == comment_url(post) + "#respond"
    assert form.attrs["method"] == "post"
    names = {node.attrs.get("name") for node in form.find_all(["input", "textarea"])}
    assert {"name", "email", "url", "body", "parent"} <= names
    assert {"notify_replies", "homepage", "token"} <= names
    # The page is shared by every reader: no per-reader token in it.
    assert "csrfmiddlewaretoken" not in names
    assert one(form, 'input[name="token"]').attrs.get("value", "") == ""


def test_the_form_offers_to_email_replies(client, post):
    form = one(page(client.get(post.get_absolute_url())), "form.comment-form")

    box = one(form, 'input[name="notify_replies"]')
    assert box.attrs["type"] == "checkbox"
    assert "checked" not in box.attrs
    label = one(form, f'label[for="{box.attrs["id"]}"]')
    assert text_of(label).rstrip(":") == "Email me replies to my comment"


def test_the_form_as_the_page_gives_it_asks_to_confirm_then_posts(client, post):
    """Without scripts the form has no token: the reader confirms on a page that gives one."""
    with time_machine.travel(timezone.now(), tick=False) as clock:
        article = client.get(post.get_absolute_url())
        data = {
            **form_data(article, "form.comment-form"),
            "name": "Ann Reader",
            "email": "ann@example.com",
            "body": "Typed in a real form",
        }
        confirm = client.post(comment_url(post), data)

        assert confirm.status_code == 200
        assert Comment.objects.count() == 0
        kept = form_data(confirm, "form.comment-form")
        assert kept["body"] == "Typed in a real form"
        assert kept["token"]
        clock.shift(10)

        response = client.post(comment_url(post), kept)

    assert response.status_code == 302
    assert Comment.objects.get().body == "Typed in a real form"


def test_the_form_with_the_scripts_token_posts_at_once(client, post):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        article = client.get(post.get_absolute_url())
        form = one(page(article), "form.comment-form")
        fetched = client.get(form.attrs["data-token-url"])
        assert fetched["Cache-Control"].startswith("max-age=0")
        assert "no-store" in fetched["Cache-Control"]
        data = {
            **form_data(article, "form.comment-form"),
            "name": "Ann Reader",
            "email": "ann@example.com",
            "body": "Typed with scripts on",
            "token": fetched.json()["token"],
        }
        clock.shift(10)

        response = client.post(comment_url(post), data)

    assert response.status_code == 302
    assert Comment.objects.get().body == "Typed with scripts on"


def test_closed_post_has_no_comment_form(client):
    closed = PostFactory(comment_mode=Post.CommentMode.CLOSED)

    response = client.get(closed.get_absolute_url())

    assert page(response).select("form.comment-form") == []
    assert "Comments are closed." in response.text
    assert "Leave a Reply" not in response.text


def test_closed_post_still_shows_its_approved_comments_without_reply_links(client):
    closed = PostFactory(comment_mode=Post.CommentMode.CLOSED)
    CommentFactory(post=closed, body="Said before closing")

    tree = page(client.get(closed.get_absolute_url()))

    assert "Said before closing" in text_of(one(tree, "li.comment"))
    assert tree.select("p.reply") == []


def test_reply_link_prefills_the_parent(client, post):
    parent = CommentFactory(post=post)

    tree = page(client.get(f"{post.get_absolute_url()}?replytocom={parent.pk}"))

    (field,) = [i for i in tree.select("input") if i.attrs.get("name") == "parent"]
    assert field.attrs["value"] == str(parent.pk)


# Comments on the article


def test_only_approved_comments_are_shown(client, post):
    CommentFactory(post=post, body="Approved words")
    for status in (Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.TRASH):
        CommentFactory(post=post, status=status, body=f"Hidden {status} words")

    response = client.get(post.get_absolute_url())

    assert "Approved words" in response.text
    assert "Hidden" not in response.text
    assert len(page(response).select("li.comment")) == 1


def test_approved_comments_are_threaded(client, post):
    first = CommentFactory(post=post, body="First")
    reply = CommentFactory(post=post, parent=first, body="Reply to first")
    deeper = CommentFactory(post=post, parent=reply, body="Reply to reply")
    second = CommentFactory(post=post, body="Second")

    tree = page(client.get(post.get_absolute_url()))

    top_level = one(tree, "ol.comment-list").find_all(recursive=False)
    assert [li.attrs["id"] for li in top_level] == [f"comment-{first.pk}", f"comment-{second.pk}"]
    first_li, second_li = top_level
    (reply_li,) = tree.find_all(id=f"comment-{reply.pk}")
    (deeper_li,) = tree.find_all(id=f"comment-{deeper.pk}")
    assert reply_li.parent["class"].split() == ["children"]
    assert reply_li.parent.parent is first_li
    assert deeper_li.parent["class"].split() == ["children"]
    assert deeper_li.parent.parent is reply_li
    assert second_li.select("ol.children") == []
    assert "Reply to reply" not in text_of(second_li)


def test_comment_heading_counts_and_names_the_post(client, post):
    CommentFactory.create_batch(2, post=post)

    heading = one(page(client.get(post.get_absolute_url())), "h2.comments-title")

    assert text_of(heading) == "2 Comments on “WhatsApp crashes”"


def test_comment_bodies_are_sanitised(client, post):
    post_comment(
        client,
        post,
        body='<script>alert("x")</script>Look at https://example.com/page '
        '<a href="https://example.com/b" onclick="steal()">this</a>',
    )
    Comment.objects.update(status=Comment.Status.APPROVED)

    response = client.get(post.get_absolute_url())

    body = one(page(response), "div.comment-body")
    assert "<script" not in response.text.split('class="comment-body"')[1]
    assert "alert" not in text_of(body)
    links = body.select("a")
    assert [a.attrs["href"] for a in links] == ["https://example.com/page", "https://example.com/b"]
    assert all(a.attrs["rel"] == "nofollow ugc" for a in links)
    assert all("onclick" not in a.attrs for a in links)


def test_commenter_website_links_are_nofollow(client, post):
    CommentFactory(post=post, name="Ann", url="https://ann.example.com")

    (link,) = one(page(client.get(post.get_absolute_url())), "span.comment-author").select("a")

    assert link.attrs["href"] == "https://ann.example.com"
    assert "nofollow" in link.attrs["rel"].split()
    assert "ugc" in link.attrs["rel"].split()


def test_commenter_email_is_never_shown(client, post):
    post_comment(client, post, email="private.person@example.com")
    Comment.objects.update(status=Comment.Status.APPROVED)

    response = client.get(post.get_absolute_url())

    assert "Ann Reader" in response.text
    assert "private.person" not in response.text
    assert "private.person" not in client.get("/").text


# Cross-site posting: refused by Origin, Sec-Fetch-Site or Referer (no CSRF cookie).


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_REFERER": "https://evil.example/page"},
    ],
)
def test_cross_site_comment_is_refused(post, headers):
    client = Client(enforce_csrf_checks=True)

    response = client.post(comment_url(post), comment_data(post), **headers)

    assert response.status_code == 403
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "http://testserver"},
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_REFERER": "http://testserver/2014/02/22/x/"},
    ],
)
def test_same_origin_comment_is_accepted_without_a_csrf_cookie(post, headers):
    client = Client(enforce_csrf_checks=True)

    response = client.post(comment_url(post), comment_data(post), **headers)

    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_logged_in_comment_without_any_origin_header_is_refused(post):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())

    response = client.post(comment_url(post), comment_data(post))

    assert response.status_code == 403
    assert Comment.objects.count() == 0
