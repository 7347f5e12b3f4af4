"""
The index follows posts in the same transaction as the change: a save that
rolls back leaves the index as it was. Bulk writes that send no signals
(``QuerySet.update``, ``bulk_create``, raw SQL) need ``rebuild_search_index``.
"""

from . import backends


def post_saved(sender, instance, using, **kwargs):
    backends.index(instance, using=using)


def post_deleted(sender, instance, using, **kwargs):
    backends.remove(instance.pk, using=using)
