from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def sync_role_groups(sender, using, **kwargs):
    """After migrate (once every app has made its permissions), bring the roles up to date."""
    # migrate signals only the apps with models: the last of those is the last signal
    # (an app without models at the end of INSTALLED_APPS would never be the sender).
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is not with_models[-1]:
        return
    from django.contrib.auth.models import Group, Permission

    from .roles import sync_roles

    sync_roles(Group.objects.db_manager(using), Permission.objects.db_manager(using))


class AccountsConfig(AppConfig):
    name = "blog.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        post_migrate.connect(sync_role_groups, dispatch_uid="accounts.sync_role_groups")
