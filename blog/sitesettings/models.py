import contextvars
import zoneinfo

from django.conf import settings
from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from blog.discussion import CommentMode

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

    class DisallowedAction(models.TextChoices):
        TRASH = "trash", "Move to trash"
        SPAM = "spam", "Mark as spam"

    class CommentOrder(models.TextChoices):
        OLDEST = "oldest", "Oldest first"
        NEWEST = "newest", "Newest first"

    title = models.CharField(max_length=100, default=default_title)
    tagline = models.CharField(max_length=200, blank=True, default=default_tagline)
    posts_per_page = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    feed_full_text = models.BooleanField(
        "full text in feeds",
        default=True,
        help_text="Off: feeds carry each post's summary instead of the whole post.",
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
    comments_closed_everywhere = models.BooleanField(
        "close comments on every post",
        default=False,
        help_text="Approved comments stay visible; no post takes new ones.",
    )
    close_comments_after_days = models.PositiveIntegerField(
        "close comments on posts older than (days)",
        default=0,
        help_text="0 keeps comments open however old the post is.",
    )
    # WordPress's Discussion settings, applied in this order by the moderator.
    comment_disallowed_keys = models.TextField(
        "disallowed words, IPs and emails",
        blank=True,
        help_text="One per line. A comment containing one of them in its name, email, "
        "website, IP, user agent or text is refused as below.",
    )
    comment_disallowed_action = models.CharField(
        "a disallowed comment is",
        max_length=10,
        choices=DisallowedAction,
        default=DisallowedAction.TRASH,
    )
    comment_manual_approval = models.BooleanField(
        "comments must be manually approved", default=False
    )
    comment_moderation_keys = models.TextField(
        "moderation words, IPs and emails",
        blank=True,
        help_text="One per line. A comment containing one of them waits for approval.",
    )
    comment_max_links = models.PositiveSmallIntegerField(
        "hold a comment with more links than",
        default=2,
        help_text="A comment with more links than this waits for approval.",
    )
    comment_require_prior_approval = models.BooleanField(
        "commenter must have a previously approved comment", default=True
    )
    comment_thread_depth = models.PositiveSmallIntegerField(
        "threaded comments, levels deep",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    comments_per_page = models.PositiveSmallIntegerField(
        "top-level comments per page",
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    comment_order = models.CharField(
        "show comments", max_length=10, choices=CommentOrder, default=CommentOrder.OLDEST
    )
    header_menu = models.ForeignKey(
        "pages.Menu",
        verbose_name="header menu",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        help_text="The menu the site's header shows. With none chosen, the header lists "
        "the published top-level pages, in their order.",
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
