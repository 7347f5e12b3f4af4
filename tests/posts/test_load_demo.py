from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from taggit.models import Tag

from blog.categories.models import Category
from blog.comments.models import Comment
from blog.pages.models import Menu, MenuItem, Page
from blog.posts.models import Post, TaggedPost
from blog.sitesettings.models import SiteSettings
from tests.helpers import page as parse_page
from tests.helpers import text_of
from tests.shared_rows import keep_rows

pytestmark = pytest.mark.django_db

WHATSAPP = "whatsapp-crashes-and-leaves-millions-speechless"


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot():
    """Every row the command may create, with the fields a re-run must not touch."""
    User = get_user_model()
    return {
        "users": list(User.objects.order_by("pk").values_list("pk", "username", "password")),
        "categories": list(Category.objects.order_by("pk").values_list("pk", "slug", "parent")),
        "posts": list(
            Post.objects.order_by("pk").values_list("pk", "slug", "published_at", "updated_at")
        ),
        "comments": list(Comment.objects.order_by("pk").values_list("pk", "parent", "created_at")),
        "tags": Tag.objects.count(),
        "tagged": TaggedPost.objects.count(),
        "post_categories": Post.categories.through.objects.count(),
        "pages": list(
            Page.objects.order_by("pk").values_list("pk", "path", "published_at", "updated_at")
        ),
        "menus": list(Menu.objects.values_list("pk", "name")),
        "menu_items": list(MenuItem.objects.order_by("pk").values_list("pk", "parent", "order")),
        "header_menu": SiteSettings.objects.values_list("header_menu", flat=True).first(),
    }


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """
    The demo loaded once for every test of the class, as each would load it
    first (each test's own changes are rolled back after it, the demo when
    the class is done). Gives the command's output.
    """
    yield from keep_rows(django_db_blocker, tmp_path_factory, load_demo)


class TestLoaded:
    def test_loads_enough_published_posts(self, demo):
        assert Post.objects.published().count() >= 8

    def test_whatsapp_post_is_the_reference_article(self, demo):
        post = Post.objects.get(slug=WHATSAPP)
        assert post.title == "WhatsApp crashes and leaves millions speechless"
        assert post.comment_mode == Post.CommentMode.CLOSED
        assert post.author.username == "admin"
        assert post.author.public_name == "admin"
        assert [c.name for c in post.categories.all()] == ["Online Marketing Tips"]
        published = post.published_at
        assert (published.year, published.month, published.day) == (2014, 2, 22)
        assert post.body.startswith("## What’s up with WhatsApp?")
        assert '<img alt="' in post.body_html
        assert post in Post.objects.published()

    def test_a_demo_article_shows_a_table_of_contents(self, client, demo):
        post = Post.objects.get(slug="reading-your-analytics-without-fooling-yourself")

        response = client.get(post.get_absolute_url())

        toc = response.text.split('aria-label="Table of contents"', 1)[1].split("</nav>", 1)[0]
        assert "Where the visits came from" in toc
        assert "Measures that matter" in toc

    def test_categories_are_nested(self, demo):
        parent = Category.objects.get(slug="online-marketing-tips")
        assert parent.children.exists()
        assert Category.objects.get(slug="social-media").parent == parent

    def test_draft_and_scheduled_posts_are_hidden_from_readers(self, demo):
        draft = Post.objects.filter(status=Post.Status.DRAFT)
        scheduled = [p for p in Post.objects.all() if p.is_scheduled]
        assert draft.exists()
        assert scheduled
        published = Post.objects.published()
        assert not published.filter(pk__in=draft).exists()
        assert not published.filter(pk__in=[p.pk for p in scheduled]).exists()

    def test_a_post_has_a_threaded_discussion(self, demo):
        post = max(Post.objects.published(), key=lambda p: p.comments.approved().count())
        approved = post.comments.approved()
        assert approved.count() >= 3
        replies = approved.filter(parent__isnull=False)
        assert replies.exists()
        # A reply to a reply: threading deeper than one level.
        assert replies.filter(parent__parent__isnull=False).exists()
        # Comments carry dates from the post's time, not from the day the demo ran.
        assert all(c.created_at > post.published_at for c in approved)

    def test_a_pending_comment_is_waiting_for_moderation(self, demo):
        assert Comment.objects.filter(status=Comment.Status.PENDING).exists()

    def test_demo_authors_cannot_log_in_until_a_password_is_set(self, demo):
        User = get_user_model()
        admin = User.objects.get(username="admin")
        assert admin.is_staff and admin.is_superuser
        assert not admin.has_usable_password()
        others = User.objects.exclude(username="admin")
        assert others.exists()
        assert not others.filter(is_staff=True).exists()
        assert not any(u.has_usable_password() for u in others)

    def test_running_twice_creates_and_changes_nothing(self, demo):
        before = snapshot()

        out = load_demo()

        assert snapshot() == before
        assert "(created 0 new)" in out

    def test_about_contact_and_a_subpage_are_published(self, demo):
        pages = {page.path: page for page in Page.objects.published()}
        assert {"about", "about/team", "contact"} <= set(pages)
        assert pages["about/team"].parent == pages["about"]
        assert pages["about"].title == "About"
        assert pages["contact"].title == "Contact"
        # Markdown, rendered.
        assert "<strong>Online Marketing Journal</strong>" in pages["about"].body_html
        assert "<li>" in pages["about"].body_html

    def test_the_header_shows_the_demo_menu(self, client, demo):
        menu = Menu.objects.get(name="Header")
        assert SiteSettings.objects.get().header_menu == menu
        nav = parse_page(client.get("/about/team/")).select_one('nav[aria-label="Main"]')
        top = [(text_of(a), a["href"]) for a in nav.select("#site-menu > li > a")]
        assert top == [
            ("Home", "/"),
            ("About", "/about/"),
            ("Online Marketing Tips", "/category/online-marketing-tips/"),
            ("Contact", "/contact/"),
        ]
        (team,) = nav.select(".submenu a")
        assert (text_of(team), team["href"], team["aria-current"]) == (
            "Our team",
            "/about/team/",
            "page",
        )

    def test_a_header_menu_unchosen_in_the_admin_stays_unchosen(self, demo):
        site = SiteSettings.objects.get()
        site.header_menu = None
        site.save()

        load_demo()

        assert SiteSettings.objects.get().header_menu is None


# On a database that already has something the demo would make.


def test_an_existing_admin_is_left_alone():
    User = get_user_model()
    User.objects.create_superuser("admin", "owner@example.com", "the owner's password")

    load_demo()

    admin = User.objects.get(username="admin")
    assert admin.check_password("the owner's password")
    assert admin.email == "owner@example.com"


def test_a_header_menu_already_chosen_is_kept():
    chosen = Menu.objects.create(name="Ours")
    site = SiteSettings.objects.get_or_create(pk=1)[0]
    site.header_menu = chosen
    site.save()

    load_demo()

    assert Menu.objects.filter(name="Header").exists()
    assert SiteSettings.objects.get().header_menu == chosen
