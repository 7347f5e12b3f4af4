"""
The post admin is one ModelAdmin assembled from small mixins, one per concern:
the Markdown editor (editor.py), revisions and autosave (revisions.py), and
the post admin itself with roles and workflow (post.py).
"""

from .post import PostAdmin

__all__ = ["PostAdmin"]
