"""
Files follow their rows: when an Image, Rendition or MediaFile row is deleted (one by one,
in bulk, or by cascade), its file is removed from storage once the
transaction commits, so a rolled-back delete never loses a file.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete


def delete_file_on_commit(sender, instance, using, **kwargs):
    name = instance.file.name
    if name:
        transaction.on_commit(partial(instance.file.storage.delete, name), using=using)


def connect():
    from .models import Image, MediaFile, Rendition

    for model in (Image, Rendition, MediaFile):
        post_delete.connect(
            delete_file_on_commit, sender=model, dispatch_uid=f"media_delete_{model.__name__}"
        )
