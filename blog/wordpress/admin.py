"""
*Imports from WordPress* in the admin, for Administrators only.

The list shows past and running imports; its *Add* page is the upload form
and an import's page follows it from the dry-run report to the final report
(blog/wordpress/admin_views.py). The work itself runs in the background
worker (blog/wordpress/tasks.py).
"""

from django.contrib import admin
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from blog.wordpress import admin_views
from blog.wordpress.jobs import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("wxr_name", "status", "created_by", "created_at", "finished_at")
    list_display_links = ("wxr_name",)
    list_filter = ("status",)
    list_select_related = ("created_by",)
    search_fields = ("wxr_name",)
    actions = None

    def _allowed(self, request):
        return admin_views.can_import(request.user)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A running import is the worker's until it ends, or is plainly lost.
        running = obj is not None and obj.is_running and not obj.is_stale
        return self._allowed(request) and not running

    def delete_model(self, request, obj):
        obj.delete_files()
        super().delete_model(request, obj)

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        replaced = {f"{prefix}_add", f"{prefix}_change"}
        view = self.admin_site.admin_view

        def bind(function, *, exempt=False):
            def bound(request, *args, **kwargs):
                return function(request, self, *args, **kwargs)

            return view(csrf_exempt(bound) if exempt else bound)

        return [
            # CSRF is checked inside, after an over-limit upload is refused unread.
            path("add/", bind(admin_views.upload_view, exempt=True), name=f"{prefix}_add"),
            path("<int:pk>/change/", bind(admin_views.job_view), name=f"{prefix}_change"),
            path("<int:pk>/confirm/", bind(admin_views.confirm_view), name=f"{prefix}_confirm"),
            path("<int:pk>/progress/", bind(admin_views.progress_view), name=f"{prefix}_progress"),
        ] + [url for url in super().get_urls() if url.name not in replaced]
