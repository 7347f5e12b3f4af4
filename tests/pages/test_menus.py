"""Menus: their rules, the header they make, how fast, how fresh, and their admin."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from taggit.models import Tag

from blog.pages.models import Menu, MenuItem
from blog.posts.models import Post
from blog.sitesettings.models import SiteSettings
from tests import query_counts
from tests.factories import (
    CategoryFactory,
    PageFactory,
    PostFactory,
    RoleUserFactory,
)
from tests.helpers import page as parse_page
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def header_menu(menu):
    site = SiteSettings.objects.get_or_create(pk=1)[0]
    site.header_menu = menu
    site.save()


def item(menu, **fields):
    made = MenuItem(menu=menu, **fields)
    made.full_clean()
    made.save()
    return made


def nav(client, path="/"):
    response = client.get(path)
    assert response.status_code == 200
    return parse_page(response).select_one('nav.site-nav[aria-label="Main"]')


def top_labels(nav_node):
    return [text_of(a) for a in nav_node.select("#site-menu > li > a")]


def submenu_labels(nav_node, label):
    (li,) = [li for li in nav_node.select("#site-menu > li") if text_of(li.a) == label]
    return [text_of(a) for a in li.select(".submenu a")]


@pytest.fixture
def real_cache(settings):
    """Django's local-memory cache instead of the suite's DummyCache."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "menus-tests",
        }
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def menu():
    return Menu.objects.create(name="Header")


# Rules


def test_an_item_must_link_to_something(menu):
    with pytest.raises(ValidationError) as error:
        item(menu, label="Nothing")
    assert error.value.message_dict["__all__"] == [
        "Choose what the item links to: a page, a post, a category, a tag or a custom URL."
    ]


def test_an_item_links_to_one_thing_only(menu):
    about = PageFactory(title="About")
    with pytest.raises(ValidationError) as error:
        item(menu, page=about, url="/about/", label="About")
    assert error.value.message_dict["__all__"] == [
        "An item links to one thing only: you chose a page and a custom URL. "
        "Keep one and empty the others."
    ]
    with pytest.raises(ValidationError) as error:
        item(menu, page=about, post=PostFactory(), category=CategoryFactory())
    assert "you chose a page, a post and a category" in error.value.message_dict["__all__"][0]


def test_a_parent_must_be_in_the_same_menu(menu):
    footer = Menu.objects.create(name="Footer")
    elsewhere = item(footer, url="/", label="Home")
    with pytest.raises(ValidationError) as error:
        item(menu, url="/about/", label="About", parent=elsewhere)
    assert error.value.message_dict["parent"] == ["The parent must be an item of the same menu."]


def test_an_item_cannot_go_under_itself_or_its_sub_items(menu):
    top = item(menu, url="/a/", label="A")
    middle = item(menu, url="/b/", label="B", parent=top)
    bottom = item(menu, url="/c/", label="C", parent=middle)
    loop = "An item cannot be placed under itself or one of its own sub-items."
    for parent in (bottom, middle, top):
        top.parent = parent
        with pytest.raises(ValidationError) as error:
            top.full_clean()
        assert error.value.message_dict["parent"] == [loop]
    bottom.parent = top  # moving up is fine
    bottom.full_clean()


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/about/team/",
        "/?s=apps",
        "https://example.com/",
        "http://example.com",
        "mailto:hi@example.com",
    ],
)
def test_custom_urls_may_be_web_email_or_site_paths(menu, url):
    assert item(menu, url=url, label="Link").url == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.com/file",
        "//evil.example/",
        "/\\evil.example/",
        "example.com/about",
        "about/",
        "https://",
        "mailto:",
    ],
)
def test_other_custom_urls_are_refused_with_a_reason(menu, url):
    with pytest.raises(ValidationError) as error:
        item(menu, url=url, label="Link")
    (message,) = error.value.message_dict["url"]
    assert message.startswith(("Use an address", "A web address", "An email link"))


