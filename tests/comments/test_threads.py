"""
Comment threads on the article: nesting to the site's depth, pages of
top-level threads, the commenter's own pending comments, placeholders for
removed comments, reply links without JavaScript, and constant queries.
"""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blog.comments.models import Comment
from blog.comments.views import OWN_PENDING_SESSION_KEY
from blog.posts.models import Post
from blog.sitesettings.models import SiteSettings
from tests import query_counts
from tests.factories import CategoryFactory, CommentFactory, PostFactory, UserFactory
from tests.helpers import balance_problems, meta_lines, one, page, text_of

pytestmark = pytest.mark.django_db

REMOVED = "This comment was removed."
AWAITING = "Your comment is awaiting moderation."
START = timezone.now() - datetime.timedelta(hours=12)

# The article's queries, with the comments read in one (tests/query_counts.py).
ARTICLE_QUERIES = query_counts.ARTICLE
# A reader with a session cookie: the session is read once more, by the view.
ARTICLE_QUERIES_WITH_SESSION = ARTICLE_QUERIES + 1


@pytest.fixture
def post():
    return PostFactory(title="WhatsApp crashes")


class Clock:
    """Comments a minute apart, so their order never rests on the database's clock."""

    def __init__(self):
        self.minutes = 0

    def comment(self, post, name, parent=None, **kwargs):
        self.minutes += 1
        return CommentFactory(
            post=post,
            name=name,
            parent=parent,
            body=kwargs.pop("body", f"Words of {name}"),
            created_at=START + datetime.timedelta(minutes=self.minutes),
            **kwargs,
        )


@pytest.fixture
def clock():
    return Clock()


def settings(**values):
    SiteSettings(**values).save()


def get(client, post, query=""):
    response = client.get(post.get_absolute_url() + query)
    assert response.status_code == 200
    return response


def shape(node):
    """The thread under an ``<ol>``: ``[(author or "removed", [replies...]), ...]``."""
    if node is None:
        return []
    found = []
    for li in node.find_all("li", recursive=False):
        article = li.find("article", recursive=False)
        removed = "comment-removed" in li.attrs["class"].split()
        label = "removed" if removed else text_of(one(article, "span.comment-author"))
        found.append((label, shape(li.find("ol", recursive=False))))
    return found


def thread_of(response):
    return shape(page(response).find("ol", class_="comment-list"))


def comment_node(response, comment):
    (node,) = page(response).find_all(id=f"comment-{comment.pk}")
    return node.find("article", recursive=False)


def has_reply_link(response, comment):
    return comment_node(response, comment).select("p.reply a") != []


def chain(clock, post, names, parent=None):
    comments = []
    for name in names:
        parent = clock.comment(post, name, parent)
        comments.append(parent)
    return comments


# Depth


def test_replies_nest_three_levels_by_default(client, post, clock):
    chain(clock, post, ["A", "B", "C"])

    assert thread_of(get(client, post)) == [("A", [("B", [("C", [])])])]


def test_deeper_replies_show_at_the_deepest_level_after_what_they_answer(client, post, clock):
    a, b, c, d, e = chain(clock, post, ["A", "B", "C", "D", "E"])
    c2 = clock.comment(post, "C2", b)
    d2 = clock.comment(post, "D2", c)  # posted after C2, shown right after C's thread

    assert thread_of(get(client, post)) == [
        ("A", [("B", [("C", []), ("D", []), ("E", []), ("D2", []), ("C2", [])])])
    ]
    del c2, d2


def test_flattened_replies_say_whom_they_answer(client, post, clock):
    a, b, c, d, e = chain(clock, post, ["Ann", "Bob", "Cy", "Dee", "Eve"])

    response = get(client, post)

    def in_reply_to(comment):
        return [text_of(n) for n in comment_node(response, comment).select(".comment-in-reply-to")]

    assert in_reply_to(c) == []
    assert in_reply_to(d) == ["in reply to Cy"]
    assert in_reply_to(e) == ["in reply to Dee"]
    (link,) = comment_node(response, e).select(".comment-in-reply-to a")
    assert link.attrs["href"] == f"#comment-{d.pk}"


def test_reply_links_only_where_a_reply_can_nest(client, post, clock):
    a, b, c, d = chain(clock, post, ["A", "B", "C", "D"])

    response = get(client, post)

    assert [has_reply_link(response, x) for x in (a, b, c, d)] == [True, True, False, False]


