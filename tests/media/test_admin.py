"""The media library in the admin: uploading, listing, and deleting only what no post uses."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from blog.media.models import Image, Rendition
from tests.helpers import one, page, text_of
from tests.media.conftest import staff_with
from tests.media.factories import ImageFactory, image_upload, phone_photo, upload

pytestmark = pytest.mark.django_db

ADD = reverse("admin:media_image_add")
CHANGELIST = reverse("admin:media_image_changelist")


def change_url(image):
    return reverse("admin:media_image_change", args=[image.pk])


def delete_url(image):
    return reverse("admin:media_image_delete", args=[image.pk])


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def bulk_delete(client, images, confirm=True):
    data = {"action": "delete_selected", "_selected_action": [str(i.pk) for i in images]}
    if confirm:
        data["post"] = "yes"
    return client.post(CHANGELIST, data, follow=True)


def test_an_author_uploads_an_image_with_its_alt_text(author_client, author, stored_files):
    response = author_client.post(
        ADD,
        {"file": upload(phone_photo((1000, 750)), "IMG_1.jpg"), "alt_text": "Sea", "caption": ""},
    )

    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.alt_text, image.uploaded_by, image.format) == ("Sea", author, "JPEG")
    assert (image.width, image.height) == (750, 1000)
    assert len(stored_files()) == 1 + image.renditions.count()


def test_the_upload_form_is_multipart_and_asks_for_images(author_client):
    response = author_client.get(ADD)

    form = one(page(response), "form#image_form")
    assert form["enctype"] == "multipart/form-data"
    assert one(form, "input[type=file][name=file]")["accept"] == (
        "image/jpeg,image/png,image/webp,image/gif"
    )
    assert one(form, "input[name=alt_text]").has_attr("required")
    assert "JPEG, PNG, WebP or GIF, up to 10 MB and 40 megapixels." in text_of(form)


def test_the_changelist_shows_thumbnails_sizes_and_uploaders(author_client, author):
    image = ImageFactory(size=(1000, 500), alt_text='Quotes " & <tags>', uploaded_by=author)

    response = author_client.get(CHANGELIST)

    thumbnail = one(page(response), "img.media-thumbnail")
    smallest_webp = image.renditions.get(width=480, format="WEBP")
    assert thumbnail["src"] == smallest_webp.url
    assert (thumbnail["alt"], thumbnail["width"], thumbnail["height"]) == (
        'Quotes " & <tags>',
        "80",
        "40",
    )
    row = text_of(one(page(response), "#result_list tbody tr"))
    assert "1000 × 500 · JPEG" in row
    assert "anne-author" in row
    assert '<link href="/static/css/admin-media.css"' in response.text


def test_the_changelist_searches_alt_text(author_client):
    ImageFactory(alt_text="A red bicycle")
    ImageFactory(alt_text="A green door")

    response = author_client.get(CHANGELIST, {"q": "bicycle"})

    results = text_of(one(page(response), "#result_list"))
    assert "A red bicycle" in results
    assert "A green door" not in results


def test_the_change_form_edits_alt_text_but_not_the_file(author_client, author):
    image = ImageFactory(alt_text="Old words", uploaded_by=author)
    name = image.file.name

    response = author_client.post(change_url(image), {"alt_text": "New words", "caption": "C"})

    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.alt_text, image.caption, image.file.name) == ("New words", "C", name)


def test_the_change_form_says_where_an_image_is_used(author_client, finder):
    image = ImageFactory()
    finder.uses[image.pk] = [("WhatsApp crashes", "/admin/posts/post/1/change/")]

    response = author_client.get(change_url(image))

    link = one(page(response), "ul.media-usages a")
    assert (text_of(link), link["href"]) == ("WhatsApp crashes", "/admin/posts/post/1/change/")


def test_a_user_without_permission_cannot_upload(client, stored_files):
    client.force_login(staff_with("view_image", username="viewer"))

    response = client.post(ADD, {"file": image_upload("PNG", (50, 50)), "alt_text": "x"})

    assert response.status_code == 403
    assert Image.objects.count() == 0
    assert stored_files() == []


def test_authors_cannot_delete(author_client):
    image = ImageFactory()

    assert author_client.post(delete_url(image), {"post": "yes"}).status_code == 403
    assert Image.objects.filter(pk=image.pk).exists()


def test_deleting_an_image_in_use_is_refused_naming_the_posts(editor_client, finder):
    image = ImageFactory(alt_text="Boats")
    finder.uses[image.pk] = [("WhatsApp crashes", "/a/"), ("Outage, day two", "/b/")]

    for response in (
        editor_client.get(delete_url(image), follow=True),
        editor_client.post(delete_url(image), {"post": "yes"}, follow=True),
    ):
        assert response.redirect_chain[-1][0] == change_url(image)
        assert messages_of(response) == [
            "“Boats” can't be deleted. Used by: WhatsApp crashes, Outage, day two; "
            "remove it from those posts first."
        ]
    assert Image.objects.filter(pk=image.pk).exists()


def test_deleting_an_unused_image_removes_its_files_after_commit(
    editor_client, finder, stored_files, django_capture_on_commit_callbacks
):
    image = ImageFactory()
    other = ImageFactory()
    files_before = stored_files()
    own = {image.file.name, *(r.file.name for r in image.renditions.all())}

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = editor_client.post(delete_url(image), {"post": "yes"})
    assert response.status_code == 302
    assert not Image.objects.filter(pk=image.pk).exists()
    assert not Rendition.objects.filter(image_id=image.pk).exists()
    assert stored_files() == files_before  # nothing goes before the transaction commits

    for callback in callbacks:
        callback()
    assert set(stored_files()) == set(files_before) - own
    assert other.file.name in stored_files()


def test_bulk_delete_is_refused_while_any_selected_image_is_used(editor_client, finder):
    used, unused = ImageFactory(alt_text="Used one"), ImageFactory(alt_text="Free one")
    finder.uses[used.pk] = [("WhatsApp crashes", "/a/")]

    for confirm in (False, True):
        response = bulk_delete(editor_client, [used, unused], confirm=confirm)

        assert messages_of(response) == [
            "“Used one” can't be deleted. Used by: WhatsApp crashes; "
            "remove it from those posts first."
        ]
    assert Image.objects.count() == 2


def test_bulk_delete_of_unused_images_removes_them_and_their_files(
    editor_client, finder, stored_files, django_capture_on_commit_callbacks
):
    images = [ImageFactory(), ImageFactory()]

    confirmation = bulk_delete(editor_client, images, confirm=False)
    assert "Are you sure" in confirmation.text
    with django_capture_on_commit_callbacks(execute=True):
        response = bulk_delete(editor_client, images)

    assert "Successfully deleted 2 images." in messages_of(response)
    assert Image.objects.count() == 0
    assert stored_files() == []


def test_a_rolled_back_delete_keeps_the_files(stored_files, django_capture_on_commit_callbacks):
    from django.db import transaction

    image = ImageFactory()
    pk, before = image.pk, stored_files()

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                image.delete()
                raise RuntimeError("changed my mind")
        except RuntimeError:
            pass

    assert Image.objects.filter(pk=pk).exists()
    assert stored_files() == before
