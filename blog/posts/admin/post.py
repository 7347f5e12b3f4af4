from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import ngettext

from ..models import Post
from .editor import EditorAdminMixin
from .revisions import RevisionAdminMixin


class ScheduleFilter(admin.SimpleListFilter):
    title = "visibility"
    parameter_name = "visibility"

    def lookups(self, request, model_admin):
        return [("live", "Live"), ("scheduled", "Scheduled")]

    def queryset(self, request, queryset):
        published = queryset.filter(status=Post.Status.PUBLISHED)
        if self.value() == "live":
            return published.filter(published_at__lte=timezone.now())
        if self.value() == "scheduled":
            return published.filter(published_at__gt=timezone.now())
        return queryset


@admin.register(Post)
class PostAdmin(RevisionAdminMixin, EditorAdminMixin, admin.ModelAdmin):
    list_display = (
        "title",
        "author",
        "state",
        "published_at",
        "comment_mode",
        "category_names",
    )
    list_display_links = ("title",)
    # Editors switch comments off or on for one post straight from the list.
    list_editable = ("comment_mode",)
    list_filter = ("status", ScheduleFilter, "comment_mode", "categories", "author")
    list_select_related = ("author",)
    search_fields = ("title", "slug", "body", "excerpt")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("categories",)
    readonly_fields = ("created_at", "updated_at")
    actions = ("close_comments", "open_comments")
    fieldsets = (
        (None, {"fields": ("title", "slug", "body", "excerpt")}),
        ("Publishing", {"fields": ("status", "published_at", "author", "comment_mode")}),
        ("Filing", {"fields": ("categories", "tags")}),
        ("History", {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("categories")

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    @admin.display(description="status", ordering="status")
    def state(self, post):
        return "Scheduled" if post.is_scheduled else post.get_status_display()

    @admin.display(description="categories")
    def category_names(self, post):
        return ", ".join(c.name for c in post.categories.all())

    def _set_comment_mode(self, request, queryset, mode, verb):
        changed = queryset.exclude(comment_mode=mode).update(comment_mode=mode)
        self.message_user(
            request,
            ngettext(
                "Comments %(verb)s on %(n)d post.", "Comments %(verb)s on %(n)d posts.", changed
            )
            % {"verb": verb, "n": changed},
            messages.SUCCESS,
        )

    @admin.action(description="Switch comments off", permissions=["change"])
    def close_comments(self, request, queryset):
        self._set_comment_mode(request, queryset, Post.CommentMode.CLOSED, "switched off")

    @admin.action(description="Switch comments on", permissions=["change"])
    def open_comments(self, request, queryset):
        self._set_comment_mode(request, queryset, Post.CommentMode.OPEN, "switched on")
