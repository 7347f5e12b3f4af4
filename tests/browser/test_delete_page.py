"""The post delete page says in words what goes with the post; axe-core finds nothing serious."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.helpers import audit, light_and_dark
from tests.factories import CategoryFactory, CommentFactory, PostFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_delete_page_speaks_in_words(editor, page, live_server, screenshot_dir):
    post = PostFactory(
        title="WhatsApp crashes", categories=CategoryFactory.create_batch(3), tags=["a", "b"]
    )
    CommentFactory.create_batch(12, post=post)

    page.goto(live_server.url + reverse("admin:posts_post_delete", args=[post.pk]))

    effects = page.locator(".post-delete-effects li")
    expect(effects).to_have_text(
        [
            "12 comments and 1 revision will be deleted.",
            "3 categories and 2 tags will be detached (they stay, for other posts).",
        ]
    )
    expect(page.get_by_text("relationship")).to_have_count(0)
    for scheme in light_and_dark(page):
        audit(page, scheme)
        page.screenshot(path=screenshot_dir / f"post-delete-{scheme}-1280.png")
