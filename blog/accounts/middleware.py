from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.middleware import OTPMiddleware

from . import two_factor


class AdminTwoFactorMiddleware(OTPMiddleware):
    """
    django-otp's ``request.user.is_verified()``, on the admin's requests only:
    public pages read no device and cost no query. With
    ``BLOG_REQUIRE_2FA_FOR_ADMINISTRATORS`` on, an Administrator whose session
    is not verified by a code reaches only the two-factor page and logout.
    """

    sync_capable, async_capable = True, False

    def __call__(self, request):
        admin = reverse("admin:index")
        if not request.path.startswith(admin):
            return self.get_response(request)
        self._install_lazy_accessors(request)
        user = request.user
        if user.is_authenticated and not user.is_verified() and two_factor.is_required(user):
            return self.insist(request, user) or self.get_response(request)
        return self.get_response(request)

    def insist(self, request, user):
        set_up = reverse("admin:accounts_two_factor")
        if request.path in (set_up, reverse("admin:logout"), reverse("admin:jsi18n")):
            return None
        if two_factor.is_set_up(user):
            # A session from before two-factor was set up, or required: log in again.
            logout(request)
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        # The page says why.
        return redirect(set_up)
