"""Library images on pages: srcset, sizes and dimensions, in one query."""

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeData, mark_safe

from blog import markup
from blog.media.html import DEFAULT_SIZES, responsive_images
from tests.helpers import balance_problems, one, parse
from tests.media.factories import ImageFactory, image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo():
    return ImageFactory(size=(1000, 600), alt_text="Boats")


def srcset_widths(srcset):
    return [int(candidate.rsplit(" ", 1)[1].removesuffix("w")) for candidate in srcset.split(", ")]


def test_a_library_image_in_a_post_body_gets_srcset_sizes_and_dimensions(photo):
    body = markup.render_post(f'Look:\n\n![Boats & gulls]({photo.url} "At dawn")\n')

    html = responsive_images(body)

    assert balance_problems(html) == []
    picture = one(parse(html), "p > picture")
    source = one(picture, "source")
    img = one(picture, "img")
    assert source["type"] == "image/webp"
    assert srcset_widths(source["srcset"]) == [480, 800, 1000]
    assert all(".webp " in c for c in source["srcset"].split(", "))
    assert source["sizes"] == DEFAULT_SIZES
    assert img["src"] == photo.url
    assert srcset_widths(img["srcset"]) == [480, 800, 1000]
    assert img["srcset"].endswith(f"{photo.url} 1000w")
    assert (img["sizes"], img["width"], img["height"]) == (DEFAULT_SIZES, "1000", "600")
    assert (img["alt"], img["title"]) == ("Boats & gulls", "At dawn")
    assert (img["loading"], img["decoding"]) == ("lazy", "async")


def test_other_images_and_text_are_left_alone(photo):
    body = markup.render_post(
        "Before & after\n\n![Remote](https://example.com/a.jpg)\n\n"
        "![Static](/static/img/demo/whatsapp.jpg)\n\n"
        f"![A rendition]({photo.renditions.first().url})\n\n"
        "![Missing](/media/images/2020/01/gone.jpg)\n"
    )

    assert responsive_images(body) == body


def test_one_query_for_five_images(django_assert_num_queries):
    images = [ImageFactory(size=(600, 400)) for _ in range(5)]
    body = markup.render_post(
        "\n\n".join(f"![Picture {i}]({im.url})" for i, im in enumerate(images))
    )

    with django_assert_num_queries(1):
        html = responsive_images(body)

    assert len(parse(html).select("picture > img[srcset][width][height]")) == 5


def test_no_query_without_library_images(django_assert_num_queries):
    with django_assert_num_queries(0):
        responsive_images(markup.render_post("No pictures here, ![one](https://example.com/x.png)"))


def test_a_webp_original_needs_no_picture_element():
    image = ImageFactory(file=image_upload("WEBP", (900, 600)))

    html = responsive_images(f'<p><img alt="x" src="{image.url}"></p>')

    assert parse(html).select("picture") == []
    img = one(parse(html), "img")
    assert srcset_widths(img["srcset"]) == [480, 800, 900]


def test_authors_own_picture_elements_are_not_touched(photo):
    body = f'<picture><img src="{photo.url}" alt="mine"></picture>'

    assert responsive_images(body) == body


def test_attribute_values_stay_escaped(photo):
    body = markup.render_post(f'<img src="{photo.url}" alt="&quot;&gt;<script>" class="a&b">')

    html = responsive_images(body)

    assert "<script" not in html
    img = one(parse(html), "img")
    assert (img["alt"], img["class"]) == ('"><script>', "a&b")


def test_safety_is_kept_not_granted(photo):
    body = f'<img src="{photo.url}" alt="x">'

    assert isinstance(responsive_images(mark_safe(body)), SafeData)  # noqa: S308
    assert not isinstance(responsive_images(body), SafeData)


def test_the_responsive_images_filter_escapes_unsafe_input(photo):
    template = Template("{% load media_tags %}{{ body|responsive_images }}")
    body = f'<img src="{photo.url}" alt="x">'

    assert "&lt;picture&gt;" in template.render(Context({"body": body}))
    rendered = template.render(Context({"body": mark_safe(body)}))  # noqa: S308
    assert one(parse(rendered), "picture img")["srcset"]


def test_the_template_tag_gives_the_same_markup_for_a_featured_image(photo):
    template = Template(
        '{% load media_tags %}{% responsive_image image sizes="100vw" css_class="hero" %}'
    )

    html = template.render(Context({"image": photo}))

    img = one(parse(html), "picture > img.hero")
    assert (img["src"], img["alt"], img["sizes"]) == (photo.url, "Boats", "100vw")
    assert (img["width"], img["height"]) == ("1000", "600")
    assert srcset_widths(one(parse(html), "source")["srcset"]) == [480, 800, 1000]
    assert template.render(Context({"image": None})) == ""


def test_the_template_tag_uses_prefetched_renditions(photo, django_assert_num_queries):
    from blog.media.models import Image

    images = list(Image.objects.with_renditions())
    template = Template(
        "{% load media_tags %}{% for i in images %}{% responsive_image i %}{% endfor %}"
    )

    with django_assert_num_queries(0):
        template.render(Context({"images": images}))
