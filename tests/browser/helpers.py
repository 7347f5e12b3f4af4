"""What the browser tests share beyond fixtures."""

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

# The axe impacts that fail a page.
BLOCKING = {"serious", "critical"}


def audit(page, label=""):
    """Fail on any serious or critical axe violation, saying what and where."""
    # axe.min.js goes in through Playwright's evaluate (the DevTools protocol),
    # which the page's Content-Security-Policy does not govern, so the site's
    # real `default-src 'self'` stays in force: no bypass_csp is needed.
    violations = Axe().run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "".join(f"    {', '.join(map(str, node['target']))}\n" for node in v["nodes"])
        for v in blocking
    )
    where = f"{page.url} ({label})" if label else page.url
    assert not blocking, f"axe found on {where}:\n{report}"


def light_and_dark(page):
    """
    Switch the open page to the light colour scheme, then the dark, yielding
    each name: one page load (and one test's data) checked in both. Both
    schemes are CSS media queries, so no reload is needed; colour transitions
    (the admin's links have them) run to their end first.
    """
    backgrounds = set()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.evaluate("Promise.all(document.getAnimations().map((a) => a.finished))")
        backgrounds.add(page.evaluate("getComputedStyle(document.body).backgroundColor"))
        yield scheme
    page.emulate_media(color_scheme="light")  # the next page opens in light, as a new context does
    assert len(backgrounds) == 2, f"{page.url} looks the same in both schemes: {backgrounds}"


def audit_light_and_dark(page):
    for scheme in light_and_dark(page):
        audit(page, f"{scheme} scheme")


def watch(page):
    """Console errors (CSP violations among them), page errors and failed requests."""
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "response",
        lambda response: (
            errors.append(f"HTTP {response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    return errors


def sign_in(context, live_server, username):
    """
    Give the browser ``context`` a session of ``username``: the tests of
    admin pages start there. The login form itself is driven by the journeys
    (test_authoring_flow, test_two_factor, test_wordpress_import).
    """
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    name = settings.SESSION_COOKIE_NAME
    context.add_cookies(
        [{"name": name, "value": client.cookies[name].value, "url": live_server.url}]
    )
