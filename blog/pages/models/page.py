"""
Pages: About, Contact and their subpages, stored as posts of the page kind.

``Page`` is a proxy of ``Post`` (as WordPress keeps pages in ``wp_posts``), so
pages share revisions, autosave, previews and share links, old-address
redirects, comments and search with posts, while ``Post.objects`` holds posts
only and ``Page.objects`` pages only. What is a page's own: its parent, its
order among siblings and its full path (``Post.path``, kept on save).
"""

from django.core.exceptions import ValidationError
from django.db import models

from blog import site_paths
from blog.posts.models import Post, PostQuerySet
from blog.posts.models.post import PATH_MAX_LENGTH


class PageQuerySet(PostQuerySet):
    def visible_to(self, user):
        """Readers see published pages; those who may edit pages also see the rest."""
        if user.is_authenticated and user.is_staff and user.has_perm("pages.change_page"):
            return self.exclude(status=Post.Status.TRASH)
        return self.published()

    def top_level(self):
        return self.filter(parent=None)

    def in_menu_order(self):
        return self.order_by("menu_order", "title", "pk")


class PageManager(models.Manager.from_queryset(PageQuerySet)):
    def get_queryset(self):
        # Auto-drafts are seen by their editor only (Post.AUTO_DRAFT).
        return super().get_queryset().filter(kind=Post.Kind.PAGE).exclude(status=Post.AUTO_DRAFT)


class Page(Post):
    objects = PageManager()

    class Meta:
        proxy = True
        ordering = ["path"]

    def save(self, *args, **kwargs):
        self.kind = Post.Kind.PAGE
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.kind = Post.Kind.PAGE
        errors = {}
        if self.slug and site_paths.only_digits(self.slug):
            errors["slug"] = (
                "A slug made only of digits would read as a year or a page number; add a word."
            )
        elif self.slug and site_paths.reserved(self.slug, top_level=self.parent_id is None):
            errors["slug"] = (
                f"“{self.slug}” is taken by the site’s own addresses (/{self.slug}/); "
                "choose another slug."
            )
        if (
            self.parent_id is not None
            and self.pk is not None
            and (self.parent_id == self.pk or self.parent_id in self.descendant_ids())
        ):
            errors["parent"] = "A page cannot be placed under itself or one of its subpages."
        if self.parent_id is not None and "parent" not in errors:
            path = f"{self.parent.path}/{self.slug or 'x'}"
            if len(path) > PATH_MAX_LENGTH:
                errors["parent"] = (
                    f"The page’s address would be longer than {PATH_MAX_LENGTH} characters; "
                    "choose a shorter slug or a parent higher up."
                )
        if errors:
            raise ValidationError(errors)

    def descendant_ids(self):
        if not self.path:
            return set()
        below = Page.objects.filter(path__startswith=f"{self.path}/")
        return set(below.values_list("pk", flat=True))

    @property
    def depth(self):
        """1 for a top-level page, 2 for its child..."""
        return self.path.count("/") + 1 if self.path else 1
