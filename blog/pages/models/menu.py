"""
Menus: named trees of links an Editor builds in the admin, as WordPress's
Appearance > Menus. Each item links to one page, post, category or tag, or
to a custom URL; items nest under other items of the same menu, to any
depth. The site settings choose which menu the header shows
(``SiteSettings.header_menu``); ``blog/pages/menus.py`` builds and caches it.

Deleting a page, post, category or tag deletes the items that link to it
(CASCADE); their sub-items move up to the deleted item's parent, as WordPress
does, rather than disappearing with it.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

# Custom URLs: the web, email, or a path on this site.
URL_SCHEMES = ("http", "https", "mailto")
TARGET_FIELDS = ("page", "post", "category", "tag", "url")
TARGET_NAMES = {
    "page": "a page",
    "post": "a post",
    "category": "a category",
    "tag": "a tag",
    "url": "a custom URL",
}


def lift_children(collector, field, sub_objs, using):
    """
    ``on_delete`` for ``MenuItem.parent``: the sub-items of a deleted item
    move up to its parent (the nearest ancestor that is not deleted too),
    keeping their places in the menu.
    """
    doomed = {item.pk for item in collector.data.get(MenuItem, ())}
    parents = dict(
        MenuItem.objects.using(using)
        .filter(menu__in={item.menu_id for item in sub_objs})
        .values_list("pk", "parent_id")
    )
    moves = {}
    for item in sub_objs:
        if item.pk in doomed:
            continue
        parent_id, seen = item.parent_id, set()
        while parent_id in doomed and parent_id not in seen:
            seen.add(parent_id)
            parent_id = parents.get(parent_id)
        moves.setdefault(None if parent_id in doomed else parent_id, []).append(item)
    for parent_id, items in moves.items():
        collector.add_field_update(field, parent_id, items)


lift_children.lazy_sub_objs = False


class Menu(models.Model):
    name = models.CharField(
        max_length=100, unique=True, help_text="For you only, e.g. “Header” or “Footer”."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class MenuItem(models.Model):
    menu = models.ForeignKey(Menu, related_name="items", on_delete=models.CASCADE)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        related_name="children",
        on_delete=lift_children,
        help_text="Another item of this menu; empty for the top level.",
    )
    order = models.IntegerField(default=0, help_text="Lower numbers come first among siblings.")
    label = models.CharField(
        max_length=100,
        blank=True,
        help_text="Empty shows the page’s or post’s title, or the category’s or tag’s name.",
    )
    page = models.ForeignKey(
        "pages.Page", null=True, blank=True, related_name="+", on_delete=models.CASCADE
    )
    post = models.ForeignKey(
        "posts.Post",
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "post"},
        on_delete=models.CASCADE,
    )
    category = models.ForeignKey(
        "categories.Category", null=True, blank=True, related_name="+", on_delete=models.CASCADE
    )
    tag = models.ForeignKey(
        "taggit.Tag", null=True, blank=True, related_name="+", on_delete=models.CASCADE
    )
    url = models.CharField(
        "custom URL",
        max_length=500,
        blank=True,
        help_text="https://…, http://…, mailto:… or a path on this site starting with /.",
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "menu item"

    def __str__(self):
        return self.display_label

    @property
    def target(self):
        """The page, post, category or tag linked to, or None for a custom URL."""
        for name in ("page", "post", "category", "tag"):
            if getattr(self, f"{name}_id") is not None:
                return getattr(self, name)
        return None

    @property
    def display_label(self):
        if self.label:
            return self.label
        target = self.target
        if target is None:
            return self.url
        return getattr(target, "title", None) or getattr(target, "name", "")

    def get_target_url(self):
        if self.tag_id is not None:
            # taggit's Tag has no get_absolute_url: the tag archive is the posts app's.
            return reverse("posts:tag", kwargs={"slug": self.tag.slug})
        target = self.target
        return target.get_absolute_url() if target is not None else self.url

    def chosen_targets(self):
        return [
            name
            for name in TARGET_FIELDS
            if (self.url if name == "url" else getattr(self, f"{name}_id") is not None)
        ]

    def clean(self):
        errors = {}
        self.url = self.url.strip()
        chosen = self.chosen_targets()
        if not chosen:
            errors["__all__"] = (
                "Choose what the item links to: a page, a post, a category, a tag or a custom URL."
            )
        elif len(chosen) > 1:
            names = [TARGET_NAMES[name] for name in chosen]
            errors["__all__"] = (
                "An item links to one thing only: you chose "
                f"{', '.join(names[:-1])} and {names[-1]}. Keep one and empty the others."
            )
        if self.url:
            problem = url_problem(self.url)
            if problem:
                errors["url"] = problem
            elif not self.label:
                errors["label"] = "A custom URL needs a label: there is no title to show."
        parent_error = self._parent_problem()
        if parent_error:
            errors["parent"] = parent_error
        if errors:
            raise ValidationError(errors)

    def _parent_problem(self):
        if self.parent_id is None:
            return None
        if self.menu_id is not None and self.parent.menu_id != self.menu_id:
            return "The parent must be an item of the same menu."
        if self.pk is None:
            return None
        if self.parent_id == self.pk or self.parent_id in self.descendant_ids():
            return "An item cannot be placed under itself or one of its own sub-items."
        return None

    def descendant_ids(self):
        """The ids of every item below this one, in one query."""
        children = {}
        for pk, parent_id in MenuItem.objects.filter(menu_id=self.menu_id).values_list(
            "pk", "parent_id"
        ):
            children.setdefault(parent_id, []).append(pk)
        found, todo = set(), list(children.get(self.pk, []))
        while todo:
            pk = todo.pop()
            if pk not in found and pk != self.pk:
                found.add(pk)
                todo.extend(children.get(pk, []))
        return found


def url_problem(url):
    """Why ``url`` may not be a menu link, or None when it may."""
    message = (
        "Use an address starting with https://, http:// or mailto:, "
        "or a path on this site starting with / (such as /about/)."
    )
    if any(c.isspace() or ord(c) < 32 for c in url):
        return "An address cannot contain spaces; replace them with %20."
    if url.startswith("/"):
        # "//host/…" would leave the site; "/\host" does in some browsers.
        return message if url.startswith(("//", "/\\")) else None
    try:
        parts = urlsplit(url)
    except ValueError:
        return message
    if parts.scheme.lower() not in URL_SCHEMES:
        return message
    if parts.scheme.lower() in ("http", "https") and not parts.hostname:
        return "A web address needs a host name, as in https://example.com/."
    if parts.scheme.lower() == "mailto" and "@" not in parts.path:
        return "An email link needs an address, as in mailto:hello@example.com."
    return None
