"""
What deleting posts takes with it, in words, for the delete pages
(``templates/admin/posts/post/delete_confirmation.html`` and the bulk one).

Django's own list names rows ("Post-category relationship: Post_categories
object (15)"); people want to know what they lose: "12 comments and 3
revisions will be deleted", "2 categories and 4 tags will be detached". It
walks the same relations Django's deletion does (``NestedObjects``), so a new
kind of row hanging off a post shows up here under its verbose name.
"""

from django import template
from django.contrib.admin.utils import NestedObjects
from django.db import router
from django.db.models import Model
from django.utils.text import get_text_list

register = template.Library()

# Links between the post and things that stay: only the link goes.
DETACHED = {
    "posts.Post_categories": ("category", "categories"),
    "posts.TaggedPost": ("tag", "tags"),
}
# Rows kept for speed (counts, search index): rebuilt, never worth a word.
HIDDEN_APPS = {"search"}
HIDDEN = {"posts.CategoryListing", "posts.ListCount"}


@register.simple_tag
def deletion_summary(objects):
    """
    ``{"deleted": ["12 comments", "3 revisions"], "detached": ["2 categories", "4 tags"]}``
    for one post or several, each list as a sentence under ``deleted_text`` and
    ``detached_text`` ("12 comments and 3 revisions"); empty lists say nothing.
    """
    if isinstance(objects, Model):
        objects = [objects]
    objects = list(objects)
    if not objects:
        return {"deleted": [], "detached": [], "deleted_text": "", "detached_text": ""}
    collector = NestedObjects(using=router.db_for_write(type(objects[0])))
    collector.collect(objects)
    chosen = {obj.pk for obj in objects}
    deleted, detached = [], []
    for model, rows in collector.model_objs.items():
        meta = model._meta
        if meta.app_label in HIDDEN_APPS or meta.label in HIDDEN:
            continue
        count = len(rows)
        if meta.label in DETACHED:
            # Several links may lead to one category or tag: count those.
            field = "tag_id" if meta.label == "posts.TaggedPost" else "category_id"
            count = len({getattr(row, field) for row in rows})
            detached.append(
                (list(DETACHED).index(meta.label), _counted(count, *DETACHED[meta.label]))
            )
            continue
        if meta.concrete_model is type(objects[0])._meta.concrete_model:
            # The posts asked for say nothing; any others (subpages) do.
            count = len([row for row in rows if row.pk not in chosen])
            if not count:
                continue
        deleted.append((count, _counted(count, meta.verbose_name, meta.verbose_name_plural)))
    # The most first: "12 comments and 1 revision".
    deleted = [words for count, words in sorted(deleted, key=lambda item: -item[0])]
    # Categories, then tags, as the post form lists them.
    detached = [words for order, words in sorted(detached)]
    return {
        "deleted": deleted,
        "detached": detached,
        "deleted_text": get_text_list(deleted, "and"),
        "detached_text": get_text_list(detached, "and"),
    }


def _counted(count, singular, plural):
    return f"{count} {singular if count == 1 else plural}"
