from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "blog.accounts"
    label = "accounts"
    verbose_name = "Accounts"
