from functools import update_wrapper

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst

from blog.markup import RenderRefused

from .. import revisions
from ..models import Autosave, Post, Revision

REVISIONS_PER_PAGE = 100
# To the second: two saves in one minute are two revisions to tell apart.
WHEN_FORMAT = "N j, Y, H:i:s"


def is_auto_draft(post):
    return post is not None and post.status == Post.AUTO_DRAFT


class AutosaveForm(forms.Form):
    """What the editor sends every 30 s; stripped as the admin's own form strips."""

    title = forms.CharField(max_length=Revision._meta.get_field("title").max_length, required=False)
    excerpt = forms.CharField(required=False)
    body = forms.CharField(required=False)


class RevisionAdminMixin:
    """
    Revision history, diffs, restore, and the autosave endpoint.

    URLs (names in the ``admin`` namespace), all behind ``admin_view`` and the
    change permission on the post:

    - ``posts_post_revisions``          ``<id>/revisions/``
    - ``posts_post_revision_diff``      ``<id>/revisions/compare/?from=<rev>&to=<rev>``
    - ``posts_post_revision_restore``   ``<id>/revisions/<rev>/restore/`` (POST; GET confirms)
    - ``posts_post_autosave_new``       ``add/autosave/`` (POST, JSON answer): a new
      post's first autosave, which makes its auto-draft
    - ``posts_post_autosave``           ``<id>/autosave/`` (POST, JSON answer)
    - ``posts_post_autosave_restore``   ``<id>/autosave/restore/`` (POST)
    - ``posts_post_autosave_discard``   ``<id>/autosave/discard/`` (POST)

    The change form gets ``revision_count``, ``revisions_url``,
    ``pending_autosave``, ``autosave_url``, ``autosave_restore_url`` and
    ``autosave_discard_url`` for ``admin/posts/post/_revisions_panel.html``;
    the add form (and an auto-draft's) ``unsaved_drafts``, the person's
    auto-drafts to go back to.

    Auto-drafts (``Post.AUTO_DRAFT``): a new post's first autosave makes a
    hidden row, and the form goes on as that row's change form. Only its
    author finds it (``get_object``); its autosaves write to it directly (no
    revision, no signal); its first save through the form is the post's
    first save, an addition.
    """

    unsaved_drafts_shown = 5

    revisions_template = "admin/posts/post/revision_list.html"
    revision_diff_template = "admin/posts/post/revision_diff.html"
    revision_restore_template = "admin/posts/post/revision_restore.html"

    # --- wiring -----------------------------------------------------------

    def get_urls(self):
        def wrap(view):
            def wrapper(*args, **kwargs):
                return self.admin_site.admin_view(view)(*args, **kwargs)

            wrapper.model_admin = self
            return update_wrapper(wrapper, view)

        name = f"{self.opts.app_label}_{self.opts.model_name}"
        # Before the admin's own URLs, whose "<path:object_id>/" would catch these.
        return [
            path("add/autosave/", wrap(self.autosave_new_view), name=f"{name}_autosave_new"),
            path(
                "<path:object_id>/revisions/",
                wrap(self.revisions_view),
                name=f"{name}_revisions",
            ),
            path(
                "<path:object_id>/revisions/compare/",
                wrap(self.revision_diff_view),
                name=f"{name}_revision_diff",
            ),
            path(
                "<path:object_id>/revisions/<int:revision_id>/restore/",
                wrap(self.revision_restore_view),
                name=f"{name}_revision_restore",
            ),
            path(
                "<path:object_id>/autosave/",
                wrap(self.autosave_view),
                name=f"{name}_autosave",
            ),
            path(
                "<path:object_id>/autosave/restore/",
                wrap(self.autosave_restore_view),
                name=f"{name}_autosave_restore",
            ),
            path(
                "<path:object_id>/autosave/discard/",
                wrap(self.autosave_discard_view),
                name=f"{name}_autosave_discard",
            ),
            *super().get_urls(),
        ]

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["css/admin-revisions.css"]})

    def save_model(self, request, obj, form, change):
        obj._changed_by = request.user
        super().save_model(request, obj, form, change)
        # What the person just saved supersedes their autosave of it.
        revisions.discard_autosave(obj, request.user)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The change view's context, also on a re-render after errors; the
        # object is already loaded here, so this costs no extra fetch.
        if (
            obj is not None
            and not add
            and not is_auto_draft(obj)
            and self.has_change_permission(request, obj)
        ):
            context.update(self._revisions_panel_context(request, obj))
        if add or is_auto_draft(obj):
            context["unsaved_drafts"] = self._unsaved_drafts(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- auto-drafts ------------------------------------------------------

    @property
    def post_kind(self):
        """The kind of post this admin edits: its model's name ("post", "page")."""
        return self.opts.model_name

    def auto_drafts(self, request):
        """The person's own auto-drafts of this admin's kind."""
        return self.model.auto_drafts.filter(kind=self.post_kind, author=request.user)

    def get_object(self, request, object_id, from_field=None):
        post = super().get_object(request, object_id, from_field)
        if post is None and from_field is None:
            try:
                post = self.auto_drafts(request).filter(pk=int(object_id)).first()
            except (TypeError, ValueError):
                return None
        return post

    def _unsaved_drafts(self, request, current=None):
        drafts = self.auto_drafts(request).order_by("-updated_at", "-pk")
        if current is not None:
            drafts = drafts.exclude(pk=current.pk)
        return [
            {
                "post": draft,
                "url": self._change_url(draft),
                "discard_url": self._url("autosave_discard", draft),
            }
            for draft in drafts.only("pk", "title", "body", "updated_at")[
                : self.unsaved_drafts_shown
            ]
        ]

    def autosave_new_view(self, request):
        """
        A new post's first autosave: make its auto-draft, owned by the person,
        with the form's defaults (author, comment mode), and answer where the
        form goes on: ``{"id", "change_url", "autosave_url", "message"}``.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            return JsonResponse(
                {"error": "forbidden", "message": "Not autosaved: you may not add posts."},
                status=403,
            )
        form = AutosaveForm(request.POST)
        if not form.is_valid():
            return self._autosave_refused(form)
        post = self.create_auto_draft(request, **form.cleaned_data)
        return JsonResponse(
            {
                "id": post.pk,
                "change_url": self._change_url(post),
                "autosave_url": self._url("autosave", post),
                "theme_preview_url": self.theme_preview_url(post),
                **self._autosaved(post.updated_at),
            }
        )

    def create_auto_draft(self, request, title="", excerpt="", body=""):
        """The hidden row a new post is autosaved to (no save(), so no signal, slug or revision)."""
        initial = self.get_changeform_initial_data(request)
        body_format = request.POST.get("body_format")
        if body_format not in Post.BodyFormat.values:
            body_format = Post.BodyFormat.MARKDOWN
        draft = self.model(
            kind=self.post_kind,
            status=Post.AUTO_DRAFT,
            author=request.user,
            comment_mode=initial.get("comment_mode") or Post.CommentMode.OPEN,
            title=title,
            excerpt=excerpt,
            body=body,
            body_format=body_format,
        )
        (draft,) = self.model.auto_drafts.bulk_create([draft])
        return draft

    def _autosave_refused(self, form):
        return JsonResponse(
            {
                "error": "invalid",
                "message": "Not autosaved: "
                + " ".join(
                    f"{capfirst(name)}: {' '.join(errors)}" for name, errors in form.errors.items()
                ),
                "errors": form.errors,
            },
            status=400,
        )

    @staticmethod
    def _autosaved(saved_at):
        local = timezone.localtime(saved_at)
        return {"saved_at": saved_at.isoformat(), "message": f"Autosaved at {local:%H:%M:%S}."}

    def _revisions_panel_context(self, request, post):
        return {
            "revision_count": post.revisions.count(),
            "revisions_url": self._url("revisions", post),
            "pending_autosave": revisions.pending_autosave(post, request.user),
            "autosave_url": self._url("autosave", post),
            "autosave_restore_url": self._url("autosave_restore", post),
            "autosave_discard_url": self._url("autosave_discard", post),
        }

    def _url(self, view, post, *args):
        return reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{view}",
            args=[post.pk, *args],
        )

    def _change_url(self, post):
        return self._url("change", post)

    def _add_url(self):
        return reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_add")

    def _post_or_404(self, request, object_id):
        post = self.get_object(request, unquote(object_id))
        if post is None:
            raise Http404(f"No {self.opts.verbose_name} with ID “{object_id}”.")
        return post

    def _editable_post(self, request, object_id):
        post = self._post_or_404(request, object_id)
        if not self.has_change_permission(request, post):
            raise PermissionDenied
        return post

    def _context(self, request, post, title, **extra):
        request.current_app = self.admin_site.name
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "opts": self.opts,
            "object": post,
            "change_url": self._change_url(post),
            "revisions_url": self._url("revisions", post),
            **extra,
        }

    # --- revisions --------------------------------------------------------

    def revisions_view(self, request, object_id):
        post = self._editable_post(request, object_id)
        history = post.revisions.select_related("author", "created_by").order_by(
            "-created_at", "-pk"
        )
        paginator = self.get_paginator(request, history, REVISIONS_PER_PAGE)
        page = paginator.get_page(request.GET.get(PAGE_VAR, 1))
        rows = list(page)
        context = self._context(
            request,
            post,
            f"Revisions: {post}",
            revisions=rows,
            page=page,
            page_var=PAGE_VAR,
            page_range=paginator.get_elided_page_range(page.number),
            pagination_required=paginator.num_pages > 1,
            # Preselected: the newest against the one before it.
            compare_to=rows[0].pk if rows else None,
            compare_from=rows[1].pk if len(rows) > 1 else None,
            compare_url=self._url("revision_diff", post),
            # The newest revision, when the post still holds it, has nothing to restore.
            current_revision_id=(
                rows[0].pk if rows and page.number == 1 and rows[0].matches(post) else None
            ),
            module_name=capfirst(self.opts.verbose_name_plural),
        )
        return TemplateResponse(request, self.revisions_template, context)

    def revision_diff_view(self, request, object_id):
        post = self._editable_post(request, object_id)
        old = self._revision_or_404(post, request.GET.get("from"))
        new = self._revision_or_404(post, request.GET.get("to"))
        context = self._context(
            request,
            post,
            f"Compare revisions: {post}",
            old=old,
            new=new,
            sides=[("From", old), ("To", new)],
            diff=revisions.diff(old, new),
        )
        return TemplateResponse(request, self.revision_diff_template, context)

    def revision_restore_view(self, request, object_id, revision_id):
        post = self._editable_post(request, object_id)
        revision = get_object_or_404(
            Revision.objects.select_related("author", "created_by"), pk=revision_id, post=post
        )
        # Restoring never changes what the person could not change in the form.
        with_author = "author" not in self.get_readonly_fields(request, post)
        if request.method == "POST":
            when = date_format(timezone.localtime(revision.created_at), WHEN_FORMAT)
            try:
                revisions.restore(revision, request.user, with_author=with_author)
            except RenderRefused as refused:
                # A revision stored before today's render limits: the post stays as it is.
                self.message_user(
                    request, f"The revision from {when} was not restored: {refused}", messages.ERROR
                )
            else:
                self.message_user(request, f"Restored the revision from {when}.", messages.SUCCESS)
            return HttpResponseRedirect(self._change_url(post))
        context = self._context(
            request,
            post,
            f"Restore a revision: {post}",
            revision=revision,
            restores_author=with_author and revision.author_id not in (None, post.author_id),
            # What restoring would change, from the post as it is now.
            diff=revisions.diff(post, revision),
        )
        return TemplateResponse(request, self.revision_restore_template, context)

    @staticmethod
    def _revision_or_404(post, revision_id):
        try:
            revision_id = int(revision_id)
        except (TypeError, ValueError):
            raise Http404("Choose two revisions to compare.") from None
        return get_object_or_404(
            Revision.objects.select_related("author", "created_by"), pk=revision_id, post=post
        )

    # --- autosave ---------------------------------------------------------

    def autosave_view(self, request, object_id):
        """The editor's autosave: JSON in all answers, never a change to the post."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        post = self.get_object(request, unquote(object_id))
        if post is None:
            return JsonResponse(
                {"error": "not_found", "message": "Not autosaved: no such post."}, status=404
            )
        if not self.has_change_permission(request, post):
            return JsonResponse(
                {"error": "forbidden", "message": "Not autosaved: you may not edit this post."},
                status=403,
            )
        # A field the editor did not send keeps what the post holds.
        form = AutosaveForm(
            {name: request.POST.get(name, getattr(post, name)) for name in AutosaveForm.base_fields}
        )
        if not form.is_valid():
            return self._autosave_refused(form)
        if is_auto_draft(post):
            # Nothing to keep apart from: the auto-draft is the unsaved text.
            now = timezone.now()
            self.model.auto_drafts.filter(pk=post.pk).update(**form.cleaned_data, updated_at=now)
            return JsonResponse(self._autosaved(now))
        saved = revisions.autosave(post, request.user, **form.cleaned_data)
        return JsonResponse(self._autosaved(saved.saved_at))

    def autosave_restore_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        post = self._editable_post(request, object_id)
        saved = Autosave.objects.filter(post=post, user=request.user).first()
        if saved is None:
            self.message_user(request, "There is no autosave to restore.", messages.WARNING)
        else:
            when = date_format(timezone.localtime(saved.saved_at), WHEN_FORMAT)
            try:
                revisions.restore_autosave(saved, request.user)
            except RenderRefused as refused:
                # The autosave is kept: its text can still be copied from the editor.
                self.message_user(
                    request, f"The autosave from {when} was not restored: {refused}", messages.ERROR
                )
            else:
                self.message_user(request, f"Restored the autosave from {when}.", messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(post))

    def autosave_discard_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        post = self._editable_post(request, object_id)
        if is_auto_draft(post):
            # An unsaved new post: discarding it deletes it, and the add form opens.
            post.delete()
            self.message_user(request, "Discarded the unsaved draft.", messages.SUCCESS)
            return HttpResponseRedirect(self._add_url())
        if revisions.discard_autosave(post, request.user):
            self.message_user(request, "Discarded the autosave.", messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(post))