def test_depth_setting_nests_deeper(client, post, clock):
    settings(comment_thread_depth=5)
    comments = chain(clock, post, ["A", "B", "C", "D", "E", "F"])

    response = get(client, post)

    assert thread_of(response) == [("A", [("B", [("C", [("D", [("E", []), ("F", [])])])])])]
    assert [has_reply_link(response, x) for x in comments] == [True] * 4 + [False] * 2


def test_depth_of_one_is_a_flat_list_without_reply_links(client, post, clock):
    settings(comment_thread_depth=1)
    a, b, c = chain(clock, post, ["A", "B", "C"])
    z = clock.comment(post, "Z")
    b2 = clock.comment(post, "B2", a)

    response = get(client, post)

    assert thread_of(response) == [("A", []), ("B", []), ("C", []), ("B2", []), ("Z", [])]
    assert page(response).select("p.reply") == []
    assert page(response).select("ol.children") == []
    del z, b2


def test_a_reply_posted_to_the_deepest_level_is_accepted_and_flattened(client, post, clock):
    a, b, c = chain(clock, post, ["A", "B", "C"])

    response = get(client, post, f"?replytocom={c.pk}")

    (parent,) = [i for i in page(response).select("input") if i.attrs.get("name") == "parent"]
    assert parent.attrs["value"] == str(c.pk)
    clock.comment(post, "D", c)
    assert thread_of(get(client, post)) == [("A", [("B", [("C", []), ("D", [])])])]


def test_deep_threads_are_well_formed_html(client, post, clock):
    settings(comment_thread_depth=4)
    comments = chain(clock, post, [f"N{n}" for n in range(12)])
    Comment.objects.filter(pk=comments[2].pk).update(status=Comment.Status.TRASH)
    clock.comment(post, "Other")

    response = get(client, post)

    html = response.content.decode()
    start = html.index('<section id="comments"')
    section = html[start : html.index("</section>", start) + len("</section>")]
    assert balance_problems(section) == []
    assert len(page(response).select("ol.children")) == 3


def test_a_reply_loop_does_not_hang_the_page(client, post, clock):
    a, b = chain(clock, post, ["A", "B"])
    Comment.objects.filter(pk=a.pk).update(parent=b)
    clock.comment(post, "Z")

    assert thread_of(get(client, post)) == [("Z", [])]


# Pages of top-level threads


def make_threads(clock, post, count):
    """``count`` top-level comments T0, T1... each with a reply R0, R1..."""
    tops = []
    for n in range(count):
        top = clock.comment(post, f"T{n}")
        tops.append(top)
    for n, top in enumerate(tops):
        clock.comment(post, f"R{n}", top)
    return tops


def tops_of(response):
    return [name for name, _ in thread_of(response)]


def pagination(response):
    nav = page(response).select("nav.comment-pagination")
    if not nav:
        return None
    (nav,) = nav
    return {
        "prev": [(text_of(a), a.attrs["href"]) for a in nav.select("a.prev")],
        "next": [(text_of(a), a.attrs["href"]) for a in nav.select("a.next")],
        "numbers": [text_of(li) for li in nav.select("li")],
        "current": text_of(one(nav, "[aria-current]")),
    }


def test_one_page_of_comments_has_no_page_links(client, post, clock):
    make_threads(clock, post, 3)

    response = get(client, post)

    assert tops_of(response) == ["T0", "T1", "T2"]
    assert pagination(response) is None


def test_top_level_threads_paginate_with_their_replies(client, post, clock):
    settings(comments_per_page=2)
    make_threads(clock, post, 5)
    url = post.get_absolute_url()

    first, second, third = (get(client, post, q) for q in ("", "?cpage=2", "?cpage=3"))

    assert thread_of(first) == [("T0", [("R0", [])]), ("T1", [("R1", [])])]
    assert thread_of(second) == [("T2", [("R2", [])]), ("T3", [("R3", [])])]
    assert thread_of(third) == [("T4", [("R4", [])])]
    assert pagination(first) == {
        "prev": [],
        "next": [("Newer comments →", f"{url}?cpage=2#comments")],
        "numbers": ["1", "2", "3"],
        "current": "1",
    }
    assert pagination(second)["prev"] == [("← Older comments", f"{url}#comments")]
    assert pagination(second)["next"] == [("Newer comments →", f"{url}?cpage=3#comments")]
    assert pagination(second)["current"] == "2"
    assert pagination(third)["next"] == []
    # Every page counts every approved comment, in the heading and the meta line.
    for response in (first, second, third):
        assert text_of(one(page(response), "h2.comments-title")).startswith("10 Comments")
        assert meta_lines(response)[0].endswith(" // 10 Comments")


