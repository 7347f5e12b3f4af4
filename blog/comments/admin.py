from django.contrib import admin, messages
from django.utils.translation import ngettext

from .models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("name", "short_body", "post", "status", "created_at", "ip")
    list_filter = ("status", "created_at")
    list_select_related = ("post",)
    search_fields = ("name", "email", "body", "ip", "post__title")
    raw_id_fields = ("post", "parent", "user")
    readonly_fields = ("created_at", "ip", "user_agent")
    date_hierarchy = "created_at"
    actions = ("approve", "mark_pending", "mark_spam", "move_to_trash")

    @admin.display(description="comment")
    def short_body(self, comment):
        return comment.body if len(comment.body) <= 80 else f"{comment.body[:79]}…"

    def _set_status(self, request, queryset, status):
        changed = queryset.exclude(status=status).update(status=status)
        label = Comment.Status(status).label.lower()
        self.message_user(
            request,
            ngettext("%(n)d comment marked %(label)s.", "%(n)d comments marked %(label)s.", changed)
            % {"n": changed, "label": label},
            messages.SUCCESS,
        )

    @admin.action(description="Approve", permissions=["change"])
    def approve(self, request, queryset):
        self._set_status(request, queryset, Comment.Status.APPROVED)

    @admin.action(description="Unapprove (back to pending)", permissions=["change"])
    def mark_pending(self, request, queryset):
        self._set_status(request, queryset, Comment.Status.PENDING)

    @admin.action(description="Mark as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._set_status(request, queryset, Comment.Status.SPAM)

    @admin.action(description="Move to trash", permissions=["change"])
    def move_to_trash(self, request, queryset):
        self._set_status(request, queryset, Comment.Status.TRASH)
