import contextvars
import zoneinfo

from django.conf import settings
from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

CACHE_KEY = "sitesettings:current"

# Holds the settings for the length of one request (set up by the middleware),
# so pages, templates and model properties read them at most once per request.
_request_scope = contextvars.ContextVar("sitesettings_request_scope", default=None)


def _time_zone_choices():
    return [("", "Server default (TIME_ZONE)")] + [
        (name, name) for name in sorted(zoneinfo.available_timezones())
    ]


# Callables, so the starting values follow the environment, not a migration.
def default_title():
    return settings.BLOG_TITLE


def default_tagline():
    return settings.BLOG_TAGLINE


class SiteSettings(models.Model):
    """The one row of settings an Administrator edits in the admin."""

    class CommentMode(models.TextChoices):
        # The same values as Post.CommentMode; this app does not import posts.
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=100, default=default_title)
    tagline = models.CharField(max_length=200, blank=True, default=default_tagline)
    posts_per_page = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        choices=_time_zone_choices,
        help_text="Dates on the site and in permalinks are shown in this zone.",
    )
    default_comment_mode = models.CharField(
        "comments on new posts", max_length=10, choices=CommentMode, default=CommentMode.OPEN
    )
    close_comments_after_days = models.PositiveIntegerField(
        "close comments on posts older than (days)",
        default=0,
        help_text="0 keeps comments open however old the post is.",
    )

    class Meta:
        verbose_name = verbose_name_plural = "site settings"

    def __str__(self):
        return "Site settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        """The settings, from the request's copy, else the cache, else the database."""
        scope = _request_scope.get()
        if scope is not None and "settings" in scope:
            return scope["settings"]
        current = cache.get(CACHE_KEY)
        if current is None:
            # Before an Administrator saves anything, the defaults apply unsaved.
            current = cls.objects.filter(pk=1).first() or cls(pk=1)
            cache.set(CACHE_KEY, current, None)
        if scope is not None:
            scope["settings"] = current
        return current

    @classmethod
    def request_scope(cls):
        """A context manager holding one copy of the settings for a request."""
        return _RequestScope()

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone) if self.time_zone else None


class _RequestScope:
    def __enter__(self):
        self._token = _request_scope.set({})

    def __exit__(self, *exc):
        _request_scope.reset(self._token)
