from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import apps as auth_apps
from taggit.apps import TaggitAppConfig


class BlogAdminConfig(AdminConfig):
    """django.contrib.admin, with the dashboard's site as ``admin.site``."""

    default_site = "blog.dashboard.site.BlogAdminSite"


# Django's documented way to rename a library's app: a subclass of its config
# in INSTALLED_APPS. The names show in the admin's breadcrumbs and app pages.
class AuthConfig(auth_apps.AuthConfig):
    verbose_name = "Users and roles"


class TagsConfig(TaggitAppConfig):
    verbose_name = "Tags"
