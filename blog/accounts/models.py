from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse


class User(AbstractUser):
    """A site user; authors are shown by display name, falling back to username."""

    display_name = models.CharField(max_length=150, blank=True)
    bio = models.TextField(blank=True, help_text="Shown on the author's archive page.")

    def __str__(self):
        return self.public_name

    @property
    def public_name(self):
        return self.display_name or self.username

    def get_absolute_url(self):
        return reverse("posts:author", kwargs={"username": self.username})
