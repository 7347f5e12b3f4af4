"""
What an import makes of each part of a WXR file: authors, terms, posts and
pages with every field, comments with their threads, pingbacks shown apart,
menus, and the report's warnings naming each item.
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from taggit.models import Tag

from blog.categories.models import Category
from blog.comments.models import Comment
from blog.pages.models import Menu, MenuItem
from blog.posts.models import Post, PostRedirect
from blog.search.backends import search as search_posts
from blog.sitesettings.models import SiteSettings
from blog.wordpress.importer import import_wxr
from blog.wordpress.models import Origin, Site
from tests.factories import UserFactory

from .wxr_builder import author, category, comment, item, tag, term, write, wxr

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def run(tmp_path, text, **kwargs):
    return import_wxr(write(tmp_path, text), **kwargs)


def test_authors_become_users_with_the_role_and_no_password(tmp_path):
    existing = UserFactory(username="someone", email="Known@Example.com")
    text = wxr(
        [item(1, "One", creator="wpwriter"), item(2, "Two", creator="known")],
        authors=[
            author("wpwriter", wp_id=2, display="Wendy Writer", first="Wendy", last="Writer"),
            author("known", wp_id=3, email="known@example.com"),
        ],
    )
    report = run(tmp_path, text, author_role="Editor")

    wendy = get_user_model().objects.get(username="wpwriter")
    assert (wendy.display_name, wendy.first_name, wendy.last_name) == (
        "Wendy Writer",
        "Wendy",
        "Writer",
    )
    assert not wendy.has_usable_password()
    assert list(wendy.groups.values_list("name", flat=True)) == ["Editor"]
    # Matched by email: no second account.
    assert Post.objects.get(title="Two").author == existing
    assert get_user_model().objects.count() == 2
    assert report.count("authors", "imported") == 1
    assert ("authors", "wpwriter", "user created with the Editor role (no password)") in (
        report.warnings
    )


def test_categories_keep_their_tree_when_a_parent_comes_later(tmp_path):
    text = wxr(
        [item(1, "Filed", terms=[("category", "child", "Child"), ("post_tag", "news", "News")])],
        categories=[
            category("child", "Child", term_id=11, parent="parent", description="Below"),
            category("parent", "Parent", term_id=10),
        ],
        tags=[tag("news", "News", term_id=20)],
        terms=[term("fiction", "Fiction", term_id=30, taxonomy="genre")],
    )
    report = run(tmp_path, text)

    child = Category.objects.get(slug="child")
    assert child.parent.slug == "parent"
    assert child.description == "Below"
    post = Post.objects.get()
    assert list(post.categories.all()) == [child]
    assert [t.name for t in post.tags.all()] == ["News"]
    assert Tag.objects.get().slug == "news"
    assert report.count("other taxonomies", "skipped") == 1


def test_posts_keep_every_field(tmp_path):
    text = wxr(
        [
            item(
                1,
                "Published",
                body="<p>First</p>\n\nSecond paragraph",
                excerpt="Short <b>version</b>",
                date="2014-02-22 12:00:00",
                date_gmt="2014-02-22 10:00:00",
                sticky=True,
                password="secret",
                comment_status="closed",
                meta=[("_wp_old_slug", "old-name")],
                link="https://old.example.com/2014/02/22/published/",
            ),
            item(2, "Scheduled", status="future", date="2099-01-01 00:00:00"),
            item(3, "Draft", status="draft", slug=""),
            item(4, "Pending", status="pending"),
            item(5, "Private", status="private"),
            item(6, "Trashed", status="trash", meta=[("_wp_trash_meta_status", "publish")]),
            item(7, "Auto", status="auto-draft"),
            item(8, "A revision", post_type="revision", status="inherit"),
            item(9, "Local time", date="2014-03-01 12:00:00", date_gmt="0000-00-00 00:00:00"),
        ]
    )
    report = run(tmp_path, text, timezone="America/New_York")

    post = Post.objects.get(title="Published")
    assert post.body_format == Post.BodyFormat.HTML
    assert "<p>Second paragraph</p>" in post.body_html  # wpautop
    assert post.excerpt == "Short version"
    assert post.published_at == datetime.datetime(2014, 2, 22, 10, tzinfo=UTC)
    assert post.created_at == post.published_at
    assert post.sticky and post.password == "secret"
    assert post.comment_mode == Post.CommentMode.CLOSED
    assert post.slug == "published"
    old = PostRedirect.objects.get()
    assert (old.old_path, old.post) == ("/2014/02/22/old-name/", post)

    statuses = dict(Post.objects.values_list("title", "status"))
    assert statuses == {
        "Published": "published",
        "Scheduled": "published",
        "Draft": "draft",
        "Pending": "pending",
        "Private": "private",
        "Trashed": "trash",
        "Local time": "published",
    }
    assert Post.objects.get(title="Scheduled").is_scheduled
    assert Post.objects.get(title="Draft").slug == "draft"
    assert Post.objects.get(title="Trashed").status_before_trash == "published"
    # post_date_gmt of zeros: post_date in the given zone (EST, UTC-5).
    assert Post.objects.get(title="Local time").published_at == datetime.datetime(
        2014, 3, 1, 17, tzinfo=UTC
    )
    assert report.count("posts", "imported") == 7
    assert report.count("posts", "skipped") == 1
    assert report.count("skipped types", "skipped") == 1
    # Indexed for search once, at the end.
    assert [p.title for p in search_posts(Post.objects.all(), "Published")] == ["Published"]


def test_pages_keep_their_tree_and_a_reserved_slug_is_renamed(tmp_path):
    text = wxr(
        [
            item(12, "Team", post_type="page", parent=11, menu_order=2),
            item(11, "About", post_type="page", menu_order=1),
            item(13, "Feed", post_type="page"),
            item(14, "Orphan", post_type="page", parent=999),
        ]
    )
    report = run(tmp_path, text)

    team = Post.any_kind.get(title="Team")
    assert team.kind == "page"
    assert team.parent.title == "About"
    assert team.path == "about/team"
    assert team.menu_order == 2
    feed = Post.any_kind.get(title="Feed")
    assert feed.slug == "feed-2"
    assert (
        "pages",
        "Feed",
        "slug “feed” is taken by the site's own addresses: renamed to “feed-2”",
    ) in report.warnings
    assert Post.any_kind.get(title="Orphan").parent is None
    assert report.count("pages", "imported") == 4


def test_comments_keep_threads_status_kind_and_user_with_no_email(tmp_path, settings):
    text = wxr(
        [
            item(
                1,
                "Discussed",
                comments=[
                    # The reply comes before the comment it answers.
                    comment(3, "A reply", parent=2, user_id=2, name="Wendy"),
                    comment(2, "First!", date="2014-02-22 11:00:00", agent="Mozilla/5.0 (Old)"),
                    comment(4, "Held", approved="0"),
                    comment(5, "Buy now", approved="spam"),
                    comment(6, "Gone", approved="trash"),
                    comment(7, "Gone with post", approved="post-trashed"),
                    comment(8, "Linked here", kind="pingback", url="https://other.example/"),
                    comment(9, "Tracked", kind="trackback", name="Another blog"),
                    comment(10, "Lost parent", parent=555),
                ],
            ),
            item(20, "A page", post_type="page", comments=[comment(21, "On a page")]),
        ]
    )
    report = run(tmp_path, text)

    by_body = {c.body: c for c in Comment.objects.all()}
    assert by_body["A reply"].parent == by_body["First!"]
    assert by_body["A reply"].user.username == "wpwriter"
    assert by_body["First!"].created_at == datetime.datetime(2014, 2, 22, 11, tzinfo=UTC)
    assert by_body["First!"].ip == "192.0.2.1"
    assert by_body["First!"].user_agent == "Mozilla/5.0 (Old)"
    assert by_body["A reply"].user_agent == ""
    assert {body: c.status for body, c in by_body.items()} == {
        "A reply": "approved",
        "First!": "approved",
        "Held": "pending",
        "Buy now": "spam",
        "Gone": "trash",
        "Gone with post": "trash",
        "Linked here": "approved",
        "Tracked": "approved",
        "Lost parent": "approved",
        "On a page": "approved",
    }
    assert by_body["Linked here"].kind == Comment.Kind.PINGBACK
    assert by_body["Tracked"].kind == Comment.Kind.TRACKBACK
    assert by_body["On a page"].post.kind == "page"
    assert by_body["Lost parent"].parent is None
    assert any(
        kind == "comments" and "Lost parent" not in item and "555" in message
        for kind, item, message in report.warnings
    )
    assert mail.outbox == []
    assert report.count("comments", "imported") == 10


def test_pingbacks_show_apart_from_the_conversation(client, tmp_path):
    text = wxr(
        [
            item(
                1,
                "Discussed",
                date="2014-02-22 10:00:00",
                comments=[
                    comment(2, "First!"),
                    comment(3, "A reply", parent=2),
                    comment(
                        4, "Linked", kind="pingback", name="Other blog", url="https://b.example/"
                    ),
                    comment(5, "Held ping", kind="trackback", approved="0", name="Hidden blog"),
                ],
            )
        ]
    )
    run(tmp_path, text)
    post = Post.objects.get()

    page = BeautifulSoup(client.get(post.get_absolute_url()).content, "html.parser")

    conversation = page.select_one(".comment-list")
    assert "First!" in conversation.text and "A reply" in conversation.text
    assert "Other blog" not in conversation.text
    pings = page.select_one(".ping-list")
    assert page.select_one("#pings-title").text == "Pingbacks and trackbacks"
    assert [a["href"] for a in pings.select("a")] == ["https://b.example/"]
    assert "Hidden blog" not in page.text
    # After the conversation, with no reply link.
    assert str(page).index("comment-list") < str(page).index("ping-list")
    assert not pings.select("a[href*=replytocom]")


def test_menus_become_trees_and_the_first_is_the_header_menu(tmp_path):
    def menu_item(wp_id, title, order, menu="main", parent=0, **meta):
        values = {"menu_item_parent": str(parent), **meta}
        return item(
            wp_id,
            title,
            post_type="nav_menu_item",
            menu_order=order,
            terms=[("nav_menu", menu, menu.title())],
            meta=[(f"_menu_item_{key}", value) for key, value in values.items()],
            slug=str(wp_id),
        )

    text = wxr(
        [
            item(1, "A post"),
            item(2, "About", post_type="page"),
            menu_item(100, "", 1, type="post_type", object="page", object_id="2"),
            menu_item(101, "", 2, parent=100, type="post_type", object="post", object_id="1"),
            menu_item(102, "", 3, type="taxonomy", object="category", object_id="10"),
            menu_item(
                103, "Elsewhere", 4, type="custom", object="custom", url="https://x.example/"
            ),
            menu_item(
                104, "", 1, menu="footer", type="taxonomy", object="post_tag", object_id="20"
            ),
        ],
        categories=[category("news", "News", term_id=10)],
        tags=[tag("misc", "Misc", term_id=20)],
        terms=[
            term("main", "Main", term_id=50, taxonomy="nav_menu"),
            term("footer", "Footer", term_id=51, taxonomy="nav_menu"),
        ],
    )
    report = run(tmp_path, text)

    main = Menu.objects.get(name="Main")
    items = list(main.items.order_by("order"))
    assert [i.display_label for i in items] == ["About", "A post", "News", "Elsewhere"]
    assert items[0].page_id == Post.any_kind.get(title="About").pk
    assert items[1].parent == items[0]
    assert items[3].url == "https://x.example/"
    assert MenuItem.objects.get(menu__name="Footer").tag.slug == "misc"
    assert SiteSettings.objects.get().header_menu == main
    assert report.count("menus", "imported") == 2
    assert report.count("menu items", "imported") == 5


def test_an_existing_header_menu_is_kept(tmp_path):
    chosen = Menu.objects.create(name="Ours")
    SiteSettings.objects.create(pk=1, header_menu=chosen)
    text = wxr(
        [
            item(
                100,
                "Home",
                post_type="nav_menu_item",
                terms=[("nav_menu", "main", "Main")],
                meta=[("_menu_item_type", "custom"), ("_menu_item_url", "https://x.example/")],
            )
        ]
    )
    run(tmp_path, text)
    assert SiteSettings.objects.get().header_menu == chosen


@pytest.mark.parametrize(
    "namespace",
    ["http://wordpress.org/export/1.0/", "http://wordpress.org/export/1.1/"],
)
def test_older_wxr_versions_and_plain_text_values(tmp_path, namespace):
    text = wxr([item(1, "Old format")], namespace=namespace, version=namespace[-4:-1])
    text = text.replace("<![CDATA[Old format]]>", "Old format &amp; plain")
    run(tmp_path, text)
    assert Post.objects.get().title == "Old format & plain"
    assert Site.objects.get().base_url == "https://old.example.com"
    assert Origin.objects.get(kind="post").old_path == "/old-format/"


def test_unknown_shortcodes_are_named_in_the_report(tmp_path):
    body = (
        '[contact-form-7 id="4" title="Contact"]\n\n[caption width="300"]<img src="/x.png" '
        'alt="x"> Known[/caption]\n\n[toggle]Open me[/toggle]\n\nA footnote [1] [sic]'
    )
    report = run(tmp_path, wxr([item(1, "Shortcodes", body=body)]))
    assert (
        "posts",
        "Shortcodes",
        "unknown shortcode(s) shown as text: [contact-form-7], [toggle]",
    ) in report.warnings


def test_many_posts_of_one_slug_each_get_their_own(tmp_path):
    # More clashes than the likely slugs Post looks up first (-2 … -11).
    run(tmp_path, wxr([item(i, "Same", slug="same") for i in range(1, 15)]))
    slugs = set(Post.objects.values_list("slug", flat=True))
    assert slugs == {"same", *(f"same-{n}" for n in range(2, 15))}
