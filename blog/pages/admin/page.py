from django import forms
from django.contrib import admin
from django.utils.html import format_html

from blog.posts.admin import PostAdmin
from blog.posts.admin.post import ScheduleFilter, StatusFilter

from ..models import Page


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, page):
        return f"{page.title} (/{page.path}/)"


@admin.register(Page)
class PageAdmin(PostAdmin):
    """
    Pages, edited with the post editor, revisions, previews and share links;
    only Editors and Administrators hold the page permissions, as in WordPress.
    """

    # The post admin's templates serve pages unchanged.
    change_form_template = "admin/posts/post/change_form.html"
    delete_confirmation_template = "admin/posts/post/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/posts/post/delete_selected_confirmation.html"
    # The post list's columns (blog/posts/admin/changelist.py), titles in their tree.
    list_display = ("title_column", "author", "menu_order", "comments_column", "date_column")
    list_filter = (StatusFilter, ScheduleFilter, "comment_mode", "author")
    list_select_related = ("author",)
    search_fields = ("title", "slug", "path", "body", "excerpt")
    date_hierarchy = None
    ordering = ("path",)
    filter_horizontal = ()
    autocomplete_fields = ("featured_image",)
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
                    "password",
                    "preview_link",
                )
            },
        ),
        ("Page attributes", {"fields": ("parent", "menu_order", "featured_image")}),
        ("History", {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )

    def get_queryset(self, request):
        # No categories to prefetch; every Editor may edit every page.
        return admin.ModelAdmin.get_queryset(self, request)

    def get_changeform_initial_data(self, request):
        # Pages start with comments off, as in WordPress.
        return {
            **super().get_changeform_initial_data(request),
            "comment_mode": Page.CommentMode.CLOSED,
        }

    def save_model(self, request, obj, form, change):
        if not change and "comment_mode" not in form.cleaned_data:
            obj.comment_mode = Page.CommentMode.CLOSED
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # Pages have no categories to take a comment mode from.
        admin.ModelAdmin.save_related(self, request, form, formsets, change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            object_id = request.resolver_match.kwargs.get("object_id")
            pages = Page.objects.exclude(status=Page.Status.TRASH).order_by("path")
            if object_id:
                page = Page.objects.filter(pk=object_id).first()
                if page is not None:
                    # Not under itself nor one of its subpages.
                    pages = pages.exclude(pk__in={page.pk, *page.descendant_ids()})
            kwargs.update(
                queryset=pages,
                form_class=ParentChoiceField,
                required=False,
                empty_label="(no parent: a top-level page)",
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def title_text(self, page):
        # Subpages under their parents, indented, as WordPress lists them.
        return format_html("{}{}", "— " * (page.depth - 1), page.title)
