import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

PASSWORD_FILE = settings.BASE_DIR / ".admin-password"


class Command(BaseCommand):
    help = (
        "Make sure a local superuser 'admin' exists with a known password and print "
        "the login. Development only: refuses to run with DEBUG off."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    def handle(self, *args, url, **options):
        if not settings.DEBUG:
            raise CommandError(
                "local_admin is for local development; it refuses when DEBUG is off."
            )
        user, created = get_user_model().objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True}
        )
        # The password survives a fresh database, so a second `make run` prints
        # the same login; a password the developer changed is left alone.
        saved = PASSWORD_FILE.read_text().strip() if PASSWORD_FILE.exists() else ""
        if created or not user.has_usable_password():
            password = saved or secrets.token_urlsafe(12)
            user.set_password(password)
            user.is_staff = user.is_superuser = True
            user.save()
            PASSWORD_FILE.write_text(password + "\n")
            PASSWORD_FILE.chmod(0o600)
        elif saved and user.check_password(saved):
            password = saved
        else:
            password = "(the one you set; change it with manage.py changepassword admin)"  # noqa: S105
        self.stdout.write(f"Admin: {url}  user: admin  password: {password}")
