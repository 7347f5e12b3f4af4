import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from blog.accounts import roles
from blog.wordpress.importer import WXRError, import_wxr

# Without a terminal, one progress line per this many items.
PROGRESS_EVERY = 2000


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR file): authors, categories, tags, posts, pages, "
        "attachments, comments and menus. Safe to run again: what changed in the file is "
        "updated, what was edited here is kept, nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The WXR file (Tools > Export in WordPress).")
        parser.add_argument(
            "--media-dir",
            help="The old site's wp-content/uploads folder, copied here: attachments are "
            "imported from it.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read everything and print the report, writing nothing.",
        )
        parser.add_argument(
            "--author-role",
            default=roles.AUTHOR,
            choices=roles.ROLES,
            help="The role of users created for the file's authors (default: Author).",
        )
        parser.add_argument(
            "--timezone",
            help="The old site's time zone, for dates the file gives only in local time "
            "(default: this site's).",
        )

    def handle(self, *args, file, media_dir, dry_run, author_role, timezone, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        if media_dir and not Path(media_dir).is_dir():
            raise CommandError(f"No such folder: {media_dir}")
        progress, close = self._progress()
        try:
            report = import_wxr(
                path,
                media_dir=media_dir,
                dry_run=dry_run,
                author_role=author_role,
                timezone=timezone,
                progress=progress,
            )
        except WXRError as error:
            raise CommandError(f"{file}: {error} Nothing was imported.") from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        finally:
            close()
        self.stdout.write(report.as_table(), ending="")

    def _progress(self):
        """A tqdm bar on a terminal; otherwise a line every PROGRESS_EVERY items."""
        if self.stdout.isatty():
            from tqdm import tqdm

            bar = tqdm(unit="item", file=sys.stderr, dynamic_ncols=True, desc="Importing")

            def update(done, total):
                if total is not None and bar.total != total:
                    bar.total = total
                bar.update(done - bar.n)

            return update, bar.close

        def lines(done, total):
            if done % PROGRESS_EVERY == 0 or done == total:
                of = f" of {total}" if total else ""
                self.stdout.write(f"Imported {done}{of} items…")

        return lines, lambda: None
