"""
The sidebar's Recent Comments widget. It lives in the comments app because
the posts app never imports comments (see ``comment_tags``).
"""

from django import template

from ..models import Comment

register = template.Library()


@register.simple_tag
def recent_comments(count=5):
    """The newest comments readers can see, each with its post, in one query."""
    comments = (
        Comment.objects.shown_on_public_posts()
        .select_related("post")
        # Only what "<name> on <title>" and the comment's address need.
        .only(
            "name",
            "post__kind",
            "post__title",
            "post__slug",
            "post__path",
            "post__published_at",
            "post__created_at",
        )
        .order_by("-created_at", "-pk")
    )
    return list(comments[:count])
