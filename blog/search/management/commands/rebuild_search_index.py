from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, transaction

from blog.posts.models import Post
from blog.search import backends


class Command(BaseCommand):
    help = (
        "Index every post again, after an import or a bulk change that sent no "
        "signals (QuerySet.update, bulk_create, raw SQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database, **options):
        posts = Post.any_kind.using(database).exclude(status=Post.Status.TRASH).order_by("pk")
        # One transaction: searches never see a half-built index.
        with transaction.atomic(using=database):
            count = backends.rebuild(posts.iterator(chunk_size=500), using=database)
        self.stdout.write(f"Indexed {count} post(s) for search.")
