from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "blog.search"
    verbose_name = "Search"
