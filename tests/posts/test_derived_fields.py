"""
What a post's body gives (the article with heading ids and responsive images,
the table of contents, the summary, the word count) is worked out when the
post, or an image it shows, is saved: a page view only prints stored fields.
"""

import pytest
from bleach import html5lib_shim
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.template import engines
from django.utils import timezone

from blog import markup
from blog.media import html as media_html
from blog.media import signals as media_signals
from blog.media.models import Image, Rendition
from blog.posts import derived
from blog.posts.models import Post
from blog.sitesettings.models import SiteSettings
from tests.factories import PageFactory, PostFactory
from tests.helpers import one, page, text_of
from tests.media.factories import ImageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo():
    return ImageFactory(size=(1000, 600), alt_text="Boats")


def article_body(image):
    return (
        "The *first* paragraph, which lists show.\n\n"
        "## Harbour\n\n"
        f"![Boats at dawn]({image.url})\n\n"
        "## Market\n\n"
        "### Fish\n\n"
        "See [the harbour](#harbour).\n\n"
        "## Harbour\n"
    )


def srcset_widths(srcset):
    return [int(candidate.rsplit(" ", 1)[1].removesuffix("w")) for candidate in srcset.split(", ")]


def toc_entries(response):
    nav = one(page(response), 'nav[aria-label="Table of contents"]')
    return [
        (text_of(li.find("a")), [text_of(a) for a in li.select(":scope ol a")])
        for li in nav.find("ol").find_all("li", recursive=False)
    ]


def refuse(name):
    def refused(*args, **kwargs):
        raise AssertionError(f"{name} ran during a page view")

    return refused


@pytest.fixture
def no_html_processing(monkeypatch):
    """Every step of the body pipeline, and any HTML parser at all, refuses to run."""
    # Template libraries import these by name when the engine starts: they are
    # loaded before anything is replaced, so no other test sees a replacement.
    engines["django"].engine.template_libraries  # noqa: B018
    for target, name in [
        (markup, "render_post"),
        (markup, "outline"),
        (markup, "_parse"),
        (markup, "article"),
        (markup, "count_words"),
        (media_html, "responsive_images"),
        (media_html, "library_pictures"),
        (derived, "derive"),
        (derived, "responsive_images"),
        (html5lib_shim, "HTMLParser"),
        (html5lib_shim, "BleachHTMLParser"),
    ]:
        monkeypatch.setattr(target, name, refuse(f"{target.__name__}.{name}"))


def test_a_post_saved_once_is_shown_with_no_html_processing(client, photo, request):
    SiteSettings.objects.update_or_create(pk=1, defaults={"feed_full_text": True})
    post = PostFactory(title="At the harbour", body=article_body(photo))
    a_page = PageFactory(title="About", body=f"## Who\n\n![Boats]({photo.url})\n")
    request.getfixturevalue("no_html_processing")

    response = client.get(post.get_absolute_url())

    assert response.status_code == 200
    assert toc_entries(response) == [("Harbour", []), ("Market", ["Fish"]), ("Harbour", [])]
    nav = one(page(response), 'nav[aria-label="Table of contents"]')
    headings = page(response).select(".entry-content h2, .entry-content h3")
    assert [a["href"] for a in nav.select("a")] == [f"#{h['id']}" for h in headings]
    assert [h["id"] for h in headings] == [
        "section-harbour",
        "section-market",
        "section-fish",
        "section-harbour-2",
    ]
    # The link to Markdown's old id follows the heading's new one.
    assert one(page(response), '.entry-content a[href^="#"]')["href"] == "#section-harbour"
    source = one(page(response), ".entry-content picture source")
    assert srcset_widths(source["srcset"]) == [480, 800, 1000]
    img = one(page(response), ".entry-content picture img")
    assert (img["width"], img["height"], img["alt"]) == ("1000", "600", "Boats at dawn")
    description = one(page(response), 'meta[name="description"]')["content"]
    assert description == "The first paragraph, which lists show."
    assert text_of(one(page(response), "p.reading-time")) == "1 min read"

    page_response = client.get(a_page.get_absolute_url())
    assert page_response.status_code == 200
    assert one(page(page_response), ".entry-content h2")["id"] == "section-who"
    assert one(page(page_response), ".entry-content picture source")["srcset"]

    home = client.get("/")
    assert text_of(one(page(home), ".post-summary p.excerpt")) == (
        "The first paragraph, which lists show."
    )
    feed = client.get("/feed/")
    assert feed.status_code == 200
    assert b"srcset" in feed.content
    assert b"The first paragraph, which lists show." in feed.content


def test_the_derived_fields_follow_every_save():
    post = PostFactory(body="One two three.\n\n## A\n\n## B\n\n## C\n")
    assert [entry["text"] for entry in post.toc] == ["A", "B", "C"]
    assert (post.summary, post.word_count, post.reading_time) == ("One two three.", 6, 1)

    post.body = "Only text now. " + "word " * 400
    post.save()
    post.refresh_from_db()
    assert post.toc == []
    assert 'id="' not in post.content_html
    assert post.word_count == 403
    assert post.reading_time == 3
    assert post.summary.startswith("Only text now. word word")
    assert post.summary.endswith("…")

    post.excerpt = "Hand written."
    post.save(update_fields=["excerpt"])
    post.refresh_from_db()
    assert post.summary == "Hand written."

    post.password = "open sesame"
    post.save()
    post.refresh_from_db()
    assert post.summary == "There is no excerpt because this is a protected post."


