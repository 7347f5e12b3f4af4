"""Pages: a tree of addresses, statuses as posts have them, kept apart from posts."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from blog import site_paths
from blog.pages.models import Page
from blog.posts.models import Post
from tests.factories import PageFactory, PostFactory, RoleUserFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    about = PageFactory(title="About", slug="about")
    team = PageFactory(title="Our team", slug="team", parent=about)
    jane = PageFactory(title="Jane", slug="jane", parent=team)
    return about, team, jane


def test_pages_answer_at_their_full_path_at_every_depth(client, tree):
    about, team, jane = tree
    assert (about.path, team.path, jane.path) == ("about", "about/team", "about/team/jane")
    for page, url in zip(tree, ["/about/", "/about/team/", "/about/team/jane/"], strict=True):
        assert page.get_absolute_url() == url
        response = client.get(url)
        assert response.status_code == 200
        assert f'<h1 class="entry-title">{page.title}</h1>' in response.text


def test_a_subpage_shows_its_ancestors_as_breadcrumbs(client, tree):
    response = client.get("/about/team/jane/")
    crumbs = response.text.split('<nav class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/about/">About</a>' in crumbs
    assert '<a href="/about/team/">Our team</a>' in crumbs
    assert '<li aria-current="page">Jane</li>' in crumbs


def test_a_page_is_not_found_at_a_partial_or_wrong_path(client, tree):
    assert client.get("/team/").status_code == 404
    assert client.get("/about/jane/").status_code == 404
    assert client.get("/about/team/jane/more/").status_code == 404


def test_siblings_under_different_parents_may_share_a_slug():
    about, services = PageFactory(slug="about"), PageFactory(slug="services")
    first = PageFactory(title="History", slug="history", parent=about)
    second = PageFactory(title="History", slug="history", parent=services)
    assert (first.slug, second.slug) == ("history", "history")
    third = PageFactory(title="History", slug="history", parent=about)
    assert third.slug == "history-2"


def test_a_page_and_a_post_may_share_a_slug():
    post = PostFactory(title="Contact", slug="contact")
    page = PageFactory(title="Contact", slug="contact")
    assert post.slug == page.slug == "contact"


@pytest.mark.parametrize(
    "slug", sorted(site_paths.RESERVED_SLUGS - {"sitemap.xml", "robots.txt", "favicon.ico"})
)
def test_a_top_level_slug_that_shadows_a_site_address_is_refused(slug):
    page = Page(title="A page", slug=slug, body="x", author=UserFactory())
    with pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert "taken by the site" in refused.value.message_dict["slug"][0]


@pytest.mark.parametrize("slug", ["sitemap.xml", "robots.txt"])
def test_file_names_of_the_site_are_not_slugs_at_all(slug):
    page = Page(title="A page", slug=slug, body="x", author=UserFactory())
    with pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert "slug" in refused.value.message_dict


@pytest.mark.parametrize("top_level", [True, False])
def test_a_slug_of_digits_only_is_refused_at_any_depth(top_level):
    parent = None if top_level else PageFactory(slug="about")
    page = Page(title="A page", slug="2014", body="x", author=UserFactory(), parent=parent)
    with pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert "digits" in refused.value.message_dict["slug"][0]


def test_a_reserved_word_is_fine_below_the_top_level():
    about = PageFactory(slug="about")
    page = Page(title="Feed", slug="feed", body="x", author=UserFactory(), parent=about)
    page.full_clean()


def test_a_slug_made_from_a_title_steps_around_reserved_words():
    assert PageFactory(title="Search", slug="").slug == "search-2"
    assert PageFactory(title="2024", slug="").slug == "2024-2"


def test_a_page_cannot_go_under_itself_or_its_subpages(tree):
    about, _team, jane = tree
    about.parent = jane
    with pytest.raises(ValidationError) as refused:
        about.full_clean()
    assert "under itself" in refused.value.message_dict["parent"][0]


@pytest.mark.parametrize("status", ["draft", "pending", "private", "trash"])
def test_only_published_pages_are_shown_to_readers(client, status):
    PageFactory(slug="about", status=status)
    assert client.get("/about/").status_code == 404


@pytest.mark.parametrize("status", ["draft", "pending", "private"])
def test_editors_see_unpublished_pages_marked_not_for_indexing(client, status):
    PageFactory(slug="about", status=status)
    client.force_login(RoleUserFactory(role="Editor"))
    response = client.get("/about/")
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in response.text
    assert "preview-notice" in response.text
    assert response.headers["Cache-Control"].startswith("max-age=0")


def test_authors_do_not_see_unpublished_pages(client):
    PageFactory(slug="about", status="draft")
    client.force_login(RoleUserFactory(role="Author"))
    assert client.get("/about/").status_code == 404


def test_a_scheduled_page_appears_at_its_second(client, now):
    at = now.replace(microsecond=0) + datetime.timedelta(hours=2)
    PageFactory(slug="launch", published_at=at)
    with time_machine.travel(at - datetime.timedelta(seconds=1)):
        assert client.get("/launch/").status_code == 404
        assert "/launch/" not in client.get("/sitemap.xml").text
    with time_machine.travel(at):
        assert client.get("/launch/").status_code == 200
        assert "/launch/" in client.get("/sitemap.xml").text


def test_a_protected_page_asks_for_its_password(client):
    page = PageFactory(slug="members", password="open sesame", body="The secret handshake.")
    locked = client.get("/members/")
    assert "The secret handshake" not in locked.text
    assert reverse("posts:unlock", kwargs={"pk": page.pk}) in locked.text
    wrong = client.post(reverse("posts:unlock", kwargs={"pk": page.pk}), {"password": "no"})
    assert wrong.status_code == 403
    assert "That password is not right" in wrong.text
    assert '<h1 class="entry-title">' in wrong.text
    right = client.post(
        reverse("posts:unlock", kwargs={"pk": page.pk}), {"password": "open sesame"}
    )
    assert right.status_code == 302
    assert right.headers["Location"] == "/members/"
    assert "The secret handshake" in client.get("/members/").text


def test_changing_a_slug_keeps_the_old_addresses_of_the_page_and_its_subpages(client, tree):
    about, team, jane = tree
    about.slug = "who-we-are"
    about.save()
    jane.refresh_from_db()
    assert jane.get_absolute_url() == "/who-we-are/team/jane/"
    for old, new in [
        ("/about/", "/who-we-are/"),
        ("/about/team/", "/who-we-are/team/"),
        ("/about/team/jane/", "/who-we-are/team/jane/"),
    ]:
        response = client.get(old)
        assert (response.status_code, response.headers["Location"]) == (301, new)
        assert client.get(new).status_code == 200


def test_moving_a_page_under_another_keeps_its_old_address(client, tree):
    about, team, _jane = tree
    company = PageFactory(slug="company")
    team.parent = company
    team.save()
    assert client.get("/about/team/").headers["Location"] == "/company/team/"
    assert client.get("/about/team/jane/").headers["Location"] == "/company/team/jane/"
    assert client.get("/company/team/jane/").status_code == 200


def test_a_new_page_at_an_old_address_takes_it_back(client):
    page = PageFactory(slug="about")
    page.slug = "about-us"
    page.save()
    PageFactory(title="About again", slug="about")
    response = client.get("/about/")
    assert response.status_code == 200
    assert "About again" in response.text


def test_post_and_page_managers_hold_one_kind_each():
    PostFactory.create_batch(3)
    PageFactory.create_batch(2)
    assert Post.objects.count() == 3
    assert Page.objects.count() == 2
    assert Post.any_kind.count() == 5
    assert {p.kind for p in Page.objects.all()} == {"page"}


def without_header(text):
    """A response's text without the site header, whose menu lists the pages on purpose."""
    start, end = text.find('<header class="site-header">'), text.find("</header>")
    return text if start < 0 else text[:start] + text[end:]


