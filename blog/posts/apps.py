from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "blog.posts"
    label = "posts"
    verbose_name = "Posts"