def test_page_links_are_numbered(client, post, clock):
    settings(comments_per_page=1)
    make_threads(clock, post, 3)
    url = post.get_absolute_url()

    nav = one(page(get(client, post, "?cpage=2")), "nav.comment-pagination")

    links = [(text_of(a), a.attrs["href"]) for a in nav.select("li a")]
    assert links == [("1", f"{url}#comments"), ("3", f"{url}?cpage=3#comments")]
    assert text_of(one(nav, "li span[aria-current=page]")) == "2"


@pytest.mark.parametrize(
    ("cpage", "shown"),
    [("99", ["T4"]), ("0", ["T0", "T1"]), ("abc", ["T0", "T1"]), ("-1", ["T0", "T1"])],
)
def test_a_page_past_the_end_or_not_a_number_shows_the_nearest_page(
    client, post, clock, cpage, shown
):
    settings(comments_per_page=2)
    make_threads(clock, post, 5)

    assert tops_of(get(client, post, f"?cpage={cpage}")) == shown


def test_newest_first_orders_top_level_threads_newest_first(client, post, clock):
    settings(comment_order=SiteSettings.CommentOrder.NEWEST, comments_per_page=2)
    tops = make_threads(clock, post, 5)
    clock.comment(post, "R4b", tops[4])
    url = post.get_absolute_url()

    first, third = get(client, post), get(client, post, "?cpage=3")

    # Replies inside a thread still read oldest first.
    assert thread_of(first) == [("T4", [("R4", []), ("R4b", [])]), ("T3", [("R3", [])])]
    assert tops_of(third) == ["T0"]
    assert pagination(first)["next"] == [("Older comments →", f"{url}?cpage=2#comments")]
    assert pagination(third)["prev"] == [("← Newer comments", f"{url}?cpage=2#comments")]


def test_reply_links_keep_the_page(client, post, clock):
    settings(comments_per_page=2)
    tops = make_threads(clock, post, 3)
    url = post.get_absolute_url()

    response = get(client, post, "?cpage=2")

    (link,) = comment_node(response, tops[2]).select("p.reply a")
    assert link.attrs["href"] == f"{url}?cpage=2&replytocom={tops[2].pk}#respond"
    assert link.attrs["rel"] == "nofollow"
    first_page = get(client, post)
    (link,) = comment_node(first_page, tops[0]).select("p.reply a")
    assert link.attrs["href"] == f"{url}?replytocom={tops[0].pk}#respond"


# The commenter's own pending comments


def remember_pending(client, *comments):
    session = client.session
    session[OWN_PENDING_SESSION_KEY] = [c.pk for c in comments]
    session.save()


def test_own_pending_comment_is_shown_to_its_session_only(client, post, clock):
    clock.comment(post, "Maria")
    mine = clock.comment(post, "Ann", status=Comment.Status.PENDING, body="Distinctive remark")
    remember_pending(client, mine)

    response = get(client, post)

    node = comment_node(response, mine)
    assert "Distinctive remark" in text_of(node)
    assert text_of(one(node, "p.comment-awaiting-moderation")) == AWAITING
    assert node.parent.attrs["class"] == "comment comment-pending"
    assert node.select("p.reply") == []
    assert thread_of(response) == [("Maria", []), ("Ann", [])]
    # Counted nowhere: it is not public.
    assert meta_lines(response)[0].endswith(" // 1 Comment")
    assert text_of(one(page(response), "h2.comments-title")).startswith("1 Comment on")
    others = get(Client(), post)
    assert "Distinctive remark" not in others.text
    assert AWAITING not in others.text
    assert thread_of(others) == [("Maria", [])]


def test_own_pending_reply_sits_under_its_parent(client, post, clock):
    parent = clock.comment(post, "Maria")
    mine = clock.comment(post, "Ann", parent, status=Comment.Status.PENDING)
    remember_pending(client, mine)

    assert thread_of(get(client, post)) == [("Maria", [("Ann", [])])]


def test_own_pending_comment_alone_makes_a_thread(client, post, clock):
    mine = clock.comment(post, "Ann", status=Comment.Status.PENDING)
    remember_pending(client, mine)

    response = get(client, post)

    assert thread_of(response) == [("Ann", [])]
    assert meta_lines(response)[0].endswith(" // No Comments")


