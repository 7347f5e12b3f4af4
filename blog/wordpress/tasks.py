"""
The background half of *Import from WordPress* in the admin.

Two tasks of Django's tasks framework, run by ``manage.py db_worker``
(django-tasks-db's database backend, so any app server can enqueue and any
worker can run): ``check_import`` makes the dry-run report of an uploaded
file, ``run_import`` imports it once an Administrator has confirmed. Each
claims its job with a conditional UPDATE, so a task enqueued twice runs once.

The importer runs in one transaction (all or nothing), which other
connections cannot see into until it ends, and SQLite admits one writer at a
time; so the running figures go to a small JSON file beside the upload in the
default storage, which the progress endpoint reads, and the job's row gets
the final figures when the phase ends.
"""

import json
import logging
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from django.core.files.base import ContentFile
from django.tasks import task
from django.utils import timezone

from blog.wordpress.jobs import ImportJob
from blog.wordpress.safezip import UnsafeZip, extract_zip, uploads_root

logger = logging.getLogger(__name__)
Status = ImportJob.Status


def import_wxr(source, **options):
    """The importer (blog/wordpress/importer.py), looked up when a task runs."""
    from blog.wordpress.importer import import_wxr as run

    return run(source, **options)


def _wxr_error_class():
    try:
        from blog.wordpress.wxr import WXRError
    except ImportError:  # pragma: no cover - only before the parser exists
        return ()
    return WXRError


class ProgressWriter:
    """``progress(done, total)`` for the importer: writes at most every ``interval`` s."""

    interval = 1.0

    def __init__(self, job):
        self.job = job
        self.storage = job._meta.get_field("wxr_file").storage
        self.last_write = 0.0
        self.done = 0
        self.total = None

    def __call__(self, done, total=None):
        self.done, self.total = done, total
        now = time.monotonic()
        if now - self.last_write < self.interval:
            return
        self.last_write = now
        self.write()

    def write(self):
        name = self.job.progress_name
        data = json.dumps({"done": self.done, "total": self.total}).encode()
        try:
            if self.storage.exists(name):
                self.storage.delete(name)
            self.storage.save(name, ContentFile(data))
        except OSError:
            # Progress is a courtesy: a storage hiccup must not stop the import.
            logger.warning("Could not write the progress of import job %s", self.job.pk)

    def clear(self):
        try:
            if self.storage.exists(self.job.progress_name):
                self.storage.delete(self.job.progress_name)
        except OSError:
            pass


def read_progress(job):
    """The running figures the worker last wrote, or the row's own: (done, total)."""
    if job.is_running:
        storage = job._meta.get_field("wxr_file").storage
        try:
            with storage.open(job.progress_name, "rb") as file:
                data = json.loads(file.read())
            return int(data["done"]), (int(data["total"]) if data["total"] is not None else None)
        except (OSError, ValueError, KeyError, TypeError):
            pass
    return job.progress_done, job.progress_total


@task()
def check_import(job_id):
    """The dry run of an uploaded file: parse everything, write nothing, report."""
    claimed = ImportJob.objects.filter(pk=job_id, status=Status.UPLOADED).update(
        status=Status.CHECKING
    )
    if claimed:
        _run(ImportJob.objects.get(pk=job_id), dry_run=True)


@task()
def run_import(job_id):
    """The import an Administrator confirmed after reading the dry-run report."""
    claimed = ImportJob.objects.filter(
        pk=job_id, status=Status.IMPORTING, started_at__isnull=True
    ).update(started_at=timezone.now(), progress_done=0, progress_total=None)
    if claimed:
        _run(ImportJob.objects.get(pk=job_id), dry_run=False)


def _local_path(field):
    try:
        return field.storage.path(field.name)
    except NotImplementedError:
        return None


def _run(job, *, dry_run):
    progress = ProgressWriter(job)
    try:
        with ExitStack() as stack:
            media_dir = None
            if job.media_zip:
                folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="wp-")))
                with job.media_zip.open("rb") as archive:
                    extract_zip(archive, folder / "uploads")
                media_dir = str(uploads_root(folder / "uploads"))
            source = _local_path(job.wxr_file) or stack.enter_context(job.wxr_file.open("rb"))
            report = import_wxr(
                source,
                media_dir=media_dir,
                dry_run=dry_run,
                author_role=job.author_role,
                progress=progress,
            )
            data = report.to_dict()
    except UnsafeZip as error:
        _fail(job, f"The uploads zip was refused: {error}")
    except _wxr_error_class() as error:
        _fail(job, str(error))
    except Exception as error:
        logger.exception("Import job %s failed", job.pk)
        _fail(job, f"The import stopped on an unexpected error: {type(error).__name__}: {error}")
    else:
        now = timezone.now()
        job.progress_done = progress.total or progress.done
        job.progress_total = progress.total or progress.done
        fields = ["status", "progress_done", "progress_total"]
        if dry_run:
            job.status, job.dry_run_report, job.checked_at = Status.CHECKED, data, now
            fields += ["dry_run_report", "checked_at"]
        else:
            job.status, job.report, job.finished_at = Status.DONE, data, now
            fields += ["report", "finished_at"]
        job.save(update_fields=fields)
        if not dry_run:
            _discard_uploads(job)
    finally:
        progress.clear()


def _fail(job, message):
    job.status = Status.FAILED
    job.error = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    _discard_uploads(job)


def _discard_uploads(job):
    """The uploaded files are not needed once the import is over."""
    job.delete_files()
    job.save(update_fields=["wxr_file", "media_zip"])
