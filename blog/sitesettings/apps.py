from django.apps import AppConfig


class SiteSettingsConfig(AppConfig):
    name = "blog.sitesettings"
    label = "sitesettings"
    verbose_name = "Site settings"

    def ready(self):
        from . import signals  # noqa: F401
