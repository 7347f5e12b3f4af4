"""
Deleting users who wrote posts, as WordPress does it: their posts and pages
(published, drafts, trash) are attributed to another user, and their
auto-drafts, which nobody else ever saw, go with them. Nothing a reader can
see is lost, and a post never loses its author.
"""

from django.db import transaction

from blog.pagecache import versions
from blog.posts.models import Post


def owned_content(users):
    """The posts and pages ``users`` (a queryset or a list) wrote, auto-drafts aside."""
    return Post.any_kind.filter(author__in=users)


def owns_anything(users):
    """Whether ``users`` wrote anything, auto-drafts included (Post.author is PROTECT)."""
    return Post._base_manager.filter(author__in=users).exists()


def delete_users(users, attribute_to=None):
    """
    Delete ``users``, their posts and pages now by ``attribute_to`` (which
    they must be given when there are any).
    """
    users = list(users)
    content = owned_content(users)
    if attribute_to is None and content.exists():
        raise ValueError("They wrote posts: say who they are attributed to.")
    if attribute_to in users:
        raise ValueError("Their posts cannot go to one of the users being deleted.")
    # Their names leave every page that showed them (update() sends no signals):
    # every page is made fresh, once, as after an import. No stored count is
    # by author.
    with transaction.atomic(), versions.bulk_change():
        content.update(author=attribute_to)
        Post.auto_drafts.filter(author__in=users).delete()
        for user in users:
            user.delete()