def test_an_address_with_spaces_is_refused(menu):
    with pytest.raises(ValidationError) as error:
        item(menu, url="/about us/", label="About")
    assert error.value.message_dict["url"] == [
        "An address cannot contain spaces; replace them with %20."
    ]


def test_a_custom_url_needs_a_label_a_target_does_not(menu):
    with pytest.raises(ValidationError) as error:
        item(menu, url="/")
    assert error.value.message_dict["label"] == [
        "A custom URL needs a label: there is no title to show."
    ]
    assert str(item(menu, page=PageFactory(title="About"))) == "About"
    assert str(item(menu, tag=Tag.objects.create(name="apps", slug="apps"))) == "apps"


# The header


def test_without_a_header_menu_the_header_lists_published_top_level_pages(client):
    PageFactory(title="Contact", menu_order=3)
    about = PageFactory(title="About", menu_order=1)
    PageFactory(title="Our team", parent=about)
    PageFactory(title="Blog rules", menu_order=1)
    PageFactory(title="Draft page", status=Post.Status.DRAFT)
    PageFactory(title="Private page", status=Post.Status.PRIVATE)
    PostFactory(title="A post")

    header = nav(client)

    assert top_labels(header) == ["Home", "About", "Blog rules", "Contact"]
    assert header.select_one('a[href="/about/"]') is not None
    assert header.select(".submenu") == []


def test_with_no_menu_and_no_pages_the_header_keeps_home_and_rss(client):
    PageFactory(title="Draft page", status=Post.Status.DRAFT)

    header = nav(client)

    assert top_labels(header) == ["Home", "RSS feed"]
    assert header.select_one('a[href="/feed/"]')["type"] == "application/rss+xml"
    assert header.select_one('a[href="/"]')["aria-current"] == "page"


def test_the_header_menu_shows_its_items_in_order_with_their_targets(client, menu):
    header_menu(menu)
    PageFactory(title="A page not in the menu")
    about = PageFactory(title="About", slug="about")
    marketing = CategoryFactory(name="Marketing", slug="marketing")
    tips = CategoryFactory(name="Tips", slug="tips", parent=marketing)
    post = PostFactory(title="Our best post", slug="best")
    item(menu, url="/", label="Home", order=0)
    item(menu, page=about, order=1)
    item(menu, category=tips, order=3)
    item(menu, post=post, label="Best of", order=2)
    item(menu, tag=Tag.objects.create(name="apps", slug="apps"), order=4)
    item(menu, url="https://example.com/shop", label="Shop", order=5)

    header = nav(client)

    assert top_labels(header) == ["Home", "About", "Best of", "Tips", "apps", "Shop"]
    hrefs = [a["href"] for a in header.select("#site-menu > li > a")]
    assert hrefs == [
        "/",
        "/about/",
        post.get_absolute_url(),
        "/category/marketing/tips/",
        "/tag/apps/",
        "https://example.com/shop",
    ]


def test_the_current_page_is_marked(client, menu):
    header_menu(menu)
    about = PageFactory(title="About", slug="about")
    team = PageFactory(title="Our team", slug="team", parent=about)
    top = item(menu, page=about)
    item(menu, page=team, parent=top)
    item(menu, url="/", label="Home")

    header = nav(client, "/about/team/")

    assert [a["href"] for a in header.select("[aria-current]")] == ["/about/team/"]
    assert header.select_one('a[href="/about/team/"]')["aria-current"] == "page"


def test_second_level_items_open_from_a_button_deeper_ones_join_their_list(client, menu):
    header_menu(menu)
    about = item(menu, url="/about/", label="About", order=1)
    team = item(menu, url="/about/team/", label="Our team", parent=about, order=1)
    jane = item(menu, url="/about/team/jane/", label="Jane", parent=team, order=1)
    item(menu, url="/about/team/jane/cv/", label="Jane's CV", parent=jane)
    item(menu, url="/about/team/tom/", label="Tom", parent=team, order=2)
    item(menu, url="/about/history/", label="History", parent=about, order=2)
    item(menu, url="/contact/", label="Contact", order=2)

    header = nav(client)

    assert top_labels(header) == ["About", "Contact"]
    assert submenu_labels(header, "About") == ["Our team", "Jane", "Jane's CV", "Tom", "History"]
    depths = [li["class"] for li in header.select(".submenu li")]
    assert depths == [
        "menu-depth-2",
        "menu-depth-3",
        "menu-depth-4",
        "menu-depth-3",
        "menu-depth-2",
    ]
    button = header.select_one(".has-submenu > button.submenu-toggle")
    assert text_of(button) == "Show submenu of About"
    assert button["aria-expanded"] == "false"
    assert header.select_one(f"#{button['aria-controls']}.submenu") is not None
    # Contact has no submenu, so no button.
    assert len(header.select("button.submenu-toggle")) == 1


