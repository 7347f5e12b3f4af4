from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse

from .models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """One row: the list page goes straight to the form, and there is nothing to add or delete."""

    fieldsets = (
        ("Site", {"fields": ("title", "tagline", "time_zone", "header_menu")}),
        ("Reading", {"fields": ("posts_per_page", "feed_full_text")}),
        (
            "Discussion",
            {
                "fields": (
                    "default_comment_mode",
                    "comments_closed_everywhere",
                    "close_comments_after_days",
                    "comment_thread_depth",
                    "comments_per_page",
                    "comment_order",
                )
            },
        ),
        (
            "Comment moderation",
            {
                "fields": (
                    "comment_disallowed_keys",
                    "comment_disallowed_action",
                    "comment_manual_approval",
                    "comment_moderation_keys",
                    "comment_max_links",
                    "comment_require_prior_approval",
                )
            },
        ),
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_object(self, request, object_id, from_field=None):
        # The row exists from the first visit on, whichever page that is.
        return SiteSettings.objects.get_or_create(pk=1)[0] if object_id == "1" else None

    def changelist_view(self, request, extra_context=None):
        SiteSettings.objects.get_or_create(pk=1)
        return redirect(reverse("admin:sitesettings_sitesettings_change", args=[1]))
