"""
The posts and pages lists: row actions under each title, the one-click
comment switch, the category filter with the categories below it, bulk
messages that count what changed, and the page cache told of every switch.
"""

import pytest
from django.test import Client
from django.urls import reverse

from blog.accounts.roles import AUTHOR, CONTRIBUTOR, EDITOR
from blog.posts.models import Post
from tests.factories import CategoryFactory, PageFactory, PostFactory, RoleUserFactory
from tests.helpers import meta_lines, one, page, text_of

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:posts_post_changelist")
TRASH = f"{CHANGELIST}?status=trash"
PAGES = reverse("admin:pages_page_changelist")


@pytest.fixture
def editor_client(client):
    client.force_login(RoleUserFactory(username="ed", role=EDITOR))
    return client


def row_of(response, post):
    (row,) = [
        r
        for r in page(response).select("#result_list tbody tr")
        if r.select_one(f"input.action-select[value='{post.pk}']")
    ]
    return row


def offered(row):
    return [text_of(node) for node in row.select(".row-actions a, .row-actions button")]


def row_action(client, post, action, back=CHANGELIST, name="posts_post"):
    url = reverse(f"admin:{name}_row_action", args=[post.pk, action])
    return client.post(url, {"next": back}, follow=True)


def messages_of(response):
    return [text_of(li) for li in page(response).select("ul.messagelist li")]


# Row actions.


def test_titles_carry_edit_trash_and_view_or_preview(editor_client, tomorrow):
    live = PostFactory(title="Live", sticky=True)
    draft = PostFactory(title="Sketch", status=Post.Status.DRAFT)
    scheduled = PostFactory(title="Soon", published_at=tomorrow)

    response = editor_client.get(CHANGELIST)

    assert offered(row_of(response, live)) == ["Edit", "Trash", "View"]
    assert offered(row_of(response, draft)) == ["Edit", "Trash", "Preview"]
    assert text_of(one(row_of(response, live), ".post-states")) == "— Sticky"
    assert text_of(one(row_of(response, draft), ".post-states")) == "— Draft"
    assert text_of(one(row_of(response, scheduled), ".post-states")) == "— Scheduled"
    view = one(row_of(response, live), "a.row-action-view")
    assert view["href"] == live.get_absolute_url()
    edit = one(row_of(response, live), "a.row-action-edit")
    assert edit["href"] == reverse("admin:posts_post_change", args=[live.pk])


def test_trash_is_one_click_and_comes_back_to_the_list(editor_client):
    post = PostFactory(title="Old news")

    response = row_action(editor_client, post, "trash")

    assert response.redirect_chain == [(CHANGELIST, 302)]
    assert messages_of(response) == ["“Old news” moved to the trash; it is deleted after 30 days."]
    post.refresh_from_db()
    assert post.status == Post.Status.TRASH
    assert page(response).select(f"input.action-select[value='{post.pk}']") == []


def test_the_trash_view_restores_and_deletes_permanently(editor_client):
    post = PostFactory(title="Old news")
    post.trash()

    response = editor_client.get(TRASH)

    row = row_of(response, post)
    assert offered(row) == ["Restore", "Delete permanently"]
    assert one(row, "a.row-action-delete")["href"] == reverse(
        "admin:posts_post_delete", args=[post.pk]
    )
    restored = row_action(editor_client, post, "restore", TRASH)
    assert messages_of(restored) == ["“Old news” restored from the trash."]
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED


def test_delete_permanently_is_offered_only_in_the_trash_view(editor_client):
    PostFactory()
    trashed = PostFactory()
    trashed.trash()

    def actions(url):
        return [
            o["value"] for o in page(editor_client.get(url)).select("select[name=action] option")
        ]

    assert "delete_selected" not in actions(CHANGELIST)
    assert "Delete permanently" not in editor_client.get(CHANGELIST).text
    assert actions(TRASH) == ["", "restore_from_trash", "delete_selected"]


def test_a_contributor_cannot_trash_a_published_post_by_row_action(client):
    contributor = RoleUserFactory(role=CONTRIBUTOR)
    published = PostFactory(author=contributor)
    client.force_login(contributor)

    assert offered(row_of(client.get(CHANGELIST), published)) == ["View"]
    url = reverse("admin:posts_post_row_action", args=[published.pk, "trash"])
    assert client.post(url, {"next": CHANGELIST}).status_code == 403
    published.refresh_from_db()
    assert published.status == Post.Status.PUBLISHED


