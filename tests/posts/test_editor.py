"""The post editor: its preview and tag endpoints, and what the change form hands its script."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from blog.markup import count_words, reading_minutes
from blog.posts.admin.editor import preview_html
from blog.posts.models import Post
from tests.factories import PostFactory, StaffFactory, UserFactory
from tests.helpers import one, page

pytestmark = pytest.mark.django_db

PREVIEW = reverse("admin:posts_post_preview")
SUGGEST = reverse("admin:posts_post_tag_suggestions")


def staff_with(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


# Preview


def test_preview_renders_through_the_markup_pipeline(admin_client):
    body = "## Hi\n\nSome *text* with a [link](https://example.com).\n\n<script>alert(1)</script>"

    response = admin_client.post(PREVIEW, {"body": body})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    html = response.json()["html"]
    assert '<h2 id="hi">Hi</h2>' in html
    assert "<em>text</em>" in html
    assert '<a href="https://example.com">link</a>' in html
    assert "<script" not in html
    assert "alert" not in html


def test_preview_strips_dangerous_attributes_and_schemes(admin_client):
    body = '<img src="x.png" onerror="alert(1)"> [x](javascript:alert(1))'

    html = admin_client.post(PREVIEW, {"body": body}).json()["html"]

    assert "onerror" not in html
    assert "javascript:" not in html


def test_preview_is_the_html_the_article_stores(admin_client):
    post = PostFactory()

    html = admin_client.post(PREVIEW, {"body": post.body}).json()["html"]

    assert html == post.body_html == preview_html(post.body)


def test_preview_counts_words_and_reading_time(admin_client):
    body = "## A heading\n\n" + "word " * 398 + "\n\n![not read](/static/x.png)"

    data = admin_client.post(PREVIEW, {"body": body}).json()

    assert data["words"] == 400
    assert data["reading_minutes"] == 2


def test_an_empty_preview_is_one_minute_of_nothing(admin_client):
    data = admin_client.post(PREVIEW, {"body": ""}).json()

    assert data == {"html": "", "words": 0, "reading_minutes": 1}


@pytest.mark.parametrize(
    ("markup", "words"),
    [
        ("<p>What's up with WhatsApp?</p>", 4),
        ("<p>e-mail and <em>phone</em> number</p>", 4),
        ("<ul>\n<li>one</li>\n<li>two</li>\n</ul>", 2),
        ("<p>$16 billion, 7 days</p>", 4),
    ],
)
def test_word_count(markup, words):
    assert count_words(markup) == words


@pytest.mark.parametrize(("words", "minutes"), [(0, 1), (1, 1), (200, 1), (201, 2), (412, 3)])
def test_reading_minutes(words, minutes):
    assert reading_minutes(words) == minutes


def test_preview_refuses_get(admin_client):
    assert admin_client.get(PREVIEW).status_code == 405


def test_preview_refuses_staff_without_post_permissions(client):
    client.force_login(staff_with("view_post"))

    assert client.post(PREVIEW, {"body": "## Hi"}).status_code == 403


@pytest.mark.parametrize("codename", ["add_post", "change_post"])
def test_preview_allows_those_who_may_write_posts(client, codename):
    client.force_login(staff_with(codename))

    assert client.post(PREVIEW, {"body": "## Hi"}).status_code == 200


def test_preview_sends_anonymous_visitors_to_the_login(client):
    response = client.post(PREVIEW, {"body": "## Hi"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_preview_requires_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.force_login(StaffFactory(username="boss"))

    assert client.post(PREVIEW, {"body": "## Hi"}).status_code == 403

    client.get(reverse("admin:posts_post_add"))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(PREVIEW, {"body": "## Hi"}, headers={"X-CSRFToken": token})
    assert response.status_code == 200


# Tag suggestions


def test_tag_suggestions_start_with_the_term_then_contain_it(admin_client):
    for name in ["Marketing", "email marketing", "SEO", "market research", "Remarks"]:
        Tag.objects.create(name=name)

    response = admin_client.get(SUGGEST, {"q": "MARK"})

    assert response.status_code == 200
    assert response.json() == {
        "tags": ["market research", "Marketing", "email marketing", "Remarks"]
    }


def test_tag_suggestions_are_ten_at_most(admin_client):
    for n in range(15):
        Tag.objects.create(name=f"tag {n:02}")

    assert len(admin_client.get(SUGGEST, {"q": "tag"}).json()["tags"]) == 10


def test_tag_suggestions_need_a_term(admin_client):
    Tag.objects.create(name="marketing")

    assert admin_client.get(SUGGEST).json() == {"tags": []}
    assert admin_client.get(SUGGEST, {"q": "  "}).json() == {"tags": []}


def test_tag_suggestions_refuse_staff_without_post_permissions(client):
    client.force_login(staff_with("view_post"))

    assert client.get(SUGGEST, {"q": "mark"}).status_code == 403


# The change form


def editor_textarea(response):
    return one(page(response), "textarea#id_body")


def test_add_form_carries_the_editor(admin_client, settings):
    settings.BLOG_AUTOSAVE_SECONDS = 7

    response = admin_client.get(reverse("admin:posts_post_add"))

    assert response.status_code == 200
    doc = page(response)
    assert doc.select('script[src$="js/admin/post-editor.js"][defer]')
    assert doc.select('link[rel="stylesheet"][href$="css/admin/post-editor.css"]')
    textarea = editor_textarea(response)
    assert "js-markdown-editor" in textarea["class"].split()
    assert textarea["data-preview-url"] == PREVIEW
    assert textarea["data-autosave-seconds"] == "7"
    # A post that does not exist yet has nothing to autosave onto.
    assert textarea["data-autosave-url"] == ""
    tags = one(doc, "input#id_tags")
    assert "js-tag-autocomplete" in tags["class"].split()
    assert tags["data-suggest-url"] == SUGGEST
    assert tags["autocomplete"] == "off"
    # The markup the script clones, and the revisions panel.
    assert one(doc, "template#markdown-editor-template")
    assert one(doc, "template#markdown-image-dialog-template")
    assert "admin/posts/post/_revisions_panel.html" in [t.name for t in response.templates]


def test_change_form_carries_the_editor_for_an_existing_post(admin_client):
    post = PostFactory()

    response = admin_client.get(reverse("admin:posts_post_change", args=[post.pk]))

    textarea = editor_textarea(response)
    assert textarea["data-preview-url"] == PREVIEW
    assert textarea["data-autosave-seconds"] == "30"
    assert textarea.text.strip() == post.body.strip()
    for name in ("data-autosave-url", "data-image-library-url", "data-image-upload-url"):
        assert name in textarea.attrs


def test_change_form_points_at_the_autosave_and_image_endpoints(admin_client):
    post = PostFactory()
    textarea = editor_textarea(admin_client.get(reverse("admin:posts_post_change", args=[post.pk])))

    assert textarea["data-autosave-url"] == reverse("admin:posts_post_autosave", args=[post.pk])
    assert textarea["data-image-library-url"] == reverse("admin:media_image_library")
    assert textarea["data-image-upload-url"] == reverse("admin:media_image_upload")


def test_saving_through_the_editor_form_keeps_the_markdown(admin_client):
    author = UserFactory(username="writer")
    data = {
        "title": "Typed in the editor",
        "slug": "typed-in-the-editor",
        "body": "## A heading\n\nA [link](https://example.com).",
        "body_format": "markdown",
        "excerpt": "",
        "status": "draft",
        "author": str(author.pk),
        "comment_mode": "open",
        "tags": "marketing, social media",
        "_save": "Save",
    }

    response = admin_client.post(reverse("admin:posts_post_add"), data)

    assert response.status_code == 302, page(response).select(".errorlist")
    post = Post.objects.get(slug="typed-in-the-editor")
    assert post.body == data["body"]
    assert '<h2 id="a-heading">A heading</h2>' in post.body_html
    assert sorted(post.tags.names()) == ["marketing", "social media"]
