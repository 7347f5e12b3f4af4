"""
Who may do what to which post, with WordPress's meaning of each role.

The admin asks these questions for every list, form and action, and asks
again when a form or an action is posted.
"""

from .models import Post


def can_publish(user):
    return user.has_perm("posts.publish_post")


def can_edit_others(user):
    return user.has_perm("posts.edit_others_posts")


def can_edit(user, post=None):
    """Contributors edit their own unpublished posts; Authors their own; Editors any."""
    if not user.has_perm("posts.change_post"):
        return False
    if post is None or post.pk is None:
        return True
    if post.author_id != user.pk:
        return can_edit_others(user)
    # A trashed post is judged by what it was, so the trash is no back door.
    status = post.status_before_trash if post.status == Post.Status.TRASH else post.status
    if status in (Post.Status.PUBLISHED, Post.Status.PRIVATE):
        return can_publish(user)
    return True


def can_toggle_comments(user, post=None):
    return user.has_perm("posts.toggle_comments") and can_edit(user, post)


def can_delete_permanently(user, post=None):
    return user.has_perm("posts.delete_post") and (
        post is None or post.author_id == user.pk or can_edit_others(user)
    )


def allowed_statuses(user):
    """The statuses a role may choose in the post form (trash is an action of its own)."""
    statuses = [Post.Status.DRAFT, Post.Status.PENDING]
    if can_publish(user):
        statuses += [Post.Status.PUBLISHED, Post.Status.PRIVATE]
    return statuses
