"""
How many previews one person may ask the editor for.

The live preview renders the body on the server at every pause in typing.
Each render is bounded (``blog/render_limits.py``: at most about a second,
whatever the body), and this bounds how many one account may ask for:
``PREVIEWS`` per ``WINDOW_SECONDS``, counted in the default cache, which every
app server shares. Typing with the editor's 400 ms pause comes nowhere near
it; a script looping on the endpoint does, and then waits.

When the cache does not answer, previews are let through (and it is logged):
only staff can ask for one, and each is bounded anyway.
"""

import logging
import math
import time

from django.core.cache import cache

PREVIEWS = 60
WINDOW_SECONDS = 60

logger = logging.getLogger(__name__)


def wait_seconds(user):
    """
    0 if ``user`` may have a preview now (it is counted), else the seconds
    until the current window ends and they may again.
    """
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"posts:previews:{user.pk}:{window}"
    try:
        count = _count(key)
    except Exception:
        logger.warning("Preview rate not checked: the cache did not answer", exc_info=True)
        return 0
    if count <= PREVIEWS:
        return 0
    return max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))


def _count(key):
    cache.add(key, 0, WINDOW_SECONDS + 5)
    try:
        return cache.incr(key)
    except ValueError:  # Gone between add and incr (evicted): this is the first.
        cache.set(key, 1, WINDOW_SECONDS + 5)
        return 1
