from django.contrib import admin, messages
from django.contrib.admin import actions as admin_actions
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django_otp import login as otp_login

from . import deletion, two_factor
from .forms import AdminLoginForm, AttributeContentForm, CodeForm
from .models import User
from .roles import ROLES, assign_role, role_of

# Throttled by django-axes, and asking staff with two-factor for their code.
admin.site.login_form = AdminLoginForm


def _assign_role_action(role):
    def action(modeladmin, request, queryset):
        for user in queryset:
            assign_role(user, role)
        modeladmin.message_user(
            request, f"{queryset.count()} user(s) now have the role {role}.", messages.SUCCESS
        )

    action.__name__ = f"make_{role.lower()}"
    # Only those who may change users (Administrators) see or run it.
    return admin.action(description=f"Give the role: {role}", permissions=["change"])(action)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Public profile", {"fields": ("display_name", "slug", "bio")}),
    )
    list_display = ("username", "display_name", "email", "role", "is_staff", "is_active")
    list_filter = ("groups", *BaseUserAdmin.list_filter)
    search_fields = ("username", "display_name", "email")
    actions = ["delete_selected", *(_assign_role_action(role) for role in ROLES)]

    readonly_fields = ("two_factor_state", "own_two_factor_state")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        # Only on one's own page does the line link to the two-factor settings.
        field = "own_two_factor_state" if obj.pk == request.user.pk else "two_factor_state"
        return (*fieldsets, ("Security", {"fields": (field,)}))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="two-factor authentication")
    def two_factor_state(self, user):
        return "On" if two_factor.is_set_up(user) else "Off"

    @admin.display(description="two-factor authentication")
    def own_two_factor_state(self, user):
        return format_html(
            '{} — <a href="{}">set it up or change it</a>',
            self.two_factor_state(user),
            reverse("admin:accounts_two_factor"),
        )

    def get_urls(self):
        own = path(
            "two-factor/",
            self.admin_site.admin_view(self.two_factor_view),
            name="accounts_two_factor",
        )
        return [own, *super().get_urls()]

    def two_factor_view(self, request):
        """
        The logged-in user's own two-factor settings (any staff member, whatever
        their permissions on users): set up an authenticator app, get new
        recovery codes, or turn it off, each confirmed by a current code.
        """
        user = request.user
        action = request.POST.get("action")
        form = CodeForm(request.POST if action else None)
        recovery_codes = None
        if action and form.is_valid():
            code = form.cleaned_data["code"]
            if action == "set-up" and not two_factor.is_set_up(user):
                device = two_factor.pending_app(user)
                recovery_codes = two_factor.confirm_app(user, device, code)
                if recovery_codes is not None:
                    # This session has just shown a code: it counts as verified.
                    otp_login(request, device)
            elif action in ("new-codes", "turn-off") and two_factor.verify(user, code):
                if action == "new-codes":
                    recovery_codes = two_factor.new_recovery_codes(user)
                elif two_factor.is_required(user):
                    form.add_error(None, "Administrators must keep two-factor authentication on.")
                else:
                    two_factor.turn_off(user)
                    self.message_user(request, "Two-factor authentication is off.")
                    return redirect("admin:accounts_two_factor")
            if recovery_codes is None and not form.errors:
                form.add_error(
                    "code",
                    "That code is not right, or has expired: enter the one shown now "
                    "(after a wrong code, wait a few seconds before the next).",
                )
        if recovery_codes is not None:
            form = CodeForm()  # a used code is no use in the next form
        context = {
            **self.admin_site.each_context(request),
            "title": "Two-factor authentication",
            "form": form,
            "is_set_up": two_factor.is_set_up(user),
            "required": two_factor.is_required(user),
            "recovery_codes": recovery_codes,
        }
        if not context["is_set_up"]:
            device = two_factor.pending_app(user)
            context |= {"qr_code": two_factor.qr_code(device), "secret": two_factor.secret(device)}
        return TemplateResponse(request, "admin/accounts/two_factor.html", context)

    def delete_view(self, request, object_id, extra_context=None):
        """
        Django's confirmation for a user who wrote nothing; for one who did,
        WordPress's question first: who their posts and pages are attributed to.
        """
        user = self.get_object(request, unquote(object_id))
        if user is None or not deletion.owns_anything([user]):
            return super().delete_view(request, object_id, extra_context)
        if not self.has_delete_permission(request, user):
            raise PermissionDenied
        asking = self._delete_with_content(request, [user])
        return asking or self.response_delete(request, str(user), user.pk)

    @admin.action(permissions=["delete"], description="Delete selected users")
    def delete_selected(self, request, queryset):
        """Django's action, asking first, as ``delete_view`` does, when they wrote anything."""
        if not deletion.owns_anything(queryset):
            return admin_actions.delete_selected(self, request, queryset)
        users = list(queryset)
        asking = self._delete_with_content(request, users, bulk=True)
        if asking is None:
            self.message_user(request, f"{len(users)} user(s) deleted.", messages.SUCCESS)
        return asking

    def _delete_with_content(self, request, users, bulk=False):
        """
        Delete ``users`` once the person has said who their posts and pages go
        to (None); until then, the page asking it.
        """
        owned = deletion.owned_content(users)
        count = owned.count()
        # The action's first POST (from the list) is no answer yet.
        answered = request.method == "POST" and "attribute_content" in request.POST
        form = AttributeContentForm(request.POST if answered else None, deleting=users)
        if answered and (not count or form.is_valid()):
            to = form.cleaned_data["attribute_to"] if count else None
            with transaction.atomic():
                self.log_deletions(request, users)
                deletion.delete_users(users, attribute_to=to)
            if to is not None:
                what = "post or page" if count == 1 else "posts and pages"
                names = ", ".join(str(user) for user in users)
                self.message_user(request, f"“{to}” is now the author of {names}’s {count} {what}.")
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Delete users" if bulk else "Delete user",
            "subtitle": None,
            "opts": self.opts,
            "users": users,
            "bulk": bulk,
            "form": form if count else None,
            "owned": count,
            "published": owned.published().count() if count else 0,
        }
        return TemplateResponse(request, "admin/accounts/user/delete_with_content.html", context)

    @admin.display(description="role")
    def role(self, user):
        return "Superuser" if user.is_superuser else role_of(user) or "—"
