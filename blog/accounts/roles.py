"""
WordPress's roles as Django groups.

Each role holds the permissions below; object-level rules (a Contributor may
edit only their own unpublished posts, an Author only their own posts) live
in ``blog/posts/permissions.py``. A data migration creates the groups, and
``sync_roles`` keeps them in step with new permissions after every migrate.
"""

CONTRIBUTOR = "Contributor"
AUTHOR = "Author"
EDITOR = "Editor"
ADMINISTRATOR = "Administrator"
ROLES = (CONTRIBUTOR, AUTHOR, EDITOR, ADMINISTRATOR)

_CONTRIBUTOR = {
    "posts.view_post",
    "posts.add_post",
    "posts.change_post",
    "categories.view_category",
    "taggit.view_tag",
}
_AUTHOR = _CONTRIBUTOR | {
    "posts.publish_post",
    "posts.toggle_comments",
    "media.view_image",
    "media.add_image",
    "media.change_image",
    "media.view_mediafile",
    "media.add_mediafile",
    "media.change_mediafile",
}
_EDITOR = _AUTHOR | {
    "posts.delete_post",
    "posts.edit_others_posts",
    "categories.add_category",
    "categories.change_category",
    "categories.delete_category",
    "taggit.add_tag",
    "taggit.change_tag",
    "taggit.delete_tag",
    "comments.view_comment",
    "comments.change_comment",
    "comments.delete_comment",
    # Pages are Editors' and Administrators' work, as in WordPress.
    "pages.view_page",
    "pages.add_page",
    "pages.change_page",
    "pages.delete_page",
    "media.delete_image",
    "media.delete_mediafile",
    # Menus, and choosing the header menu from a menu's own form.
    "pages.view_menu",
    "pages.add_menu",
    "pages.change_menu",
    "pages.delete_menu",
    "pages.view_menuitem",
    "pages.add_menuitem",
    "pages.change_menuitem",
    "pages.delete_menuitem",
}

# Administrators get every permission there is (users and settings included).
ROLE_PERMISSIONS = {
    CONTRIBUTOR: _CONTRIBUTOR,
    AUTHOR: _AUTHOR,
    EDITOR: _EDITOR,
    ADMINISTRATOR: None,
}


def sync_roles(groups, permissions):
    """Create the role groups and give each exactly its permissions."""
    everything = permissions.all()
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = groups.get_or_create(name=role)
        if names is None:
            group.permissions.set(everything)
            continue
        wanted = [
            permission
            for permission in everything.select_related("content_type")
            if f"{permission.content_type.app_label}.{permission.codename}" in names
        ]
        group.permissions.set(wanted)


def is_administrator(user):
    """
    Superusers and the Administrator role. Asked as a permission only
    Administrators hold (the site settings), which the request has already
    loaded, rather than as a query on the user's groups.
    """
    return user.is_active and user.is_staff and user.has_perm("sitesettings.change_sitesettings")


def role_of(user):
    """The user's highest role's name, or None."""
    names = {group.name for group in user.groups.all()}
    return next((role for role in reversed(ROLES) if role in names), None)


def assign_role(user, role):
    """Make ``role`` the user's only role; every role may use the admin."""
    from django.contrib.auth.models import Group

    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}: choose one of {', '.join(ROLES)}.")
    user.groups.remove(*Group.objects.filter(name__in=ROLES).exclude(name=role))
    user.groups.add(Group.objects.get(name=role))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
