from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User
from .roles import ROLES, assign_role, role_of


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
    actions = [_assign_role_action(role) for role in ROLES]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="role")
    def role(self, user):
        return "Superuser" if user.is_superuser else role_of(user) or "—"
