"""
Real WordPress content in the HTML body format: WordPress's theme unit test
export renders without error and without a shortcode or block comment left,
and a post saved in the HTML format shows on its page as WordPress showed it.
"""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from blog.markup import BodyFormat, render_post
from blog.posts.models import Post
from tests.factories import PageFactory, PostFactory
from tests.helpers import one, page, parse, text_of
from tests.media.factories import ImageFactory

# CI keeps ../shared beside the clone; the file is never copied into the project.
WXR = (
    Path(__file__).resolve().parents[1]
    / ".."
    / "shared"
    / "wxr"
    / "themeunittestdata.wordpress.xml"
)
CONTENT = "http://purl.org/rss/1.0/modules/content/"


def wxr_bodies(path):
    """(title, body) of every post and page in a WXR file (trusted test data)."""
    # WXR files name their wp: namespace http:// or https://: take the file's own.
    namespaces = dict(ns for _event, ns in ET.iterparse(path, events=["start-ns"]))  # noqa: S314
    ns = {"wp": namespaces["wp"], "content": CONTENT}
    bodies = []
    for item in ET.parse(path).getroot().iter("item"):  # noqa: S314 (trusted test data)
        if item.findtext("wp:post_type", namespaces=ns) in ("post", "page"):
            bodies.append(
                (item.findtext("title"), item.findtext("content:encoded", namespaces=ns) or "")
            )
    return bodies


@pytest.fixture(scope="module")
def theme_unit_test_bodies():
    if not WXR.exists():
        pytest.skip(f"WordPress's theme unit test export is not at {WXR} (CI has ../shared/wxr/)")
    return wxr_bodies(WXR)


@pytest.mark.django_db
def test_every_theme_unit_test_body_renders_with_no_shortcode_or_block_comment_left(
    theme_unit_test_bodies,
):
    # The export holds captions, galleries, an [audio], embeds and block content.
    sources = "".join(body for _title, body in theme_unit_test_bodies)
    assert len(theme_unit_test_bodies) > 50
    assert "[caption" in sources and "[gallery" in sources and "<!-- wp:" in sources

    for title, body in theme_unit_test_bodies:
        output = render_post(body, BodyFormat.HTML)
        for leftover in ("[caption", "[gallery", "<!-- wp:", "[/caption]", "[audio"):
            assert leftover not in output, f"{leftover} left in {title!r}"
        if body.strip():
            assert output.strip(), f"{title!r} rendered to nothing"


@pytest.mark.django_db
def test_theme_unit_test_captions_become_figures(theme_unit_test_bodies):
    (body,) = [body for title, body in theme_unit_test_bodies if title == "Markup: Image Alignment"]

    tree = parse(render_post(body, BodyFormat.HTML))

    figures = tree.select("figure.wp-caption")
    assert len(figures) >= 5
    assert {"alignleft", "alignright", "aligncenter", "alignnone"} <= {
        name for figure in figures for name in figure.attrs["class"].split()
    }
    assert all(text_of(one(figure, "figcaption")) for figure in figures)


@pytest.mark.django_db
def test_a_post_in_the_html_format_stores_wordpress_paragraphs():
    post = PostFactory(
        body="First line\nsecond line\n\nNext paragraph\n\n<pre>code\n\nstays</pre>",
        body_format=Post.BodyFormat.HTML,
    )

    assert post.body_html == (
        "<p>First line<br>\nsecond line</p>\n<p>Next paragraph</p>\n<pre>code\n\nstays</pre>\n"
    )


@pytest.mark.django_db
def test_the_article_shows_an_html_body_with_its_gallery_and_caption(client):
    first = ImageFactory(alt_text="Harbour at dawn", caption="The harbour")
    second = ImageFactory(alt_text="Boats")
    post = PostFactory(
        body=(
            "Our trip, in pictures.\n\n"
            f'[gallery columns="2" ids="{second.pk},{first.pk}"]\n\n'
            '[caption align="alignright" width="300"]'
            f'<img src="{first.url}" alt="Harbour" width="300" /> Early light[/caption]\n\n'
            "https://www.youtube.com/watch?v=abc"
        ),
        body_format=Post.BodyFormat.HTML,
    )

    response = client.get(post.get_absolute_url())

    body = one(page(response), ".entry-content")
    gallery = one(body, "figure.gallery.gallery-columns-2")
    images = gallery.select("figure.gallery-item img")
    assert [img.attrs["alt"] for img in images] == ["Boats", "Harbour at dawn"]
    # The page's responsive_images filter made them responsive.
    assert all(img.attrs.get("srcset") for img in images)
    assert text_of(one(gallery, "figcaption")) == "The harbour"
    assert text_of(one(body, "figure.wp-caption.alignright figcaption")) == "Early light"
    video_link = one(body, 'a[href="https://www.youtube.com/watch?v=abc"]')
    assert video_link.parent.name == "p"
    assert body.select("iframe") == []


@pytest.mark.django_db
def test_a_page_in_the_html_format_shows_wordpress_paragraphs(client):
    wordpress_page = PageFactory(
        body='About us\nin two lines\n\n[audio src="/media/files/hello.mp3"]',
        body_format=Post.BodyFormat.HTML,
    )

    response = client.get(wordpress_page.get_absolute_url())

    body = one(page(response), ".entry-content")
    assert len(one(body, "p").select("br")) == 1
    assert one(body, "audio").attrs["src"] == "/media/files/hello.mp3"
