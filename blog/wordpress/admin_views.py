"""
*Import from WordPress* in the admin: upload, dry-run report, confirm,
progress, final report.

Nothing here imports: the views store the upload in the default storage,
record an ImportJob and enqueue a task (blog/wordpress/tasks.py) that the
background worker runs. The job page polls ``progress/`` for JSON and reloads
itself when a phase ends; without scripts it offers a refresh link.
"""

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from blog.accounts.roles import AUTHOR, ROLES, is_administrator
from blog.wordpress import tasks
from blog.wordpress.jobs import ImportJob
from blog.wordpress.safezip import UnsafeZip, check_zip

Status = ImportJob.Status
COMMAND = "manage.py import_wxr FILE --media-dir DIR"
# Room for the multipart framing and the form's other fields.
REQUEST_OVERHEAD = 64 * 1024


def can_import(user):
    """Administrators only: superusers and the Administrator role."""
    return is_administrator(user)


def too_large_message(size=None):
    limit = settings.BLOG_IMPORT_MAX_BYTES
    what = f"This upload is {filesizeformat(size)}; the" if size else "The"
    return (
        f"{what} admin accepts at most {filesizeformat(limit)} (BLOG_IMPORT_MAX_BYTES). "
        f"Import a larger site on the server with: {COMMAND}"
    )


class UploadForm(forms.Form):
    wxr_file = forms.FileField(
        label="WordPress export (WXR)",
        help_text="In WordPress: Tools → Export → All content. An .xml file.",
    )
    media_zip = forms.FileField(
        label="Uploads folder (zip)",
        required=False,
        help_text=(
            "Optional: a zip of the old site's wp-content/uploads folder, so images and "
            "files come along and their addresses are rewritten."
        ),
    )
    author_role = forms.ChoiceField(
        label="Role of new authors",
        choices=[(role, role) for role in ROLES],
        initial=AUTHOR,
        help_text="Authors in the file who have no account here get one with this role.",
    )

    def clean_media_zip(self):
        archive = self.cleaned_data.get("media_zip")
        if archive:
            try:
                check_zip(archive)
            except UnsafeZip as error:
                raise forms.ValidationError(f"This zip is refused: {error}") from error
            archive.seek(0)
        return archive

    def clean(self):
        data = super().clean()
        size = sum(f.size for f in (data.get("wxr_file"), data.get("media_zip")) if f)
        if size > settings.BLOG_IMPORT_MAX_BYTES:
            raise forms.ValidationError(too_large_message(size), code="too_large")
        return data


def _check(request):
    if not can_import(request.user):
        raise PermissionDenied


def _context(model_admin, request, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": ImportJob._meta,
        "max_bytes": settings.BLOG_IMPORT_MAX_BYTES,
        "command": COMMAND,
        **extra,
    }


def upload_view(request, model_admin):
    """
    The upload form. Marked csrf_exempt by the admin's URLconf so that an
    over-limit request is refused from its Content-Length before the body is
    read; the form itself is CSRF-checked below.
    """
    _check(request)
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.BLOG_IMPORT_MAX_BYTES + REQUEST_OVERHEAD:
            return TemplateResponse(
                request,
                "admin/wordpress/importjob/upload.html",
                _context(
                    model_admin,
                    request,
                    form=UploadForm(),
                    title="Import from WordPress",
                    refused=too_large_message(length),
                ),
                status=413,
            )
    return _upload(request, model_admin)


@csrf_protect
def _upload(request, model_admin):
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        wxr = form.cleaned_data["wxr_file"]
        archive = form.cleaned_data["media_zip"]
        with transaction.atomic():
            job = ImportJob(
                wxr_name=wxr.name[:255],
                wxr_size=wxr.size,
                media_zip_name=archive.name[:255] if archive else "",
                author_role=form.cleaned_data["author_role"],
                created_by=request.user,
            )
            job.wxr_file.save(wxr.name, wxr, save=False)
            if archive:
                job.media_zip.save(archive.name, archive, save=False)
            job.save()
            # The task row commits with the job: the worker never sees one without the other.
            tasks.check_import.enqueue(job.pk)
        return redirect(job.get_absolute_url())
    return TemplateResponse(
        request,
        "admin/wordpress/importjob/upload.html",
        _context(model_admin, request, form=form, title="Import from WordPress"),
    )


# The longest list of warnings a page shows; the rest are counted.
MAX_WARNINGS = 500


def report_context(data):
    """What the templates show of a stored ``Report.to_dict()``."""
    if not data:
        return None
    try:
        from blog.wordpress.report import COLUMNS, Report

        report = Report.from_dict(data)
    except (ImportError, KeyError, TypeError, ValueError, AttributeError):
        return {"text": json.dumps(data, indent=2, sort_keys=True)}
    rows = [
        (kind, [row[column] for column in COLUMNS])
        for kind, row in report.counts.items()
        if any(row.values())
    ]
    return {
        "columns": COLUMNS,
        "rows": rows,
        "totals": [report.total(column) for column in COLUMNS],
        "warnings": report.warnings[:MAX_WARNINGS],
        "more_warnings": max(len(report.warnings) - MAX_WARNINGS, 0),
        "warning_count": len(report.warnings),
        "site": report.site,
        "dry_run": report.dry_run,
    }


def progress_data(job):
    done, total = tasks.read_progress(job)
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "running": job.is_running,
        "waiting": job.status == Status.UPLOADED
        or (job.status == Status.IMPORTING and job.started_at is None),
        "done": done,
        "total": total,
        "error": job.error,
    }


def job_view(request, model_admin, pk):
    _check(request)
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    return TemplateResponse(
        request,
        "admin/wordpress/importjob/job.html",
        _context(
            model_admin,
            request,
            job=job,
            original=job,
            title=f"Import from WordPress: {job.wxr_name}",
            progress=progress_data(job),
            dry_run_report=report_context(job.dry_run_report),
            final_report=report_context(job.report),
        ),
    )


@require_POST
def confirm_view(request, model_admin, pk):
    _check(request)
    job = get_object_or_404(ImportJob, pk=pk)
    with transaction.atomic():
        # Only a checked job starts, once, whichever app server answers the click.
        started = ImportJob.objects.filter(pk=job.pk, status=Status.CHECKED).update(
            status=Status.IMPORTING, confirmed_at=timezone.now()
        )
        if started:
            tasks.run_import.enqueue(job.pk)
    if not started:
        messages.warning(request, "This import is not waiting for confirmation.")
    return redirect(job.get_absolute_url())


def progress_view(request, model_admin, pk):
    _check(request)
    job = get_object_or_404(ImportJob, pk=pk)
    response = JsonResponse(progress_data(job))
    response["Cache-Control"] = "no-store"
    return response