@pytest.mark.parametrize("status", [Comment.Status.SPAM, Comment.Status.TRASH])
def test_own_comment_moved_to_spam_or_trash_is_no_longer_shown(client, post, clock, status):
    mine = clock.comment(post, "Ann", status=status, body="Distinctive remark")
    remember_pending(client, mine)

    response = get(client, post)

    assert "Distinctive remark" not in response.text
    assert page(response).select("li.comment") == []


def test_own_comment_once_approved_shows_as_any_other(client, post, clock):
    mine = clock.comment(post, "Ann")
    remember_pending(client, mine)

    response = get(client, post)

    assert comment_node(response, mine).parent.attrs["class"] == "comment"
    assert AWAITING not in response.text


def test_own_pending_comment_of_another_post_is_not_shown_here(client, post, clock):
    elsewhere = clock.comment(PostFactory(), "Ann", status=Comment.Status.PENDING)
    remember_pending(client, elsewhere)

    assert page(get(client, post)).select("li.comment") == []


def test_someone_elses_pending_comment_is_not_shown(client, post, clock):
    mine = clock.comment(post, "Ann", status=Comment.Status.PENDING)
    theirs = clock.comment(post, "Bob", status=Comment.Status.PENDING, body="Their words")
    remember_pending(client, mine)

    response = get(client, post)

    assert thread_of(response) == [("Ann", [])]
    assert "Their words" not in response.text
    del theirs


@pytest.mark.parametrize("stored", ["not a list", ["1", None, True], {"a": 1}])
def test_a_strange_session_value_is_ignored(client, post, clock, stored):
    clock.comment(post, "Maria")
    session = client.session
    session[OWN_PENDING_SESSION_KEY] = stored
    session.save()

    assert thread_of(get(client, post)) == [("Maria", [])]


def test_a_reader_without_a_session_cookie_never_reads_the_session_table(post, clock):
    clock.comment(post, "Maria")

    with CaptureQueriesContext(connection) as queries:
        response = Client().get(post.get_absolute_url())

    assert response.status_code == 200
    assert [q["sql"] for q in queries if "django_session" in q["sql"]] == []


# Removed comments with replies


@pytest.mark.parametrize("status", [Comment.Status.TRASH, Comment.Status.SPAM,
                                    Comment.Status.PENDING])  # fmt: skip
def test_removed_comment_with_replies_leaves_a_placeholder(client, post, clock, status):
    parent = clock.comment(
        post, "Secret Name", status=status, body="Secret words", url="https://secret.example"
    )
    clock.comment(post, "Ann", parent)
    clock.comment(post, "Bob")

    response = get(client, post)

    assert thread_of(response) == [("removed", [("Ann", [])]), ("Bob", [])]
    node = comment_node(response, parent)
    assert text_of(node) == REMOVED
    assert node.select("p.reply") == []
    assert node.select(".comment-meta") == []
    for secret in ("Secret Name", "Secret words", "secret.example", "secretname@example.com"):
        assert secret not in response.text
    # Only the approved replies count.
    assert meta_lines(response)[0].endswith(" // 2 Comments")


def test_removed_comment_without_shown_replies_leaves_nothing(client, post, clock):
    spam = clock.comment(post, "Spammer", status=Comment.Status.SPAM)
    clock.comment(post, "Spammer 2", spam, status=Comment.Status.SPAM)
    clock.comment(post, "Bob")

    response = get(client, post)

    assert thread_of(response) == [("Bob", [])]
    assert REMOVED not in response.text


def test_removed_comments_in_a_row_all_keep_their_place(client, post, clock):
    a, b, c, d = chain(clock, post, ["A", "B", "C", "D"])
    Comment.objects.filter(pk__in=[a.pk, b.pk]).update(status=Comment.Status.TRASH)

    response = get(client, post)

    assert thread_of(response) == [("removed", [("removed", [("C", []), ("D", [])])])]
    assert [text_of(n) for n in comment_node(response, d).select(".comment-in-reply-to")] == [
        "in reply to C"
    ]


