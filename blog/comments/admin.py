"""
The moderation queue, shaped like WordPress's Comments screen.

- Views by status, each with its count: "All" is pending and approved (spam
  and trash left out, as WordPress does), then Pending, Approved, Spam, Trash.
- Bulk actions per view, as WordPress offers them: All → approve, unapprove,
  spam, trash; Pending → approve, spam, trash; Approved → unapprove, spam,
  trash; Spam → not spam (back to pending), delete permanently; Trash →
  restore, delete permanently. Delete permanently (Django's
  ``delete_selected``) is offered only in the Spam and Trash views, so nothing
  is deleted without having been put aside first. The action list is built
  again when an action is posted, with the user's permissions, so a view's or
  a role's missing action is refused.
- Restore puts a comment back to pending: the status it had before the trash
  is not stored, and pending is the safe guess (a moderator approves again).
- Every status change stamps ``status_changed_at``; ``manage.py purge_trash``
  deletes trash and spam 30 days after it.
- Reply from the admin (an approved reply by the moderator; replying to a
  pending comment approves it, as WordPress's "Approve and Reply" does), edit,
  and a link to the comment on the site.
- "Export or erase by email" (``privacy_view``), over ``blog/comments/privacy.py``.
"""

import dataclasses
import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import ngettext

from . import notifications, privacy
from .models import Comment
from .signals import comment_posted, comments_moderated
from .templatetags.comment_admin import remember_pending_count

Status = Comment.Status

# The bulk actions offered in each status view (None is "All").
VIEW_ACTIONS = {
    None: ("approve", "mark_pending", "mark_spam", "move_to_trash"),
    Status.PENDING: ("approve", "mark_spam", "move_to_trash"),
    Status.APPROVED: ("mark_pending", "mark_spam", "move_to_trash"),
    Status.SPAM: ("not_spam", "delete_selected"),
    Status.TRASH: ("restore", "delete_selected"),
}
# What "All" shows.
ACTIVE = (Status.PENDING, Status.APPROVED)


