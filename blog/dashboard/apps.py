from django.contrib.admin.apps import AdminConfig


class BlogAdminConfig(AdminConfig):
    """django.contrib.admin, with the dashboard's site as ``admin.site``."""

    default_site = "blog.dashboard.site.BlogAdminSite"
