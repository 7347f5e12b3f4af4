from django.apps import AppConfig
from django.db.models.signals import post_save, pre_save


class CommentsConfig(AppConfig):
    name = "blog.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self):
        # Side effects hang off signals, connected here and nowhere else
        # (see blog/comments/signals.py and blog/comments/notifications.py).
        from . import notifications
        from .signals import comment_posted

        Comment = self.get_model("Comment")
        comment_posted.connect(
            notifications.notify_post_author,
            sender=Comment,
            dispatch_uid="comments.notify_post_author",
        )
        comment_posted.connect(
            notifications.notify_reply_posted,
            sender=Comment,
            dispatch_uid="comments.notify_reply_posted",
        )
        pre_save.connect(
            notifications.remember_status,
            sender=Comment,
            dispatch_uid="comments.remember_status",
        )
        post_save.connect(
            notifications.notify_reply_approved,
            sender=Comment,
            dispatch_uid="comments.notify_reply_approved",
        )
