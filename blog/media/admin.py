from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import unquote
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext_lazy

from . import usage
from .forms import ImageUploadForm, MediaFileUploadForm
from .models import Image, Kind, MediaFile

# What the post editor's image picker lists at once.
LIBRARY_LIMIT = 60
# The size the list's <img> declares; the grid's cards (css/admin/media-library.css)
# show the same smallest rendition at their own width, cropped to one shape.
_THUMBNAIL_WIDTH = 80
_PREVIEW_WIDTH = 480


def _img(source, alt, max_width, css_class):
    """An <img> of ``source`` (an Image or Rendition) scaled to fit ``max_width``."""
    width = min(source.width, max_width)
    height = max(1, round(source.height * width / source.width))
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" class="{}" loading="lazy">',
        source.url,
        alt,
        width,
        height,
        css_class,
    )


def as_json(image):
    """What the post editor's image button gets for one image."""
    return {
        "id": image.pk,
        "url": image.url,
        "thumbnail": image.thumbnail().url,
        "alt": image.alt_text,
        "width": image.width,
        "height": image.height,
        "markdown": image.markdown,
    }


def _json_error(message, status):
    return JsonResponse({"error": message}, status=status)


class UploadMixin:
    """
    Adding is uploading: the add form is ``upload_form`` (which checks the
    file), and ``store_upload`` keeps what it accepted, as the uploader's.
    """

    upload_form = None

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            # The upload form names its own model fields; "file" is checked apart.
            kwargs.update(form=self.upload_form, fields=None)
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        obj.uploaded_by = request.user
        self.store_upload(obj, form)


class OwnFilesMixin:
    """
    Authors change only what they uploaded (alt text, caption, title); Editors
    and Administrators change anyone's. WordPress's rule: an attachment is a
    post, and changing someone else's takes ``edit_others_posts``, the Editor's
    permission. Others' files stay visible, read-only, to pick and paste.
    (Deleting is the Editor's permission alone, so it needs no such rule.)
    """

    def _owns_or_edits_others(self, request, obj):
        return obj.uploaded_by_id == request.user.pk or request.user.has_perm(
            "posts.edit_others_posts"
        )

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self._owns_or_edits_others(request, obj))


class InUseGuardMixin:
    """
    Shows where a library file is used, and refuses to delete it (alone or in
    bulk) while any finder in ``usage`` reports a use.
    """

    actions = ["delete_selected"]

    @admin.display(description="Used by")
    def used_by(self, obj):
        found = usage.usages(obj)
        if not found:
            return "Not used anywhere yet."
        return format_html(
            '<ul class="media-usages">{}</ul>',
            format_html_join(
                "", '<li><a href="{}">{}</a></li>', ((u, label) for label, u in found)
            ),
        )

    def _refuse_used(self, request, objects):
        """Say why each one in use can't go; True if any is in use."""
        refused = False
        for obj in objects:
            found = usage.usages(obj)
            if found:
                refused = True
                self.message_user(
                    request,
                    f"“{obj}” can't be deleted. {usage.describe(found)}",
                    messages.ERROR,
                )
        return refused

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if (
            obj is not None
            and self.has_delete_permission(request, obj)
            and self._refuse_used(request, [obj])
        ):
            info = f"{self.opts.app_label}_{self.opts.model_name}"
            return redirect(
                reverse(f"admin:{info}_change", args=[obj.pk], current_app=self.admin_site.name)
            )
        return super().delete_view(request, object_id, extra_context)

    @admin.action(
        permissions=["delete"],
        description=gettext_lazy("Delete selected %(verbose_name_plural)s"),
    )
    def delete_selected(self, request, queryset):
        """Django's delete action, refused while any selected file is in use."""
        if self._refuse_used(request, queryset):
            return None
        return django_delete_selected(self, request, queryset)