class StatusFilter(admin.SimpleListFilter):
    """The views by status, labelled with counts of the whole table taken in one query."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        counts = dict(Comment.objects.order_by().values_list("status").annotate(n=Count("pk")))
        self.all_count = sum(counts.get(status, 0) for status in ACTIVE)
        remember_pending_count(request, counts.get(Status.PENDING, 0))
        return [(status.value, f"{status.label} ({counts.get(status, 0)})") for status in Status]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(status=self.value())
        return queryset.filter(status__in=ACTIVE)

    def choices(self, changelist):
        choices = list(super().choices(changelist))
        choices[0]["display"] = f"All ({self.all_count})"
        return choices


def current_view(request):
    """The status view the changelist shows (None for "All"); actions post to the same URL."""
    value = request.GET.get(StatusFilter.parameter_name)
    return value if value in Status.values else None


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply",
        max_length=Comment._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text="Markdown, as readers write it. Published at once, under your name.",
    )


class PrivacyForm(forms.Form):
    EXPORT, ANONYMISE, DELETE = "export", "anonymise", "delete"

    email = forms.EmailField(label="Email address")
    action = forms.ChoiceField(
        choices=[
            (EXPORT, "Export them as JSON"),
            (ANONYMISE, "Anonymise them (keep the text; clear name, email, website, IP)"),
            (DELETE, "Delete them (replies to them stay)"),
        ],
        widget=forms.RadioSelect,
        initial=EXPORT,
    )

    def __init__(self, *args, can_delete=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_delete:
            field = self.fields["action"]
            field.choices = [c for c in field.choices if c[0] != self.DELETE]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = (
        "author",
        "short_body",
        "in_response_to",
        "status",
        "why",
        "created_at",
        "links",
    )
    list_display_links = ("short_body",)
    list_filter = (StatusFilter, "created_at")
    list_select_related = ("post",)
    # Counts are in the status filter's labels already.
    show_facets = admin.ShowFacets.NEVER
    search_fields = ("name", "email", "url", "ip", "body", "post__title")
    search_help_text = "Name, email, website, IP address, text or post title."
    raw_id_fields = ("post", "parent", "user")
    date_hierarchy = "created_at"
    actions = ("approve", "mark_pending", "mark_spam", "not_spam", "move_to_trash", "restore")
    fieldsets = (
        (None, {"fields": ("body", "name", "email", "url", "status")}),
        ("Where", {"fields": ("post", "parent", "user")}),
        (
            "Details",
            {
                "fields": (
                    "created_at",
                    "status_changed_at",
                    "moderation_reason",
                    "ip",
                    "user_agent",
                    "notify_replies",
                )
            },
        ),
    )
    readonly_fields = (
        "created_at",
        "status_changed_at",
        "moderation_reason",
        "ip",
        "user_agent",
        "notify_replies",
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # A comment stays on its post, in its thread, by its writer.
            readonly += ["post", "parent", "user"]
        return readonly

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            obj.status_changed_at = timezone.now()
        super().save_model(request, obj, form, change)

    # Columns.

    @admin.display(description="author", ordering="name")
    def author(self, comment):
        ip = ""
        if comment.ip:
            search = (
                reverse("admin:comments_comment_changelist") + "?" + urlencode({"q": comment.ip})
            )
            ip = format_html(
                '<br><a href="{}" title="Comments from this IP">{}</a>', search, comment.ip
            )
        email = (
            format_html('<br><a href="mailto:{}">{}</a>', comment.email, comment.email)
            if comment.email
            else ""
        )
        return format_html("<strong>{}</strong>{}{}", comment.name, email, ip)

    @admin.display(description="comment")
    def short_body(self, comment):
        return comment.body if len(comment.body) <= 80 else f"{comment.body[:79]}…"

    @admin.display(description="in response to", ordering="post__title")
    def in_response_to(self, comment):
        return format_html(
            '<a href="{}">{}</a><br><a href="{}" class="viewsitelink">View on site</a>',
            comment.post.get_admin_url(),
            comment.post.title,
            comment.get_absolute_url(),
        )

    @admin.display(description="why", ordering="moderation_reason")
    def why(self, comment):
        return comment.moderation_reason

    @admin.display(description="reply")
    def links(self, comment):
        if comment.status not in ACTIVE:
            return ""
        return format_html(
            '<a href="{}" class="reply-link">Reply</a>',
            reverse("admin:comments_comment_reply", args=[comment.pk]),
        )

    # The changelist: its link to the privacy page, and the actions of the view shown.

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "privacy_url": reverse("admin:comments_comment_privacy"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if action_location != admin.ActionLocation.CHANGE_LIST:
            return actions
        wanted = VIEW_ACTIONS[current_view(request)]
        if "delete_selected" in actions:
            actions["delete_selected"] = dataclasses.replace(
                actions["delete_selected"],
                description="Delete permanently",
                plural_description="Delete permanently",
            )
        return {name: actions[name] for name in wanted if name in actions}

    # Actions. Django offers them only to users with the permission they name,
    # and checks the posted action against that list again.

    @staticmethod
    def _set_status(request, queryset, status, only=None):
        """
        Give the selection ``status`` (only those now in ``only``, if given);
        the number changed. ``update()`` sends no signals, so replies approved
        here are announced to their parent's commenter from here.
        """
        if only is not None:
            queryset = queryset.filter(status__in=only)
        chosen = list(queryset.exclude(status=status).values_list("pk", flat=True))
        if not chosen:
            return 0
        with transaction.atomic():
            changed = (
                Comment.objects.filter(pk__in=chosen)
                .exclude(status=status)
                .update(status=status, status_changed_at=timezone.now())
            )
            post_ids = set(Comment.objects.filter(pk__in=chosen).values_list("post_id", flat=True))
            transaction.on_commit(
                lambda: comments_moderated.send_robust(sender=Comment, post_ids=post_ids)
            )
            if status == Status.APPROVED:
                replies = Comment.objects.filter(pk__in=chosen, parent__isnull=False)
                for reply in replies.select_related("post"):
                    notifications.notify_parent_of_reply(reply, request)
        return changed

    def _report(self, request, count, singular, plural):
        self.message_user(
            request, ngettext(singular, plural, count) % {"n": count}, messages.SUCCESS
        )

    def _mark(self, request, queryset, status):
        changed = self._set_status(request, queryset, status)
        label = Status(status).label.lower()
        self._report(
            request,
            changed,
            f"%(n)d comment marked {label}.",
            f"%(n)d comments marked {label}.",
        )

    @admin.action(description="Approve", permissions=["change"])
    def approve(self, request, queryset):
        self._mark(request, queryset, Status.APPROVED)

    @admin.action(description="Unapprove (back to pending)", permissions=["change"])
    def mark_pending(self, request, queryset):
        self._mark(request, queryset, Status.PENDING)

    @admin.action(description="Mark as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._mark(request, queryset, Status.SPAM)

    @admin.action(description="Move to trash", permissions=["change"])
    def move_to_trash(self, request, queryset):
        self._mark(request, queryset, Status.TRASH)

    @admin.action(description="Not spam (back to pending)", permissions=["change"])
    def not_spam(self, request, queryset):
        changed = self._set_status(request, queryset, Status.PENDING, only=[Status.SPAM])
        self._report(
            request,
            changed,
            "%(n)d comment is no longer spam; it is pending again.",
            "%(n)d comments are no longer spam; they are pending again.",
        )

    @admin.action(description="Restore (to pending)", permissions=["change"])
    def restore(self, request, queryset):
        changed = self._set_status(request, queryset, Status.PENDING, only=[Status.TRASH])
        self._report(
            request,
            changed,
            "%(n)d comment restored from the trash; it is pending.",
            "%(n)d comments restored from the trash; they are pending.",
        )

    # Pages of our own: reply, and export or erase by email.

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("privacy/", view(self.privacy_view), name="comments_comment_privacy"),
            path("<path:object_id>/reply/", view(self.reply_view), name="comments_comment_reply"),
            *super().get_urls(),
        ]

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "has_view_permission": self.has_view_permission(request),
            **extra,
        }

    def reply_view(self, request, object_id):
        comment = get_object_or_404(
            self.get_queryset(request).select_related("post"), pk=unquote(object_id)
        )
        if not self.has_change_permission(request, comment):
            raise PermissionDenied
        if comment.status not in ACTIVE:
            messages.error(request, "Spam and trashed comments cannot be replied to.")
            return redirect("admin:comments_comment_changelist")
        form = ReplyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            was_pending = comment.status == Status.PENDING
            reply = self._publish_reply(request, comment, form.cleaned_data["body"])
            self.log_addition(request, reply, [{"added": {}}])
            messages.success(
                request,
                f"Your reply to {comment.name} is published"
                + (" and their comment approved." if was_pending else "."),
            )
            return redirect("admin:comments_comment_changelist")
        context = self._context(
            request, f"Reply to {comment.name}", comment=comment, form=form, media=self.media
        )
        return TemplateResponse(request, "admin/comments/comment/reply.html", context)

    @staticmethod
    def _publish_reply(request, comment, body):
        """
        Store the moderator's reply, approved, and approve a pending parent.
        The reply is announced as a reader's comment is (``comment_posted``:
        the post's author and the parent's commenter hear of it).
        """
        user = request.user
        with transaction.atomic():
            if comment.status == Status.PENDING:
                comment.status = Status.APPROVED
                comment.status_changed_at = timezone.now()
                # save(), not update(): a parent that is itself a reply is announced.
                comment.save(update_fields=["status", "status_changed_at"])
            reply = Comment.objects.create(
                post=comment.post,
                parent=comment,
                user=user,
                name=user.public_name,
                email=user.email,
                body=body,
                status=Status.APPROVED,
                moderation_reason="Written in the admin by a moderator.",
                ip=request.META.get("REMOTE_ADDR") or None,
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
            )
            transaction.on_commit(
                lambda: comment_posted.send_robust(sender=Comment, comment=reply, request=request)
            )
        return reply

    def privacy_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        can_delete = self.has_delete_permission(request)
        data = request.POST if request.method == "POST" else None
        if data is not None and data.get("action") == PrivacyForm.DELETE and not can_delete:
            raise PermissionDenied
        form = PrivacyForm(data, can_delete=can_delete, initial=request.GET.dict())
        if data is None or not form.is_valid():
            return self._privacy_page(request, form)
        email, action = form.cleaned_data["email"], form.cleaned_data["action"]
        comments = privacy.comments_of(email).select_related("post")
        count = comments.count()
        if not count:
            messages.info(request, f"No comments were written with {email}.")
            return self._privacy_page(request, form)
        if action == PrivacyForm.EXPORT:
            return self._export_response(request, email)
        if request.POST.get("confirm") != "yes":
            return self._privacy_page(
                request,
                form,
                confirm=True,
                email=email,
                action=action,
                count=count,
                comments=comments[:20],
            )
        if action == PrivacyForm.ANONYMISE:
            done, verb = privacy.anonymise(email), "anonymised"
        else:
            done, verb = privacy.delete(email), "deleted"
        message = ngettext(
            "%(n)d comment of %(email)s %(verb)s.", "%(n)d comments of %(email)s %(verb)s.", done
        )
        messages.success(request, message % {"n": done, "email": email, "verb": verb})
        return redirect("admin:comments_comment_changelist")

    def _privacy_page(self, request, form, **extra):
        context = self._context(
            request, "Export or erase comments by email", form=form, media=self.media, **extra
        )
        return TemplateResponse(request, "admin/comments/comment/privacy.html", context)

    @staticmethod
    def _export_response(request, email):
        data = {
            "email": email,
            "exported_at": timezone.now().isoformat(),
            "comments": privacy.export(email, request.build_absolute_uri),
        }
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"comments-{email.replace('@', '-at-')}.json"
        )
        return response
