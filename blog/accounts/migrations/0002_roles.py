"""Create WordPress's roles as groups: Contributor, Author, Editor, Administrator."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from blog.accounts.roles import sync_roles


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the
    # groups can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(
        apps.get_model("auth", "Group").objects, apps.get_model("auth", "Permission").objects
    )


def remove_roles(apps, schema_editor):
    from blog.accounts.roles import ROLES

    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("categories", "0001_initial"),
        ("comments", "0001_initial"),
        ("posts", "0004_role_permissions"),
        ("sitesettings", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