@admin.register(Image)
class ImageAdmin(OwnFilesMixin, UploadMixin, InUseGuardMixin, admin.ModelAdmin):
    list_display = ("thumbnail_column", "alt_text", "size_column", "uploaded_by", "uploaded_at")
    list_display_links = ("thumbnail_column", "alt_text")
    list_filter = ("format", "uploaded_at")
    list_select_related = ("uploaded_by",)
    search_fields = ("alt_text", "caption", "file", "uploaded_by__username")
    date_hierarchy = "uploaded_at"
    # Full rows of the grid at 2, 3, 4, 6 and 8 cards across.
    list_per_page = 48

    class Media:
        css = {"all": ["css/admin-media.css", "css/admin/media-library.css"]}
        js = [
            forms.Script("js/admin/common.js", defer=True),
            forms.Script("js/admin/media-grid.js", defer=True),
        ]

    # -- lists and forms ------------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).with_renditions()

    @admin.display(description="Image")
    def thumbnail_column(self, image):
        return _img(image.thumbnail(), image.alt_text, _THUMBNAIL_WIDTH, "media-thumbnail")

    @admin.display(description="Size", ordering="file_size")
    def size_column(self, image):
        return (
            f"{image.width} × {image.height} · {image.format} · {filesizeformat(image.file_size)}"
        )

    @admin.display(description="Image")
    def preview(self, image):
        source = next(
            (r for r in image.renditions.all() if r.format == "WEBP" and r.width >= 480),
            image,
        )
        return format_html(
            '<a href="{}">{}</a>',
            image.url,
            _img(source, image.alt_text, _PREVIEW_WIDTH, "media-preview"),
        )

    @admin.display(description="Details")
    def details(self, image):
        return format_html(
            '{} <a href="{}">{}</a><br>{}',
            self.size_column(image),
            image.url,
            image.url,
            image.markdown,
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["file", "alt_text", "caption"]
        return ["preview", "alt_text", "caption", "details", "uploaded_by", "used_by"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["preview", "details", "uploaded_by", "used_by"]

    upload_form = ImageUploadForm

    def store_upload(self, obj, form):
        obj.store(form.processed)

    # -- JSON for the post editor's image button ------------------------------

    def get_urls(self):
        return [
            path(
                "library/",
                self.admin_site.admin_view(self.library_view),
                name="media_image_library",
            ),
            path(
                "upload/",
                self.admin_site.admin_view(self.upload_view),
                name="media_image_upload",
            ),
            *super().get_urls(),
        ]

    def library_view(self, request):
        """GET: the newest images, ``?q=`` to search their alt text and captions."""
        if request.method != "GET":
            return _json_error("Use GET.", 405)
        if not self.has_view_permission(request):
            return _json_error("You may not see the media library.", 403)
        images = Image.objects.with_renditions()
        query = request.GET.get("q", "").strip()
        if query:
            images = images.filter(Q(alt_text__icontains=query) | Q(caption__icontains=query))
        return JsonResponse({"images": [as_json(image) for image in images[:LIBRARY_LIMIT]]})

    def upload_view(self, request):
        """POST multipart ``file`` + ``alt_text`` (+ ``caption``): 201 or 400 with errors."""
        if request.method != "POST":
            return _json_error("Use POST.", 405)
        if not self.has_add_permission(request):
            return _json_error("You may not upload images.", 403)
        form = ImageUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            errors = {
                name: [str(message) for message in found] for name, found in form.errors.items()
            }
            return JsonResponse({"errors": errors}, status=400)
        image = form.save(commit=False)
        image.uploaded_by = request.user
        image.store(form.processed)
        self.log_addition(request, image, [{"added": {}}])
        return JsonResponse(as_json(image), status=201)


@admin.register(MediaFile)
class MediaFileAdmin(OwnFilesMixin, UploadMixin, InUseGuardMixin, admin.ModelAdmin):
    """Audio, video and PDFs: uploaded as they are, checked by ``files.check``."""

    list_display = ("title", "kind", "size_column", "uploaded_by", "created_at")
    list_filter = ("kind", "created_at")
    list_select_related = ("uploaded_by",)
    search_fields = ("title", "original_name", "file", "uploaded_by__username")
    date_hierarchy = "created_at"
    list_per_page = 50

    class Media:
        css = {"all": ["css/admin-media.css"]}

    @admin.display(description="Size", ordering="file_size")
    def size_column(self, media_file):
        return filesizeformat(media_file.file_size)

    @admin.display(description="File")
    def link(self, media_file):
        player = ""
        if media_file.kind in (Kind.AUDIO, Kind.VIDEO):
            player = format_html(
                '<{} controls preload="metadata" src="{}" class="media-player"></{}>',
                media_file.kind,
                media_file.url,
                media_file.kind,
            )
        return format_html('<a href="{}">{}</a>{}', media_file.url, media_file.url, player)

    @admin.display(description="Details")
    def details(self, media_file):
        return (
            f"{media_file.get_kind_display()} · {media_file.mime_type} · "
            f"{filesizeformat(media_file.file_size)} · uploaded as “{media_file.original_name}”"
        )

    @admin.display(description="Paste into a post")
    def snippets(self, media_file):
        # escape(): the HTML snippet is shown as text to copy, never rendered.
        return format_html(
            '<dl class="media-snippets">{}</dl>',
            format_html_join(
                "",
                "<dt>{}</dt><dd><code>{}</code></dd>",
                ((label, escape(text)) for label, text in media_file.snippets()),
            ),
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["file", "title"]
        return ["title", "link", "snippets", "details", "uploaded_by", "created_at", "used_by"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["link", "snippets", "details", "uploaded_by", "created_at", "used_by"]

    upload_form = MediaFileUploadForm

    def store_upload(self, obj, form):
        obj.store(form.cleaned_data["file"], form.checked)
