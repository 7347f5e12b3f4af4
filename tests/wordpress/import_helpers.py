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

WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"
  xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Old blog</title>
  <link>https://old.example.com</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>https://old.example.com</wp:base_site_url>
  <wp:base_blog_url>https://old.example.com</wp:base_blog_url>
  <wp:author>
    <wp:author_id>2</wp:author_id>
    <wp:author_login><![CDATA[wpwriter]]></wp:author_login>
    <wp:author_email><![CDATA[writer@example.com]]></wp:author_email>
    <wp:author_display_name><![CDATA[Wendy Writer]]></wp:author_display_name>
    <wp:author_first_name><![CDATA[Wendy]]></wp:author_first_name>
    <wp:author_last_name><![CDATA[Writer]]></wp:author_last_name>
  </wp:author>
  <wp:category>
    <wp:term_id>7</wp:term_id>
    <wp:category_nicename><![CDATA[moving-house]]></wp:category_nicename>
    <wp:category_parent><![CDATA[]]></wp:category_parent>
    <wp:cat_name><![CDATA[Moving house]]></wp:cat_name>
  </wp:category>
  <item>
    <title>Hello from the old blog</title>
    <link>https://old.example.com/2014/02/hello-from-the-old-blog/</link>
    <pubDate>Sat, 22 Feb 2014 10:00:00 +0000</pubDate>
    <dc:creator><![CDATA[wpwriter]]></dc:creator>
    <guid isPermaLink="false">https://old.example.com/?p=41</guid>
    <description></description>
    <content:encoded><![CDATA[<p>Our first post, moved in from WordPress.</p>]]></content:encoded>
    <excerpt:encoded><![CDATA[]]></excerpt:encoded>
    <wp:post_id>41</wp:post_id>
    <wp:post_date><![CDATA[2014-02-22 10:00:00]]></wp:post_date>
    <wp:post_date_gmt><![CDATA[2014-02-22 10:00:00]]></wp:post_date_gmt>
    <wp:comment_status><![CDATA[open]]></wp:comment_status>
    <wp:ping_status><![CDATA[open]]></wp:ping_status>
    <wp:post_name><![CDATA[hello-from-the-old-blog]]></wp:post_name>
    <wp:status><![CDATA[publish]]></wp:status>
    <wp:post_parent>0</wp:post_parent>
    <wp:menu_order>0</wp:menu_order>
    <wp:post_type><![CDATA[post]]></wp:post_type>
    <wp:post_password><![CDATA[]]></wp:post_password>
    <wp:is_sticky>0</wp:is_sticky>
    <category domain="category" nicename="moving-house"><![CDATA[Moving house]]></category>
  </item>
</channel>
</rss>
"""

ATTACHMENT_ITEM = """  <item>
    <title>beach</title>
    <link>https://old.example.com/2014/02/hello-from-the-old-blog/beach/</link>
    <dc:creator><![CDATA[wpwriter]]></dc:creator>
    <guid isPermaLink="false">https://old.example.com/wp-content/uploads/2014/02/beach.png</guid>
    <content:encoded><![CDATA[]]></content:encoded>
    <excerpt:encoded><![CDATA[]]></excerpt:encoded>
    <wp:post_id>42</wp:post_id>
    <wp:post_date><![CDATA[2014-02-22 09:00:00]]></wp:post_date>
    <wp:post_date_gmt><![CDATA[2014-02-22 09:00:00]]></wp:post_date_gmt>
    <wp:post_name><![CDATA[beach]]></wp:post_name>
    <wp:status><![CDATA[inherit]]></wp:status>
    <wp:post_parent>41</wp:post_parent>
    <wp:post_type><![CDATA[attachment]]></wp:post_type>
    <wp:attachment_url><![CDATA[https://old.example.com/wp-content/uploads/2014/02/beach.png]]></wp:attachment_url>
    <wp:postmeta>
      <wp:meta_key><![CDATA[_wp_attached_file]]></wp:meta_key>
      <wp:meta_value><![CDATA[2014/02/beach.png]]></wp:meta_value>
    </wp:postmeta>
  </item>
"""


def wxr_with_image():
    """WXR whose post shows an attached image from the old uploads folder."""
    body = "<p>Our first post, moved in from WordPress.</p>"
    image = '<img src="https://old.example.com/wp-content/uploads/2014/02/beach.png" alt="">'
    return WXR.replace(body, body + image).replace("  <item>", ATTACHMENT_ITEM + "  <item>", 1)


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
