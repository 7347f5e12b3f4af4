"""
The admin's sections as authors know them from WordPress, not as Python apps:
tags under Posts (not "Taggit"), groups beside users (not "Authentication and
authorization"), login protection and two-factor devices under one name.

Used for the dashboard's section list and the navigation sidebar alike
(``AdminSite.get_app_list``). An app missing from ``SECTIONS`` keeps its own
name, after those listed.
"""

# (name, app labels in the order their models are listed)
SECTIONS = (
    ("Posts", ("posts", "categories", "taggit")),
    ("Pages and menus", ("pages",)),
    ("Comments", ("comments",)),
    ("Media library", ("media",)),
    ("Users and roles", ("accounts", "auth")),
    ("Login security", ("axes", "otp_totp", "otp_static")),
    ("Site settings", ("sitesettings",)),
    ("Tools", ("wordpress", "django_tasks_database")),
)

# Models whose own names are a library's words.
MODEL_NAMES = {
    ("auth", "Group"): "Roles (groups)",
    ("otp_totp", "TOTPDevice"): "Authenticator apps",
    ("otp_static", "StaticDevice"): "Recovery codes",
    ("django_tasks_database", "DBTaskResult"): "Background tasks",
    ("axes", "AccessAttempt"): "Failed login attempts",
    ("axes", "AccessFailureLog"): "Failed logins",
    ("axes", "AccessLog"): "Logins",
}

_SECTION_OF = {label: name for name, labels in SECTIONS for label in labels}
_ORDER = {
    label: (index, place)
    for index, (_, labels) in enumerate(SECTIONS)
    for place, label in enumerate(labels)
}


def _renamed(app):
    app["name"] = _SECTION_OF.get(app["app_label"], app["name"])
    for model in app["models"]:
        model["name"] = MODEL_NAMES.get((app["app_label"], model["object_name"]), model["name"])
    return app


def arrange(apps, merge=True):
    """
    Django's app list (sorted by name, each app's models sorted) renamed and,
    when ``merge``, gathered into ``SECTIONS``: a merged section keeps its
    first app's label and address.
    """
    apps = [_renamed(app) for app in apps]
    if not merge:
        return apps
    sections = {}
    for app in sorted(apps, key=lambda app: _ORDER.get(app["app_label"], (len(SECTIONS), 0))):
        section = sections.get(app["name"])
        if section is None:
            sections[app["name"]] = {**app, "models": list(app["models"])}
        else:
            section["models"] += app["models"]
    return list(sections.values())
