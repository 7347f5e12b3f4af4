"""
The editor's preview in the body format chosen in the form: a WordPress HTML
body is previewed as the article will show it, through the same pipeline.
"""

import pytest
from django.urls import reverse

from blog.posts.admin.editor import preview_html
from blog.posts.models import Post
from tests.factories import PostFactory, RoleUserFactory
from tests.helpers import one, page, parse, text_of

pytestmark = pytest.mark.django_db

PREVIEW = reverse("admin:posts_post_preview")
BODY = "First line\nsecond line\n\n**Next** paragraph"


def preview(client, **data):
    response = client.post(PREVIEW, data)
    assert response.status_code == 200, response.content
    return response.json()


def test_preview_in_the_html_format_follows_wordpress_paragraph_rules(admin_client):
    data = preview(admin_client, body=BODY, body_format="html")

    tree = parse(data["html"])
    assert [text_of(p) for p in tree.select("p")] == [
        "First line second line",
        "**Next** paragraph",
    ]
    assert len(tree.select("p")[0].select("br")) == 1
    assert tree.select("strong") == []
    assert data["words"] == 6


def test_preview_without_a_format_is_markdown(admin_client):
    data = preview(admin_client, body=BODY)

    assert text_of(one(parse(data["html"]), "strong")) == "Next"
    assert data == preview(admin_client, body=BODY, body_format="markdown")


def test_preview_renders_shortcodes_in_the_html_format(admin_client):
    data = preview(
        admin_client,
        body='[caption align="alignleft" width="200"]<img src="/a.jpg" alt="a"> Hello[/caption]',
        body_format="html",
    )

    assert text_of(one(parse(data["html"]), "figure.wp-caption.alignleft figcaption")) == "Hello"


def test_preview_refuses_an_unknown_format(admin_client):
    response = admin_client.post(PREVIEW, {"body": BODY, "body_format": "textile"})

    assert response.status_code == 400
    assert "html" not in response.json()


def test_preview_is_the_html_an_html_post_stores(admin_client):
    post = PostFactory(
        body='Intro\n\n[audio src="/media/a.mp3"]\n\n<script>alert(1)</script>End',
        body_format=Post.BodyFormat.HTML,
    )

    data = preview(admin_client, body=post.body, body_format="html")

    assert data["html"] == post.body_html == preview_html(post.body, "html")
    assert "<script" not in data["html"]


def test_change_form_tells_the_script_the_saved_format(admin_client):
    post = PostFactory(body="<p>Hi</p>", body_format=Post.BodyFormat.HTML)

    response = admin_client.get(reverse("admin:posts_post_change", args=[post.pk]))

    doc = page(response)
    assert one(doc, "textarea#id_body")["data-body-format"] == "html"
    assert one(doc, "select#id_body_format option[selected]")["value"] == "html"


def test_add_form_starts_in_markdown(admin_client):
    response = admin_client.get(reverse("admin:posts_post_add"))

    assert one(page(response), "textarea#id_body")["data-body-format"] == "markdown"


def test_an_author_without_the_select_still_gets_the_saved_format(client):
    author = RoleUserFactory(username="writer", role="Author")
    post = PostFactory(author=author, body="<p>Hi</p>", body_format=Post.BodyFormat.HTML)
    client.force_login(author)

    response = client.get(reverse("admin:posts_post_change", args=[post.pk]))

    doc = page(response)
    assert doc.select("select#id_body_format") == []
    assert one(doc, "textarea#id_body")["data-body-format"] == "html"
