"""
The admin's home page as WordPress's dashboard, and the admin site it lives on.

``apps.BlogAdminConfig`` replaces ``django.contrib.admin`` in INSTALLED_APPS
(Django's documented way to swap the default site), so ``admin.site`` is a
``site.BlogAdminSite`` everywhere: its index is the dashboard (``panels``),
its section list speaks in people's words (``sections``), and it serves the
Quick draft form (``views``).
"""