def test_items_whose_target_is_not_published_are_hidden_with_their_sub_items(client, menu):
    header_menu(menu)
    draft = PageFactory(title="Draft page", status=Post.Status.DRAFT)
    trashed = PageFactory(title="Old page")
    trashed.trash()
    private = PostFactory(title="Private post", status=Post.Status.PRIVATE)
    pending = PostFactory(title="Pending post", status=Post.Status.PENDING)
    shown = PageFactory(title="About")
    for target in (draft, trashed, shown):
        top = item(menu, page=target)
    item(menu, post=private)
    item(menu, post=pending)
    under_draft = MenuItem.objects.get(page=draft)
    item(menu, url="/under-draft/", label="Under the draft", parent=under_draft)
    item(menu, url="/team/", label="Team", parent=top)

    header = nav(client)

    assert top_labels(header) == ["About"]
    assert submenu_labels(header, "About") == ["Team"]
    assert "Under the draft" not in text_of(header)


def test_a_scheduled_page_joins_the_menu_when_its_time_comes(client, menu, real_cache):
    header_menu(menu)
    now = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
    at = now + datetime.timedelta(minutes=20)
    with time_machine.travel(now, tick=False):
        launch = PageFactory(title="Launch", status=Post.Status.PUBLISHED, published_at=at)
        item(menu, url="/", label="Home")
        item(menu, page=launch)

        assert top_labels(nav(client)) == ["Home"]

    # Nothing is saved in between: the cached menu itself ends at the publish time.
    with time_machine.travel(at - datetime.timedelta(seconds=2), tick=False):
        assert top_labels(nav(client)) == ["Home"]
    with time_machine.travel(at + datetime.timedelta(seconds=1), tick=False):
        assert top_labels(nav(client)) == ["Home", "Launch"]


def test_a_scheduled_page_joins_the_page_list_when_its_time_comes(client, real_cache):
    now = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
    at = now + datetime.timedelta(minutes=20)
    with time_machine.travel(now, tick=False):
        PageFactory(title="About", menu_order=1)
        PageFactory(title="Launch", menu_order=2, published_at=at)

        assert top_labels(nav(client)) == ["Home", "About"]

    with time_machine.travel(at - datetime.timedelta(seconds=2), tick=False):
        assert top_labels(nav(client)) == ["Home", "About"]
    with time_machine.travel(at + datetime.timedelta(seconds=1), tick=False):
        assert top_labels(nav(client)) == ["Home", "About", "Launch"]


def test_an_empty_header_menu_keeps_home_and_rss(client, menu):
    header_menu(menu)
    PageFactory(title="About")

    assert top_labels(nav(client)) == ["Home", "RSS feed"]


# Deleting


def test_deleting_a_target_deletes_its_items_and_lifts_their_sub_items(client, menu):
    header_menu(menu)
    services = PageFactory(title="Services")
    about = PageFactory(title="About")
    top = item(menu, url="/", label="Home")
    middle = item(menu, page=about, parent=top)
    item(menu, url="/about/team/", label="Team", parent=middle)

    about.delete()

    team = MenuItem.objects.get(label="Team")
    assert team.parent == top
    assert not MenuItem.objects.filter(pk=middle.pk).exists()
    assert submenu_labels(nav(client), "Home") == ["Team"]
    services.delete()  # no items: nothing else changes
    assert MenuItem.objects.count() == 2


