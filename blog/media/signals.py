"""
Receivers and signals of the media library, connected in ``MediaConfig.ready()``.

Files follow their rows: when an Image, Rendition or MediaFile row is deleted (one by one,
in bulk, or by cascade), its file is removed from storage once the
transaction commits, so a rolled-back delete never loses a file.

``image_changed(sender=Image, image=<Image>, url=<the original's address>)`` is
sent once the transaction commits, after an image is changed or deleted or one
of its renditions is added, changed or removed: once per image and transaction.
A new image (``Image.store()``, with its renditions) sends none: no page can
show an address that did not exist. Apps that
keep markup made from an image (the posts app stores bodies with their
``srcset``\\s, ``blog/posts/derived.py``) connect to it; the media app knows
nothing of them.
"""

from functools import partial

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

image_changed = Signal()


def delete_file_on_commit(sender, instance, using, **kwargs):
    name = instance.file.name
    if name:
        transaction.on_commit(partial(instance.file.storage.delete, name), using=using)


class _SendOnCommit:
    """The on-commit callback sending ``image_changed`` for one image."""

    def __init__(self, image, url, key):
        self.image, self.url, self.key = image, url, key
        self.sent = False

    def __call__(self):
        from .models import Image

        self.sent = True
        image_changed.send(sender=Image, image=self.image, url=self.url)


def _pending(connection, key):
    """Whether this transaction already has ``key``'s signal waiting for the commit."""
    # Django's list of (savepoint ids, callback, robust); a rolled-back
    # savepoint or transaction drops its entries, so nothing is lost.
    hooks = getattr(connection, "run_on_commit", ())
    return any(
        isinstance(hook[1], _SendOnCommit) and hook[1].key == key and not hook[1].sent
        for hook in hooks
    )


def image_changed_on_commit(image, using=DEFAULT_DB_ALIAS):
    """Send ``image_changed`` for ``image`` when the transaction commits, once."""
    url = image.file.url if image.file.name else ""
    if not url:
        return
    connection = transaction.get_connection(using)
    key = (image.pk, url)
    if connection.in_atomic_block and _pending(connection, key):
        return
    transaction.on_commit(_SendOnCommit(image, url, key), using=using)


def _image_saved_or_deleted(sender, instance, using, raw=False, created=False, **kwargs):
    if raw:
        return
    if created:
        # Storage gives a new image a name no other file has: nothing shows it
        # yet, so neither it nor the renditions stored with it (Image.store())
        # need a signal, and uploads and imports cost no search for its users.
        instance._new_in_library = True
        transaction.on_commit(partial(vars(instance).pop, "_new_in_library", None), using=using)
        return
    image_changed_on_commit(instance, using=using)


def _rendition_saved_or_deleted(sender, instance, using, raw=False, **kwargs):
    if raw:
        return
    from .models import Image

    try:
        image = instance.image
    except Image.DoesNotExist:  # deleted with its image, which sends its own
        return
    if not getattr(image, "_new_in_library", False):
        image_changed_on_commit(image, using=using)


def connect():
    from .models import Image, MediaFile, Rendition

    for model in (Image, Rendition, MediaFile):
        post_delete.connect(
            delete_file_on_commit, sender=model, dispatch_uid=f"media_delete_{model.__name__}"
        )
    for signal in (post_save, post_delete):
        signal.connect(
            _image_saved_or_deleted,
            sender=Image,
            dispatch_uid=f"media_image_changed_{signal is post_save}",
        )
        signal.connect(
            _rendition_saved_or_deleted,
            sender=Rendition,
            dispatch_uid=f"media_rendition_changed_{signal is post_save}",
        )
