"""
Media in an S3-compatible bucket: django-storages configured by blog/settings.py from
the environment, against moto's S3 server started for the module. Uploads made in
the admin land in the bucket with their renditions, the media library and the pages
link to the bucket (which serves them, and the pages' CSP lets them load), and
deleting removes the objects.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import pytest
import requests
from django.urls import reverse
from PIL import Image as PILImage
from storages.backends.s3 import S3Storage

from blog.accounts.roles import EDITOR
from blog.media.models import Image, MediaFile
from blog.media.storage import is_stored_file_url, public_origins
from tests.factories import PostFactory, RoleUserFactory
from tests.helpers import one, page
from tests.media.factories import ImageFactory, MediaFileFactory, image_upload, sample_upload

# The storage does not depend on the database: these run once, in the SQLite pass.
pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="media storage does not depend on the database: tested in the SQLite pass",
)

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "blog-media"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}

PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}

PROBE = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({"default": settings.STORAGES["default"], "csp": settings.SECURE_CSP}))
"""


def load_settings(**environ):
    """STORAGES["default"] and SECURE_CSP as blog/settings.py makes them from ``environ``."""
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "blog.settings",
        "DEBUG": "0",
        "SECRET_KEY": "probe",
        "ALLOWED_HOSTS": "example.com",
        **environ,
    }
    # Our own interpreter running our own probe.
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# -- the settings -------------------------------------------------------------------


def test_media_are_local_files_unless_a_bucket_is_named():
    loaded = load_settings()
    assert loaded["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert loaded["csp"]["img-src"] == ["'self'", "data:"]


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"region_name": "eu-west-1"},
        {"region_name": "eu-west-1", "addressing_style": "virtual"},
        {"region_name": "eu-west-1", "addressing_style": "path"},
        {"endpoint_url": "http://127.0.0.1:9000"},
        {"endpoint_url": "https://fra1.example-spaces.com", "addressing_style": "virtual"},
        {"custom_domain": "media.example.com"},
        {"custom_domain": "cdn.example.com/blog", "url_protocol": "http:"},
    ],
    ids=repr,
)
def test_the_pages_may_load_what_the_bucket_addresses(options):
    """The CSP origins computed for a bucket hold every address the storage gives."""
    options = {"bucket_name": "my-blog", "querystring_auth": False, **options}
    storage = S3Storage(access_key="a", secret_key="b", **options)
    address = urlsplit(storage.url("images/2026/11/harbour.jpg"))

    assert f"{address.scheme}://{address.netloc}" in public_origins(options)


# -- against a local S3-compatible server --------------------------------------------


class Bucket:
    def __init__(self, endpoint, options):
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=options["region_name"],
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )
        self.name = options["bucket_name"]
        self.url = f"{endpoint}/{self.name}/"

    def keys(self):
        listed = self.client.list_objects_v2(Bucket=self.name)
        return {item["Key"] for item in listed.get("Contents", [])}

    def get(self, key):
        return self.client.get_object(Bucket=self.name, Key=key)

    def empty(self):
        for key in self.keys():
            self.client.delete_object(Bucket=self.name, Key=key)


@pytest.fixture(scope="module")
def bucket_settings(s3_endpoint):
    """What blog/settings.py makes of the environment naming the local server's bucket."""
    return load_settings(
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=s3_endpoint,
        AWS_S3_REGION_NAME="us-east-1",
        **CREDENTIALS,
    )