def test_flattened_reply_to_a_removed_comment_says_so(client, post, clock):
    a, b, c, d = chain(clock, post, ["A", "B", "C", "D"])
    Comment.objects.filter(pk=c.pk).update(status=Comment.Status.TRASH)

    response = get(client, post)

    assert thread_of(response) == [("A", [("B", [("removed", []), ("D", [])])])]
    assert text_of(one(comment_node(response, d), ".comment-in-reply-to")) == (
        "in reply to a removed comment"
    )


def test_removed_parent_of_an_own_pending_reply_shows_to_that_session(client, post, clock):
    parent = clock.comment(post, "Gone", status=Comment.Status.TRASH)
    mine = clock.comment(post, "Ann", parent, status=Comment.Status.PENDING)
    remember_pending(client, mine)

    assert thread_of(get(client, post)) == [("removed", [("Ann", [])])]
    assert thread_of(get(Client(), post)) == []


def test_deleted_comments_replies_become_top_level(client, post, clock):
    a, b, c = chain(clock, post, ["A", "B", "C"])
    z = clock.comment(post, "Z")

    a.delete()

    assert thread_of(get(client, post)) == [("B", [("C", [])]), ("Z", [])]
    del z


# Replying without JavaScript


def test_reply_link_shows_whom_the_reader_replies_to(client, post, clock):
    maria = clock.comment(post, "Maria")
    url = post.get_absolute_url()

    response = get(client, post, f"?replytocom={maria.pk}")

    note = one(page(response), "p.reply-to")
    assert text_of(note) == "Replying to Maria — cancel reply"
    name, cancel = note.select("a")
    assert name.attrs["href"] == f"{url}#comment-{maria.pk}"
    assert cancel.attrs["href"] == f"{url}#respond"
    (parent,) = [i for i in page(response).select("input") if i.attrs.get("name") == "parent"]
    assert parent.attrs["value"] == str(maria.pk)
    # The note sits right above the form it is about.
    assert note.find_next_sibling().attrs["id"] == "respond"


def test_cancel_reply_brings_back_a_plain_form(client, post, clock):
    maria = clock.comment(post, "Maria")
    note = one(page(get(client, post, f"?replytocom={maria.pk}")), "p.reply-to")

    response = client.get(note.select("a")[1].attrs["href"].split("#")[0])

    assert page(response).select("p.reply-to") == []
    (parent,) = [i for i in page(response).select("input") if i.attrs.get("name") == "parent"]
    assert parent.attrs.get("value", "") == ""


def test_a_refused_reply_keeps_saying_whom_it_replies_to(client, post, clock):
    maria = clock.comment(post, "Maria")
    url = post.get_absolute_url()

    response = client.post(
        reverse("comments:post", kwargs={"post_id": post.pk}),
        {"name": "", "email": "ann@example.com", "body": "Me too", "parent": str(maria.pk)},
    )

    assert response.status_code == 400
    assert text_of(one(page(response), "p.reply-to")) == "Replying to Maria — cancel reply"
    # The page is at the comment endpoint: its links lead back to the article.
    (link,) = comment_node(response, maria).select("p.reply a")
    assert link.attrs["href"] == f"{url}?replytocom={maria.pk}#respond"


def test_replying_to_a_comment_on_another_page_links_to_that_page(client, post, clock):
    settings(comments_per_page=1)
    tops = make_threads(clock, post, 3)
    url = post.get_absolute_url()

    response = get(client, post, f"?cpage=1&replytocom={tops[2].pk}")

    name, cancel = one(page(response), "p.reply-to").select("a")
    assert name.attrs["href"] == f"{url}?cpage=3#comment-{tops[2].pk}"
    assert cancel.attrs["href"] == f"{url}#respond"


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.SPAM,
                                    Comment.Status.TRASH])  # fmt: skip
def test_replying_to_a_comment_readers_cannot_see_is_not_offered(client, post, clock, status):
    hidden = clock.comment(post, "Hidden", status=status)
    clock.comment(post, "Maria", hidden)  # keeps a placeholder for it

    response = get(client, post, f"?replytocom={hidden.pk}")

    assert page(response).select("p.reply-to") == []
    assert "Hidden" not in response.text
    (parent,) = [i for i in page(response).select("input") if i.attrs.get("name") == "parent"]
    assert parent.attrs.get("value", "") == ""


@pytest.mark.parametrize("value", ["abc", "999999", "-3", ""])
def test_replying_to_nothing_known_shows_a_plain_form(client, post, clock, value):
    clock.comment(post, "Maria")

    response = get(client, post, f"?replytocom={value}")

    assert page(response).select("p.reply-to") == []


