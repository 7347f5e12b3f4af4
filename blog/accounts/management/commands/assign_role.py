from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from blog.accounts.roles import ROLES, assign_role


class Command(BaseCommand):
    help = "Give a user one of the roles: " + ", ".join(ROLES) + "."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=ROLES, type=str.capitalize)

    def handle(self, *args, username, role, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        assign_role(user, role)
        self.stdout.write(f"{username} is now {'an' if role[0] in 'AE' else 'a'} {role}.")
