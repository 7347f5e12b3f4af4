"""
An import from WordPress started in the admin and run by the background worker.

The uploaded WXR file (and the optional zip of the uploads folder) live in the
default storage under an unguessable folder, and every state the admin page
shows lives in this row, so any app server can answer for a job that any
worker runs. The files are removed once the import is over.
"""

import datetime
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename

UPLOAD_FOLDER = "wordpress-imports"


def _upload_to(job, filename):
    name = get_valid_filename(PurePosixPath(filename).name)[-100:] or "upload"
    return f"{UPLOAD_FOLDER}/{job.token.hex}/{name}"


class ImportJob(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Waiting for the check"
        CHECKING = "checking", "Checking"
        CHECKED = "checked", "Checked: waiting for confirmation"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    # A job still running this long after it started was lost with its worker
    # (a restart mid-import): it may be discarded, and the import run again.
    STALE_AFTER = datetime.timedelta(hours=6)

    # Names the job's folder in the storage: media may be served publicly.
    token = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    wxr_file = models.FileField("WXR file", upload_to=_upload_to, max_length=300, blank=True)
    wxr_name = models.CharField("file name", max_length=255)
    wxr_size = models.PositiveBigIntegerField(default=0)
    media_zip = models.FileField(
        "uploads folder (zip)", upload_to=_upload_to, max_length=300, blank=True
    )
    media_zip_name = models.CharField(max_length=255, blank=True)
    author_role = models.CharField(max_length=30, default="Author")
    status = models.CharField(max_length=20, choices=Status, default=Status.UPLOADED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(null=True, blank=True)
    # Report.to_dict() of the dry run, then of the import.
    dry_run_report = models.JSONField(null=True, blank=True)
    report = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wordpress_imports",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "import from WordPress"
        verbose_name_plural = "imports from WordPress"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return (
            f"{self.wxr_name} ({self.created_at:%Y-%m-%d %H:%M})"
            if self.created_at
            else (self.wxr_name)
        )

    def get_absolute_url(self):
        return reverse("admin:wordpress_importjob_change", args=[self.pk])

    @property
    def folder(self):
        return f"{UPLOAD_FOLDER}/{self.token.hex}"

    @property
    def progress_name(self):
        """Where the worker writes progress while the import's transaction is open."""
        return f"{self.folder}/progress.json"

    @property
    def is_running(self):
        return self.status in {self.Status.UPLOADED, self.Status.CHECKING, self.Status.IMPORTING}

    @property
    def is_stale(self):
        began = self.started_at or self.confirmed_at or self.created_at
        return self.is_running and began is not None and timezone.now() - began > self.STALE_AFTER

    @property
    def is_finished(self):
        return self.status in {self.Status.DONE, self.Status.FAILED}

    def delete_files(self):
        """Remove the uploads and the progress file from the storage."""
        for field in (self.wxr_file, self.media_zip):
            if field:
                field.delete(save=False)
        storage = self.wxr_file.storage
        if storage.exists(self.progress_name):
            storage.delete(self.progress_name)
