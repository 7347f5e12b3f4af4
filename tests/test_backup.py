"""
Backups that restore (issue 12, Deliver 9): the real commands, in their own
processes, on a database of their own (a SQLite file, or on a PostgreSQL
test run a throw-away PostgreSQL database beside the test database): back up,
change and delete content and uploads, restore, and everything is as it was.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

# Runs inside the project's settings, with the database and folders of the test.
SCRIPT = r"""
import hashlib, json, os, sys, datetime
import django
django.setup()
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from blog.accounts.models import User
from blog.categories.models import Category
from blog.comments.models import Comment
from blog.media.models import Image
from blog.posts.models import Post
from tests.media.factories import image_bytes

def seed():
    author = User.objects.create_user("ann", "ann@example.com", "pw-not-used")
    news = Category.objects.create(name="News", slug="news")
    post = Post.objects.create(
        title="Before the backup", body="The *original* body.", author=author,
        status=Post.Status.PUBLISHED, published_at=timezone.now() - datetime.timedelta(days=1),
    )
    post.categories.set([news])
    post.tags.set(["kept"])
    Comment.objects.create(post=post, name="Reader", email="r@example.com", body="First!",
                           status=Comment.Status.APPROVED)
    upload = SimpleUploadedFile("sea.jpg", image_bytes(size=(900, 600)), content_type="image/jpeg")
    Image.objects.create_from_file(upload, alt_text="The sea")

def damage():
    post = Post.objects.get(slug="before-the-backup")
    post.title = "Changed after the backup"
    post.body = "Vandalised."
    post.save()
    post.tags.set(["new"])
    Comment.objects.all().delete()
    Category.objects.filter(slug="news").update(name="Renamed")
    for image in Image.objects.all():
        for rendition in image.renditions.all():
            rendition.file.delete(save=False)
        image.file.delete(save=False)
        image.delete()
    Post.objects.create(title="Added after the backup", body="x", author=post.author,
                        status=Post.Status.DRAFT)

def state():
    media = {}
    for folder, _dirs, files in os.walk(settings.MEDIA_ROOT):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as fh:
                digest = hashlib.sha256(fh.read()).hexdigest()
            media[os.path.relpath(path, settings.MEDIA_ROOT)] = digest
    return {
        "posts": sorted(Post.any_kind.values_list("slug", "title", "body", "body_html", "status")),
        "tags": sorted(Post.any_kind.values_list("slug", "tags__name")),
        "categories": sorted(Category.objects.values_list("slug", "name")),
        "comments": sorted(Comment.objects.values_list("name", "body", "status")),
        "images": sorted(Image.objects.values_list("file", "alt_text", "width")),
        "renditions": sorted(Image.objects.values_list("renditions__file", flat=True)),
        "users": sorted(User.objects.values_list("username", "email")),
        "media": media,
    }

# "seed,state": one process (one Django start) for both; the last one's result is printed.
for action in sys.argv[1].split(","):
    result = {"seed": seed, "damage": damage, "state": state}[action]()
print(json.dumps(result, default=str))
"""


@pytest.fixture
def backup_env(tmp_path):
    """Environment of the commands: their own database, media and backup folders."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "BACKUP_DIR": str(tmp_path / "backups"),
    }
    if connection.vendor == "postgresql":
        name = f"{connection.settings_dict['NAME']}_backup"[:63]
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        db = connection.settings_dict
        user = db["USER"] or ""
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        host = db["HOST"] or "127.0.0.1"
        port = f":{db['PORT']}" if db["PORT"] else ""
        env["DATABASE_URL"] = f"postgres://{user}{password}@{host}{port}/{name}"
        yield env
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'blog.sqlite3'}"
        yield env


def run(env, *args):
    # Our own interpreter and commands with fixed arguments.
    result = subprocess.run(  # noqa: S603
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def manage(env, *args):
    return run(env, "manage.py", *args)


def script(env, action):
    return json.loads(run(env, "-c", SCRIPT, action).strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_brings_back_database_and_media(backup_env):
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.fail("pg_dump and pg_restore are needed: `make pg-client` installs them")
    manage(backup_env, "migrate", "--no-input", "-v", "0")
    before = script(backup_env, "seed,state")
    assert before["comments"] and before["images"] and before["renditions"] and before["media"]

    manage(backup_env, "dbbackup", "--noinput")
    manage(backup_env, "mediabackup", "--noinput")
    made = os.listdir(backup_env["BACKUP_DIR"])
    assert sum(name.endswith(".tar") for name in made) == 1
    assert sum(name.endswith((".sqlite3", ".psql.bin")) for name in made) == 1

    damaged = script(backup_env, "damage,state")
    assert damaged["posts"] != before["posts"]
    assert not damaged["comments"] and not damaged["media"]

    manage(backup_env, "dbrestore", "--noinput")
    manage(backup_env, "mediarestore", "--noinput", "--replace")
    assert script(backup_env, "state") == before


def test_a_database_restore_empties_the_cache(local_cache):
    """Cached pages, settings and versions describe the database as it was before."""
    from dbbackup.signals import post_restore

    local_cache.set("sitesettings:current", "before the restore")
    post_restore.send(sender=None)
    assert local_cache.get("sitesettings:current") is None
