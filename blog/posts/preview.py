"""
Signed, expiring links that show an unpublished post to someone with no account.

A link carries the post's id and its current ``preview_key``; giving the post
a new key revokes every link handed out before. Once the post is published a
link leads to its permalink, which asks for the password if the post has one.
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
    """
    The unpublished post a link shows, or None when the link is forged, expired
    or revoked, or the post was trashed, made private or given a password since
    (a share link never shows a body its readers could not see otherwise). A
    post published since is returned too: its links then lead to the permalink.
    """
    try:
        data = signing.loads(token, salt=_SALT, max_age=LINK_DAYS * 24 * 60 * 60)
    except signing.BadSignature:
        return None
    post = (
        Post.any_kind.exclude(status__in=[Post.Status.TRASH, Post.Status.PRIVATE])
        .exclude(preview_key="")
        .filter(pk=data.get("post"), preview_key=data.get("key"))
        .for_listing()
        .first()
    )
    if post is None or (post.password and not post.is_published):
        return None
    return post
