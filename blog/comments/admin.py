"""
The moderation queue, shaped like WordPress's Comments screen.

- It opens on *Pending*, newest first: where the work is. Views by status,
  each with its count: "All" (``?status=all``) is pending and approved (spam
  and trash left out, as WordPress does), then Pending, Approved, Spam, Trash.
  Pending rows are marked (a badge, and the row tinted by comments.css).
- Row actions under each comment, as WordPress shows them, by the comment's
  status: pending → Approve · Reply · Edit · Spam · Trash; approved →
  Unapprove · Reply · Edit · Spam · Trash; spam → Not spam · Delete
  permanently; trash → Restore · Delete permanently. Each is one click: a
  POST with CSRF (``row_action_view``) that answers with a redirect back to
  the list and a message; static/js/admin/row-actions.js sends it in the
  background and updates the list in place.
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
- Every status change, from the edit form, a bulk or row action or the reply
  page, goes through ``status.change_status``, as the email links do: the
  same reason, ``status_changed_at``, cache refresh and reply email.
  ``manage.py purge_trash`` deletes trash and spam 30 days after the stamp.
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
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import privacy
from .forms import renderable_comment
from .models import Comment
from .signals import comment_posted
from .status import change_status
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
# The view the queue opens on, and the value of "All" in the address.
DEFAULT_VIEW = Status.PENDING
ALL = "all"


@dataclasses.dataclass(frozen=True)
class RowAction:
    label: str
    status: str | None  # None: delete permanently
    done: str  # the message, after "Comment by Ann "
    style: str = ""


# WordPress's row actions, in its order, for a comment of each status
# ("reply" and "edit" are links, placed by the template).
ROW_ACTIONS = {
    "approve": RowAction("Approve", Status.APPROVED, "approved.", "approve"),
    "unapprove": RowAction("Unapprove", Status.PENDING, "unapproved: it is pending again."),
    "spam": RowAction("Spam", Status.SPAM, "marked as spam.", "danger"),
    "trash": RowAction("Trash", Status.TRASH, "moved to the trash.", "danger"),
    "not_spam": RowAction("Not spam", Status.PENDING, "is no longer spam; it is pending."),
    "restore": RowAction("Restore", Status.PENDING, "restored from the trash; it is pending."),
    "delete": RowAction("Delete permanently", None, "deleted permanently.", "danger"),
}
ROW_ACTIONS_BY_STATUS = {
    Status.PENDING: ("approve", "reply", "edit", "spam", "trash"),
    Status.APPROVED: ("unapprove", "reply", "edit", "spam", "trash"),
    Status.SPAM: ("not_spam", "delete"),
    Status.TRASH: ("restore", "delete"),
}


class StatusFilter(admin.SimpleListFilter):
    """
    The views by status, labelled with counts of the whole table taken in one
    query. No ``status`` in the address is the Pending view (All when
    searching: a search, or the author column's IP link, finds every
    comment); "All" is ``all``.
    """

    title = "status"
    parameter_name = "status"

    def __init__(self, request, params, model, model_admin):
        self.default = view_value(request)
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        counts = dict(Comment.objects.order_by().values_list("status").annotate(n=Count("pk")))
        self.all_count = sum(counts.get(status, 0) for status in ACTIVE)
        remember_pending_count(request, counts.get(Status.PENDING, 0))
        return [(status.value, f"{status.label} ({counts.get(status, 0)})") for status in Status]

    def value(self):
        value = super().value()
        return value if value in (ALL, *Status.values) else self.default

    def queryset(self, request, queryset):
        if self.value() == ALL:
            return queryset.filter(status__in=ACTIVE)
        return queryset.filter(status=self.value())

    def choices(self, changelist):
        yield {
            "selected": self.value() == ALL,
            "query_string": changelist.get_query_string({self.parameter_name: ALL}),
            "display": f"All ({self.all_count})",
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


def view_value(request):
    """The ``status`` the changelist shows: a status, or ``all``."""
    value = request.GET.get(StatusFilter.parameter_name)
    if value in (ALL, *Status.values):
        return value
    return ALL if request.GET.get("q") else DEFAULT_VIEW.value


def current_view(request):
    """The status view the changelist shows (None for "All"); actions post to the same URL."""
    value = view_value(request)
    return None if value == ALL else Status(value)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply",
        max_length=Comment._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text="Markdown, as readers write it. Published at once, under your name.",
    )

    def clean_body(self):
        return renderable_comment(self.cleaned_data["body"])


class CommentAdminForm(forms.ModelForm):
    """The edit form: a moderator's changes to the text meet the readers' render limits."""

    def clean_body(self):
        return renderable_comment(self.cleaned_data["body"])


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
    form = CommentAdminForm
    # "short_body" (the comment with its row actions) is made per request in
    # get_list_display: which row actions show depends on who is looking.
    list_display = ("author", "short_body", "in_response_to", "why", "submitted_on")
    # The comment column holds buttons, which may not sit inside a link: its
    # Edit row action opens the form.
    list_display_links = None
    list_filter = (StatusFilter, "created_at")
    list_select_related = ("post",)
    # Newest first: the comment just posted is the first row.
    ordering = ("-created_at", "-pk")
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
        status = obj.status
        if change and "status" in form.changed_data:
            # The other edits are saved with the stored status; the status
            # then changes the way every path changes it.
            obj.status = form.initial["status"]
        super().save_model(request, obj, form, change)
        if change:
            change_status(obj, status, request.user, "in the edit form")

    # Columns.

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        return [self._comment_column(request) if c == "short_body" else c for c in columns]

    @admin.display(description="comment")
    def short_body(self, comment):
        # What the system checks see; the list shows _comment_column's version.
        return comment.body

    def _comment_column(self, request):
        can_change = self.has_change_permission(request)
        can_delete = self.has_delete_permission(request)

        @admin.display(description="comment")
        def short_body(comment):
            names = ROW_ACTIONS_BY_STATUS[comment.status] if can_change else ()
            if not can_delete:
                names = [n for n in names if n != "delete"]
            return render_to_string(
                "admin/comments/comment/_comment_cell.html",
                {
                    "comment": comment,
                    "text": comment.body if len(comment.body) <= 80 else f"{comment.body[:79]}…",
                    "pending": comment.status == Status.PENDING,
                    "status_label": comment.get_status_display(),
                    "actions": [self._row_action(comment, name) for name in names],
                },
            )

        return short_body

    def _row_action(self, comment, name):
        if name == "reply":
            url = reverse("admin:comments_comment_reply", args=[comment.pk])
            return {"name": name, "label": "Reply", "url": url, "link": True}
        if name == "edit":
            url = reverse("admin:comments_comment_change", args=[comment.pk])
            return {"name": name, "label": "Edit", "url": url, "link": True}
        action = ROW_ACTIONS[name]
        return {
            "name": name,
            "label": action.label,
            "style": action.style,
            "url": reverse("admin:comments_comment_row_action", args=[comment.pk, name]),
            "described_by": f"comment-{comment.pk}-by",
        }

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
        email = ""
        if comment.email:
            # A line may break before the @ of a long address, not inside a word.
            local, _, domain = comment.email.rpartition("@")
            email = format_html(
                '<br><a href="mailto:{}">{}<wbr>@{}</a>', comment.email, local, domain
            )
        return format_html(
            '<strong id="comment-{}-by">{}</strong>{}{}', comment.pk, comment.name, email, ip
        )

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

    @admin.display(description="submitted on", ordering="created_at")
    def submitted_on(self, comment):
        when = timezone.localtime(comment.created_at)
        return format_html(
            '<time datetime="{}">{}</time>',
            when.isoformat(),
            dateformat.format(when, r"Y/m/d \a\t H:i"),
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
        Give the selection ``status`` (only those now in ``only``, if given),
        one comment at a time through ``change_status``; the number changed.
        """
        if only is not None:
            queryset = queryset.filter(status__in=only)
        changed = 0
        with transaction.atomic():
            for comment in queryset.exclude(status=status).select_related("post"):
                changed += change_status(comment, status, request.user, "with a bulk action")
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

    # Pages of our own: row actions, reply, and export or erase by email.

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("privacy/", view(self.privacy_view), name="comments_comment_privacy"),
            path("<path:object_id>/reply/", view(self.reply_view), name="comments_comment_reply"),
            path(
                "<int:pk>/row/<str:action>/",
                view(require_POST(self.row_action_view)),
                name="comments_comment_row_action",
            ),
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

    def row_action_view(self, request, pk, action):
        """
        One row action on one comment, then back to the list the button was
        on (``next``), with a message saying what happened. Only actions the
        row offers for the comment's status act; a stale button (someone else
        moderated the comment meanwhile) says so and changes nothing.
        """
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = reverse("admin:comments_comment_changelist")
        with transaction.atomic():
            comment = get_object_or_404(
                self.get_queryset(request).select_for_update(of=("self",)), pk=pk
            )
            row_action = ROW_ACTIONS.get(action)
            if row_action is None:
                raise PermissionDenied
            deleting = row_action.status is None
            allowed = (
                self.has_delete_permission(request, comment)
                if deleting
                else self.has_change_permission(request, comment)
            )
            if not allowed:
                raise PermissionDenied
            who = f"Comment by {comment.name}"
            if action not in ROW_ACTIONS_BY_STATUS[comment.status]:
                messages.warning(
                    request,
                    f"{who} is {comment.get_status_display().lower()} now; nothing was changed.",
                )
                return redirect(back)
            if deleting:
                self.log_deletions(request, Comment.objects.filter(pk=comment.pk))
                comment.delete()
            else:
                change_status(comment, row_action.status, request.user, "in the comment queue")
        messages.success(request, f"{who} {row_action.done}")
        return redirect(back)

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
                change_status(comment, Status.APPROVED, user, "on replying")
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
