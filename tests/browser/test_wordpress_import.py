"""
*Import from WordPress* in a real browser: an Administrator uploads an
export, reads the dry-run report, confirms, watches the progress and reads
the final report; the imported post is on the site.

The background worker runs in this process between the page's polls (the
test calls it), so no worker process is needed; the page finds out by itself,
through its progress endpoint, that the worker has moved on.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from blog.posts.models import Post
from blog.wordpress import tasks
from tests.factories import RoleUserFactory
from tests.wordpress.import_helpers import WXR, run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def test_administrator_imports_a_wordpress_site(
    live_server, page, browser_errors, screenshot_dir, tmp_path, monkeypatch
):
    from blog.wordpress.importer import import_wxr as real_import

    RoleUserFactory(username="siteowner", role="Administrator")
    export = tmp_path / "old-blog.wordpress.2026-11-30.xml"
    export.write_text(WXR)

    # Every progress call is written at once, and the import pauses at its
    # start until the browser has shown that it is under way.
    monkeypatch.setattr(tasks.ProgressWriter, "interval", 0)
    shown = []

    def import_and_watch(source, **options):
        if not options["dry_run"]:
            options["progress"](0, 1)
            expect(page.locator("#import-progress-text")).to_have_text("0 of 1 items")
            expect(page.locator("#import-status")).to_have_text("Importing")
            shown.append(page.locator("#import-progress-bar").get_attribute("max"))
        return real_import(source, **options)

    monkeypatch.setattr(tasks, "import_wxr", import_and_watch)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Username").fill("siteowner")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Log in", re.I)).click()

    # From the admin's list of imports to the upload form.
    page.goto(live_server.url + reverse("admin:wordpress_importjob_changelist"))
    page.get_by_role("link", name=re.compile("Add import from WordPress", re.I)).click()
    page.get_by_label("WordPress export (WXR)").set_input_files(export)
    page.screenshot(path=screenshot_dir / "wordpress-import-upload.png", full_page=True)
    page.get_by_role("button", name="Upload and check").click()

    expect(page.locator("#import-progress-text")).to_contain_text(
        "Waiting for the background worker"
    )
    expect(page.locator("#import-refresh")).to_be_visible()
    run_worker()

    # The page's script notices the end of the check and shows the report.
    report = page.locator("#dry-run-report")
    expect(report).to_be_visible(timeout=10_000)
    expect(report.locator("tr", has_text="Posts").locator("td").first).to_have_text("1")
    expect(page.locator("#import-status")).to_have_text("Checked: waiting for confirmation")
    page.screenshot(path=screenshot_dir / "wordpress-import-dry-run.png", full_page=True)
    assert not Post.objects.exists()

    page.get_by_role("button", name="Import now").click()
    expect(page.locator("#import-status")).to_have_text("Importing")
    expect(page.locator("#import-progress-text")).to_contain_text(
        "Waiting for the background worker"
    )
    run_worker()
    assert shown == ["1"]

    final = page.locator("#import-report")
    expect(final).to_be_visible(timeout=10_000)
    expect(final.locator("tr", has_text="Posts").locator("td").first).to_have_text("1")
    expect(page.locator("#import-status")).to_have_text("Done")
    page.screenshot(path=screenshot_dir / "wordpress-import-done.png", full_page=True)

    post = Post.objects.get()
    page.goto(live_server.url + post.get_absolute_url())
    expect(page.locator("h1")).to_have_text("Hello from the old blog")
    assert browser_errors == []
