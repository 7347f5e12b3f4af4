from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.urls import reverse

from blog.discussion import CommentMode


class CategoryQuerySet(models.QuerySet):
    def with_parents(self):
        # Two levels of parent cover the paths readers see; deeper trees
        # fall back to a query per extra level.
        return self.select_related("parent__parent")

    def descendant_ids(self, category):
        """
        The ids of ``category`` and every category below it, at any depth, in
        one query at most (the tree's pairs are cached until a category
        changes): category trees are small, so the walk happens in Python.
        """
        children = {}
        for pk, parent_id in _tree_rows(self):
            children.setdefault(parent_id, []).append(pk)
        found, todo = set(), [category.pk]
        while todo:
            pk = todo.pop()
            if pk not in found:  # a loop saved past clean() must not hang the page
                found.add(pk)
                todo.extend(children.get(pk, []))
        return sorted(found)

    def parents(self):
        """``{id: parent id}`` of every category, from the cached tree."""
        return dict(_tree_rows(self))

    def with_ancestor_ids(self, ids):
        """
        ``ids`` and the ids of every category above them, as a set, from the
        same cached tree: the archives a post filed under ``ids`` shows on.
        """
        return with_ancestors(ids, self.parents())


def with_ancestors(ids, parent_of):
    """``ids`` and every category above them, as a set, by ``parent_of`` ({id: parent id})."""
    found, todo = set(), list(ids)
    while todo:
        pk = todo.pop()
        if pk is not None and pk not in found:
            found.add(pk)
            todo.append(parent_of.get(pk))
    return found


class Category(models.Model):
    name = models.CharField(max_length=100)
    # Unique across categories, as in WordPress, so the last part of a path
    # finds the category in one query.
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, related_name="children", on_delete=models.PROTECT
    )
    description = models.TextField(blank=True)
    default_comment_mode = models.CharField(
        max_length=10,
        choices=CommentMode,
        blank=True,
        help_text="New posts filed here take this comment mode (the first such "
        "category by name wins); empty uses the site's default.",
    )

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "categories"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("posts:category", kwargs={"path": self.path})

    def clean(self):
        # A loop (A under B under A) would make every path walk forever.
        node = self.parent
        while node is not None:
            if node.pk == self.pk:
                raise ValidationError(
                    {"parent": "A category cannot sit under itself or one of its children."}
                )
            node = node.parent

    @property
    def ancestors(self):
        """Categories from the root down to this one's parent."""
        chain = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    @property
    def path(self):
        return "/".join([*(c.slug for c in self.ancestors), self.slug])


# The tree's (id, parent id) pairs, kept in the cache between changes: a
# category archive reads its subcategories without a query.
TREE_CACHE_KEY = "categories:tree"


def _tree_rows(queryset):
    rows = cache.get(TREE_CACHE_KEY)
    if rows is None:
        rows = list(queryset.values_list("pk", "parent_id"))
        cache.set(TREE_CACHE_KEY, rows, 60 * 60)
    return rows


def _forget_tree(**kwargs):
    cache.delete(TREE_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(TREE_CACHE_KEY), using=kwargs.get("using"))


post_save.connect(_forget_tree, sender=Category, dispatch_uid="categories.forget_tree")
post_delete.connect(_forget_tree, sender=Category, dispatch_uid="categories.forget_tree.delete")
