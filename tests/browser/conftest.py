"""
Playwright drives Debian's Chromium against pytest-django's live server.

Browser downloads are impossible on our machines, so the launch arguments
point Playwright at /usr/bin/chromium. Playwright's sync API keeps an event
loop in the main thread, which makes Django refuse database queries from the
test body unless DJANGO_ALLOW_ASYNC_UNSAFE is set; it is set here, for the
browser tests only.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in, watch
from tests.factories import StaffFactory

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).parent / "screenshots"
# The password every factory-made user has.
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session", autouse=True)
def _allow_queries_beside_playwright():
    # From the first browser test on (they run last), until the session ends.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """
    pytest-django's live server, started only once the test database exists.

    Started earlier, it would not see that SQLite's test database lives in
    memory, would not share the test's connection with its threads, and every
    request would leave an unclosed connection behind (a ResourceWarning,
    which this suite turns into an error).
    """
    return live_server


@pytest.fixture
def screenshot_dir():
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def browser_errors(page):
    return watch(page)


@pytest.fixture
def assert_fits():
    """Check that a page scrolls only vertically at its current viewport width."""

    def check(page):
        widths = page.evaluate(
            "({scroll: document.documentElement.scrollWidth, viewport: window.innerWidth})"
        )
        assert widths["scroll"] <= widths["viewport"], f"horizontal scroll: {widths}"

    return check


@pytest.fixture
def inline_image(settings):
    """
    The URL of an image for article bodies: the demo photo when it exists,
    else any image under static/img/, else a PNG written to the test's MEDIA_ROOT
    (the live server serves MEDIA_URL from there).
    """
    static_img = Path(settings.BASE_DIR) / "static" / "img"
    demo = static_img / "demo" / "whatsapp.jpg"
    candidates = [demo] if demo.exists() else []
    candidates += sorted(
        p for p in static_img.rglob("*") if p.suffix.lower() in {".jpg", ".jpeg", ".png", ".webp"}
    )
    if candidates:
        return "/static/" + candidates[0].relative_to(static_img.parent).as_posix()
    from PIL import Image, ImageDraw

    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (960, 540), "#1f7a5c")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((400, 90, 560, 450), radius=24, fill="#1f2328")
    draw.rectangle((414, 130, 546, 410), fill="#ece5dd")
    image.save(media / "whatsapp.png")
    return f"/{settings.MEDIA_URL.strip('/')}/whatsapp.png"


@pytest.fixture
def editor(page, live_server):
    """A superuser logged in to the admin; returns a function opening an admin URL in the editor."""
    StaffFactory(username="editor")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page.context, live_server, "editor")

    def open_admin(url):
        page.goto(live_server.url + url)
        expect(page.locator(".md-editor")).to_be_visible()
        return page

    return open_admin
