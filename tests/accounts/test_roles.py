"""
WordPress's four roles, checked through the admin views themselves.

The matrix below runs every role against every action. An allowed action is
done the way a person does it (the form is fetched, filled in and posted back;
an action is picked from the changelist) and the database shows the change.
A refused action leaves the database as it was, and each test says how it was
refused: a 403, a form error, the post not being in the person's list, or the
action not being offered.
"""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage

from blog.accounts.models import User
from blog.accounts.roles import ADMINISTRATOR, AUTHOR, CONTRIBUTOR, EDITOR, ROLES, role_of
from blog.comments.models import Comment
from blog.media.models import Image
from blog.posts.models import Post
from blog.sitesettings.models import SiteSettings
from tests.factories import CommentFactory, PostFactory, RoleUserFactory, UserFactory
from tests.helpers import form_data, one, page, text_of

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:posts_post_changelist")
TRASH_LIST = f"{CHANGELIST}?status=trash"
ADD = reverse("admin:posts_post_add")
UPLOAD = reverse("admin:media_image_upload")
IMAGE_ADD = reverse("admin:media_image_add")
COMMENTS = reverse("admin:comments_comment_changelist")
SETTINGS = reverse("admin:sitesettings_sitesettings_change", args=[1])
USERS = reverse("admin:accounts_user_changelist")


# Helpers: the admin as a browser uses it.


def change_url(post):
    return reverse("admin:posts_post_change", args=[post.pk])


def submit_form(client, url, form="form#post_form", **changes):
    """Fetch the admin form at ``url``, change some fields and post it back with Save."""
    response = client.get(url)
    assert response.status_code == 200
    data = {**form_data(response, form), **changes, "_save": "Save"}
    return client.post(url, data)


def run_action(client, action, posts, url=CHANGELIST):
    """Pick ``action`` in the changelist's dropdown for ``posts`` and press Go."""
    return client.post(
        url, {"action": action, "_selected_action": [str(p.pk) for p in posts], "index": "0"}
    )


def offered_actions(client, url=CHANGELIST):
    tree = page(client.get(url))
    return {
        option.attrs["value"]
        for option in tree.select('select[name="action"] option')
        if option.attrs.get("value")
    }


def messages_after(response, client):
    """The admin's messages shown on the page a POST redirected to."""
    assert response.status_code == 302
    tree = page(client.get(response["Location"]))
    return [text_of(li) for li in tree.select("ul.messagelist li")]


def form_errors(response):
    assert response.status_code == 200, "the form should have been shown again with errors"
    return response.context["adminform"].form.errors


def assert_not_found_redirect(response, client, post):
    """How the admin refuses a post outside a person's list: back to the index, saying so."""
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    message = f"Post with ID “{post.pk}” doesn’t exist. Perhaps it was deleted?"
    assert messages_after(response, client) == [message]


