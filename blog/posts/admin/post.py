from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from blog.sitesettings.models import SiteSettings

from .. import permissions, preview, revisions
from ..forms import PostAdminForm, is_live, publish_label
from ..models import Post
from .changelist import CategoryFilter, ChangeListAdminMixin, set_comment_mode
from .editor import EditorAdminMixin
from .revisions import RevisionAdminMixin, is_auto_draft

# The publish panel: these fields leave their fieldsets for it, in this order.
PANEL_FIELDS = (
    "status",
    "visibility",
    "password",
    "publish_time",
    "published_at",
    "sticky",
    "preview_link",
)
# Its buttons: the main one (Publish, Schedule, Submit for review; Update
# once live) and Save draft; each saves and stays on the form.
PUBLISH, SAVE_DRAFT = "_publish", "_save_draft"
# "Post scheduled for 30 Dec 2026, 06:33."
WHEN_FORMAT = "j M Y, H:i"


class StatusFilter(admin.SimpleListFilter):
    """WordPress's list views: everything but the trash, then each status on its own."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(status.value, status.label) for status in Post.Status]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(status=self.value())
        return queryset.exclude(status=Post.Status.TRASH)

    def choices(self, changelist):
        choices = list(super().choices(changelist))
        choices[0]["display"] = "All (except trash)"
        return choices


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
class PostAdmin(ChangeListAdminMixin, RevisionAdminMixin, EditorAdminMixin, admin.ModelAdmin):
    form = PostAdminForm
    # The columns of changelist.py: title with row actions and states (sticky
    # among them), the comment switch, and a date that says what it is.
    list_display = ("title_column", "author", "category_names", "comments_column", "date_column")
    list_filter = (StatusFilter, ScheduleFilter, "comment_mode", "sticky", CategoryFilter, "author")
    list_select_related = ("author",)
    search_fields = ("title", "slug", "body", "excerpt")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("categories",)
    autocomplete_fields = ("featured_image",)
    readonly_fields = ("created_at", "updated_at", "preview_link")
    actions = ("close_comments", "open_comments", "move_to_trash", "restore_from_trash")
    fieldsets = (
        (None, {"fields": ("title", "slug", "body", "body_format", "excerpt")}),
        (
            "Publishing",
            {
                "fields": (
                    "status",
                    "published_at",
                    "author",
                    "comment_mode",
                    "sticky",
                    "password",
                    "preview_link",
                )
            },
        ),
        ("Filing", {"fields": ("featured_image", "categories", "tags")}),
        ("History", {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )

    # Who sees and changes what: every check runs on GET and again on POST.

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("categories")
        if not permissions.can_edit_others(request.user):
            queryset = queryset.filter(author=request.user)
        return queryset

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and permissions.can_edit(
            request.user, obj
        )

    def has_view_permission(self, request, obj=None):
        # No read-only view either: a post a person may not edit does not open (403).
        return super().has_view_permission(request, obj) and permissions.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_delete_permanently(request.user, obj)

    def has_toggle_comments_permission(self, request):
        return permissions.can_toggle_comments(request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        user = request.user
        if not permissions.can_publish(user):
            readonly += ["published_at", "sticky"]
        if not permissions.can_edit_others(user):
            # Switching the format does not convert the body: Editors decide.
            readonly += ["author", "body_format"]
        if not permissions.can_toggle_comments(user, obj):
            readonly += ["comment_mode"]
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status":
            kwargs["choices"] = [
                (status.value, status.label)
                for status in permissions.allowed_statuses(request.user)
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        return {
            "author": request.user.pk,
            "comment_mode": SiteSettings.current().default_comment_mode,
            **super().get_changeform_initial_data(request),
        }

    # The change form: the publish panel, auto-drafts, what saving says.

    def get_fieldsets(self, request, obj=None):
        """
        The declared fieldsets, less the publish panel's fields, after a
        "Publish" fieldset of those (which the template shows as the panel).
        """
        readonly = set(self.get_readonly_fields(request, obj))
        panel, rest = [], []
        for name, options in super().get_fieldsets(request, obj):
            fields = [f for f in options["fields"] if f not in PANEL_FIELDS]
            panel += [f for f in options["fields"] if f in PANEL_FIELDS]
            if fields:
                rest.append((name, {**options, "fields": fields}))
        if "status" in panel:
            panel.append("visibility")
        if "published_at" in panel and "published_at" not in readonly:
            panel.append("publish_time")
        panel.sort(key=PANEL_FIELDS.index)
        return [("Publish", {"fields": panel, "classes": ("publish-fields",)}), *rest]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.can_publish = permissions.can_publish(request.user)
        form.intent = ""
        if SAVE_DRAFT in request.POST:
            form.intent = "draft"
        elif PUBLISH in request.POST and not (obj is not None and is_live(obj)):
            form.intent = "publish"
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        can_publish = permissions.can_publish(request.user)
        post = obj if obj is not None else self.model()
        auto_draft = is_auto_draft(obj)
        if auto_draft:
            context["title"] = f"Add {self.opts.verbose_name}"
        context.update(
            {
                "publish_panel": True,
                "publish_label": publish_label(post, can_publish),
                "can_publish": can_publish,
                "is_live": is_live(post),
                "is_new": add or auto_draft,
                "theme_preview_url": self.theme_preview_url(obj),
                "autosave_new_url": reverse(
                    f"{self.admin_site.name}:{self._url_name('autosave_new')}"
                ),
                # The site's clock, in its time zone, as the date inputs read:
                # the panel's script says Schedule for a time after it.
                "panel_now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            }
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def log_change(self, request, obj, message):
        if getattr(obj, "_was_auto_draft", False):
            # An auto-draft's first save is the post's addition.
            return self.log_addition(request, obj, [{"added": {}}])
        return super().log_change(request, obj, message)

    def save_model(self, request, obj, form, change):
        stored = (
            Post._base_manager.filter(pk=obj.pk).values_list("status", flat=True).first()
            if obj.pk
            else None
        )
        obj._was_auto_draft = stored == Post.AUTO_DRAFT
        obj._was_live = stored in (Post.Status.PUBLISHED, Post.Status.PRIVATE)
        change = change and not obj._was_auto_draft
        if not change and "author" not in form.cleaned_data:
            obj.author = request.user
        if not change and "comment_mode" not in form.cleaned_data:
            # Those who may not choose (Contributors) still get the site's default.
            obj.comment_mode = SiteSettings.current().default_comment_mode
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        post = form.instance
        change = change and not getattr(post, "_was_auto_draft", False)
        # A new post left on the site's default takes its categories' default
        # (Post.comment_mode_from_categories). A mode the author picked that
        # differs from the site's default is kept; to open a post filed under
        # a closed category anyway, change it after the first save.
        if change or post.comment_mode != SiteSettings.current().default_comment_mode:
            return
        mode = post.comment_mode_from_categories()
        if mode != post.comment_mode:
            post.comment_mode = mode
            # An update, not save(): no second revision for a setting.
            self.model.objects.filter(pk=post.pk).update(comment_mode=mode)

    def saved_message(self, post):
        """
        What saving did, in WordPress's words, with a link to see it:
        "Post scheduled for 30 Dec 2026, 06:33. Preview post".
        """
        kind = capfirst(self.opts.verbose_name)
        first = not getattr(post, "_was_live", False)
        if post.is_scheduled:
            when = date_format(timezone.localtime(post.published_at), WHEN_FORMAT)
            said, link = f"{kind} scheduled for {when}.", "Preview"
        elif post.is_published:
            said, link = f"{kind} published." if first else f"{kind} updated.", "View"
        elif post.status == Post.Status.PRIVATE:
            said, link = (f"{kind} privately published." if first else f"{kind} updated."), "View"
        elif post.status == Post.Status.PENDING:
            said, link = f"{kind} submitted for review.", "Preview"
        else:
            said, link = f"{kind} draft saved.", "Preview"
        return format_html(
            '{} <a href="{}">{} {}</a>',
            said,
            post.get_absolute_url(),
            link,
            self.opts.verbose_name,
        )

    def _stays_on_form(self, request):
        return any(name in request.POST for name in (PUBLISH, SAVE_DRAFT, "_continue"))

    def _back_to_form(self, request, post):
        url = reverse(f"admin:{self._url_name('change')}", args=[post.pk])
        return redirect(
            add_preserved_filters(
                {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts},
                url,
            )
        )

    def response_add(self, request, obj, post_url_continue=None):
        if IS_POPUP_VAR in request.POST or "_addanother" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(request, self.saved_message(obj), messages.SUCCESS)
        if self._stays_on_form(request):
            return self._back_to_form(request, obj)
        return self.response_post_save_add(request, obj)

    def response_change(self, request, obj):
        if IS_POPUP_VAR in request.POST or {"_addanother", "_saveasnew"} & set(request.POST):
            return super().response_change(request, obj)
        self.message_user(request, self.saved_message(obj), messages.SUCCESS)
        if self._stays_on_form(request):
            return self._back_to_form(request, obj)
        return self.response_post_save_change(request, obj)

    # List columns.

    @admin.display(description="status", ordering="status")
    def state(self, post):
        return "Scheduled" if post.is_scheduled else post.get_status_display()

    @admin.display(description="categories")
    def category_names(self, post):
        return ", ".join(c.name for c in post.categories.all())

    @admin.display(description="share")
    def preview_link(self, post):
        # The buttons post the whole form (forms cannot nest): the views keep
        # its unsaved text as an autosave, and the panel's script sends them
        # on their own and puts the answer in place, edits untouched.
        if post.pk is None or is_auto_draft(post):
            return format_html(
                "<span data-share-panel>{}</span>",
                f"Save the {self.opts.verbose_name} to share a preview link.",
            )
        share = reverse(f"admin:{self._url_name('share_preview')}", args=[post.pk])
        revoke = reverse(f"admin:{self._url_name('revoke_preview')}", args=[post.pk])
        if not post.preview_key:
            return format_html(
                '<span data-share-panel><button type="submit" formaction="{}" formnovalidate '
                'class="button" data-share-action>Create a share link</button></span>',
                share,
            )
        link = preview.link_for(post)
        return format_html(
            "<span data-share-panel>Share link (valid {} days, for anyone): "
            '<a href="{link}">{link}</a><br>'
            '<input type="url" readonly value="{full}" class="share-url" data-share-url '
            'aria-label="The share link’s full address"> '
            '<button type="button" class="button" data-copy-share hidden>Copy link</button><br>'
            '<button type="submit" formaction="{}" formnovalidate class="button" data-share-action>'
            "Revoke share links</button></span>",
            preview.LINK_DAYS,
            revoke,
            link=link,
            full=settings.BLOG_SITE_URL.rstrip("/") + link,
        )

    # Actions: each re-checks every selected post against the user's rights.

    def _editable(self, request, queryset, check=permissions.can_edit):
        return [post for post in queryset if check(request.user, post)]

    def _report(self, request, count, singular, plural):
        self.message_user(request, ngettext(singular, plural, count) % {"n": count})

    def _set_comment_mode(self, request, queryset, mode):
        posts = self._editable(request, queryset, permissions.can_toggle_comments)
        # Through set_comment_mode: one UPDATE, and the page cache is told.
        return set_comment_mode(self.model.objects.filter(pk__in=[p.pk for p in posts]), mode)

    @admin.action(description="Switch comments off", permissions=["toggle_comments"])
    def close_comments(self, request, queryset):
        changed = self._set_comment_mode(request, queryset, Post.CommentMode.CLOSED)
        self._report(
            request,
            changed,
            "Comments switched off on %(n)d post.",
            "Comments switched off on %(n)d posts.",
        )

    @admin.action(description="Switch comments on", permissions=["toggle_comments"])
    def open_comments(self, request, queryset):
        changed = self._set_comment_mode(request, queryset, Post.CommentMode.OPEN)
        self._report(
            request,
            changed,
            "Comments switched on on %(n)d post.",
            "Comments switched on on %(n)d posts.",
        )

    @admin.action(description="Move to trash", permissions=["change"])
    def move_to_trash(self, request, queryset):
        posts = [p for p in self._editable(request, queryset) if p.status != Post.Status.TRASH]
        for post in posts:
            post.trash()
        self._report(
            request,
            len(posts),
            f"%(n)d post moved to the trash; it is deleted after {Post.TRASH_DAYS} days.",
            f"%(n)d posts moved to the trash; they are deleted after {Post.TRASH_DAYS} days.",
        )

    @admin.action(description="Restore from trash", permissions=["change"])
    def restore_from_trash(self, request, queryset):
        posts = [p for p in self._editable(request, queryset) if p.status == Post.Status.TRASH]
        for post in posts:
            post.restore()
        self._report(
            request, len(posts), "%(n)d post restored.", "%(n)d posts restored from the trash."
        )

    # Deleting a post asks what to do with its comments: delete it with them,
    # or move it to the trash instead. The confirmation pages are
    # templates/admin/posts/post/delete_confirmation.html and, for the bulk
    # action, delete_selected_confirmation.html (whose "trash instead" button
    # posts the move_to_trash action above).

    def delete_view(self, request, object_id, extra_context=None):
        if request.method == "POST" and request.POST.get("choice") == "trash":
            with transaction.atomic():
                post = self.get_object(request, unquote(object_id))
                if post is None:
                    raise Http404
                if not (
                    self.has_delete_permission(request, post)
                    and self.has_change_permission(request, post)
                ):
                    raise PermissionDenied
                if post.status != Post.Status.TRASH:
                    post.trash()
            self.message_user(
                request,
                f"“{post.title}” moved to the trash; it is deleted after {Post.TRASH_DAYS} days.",
            )
            return redirect(f"admin:{self._url_name('changelist')}")
        extra_context = {"trash_days": Post.TRASH_DAYS, **(extra_context or {})}
        return super().delete_view(request, object_id, extra_context)

    # Share links for previews, from buttons inside the change form.

    def _url_name(self, view_name):
        return f"{self.opts.app_label}_{self.opts.model_name}_{view_name}"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/preview/share/",
                view(require_POST(self.share_preview_view)),
                name=self._url_name("share_preview"),
            ),
            path(
                "<int:pk>/preview/revoke/",
                view(require_POST(self.revoke_preview_view)),
                name=self._url_name("revoke_preview"),
            ),
            *super().get_urls(),
        ]

    def _post_for_change(self, request, pk):
        post = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, post):
            raise PermissionDenied
        return post

    def share_preview_view(self, request, pk):
        post = self._post_for_change(request, pk)
        preview.ensure_key(post)
        return self._share_answer(
            request, post, f"Anyone with the link can now preview “{post.title}”."
        )

    def revoke_preview_view(self, request, pk):
        post = self._post_for_change(request, pk)
        preview.revoke(post)
        return self._share_answer(request, post, "The share links given out so far no longer work.")

    def _share_answer(self, request, post, said):
        """
        The panel's script asks for JSON (the share part anew, put in place).
        A form posted whole (no script) comes back to the post, its unsaved
        title, excerpt and body kept as the person's autosave to restore.
        """
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse({"html": str(self.preview_link(post)), "message": said})
        typed = {name: request.POST.get(name) for name in revisions.AUTOSAVED_FIELDS}
        if all(value is not None for value in typed.values()) and any(
            revisions.comparable_differs(getattr(post, name), value)
            for name, value in typed.items()
        ):
            revisions.autosave(post, request.user, **typed)
            said += " Your unsaved changes are kept: restore them from the autosave notice."
        messages.success(request, said)
        return redirect(f"admin:{self._url_name('change')}", post.pk)
