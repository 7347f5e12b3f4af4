"""
Whose library files a role may change: Authors only their own images and files
(alt text, caption, title), Editors and Administrators anyone's, as WordPress
rules it. Everyone who may see the library still sees, and can use, the rest.
"""

import pytest
from django.urls import reverse

from blog.accounts.roles import ADMINISTRATOR, AUTHOR, CONTRIBUTOR, EDITOR
from tests.factories import RoleUserFactory
from tests.helpers import page
from tests.media.factories import ImageFactory, MediaFileFactory

pytestmark = pytest.mark.django_db


def image_url(image):
    return reverse("admin:media_image_change", args=[image.pk])


def file_url(media_file):
    return reverse("admin:media_mediafile_change", args=[media_file.pk])


@pytest.fixture
def owner():
    return RoleUserFactory(username="olive-owner", role=AUTHOR)


@pytest.fixture
def image(owner):
    return ImageFactory(alt_text="A red bicycle", caption="Mine", uploaded_by=owner)


@pytest.fixture
def media_file(owner):
    return MediaFileFactory(title="Annual report", uploaded_by=owner)


def logged_in(client, role, username="someone-else"):
    client.force_login(RoleUserFactory(username=username, role=role))
    return client


def test_an_author_cannot_change_another_authors_alt_text(client, image):
    logged_in(client, AUTHOR)

    response = client.post(image_url(image), {"alt_text": "Vandalised", "caption": "Gone"})

    assert response.status_code == 403
    image.refresh_from_db()
    assert (image.alt_text, image.caption) == ("A red bicycle", "Mine")


def test_an_author_sees_another_authors_image_read_only(client, image):
    logged_in(client, AUTHOR)

    response = client.get(image_url(image))

    assert response.status_code == 200
    tree = page(response)
    assert tree.select('[name="alt_text"]') == []
    assert tree.select('input[type="submit"][name="_save"]') == []
    assert "A red bicycle" in response.text
    # ...and can still find it in the post editor's image picker.
    library = client.get(reverse("admin:media_image_library"), {"q": "bicycle"})
    assert [found["alt"] for found in library.json()["images"]] == ["A red bicycle"]


def test_an_author_cannot_rename_another_authors_file(client, media_file):
    logged_in(client, AUTHOR)

    response = client.post(file_url(media_file), {"title": "Renamed"})

    assert response.status_code == 403
    media_file.refresh_from_db()
    assert media_file.title == "Annual report"


def test_a_contributor_changes_no_library_file(client, image, media_file):
    logged_in(client, CONTRIBUTOR)

    assert client.post(image_url(image), {"alt_text": "x", "caption": ""}).status_code == 403
    assert client.post(file_url(media_file), {"title": "x"}).status_code == 403
    image.refresh_from_db()
    media_file.refresh_from_db()
    assert (image.alt_text, media_file.title) == ("A red bicycle", "Annual report")


def test_an_author_changes_their_own(client, owner, image, media_file):
    client.force_login(owner)

    image_response = client.post(image_url(image), {"alt_text": "A blue bicycle", "caption": ""})
    file_response = client.post(file_url(media_file), {"title": "Annual report 2026"})

    assert (image_response.status_code, file_response.status_code) == (302, 302)
    image.refresh_from_db()
    media_file.refresh_from_db()
    assert (image.alt_text, media_file.title) == ("A blue bicycle", "Annual report 2026")


@pytest.mark.parametrize("role", [EDITOR, ADMINISTRATOR])
def test_editors_and_administrators_change_anyones(client, role, image, media_file):
    logged_in(client, role)

    assert client.post(image_url(image), {"alt_text": "Fixed", "caption": ""}).status_code == 302
    assert client.post(file_url(media_file), {"title": "Fixed too"}).status_code == 302
    image.refresh_from_db()
    media_file.refresh_from_db()
    assert (image.alt_text, media_file.title) == ("Fixed", "Fixed too")
