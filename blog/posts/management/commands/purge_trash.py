import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from blog.posts.models import Post


class Command(BaseCommand):
    help = f"Delete posts that have been in the trash for more than {Post.TRASH_DAYS} days."

    def handle(self, *args, **options):
        cutoff = timezone.now() - datetime.timedelta(days=Post.TRASH_DAYS)
        stale = Post.objects.filter(status=Post.Status.TRASH, trashed_at__lt=cutoff)
        count = stale.count()
        stale.delete()
        self.stdout.write(f"Purged {count} post(s) trashed before {cutoff:%Y-%m-%d %H:%M} UTC.")
