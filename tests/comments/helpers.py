"""
Posting comments through the real view, as a browser would: every test that
posts one (here or in other apps' tests) builds its data here, so the form's
signed token is made in one place.
"""

import time

from django.urls import reverse

from blog.comments import spam

VALID = {
    "name": "Ann Reader",
    "email": "ann@example.com",
    "url": "https://ann.example.com",
    "body": "Happened to me too, around noon.",
}


def comment_url(post):
    return reverse("comments:post", kwargs={"post_id": post.pk})


def signed_token(post, age=60):
    """The form's token as if the article had been shown ``age`` seconds ago."""
    return spam.issue_token(post, now=time.time() - age)


def comment_data(post, **overrides):
    """Valid form data for ``post`` (a minute-old token); a value of None leaves the field out."""
    data = {**VALID, "token": signed_token(post), **overrides}
    return {name: value for name, value in data.items() if value is not None}


# What a browser says when it posts a form of this site's own pages.
SAME_ORIGIN = "http://testserver"


def post_comment(client, post, ip="203.0.113.7", **overrides):
    return client.post(
        comment_url(post),
        comment_data(post, **overrides),
        HTTP_USER_AGENT="Mozilla/5.0 (TestBrowser)",
        HTTP_ORIGIN=SAME_ORIGIN,
        REMOTE_ADDR=ip,
    )
