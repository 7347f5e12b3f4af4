from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "blog.pages"
    label = "pages"
    verbose_name = "Pages and menus"
