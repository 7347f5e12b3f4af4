"""
The header menu in a real browser: by keyboard, without JavaScript, on a
phone and on a desktop, checked by axe-core in light and dark.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from blog.pages.models import Menu, MenuItem
from blog.sitesettings.models import SiteSettings
from tests.browser.helpers import audit, audit_light_and_dark, light_and_dark
from tests.factories import CategoryFactory, PageFactory, PostFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs"
# Every link the header shows, in the order Tab reaches them.
LINKS = [
    ("Home", "/"),
    ("About", "/about/"),
    ("Our team", "/about/team/"),
    ("Maria Keller", "/about/team/maria/"),
    ("History", "/about/history/"),
    ("Online Marketing Tips", "/category/online-marketing-tips/"),
    ("Social Media", "/category/online-marketing-tips/social-media/"),
    ("Email Marketing", "/category/online-marketing-tips/email-marketing/"),
    ("Contact", "/contact/"),
]


@pytest.fixture
def site():
    author = UserFactory(username="maria", display_name="Maria Keller")
    tips = CategoryFactory(name="Online Marketing Tips", slug="online-marketing-tips")
    social = CategoryFactory(name="Social Media", slug="social-media", parent=tips)
    email = CategoryFactory(name="Email Marketing", slug="email-marketing", parent=tips)
    for n in range(3):
        PostFactory(title=f"Notes from the week, part {n + 1}", author=author, categories=[social])
    about = PageFactory(title="About", slug="about", author=author)
    team = PageFactory(title="Our team", slug="team", parent=about, author=author)
    maria = PageFactory(title="Maria Keller", slug="maria", parent=team, author=author)
    history = PageFactory(title="History", slug="history", parent=about, author=author)
    contact = PageFactory(title="Contact", slug="contact", author=author)

    menu = Menu.objects.create(name="Header")

    def add(parent=None, **target):
        return MenuItem.objects.create(menu=menu, parent=parent, order=MenuItem.objects.count(),
                                       **target)  # fmt: skip

    add(url="/", label="Home")
    about_item = add(page=about)
    team_item = add(page=team, parent=about_item)
    add(page=maria, parent=team_item)
    add(page=history, parent=about_item)
    tips_item = add(category=tips)
    add(category=social, parent=tips_item)
    add(category=email, parent=tips_item)
    add(page=contact)
    site = SiteSettings.objects.get_or_create(pk=1)[0]
    site.header_menu = menu
    site.save()
    return menu


def viewer(browser, width, scheme="light", javascript=True):
    context = browser.new_context(
        viewport={"width": width, "height": 800},
        color_scheme=scheme,
        java_script_enabled=javascript,
        # No chevron caught half-turned in a screenshot.
        reduced_motion="reduce",
    )
    return context, context.new_page()


def focused(page):
    return page.evaluate(
        "() => { const el = document.activeElement;"
        " return {tag: el.tagName, text: el.innerText.trim(), href: el.getAttribute('href'),"
        " expanded: el.getAttribute('aria-expanded')}; }"
    )


def tab_to(page, predicate, limit=25):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if predicate(focused(page)):
            return focused(page)
    raise AssertionError(f"Tab never reached it; last focus {focused(page)}")


def test_the_keyboard_opens_walks_and_closes_a_submenu(
    live_server, browser, site, screenshot_dir, assert_fits
):
    context, page = viewer(browser, 1280)
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url + "/")
    nav = page.get_by_role("navigation", name="Main")
    button = nav.get_by_role("button", name="Show submenu of About")
    submenu = page.locator("#" + button.get_attribute("aria-controls"))
    expect(submenu).to_be_hidden()

    # Tab reaches the link, then its button.
    tab_to(page, lambda f: f["href"] == "/about/")
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")

    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(submenu).to_be_visible()
    for label, href in LINKS[2:5]:
        page.keyboard.press("Tab")
        assert focused(page)["href"] == href, label
        expect(submenu.get_by_role("link", name=label)).to_be_visible()
    page.screenshot(path=screenshot_dir / "header-menu-open-1280.png")
    assert_fits(page)

    page.keyboard.press("Escape")
    expect(submenu).to_be_hidden()
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")

    # Space opens too; only one submenu is open at a time; a click elsewhere closes.
    page.keyboard.press("Space")
    expect(submenu).to_be_visible()
    other = nav.get_by_role("button", name="Show submenu of Online Marketing Tips")
    other.click()
    expect(other).to_have_attribute("aria-expanded", "true")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(submenu).to_be_hidden()
    page.get_by_role("main").click(position={"x": 5, "y": 5})
    expect(other).to_have_attribute("aria-expanded", "false")

    # Tabbing out of an open submenu closes it.
    button.focus()
    page.keyboard.press("Enter")
    tab_to(page, lambda f: f["href"] == "/about/history/")
    page.keyboard.press("Tab")
    expect(submenu).to_be_hidden()
    assert errors == []
    context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_without_javascript_every_link_is_reachable(
    live_server, browser, site, width, screenshot_dir, assert_fits
):
    context, page = viewer(browser, width, javascript=False)
    page.goto(live_server.url + "/")
    nav = page.get_by_role("navigation", name="Main")
    # No button that would do nothing without the script.
    expect(nav.get_by_role("button")).to_have_count(0)

    reached = []
    tab_to(page, lambda f: f["href"] == "/" and f["text"] == "Home")
    for label, href in LINKS:
        info = focused(page)
        assert info["href"] == href, f"expected {label}, focus is on {info}"
        link = nav.get_by_role("link", name=label, exact=True)
        expect(link).to_be_visible()
        reached.append(label)
        if label == "History":
            page.screenshot(path=screenshot_dir / f"header-menu-nojs-{width}.png")
        page.keyboard.press("Tab")
    assert reached == [label for label, _ in LINKS]
    assert_fits(page)
    context.close()


def test_a_phone_folds_the_menu_behind_a_button(
    live_server, browser, site, screenshot_dir, assert_fits
):
    context, page = viewer(browser, 375)
    page.goto(live_server.url + "/about/team/")
    nav = page.get_by_role("navigation", name="Main")
    toggle = nav.get_by_role("button", name="Menu", exact=True)
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav.get_by_role("link", name="About", exact=True)).to_be_hidden()
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "header-menu-closed-375.png")

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    for label, _ in LINKS:
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    # Submenus are open and stepped in under their item; no submenu buttons on a phone.
    expect(nav.get_by_role("button", name="Show submenu of About")).to_be_hidden()
    about, team, maria = (
        nav.get_by_role("link", name=label, exact=True).evaluate(
            "a => { const r = a.getBoundingClientRect();"
            " return {x: r.x + parseFloat(getComputedStyle(a).paddingLeft), y: r.y}; }"
        )
        for label in ("About", "Our team", "Maria Keller")
    )
    assert about["x"] < team["x"] < maria["x"], "each level starts further in"
    assert about["y"] < team["y"] < maria["y"]
    expect(nav.get_by_role("link", name="Our team")).to_have_attribute("aria-current", "page")
    # Targets big enough for a thumb.
    for label, _ in LINKS:
        box = nav.get_by_role("link", name=label, exact=True).bounding_box()
        assert box["height"] >= 24 and box["width"] >= 24, label
    assert_fits(page)
    page.screenshot(path=screenshot_dir / "header-menu-open-375.png", full_page=True)
    page.mouse.move(370, 790)  # no hover colour on the button in the picture
    header = page.locator(".site-header").bounding_box()
    DOCS.mkdir(exist_ok=True)
    page.screenshot(
        path=DOCS / "header-menu-375.png",
        clip={"x": 0, "y": 0, "width": 375, "height": header["y"] + header["height"] + 16},
    )

    # Escape folds it away again and gives focus back to the button.
    nav.get_by_role("link", name="Contact").focus()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    context.close()


@pytest.mark.parametrize("width", [800, 1280])
def test_wider_screens_show_one_row_with_dropdowns(
    live_server, browser, site, width, screenshot_dir, assert_fits
):
    context, page = viewer(browser, width)
    page.goto(live_server.url + "/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("button", name="Menu", exact=True)).to_be_hidden()
    tops = ["Home", "About", "Online Marketing Tips", "Contact"]
    boxes = [nav.get_by_role("link", name=label, exact=True).bounding_box() for label in tops]
    assert len({round(box["y"]) for box in boxes}) == 1, "the top level fits one row"
    assert [box["x"] for box in boxes] == sorted(box["x"] for box in boxes)
    button = nav.get_by_role("button", name="Show submenu of Online Marketing Tips")
    box = button.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    button.click()
    submenu = page.locator("#" + button.get_attribute("aria-controls"))
    expect(submenu).to_be_visible()
    drop = submenu.bounding_box()
    assert drop["y"] >= box["y"] + box["height"] - 1, "the submenu drops below its item"
    assert drop["x"] + drop["width"] <= width
    assert_fits(page)
    page.screenshot(path=screenshot_dir / f"header-menu-{width}.png")
    context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_axe_finds_nothing_serious_open_or_closed(
    live_server, browser, site, width, screenshot_dir
):
    context, page = viewer(browser, width)
    page.goto(live_server.url + "/about/")
    audit_light_and_dark(page)

    nav = page.get_by_role("navigation", name="Main")
    if width < 768:
        nav.get_by_role("button", name="Menu", exact=True).click()
    else:
        nav.get_by_role("button", name="Show submenu of About").click()
    expect(nav.get_by_role("link", name="Our team")).to_be_visible()
    for scheme in light_and_dark(page):
        page.screenshot(path=screenshot_dir / f"header-menu-{scheme}-{width}.png")
        audit(page, scheme)
    context.close()