def png_upload(name="red.png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (60, 40), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def split_datetime(moment):
    local = timezone.localtime(moment)
    return {"published_at_0": f"{local:%Y-%m-%d}", "published_at_1": f"{local:%H:%M:%S}"}


def draft(author, **fields):
    return PostFactory(author=author, status=Post.Status.DRAFT, published_at=None, **fields)


# Actions of the matrix: each does the thing through the admin, then checks the
# outcome for ``allowed`` True or False.


def create(client, user, other, allowed):
    response = submit_form(
        client, ADD, title="Written in the admin", slug="", body="Hello **there**."
    )
    assert response.status_code == 302
    post = Post.objects.get(title="Written in the admin")
    assert (post.author, post.status, post.slug) == (
        user,
        Post.Status.DRAFT,
        "written-in-the-admin",
    )


def edit_own(client, user, other, allowed):
    post = draft(user, title="My draft")

    response = submit_form(client, change_url(post), title="My draft, revised")

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "My draft, revised"


def edit_others(client, user, other, allowed):
    post = draft(other, title="Their draft")

    if allowed:
        response = submit_form(client, change_url(post), title="Their draft, edited")
        assert response.status_code == 302
    else:
        # Not in the person's list at all: the form won't open, and a hand-made
        # POST is turned away the same way.
        assert_not_found_redirect(client.get(change_url(post)), client, post)
        response = client.post(
            change_url(post),
            {"title": "Their draft, edited", "slug": post.slug, "body": "x", "status": "draft"},
        )
        assert_not_found_redirect(response, client, post)

    post.refresh_from_db()
    assert post.title == ("Their draft, edited" if allowed else "Their draft")
    assert post.author == other


def publish(client, user, other, allowed):
    post = draft(user, title="Ready to go")

    response = submit_form(client, change_url(post), status=Post.Status.PUBLISHED)

    post.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert post.status == Post.Status.PUBLISHED
        assert post.published_at is not None and post.is_published
    else:
        assert form_errors(response) == {
            "status": ["Select a valid choice. published is not one of the available choices."]
        }
        assert (post.status, post.published_at) == (Post.Status.DRAFT, None)


def schedule(client, user, other, allowed):
    post = draft(user, title="For next week")
    when = (timezone.now() + datetime.timedelta(days=7)).replace(microsecond=0)

    response = submit_form(
        client, change_url(post), status=Post.Status.PUBLISHED, **split_datetime(when)
    )

    post.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert (post.status, post.published_at) == (Post.Status.PUBLISHED, when)
        assert post.is_scheduled
    else:
        errors = form_errors(response)
        assert list(errors) == ["status"]
        # The date is not even a field of theirs: what they sent for it is ignored.
        assert "published_at" not in response.context["adminform"].form.fields
        assert (post.status, post.published_at) == (Post.Status.DRAFT, None)


def trash_own(client, user, other, allowed):
    post = draft(user)
    assert "move_to_trash" in offered_actions(client)

    response = run_action(client, "move_to_trash", [post])

    assert messages_after(response, client) == [
        "1 post moved to the trash; it is deleted after 30 days."
    ]
    post.refresh_from_db()
    assert post.status == Post.Status.TRASH


def trash_others(client, user, other, allowed):
    post = PostFactory(author=other)

    response = run_action(client, "move_to_trash", [post])

    post.refresh_from_db()
    if allowed:
        assert post.status == Post.Status.TRASH
    else:
        # The action is offered (for their own posts) but skips a post outside their list.
        assert messages_after(response, client) == [
            "0 posts moved to the trash; they are deleted after 30 days."
        ]
        assert post.status == Post.Status.PUBLISHED


def restore_own(client, user, other, allowed):
    post = draft(user)
    post.trash()
    assert "restore_from_trash" in offered_actions(client, TRASH_LIST)

    response = run_action(client, "restore_from_trash", [post], url=TRASH_LIST)

    assert messages_after(response, client) == ["1 post restored."]
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT


def upload(client, user, other, allowed):
    response = client.post(UPLOAD, {"file": png_upload(), "alt_text": "A red rectangle"})
    add_form = client.get(IMAGE_ADD)

    if allowed:
        assert response.status_code == 201
        assert Image.objects.get().uploaded_by == user
        assert add_form.status_code == 200
    else:
        assert response.status_code == 403
        assert response.json() == {"error": "You may not upload images."}
        assert add_form.status_code == 403
        assert not Image.objects.exists()
    assert user.has_perm("media.add_image") is allowed


def moderate(client, user, other, allowed):
    comment = CommentFactory(post=PostFactory(author=other), status=Comment.Status.PENDING)

    response = client.post(
        COMMENTS, {"action": "approve", "_selected_action": [str(comment.pk)], "index": "0"}
    )

    comment.refresh_from_db()
    if allowed:
        assert messages_after(response, client) == ["1 comment marked approved."]
        assert comment.status == Comment.Status.APPROVED
    else:
        assert response.status_code == 403
        assert client.get(COMMENTS).status_code == 403
        assert comment.status == Comment.Status.PENDING


def _toggle_by_action(client, post, allowed):
    response = run_action(client, "close_comments", [post])
    post.refresh_from_db()
    if allowed:
        assert messages_after(response, client) == ["Comments switched off on 1 post."]
        assert post.comment_mode == Post.CommentMode.CLOSED
    else:
        assert post.comment_mode == Post.CommentMode.OPEN
    return response


def toggle_own(client, user, other, allowed):
    post = PostFactory(author=user)
    assert ({"close_comments", "open_comments"} <= offered_actions(client)) is allowed

    response = _toggle_by_action(client, post, allowed)

    if not allowed:
        assert messages_after(response, client) == ["No action selected."]


def toggle_others(client, user, other, allowed):
    post = PostFactory(author=other)

    response = _toggle_by_action(client, post, allowed)

    if not allowed and "close_comments" in offered_actions(client):
        # Authors switch comments on their own posts only: this one isn't in their list.
        assert messages_after(response, client) == ["Comments switched off on 0 posts."]


def toggle_in_list(client, user, other, allowed):
    post = PostFactory(author=user)
    tree = page(client.get(CHANGELIST))
    switch = reverse("admin:posts_post_row_action", args=[post.pk, "comments_off"])

    if allowed:
        # The comments column's one-click switch.
        (button,) = tree.select("#result_list button.comment-toggle")
        assert button.attrs["formaction"] == switch
        assert client.post(switch, {"next": CHANGELIST}).status_code == 302
    else:
        # No switch in the list, and posting its address by hand is refused.
        assert tree.select("#result_list button.comment-toggle") == []
        assert client.post(switch, {"next": CHANGELIST}).status_code in (403, 404)

    post.refresh_from_db()
    assert post.comment_mode == (Post.CommentMode.CLOSED if allowed else Post.CommentMode.OPEN)


def change_settings(client, user, other, allowed):
    SiteSettings.objects.get_or_create(pk=1)

    if allowed:
        response = submit_form(client, SETTINGS, form="form#sitesettings_form", title="Renamed")
        assert response.status_code == 302
    else:
        assert client.get(SETTINGS).status_code == 403
        response = client.post(
            SETTINGS,
            {
                "title": "Renamed",
                "tagline": "",
                "time_zone": "",
                "posts_per_page": "10",
                "default_comment_mode": "open",
                "close_comments_after_days": "0",
                "_save": "Save",
            },
        )
        assert response.status_code == 403

    assert (SiteSettings.objects.get().title == "Renamed") is allowed


ACTIONS = {
    "create": create,
    "edit own": edit_own,
    "edit other's": edit_others,
    "publish": publish,
    "schedule": schedule,
    "trash own": trash_own,
    "trash other's": trash_others,
    "restore own": restore_own,
    "upload": upload,
    "moderate": moderate,
    "toggle own (action)": toggle_own,
    "toggle other's (action)": toggle_others,
    "toggle own (list column)": toggle_in_list,
    "change settings": change_settings,
}

_CONTRIBUTOR = {"create", "edit own", "trash own", "restore own"}
_AUTHOR = _CONTRIBUTOR | {
    "publish",
    "schedule",
    "upload",
    "toggle own (action)",
    "toggle own (list column)",
}
_EDITOR = set(ACTIONS) - {"change settings"}
ALLOWED = {CONTRIBUTOR: _CONTRIBUTOR, AUTHOR: _AUTHOR, EDITOR: _EDITOR, ADMINISTRATOR: set(ACTIONS)}


@pytest.fixture
def other(db):
    return RoleUserFactory(username="someone-else", role=AUTHOR)


def login_as(client, role):
    user = RoleUserFactory(username=f"{role.lower()}-user", role=role)
    client.force_login(user)
    return user


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, other, role, action):
    user = login_as(client, role)

    ACTIONS[action](client, user, other, action in ALLOWED[role])


