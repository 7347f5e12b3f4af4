"""
Names shared by the apps that decide whether a post takes comments.

Posts, categories and site settings all choose a comment mode; the choices
live here so none of those apps has to import another for them.
"""

from django.db import models


class CommentMode(models.TextChoices):
    OPEN = "open", "Open"
    # Approved comments stay visible; no form; "Comments Off on <title>".
    CLOSED = "closed", "Closed"
    # No comments shown at all, and the same meta line as closed.
    HIDDEN = "hidden", "Hidden"
