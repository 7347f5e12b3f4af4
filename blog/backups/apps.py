"""
Backups that restore, with django-dbbackup's commands (README: Security):

    manage.py dbbackup       the database (pg_dump's custom format, or SQLite's backup API)
    manage.py mediabackup    every file in the media storage, as one tar
    manage.py dbrestore      the newest database backup (or -i NAME), replacing every table
    manage.py mediarestore --replace    the newest media backup, over the files there

Backups go to the ``dbbackup`` storage (settings: BACKUP_DIR, or any Django storage).
"""

from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "blog.backups"
    label = "backups"
    verbose_name = "Backups"

    def ready(self):
        from dbbackup.signals import post_restore

        from . import signals

        post_restore.connect(signals.forget_cache, dispatch_uid="backups.forget_cache")