def test_the_matrix_covers_every_role():
    assert set(ALLOWED) == set(ROLES)
    assert all(allowed <= set(ACTIONS) for allowed in ALLOWED.values())


# Contributors in detail.


@pytest.fixture
def contributor(client):
    return login_as(client, CONTRIBUTOR)


def test_contributor_is_offered_only_draft_and_pending(client, contributor):
    response = client.get(ADD)

    select = one(page(response), 'select[name="status"]')
    assert [o.attrs["value"] for o in select.select("option")] == ["draft", "pending"]
    fields = response.context["adminform"].form.fields
    assert not {"published_at", "sticky", "author"} & set(fields)


def test_contributor_submits_a_draft_for_review(client, contributor):
    post = draft(contributor)

    submit_form(client, change_url(post), status=Post.Status.PENDING)

    post.refresh_from_db()
    assert post.status == Post.Status.PENDING


def test_contributor_edits_their_pending_post(client, contributor):
    post = PostFactory(author=contributor, status=Post.Status.PENDING, published_at=None)

    response = submit_form(client, change_url(post), body="Fixed a typo.")

    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.body, post.status) == ("Fixed a typo.", Post.Status.PENDING)


def test_contributor_posting_published_by_hand_gets_a_form_error(client, contributor):
    post = draft(contributor, title="Sneaky")

    response = client.post(
        change_url(post),
        {
            "title": "Sneaky",
            "slug": post.slug,
            "body": "Let me in.",
            "status": "published",
            "published_at_0": "2020-01-01",
            "published_at_1": "10:00:00",
            "sticky": "on",
            "comment_mode": "open",
            "_save": "Save",
        },
    )

    assert "status" in form_errors(response)
    assert "not one of the available choices" in text_of(page(response))
    post.refresh_from_db()
    assert (post.status, post.published_at, post.sticky) == (Post.Status.DRAFT, None, False)


