"""
WordPress's password-protected posts: a reader who gives the right password
reads the body for the rest of the session; changing the password locks it again.
"""

from django.utils.crypto import constant_time_compare, salted_hmac

_SESSION_KEY = "unlocked_posts"


def _fingerprint(post):
    return salted_hmac(
        "blog.posts.protection", f"{post.pk}:{post.password}", algorithm="sha256"
    ).hexdigest()


def unlock(request, post):
    unlocked = request.session.get(_SESSION_KEY, {})
    unlocked[str(post.pk)] = _fingerprint(post)
    request.session[_SESSION_KEY] = unlocked


def is_locked(request, post):
    if not post.password:
        return False
    remembered = request.session.get(_SESSION_KEY, {}).get(str(post.pk), "")
    return not constant_time_compare(remembered, _fingerprint(post))
