"""
``manage.py export_wxr [--output FILE]``: the whole site as a WordPress
eXtended RSS file (WXR 1.2) that WordPress's importer, or ``import_wxr``, can
read. See ``blog/wordpress/export.py`` for what goes in and how.

Without ``--output`` the file goes to standard output. With it, the export is
written beside FILE and moved into place when complete, so a failed export
never leaves half a file under that name.
"""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from blog.wordpress.export import WXRExport

KINDS = ("authors", "categories", "tags", "menus", "attachments", "posts", "pages", "comments")


class Command(BaseCommand):
    help = "Export the site as a WordPress eXtended RSS (WXR 1.2) file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", metavar="FILE", help="Write to FILE instead of standard output."
        )

    def handle(self, *args, output=None, **options):
        export = WXRExport()
        if output is None:
            self._write_stdout(export)
        else:
            self._write_file(export, Path(output))
        counts = export.counts
        summary = ", ".join(f"{counts[kind]} {kind}" for kind in (*KINDS, "menu items"))
        where = f" to {output}" if output else ""
        # The summary goes to stderr so that standard output is the file alone.
        self.stderr.write(f"Exported {summary}{where}.", style_func=self.style.SUCCESS)

    def _write_stdout(self, export):
        stream = getattr(self.stdout, "_out", self.stdout)
        binary = getattr(stream, "buffer", None)
        if binary is None:  # a text stream given by the caller (call_command, tests)
            for chunk in export:
                stream.write(chunk)
            return
        # The file says it is UTF-8: write bytes, whatever the terminal's encoding.
        stream.flush()
        for chunk in export:
            binary.write(chunk.encode("utf-8"))
        binary.flush()

    @staticmethod
    def _write_file(export, path):
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise CommandError(f"No such folder: {folder}")
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
                export.write(file)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
