from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "blog.comments"
    label = "comments"
    verbose_name = "Comments"
