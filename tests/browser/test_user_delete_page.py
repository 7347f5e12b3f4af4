"""Deleting a user who wrote posts, in a browser: the question answered; axe finds no problem."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from blog.accounts.models import User
from blog.posts.models import Post
from tests.browser.helpers import audit, light_and_dark
from tests.factories import PostFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [375, 1280])
def test_the_content_goes_to_the_user_chosen(editor, page, live_server, width, screenshot_dir):
    leaving = StaffFactory(username="leaving", display_name="Leaving Writer")
    posts = PostFactory.create_batch(2, author=leaving)
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(live_server.url + reverse("admin:accounts_user_delete", args=[leaving.pk]))
    expect(page.get_by_text("They wrote 2 posts and pages (2 published)")).to_be_visible()
    for scheme in light_and_dark(page):
        audit(page, scheme)
        page.screenshot(path=screenshot_dir / f"user-delete-{scheme}-{width}.png", full_page=True)

    # The choice is required in the browser too: nothing is sent without it.
    page.get_by_role("button", name="Yes, delete the user").click()
    assert User.objects.filter(pk=leaving.pk).exists()

    page.get_by_label("Attribute all content to").select_option(label="editor")
    page.get_by_role("button", name="Yes, delete the user").click()

    expect(page.locator(".messagelist")).to_contain_text("“editor” is now the author of")
    assert not User.objects.filter(pk=leaving.pk).exists()
    assert {post.author.username for post in Post.objects.filter(pk__in=[p.pk for p in posts])} == {
        "editor"
    }
