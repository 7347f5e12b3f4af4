"""Pages in the admin: Editors and Administrators only, with the post editor's tools."""

import pytest
from django.urls import reverse

from blog.pages.models import Page
from blog.posts.models import Post
from tests.factories import PageFactory, PostFactory, RoleUserFactory
from tests.helpers import page as soup

pytestmark = pytest.mark.django_db

ADD = reverse("admin:pages_page_add")
CHANGELIST = reverse("admin:pages_page_changelist")


def page_form(**overrides):
    return {
        "title": "About us",
        "slug": "",
        "body": "## Who we are\n\nA small newsroom.",
        "body_format": "markdown",
        "excerpt": "",
        "status": "published",
        "published_at_0": "",
        "published_at_1": "",
        "comment_mode": "closed",
        "password": "",
        "parent": "",
        "menu_order": "0",
        "featured_image": "",
        "_save": "Save",
        **overrides,
    }


@pytest.fixture
def editor(client):
    user = RoleUserFactory(role="Editor")
    client.force_login(user)
    return user


def test_an_editor_creates_a_page_and_a_subpage(client, editor):
    response = client.post(ADD, page_form(author=str(editor.pk)))
    assert response.status_code == 302, soup(response).select(".errorlist")
    about = Page.objects.get()
    assert (about.slug, about.path, about.kind) == ("about-us", "about-us", "page")
    assert about.revisions.count() == 1

    response = client.post(
        ADD, page_form(title="Our team", parent=str(about.pk), author=str(editor.pk))
    )
    assert response.status_code == 302
    assert Page.objects.get(title="Our team").get_absolute_url() == "/about-us/our-team/"
    assert client.get("/about-us/our-team/").status_code == 200
    assert Post.objects.count() == 0


def test_a_reserved_slug_is_refused_in_the_form_with_the_text_kept(client, editor):
    response = client.post(ADD, page_form(slug="feed", author=str(editor.pk)))
    assert response.status_code == 200
    errors = soup(response).select(".errorlist")
    assert any("taken by the site" in e.text for e in errors)
    assert "A small newsroom." in response.text
    assert not Page.objects.exists()


def test_the_parent_menu_offers_pages_only_and_not_the_page_itself(client, editor):
    about = PageFactory(title="About", slug="about")
    child = PageFactory(title="Team", slug="team", parent=about)
    PostFactory(title="A post, not a page")
    response = client.get(reverse("admin:pages_page_change", args=[about.pk]))
    options = [o.text for o in soup(response).select("select#id_parent option")]
    assert options == ["(no parent: a top-level page)"]
    response = client.get(reverse("admin:pages_page_change", args=[child.pk]))
    options = [o.text for o in soup(response).select("select#id_parent option")]
    assert options == ["(no parent: a top-level page)", "About (/about/)"]


def test_a_new_page_starts_with_comments_closed(client, editor):
    response = client.get(ADD)
    selected = soup(response).select_one("select#id_comment_mode option[selected]")
    assert selected["value"] == "closed"


def test_the_page_list_shows_subpages_under_their_parents(client, editor):
    about = PageFactory(title="About", slug="about")
    PageFactory(title="Team", slug="team", parent=about)
    PageFactory(title="Contact", slug="contact")
    PostFactory(title="A post, not a page")
    rows = [a.text for a in soup(client.get(CHANGELIST)).select("#result_list tbody .row-title a")]
    assert rows == ["About", "— Team", "Contact"]


def test_the_page_editor_has_its_preview_and_autosave(client, editor):
    about = PageFactory(slug="about")
    response = client.get(reverse("admin:pages_page_change", args=[about.pk]))
    textarea = soup(response).select_one("textarea#id_body")
    assert textarea["data-preview-url"] == reverse("admin:pages_page_preview")
    assert textarea["data-autosave-url"] == reverse("admin:pages_page_autosave", args=[about.pk])
    assert "Revisions (1)" in response.text


def test_a_share_link_for_a_page_stays_on_the_page_form(client, editor):
    about = PageFactory(slug="about", status="draft")
    response = client.post(reverse("admin:pages_page_share_preview", args=[about.pk]))
    assert response.headers["Location"] == reverse("admin:pages_page_change", args=[about.pk])
    about.refresh_from_db()
    assert about.preview_key


@pytest.mark.parametrize("role", ["Author", "Contributor"])
def test_authors_and_contributors_cannot_touch_pages(client, role):
    about = PageFactory(slug="about")
    client.force_login(RoleUserFactory(role=role))
    assert client.get(ADD).status_code == 403
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(reverse("admin:pages_page_change", args=[about.pk])).status_code == 403
    assert client.post(ADD, page_form()).status_code == 403
    assert not Page.objects.exclude(pk=about.pk).exists()


def test_only_editors_switch_a_posts_body_format(client):
    post_author = RoleUserFactory(role="Author")
    post = PostFactory(author=post_author)
    url = reverse("admin:posts_post_change", args=[post.pk])
    client.force_login(post_author)
    assert soup(client.get(url)).select("select#id_body_format") == []
    client.force_login(RoleUserFactory(role="Editor"))
    assert len(soup(client.get(url)).select("select#id_body_format")) == 1


def test_posts_list_no_pages(client, editor):
    PageFactory(title="About")
    PostFactory(title="A post")
    rows = [
        a.text
        for a in soup(client.get(reverse("admin:posts_post_changelist"))).select(
            "#result_list tbody .row-title a"
        )
    ]
    assert rows == ["A post"]


def test_a_page_with_subpages_is_not_deleted_from_under_them(client, editor):
    about = PageFactory(title="About", slug="about")
    PageFactory(title="Team", slug="team", parent=about)
    url = reverse("admin:pages_page_delete", args=[about.pk])
    response = client.get(url)
    assert "would require deleting the following protected related objects" in response.text
    client.post(url, {"post": "yes", "choice": "delete"})
    assert Page.objects.filter(pk=about.pk).exists()


def test_deleting_a_page_speaks_of_a_page(client, editor):
    about = PageFactory(title="About", slug="about")
    response = client.get(reverse("admin:pages_page_delete", args=[about.pk]))
    buttons = [b.text for b in soup(response).select("form.post-delete-choice button")]
    assert buttons == [
        "Move the page to the trash instead (keeps everything for 30 days)",
        "Delete the page",
    ]
