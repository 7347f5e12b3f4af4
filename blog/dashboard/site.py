from django.contrib import admin
from django.urls import path

from . import panels, sections
from .forms import QuickDraftForm
from .views import quick_draft


class BlogAdminSite(admin.AdminSite):
    """
    The admin, with WordPress's dashboard as its home page (``index``), the
    sections named as people know them (``get_app_list``), and the Quick
    draft form's address (``admin:quick_draft``).
    """

    index_title = "Dashboard"

    def get_app_list(self, request, app_label=None):
        # One app's own page (/admin/<app>/) lists only that app's models.
        return sections.arrange(super().get_app_list(request, app_label), merge=app_label is None)

    def get_urls(self):
        return [
            path(
                "quick-draft/",
                self.admin_view(lambda request: quick_draft(request, self)),
                name="quick_draft",
            ),
            *super().get_urls(),
        ]

    def index(self, request, extra_context=None):
        context = panels.context(request, self)
        if request.user.has_perm("posts.add_post"):
            context["quick_draft_form"] = QuickDraftForm()
        return super().index(request, {**context, **(extra_context or {})})
