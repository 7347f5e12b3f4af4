"""The JSON endpoints behind the post editor's image button."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog.media import processing
from blog.media.models import Image
from tests.media.conftest import staff_with
from tests.media.factories import ImageFactory, image_upload, upload

pytestmark = pytest.mark.django_db

LIBRARY = reverse("admin:media_image_library")
UPLOAD = reverse("admin:media_image_upload")


def test_the_urls_live_under_the_image_admin():
    assert LIBRARY == "/admin/media/image/library/"
    assert UPLOAD == "/admin/media/image/upload/"


def test_the_library_lists_images_newest_first(author_client):
    older = ImageFactory(alt_text="Older [draft]", size=(1000, 600))
    newer = ImageFactory(alt_text="Newer", size=(300, 200))

    response = author_client.get(LIBRARY)

    assert response.status_code == 200
    images = response.json()["images"]
    assert [i["id"] for i in images] == [newer.pk, older.pk]
    assert images[1] == {
        "id": older.pk,
        "url": older.url,
        "thumbnail": older.renditions.get(width=480, format="WEBP").url,
        "alt": "Older [draft]",
        "width": 1000,
        "height": 600,
        "markdown": f"![Older \\[draft\\]]({older.url})",
    }
    assert images[0]["thumbnail"] == newer.renditions.get().url  # its only rendition


def test_the_library_searches_and_stops_at_sixty_in_constant_queries(author_client):
    def library_queries():
        with CaptureQueriesContext(connection) as queries:
            response = author_client.get(LIBRARY)
        return response.json()["images"], len(queries)

    ImageFactory(alt_text="A lighthouse", size=(40, 30))
    _images, few = library_queries()
    for n in range(61):
        ImageFactory(alt_text=f"Tiny {n}", size=(40, 30))

    images, many = library_queries()
    assert len(images) == 60
    assert many == few
    found = author_client.get(LIBRARY, {"q": "lighthouse"}).json()["images"]
    assert [i["alt"] for i in found] == ["A lighthouse"]


def test_the_library_needs_view_permission(client):
    client.force_login(staff_with(username="nobody"))

    response = client.get(LIBRARY)

    assert response.status_code == 403
    assert response.json() == {"error": "You may not see the media library."}


def test_the_library_sends_anonymous_visitors_to_log_in(client):
    response = client.get(LIBRARY)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_an_upload_answers_201_with_markdown_to_insert(author_client, author):
    response = author_client.post(
        UPLOAD, {"file": image_upload("PNG", (900, 300), name="chart.png"), "alt_text": "A chart"}
    )

    assert response.status_code == 201
    image = Image.objects.get()
    assert image.uploaded_by == author
    assert response.json() == {
        "id": image.pk,
        "url": image.url,
        "thumbnail": image.renditions.get(width=480, format="WEBP").url,
        "alt": "A chart",
        "width": 900,
        "height": 300,
        "markdown": f"![A chart]({image.url})",
    }
    assert image.url.endswith("/chart.png")


def test_a_refused_upload_answers_400_with_every_field_error(author_client, stored_files):
    response = author_client.post(UPLOAD, {"file": upload(b"%PDF-1.4", "a.jpg"), "alt_text": ""})

    assert response.status_code == 400
    assert response.json() == {
        "errors": {
            "file": [processing.NOT_ACCEPTED],
            "alt_text": ["This field is required."],
        }
    }
    assert stored_files() == []


def test_an_upload_without_a_file_says_so(author_client):
    response = author_client.post(UPLOAD, {"alt_text": "Something"})

    assert response.status_code == 400
    assert response.json() == {"errors": {"file": ["This field is required."]}}


def test_uploading_needs_add_permission(client, stored_files):
    client.force_login(staff_with("view_image", username="viewer"))

    response = client.post(UPLOAD, {"file": image_upload("PNG", (50, 50)), "alt_text": "x"})

    assert response.status_code == 403
    assert response.json() == {"error": "You may not upload images."}
    assert Image.objects.count() == 0
    assert stored_files() == []


def test_uploading_needs_post_and_a_csrf_token(author, stored_files):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(author)

    assert client.get(UPLOAD).status_code == 405
    response = client.post(UPLOAD, {"file": image_upload("PNG", (50, 50)), "alt_text": "x"})
    assert response.status_code == 403
    assert stored_files() == []
