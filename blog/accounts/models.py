from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from blog.slugs import likely_slugs

from .slugs import MAX_LENGTH, author_slug, base_slug


class User(AbstractUser):
    """A site user; authors are shown by display name, falling back to username."""

    display_name = models.CharField(max_length=150, blank=True)
    bio = models.TextField(blank=True, help_text="Shown on the author's archive page.")
    # Public, unlike the username: the author archive's address.
    slug = models.SlugField(
        "author slug",
        max_length=MAX_LENGTH,
        unique=True,
        blank=True,
        help_text="The author archive's address, /author/<slug>/. Made from the display name "
        "when left empty; it is public, so it may not be the login name.",
    )

    def __str__(self):
        return self.public_name

    @property
    def public_name(self):
        return self.display_name or self.username

    def clean(self):
        super().clean()
        if self.slug and self.slug.lower() == self.username.lower():
            raise ValidationError(
                {"slug": "The author slug is public: choose one that is not the login name."}
            )

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = author_slug(
                self.display_name, self.username, self._slugs_taken().__contains__
            )
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "slug"}
        super().save(*args, **kwargs)

    def _slugs_taken(self):
        """
        The other users' slugs ``author_slug`` may try: the likely ones in one
        query; all that start alike only when those are all taken (many
        nameless users are ``author``, ``author-2``…, one query each was slow).
        """
        others = type(self)._default_manager.exclude(pk=self.pk)
        base = base_slug(self.display_name)
        likely = likely_slugs(base)
        taken = set(others.filter(slug__in=likely).values_list("slug", flat=True))
        if taken | {self.username.lower()} >= set(likely):
            taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
        return taken

    def get_absolute_url(self):
        """The author archive; it answers only while the author has published posts."""
        return reverse("posts:author", kwargs={"slug": self.slug})
