from .post import Post, PostQuerySet, TaggedPost
from .redirect import PostRedirect
from .revision import Autosave, Revision

__all__ = ["Autosave", "Post", "PostQuerySet", "PostRedirect", "Revision", "TaggedPost"]