def test_contributor_cannot_add_a_published_post_either(client, contributor):
    response = client.post(ADD, {"title": "Straight out", "body": "x", "status": "published"})

    assert "status" in form_errors(response)
    assert not Post.objects.exists()


def test_contributor_cannot_open_their_published_post(client, contributor):
    post = PostFactory(author=contributor, title="Out there")

    assert client.get(change_url(post)).status_code == 403
    response = client.post(
        change_url(post),
        {"title": "Changed", "slug": post.slug, "body": "x", "status": "draft", "_save": "Save"},
    )
    assert response.status_code == 403
    post.refresh_from_db()
    assert (post.title, post.status) == ("Out there", Post.Status.PUBLISHED)


def test_contributor_cannot_trash_their_published_post(client, contributor):
    post = PostFactory(author=contributor)

    run_action(client, "move_to_trash", [post])

    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED


def test_contributor_post_becomes_read_only_once_an_editor_publishes_it(client, contributor):
    post = draft(contributor)
    editor = RoleUserFactory(username="ed", role=EDITOR)
    client.force_login(editor)
    submit_form(client, change_url(post), status=Post.Status.PUBLISHED)
    post.refresh_from_db()
    assert post.is_published

    client.force_login(contributor)
    assert client.get(change_url(post)).status_code == 403


# Authors and Editors.


def test_authors_do_not_see_others_posts_in_the_changelist(client, other):
    author = login_as(client, AUTHOR)
    PostFactory(author=author, title="Mine to see")
    PostFactory(author=other, title="Not for my eyes")

    titles = [text_of(th) for th in page(client.get(CHANGELIST)).select(".row-title")]

    assert titles == ["Mine to see"]


def test_editors_see_everyone_s_posts(client, other):
    login_as(client, EDITOR)
    PostFactory(author=other, title="Someone else's")

    titles = [text_of(th) for th in page(client.get(CHANGELIST)).select(".row-title")]

    assert titles == ["Someone else's"]


def test_author_cannot_give_their_post_to_someone_else(client, other):
    author = login_as(client, AUTHOR)

    response = submit_form(client, ADD, title="By me", body="x", author=str(other.pk))

    assert response.status_code == 302
    assert Post.objects.get().author == author


def test_editor_chooses_the_author(client, other):
    login_as(client, EDITOR)

    response = submit_form(client, ADD, title="Ghost written", body="x", author=str(other.pk))

    assert response.status_code == 302
    assert Post.objects.get().author == other


def test_author_cannot_share_a_preview_of_others_posts(client, other):
    login_as(client, AUTHOR)
    post = draft(other)

    response = client.post(reverse("admin:posts_post_share_preview", args=[post.pk]))

    assert response.status_code == 404
    post.refresh_from_db()
    assert post.preview_key == ""


