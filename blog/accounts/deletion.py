"""
Deleting a user who wrote posts, as WordPress does it: their posts and pages
(published, drafts, trash) are attributed to another user, and their
auto-drafts, which nobody else ever saw, go with them. Nothing a reader can
see is lost, and a post never loses its author.
"""

from django.db import transaction

from blog.pagecache import versions
from blog.posts.models import Post


def owned_content(user):
    """The posts and pages ``user`` wrote (auto-drafts aside)."""
    return Post.any_kind.filter(author=user)


def delete_user(user, attribute_to=None):
    """
    Delete ``user``, their posts and pages now by ``attribute_to`` (which
    they must be given when there are any).
    """
    content = owned_content(user)
    if attribute_to is None and content.exists():
        raise ValueError(f"{user} wrote posts: say who they are attributed to.")
    # Their name leaves every page that showed it (update() sends no signals):
    # every page is made fresh, once, as after an import. No stored count is
    # by author.
    with transaction.atomic(), versions.bulk_change():
        content.update(author=attribute_to)
        Post.auto_drafts.filter(author=user).delete()
        user.delete()
