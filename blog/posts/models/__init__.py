from .post import Post, PostQuerySet, TaggedPost
from .redirect import PostRedirect

__all__ = ["Post", "PostQuerySet", "PostRedirect", "TaggedPost"]