def test_replying_to_a_comment_of_another_post_is_not_offered(client, post, clock):
    elsewhere = clock.comment(PostFactory(), "Elsewhere")

    response = get(client, post, f"?replytocom={elsewhere.pk}")

    assert page(response).select("p.reply-to") == []
    # The sidebar's Recent Comments may name it; the article must not.
    assert "Elsewhere" not in text_of(one(page(response), "main"))


# Queries


def make_discussion(post, clock, approved, own_client):
    """
    ``approved`` approved comments: for 100, 60 top-level threads (two pages),
    chains six and nine deep (past the depth of three), three removed parents
    with approved replies; plus own and others' pending comments and spam.
    """
    made = [clock.comment(post, "First")]
    if approved > 1:
        made += chain(clock, post, [f"Deep {n}" for n in range(9)], parent=made[0])
        made += chain(clock, post, [f"Mid {n}" for n in range(6)])
        for n in range(3):
            removed = clock.comment(post, f"Removed {n}", status=Comment.Status.TRASH)
            made.append(clock.comment(post, f"Under removed {n}", removed))
            made.append(clock.comment(post, f"Under removed {n} again", removed))
        user = UserFactory(display_name="Logged In")
        while len(made) < approved:
            n = len(made)
            parent = made[n - 1] if n % 3 == 0 else None
            made.append(clock.comment(post, f"Reader {n}", parent, user=user if n % 5 else None))
    mine = [
        clock.comment(post, "Own", made[0], status=Comment.Status.PENDING),
        clock.comment(post, "Own top", status=Comment.Status.PENDING),
    ]
    clock.comment(post, "Someone else", status=Comment.Status.PENDING)
    clock.comment(post, "Spammer", made[0], status=Comment.Status.SPAM)
    remember_pending(own_client, *mine)
    assert Comment.objects.filter(post=post, status="approved").count() == approved
    return made


@pytest.fixture
def full_post():
    marketing = CategoryFactory(name="Marketing", slug="marketing")
    seo = CategoryFactory(name="SEO", slug="seo", parent=marketing)
    return PostFactory(categories=[marketing, seo], tags=["apps", "seo"])


@pytest.mark.parametrize("approved", [1, 100])
@pytest.mark.parametrize("query", ["", "?cpage=2"])
def test_article_queries_do_not_grow_with_threaded_comments(
    client, django_assert_num_queries, full_post, clock, approved, query
):
    make_discussion(full_post, clock, approved, client)

    with django_assert_num_queries(ARTICLE_QUERIES_WITH_SESSION):
        response = client.get(full_post.get_absolute_url() + query)

    assert response.status_code == 200
    assert meta_lines(response)[0].endswith(f" // {approved} Comment{'s' if approved > 1 else ''}")
    tree = page(response)
    # With 100, one own pending comment is on the first page, one on the last.
    assert len(tree.select("li.comment-pending")) == (1 if approved == 100 else 2)
    if approved == 100:
        assert len(tree.select("nav.comment-pagination")) == 1
        assert len(tree.select("li.comment-removed")) == (0 if query else 3)


@pytest.mark.parametrize("approved", [1, 100])
def test_article_queries_for_a_reader_without_a_session(
    django_assert_num_queries, full_post, clock, approved
):
    make_discussion(full_post, clock, approved, Client())

    with django_assert_num_queries(ARTICLE_QUERIES):
        response = Client().get(full_post.get_absolute_url())

    assert response.status_code == 200
    assert page(response).select("li.comment-pending") == []


@pytest.mark.parametrize("approved", [1, 100])
def test_article_queries_when_replying(
    client, django_assert_num_queries, full_post, clock, approved
):
    made = make_discussion(full_post, clock, approved, client)

    with django_assert_num_queries(ARTICLE_QUERIES_WITH_SESSION):
        response = client.get(f"{full_post.get_absolute_url()}?replytocom={made[-1].pk}")

    assert len(page(response).select("p.reply-to")) == 1


def test_closed_post_reads_its_comments_in_the_same_queries(
    client, django_assert_num_queries, full_post, clock
):
    Post.objects.filter(pk=full_post.pk).update(comment_mode=Post.CommentMode.CLOSED)
    make_discussion(full_post, clock, 100, Client())

    with django_assert_num_queries(ARTICLE_QUERIES):
        response = client.get(full_post.get_absolute_url())

    assert page(response).select("p.comments-closed")
