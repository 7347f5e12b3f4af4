"""Revisions of posts: recorded on save, listed, compared and restored through the admin."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blog.posts import revisions
from blog.posts.models import Post, Revision
from tests.factories import PostFactory, UserFactory
from tests.helpers import one, page, parse, text_of

pytestmark = pytest.mark.django_db

# Site settings, session, user, the post, its categories (the post admin
# prefetches them), the count of revisions, one page of them with their users,
# and the count of pending comments (the admin menu's badge).
REVISIONS_PAGE_QUERIES = 8


def url(name, post, *args):
    return reverse(f"admin:posts_post_{name}", args=[post.pk, *args])


def form_data(response, form_id="post_form", **changes):
    """What a browser would send from the form in ``response``, with ``changes`` typed in."""
    form = one(page(response), f"form#{form_id}")
    data = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name = field["name"]
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            chosen = [o.get("value", o.get_text()) for o in field.select("option[selected]")]
            if field.has_attr("multiple"):
                data[name] = chosen
            else:
                options = chosen or [o.get("value", o.get_text()) for o in field.select("option")]
                data[name] = options[0] if options else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        elif field.get("type") not in ("submit", "button", "image", "file", "reset"):
            data[name] = field.get("value", "")
    data.pop("csrfmiddlewaretoken", None)
    return {**data, "_save": "Save", **changes}


def save_through_admin(client, post, **changes):
    change_url = url("change", post)
    response = client.post(change_url, form_data(client.get(change_url), **changes))
    assert response.status_code == 302, page(response).select(".errorlist")
    return response


def make_revisions(post, count, users):
    """``count`` more revisions of ``post``, by turns by ``users``, an hour apart."""
    start = timezone.now() - datetime.timedelta(hours=count)
    for n in range(count):
        Revision.objects.create(
            post=post,
            title=f"Title {n}",
            body=f"Body {n}",
            author=users[n % len(users)],
            created_by=users[(n + 1) % len(users)],
            created_at=start + datetime.timedelta(hours=n),
        )


# --- recording ------------------------------------------------------------


def test_first_save_records_a_revision_by_nobody():
    post = PostFactory(title="Hello", excerpt="Short", body="Line one")

    (revision,) = post.revisions.all()
    assert (revision.title, revision.excerpt, revision.body) == ("Hello", "Short", "Line one")
    assert revision.author == post.author
    assert revision.created_by is None


def test_saving_through_the_admin_records_a_revision_by_the_editor(boss_client, boss):
    post = PostFactory(title="Before", body="Old body")

    save_through_admin(boss_client, post, title="After", body="New body")

    post.refresh_from_db()
    assert (post.title, post.body) == ("After", "New body")
    latest, first = post.revisions.all()
    assert (latest.title, latest.body, latest.created_by) == ("After", "New body", boss)
    assert latest.author == post.author
    assert (first.title, first.created_by) == ("Before", None)


def test_saving_unchanged_through_the_admin_records_nothing(boss_client):
    post = PostFactory(title="Steady")
    save_through_admin(boss_client, post, title="Steady as she goes")

    save_through_admin(boss_client, post)
    save_through_admin(boss_client, post)

    assert post.revisions.count() == 2


def test_changing_only_the_author_records_a_revision(boss_client):
    post = PostFactory()
    other = UserFactory(username="other")

    save_through_admin(boss_client, post, author=str(other.pk))

    assert post.revisions.first().author == other
    assert post.revisions.count() == 2


def test_identical_resave_records_nothing():
    post = PostFactory()

    post.save()
    post.status = Post.Status.DRAFT
    post.save()

    assert post.revisions.count() == 1


def test_line_endings_alone_are_not_a_change():
    post = PostFactory(body="One\nTwo")

    post.body = "One\r\nTwo"
    post.save()

    assert post.revisions.count() == 1


def test_saves_of_other_fields_do_not_look_at_revisions():
    post = PostFactory()
    post.comment_mode = Post.CommentMode.CLOSED

    with CaptureQueriesContext(connection) as queries:
        post.save(update_fields=["comment_mode"])

    assert [q["sql"] for q in queries if "posts_revision" in q["sql"]] == []


def test_bulk_updates_record_nothing():
    post = PostFactory(title="Old")

    Post.objects.filter(pk=post.pk).update(title="Changed in bulk")

    assert list(post.revisions.values_list("title", flat=True)) == ["Old"]


# --- the revisions page ---------------------------------------------------


def test_revisions_page_lists_when_who_author_and_title(boss_client, boss):
    author = UserFactory(username="jane", display_name="Jane Doe")
    post = PostFactory(title="First title", author=author)
    save_through_admin(boss_client, post, title="Second title")

    response = boss_client.get(url("revisions", post))

    assert response.status_code == 200
    tree = page(response)
    rows = one(tree, "table.revision-table").select("tbody tr")
    cells = [[text_of(cell) for cell in row.select("th, td")][2:6] for row in rows]
    assert [c[1:] for c in cells] == [
        ["The Boss", "Jane Doe", "Second title"],
        ["—", "Jane Doe", "First title"],
    ]
    compare = one(tree, "form#revision-compare")
    assert compare["method"] == "get"
    assert compare["action"] == url("revision_diff", post)
    assert one(compare, "input[type=submit]")["value"] == "Compare"
    newest, oldest = post.revisions.all()
    assert one(compare, "input[name=to][checked]")["value"] == str(newest.pk)
    assert one(compare, "input[name=from][checked]")["value"] == str(oldest.pk)
    # The newest is what the post holds; the older one can be restored by POST.
    assert "Current" in text_of(rows[0])
    button = one(rows[1], "button")
    assert text_of(button) == "Restore this revision"
    restore_form = one(tree, f"form#{button['form']}")
    assert restore_form["method"] == "post"
    assert restore_form["action"] == url("revision_restore", post, oldest.pk)
    assert restore_form.select("input[name=csrfmiddlewaretoken]")
    assert one(tree, "#content-main")
    assert [text_of(li) for li in tree.select("ol.breadcrumbs li")][-2:] == [
        "Second title",
        "Revisions",
    ]


def test_revisions_page_has_no_inline_script_or_style(boss_client):
    post = PostFactory()
    make_revisions(post, 3, [post.author])

    tree = page(boss_client.get(url("revisions", post)))

    assert tree.select("[style]") == []
    assert all(script.get("src") for script in tree.select("script"))
    assert tree.select("style") == []


def test_revisions_page_queries_stay_constant(
    boss_client, django_assert_num_queries, boss, settings
):
    users = [boss, UserFactory(display_name="Ann"), UserFactory(display_name="Bob")]
    few, many = PostFactory(), PostFactory()
    make_revisions(few, 5, users)
    make_revisions(many, 50, users)
    boss_client.get(url("revisions", few))  # warm up: content types, permissions

    for post in (few, many):
        with django_assert_num_queries(REVISIONS_PAGE_QUERIES):
            response = boss_client.get(url("revisions", post))
        assert response.status_code == 200


# --- comparing ------------------------------------------------------------


def test_diff_marks_removed_and_added_lines_and_escapes_them():
    old = Revision(title="Same", excerpt="", body="keep\n<script>alert(1)</script>\nend")
    new = Revision(title="Same", excerpt="", body="keep\n<b>bold</b> & more\nend")

    html = revisions.diff(old, new)

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in html
    tree = parse(html)
    body = one(tree, "section.diff-field-body")
    assert [text_of(row.select_one("del")) for row in body.select("tr.diff-del")] == [
        "<script>alert(1)</script>"
    ]
    assert [text_of(row.select_one("ins")) for row in body.select("tr.diff-ins")] == [
        "<b>bold</b> & more"
    ]
    assert [text_of(row.select_one(".diff-line")) for row in body.select("tr.diff-same")] == [
        "keep",
        "end",
    ]
    title = one(tree, "section.diff-field-title")
    assert (text_of(one(title, "h3")), text_of(one(title, "p"))) == ("Title", "No changes.")
    assert tree.select("[style]") == []


def test_diff_shows_only_context_around_changes():
    lines = [f"line {n}" for n in range(40)]
    changed = [*lines]
    changed[5], changed[30] = "five", "thirty"

    tree = parse(
        revisions.diff(
            Revision(title="t", body="\n".join(lines)), Revision(title="t", body="\n".join(changed))
        )
    )

    body = one(tree, "section.diff-field-body")
    assert len(body.select("tr.diff-skip")) == 1
    assert len(body.select("tr.diff-same")) == 12
    assert [text_of(td) for td in body.select("tr.diff-ins .diff-line")] == ["+five", "+thirty"]


def test_diff_marks_the_words_that_changed_inside_a_line():
    old = Revision(title="t", body="Millions of <people> had no way to send a thumbs-up.")
    new = Revision(title="t", body="Billions of <people> had no way to send a thumbs-up!")

    body = one(parse(revisions.diff(old, new)), "section.diff-field-body")

    assert [text_of(m) for m in body.select("tr.diff-del del mark")] == ["Millions", "."]
    assert [text_of(m) for m in body.select("tr.diff-ins ins mark")] == ["Billions", "!"]
    assert text_of(one(body, "tr.diff-del del")) == (
        "Millions of <people> had no way to send a thumbs-up."
    )
    assert "&lt;people&gt;" in str(revisions.diff(old, new))


def test_diff_of_a_rewritten_line_marks_no_words():
    old = Revision(title="t", body="Completely different words here")
    new = Revision(title="t", body="Nothing alike at all, sorry")

    assert parse(revisions.diff(old, new)).select("mark") == []


def test_compare_page_shows_the_diff_of_two_revisions(boss_client):
    post = PostFactory(title="Plan", body="alpha\n<script>x()</script>")
    save_through_admin(boss_client, post, body="alpha\nbeta")
    newest, oldest = post.revisions.all()

    response = boss_client.get(url("revision_diff", post), {"from": oldest.pk, "to": newest.pk})

    assert response.status_code == 200
    tree = page(response)
    diff = one(tree, "#content-main .revision-diff")
    assert [text_of(d) for d in diff.select("tr.diff-del del")] == ["<script>x()</script>"]
    assert [text_of(i) for i in diff.select("tr.diff-ins ins")] == ["beta"]
    assert "<script>x()" not in response.text
    assert tree.select("[style]") == []


@pytest.mark.parametrize("query", [{}, {"from": "x", "to": "1"}, {"from": "1"}])
def test_compare_needs_two_revisions(boss_client, query):
    post = PostFactory()

    assert boss_client.get(url("revision_diff", post), query).status_code == 404


def test_compare_refuses_another_posts_revision(boss_client):
    post, other = PostFactory(), PostFactory()
    mine, theirs = post.revisions.get(), other.revisions.get()

    response = boss_client.get(url("revision_diff", post), {"from": theirs.pk, "to": mine.pk})

    assert response.status_code == 404


# --- restoring ------------------------------------------------------------


def test_restoring_a_revision_saves_it_as_a_new_one(boss_client, boss):
    author, other = UserFactory(username="first"), UserFactory(username="second")
    post = PostFactory(title="Original", excerpt="Orig", body="Original body", author=author)
    save_through_admin(boss_client, post, title="Rewrite", body="New body", author=str(other.pk))
    original = post.revisions.last()

    response = boss_client.post(url("revision_restore", post, original.pk), follow=True)

    assert response.redirect_chain == [(url("change", post), 302)]
    messages = [text_of(li) for li in page(response).select("ul.messagelist li")]
    (restored,) = [m for m in messages if m.startswith("Restored the revision from ")]
    assert str(timezone.localtime(original.created_at).year) in restored
    post.refresh_from_db()
    assert (post.title, post.excerpt, post.body, post.author) == (
        "Original",
        "Orig",
        "Original body",
        author,
    )
    assert "Original body" in post.body_html
    newest = post.revisions.first()
    assert post.revisions.count() == 3
    assert (newest.title, newest.created_by, newest.author) == ("Original", boss, author)


def test_restoring_leaves_status_and_dates_alone(boss_client):
    post = PostFactory(title="Original")
    save_through_admin(boss_client, post, title="Rewrite")
    Post.objects.filter(pk=post.pk).update(status=Post.Status.DRAFT)

    boss_client.post(url("revision_restore", post, post.revisions.last().pk))

    post.refresh_from_db()
    assert (post.title, post.status) == ("Original", Post.Status.DRAFT)


def test_restore_page_asks_first_and_changes_nothing(boss_client):
    post = PostFactory(title="Original", body="one")
    save_through_admin(boss_client, post, title="Rewrite", body="two")
    original = post.revisions.last()

    response = boss_client.get(url("revision_restore", post, original.pk))

    assert response.status_code == 200
    tree = page(response)
    form = one(tree, "#content-main form")
    assert form["method"] == "post"
    assert form.select("input[name=csrfmiddlewaretoken]")
    assert [text_of(d) for d in tree.select(".diff-field-body tr.diff-ins ins")] == ["one"]
    assert [text_of(d) for d in tree.select(".diff-field-body tr.diff-del del")] == ["two"]
    post.refresh_from_db()
    assert post.title == "Rewrite"
    assert post.revisions.count() == 2


def test_restore_refuses_another_posts_revision(boss_client):
    post, other = PostFactory(title="Mine"), PostFactory(title="Theirs")

    response = boss_client.post(url("revision_restore", post, other.revisions.get().pk))

    assert response.status_code == 404
    post.refresh_from_db()
    assert post.title == "Mine"


def test_restore_of_a_revision_whose_author_is_gone_keeps_the_author():
    post = PostFactory(title="Original")
    revision = post.revisions.get()
    Revision.objects.filter(pk=revision.pk).update(author=None)
    revision.refresh_from_db()
    post.title = "Changed"
    post.save()

    revisions.restore(revision, None)

    post.refresh_from_db()
    assert post.title == "Original"
    assert post.author is not None


# --- permissions ----------------------------------------------------------


def test_staff_who_may_not_change_the_post_are_refused(onlooker_client, onlooker):
    post = PostFactory(title="Untouchable", author=onlooker)
    revision = post.revisions.get()
    diff = {"from": revision.pk, "to": revision.pk}

    assert onlooker_client.get(url("revisions", post)).status_code == 403
    assert onlooker_client.get(url("revision_diff", post), diff).status_code == 403
    assert onlooker_client.get(url("revision_restore", post, revision.pk)).status_code == 403
    assert onlooker_client.post(url("revision_restore", post, revision.pk)).status_code == 403
    assert post.revisions.count() == 1


def test_readers_are_sent_to_the_login(client):
    post = PostFactory()

    response = client.get(url("revisions", post))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_unknown_post_is_404(boss_client):
    assert boss_client.get(reverse("admin:posts_post_revisions", args=[9999])).status_code == 404


def test_restoring_never_changes_the_author_for_someone_who_may_not(client):
    """An Author (no "edit others' posts") cannot hand their post to someone else by restoring."""
    writer = UserFactory(username="writer", is_staff=True)
    writer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_post", "change_post", "publish_post"])
    )
    post = PostFactory(title="Now", author=writer)
    older = Revision.objects.create(
        post=post,
        title="Then",
        body="Older body",
        author=UserFactory(username="previous"),
        created_at=timezone.now() - datetime.timedelta(days=1),
    )
    client.force_login(writer)

    confirm = client.get(url("revision_restore", post, older.pk))
    restored = client.post(url("revision_restore", post, older.pk))

    assert "and the author stay as they are now" in text_of(page(confirm))
    assert restored.status_code == 302
    post.refresh_from_db()
    assert (post.title, post.body, post.author) == ("Then", "Older body", writer)
