from .count import CategoryListing, ListCount
from .post import Post, PostQuerySet, TaggedPost, post_models
from .redirect import PostRedirect
from .revision import Autosave, Revision

__all__ = [
    "Autosave",
    "CategoryListing",
    "ListCount",
    "Post",
    "PostQuerySet",
    "PostRedirect",
    "Revision",
    "TaggedPost",
    "post_models",
]
