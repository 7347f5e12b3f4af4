from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from blog.posts import counts


class Command(BaseCommand):
    help = (
        "Work out again how many published posts the site, each category and each "
        "tag hold (the paginators' stored counts), after a bulk change that sent "
        "no signals (QuerySet.update, bulk_create, raw SQL, loaddata)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database, **options):
        found = counts.recount(using=database)
        lists = sum(1 for n in found.values() if n)
        self.stdout.write(f"Counted {found[counts.SITE]} published post(s) in {lists} list(s).")