def test_a_protected_post_shows_no_text_in_lists_or_its_description(client):
    post = PostFactory(body="Secret first paragraph.", password="open sesame")

    response = client.get(post.get_absolute_url())

    assert "Secret first paragraph" not in response.text
    assert "protected post" in one(page(response), 'meta[name="description"]')["content"]


def add_rendition(image, width, image_format="WEBP"):
    rendition = Rendition(image=image, width=width, height=width * 6 // 10, format=image_format)
    rendition.file.save(f"extra-{width}w.webp", ContentFile(b"RIFF....WEBP"), save=False)
    rendition.save()
    return rendition


def test_new_renditions_of_an_image_update_the_posts_that_show_it(
    client, photo, django_capture_on_commit_callbacks
):
    post = PostFactory(body=f"![Boats]({photo.url})")
    other = PostFactory(body="No pictures here.")
    other_before = Post.objects.values_list("content_html", "updated_at").get(pk=other.pk)
    sent = []

    def count(sender, image, url, **kwargs):
        sent.append(url)

    media_signals.image_changed.connect(count)
    try:
        image = Image.objects.get(pk=photo.pk)  # as the admin or a command would load it
        with django_capture_on_commit_callbacks(execute=True):
            add_rendition(image, 640)
            add_rendition(image, 320)
    finally:
        media_signals.image_changed.disconnect(count)

    # One signal for the image, however many renditions changed with it.
    assert sent == [photo.url]
    post.refresh_from_db()
    response = client.get(post.get_absolute_url())
    source = one(page(response), ".entry-content picture source")
    assert srcset_widths(source["srcset"]) == [320, 480, 640, 800, 1000]
    assert Post.objects.values_list("content_html", "updated_at").get(pk=other.pk) == (other_before)

    with django_capture_on_commit_callbacks(execute=True):
        image.renditions.all().delete()

    post.refresh_from_db()
    img = one(page(client.get(post.get_absolute_url())), ".entry-content img")
    assert img.find_parent("picture") is None
    assert srcset_widths(img["srcset"]) == [1000]  # the original alone


def test_a_new_image_searches_no_posts(django_capture_on_commit_callbacks):
    sent = []

    def count(sender, **kwargs):
        sent.append(kwargs["url"])

    media_signals.image_changed.connect(count)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            ImageFactory(size=(900, 600))
    finally:
        media_signals.image_changed.disconnect(count)

    assert sent == []


def test_a_rolled_back_change_sends_nothing(photo, django_capture_on_commit_callbacks):
    from django.db import transaction

    image = Image.objects.get(pk=photo.pk)
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                add_rendition(image, 640)
                raise RuntimeError
        except RuntimeError:
            pass
        add_rendition(image, 320)

    # The rolled-back rendition's signal went with it; the later one still waits.
    assert len(callbacks) == 1


# -- The data migration ---------------------------------------------------------

# Users as they were then too: the historical User model has no author slug column.
BEFORE = [("posts", "0008_body_help_text"), ("accounts", "0002_roles")]


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_fills_the_fields_of_existing_posts():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    try:
        user = old.get_model("accounts", "User").objects.create(username="old")
        image = old.get_model("media", "Image").objects.create(
            file="images/2020/01/harbour.jpg", alt_text="Harbour", width=1200, height=800,
            format="JPEG",
        )  # fmt: skip
        old.get_model("media", "Rendition").objects.create(
            image=image, width=480, height=320, format="WEBP",
            file="images/2020/01/renditions/harbour-480w.webp",
        )  # fmt: skip
        storage = Image._meta.get_field("file").storage
        body = (
            f"Old text here.\n\n## One\n\n![Harbour]({storage.url(image.file)})\n\n"
            "## Two\n\n## Three\n"
        )
        OldPost = old.get_model("posts", "Post")
        common = {"author": user, "status": "published", "published_at": timezone.now()}
        OldPost.objects.create(
            title="Old", slug="old", body=body, body_html=markup.render_post(body), **common
        )
        OldPost.objects.create(
            title="Locked", slug="locked", body="Secret.", body_html="<p>Secret.</p>",
            password="pw", **common,
        )  # fmt: skip
        OldPost.objects.create(
            title="Old page", slug="old-page", path="old-page", kind="page", body="Page text.",
            body_html="<p>Page text.</p>", excerpt="By hand.", **common,
        )  # fmt: skip
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)

    post = Post.objects.get(slug="old")
    assert [entry["text"] for entry in post.toc] == ["One", "Two", "Three"]
    assert 'id="section-one"' in post.content_html
    assert "harbour-480w.webp 480w" in post.content_html
    assert post.summary == "Old text here."
    assert post.word_count == 6
    locked = Post.objects.get(slug="locked")
    assert locked.summary == derived.PROTECTED_SUMMARY
    assert locked.content_html == "<p>Secret.</p>"
    assert Post.any_kind.get(slug="old-page").summary == "By hand."
