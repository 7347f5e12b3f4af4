"""
Helpers for the tests of *Import from WordPress* in the admin.

``run_worker()`` runs django-tasks-db's own worker loop in-process until the
queue is empty, as ``manage.py db_worker --batch`` does, so the tests need no
worker process; it fails the test if a task raised.
"""

import io
import zipfile

from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from tests.wordpress.wxr_builder import author, category, item, wxr

# One author, one category and one post, as the old site exported them.
AUTHOR = author(email="writer@example.com", first="Wendy", last="Writer")
CATEGORY = category("moving-house", "Moving house", term_id=7)
POST = {
    "wp_id": 41,
    "title": "Hello from the old blog",
    "slug": "hello-from-the-old-blog",
    "body": "<p>Our first post, moved in from WordPress.</p>",
    "link": "https://old.example.com/2014/02/hello-from-the-old-blog/",
    "terms": [("category", "moving-house", "Moving house")],
}
WXR = wxr([item(**POST)], authors=[AUTHOR], categories=[CATEGORY])
IMAGE_URL = "https://old.example.com/wp-content/uploads/2014/02/beach.png"


def wxr_with_image():
    """WXR whose post shows an attached image from the old uploads folder."""
    attachment = item(
        42,
        "beach",
        post_type="attachment",
        status="inherit",
        parent=41,
        date="2014-02-22 09:00:00",
        link="https://old.example.com/2014/02/hello-from-the-old-blog/beach/",
        attachment_url=IMAGE_URL,
        meta=[("_wp_attached_file", "2014/02/beach.png")],
    )
    post = item(**{**POST, "body": POST["body"] + f'<img src="{IMAGE_URL}" alt="">'})
    return wxr([attachment, post], authors=[AUTHOR], categories=[CATEGORY])


def png_bytes(width=64, height=48):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#1f7a5c").save(buffer, "PNG")
    return buffer.getvalue()


# Line 4 ends a tag that was never opened.
BROKEN_WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Broken</title></item>
</channel>
</rss>
"""


def run_worker():
    """Run every queued task in this process; fail if one raised."""
    worker = db_worker.Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    original = db_worker.close_old_connections
    # The worker drops connections between tasks; inside a test's transaction
    # that would roll the test back.
    db_worker.close_old_connections = lambda: None
    try:
        worker.run()
    finally:
        db_worker.close_old_connections = original
    failed = list(DBTaskResult.objects.failed().values_list("traceback", flat=True))
    assert not failed, "\n\n".join(failed)


def make_zip(members, *, symlink=None):
    """A zip of ``{name: bytes}``; ``symlink=(name, target)`` adds a symbolic link."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink[0])
            info.create_system = 3
            info.external_attr = (0o120777 << 16) & 0xFFFF0000
            archive.writestr(info, symlink[1])
    return buffer.getvalue()
