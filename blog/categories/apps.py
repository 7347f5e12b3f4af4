from django.apps import AppConfig


class CategoriesConfig(AppConfig):
    name = "blog.categories"
    label = "categories"
    verbose_name = "Categories"
