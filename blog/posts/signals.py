"""
Receivers of the posts app, connected in ``PostsConfig.ready()``.

``record_revision``: every save of a post whose title, excerpt, body or author
differ from its latest revision records a new revision, by ``post._changed_by``
(set by the admin) or nobody. Fixture loading (``raw``) and ``QuerySet.update()``
record nothing.
"""

from . import revisions

_REVISION_FIELDS = frozenset(revisions.CONTENT_FIELDS)


def record_revision(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is not None and not _REVISION_FIELDS.intersection(update_fields):
        return
    revisions.record(instance, user=getattr(instance, "_changed_by", None))
