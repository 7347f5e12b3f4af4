from django.utils import timezone

from .models import SiteSettings


class SiteSettingsMiddleware:
    """Reads the site settings once per request and shows dates in their time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with SiteSettings.request_scope():
            zone = SiteSettings.current().zone
            if zone is None:
                return self.get_response(request)
            timezone.activate(zone)
            try:
                return self.get_response(request)
            finally:
                timezone.deactivate()
