"""The public author slug, filled for existing users from their display names."""

from django.db import migrations, models

from blog.accounts.slugs import author_slug


def fill_slugs(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    taken = set()
    for user in User.objects.order_by("pk").only("pk", "username", "display_name"):
        user.slug = author_slug(user.display_name, user.username, taken.__contains__)
        taken.add(user.slug)
        user.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="slug",
            # No index yet: PostgreSQL's unique one comes with the AlterField below
            # (a SlugField's own index and its _like twin would be created twice).
            field=models.SlugField(
                blank=True, db_index=False, max_length=150, verbose_name="author slug"
            ),
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="slug",
            field=models.SlugField(
                blank=True,
                help_text="The author archive's address, /author/<slug>/. Made from the display "
                "name when left empty; it is public, so it may not be the login name.",
                max_length=150,
                unique=True,
                verbose_name="author slug",
            ),
        ),
    ]