def test_deleting_the_header_menu_brings_back_the_page_list(client, menu, real_cache):
    header_menu(menu)
    PageFactory(title="About")
    item(menu, url="/shop/", label="Shop")
    assert top_labels(nav(client)) == ["Shop"]

    menu.delete()

    assert SiteSettings.objects.get().header_menu is None
    assert top_labels(nav(client)) == ["Home", "About"]


# Fresh after every change


def test_the_menu_is_cached(client, menu, real_cache, django_assert_num_queries):
    header_menu(menu)
    about = PageFactory(title="About")
    item(menu, page=about)
    nav(client)

    # A change that sends no signal is not seen: the cached menu is used.
    Post.any_kind.filter(pk=about.pk).update(title="Renamed behind the menu's back")
    assert top_labels(nav(client)) == ["About"]


def test_renaming_a_page_shows_on_the_next_request(client, menu, real_cache):
    header_menu(menu)
    about = PageFactory(title="About", slug="about")
    item(menu, page=about)
    assert top_labels(nav(client)) == ["About"]

    about.title = "About us"
    about.slug = "about-us"
    about.save()

    header = nav(client)
    assert top_labels(header) == ["About us"]
    assert header.select_one("#site-menu a")["href"] == "/about-us/"


def test_the_page_list_follows_page_changes(client, real_cache):
    about = PageFactory(title="About")
    assert top_labels(nav(client)) == ["Home", "About"]

    PageFactory(title="Contact", menu_order=5)
    assert top_labels(nav(client)) == ["Home", "About", "Contact"]

    about.trash()
    assert top_labels(nav(client)) == ["Home", "Contact"]


@pytest.mark.parametrize(
    "change", ["post", "category", "tag", "item", "menu choice", "delete item"]
)
def test_every_change_a_menu_shows_is_seen_on_the_next_request(client, menu, real_cache, change):
    header_menu(menu)
    post = PostFactory(title="Best post")
    category = CategoryFactory(name="Tips")
    tag = Tag.objects.create(name="apps", slug="apps")
    for target in ("post", "category", "tag"):
        item(menu, **{target: locals()[target]})
    extra = item(menu, url="/", label="Home")
    assert top_labels(nav(client)) == ["Best post", "Tips", "apps", "Home"]

    if change == "post":
        post.status = Post.Status.DRAFT
        post.save()
        expected = ["Tips", "apps", "Home"]
    elif change == "category":
        category.name = "Hints"
        category.save()
        expected = ["Best post", "Hints", "apps", "Home"]
    elif change == "tag":
        tag.name = "Apps"
        tag.save()
        expected = ["Best post", "Tips", "Apps", "Home"]
    elif change == "item":
        extra.label = "Start"
        extra.save()
        expected = ["Best post", "Tips", "apps", "Start"]
    elif change == "delete item":
        extra.delete()
        expected = ["Best post", "Tips", "apps"]
    else:
        other = Menu.objects.create(name="Other")
        item(other, url="/shop/", label="Shop")
        header_menu(other)
        expected = ["Shop"]

    assert top_labels(nav(client)) == expected


# Speed


def fill(menu, count):
    """``count`` items: pages, posts, nested categories, tags and URLs, three levels deep."""
    top = grand = None
    marketing = CategoryFactory(name="Marketing")
    tips = CategoryFactory(name="Tips", parent=marketing)
    for n in range(count):
        kind = n % 5
        target = {}
        if kind == 0:
            target = {"page": PageFactory(title=f"Page {n}")}
        elif kind == 1:
            target = {"post": PostFactory(title=f"Post {n}")}
        elif kind == 2:
            target = {"category": CategoryFactory(name=f"Category {n}", parent=tips)}
        elif kind == 3:
            target = {"tag": Tag.objects.create(name=f"tag {n}", slug=f"tag-{n}")}
        else:
            target = {"url": f"/somewhere/{n}/", "label": f"Link {n}"}
        parent = None if n % 3 == 0 else (top if n % 3 == 1 else grand)
        made = item(menu, parent=parent, order=n, **target)
        if n % 3 == 0:
            top = made
        elif n % 3 == 1:
            grand = made


