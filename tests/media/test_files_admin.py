"""Audio, video and PDFs in the admin: uploading by role, listing, what to paste, deleting."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from blog.accounts.roles import AUTHOR, CONTRIBUTOR, EDITOR
from blog.media.models import MediaFile
from tests.factories import RoleUserFactory
from tests.helpers import one, page, text_of
from tests.media.factories import MediaFileFactory, sample_upload, upload

pytestmark = pytest.mark.django_db

ADD = reverse("admin:media_mediafile_add")
CHANGELIST = reverse("admin:media_mediafile_changelist")
ALLOWED = (
    "We accept audio (MP3, M4A, Ogg, WAV or FLAC), video (MP4, WebM or Ogg) and PDF documents."
)


def change_url(media_file):
    return reverse("admin:media_mediafile_change", args=[media_file.pk])


def delete_url(media_file):
    return reverse("admin:media_mediafile_delete", args=[media_file.pk])


@pytest.fixture(autouse=True)
def _file_limits(settings):
    settings.BLOG_AUDIO_MAX_BYTES = 50 * 2**20
    settings.BLOG_VIDEO_MAX_BYTES = 200 * 2**20
    settings.BLOG_DOCUMENT_MAX_BYTES = 20 * 2**20


def logged_in(client, role):
    user = RoleUserFactory(role=role, username=f"{role.lower()}-user")
    client.force_login(user)
    return user


# -- uploading --------------------------------------------------------------------


@pytest.mark.parametrize("role", [AUTHOR, EDITOR])
def test_authors_and_editors_upload_through_the_admin(client, role, stored_files):
    user = logged_in(client, role)
    assert client.get(ADD).status_code == 200

    response = client.post(ADD, {"file": sample_upload("mp3", "Episode 1.mp3"), "title": "Ep 1"})

    assert response.status_code == 302
    media_file = MediaFile.objects.get()
    assert (media_file.title, media_file.kind, media_file.mime_type) == (
        "Ep 1",
        "audio",
        "audio/mpeg",
    )
    assert (media_file.file_size, media_file.original_name, media_file.uploaded_by) == (
        1024,
        "Episode 1.mp3",
        user,
    )
    assert stored_files() == [media_file.file.name]
    assert media_file.file.name.endswith("/episode-1.mp3")


def test_contributors_may_not_upload_or_see_files(client, stored_files):
    logged_in(client, CONTRIBUTOR)
    media_file = MediaFileFactory()
    before = stored_files()

    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {"file": sample_upload("pdf"), "title": "x"}).status_code == 403
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(media_file)).status_code == 403
    assert MediaFile.objects.count() == 1
    assert stored_files() == before


def test_the_roles_hold_the_file_permissions():
    permissions = {
        name: set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        for name in (CONTRIBUTOR, AUTHOR, EDITOR)
    }
    own = {"view_mediafile", "add_mediafile", "change_mediafile", "delete_mediafile"}

    assert permissions[CONTRIBUTOR] & own == set()
    assert permissions[AUTHOR] & own == own - {"delete_mediafile"}
    assert permissions[EDITOR] & own == own


def test_a_blank_title_becomes_the_file_name(client):
    logged_in(client, AUTHOR)

    client.post(ADD, {"file": sample_upload("pdf", "annual_report-2026.pdf"), "title": ""})

    assert MediaFile.objects.get().title == "annual report 2026"


def test_the_upload_form_is_multipart_and_says_what_it_takes(client):
    logged_in(client, AUTHOR)

    form = one(page(client.get(ADD)), "form#mediafile_form")

    assert form["enctype"] == "multipart/form-data"
    accept = one(form, "input[type=file][name=file]")["accept"].split(",")
    assert {".mp3", ".pdf", ".webm", "audio/mpeg", "application/pdf", "video/mp4"} <= set(accept)
    assert not [a for a in accept if "html" in a or "svg" in a or a.startswith("image/")]
    assert (
        "Audio (MP3, M4A, Ogg, WAV, FLAC) up to 50 MB, video (MP4, WebM, Ogg) up to 200 MB, "
        "PDF documents up to 20 MB." in text_of(form)
    )


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (
            upload(b"%PDF-1.4 <html><script>alert(1)</script>", "page.html", "application/pdf"),
            f"“.html” files are not accepted. {ALLOWED}",
        ),
        (
            upload(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.svg", "image/svg+xml"),
            f"“.svg” files are not accepted. {ALLOWED}",
        ),
        (
            sample_upload("pdf", "song.mp3"),
            f"The file's content is not MP3 audio, as “.mp3” says. {ALLOWED}",
        ),
    ],
    ids=["html", "svg", "pdf-as-mp3"],
)
def test_a_refused_upload_shows_why_and_keeps_the_title(client, stored_files, file, message):
    logged_in(client, AUTHOR)

    response = client.post(ADD, {"file": file, "title": "Kept title"})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"] == [message]
    assert message in text_of(page(response))
    assert one(page(response), "input[name=title]")["value"] == "Kept title"
    assert MediaFile.objects.count() == 0
    assert stored_files() == []


def test_an_oversize_upload_is_refused_with_the_limit(client, settings, stored_files):
    settings.BLOG_VIDEO_MAX_BYTES = 2**20
    logged_in(client, AUTHOR)

    response = client.post(ADD, {"file": sample_upload("mp4", size=3 * 2**20), "title": "Film"})

    assert response.context["adminform"].form.errors["file"] == [
        "The file is 3 MB; the limit for video files is 1 MB."
    ]
    assert stored_files() == []


def test_an_empty_upload_is_refused(client, stored_files):
    logged_in(client, AUTHOR)

    response = client.post(ADD, {"file": upload(b"", "empty.pdf", "application/pdf"), "title": "x"})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"]
    assert MediaFile.objects.count() == 0
    assert stored_files() == []


# -- listing and showing ----------------------------------------------------------


def test_the_list_shows_title_kind_size_uploader_and_date(client):
    user = logged_in(client, AUTHOR)
    MediaFileFactory(title="Quarterly report", sample="pdf", uploaded_by=user)

    response = client.get(CHANGELIST)

    row = text_of(one(page(response), "#result_list tbody tr"))
    assert "Quarterly report" in row
    assert "Document" in row
    assert "1.0 KB" in row
    assert "author-user" in row
    headers = text_of(one(page(response), "#result_list thead"))
    assert all(h in headers for h in ("Title", "Kind", "Size", "Uploaded by", "Created at"))


def test_the_list_filters_by_kind_and_searches_titles(client):
    logged_in(client, AUTHOR)
    MediaFileFactory(title="Morning podcast", sample="mp3")
    MediaFileFactory(title="Launch video", sample="webm")
    MediaFileFactory(title="Price list", sample="pdf")

    def titles(**query):
        response = client.get(CHANGELIST, query)
        return {text_of(a) for a in page(response).select("#result_list tbody th a")}

    assert titles(kind="audio") == {"Morning podcast"}
    assert titles(kind="video") == {"Launch video"}
    assert titles(kind="document") == {"Price list"}
    assert titles(q="launch") == {"Launch video"}
    filters = text_of(one(page(client.get(CHANGELIST)), "#changelist-filter"))
    assert all(kind in filters for kind in ("Audio", "Video", "Document"))


@pytest.mark.parametrize(("sample", "tag"), [("mp3", "audio"), ("webm", "video")])
def test_the_change_view_shows_the_url_and_the_shortcode_to_paste(client, sample, tag):
    logged_in(client, AUTHOR)
    media_file = MediaFileFactory(sample=sample)

    tree = page(client.get(change_url(media_file)))

    link = one(tree, f'a[href="{media_file.url}"]')
    assert text_of(link) == media_file.url
    assert media_file.url.startswith("/media/files/")
    assert one(tree, f"{tag}.media-player")["src"] == media_file.url
    snippets = [text_of(code) for code in tree.select(".media-snippets code")]
    assert snippets == [f'[{tag} src="{media_file.url}"]']


def test_the_change_view_shows_a_markdown_and_an_html_link_for_documents(client):
    logged_in(client, AUTHOR)
    media_file = MediaFileFactory(sample="pdf", title='Prices [2026] <b>"new"</b> & more')

    response = client.get(change_url(media_file))

    snippets = [text_of(code) for code in page(response).select(".media-snippets code")]
    url = media_file.url
    assert snippets == [
        f'[Prices \\[2026\\] <b>"new"</b> & more]({url})',
        f'<a href="{url}">Prices [2026] &lt;b&gt;&quot;new&quot;&lt;/b&gt; &amp; more</a>',
    ]
    # Shown as text to copy, never rendered: no <b> or extra link in the page.
    assert not page(response).select(".media-snippets b, .media-snippets a")
    assert "application/pdf" in text_of(page(response))


def test_the_change_view_edits_the_title_but_not_the_file(client):
    author = logged_in(client, AUTHOR)
    media_file = MediaFileFactory(title="Old", uploaded_by=author)
    name = media_file.file.name

    response = client.post(change_url(media_file), {"title": "New", "file": sample_upload("mp3")})

    assert response.status_code == 302
    media_file.refresh_from_db()
    assert (media_file.title, media_file.file.name, media_file.kind) == ("New", name, "document")


# -- deleting ---------------------------------------------------------------------


def test_authors_may_not_delete(client, stored_files):
    logged_in(client, AUTHOR)
    media_file = MediaFileFactory()

    assert client.post(delete_url(media_file), {"post": "yes"}).status_code == 403
    assert MediaFile.objects.filter(pk=media_file.pk).exists()
    assert stored_files() == [media_file.file.name]


def test_an_editor_deletes_a_file_and_it_leaves_storage_after_commit(
    client, stored_files, django_capture_on_commit_callbacks
):
    logged_in(client, EDITOR)
    media_file, other = MediaFileFactory(sample="mp3"), MediaFileFactory(sample="pdf")
    before = stored_files()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(delete_url(media_file), {"post": "yes"})
    assert response.status_code == 302
    assert not MediaFile.objects.filter(pk=media_file.pk).exists()
    assert stored_files() == before  # nothing goes before the transaction commits

    for callback in callbacks:
        callback()
    assert stored_files() == [other.file.name]


def test_bulk_delete_removes_the_files(client, stored_files, django_capture_on_commit_callbacks):
    logged_in(client, EDITOR)
    chosen = [MediaFileFactory(sample="webm"), MediaFileFactory(sample="flac")]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST,
            {
                "action": "delete_selected",
                "_selected_action": [str(f.pk) for f in chosen],
                "post": "yes",
            },
        )

    assert response.status_code == 302
    assert MediaFile.objects.count() == 0
    assert stored_files() == []


def test_a_file_a_post_or_page_links_to_is_not_deleted(client, stored_files):
    from tests.factories import PageFactory, PostFactory

    logged_in(client, EDITOR)
    media_file = MediaFileFactory(sample="mp3")
    PostFactory(title="Episode one", body=f'[audio src="{media_file.url}"]', body_format="html")
    PageFactory(title="Downloads", body=f"[The recording]({media_file.url})")

    shown = client.get(change_url(media_file))
    assert sorted(a.text for a in page(shown).select(".media-usages a")) == [
        "Downloads",
        "Episode one",
    ]
    response = client.post(delete_url(media_file), {"post": "yes"}, follow=True)
    assert (
        "can&#x27;t be deleted. Used by:" in response.text
        or "can't be deleted. Used by:" in response.text
    )
    assert MediaFile.objects.filter(pk=media_file.pk).exists()
    refused = client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [str(media_file.pk)], "post": "yes"},
        follow=True,
    )
    assert "can't be deleted" in text_of(page(refused).select_one(".messagelist"))
    assert stored_files() == [media_file.file.name]
