"""
The Markdown editor of the post admin.

The body stays a textarea; ``static/js/admin/post-editor.js`` adds a toolbar,
a live preview, a word count, autosave and an image dialog around it, and
suggestions to the tags input. This mixin gives those fields their widgets,
tells the script where its endpoints are (``data-*`` attributes) and serves
two endpoints of its own:

- ``admin:posts_post_preview`` (POST ``body``, ``body_format``): the body
  rendered by the same ``blog/markup.py`` pipeline the article uses, in the
  format chosen in the form (Markdown or WordPress HTML), with its word count;
- ``admin:posts_post_tag_suggestions`` (GET ``q``): existing tag names.

- ``admin:posts_post_theme_preview`` (``<id>/theme-preview/``, or
  ``theme-preview/`` for a post never saved; POST the whole form): the
  article as readers will see it, with the form's unsaved title, excerpt,
  body and format, saving nothing. The publish panel's *Preview* button
  posts the form there, into a new tab; a post never saved gets its
  auto-draft first, as WordPress does, so the preview has a row to stand on.

Autosave (``admin:posts_post_autosave``, and ``admin:posts_post_autosave_new``
for a new post's first one, which makes its auto-draft) belongs to the
revisions mixin and the image endpoints (``admin:media_image_library``,
``admin:media_image_upload``) to the media app. The script leaves out
whatever it is given no address for.
"""

import copy

from django.conf import settings
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Lower
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.text import slugify

from blog.markup import BodyFormat, RenderRefused, count_words, reading_minutes, render_post
from blog.media.widgets import featured_image_field

from .. import preview_limit
from ..widgets import MarkdownEditorWidget, TagAutocompleteWidget

TAG_SUGGESTIONS = 10


def preview_html(body, body_format=BodyFormat.MARKDOWN):
    """The HTML the article will show for ``body``: the one place the preview renders."""
    return render_post(body, body_format)


