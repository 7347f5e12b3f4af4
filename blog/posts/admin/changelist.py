"""
The posts and pages lists, shaped like WordPress's: the title with its row
actions under it (Edit · Trash · View or Preview; in the Trash view Restore ·
Delete permanently), the comment mode switched in one click, a date column
that says what the date is (Published, Scheduled, Last modified), and a
category filter that includes the categories below, as the public archive
does.

Row actions are one click each: a POST with CSRF from the page's
``#row-action-form`` (templates/admin/includes/row_action_form.html) that
answers with a redirect back to the list and a message;
static/js/admin/row-actions.js sends it in the background and updates the
row in place. Every row action re-checks the user's rights on the post.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from blog.categories.models import Category
from blog.pagecache import versions

from .. import permissions
from ..models import Post

TRASH_VIEW_ACTIONS = ("restore_from_trash", "delete_selected")


def in_trash_view(request):
    return request.GET.get("status") == Post.Status.TRASH


def set_comment_mode(queryset, mode):
    """
    Give the posts of ``queryset`` comment ``mode`` in one UPDATE; the number
    changed. ``update()`` sends no signals, so the page cache is told here of
    exactly the posts that changed: the pages showing them (their article,
    the lists with their meta line) render afresh, and the sidebar too when
    comments were hidden or shown (its recent comments leave hidden posts out).
    """
    changed = dict(queryset.exclude(comment_mode=mode).values_list("pk", "comment_mode"))
    if not changed:
        return 0
    with transaction.atomic():
        count = Post.any_kind.filter(pk__in=changed).update(comment_mode=mode)
        keys = {f"post:{pk}" for pk in changed} | {f"comments:{pk}" for pk in changed}
        if Post.CommentMode.HIDDEN in {mode, *changed.values()}:
            keys.add("sidebar")
        versions.bump(keys)
    return count


class CategoryFilter(admin.SimpleListFilter):
    """
    By category, with the categories below it, as the public archive lists
    them (``PostQuerySet.in_category``): "Online Marketing Tips" finds the
    posts filed under its subcategories too. Subcategories are indented.
    """

    title = "categories"
    parameter_name = "category"

    def lookups(self, request, model_admin):
        rows = list(Category.objects.order_by("name").values_list("pk", "name", "parent_id"))
        children = {}
        for pk, name, parent_id in rows:
            children.setdefault(parent_id, []).append((pk, name))
        known = {pk for pk, _, _ in rows}
        # Roots, and any category whose parent is missing, each with its subtree.
        roots = [(pk, name) for pk, name, parent_id in rows if parent_id not in known]
        choices, seen = [], set()

        def walk(nodes, depth):
            for pk, name in nodes:
                if pk in seen:  # a loop saved past clean() must not hang the page
                    continue
                seen.add(pk)
                choices.append((str(pk), f"{'— ' * depth}{name}"))
                walk(children.get(pk, []), depth + 1)

        walk(roots, 0)
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        if not (value and value.isdigit()):
            return queryset
        category = Category(pk=int(value))
        return queryset.in_category(category)


class ChangeListAdminMixin:
    """The list's columns, row actions, bulk actions by view and category filter."""

    change_list_template = "admin/posts/post/change_list.html"
    # The title column holds buttons, which may not sit inside a link: its
    # Edit row action opens the form.
    list_display_links = None

    # Columns. Those with row actions or switches are made per request
    # (get_list_display), as what they offer depends on who is looking.

    def get_list_display(self, request):
        made = {
            "title_column": self._title_column(request),
            "comments_column": self._comments_column(request),
        }
        columns = super().get_list_display(request)
        return [made.get(c, c) if isinstance(c, str) else c for c in columns]

    # What the system checks and a list without a request see; the list
    # itself shows get_list_display's versions of these two.
    @admin.display(description="title", ordering="title")
    def title_column(self, post):
        return self.title_text(post)

    @admin.display(description="comments", ordering="comment_mode")
    def comments_column(self, post):
        return post.get_comment_mode_display()

    def title_text(self, post):
        return post.title

    def _row_actions(self, request, post):
        user = request.user
        actions = []
        # has_change_permission: the model's permission (pages have their
        # own) and the role's right to this post.
        may_edit = self.has_change_permission(request, post)
        if post.status == Post.Status.TRASH:
            if may_edit:
                actions.append(self._button(post, "restore", "Restore"))
            if permissions.can_delete_permanently(user, post):
                url = reverse(f"admin:{self._url_name('delete')}", args=[post.pk])
                actions.append(
                    {"name": "delete", "label": "Delete permanently", "url": url, "link": True}
                )
            return actions
        if may_edit:
            url = reverse(f"admin:{self._url_name('change')}", args=[post.pk])
            actions.append({"name": "edit", "label": "Edit", "url": url, "link": True})
            actions.append(self._button(post, "trash", "Trash", style="danger"))
        label = "View" if post.is_published else "Preview"
        actions.append(
            {"name": "view", "label": label, "url": post.get_absolute_url(), "link": True}
        )
        return actions

    def _button(self, post, name, label, style=""):
        return {
            "name": name,
            "label": label,
            "style": style,
            "url": reverse(f"admin:{self._url_name('row_action')}", args=[post.pk, name]),
            "described_by": f"post-{post.pk}-title",
        }

    def _post_states(self, post):
        """WordPress's "— Draft, Sticky" after a title: what the title alone does not say."""
        states = []
        if post.password:
            states.append("Password protected")
        if post.status == Post.Status.PRIVATE:
            states.append("Private")
        elif post.status == Post.Status.DRAFT:
            states.append("Draft")
        elif post.status == Post.Status.PENDING:
            states.append("Pending")
        elif post.is_scheduled:
            states.append("Scheduled")
        if getattr(post, "sticky", False):
            states.append("Sticky")
        return states

    def _title_column(self, request):
        @admin.display(description="title", ordering="title")
        def title_column(post):
            return render_to_string(
                "admin/posts/post/_title_cell.html",
                {
                    "post": post,
                    "title": self.title_text(post),
                    "states": self._post_states(post),
                    "edit_url": reverse(f"admin:{self._url_name('change')}", args=[post.pk])
                    if self.has_change_permission(request, post)
                    else "",
                    "actions": self._row_actions(request, post),
                },
            )

        return title_column

    def _comments_column(self, request):
        @admin.display(description="comments", ordering="comment_mode")
        def comments_column(post):
            label = post.get_comment_mode_display()
            if post.status == Post.Status.TRASH or not (
                self.has_change_permission(request, post)
                and permissions.can_toggle_comments(request.user, post)
            ):
                return label
            switch_on = post.comment_mode != Post.CommentMode.OPEN
            return render_to_string(
                "admin/posts/post/_comment_mode_cell.html",
                {
                    "post": post,
                    "label": label,
                    "button": self._button(
                        post,
                        "comments_on" if switch_on else "comments_off",
                        "Switch on" if switch_on else "Switch off",
                    ),
                },
            )

        return comments_column

    @admin.display(description="date", ordering="published_at")
    def date_column(self, post):
        if post.is_scheduled:
            said, when = "Scheduled", post.published_at
        elif post.status in (Post.Status.PUBLISHED, Post.Status.PRIVATE) and post.published_at:
            said, when = post.get_status_display(), post.published_at
        else:
            said, when = "Last modified", post.updated_at
        when = timezone.localtime(when)
        return format_html(
            '<span class="date-state">{}</span><br><time datetime="{}">{}</time>',
            said,
            when.isoformat(),
            dateformat.format(when, r"Y/m/d \a\t H:i"),
        )

    # Bulk actions by view: Delete permanently only in the Trash view, with
    # Restore; everywhere else Move to trash and the comment switches.

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if action_location != admin.ActionLocation.CHANGE_LIST:
            return actions
        if in_trash_view(request):
            return {name: actions[name] for name in TRASH_VIEW_ACTIONS if name in actions}
        return {name: a for name, a in actions.items() if name not in TRASH_VIEW_ACTIONS}

    # Row actions.

    def get_urls(self):
        return [
            path(
                "<int:pk>/row/<str:action>/",
                self.admin_site.admin_view(require_POST(self.row_action_view)),
                name=self._url_name("row_action"),
            ),
            *super().get_urls(),
        ]

    def row_action_view(self, request, pk, action):
        """One row action on one post, then back to the list it was clicked on."""
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = reverse(f"admin:{self._url_name('changelist')}")
        post = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, post):
            raise PermissionDenied
        user, name = request.user, f"“{post.title}”"
        if action in ("comments_on", "comments_off"):
            if not permissions.can_toggle_comments(user, post):
                raise PermissionDenied
            mode = Post.CommentMode.OPEN if action == "comments_on" else Post.CommentMode.CLOSED
            set_comment_mode(self.model.any_kind.filter(pk=post.pk), mode)
            said = "on" if mode == Post.CommentMode.OPEN else "off"
            messages.success(request, f"Comments switched {said} on {name}.")
        elif action == "trash":
            if post.status != Post.Status.TRASH:
                post.trash()
            messages.success(
                request,
                f"{name} moved to the trash; it is deleted after {Post.TRASH_DAYS} days.",
            )
        elif action == "restore":
            if post.status == Post.Status.TRASH:
                post.restore()
            messages.success(request, f"{name} restored from the trash.")
        else:
            raise PermissionDenied
        return redirect(back)