# The list's actions, then the Trash view's (the only one to delete permanently).
EXPECTED_ACTIONS = {
    CONTRIBUTOR: ({"move_to_trash"}, {"restore_from_trash"}),
    AUTHOR: ({"close_comments", "open_comments", "move_to_trash"}, {"restore_from_trash"}),
    EDITOR: (
        {"close_comments", "open_comments", "move_to_trash"},
        {"restore_from_trash", "delete_selected"},
    ),
    ADMINISTRATOR: (
        {"close_comments", "open_comments", "move_to_trash"},
        {"restore_from_trash", "delete_selected"},
    ),
}


@pytest.mark.parametrize("role", ROLES)
def test_the_actions_dropdown_lists_only_what_the_role_may_do(client, role):
    user = login_as(client, role)
    PostFactory(author=user)
    PostFactory(author=user, status=Post.Status.TRASH)

    assert (offered_actions(client), offered_actions(client, TRASH_LIST)) == EXPECTED_ACTIONS[role]


# Giving roles.


def test_assign_role_command_gives_the_role(capsys):
    alice = UserFactory(username="alice")

    call_command("assign_role", "alice", "editor")

    assert capsys.readouterr().out == "alice is now an Editor.\n"
    alice.refresh_from_db()
    assert role_of(alice) == EDITOR
    assert alice.is_staff
    assert alice.has_perm("posts.edit_others_posts")


def test_assign_role_command_replaces_the_previous_role():
    alice = RoleUserFactory(username="alice", role=EDITOR)

    call_command("assign_role", "alice", "contributor")

    alice = User.objects.get(pk=alice.pk)  # a fresh permission cache
    assert [g.name for g in alice.groups.all()] == [CONTRIBUTOR]
    assert not alice.has_perm("posts.edit_others_posts")


def test_assign_role_command_refuses_an_unknown_role():
    alice = UserFactory(username="alice")

    with pytest.raises(CommandError, match="invalid choice: 'Overlord'"):
        call_command("assign_role", "alice", "overlord")

    assert not alice.groups.exists()


def test_assign_role_command_refuses_an_unknown_user():
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("assign_role", "nobody", "editor")


def test_administrator_gives_a_role_from_the_user_admin(client):
    login_as(client, ADMINISTRATOR)
    bob = UserFactory(username="bob")

    response = client.post(
        USERS, {"action": "make_author", "_selected_action": [str(bob.pk)], "index": "0"}
    )

    assert messages_after(response, client) == ["1 user(s) now have the role Author."]
    bob.refresh_from_db()
    assert role_of(bob) == AUTHOR and bob.is_staff


@pytest.mark.parametrize("role", [CONTRIBUTOR, AUTHOR, EDITOR])
def test_only_administrators_reach_the_user_admin(client, role):
    login_as(client, role)
    bob = UserFactory(username="bob")

    response = client.post(
        USERS, {"action": "make_administrator", "_selected_action": [str(bob.pk)], "index": "0"}
    )

    assert response.status_code == 403
    assert client.get(USERS).status_code == 403
    assert role_of(bob) is None


# The data migration.


def test_the_database_has_exactly_the_four_role_groups():
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(ROLES)


def test_the_data_migration_creates_the_four_groups_with_their_permissions():
    migration = MigrationLoader(connection).get_migration("accounts", "0002_roles")
    (operation,) = migration.operations
    state = MigrationLoader(connection).project_state(("accounts", "0002_roles"))
    Group.objects.all().delete()

    operation.code(state.apps, schema_editor=None)

    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(ROLES)
    contributor = set(
        Group.objects.get(name=CONTRIBUTOR).permissions.values_list("codename", flat=True)
    )
    assert {"add_post", "change_post"} <= contributor
    assert not {"publish_post", "edit_others_posts", "add_image"} & contributor
    author = set(Group.objects.get(name=AUTHOR).permissions.values_list("codename", flat=True))
    assert {"publish_post", "toggle_comments"} <= author
    editor = set(Group.objects.get(name=EDITOR).permissions.values_list("codename", flat=True))
    assert {"edit_others_posts", "change_comment", "add_category"} <= editor
    assert "change_sitesettings" not in editor
    administrator = Group.objects.get(name=ADMINISTRATOR).permissions
    assert administrator.filter(codename="change_sitesettings").exists()
    assert administrator.filter(codename="change_user").exists()

    operation.reverse_code(state.apps, schema_editor=None)
    assert not Group.objects.exists()
