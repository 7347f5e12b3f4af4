"""
Malformed, truncated and hostile files import nothing: the error names the
line and column, no row is written, and no media file is left behind.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from PIL import Image as PILImage

from blog.categories.models import Category
from blog.media.models import Image
from blog.posts.models import Post
from blog.wordpress import importer
from blog.wordpress.importer import WXRError, import_wxr
from blog.wordpress.models import Origin, Site

from .wxr_builder import category, item, write, wxr

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&lol3;</title></channel></rss>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&xxe;</title></channel></rss>
"""

NOT_WXR = """<?xml version="1.0" encoding="UTF-8"?>
<!-- an ordinary feed -->
<rss version="2.0"><channel><title>News</title><item><title>Hi</title></item></channel></rss>
"""


def valid_with_media(tmp_path):
    """A good file whose attachment is found, so media would be copied."""
    uploads = tmp_path / "uploads"
    (uploads / "2020" / "01").mkdir(parents=True)
    PILImage.new("RGB", (64, 48), "teal").save(uploads / "2020" / "01" / "photo.jpg")
    text = wxr(
        [
            item(
                10,
                "Photo",
                post_type="attachment",
                status="inherit",
                attachment_url="https://old.example.com/wp-content/uploads/2020/01/photo.jpg",
            ),
            item(1, "Kept back", terms=[("category", "news", "News")]),
        ],
        categories=[category("news", "News", term_id=3)],
    )
    return text, uploads


def nothing_written(settings):
    assert not Post.any_kind.exists()
    assert not Category.objects.exists()
    assert not get_user_model().objects.exists()
    assert not Image.objects.exists()
    assert not Origin.objects.exists()
    assert not Site.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("data", "line", "column", "words"),
    [
        (BILLION_LAUGHS.encode(), 2, 1, "document type declaration"),
        (EXTERNAL_ENTITY.encode(), 2, 1, "document type declaration"),
        (NOT_WXR.encode(), 3, 1, "not a WXR file"),
        (b"<html><body>Hello</body></html>", 1, 1, "not a WXR file"),
        # Declared UTF-8, written in Latin-1.
        (
            wxr([item(1, "Caf\xe9")]).encode("latin-1"),
            None,
            None,
            "Invalid bytes in character encoding",
        ),
        # Declared UTF-16, written in UTF-8.
        (
            wxr([item(1, "A")]).replace('encoding="UTF-8"', 'encoding="UTF-16"').encode(),
            1,
            None,
            "not well-formed",
        ),
        (wxr([item(1, "A")]).encode("utf-16"), 1, 1, "not UTF-8"),
        # An entity no DTD declares (there can be none).
        (wxr([item(1, "&xxe;")]).replace("<![CDATA[&xxe;]]>", "&xxe;").encode(), None, None, "xxe"),
    ],
    ids=[
        "billion-laughs",
        "external-entity",
        "rss-not-wxr",
        "html",
        "latin-1-bytes",
        "utf-16-declared",
        "utf-16-bytes",
        "undeclared-entity",
    ],
)
def test_hostile_and_broken_files_are_refused_with_line_and_column(
    tmp_path, settings, data, line, column, words
):
    path = tmp_path / "export.xml"
    path.write_bytes(data)

    with pytest.raises(WXRError) as refused:
        import_wxr(path)

    error = refused.value
    assert words in str(error)
    assert error.line is not None and error.column is not None
    assert f"line {error.line}, column {error.column}" in str(error)
    if line is not None:
        assert error.line == line
    if column is not None:
        assert error.column == column
    nothing_written(settings)


def test_the_external_file_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    path = write(tmp_path, EXTERNAL_ENTITY.replace("/etc/passwd", str(secret)))
    with pytest.raises(WXRError) as refused:
        import_wxr(path)
    assert "TOP SECRET" not in str(refused.value)


def test_a_truncated_file_imports_nothing_and_leaves_no_media(tmp_path, settings):
    text, uploads = valid_with_media(tmp_path)
    cut = text[: text.index("Kept back") + 5]
    line = cut.count("\n") + 1

    with pytest.raises(WXRError) as refused:
        import_wxr(write(tmp_path, cut), media_dir=uploads)

    assert refused.value.line == line
    assert "line" in str(refused.value) and "column" in str(refused.value)
    nothing_written(settings)


def test_a_failure_half_way_rolls_back_and_removes_copied_media(tmp_path, settings, monkeypatch):
    text, uploads = valid_with_media(tmp_path)

    def explode(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer._Import, "_post", explode)
    with pytest.raises(RuntimeError):
        import_wxr(write(tmp_path, text), media_dir=uploads)

    nothing_written(settings)


def test_a_file_object_is_read_in_two_passes(tmp_path):
    text, _ = valid_with_media(tmp_path)
    report = import_wxr(io.BytesIO(text.encode()))
    assert report.count("posts", "imported") == 1
    assert Post.objects.get().title == "Kept back"
