"""
WordPress's theme unit test export imports whole: every count equals the
file's (counted here independently, with ElementTree), threads and the page
tree are intact, missing attachments never load from another site, and a
second run changes nothing.
"""

import collections
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from taggit.models import Tag

from blog.categories.models import Category
from blog.comments.models import Comment
from blog.pages.models import Menu, MenuItem
from blog.posts.models import Post, PostRedirect
from blog.sitesettings.models import SiteSettings
from blog.wordpress.importer import import_wxr
from blog.wordpress.models import Origin
from tests.shared_rows import keep_rows

from .wxr_builder import THEME_UNIT_TEST

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not THEME_UNIT_TEST.exists(),
        reason=f"WordPress's theme unit test export is not at {THEME_UNIT_TEST} "
        "(../shared/wxr/ beside the clone)",
    ),
]

WP = "{https://wordpress.org/export/1.2/}"
STATUS = {
    "publish": "published",
    "future": "published",
    "draft": "draft",
    "pending": "pending",
    "private": "private",
    "trash": "trash",
}
COMMENT_STATUS = {"1": "approved", "0": "pending", "spam": "spam", "trash": "trash"}


class FileCounts:
    """What the export holds, read with the standard library's ElementTree."""

    def __init__(self, path):
        channel = ET.parse(path).getroot().find("channel")  # noqa: S314 (our own fixture)
        self.authors = {a.findtext(f"{WP}author_login") for a in channel.findall(f"{WP}author")}
        self.category_parents = {
            c.findtext(f"{WP}category_nicename"): c.findtext(f"{WP}category_parent") or None
            for c in channel.findall(f"{WP}category")
        }
        self.menus = {
            t.findtext(f"{WP}term_name")
            for t in channel.findall(f"{WP}term")
            if t.findtext(f"{WP}term_taxonomy") == "nav_menu"
        }
        self.posts = collections.Counter()
        self.pages = 0
        self.page_parents = {}
        self.comments = collections.Counter()
        self.comment_parents = {}
        self.post_tags = {}
        self.menu_items = collections.Counter()
        self.attachments = set()
        seen = set()
        for item in channel.findall("item"):
            post_type = item.findtext(f"{WP}post_type")
            post_id = int(item.findtext(f"{WP}post_id"))
            if post_type == "nav_menu_item":
                for category in item.findall("category"):
                    if category.get("domain") == "nav_menu":
                        self.menu_items[category.text] += 1
                continue
            if post_type == "attachment":
                self.attachments.add(item.findtext("title"))
                continue
            if post_type not in ("post", "page") or post_id in seen:
                continue
            seen.add(post_id)
            status = STATUS[item.findtext(f"{WP}status")]
            if post_type == "post":
                self.posts[status] += 1
                self.post_tags[post_id] = {
                    c.text.lower()
                    for c in item.findall("category")
                    if c.get("domain") == "post_tag"
                }
            else:
                self.pages += 1
                self.page_parents[post_id] = int(item.findtext(f"{WP}post_parent")) or None
            for comment in item.findall(f"{WP}comment"):
                kind = comment.findtext(f"{WP}comment_type") or "comment"
                approved = COMMENT_STATUS[comment.findtext(f"{WP}comment_approved")]
                self.comments[(kind, approved)] += 1
                comment_id = int(comment.findtext(f"{WP}comment_id"))
                self.comment_parents[comment_id] = (
                    int(comment.findtext(f"{WP}comment_parent")) or None
                )


@pytest.fixture(scope="module")
def counts():
    return FileCounts(THEME_UNIT_TEST)


def wp_ids(kind):
    """Our object's pk -> WordPress id, for one kind."""
    return dict(Origin.objects.filter(kind=kind).values_list("object_id", "wp_id"))


def snapshot():
    """Every row the import writes, as plain values."""
    return {
        "posts": list(Post.any_kind.order_by("pk").values()),
        "comments": list(Comment.objects.order_by("pk").values()),
        "categories": list(Category.objects.order_by("pk").values()),
        "tags": list(Tag.objects.order_by("pk").values()),
        "menus": list(Menu.objects.order_by("pk").values()),
        "items": list(MenuItem.objects.order_by("pk").values()),
        "users": list(get_user_model().objects.order_by("pk").values()),
        "origins": list(Origin.objects.order_by("pk").values()),
        "redirects": list(PostRedirect.objects.order_by("pk").values()),
    }


@pytest.fixture(scope="class")
def imported(django_db_setup, django_db_blocker, tmp_path_factory):
    """
    The export imported once for every test of the class, as each would
    import it first (each test's own changes are rolled back after it, the
    import when the class is done). Gives the import's report.
    """
    yield from keep_rows(django_db_blocker, tmp_path_factory, lambda: import_wxr(THEME_UNIT_TEST))