def test_an_author_cannot_trash_a_page_by_its_row_action_address(client):
    # Pages are for Editors and Administrators, even a page an Author wrote.
    author = RoleUserFactory(role=AUTHOR)
    about = PageFactory(title="About", slug="about", author=author)
    client.force_login(author)

    url = reverse("admin:pages_page_row_action", args=[about.pk, "trash"])

    assert client.post(url, {"next": PAGES}).status_code == 403
    about.refresh_from_db()
    assert about.status == Post.Status.PUBLISHED


def test_pages_have_the_same_row_actions(editor_client):
    about = PageFactory(title="About", slug="about")
    team = PageFactory(title="Team", slug="team", parent=about)

    response = editor_client.get(PAGES)

    assert offered(row_of(response, team)) == ["Edit", "Trash", "View"]
    assert text_of(one(row_of(response, team), ".row-title")) == "— Team"
    trashed = row_action(editor_client, team, "trash", PAGES, name="pages_page")
    assert messages_of(trashed)[0].startswith("“Team” moved to the trash")


# The comment switch.


def test_the_comment_switch_is_one_click_each_way(editor_client):
    post = PostFactory(title="Busy thread")

    off = row_action(editor_client, post, "comments_off")

    assert messages_of(off) == ["Comments switched off on “Busy thread”."]
    cell = one(row_of(off, post), "td.field-comments_column")
    assert text_of(cell) == "Closed Switch on"
    on = row_action(editor_client, post, "comments_on")
    assert messages_of(on) == ["Comments switched on on “Busy thread”."]
    post.refresh_from_db()
    assert post.comment_mode == Post.CommentMode.OPEN


@pytest.mark.usefixtures("page_cache")
@pytest.mark.parametrize("how", ["row action", "bulk action"])
def test_switching_comments_refreshes_the_cached_pages_showing_the_post(editor_client, how):
    post = PostFactory(title="Busy thread")
    reader = Client()
    for url in (post.get_absolute_url(), "/"):
        reader.get(url)
        assert reader.get(url)["X-Cache"] == "hit"

    if how == "row action":
        row_action(editor_client, post, "comments_off")
    else:
        data = {"action": "close_comments", "_selected_action": [post.pk], "index": "0"}
        editor_client.post(CHANGELIST, data)

    for url in (post.get_absolute_url(), "/"):
        fresh = reader.get(url)
        assert fresh["X-Cache"] == "miss", url
        assert meta_lines(fresh)[0].endswith("// Comments Off on Busy thread"), url


# The category filter and bulk counts.


@pytest.fixture
def tips():
    """ "Online Marketing Tips" with 2 posts of its own and 3 in "Email Marketing" below it."""
    parent = CategoryFactory(name="Online Marketing Tips", slug="tips")
    child = CategoryFactory(name="Email Marketing", slug="email", parent=parent)
    PostFactory.create_batch(2, categories=[parent])
    PostFactory.create_batch(3, categories=[child])
    PostFactory(categories=[CategoryFactory(name="SEO", slug="seo")])
    return parent


def test_the_category_filter_includes_child_categories_like_the_archive(editor_client, tips):
    response = editor_client.get(CHANGELIST, {"category": tips.pk})

    assert len(page(response).select("#result_list tbody tr")) == 5
    archive = Client().get(tips.get_absolute_url())
    assert len(page(archive).select("article")) == 5
    labels = [text_of(a) for a in page(response).select("#changelist-filter a")]
    assert labels.index("Online Marketing Tips") < labels.index("— Email Marketing")


def test_bulk_switch_over_a_category_counts_every_post_it_changed(editor_client, tips):
    already_closed = Post.objects.in_category(tips).first()
    Post.objects.filter(pk=already_closed.pk).update(comment_mode=Post.CommentMode.CLOSED)
    first = Post.objects.in_category(tips).exclude(pk=already_closed.pk).first()

    response = editor_client.post(
        f"{CHANGELIST}?category={tips.pk}",
        {"action": "close_comments", "select_across": "1", "_selected_action": [first.pk]},
        follow=True,
    )

    # Five posts under the category, one of them closed already: four changed.
    assert "Comments switched off on 4 posts." in messages_of(response)
    modes = set(Post.objects.in_category(tips).values_list("comment_mode", flat=True))
    assert modes == {Post.CommentMode.CLOSED}
    assert Post.objects.exclude(comment_mode=Post.CommentMode.CLOSED).count() == 1
