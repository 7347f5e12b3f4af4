from django.apps import AppConfig


class WordPressConfig(AppConfig):
    name = "blog.wordpress"
    label = "wordpress"
    verbose_name = "WordPress"
