"""
Fill the fields derived from the body (0009) for the posts and pages already
stored.

This calls the same plain function ``Post.save()`` uses
(``blog.posts.derived.derive``) on the historical models, rather than
re-saving each row with the real ``Post``: a real save would run today's
``save()`` and signals (a new revision per post, a new ``updated_at`` that
tells feeds and caches every post changed, slug and redirect bookkeeping)
and would read columns that later migrations may add. Here only the four
derived columns are written, a batch at a time.
"""

from functools import partial

from django.db import migrations

BATCH = 500
FIELDS = ("content_html", "toc", "summary", "word_count")


def fill(apps, schema_editor):
    from blog.media.html import library_pictures
    from blog.posts.derived import derive

    Post = apps.get_model("posts", "Post")
    Image = apps.get_model("media", "Image")
    pictures = partial(library_pictures, image_model=Image)
    manager = Post._base_manager.db_manager(schema_editor.connection.alias)
    rows = manager.order_by("pk")
    rows = rows.only("pk", "body", "body_format", "body_html", "excerpt", "password")
    batch = []
    for post in rows.iterator(chunk_size=BATCH):
        found = derive(
            body=post.body,
            body_format=post.body_format,
            body_html=post.body_html,
            excerpt=post.excerpt,
            password=post.password,
            pictures=pictures,
        )
        for name, value in found._asdict().items():
            setattr(post, name, value)
        batch.append(post)
        if len(batch) == BATCH:
            manager.bulk_update(batch, FIELDS)
            batch = []
    if batch:
        manager.bulk_update(batch, FIELDS)


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0009_derived_fields"),
        ("media", "0002_files"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