@pytest.fixture
def bucket(db, settings, monkeypatch, s3_endpoint, bucket_settings):
    """The default storage is the bucket, as the settings make it; it starts empty."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": bucket_settings["default"]}
    settings.SECURE_CSP = bucket_settings["csp"]
    bucket = Bucket(s3_endpoint, bucket_settings["default"]["OPTIONS"])
    if bucket.name not in {b["Name"] for b in bucket.client.list_buckets()["Buckets"]}:
        bucket.client.create_bucket(Bucket=bucket.name)
        # What README says a site owner does: readers may download anything in it.
        bucket.client.put_bucket_policy(Bucket=bucket.name, Policy=json.dumps(PUBLIC_READ))
    bucket.empty()
    yield bucket
    bucket.empty()


@pytest.fixture
def editor_client(client, db):
    client.force_login(RoleUserFactory(role=EDITOR, username="ed-editor"))
    return client


def test_the_settings_store_media_in_the_bucket(bucket_settings, s3_endpoint):
    assert bucket_settings["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = bucket_settings["default"]["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"]) == (BUCKET, s3_endpoint)
    # Plain addresses that cached pages can keep, and no upload replacing another.
    assert (options["querystring_auth"], options["file_overwrite"]) == (False, False)
    assert s3_endpoint in bucket_settings["csp"]["img-src"]
    assert s3_endpoint in bucket_settings["csp"]["media-src"]


def served(url):
    response = requests.get(url, timeout=10)
    assert response.status_code == 200, url
    return response


def test_an_image_uploaded_in_the_admin_lands_in_the_bucket_with_its_renditions(
    editor_client, bucket
):
    response = editor_client.post(
        reverse("admin:media_image_add"),
        {"file": image_upload("JPEG", (1000, 750), name="Harbour.jpg"), "alt_text": "Harbour"},
    )

    assert response.status_code == 302
    image = Image.objects.get()
    renditions = list(image.renditions.all())
    # 480 and 800 wide in WebP and JPEG, and WebP at the full width.
    assert len(renditions) == 5
    assert bucket.keys() == {image.file.name, *(r.file.name for r in renditions)}
    for stored in [image, *renditions]:
        obj = bucket.get(stored.file.name)
        assert obj["ContentType"] == f"image/{stored.format.lower()}"
        pixels = PILImage.open(io.BytesIO(obj["Body"].read()))
        assert (pixels.format, pixels.size) == (stored.format, (stored.width, stored.height))

    # The library shows its thumbnail from the bucket, which serves it.
    listing = page(editor_client.get(reverse("admin:media_image_changelist")))
    thumbnail = one(listing, "img.media-thumbnail")["src"]
    smallest_webp = image.renditions.get(width=480, format="WEBP")
    assert thumbnail == bucket.url + smallest_webp.file.name
    assert served(thumbnail).headers["Content-Type"] == "image/webp"


def test_a_post_shows_a_library_image_from_the_bucket(client, bucket):
    image = ImageFactory(file=image_upload("JPEG", (1000, 750), name="harbour.jpg"))
    post = PostFactory(body=f"The harbour at dawn.\n\n![Boats]({image.url})\n")

    response = client.get(post.get_absolute_url())

    picture = one(page(response), "picture")
    img, webp = one(picture, "img"), one(picture, "source[type='image/webp']")
    addresses = [img["src"]] + [
        candidate.split()[0]
        for srcset in (img["srcset"], webp["srcset"])
        for candidate in srcset.split(", ")
    ]
    assert img["src"] == bucket.url + image.file.name
    assert len(set(addresses)) == 6  # the original and its five renditions
    assert all(address.startswith(bucket.url) for address in addresses)
    for address in set(addresses):
        served(address)
    # The page's Content-Security-Policy lets the browser load them.
    policy = response["Content-Security-Policy"]
    img_src = next(part for part in policy.split("; ") if part.startswith("img-src "))
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(img["src"]))
    assert origin in img_src.split()


def test_deleting_an_image_in_the_admin_removes_its_objects(
    editor_client, bucket, django_capture_on_commit_callbacks
):
    kept = ImageFactory(file=image_upload("PNG", (600, 400), name="kept.png"))
    kept_keys = bucket.keys()
    image = ImageFactory(file=image_upload("JPEG", (900, 600), name="gone.jpg"))
    assert len(bucket.keys()) > len(kept_keys)

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:media_image_delete", args=[image.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert not Image.objects.filter(pk=image.pk).exists()
    assert bucket.keys() == kept_keys
    assert Image.objects.get() == kept


def test_two_uploads_of_one_name_are_two_objects(bucket):
    first = ImageFactory(file=image_upload("JPEG", (300, 200), name="same.jpg"))
    second = ImageFactory(file=image_upload("JPEG", (300, 200), name="same.jpg"))

    assert first.file.name != second.file.name
    assert {first.file.name, second.file.name} <= bucket.keys()


@pytest.mark.parametrize(
    ("sample", "content_type"), [("pdf", "application/pdf"), ("mp3", "audio/mpeg")]
)
def test_audio_and_documents_land_in_the_bucket_and_leave_it_when_deleted(
    editor_client, bucket, django_capture_on_commit_callbacks, sample, content_type
):
    response = editor_client.post(
        reverse("admin:media_mediafile_add"),
        {"file": sample_upload(sample, f"Annual report.{sample}"), "title": "Report"},
    )

    assert response.status_code == 302
    media_file = MediaFile.objects.get()
    assert bucket.keys() == {media_file.file.name}
    assert media_file.url == bucket.url + media_file.file.name
    download = served(media_file.url)
    assert download.headers["Content-Type"] == content_type
    assert download.content.startswith(sample_upload(sample).read(8))
    # Its page in the admin gives the bucket's address to paste into a post.
    change = editor_client.get(reverse("admin:media_mediafile_change", args=[media_file.pk]))
    assert media_file.url in change.text

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:media_mediafile_delete", args=[media_file.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert bucket.keys() == set()


def test_an_audio_file_in_the_bucket_plays_in_a_post(client, bucket):
    episode = MediaFileFactory(file=sample_upload("mp3", "episode-1.mp3"), title="Episode 1")
    (_label, shortcode), *_ = episode.snippets()
    post = PostFactory(
        body_format="html",
        body=f"Listen:\n\n{shortcode}\n\n"
        # Another bucket on the same host is another site: a plain link, no player.
        f'[audio src="{bucket.url}../elsewhere/episode-2.mp3"]',
    )

    response = client.get(post.get_absolute_url())

    player = one(page(response), "audio")
    assert player["src"] == episode.url == bucket.url + episode.file.name
    served(player["src"])
    policy = response["Content-Security-Policy"]
    media_src = next(part for part in policy.split("; ") if part.startswith("media-src "))
    assert "{0.scheme}://{0.netloc}".format(urlsplit(episode.url)) in media_src.split()


@pytest.mark.parametrize(
    ("path", "stored"),
    [
        ("files/2026/11/episode.mp3", True),
        ("files/2026/11/episode.mp3?download=1", True),
        ("files/../../elsewhere/episode.mp3", False),
        ("files/%2e%2e/%2E%2E/elsewhere/episode.mp3", False),
        ("files/..%2f..%2felsewhere/episode.mp3", False),
        ("files\\..\\..\\elsewhere/episode.mp3", False),
        ("files/episode one.mp3", False),
    ],
)
def test_only_files_inside_the_bucket_count_as_the_sites_own(bucket, path, stored):
    assert is_stored_file_url(bucket.url + path) is stored


def test_with_local_media_no_absolute_address_is_the_sites_own():
    assert not is_stored_file_url("http://127.0.0.1:9000/blog-media/files/episode.mp3")