class TestTheImport:
    def test_every_count_equals_the_file(self, counts, imported):
        report = imported

        by_status = collections.Counter(Post.objects.values_list("status", flat=True))
        assert by_status == counts.posts
        assert Post.any_kind.filter(kind="page").count() == counts.pages
        assert report.count("posts", "imported") == sum(counts.posts.values())
        assert report.count("pages", "imported") == counts.pages
        ours = collections.Counter(Comment.objects.values_list("kind", "status"))
        assert ours == counts.comments
        assert report.count("comments", "imported") == sum(counts.comments.values())
        # Pingbacks and trackbacks keep their kind; pages' comments came too.
        assert ours[("pingback", "approved")] + ours[("trackback", "approved")] > 0
        assert Comment.objects.filter(post__kind="page").exists()

        parents = dict(Category.objects.values_list("slug", "parent__slug"))
        assert parents == counts.category_parents
        assert any(parent for parent in parents.values())

        users = set(get_user_model().objects.values_list("username", flat=True))
        assert users == counts.authors
        assert report.count("authors", "imported") == len(counts.authors)

        assert set(Menu.objects.values_list("name", flat=True)) == counts.menus
        for menu in Menu.objects.all():
            assert menu.items.count() == counts.menu_items.get(menu.name, 0), menu.name
        assert report.count("menu items", "imported") == sum(counts.menu_items.values())
        assert SiteSettings.objects.get().header_menu is not None

    def test_tags_of_each_post_are_the_files(self, counts, imported):
        ids = wp_ids("post")
        for post in Post.objects.prefetch_related("tags"):
            # By name, as the items name them: the file gives one name two slugs.
            names = {t.name.lower() for t in post.tags.all()}
            assert names == counts.post_tags[ids[post.pk]], post.title

    def test_threads_and_page_tree_are_intact(self, counts, imported):
        comment_ids = wp_ids("comment")
        threaded = 0
        for comment in Comment.objects.all():
            parent = comment_ids.get(comment.parent_id)
            assert parent == counts.comment_parents[comment_ids[comment.pk]]
            threaded += parent is not None
        assert threaded >= 5

        page_ids = wp_ids("page")
        nested = 0
        for page in Post.any_kind.filter(kind="page"):
            assert page_ids.get(page.parent_id) == counts.page_parents[page_ids[page.pk]]
            if page.parent_id:
                nested += 1
                assert page.path == f"{page.parent.path}/{page.slug}"
        assert nested >= 5

    def test_missing_attachments_are_reported_and_never_load_from_another_host(
        self, counts, imported
    ):
        report = imported

        assert report.count("attachments", "failed") == 37
        missing = {item for kind, item, _ in report.warnings if kind == "attachments"}
        assert missing == counts.attachments
        shown = 0
        for post in Post.any_kind.all():
            soup = BeautifulSoup(post.body_html, "html.parser")
            for image in soup.find_all("img"):
                assert image["src"].startswith("/"), (post.title, image["src"])
                assert "wordpress.com" not in image.get("srcset", "")
            shown += len(soup.select('a[href*="files.wordpress.com"]'))
        # The old images became links to their old addresses.
        assert shown >= 20

    def test_a_second_run_changes_no_count_and_no_row(self, imported):
        first = imported
        before = snapshot()

        second = import_wxr(THEME_UNIT_TEST)

        assert snapshot() == before
        assert second.total("imported") == second.total("updated") == second.total("kept") == 0
        for kind, row in first.counts.items():
            assert second.count(kind, "skipped") == row["imported"] + row["skipped"], kind
        # Everything the first run brought in is reported as unchanged.
        assert second.unchanged == first.total("imported")
        assert f"Unchanged since the last import (among the skipped): {second.unchanged}." in (
            second.as_table()
        )

    def test_every_imported_post_and_page_reads_well(self, client, imported):
        home = client.get("/")
        assert home.status_code == 200
        # The header shows the imported menu.
        menu = SiteSettings.objects.get().header_menu
        header = BeautifulSoup(home.content, "html.parser").find("header")
        first = menu.items.filter(parent=None).order_by("order", "pk").first()
        assert first.display_label in header.text
        published = Post.any_kind.published()
        assert published.count() > 50
        for post in published:
            response = client.get(post.get_absolute_url())
            assert response.status_code == 200, post.title
        with_pings = Post.objects.filter(comments__kind__in=["pingback", "trackback"]).first()
        page = BeautifulSoup(client.get(with_pings.get_absolute_url()).content, "html.parser")
        assert page.select(".ping-list li")
