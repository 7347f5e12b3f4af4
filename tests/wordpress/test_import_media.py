"""
Attachments come from the old uploads folder into the media library, and
every URL of an imported file in imported bodies points at the new file;
a missing file is reported and shown as a link to its old address.
"""

import pytest
from bs4 import BeautifulSoup
from PIL import Image as PILImage

from blog.media.models import Image, MediaFile
from blog.posts.models import Post
from blog.wordpress.importer import import_wxr
from blog.wordpress.models import Origin

from .wxr_builder import item, write, wxr

pytestmark = pytest.mark.django_db

OLD = "https://old.example.com/wp-content/uploads/2020/01"
CDN = "http://cdn.example.net/wp-content/uploads/2020/01"

BODY = f"""<!-- wp:image {{"id":10,"sizeSlug":"large","url":"{OLD}/photo-1024x768.jpg"}} -->
<figure class="wp-block-image"><img src="{OLD}/photo-300x225.jpg" alt="A teal square"
 class="wp-image-10" srcset="{OLD}/photo-300x225.jpg 300w,
 {OLD}/photo-1024x768.jpg 1024w, {OLD}/photo.jpg 1200w"
 sizes="(max-width: 300px) 100vw, 300px" /></figure>
<!-- /wp:image -->

<a href="{CDN}/photo.jpg?w=1200">Full size</a>

[gallery ids="10,11"]

[audio mp3="{OLD}/song.mp3"]

<a href="{OLD}/guide.pdf">The guide</a>

<img src="{OLD}/gone-150x150.jpg" alt="Gone for good" />

<a href="{OLD}/gone.jpg"><img src="{OLD}/gone-300x200.jpg" alt="Linked and gone" /></a>

<img src="/wp-content/uploads/2020/01/gone-100x100.jpg" alt="Root-relative and gone" />

<img src="/wp-content/uploads/2020/01/photo.jpg" alt="Mixed"
 srcset="/wp-content/uploads/2020/01/photo.jpg 1200w, https://elsewhere.example/big.jpg 2400w" />
"""


def attachment(wp_id, name, title, *, attached_file=True):
    meta = [("_wp_attached_file", f"2020/01/{name}")] if attached_file else []
    return item(
        wp_id,
        title,
        post_type="attachment",
        status="inherit",
        attachment_url=f"{OLD}/{name}",
        meta=[*meta, ("_wp_attachment_image_alt", f"{title} (alt)")],
        excerpt=f"{title} caption",
    )


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads"
    month = folder / "2020" / "01"
    month.mkdir(parents=True)
    PILImage.new("RGB", (1200, 900), "teal").save(month / "photo.jpg", quality=90)
    for width, height in ((300, 225), (1024, 768)):
        PILImage.new("RGB", (width, height), "teal").save(month / f"photo-{width}x{height}.jpg")
    (month / "guide.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    return folder


@pytest.fixture
def export(tmp_path):
    text = wxr(
        [
            item(1, "Pictures", body=BODY, meta=[("_thumbnail_id", "10")]),
            attachment(10, "photo.jpg", "Photo"),
            # Found by the path of its URL after uploads/ (no _wp_attached_file).
            attachment(12, "guide.pdf", "Guide", attached_file=False),
            attachment(11, "gone.jpg", "Gone"),
            attachment(13, "song.mp3", "Song"),
        ]
    )
    return write(tmp_path, text)


def test_found_files_are_imported_and_every_url_rewritten(export, uploads):
    report = import_wxr(export, media_dir=uploads)

    image = Image.objects.get()
    assert image.alt_text == "Photo (alt)"
    assert image.caption == "Photo caption"
    assert image.renditions.exists()
    guide = MediaFile.objects.get()
    assert guide.title == "Guide"
    assert report.count("attachments", "imported") == 2
    post = Post.objects.get()
    assert post.featured_image == image

    # Original, size variants, srcset, block attributes, a second host.
    assert "photo" not in post.body.replace(image.url, "").replace("wp-image", "")
    assert "cdn.example.net" not in post.body
    assert post.body.count(image.url) == 7
    assert f'"url":"{image.url}"' in post.body
    assert f'<a href="{guide.url}">The guide</a>' in post.body
    # The gallery's WordPress ids became library ids; the missing one is dropped.
    assert f'[gallery ids="{image.pk}"]' in post.body
    soup = BeautifulSoup(post.body_html, "html.parser")
    for img in soup.find_all("img"):
        assert img["src"].startswith("/"), img
    assert Origin.objects.get(kind="attachment", wp_id=10).old_path == (
        "/wp-content/uploads/2020/01/photo.jpg"
    )


def test_a_missing_file_is_reported_and_linked_to_its_old_address(export, uploads):
    report = import_wxr(export, media_dir=uploads)

    assert report.count("attachments", "failed") == 2
    warnings = [(kind, name) for kind, name, _ in report.warnings]
    assert ("attachments", "Gone") in warnings
    assert ("attachments", "Song") in warnings
    post = Post.objects.get()
    soup = BeautifulSoup(post.body_html, "html.parser")
    assert not soup.select('img[src*="gone"]')
    link = soup.find("a", string="Gone for good")
    assert link["href"] == f"{OLD}/gone-150x150.jpg"
    # An image inside a link leaves its words inside that link: no nested links.
    outer = soup.find("a", href=f"{OLD}/gone.jpg")
    assert outer.text == "Linked and gone"
    assert not outer.find("a")
    relative = soup.find("a", string="Root-relative and gone")
    assert relative["href"] == "/wp-content/uploads/2020/01/gone-100x100.jpg"
    mixed = soup.find("img", alt="Mixed")
    assert mixed["src"] == Image.objects.get().url
    assert not mixed.get("srcset")
    [message] = [m for kind, name, m in report.warnings if kind == "posts"]
    assert "gone-150x150.jpg" in message and "gone-300x200.jpg" in message


def test_without_a_media_folder_every_attachment_is_missing(export):
    report = import_wxr(export)
    assert report.count("attachments", "failed") == 4
    assert not Image.objects.exists()
    post = Post.objects.get()
    assert post.featured_image is None
    soup = BeautifulSoup(post.body_html, "html.parser")
    assert not soup.find_all("img")


def test_a_path_outside_the_media_folder_is_never_read(tmp_path, uploads):
    (tmp_path / "private.jpg").write_bytes((uploads / "2020/01/photo.jpg").read_bytes())
    text = wxr(
        [
            item(
                10,
                "Sneaky",
                post_type="attachment",
                status="inherit",
                attachment_url="https://old.example.com/wp-content/uploads/../../private.jpg",
                meta=[("_wp_attached_file", "../private.jpg")],
            )
        ]
    )
    report = import_wxr(write(tmp_path, text), media_dir=uploads)
    assert report.count("attachments", "failed") == 1
    assert not Image.objects.exists()


def test_a_second_run_reuses_the_imported_files(export, uploads):
    import_wxr(export, media_dir=uploads)
    report = import_wxr(export, media_dir=uploads)
    assert Image.objects.count() == 1
    assert report.count("attachments", "skipped") == 2
    assert report.count("posts", "skipped") == 1


def test_the_wp_content_folder_around_uploads_works_too(export, uploads):
    report = import_wxr(export, media_dir=uploads.parent)
    assert report.count("attachments", "imported") == 2
