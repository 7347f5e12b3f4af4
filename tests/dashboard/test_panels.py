"""The dashboard's figures and lists, for each role, and the sections' names."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.comments.models import Comment
from blog.posts.models import Post
from tests.factories import (
    CommentFactory,
    PageFactory,
    PostFactory,
    RoleUserFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


def figures(response):
    """{"Posts": {"Published": (2, url), ...}, ...} from the At a glance panel."""
    return {
        glance.title: {figure.label: (figure.count, figure.url) for figure in glance.figures}
        for glance in response.context["glances"]
    }


@pytest.fixture
def site_content(db):
    ann = RoleUserFactory(username="ann", role="Author")
    bob = RoleUserFactory(username="bob", role="Author")
    later = timezone.now() + datetime.timedelta(days=2)
    PostFactory.create_batch(3, author=ann)
    PostFactory(author=bob)
    PostFactory(author=ann, published_at=later, title="Out on Monday")
    PostFactory(author=ann, status=Post.Status.DRAFT, published_at=None, title="Ann's draft")
    PostFactory(author=bob, status=Post.Status.PENDING, published_at=None)
    PostFactory(author=bob, status=Post.Status.TRASH, published_at=None)
    PageFactory(author=ann)
    PageFactory(author=ann, status=Post.Status.DRAFT, published_at=None)
    post = Post.objects.filter(status=Post.Status.PUBLISHED).first()
    CommentFactory.create_batch(2, post=post, status=Comment.Status.PENDING)
    CommentFactory(post=post, status=Comment.Status.APPROVED)
    CommentFactory(post=post, status=Comment.Status.SPAM)
    return {"ann": ann, "bob": bob}


def test_an_administrator_sees_every_count_each_linking_to_its_list(client, site_content):
    client.force_login(StaffFactory(username="boss"))
    response = client.get(reverse("admin:index"))
    shown = figures(response)
    assert {label: count for label, (count, _) in shown["Posts"].items()} == {
        "Published": 4,
        "Scheduled": 1,
        "Drafts": 1,
        "Pending review": 1,
    }
    assert shown["Pages"]["Published"][0] == 1
    assert shown["Pages"]["Drafts"][0] == 1
    assert {label: count for label, (count, _) in shown["Comments"].items()} == {
        "Pending": 2,
        "Approved": 1,
        "Spam": 1,
        "Trash": 0,
    }
    # Each number is the length of the list it links to.
    for title in ("Posts", "Pages", "Comments"):
        for label, (count, url) in shown[title].items():
            listed = client.get(url)
            assert listed.status_code == 200, url
            assert listed.context["cl"].result_count == count, (title, label, url)


def test_an_author_counts_their_own_posts_and_sees_no_pages_or_comments(client, site_content):
    client.force_login(site_content["ann"])
    response = client.get(reverse("admin:index"))
    shown = figures(response)
    assert list(shown) == ["Posts"]
    assert {label: count for label, (count, _) in shown["Posts"].items()} == {
        "Published": 3,
        "Scheduled": 1,
        "Drafts": 1,
        "Pending review": 0,
    }
    assert response.context["latest_comments"] is None
    page = response.content.decode()
    assert "Latest comments" not in page
    assert [post.title for post in response.context["scheduled_soon"]] == ["Out on Monday"]
    assert [post.title for post in response.context["own_drafts"]] == ["Ann's draft"]


def test_a_contributor_sees_only_their_own_posts_and_no_one_elses_schedule(client, site_content):
    writer = RoleUserFactory(username="writer", role="Contributor")
    PostFactory(author=writer, status=Post.Status.PENDING, published_at=None)
    client.force_login(writer)
    response = client.get(reverse("admin:index"))
    shown = figures(response)
    assert list(shown) == ["Posts"]
    assert shown["Posts"]["Pending review"][0] == 1
    assert shown["Posts"]["Published"][0] == 0
    assert response.context["scheduled_soon"] == []
    # Published posts are public: listed, linking to the site, not to a form.
    published = response.context["recently_published"]
    assert published and all(post.edit_url is None for post in published)
    assert "quick_draft_form" in response.context


def test_latest_comments_offer_the_row_actions_of_their_status(client, site_content):
    client.force_login(StaffFactory(username="boss"))
    comments = client.get(reverse("admin:index")).context["latest_comments"]
    assert {comment.status for comment in comments} == {"pending", "approved"}
    for comment in comments:
        names = [action["name"] for action in comment.dashboard_actions]
        expected = (
            ["approve", "spam", "trash"]
            if comment.status == "pending"
            else [
                "unapprove",
                "spam",
                "trash",
            ]
        )
        assert names == expected
        assert comment.reply_url and comment.edit_url


def test_a_row_action_on_the_dashboard_acts_and_comes_back(client, site_content):
    client.force_login(StaffFactory(username="boss"))
    pending = Comment.objects.filter(status=Comment.Status.PENDING).first()
    url = reverse("admin:comments_comment_row_action", args=[pending.pk, "approve"])
    response = client.post(url, {"next": reverse("admin:index")}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:index")
    pending.refresh_from_db()
    assert pending.status == Comment.Status.APPROVED
    assert figures(response)["Comments"]["Pending"][0] == 1


def test_sections_are_named_for_people_not_for_python_apps(client):
    client.force_login(StaffFactory(username="boss"))
    response = client.get(reverse("admin:index"))
    sections = {
        app["name"]: [m["name"] for m in app["models"]] for app in response.context["app_list"]
    }
    assert sections["Posts"] == ["Posts", "Categories", "Tags"]
    assert "Roles (groups)" in sections["Users and roles"]
    page = response.content.decode()
    for library_word in ("Taggit", "Authentication and Authorization", "Recent actions", "Otp_"):
        assert library_word not in page
    # The sidebar of the other pages uses the same names, and so do the
    # breadcrumbs of the libraries' own lists.
    listed = client.get(reverse("admin:posts_post_changelist"))
    assert "Taggit" not in listed.content.decode()
    tags = client.get(reverse("admin:taggit_tag_changelist")).content.decode()
    groups = client.get(reverse("admin:auth_group_changelist")).content.decode()
    assert "Taggit" not in tags and ">Tags</a>" in tags
    assert "Authentication and Authorization" not in groups and "Users and roles" in groups