@pytest.mark.parametrize("count", [5, 50])
def test_the_home_page_reads_the_menu_in_one_query(client, menu, count, django_assert_num_queries):
    header_menu(menu)
    fill(menu, count)

    with django_assert_num_queries(query_counts.LIST):
        header = nav(client)

    assert len(header.select("a")) == count


def test_the_page_list_is_one_query(client, django_assert_num_queries):
    for n in range(12):
        PageFactory(title=f"Page {n}")
    PostFactory(categories=[CategoryFactory()], tags=["apps"])

    with django_assert_num_queries(query_counts.LIST):
        header = nav(client)

    assert len(top_labels(header)) == 13


def test_with_the_cache_the_menu_costs_no_query(
    client, menu, real_cache, django_assert_num_queries
):
    header_menu(menu)
    fill(menu, 20)
    nav(client)

    # Site settings and the sidebar come from the cache too: only the page's own queries remain.
    with django_assert_num_queries(query_counts.WARM_LIST):
        header = nav(client)
    assert len(header.select("a")) == 20


# Admin


def inline_data(prefix="items", rows=(), initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{n}-{key}"] = value
    return data


@pytest.fixture
def editor(client):
    user = RoleUserFactory(username="edith", role="Editor")
    client.force_login(user)
    return user


def test_an_editor_builds_a_menu_and_makes_it_the_header_menu(client, editor):
    about = PageFactory(title="About", slug="about")
    category = CategoryFactory(name="Marketing", slug="marketing")
    rows = [
        {"label": "Home", "url": "/", "order": "0"},
        {"page": str(about.pk), "order": "1"},
        {"category": str(category.pk), "order": "2"},
    ]
    response = client.post(
        "/admin/pages/menu/add/",
        {"name": "Header", "use_as_header": "on", **inline_data(rows=rows)},
    )
    assert response.status_code == 302, response.context["errors"] if response.context else ""

    menu = Menu.objects.get(name="Header")
    assert SiteSettings.objects.get().header_menu == menu
    assert top_labels(nav(client)) == ["Home", "About", "Marketing"]

    # Then puts Marketing under About, on the menu's change form.
    items = {i.display_label: i for i in menu.items.all()}
    rows = [
        {
            "id": str(i.pk),
            "menu": str(menu.pk),
            "label": i.label,
            "url": i.url,
            "page": str(i.page_id or ""),
            "category": str(i.category_id or ""),
            "order": str(i.order),
        }  # fmt: skip
        for i in items.values()
    ]
    rows[2]["parent"] = str(items["About"].pk)
    response = client.post(
        f"/admin/pages/menu/{menu.pk}/change/",
        {"name": "Header", "use_as_header": "on", **inline_data(rows=rows, initial=3)},
    )
    assert response.status_code == 302
    header = nav(client)
    assert top_labels(header) == ["Home", "About"]
    assert submenu_labels(header, "About") == ["Marketing"]

    # The changelist says how big it is and that the header shows it; the form shows the tree.
    listing = parse_page(client.get("/admin/pages/menu/"))
    row = text_of(listing.select_one("#result_list tbody tr"))
    assert "Header" in row and "3" in row
    assert listing.select_one('#result_list tbody tr img[alt="True"]') is not None
    form = parse_page(client.get(f"/admin/pages/menu/{menu.pk}/change/"))
    tree = form.select_one("ul.menu-tree")
    assert [text_of(li.strong) for li in tree.select("li")] == ["Home", "About", "Marketing"]
    assert tree.select_one("li li strong").string == "Marketing"
    assert form.select_one('input[name="use_as_header"]').has_attr("checked")


def test_unticking_use_as_header_brings_back_the_page_list(client, editor, menu):
    header_menu(menu)
    item(menu, url="/", label="Start")
    PageFactory(title="About")
    row = {"id": str(menu.items.get().pk), "menu": str(menu.pk), "label": "Start", "url": "/",
           "order": "0"}  # fmt: skip

    response = client.post(
        f"/admin/pages/menu/{menu.pk}/change/",
        {"name": "Header", **inline_data(rows=[row], initial=1)},
    )

    assert response.status_code == 302
    assert SiteSettings.objects.get().header_menu is None
    assert top_labels(nav(client)) == ["Home", "About"]


def test_the_admin_refuses_bad_items_with_their_reasons(client, editor, menu):
    other = Menu.objects.create(name="Footer")
    foreign = item(other, url="/", label="Elsewhere")
    rows = [
        {"label": "Evil", "url": "javascript:alert(1)", "order": "0"},
        {"label": "Nothing", "order": "1"},
        {"label": "Elsewhere's child", "url": "/x/", "parent": str(foreign.pk), "order": "2"},
    ]

    response = client.post(
        f"/admin/pages/menu/{menu.pk}/change/", {"name": "Header", **inline_data(rows=rows)}
    )

    assert response.status_code == 200
    text = response.text
    assert "Use an address starting with https://, http:// or mailto:" in text
    assert "Choose what the item links to" in text
    # The parent list holds this menu's items only.
    assert "Select a valid choice" in text
    assert not menu.items.exists()


def test_the_admin_refuses_items_swapped_under_each_other(client, editor, menu):
    a = item(menu, url="/a/", label="A")
    b = item(menu, url="/b/", label="B")
    rows = [
        {"id": str(a.pk), "menu": str(menu.pk), "label": "A", "url": "/a/", "parent": str(b.pk),
         "order": "0"},
        {"id": str(b.pk), "menu": str(menu.pk), "label": "B", "url": "/b/", "parent": str(a.pk),
         "order": "1"},
    ]  # fmt: skip

    response = client.post(
        f"/admin/pages/menu/{menu.pk}/change/",
        {"name": "Header", **inline_data(rows=rows, initial=2)},
    )

    assert response.status_code == 200
    assert "would put items under their own sub-items" in response.text
    assert MenuItem.objects.filter(parent__isnull=False).count() == 0


def test_the_parent_list_offers_this_menus_items_only(client, editor, menu):
    item(Menu.objects.create(name="Footer"), url="/", label="Footer link")
    item(menu, url="/", label="Header link")

    form = parse_page(client.get(f"/admin/pages/menu/{menu.pk}/change/"))

    options = form.select('select[name="items-0-parent"] option')
    assert [o["value"] for o in options][:1] == [""]
    assert [text_of(o) for o in options[1:]] == ["Header link"]


def test_the_use_as_header_menu_action(client, editor, menu):
    response = client.post(
        "/admin/pages/menu/",
        {"action": "use_as_header_menu", "_selected_action": [str(menu.pk)]},
    )
    assert response.status_code == 302
    assert SiteSettings.objects.get().header_menu == menu


@pytest.mark.parametrize("role", ["Author", "Contributor"])
def test_authors_and_contributors_cannot_see_menus(client, role):
    client.force_login(RoleUserFactory(role=role))
    menu = Menu.objects.create(name="Header")

    assert client.get("/admin/pages/menu/").status_code == 403
    assert client.get("/admin/pages/menu/add/").status_code == 403
    assert client.get(f"/admin/pages/menu/{menu.pk}/change/").status_code == 403
    assert (
        client.post("/admin/pages/menu/add/", {"name": "Mine", **inline_data()}).status_code == 403
    )
    assert "/admin/pages/menu/" not in client.get("/admin/").text
    assert Menu.objects.count() == 1


def test_administrators_choose_the_header_menu_in_the_site_settings(client, menu):
    client.force_login(RoleUserFactory(role="Administrator"))

    form = parse_page(client.get("/admin/sitesettings/sitesettings/1/change/"))

    select = form.select_one('select[name="header_menu"]')
    assert [text_of(o) for o in select.select("option") if o["value"]] == ["Header"]
    help_text = text_of(form.select_one("#id_header_menu_helptext"))
    assert "With none chosen, the header lists the published top-level pages" in help_text
