"""
*Export to WordPress* in the admin, for Administrators: the whole site as a
WXR 1.2 file (blog/wordpress/export.py), downloaded as it is written. The
response streams: the file is never built in memory, and the first bytes
leave before the last post is read.

The address, ``/admin/wordpress/export/``, is routed in blog/urls.py ahead of
the admin's own URLs; the *Imports from WordPress* list links to it.
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from blog.accounts.roles import ADMINISTRATOR
from blog.sitesettings.models import SiteSettings
from blog.wordpress.export import WXRExport

# Bytes gathered before a piece is sent: fewer, larger writes than one per item.
BUFFER_BYTES = 64 * 1024


def can_export(user):
    """Administrators only (superusers and the Administrator role): the file holds every email."""
    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or user.groups.filter(name=ADMINISTRATOR).exists()


def export_filename(now=None):
    """``<site>.wordpress.YYYY-MM-DD.xml``, as WordPress names its exports."""
    site = slugify(SiteSettings.current().title) or "site"
    return f"{site}.wordpress.{timezone.localdate(now or timezone.now()):%Y-%m-%d}.xml"


def _buffered(chunks):
    pending, size = [], 0
    for chunk in chunks:
        data = chunk.encode("utf-8")
        pending.append(data)
        size += len(data)
        if size >= BUFFER_BYTES:
            yield b"".join(pending)
            pending, size = [], 0
    if pending:
        yield b"".join(pending)


@never_cache
@require_safe
@staff_member_required
def export_view(request):
    if not can_export(request.user):
        raise PermissionDenied("Only Administrators may export the site.")
    response = StreamingHttpResponse(
        _buffered(WXRExport()), content_type="application/rss+xml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename()}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