class EditorAdminMixin:
    """The Markdown editor: toolbar, live preview, word count, autosave client."""

    editor_field = "body"
    tags_field = "tags"

    # Widgets

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "featured_image":  # picked from thumbnails
            return featured_image_field(db_field, request, **kwargs)
        if db_field.name == self.editor_field:
            kwargs["widget"] = MarkdownEditorWidget
        elif db_field.name == self.tags_field:
            kwargs["widget"] = TagAutocompleteWidget
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # The class is new on every call, so these attributes never leak
        # from one request (or one post) to the next.
        urls = self.get_editor_urls(request, obj)
        body = form.base_fields.get(self.editor_field)
        if body is not None and isinstance(body.widget, MarkdownEditorWidget):
            body.widget.attrs.update(
                {
                    "data-preview-url": urls["preview"],
                    "data-autosave-url": urls["autosave"] or "",
                    # A new post's first autosave makes its auto-draft here.
                    "data-autosave-new-url": "" if urls["autosave"] else urls["autosave_new"],
                    "data-autosave-seconds": self.get_autosave_seconds(),
                    "data-image-library-url": urls["image_library"] or "",
                    "data-image-upload-url": urls["image_upload"] or "",
                    # The saved format, for when the form has no format select
                    # (it is read-only for some roles): the preview uses it.
                    "data-body-format": getattr(obj, "body_format", "") or BodyFormat.MARKDOWN,
                }
            )
        tags = form.base_fields.get(self.tags_field)
        if tags is not None and isinstance(tags.widget, TagAutocompleteWidget):
            tags.widget.attrs["data-suggest-url"] = urls["tag_suggestions"]
        return form

    def get_editor_urls(self, request, obj=None):
        """The endpoints the editor script talks to; ``None`` for those not installed."""
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        saved = obj is not None and obj.pk is not None
        return {
            "preview": reverse(f"{self.admin_site.name}:{info}_preview"),
            "tag_suggestions": reverse(f"{self.admin_site.name}:{info}_tag_suggestions"),
            # Autosave is for posts that exist: a new one has nothing to save onto.
            "autosave": (
                reverse(f"{self.admin_site.name}:{info}_autosave", args=[obj.pk]) if saved else None
            ),
            "autosave_new": reverse(f"{self.admin_site.name}:{info}_autosave_new"),
            "image_library": reverse(f"{self.admin_site.name}:media_image_library"),
            "image_upload": reverse(f"{self.admin_site.name}:media_image_upload"),
        }

    def get_autosave_seconds(self):
        return settings.BLOG_AUTOSAVE_SECONDS

    # Endpoints

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name=f"{info}_preview",
            ),
            path(
                "theme-preview/",
                self.admin_site.admin_view(self.theme_preview_view),
                name=f"{info}_theme_preview_new",
            ),
            path(
                "<path:object_id>/theme-preview/",
                self.admin_site.admin_view(self.theme_preview_view),
                name=f"{info}_theme_preview",
            ),
            path(
                "tags/suggest/",
                self.admin_site.admin_view(self.tag_suggestions_view),
                name=f"{info}_tag_suggestions",
            ),
            *super().get_urls(),
        ]

    def _check_may_write(self, request):
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied

    def preview_view(self, request):
        """
        POST ``body`` and ``body_format`` (a ``BodyFormat`` value, Markdown if
        absent) → ``{"html", "words", "reading_minutes"}``; 400 and
        ``{"error"}`` for an unknown format or a body over the limits of
        ``blog/render_limits.py`` (the form refuses the same body on save),
        429 past ``preview_limit``'s rate. admin_view checks CSRF.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._check_may_write(request)
        body_format = request.POST.get("body_format") or BodyFormat.MARKDOWN
        if body_format not in BodyFormat.values:
            return JsonResponse({"error": "Unknown body format."}, status=400)
        wait = preview_limit.wait_seconds(request.user)
        if wait:
            response = JsonResponse(
                {"error": f"Too many previews: the next one in {wait} s."}, status=429
            )
            response["Retry-After"] = str(wait)
            return response
        try:
            html = preview_html(request.POST.get("body", "").replace("\r\n", "\n"), body_format)
        except RenderRefused as refused:
            return JsonResponse({"error": str(refused)}, status=400)
        words = count_words(html)
        return JsonResponse(
            {"html": html, "words": words, "reading_minutes": reading_minutes(words)}
        )

    def theme_preview_url(self, obj=None):
        info = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}"
        if obj is None or obj.pk is None:
            return reverse(f"{info}_theme_preview_new")
        return reverse(f"{info}_theme_preview", args=[obj.pk])

    def theme_preview_view(self, request, object_id=None):
        """The article with the form's unsaved text, as readers would see it; saves nothing."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        typed = {name: request.POST.get(name) for name in ("title", "excerpt", "body")}
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            post = self.create_auto_draft(
                request, **{name: value or "" for name, value in typed.items()}
            )
        else:
            post = self.get_object(request, unquote(object_id))
            if post is None:
                raise Http404(f"No {self.opts.verbose_name} with ID “{object_id}”.")
            if not self.has_change_permission(request, post):
                raise PermissionDenied
        shown = copy.copy(post)
        for name, value in typed.items():
            if value is not None:
                setattr(shown, name, value.replace("\r\n", "\n"))
        shown.title = shown.title or "(no title)"
        if not shown.slug:
            # An auto-draft has no slug yet: the one saving would give, for its links.
            shown.slug = slugify(shown.title, allow_unicode=True) or shown.kind
            shown.path = shown.path or shown.slug
        body_format = request.POST.get("body_format")
        if body_format in BodyFormat.values and "body_format" not in self.get_readonly_fields(
            request, post
        ):
            shown.body_format = body_format
        try:
            shown.body_html = preview_html(shown.body, shown.body_format)
            shown.derive()
        except RenderRefused as refused:
            return HttpResponse(str(refused), status=400, content_type="text/plain")
        from ..views import PostPreviewView

        view = PostPreviewView()
        view.setup(request)
        view.object = shown
        context = view.get_context_data(object=shown, is_preview=True, locked=False)
        response = TemplateResponse(request, shown.detail_template_name, context).render()
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
        return response

    def tag_suggestions_view(self, request):
        """GET ``q`` → ``{"tags": [...]}``: names starting with ``q`` first, then containing it."""
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        self._check_may_write(request)
        query = request.GET.get("q", "").strip()[:100]
        names = []
        if query:
            tag_model = self.opts.get_field(self.tags_field).related_model
            names = list(
                tag_model.objects.filter(name__icontains=query)
                .annotate(
                    rank=Case(
                        When(name__istartswith=query, then=Value(0)),
                        default=Value(1),
                        output_field=IntegerField(),
                    )
                )
                .order_by("rank", Lower("name"))
                .values_list("name", flat=True)[:TAG_SUGGESTIONS]
            )
        return JsonResponse({"tags": names})