def test_pages_stay_out_of_post_lists_feeds_and_archives(client, yesterday):
    PostFactory(title="A real post", published_at=yesterday)
    PageFactory(title="About this site", slug="about", published_at=yesterday)
    day = yesterday.date()
    for url in [
        "/",
        "/feed/",
        "/feed/atom/",
        f"/{day.year}/",
        f"/{day.year}/{day.month:02}/",
        f"/{day.year}/{day.month:02}/{day.day:02}/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "A real post" in response.text, url
        assert "About this site" not in without_header(response.text), url


def test_pages_are_not_related_or_adjacent_to_posts(client, yesterday):
    post = PostFactory(title="A real post", published_at=yesterday)
    PageFactory(title="About this site", published_at=yesterday + datetime.timedelta(minutes=1))
    response = client.get(post.get_absolute_url())
    assert "About this site" not in without_header(response.text)


def test_the_sitemap_lists_published_pages(client):
    PageFactory(slug="about")
    PageFactory(slug="draft-page", status="draft")
    sitemap = client.get("/sitemap.xml").text
    assert "http://testserver/about/" in sitemap
    assert "draft-page" not in sitemap


def test_search_finds_pages(client):
    PageFactory(title="Contact us", slug="contact", body="Write to the newsroom.")
    response = client.get("/search/", {"q": "newsroom"})
    assert response.status_code == 200
    assert '<a href="/contact/" rel="bookmark">Contact us</a>' in response.text


def test_a_page_with_open_comments_takes_them(client):
    from tests.comments.helpers import post_comment

    page = PageFactory(slug="guestbook", comment_mode=Page.CommentMode.OPEN)
    assert 'class="comment-form"' in client.get("/guestbook/").text
    editor = RoleUserFactory(role="Editor")
    client.force_login(editor)  # a moderator's comment is approved at once
    response = post_comment(client, page, body="Welcome to the guestbook.")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/guestbook/")
    client.logout()
    assert "Welcome to the guestbook." in client.get("/guestbook/").text


def test_a_page_closed_to_comments_shows_no_form(client):
    PageFactory(slug="about")
    assert 'class="comment-form"' not in client.get("/about/").text


def test_pages_keep_revisions(tree):
    about = tree[0]
    about.body = "A new text."
    about.save()
    assert about.revisions.count() == 2


def test_a_share_link_previews_a_draft_page(client):
    from blog.posts import preview

    page = PageFactory(slug="soon", status="draft", title="Coming soon")
    response = client.get(preview.link_for(page))
    assert response.status_code == 200
    assert "Coming soon" in response.text
    assert 'class="post page-content"' in response.text
