"""
Where imported objects came from, so a second import updates instead of
duplicating, an object edited here is left alone, and WordPress's old
addresses (``?p=ID``, old permalinks, uploads) find what they became.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Site(models.Model):
    """A WordPress site whose export was imported, known by its base URL."""

    base_url = models.CharField(max_length=500, unique=True)
    title = models.CharField(max_length=500, blank=True)
    first_imported_at = models.DateTimeField(auto_now_add=True)
    last_imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "WordPress site"

    def __str__(self):
        return self.title or self.base_url


class Origin(models.Model):
    """One WordPress object of one site, and the object it became here."""

    class Kind(models.TextChoices):
        AUTHOR = "author", "Author"
        CATEGORY = "category", "Category"
        TAG = "tag", "Tag"
        POST = "post", "Post"
        PAGE = "page", "Page"
        ATTACHMENT = "attachment", "Attachment"
        COMMENT = "comment", "Comment"
        MENU = "menu", "Menu"
        MENU_ITEM = "menu_item", "Menu item"

    site = models.ForeignKey(Site, related_name="origins", on_delete=models.CASCADE)
    kind = models.CharField(max_length=20, choices=Kind)
    # WordPress's id of the object: post ID, term_id, author_id, comment_id.
    wp_id = models.BigIntegerField()
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    # The path of the object's old address on the old site (its <link>, or
    # the file's path for attachments), answered with a 301 here.
    old_path = models.CharField(max_length=1000, blank=True)
    # A hash of what the file said at the last import (changed in the file?)
    # and of the object as that import left it (edited here since?).
    source_hash = models.CharField(max_length=64, blank=True)
    stored_hash = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["site", "kind", "wp_id"], name="wordpress_origin_unique"
            ),
        ]
        indexes = [
            # ?p=ID and friends: the most recent import of that id wins.
            models.Index(fields=["kind", "wp_id", "-imported_at"], name="wordpress_origin_id_idx"),
            models.Index(fields=["content_type", "object_id"], name="wordpress_origin_target_idx"),
            models.Index(fields=["old_path"], name="wordpress_origin_path_idx"),
        ]

    def __str__(self):
        return f"{self.site} {self.kind} {self.wp_id}"


# Imports started in the admin (blog/wordpress/jobs.py), run by the worker.
from blog.wordpress.jobs import ImportJob  # noqa: E402, F401
