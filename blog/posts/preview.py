"""
Signed, expiring links that show an unpublished post to someone with no account.

A link carries the post's id and its current ``preview_key``; giving the post
a new key revokes every link handed out before.
"""

import secrets

from django.core import signing
from django.urls import reverse

from .models import Post

LINK_DAYS = 7
_SALT = "blog.posts.preview"


def ensure_key(post):
    if not post.preview_key:
        post.preview_key = secrets.token_urlsafe(16)
        Post.any_kind.filter(pk=post.pk).update(preview_key=post.preview_key)
    return post.preview_key


def revoke(post):
    post.preview_key = ""
    Post.any_kind.filter(pk=post.pk).update(preview_key="")


def link_for(post):
    token = signing.dumps({"post": post.pk, "key": ensure_key(post)}, salt=_SALT)
    return reverse("posts:preview", kwargs={"token": token})


def post_for_token(token):
    """The post a link shows, or None when it is forged, expired, revoked or trashed."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=LINK_DAYS * 24 * 60 * 60)
    except signing.BadSignature:
        return None
    return (
        Post.any_kind.exclude(status=Post.Status.TRASH)
        .exclude(preview_key="")
        .filter(pk=data.get("post"), preview_key=data.get("key"))
        .for_listing()
        .first()
    )
