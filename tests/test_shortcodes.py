"""
WordPress's shortcodes and block comments in HTML bodies (blog/shortcodes.py),
seen through render_post(body, BodyFormat.HTML): what a reader gets.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.markup import BodyFormat, render_post
from blog.shortcodes import is_local_url, parse_attributes, render
from tests.helpers import balance_problems, one, parse, text_of, visible_text
from tests.media.factories import ImageFactory


def html(body):
    output = render_post(body, BodyFormat.HTML)
    assert balance_problems(output) == []
    return output


# The parser


def test_attributes_in_every_quoting_style():
    assert parse_attributes(""" id="a b" align='left' width=300 Caption="x" """) == {
        "id": "a b",
        "align": "left",
        "width": "300",
        "caption": "x",
    }


def test_positional_attributes_are_numbered():
    assert parse_attributes('https://example.com/a.mp3 "two words" flag') == {
        0: "https://example.com/a.mp3",
        1: "two words",
        2: "flag",
    }


def test_an_attribute_with_an_unclosed_tag_is_emptied():
    assert parse_attributes('caption="<a href=x" id="ok"') == {"caption": "", "id": "ok"}
    assert parse_attributes('caption="<em>fine</em>"') == {"caption": "<em>fine</em>"}


def test_backslash_escapes_are_read_as_php_reads_them():
    assert parse_attributes(r'a="x\\y" b="\x41\101\t"') == {"a": "x\\y", "b": "AA\t"}


# Unknown and escaped shortcodes


def test_an_unknown_shortcode_stays_as_text():
    output = html('Before [contact-form id="3" title="Hi"]inside[/contact-form] after')

    assert (
        visible_text(output) == 'Before [contact-form id="3" title="Hi"]inside[/contact-form] after'
    )


def test_a_standalone_unknown_shortcode_keeps_its_paragraph():
    assert html("[recent-posts]") == "<p>[recent-posts]</p>\n"


def test_double_brackets_show_the_shortcode_itself():
    output = html('Write [[gallery ids="1,2"]] to show a gallery, or [[caption]x[/caption]].')

    assert visible_text(output) == (
        'Write [gallery ids="1,2"] to show a gallery, or [caption]x[/caption].'
    )
    assert "<figure" not in output


def test_brackets_inside_a_tag_are_not_a_shortcode():
    output = html('<a href="/x" title="[embed]https://a.example[/embed]">link</a>')

    (link,) = parse(output).select("a")
    assert link.attrs["title"] == "[embed]https://a.example[/embed]"
    assert text_of(link) == "link"


# [caption]


def test_caption_with_the_text_after_the_image():
    output = html(
        '[caption id="attachment_6" align="alignright" width="300"]'
        '<img src="/media/a.jpg" alt="A boat" width="300" height="200" /> A boat at dawn'
        "[/caption]"
    )

    figure = one(parse(output), "figure")
    assert figure.attrs == {"id": "attachment_6", "class": "wp-caption alignright"}
    assert one(figure, "img").attrs["alt"] == "A boat"
    assert text_of(one(figure, "figcaption")) == "A boat at dawn"
    assert "[caption" not in output and "[/caption]" not in output
    assert "<p>" not in output


def test_caption_around_a_linked_image_with_markup_in_the_caption():
    output = html(
        '[caption align="aligncenter" width="640"]<a href="/big.jpg">'
        '<img src="/small.jpg" alt="" /></a> The <em>whole</em> picture[/caption]'
    )

    figure = one(parse(output), "figure")
    assert figure.attrs["class"] == "wp-caption aligncenter"
    assert one(figure, "a > img").attrs["src"] == "/small.jpg"
    caption = one(figure, "figcaption")
    assert text_of(caption) == "The whole picture"
    assert text_of(one(caption, "em")) == "whole"


def test_caption_from_the_caption_attribute():
    output = html(
        '[caption id="attachment_612" align="alignnone" width="640" caption="Resinous husk"]'
        '<img src="/h.jpg" alt="Husk" />[/caption]'
    )

    figure = one(parse(output), "figure.wp-caption.alignnone")
    assert text_of(one(figure, "figcaption")) == "Resinous husk"


def test_caption_in_text_between_paragraphs():
    output = html(
        "Before.\n\n"
        '[caption align="alignleft" width="150"]<img src="/a.jpg" alt="a" /> Small[/caption]'
        "\n\nAfter."
    )

    tree = parse(output)
    assert [text_of(p) for p in tree.select("p")] == ["Before.", "After."]
    assert text_of(one(tree, "figure.alignleft figcaption")) == "Small"


def test_caption_without_caption_text_is_just_the_image():
    output = html('[caption width="300"]<img src="/a.jpg" alt="a" />[/caption]')

    assert "<figure" not in output
    assert one(parse(output), "img").attrs["src"] == "/a.jpg"


def test_old_wp_caption_name_works_too():
    output = html('[wp_caption width="300" caption="Old"]<img src="/a.jpg" alt="" />[/wp_caption]')

    assert text_of(one(parse(output), "figure figcaption")) == "Old"


# [gallery]


@pytest.mark.django_db
def test_gallery_shows_library_images_in_the_order_given():
    first = ImageFactory(alt_text="First picture", caption="The first one")
    second = ImageFactory(alt_text="Second picture")
    third = ImageFactory(alt_text="Third picture", caption="Third & last")

    output = html(f'[gallery columns="2" ids="{third.pk},{first.pk}, {second.pk}"]')

    gallery = one(parse(output), "figure.gallery")
    assert gallery.attrs["class"] == "gallery gallery-columns-2"
    items = gallery.select("figure.gallery-item")
    assert [one(item, "img").attrs["alt"] for item in items] == [
        "Third picture",
        "First picture",
        "Second picture",
    ]
    img = one(items[0], "img")
    assert img.attrs["src"] == third.url
    assert (img.attrs["width"], img.attrs["height"]) == (str(third.width), str(third.height))
    assert [text_of(c) for c in gallery.select("figcaption")] == ["Third & last", "The first one"]
    assert "[gallery" not in output


@pytest.mark.django_db
def test_gallery_skips_unknown_ids_and_queries_once():
    image = ImageFactory(alt_text="Kept")

    with CaptureQueriesContext(connection) as queries:
        output = html(f'[gallery ids="999999,{image.pk},abc,{image.pk}"]')

    assert len(queries) == 1
    assert [img.attrs["alt"] for img in parse(output).select("img")] == ["Kept"]


@pytest.mark.django_db
def test_gallery_defaults_to_three_columns_and_caps_at_nine():
    image = ImageFactory()

    assert "gallery-columns-3" in html(f'[gallery ids="{image.pk}"]')
    assert "gallery-columns-9" in html(f'[gallery ids="{image.pk}" columns="40"]')
    assert "gallery-columns-3" in html(f'[gallery ids="{image.pk}" columns="zero"]')


@pytest.mark.django_db
def test_gallery_without_ids_or_images_renders_nothing():
    with CaptureQueriesContext(connection) as queries:
        assert html("[gallery]").strip() == ""
        assert html('[gallery columns="4" size="medium"]').strip() == ""
    assert len(queries) == 0
    assert html('[gallery ids="424242"]').strip() == ""


# [audio] and [video]


def test_audio_of_a_local_file_is_a_player_with_a_link_inside():
    output = html('[audio src="/media/files/2026/01/talk.mp3"]')

    audio = one(parse(output), "audio")
    assert audio.attrs == {
        "controls": "",
        "preload": "metadata",
        "src": "/media/files/2026/01/talk.mp3",
    }
    assert one(audio, "a").attrs["href"] == "/media/files/2026/01/talk.mp3"


def test_audio_in_several_formats_gets_a_source_each():
    output = html('[audio mp3="/media/a.mp3" ogg="/media/a.ogg" wav="/media/a.wav" loop="on"]')

    audio = one(parse(output), "audio")
    assert "src" not in audio.attrs
    assert "loop" in audio.attrs
    assert [(s.attrs["src"], s.attrs["type"]) for s in audio.select("source")] == [
        ("/media/a.mp3", "audio/mpeg"),
        ("/media/a.ogg", "audio/ogg"),
        ("/media/a.wav", "audio/wav"),
    ]


def test_audio_never_autoplays():
    output = html('[audio src="/media/a.mp3" autoplay="on"]')

    assert "autoplay" not in output
    assert one(parse(output), "audio").attrs["src"] == "/media/a.mp3"


@pytest.mark.parametrize(
    "url",
    [
        "https://files.example.com/a.mp3",
        "http://files.example.com/a.mp3",
        "//files.example.com/a.mp3",
    ],
)
def test_audio_from_another_site_is_only_a_link(url):
    output = html(f'[audio src="{url}"]')

    assert "<audio" not in output
    assert "<source" not in output
    (link,) = parse(output).select("a")
    assert text_of(link) == url


@pytest.mark.parametrize(
    "url", ["/\\\\files.example.com/a.mp3", "javascript:alert(1)", "data:audio/mp3;base64,AA"]
)
def test_audio_from_a_url_that_is_neither_local_nor_http_shows_nothing(url):
    # In shortcode attributes a backslash is written twice.
    assert html(f'[audio src="{url}"]').strip() == ""


def test_audio_as_a_bare_url_like_old_wordpress_posts():
    output = html("[audio https://example.com/blues.mp3]")

    assert "<audio" not in output
    assert one(parse(output), "a").attrs["href"] == "https://example.com/blues.mp3"


def test_video_with_size_and_a_local_poster():
    output = html('[video src="/media/v.mp4" width="640" height="360" poster="/media/v.jpg"]')

    video = one(parse(output), "video")
    assert video.attrs == {
        "controls": "",
        "preload": "metadata",
        "width": "640",
        "height": "360",
        "poster": "/media/v.jpg",
        "src": "/media/v.mp4",
    }
    assert one(video, "a").attrs["href"] == "/media/v.mp4"


def test_video_keeps_local_sources_and_links_the_rest():
    output = html(
        '[video mp4="/media/v.mp4" webm="https://cdn.example.com/v.webm" ogv="/media/v.ogv"'
        ' poster="https://cdn.example.com/p.jpg" width="big"]'
    )

    tree = parse(output)
    video = one(tree, "video")
    assert "poster" not in video.attrs and "width" not in video.attrs
    assert [s.attrs["src"] for s in video.select("source")] == ["/media/v.mp4", "/media/v.ogv"]
    outside = [a for a in tree.select("a") if a.find_parent("video") is None]
    assert [a.attrs["href"] for a in outside] == ["https://cdn.example.com/v.webm"]
    assert "cdn.example.com/p.jpg" not in output


# [embed] and auto-embeds


def test_embed_is_a_plain_link_in_its_paragraph():
    output = html("[embed]https://www.youtube.com/watch?v=abc[/embed]")

    assert output.strip() == (
        '<p><a href="https://www.youtube.com/watch?v=abc">https://www.youtube.com/watch?v=abc</a></p>'
    )


def test_a_url_alone_on_its_line_becomes_a_link():
    output = html("Watch this:\n\nhttps://vimeo.com/123?a=1&b=2\n\nGreat, no?")

    tree = parse(output)
    assert [text_of(p) for p in tree.select("p")] == [
        "Watch this:",
        "https://vimeo.com/123?a=1&b=2",
        "Great, no?",
    ]
    assert one(tree, "p > a").attrs["href"] == "https://vimeo.com/123?a=1&b=2"
    assert "<iframe" not in output


def test_a_url_inside_a_sentence_is_not_touched():
    output = html("See https://example.com for more.")

    assert "<a" not in output
    assert visible_text(output) == "See https://example.com for more."


# Block editor content


def test_block_comments_go_and_block_html_gets_no_extra_paragraphs():
    body = (
        "<!-- wp:paragraph -->\n<p>First line\nsame paragraph</p>\n<!-- /wp:paragraph -->\n\n"
        '<!-- wp:image {"id":12,"sizeSlug":"large"} -->\n'
        '<figure class="wp-block-image size-large"><img src="/a.jpg" alt="A"/></figure>\n'
        "<!-- /wp:image -->\n\n"
        '<!-- wp:latest-posts {"postsToShow":3} /-->'
    )

    rendered = render(body)
    assert "<!--" not in rendered
    assert "<br" not in rendered  # WordPress runs no wpautop on block content.
    output = html(body)
    tree = parse(output)
    assert [text_of(p) for p in tree.select("p")] == ["First line same paragraph"]
    assert one(tree, "figure.wp-block-image img").attrs["src"] == "/a.jpg"


def test_shortcodes_work_inside_block_content():
    body = '<!-- wp:shortcode -->\n[audio src="/media/a.mp3"]\n<!-- /wp:shortcode -->'

    assert one(parse(html(body)), "audio").attrs["src"] == "/media/a.mp3"


def test_the_more_tag_leaves_no_empty_paragraph():
    output = html("Teaser.\n\n<!--more-->\n\nThe rest.")

    assert [text_of(p) for p in parse(output).select("p")] == ["Teaser.", "The rest."]


# What counts as a file of this site


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("/media/a.mp3", True),
        ("/a b.mp3", False),
        ("media/a.mp3", False),
        ("//evil.example/a.mp3", False),
        ("/\\evil.example/a.mp3", False),
        ("/\t/evil.example/a.mp3", False),
        ("https://evil.example/a.mp3", False),
        ("javascript:alert(1)", False),
        (" /media/a.mp3", False),
        ("", False),
    ],
)
def test_is_local_url(url, local):
    assert is_local_url(url) is local
