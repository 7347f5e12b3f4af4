"""
An article's neighbours and related posts, kept in the cache between changes.

Working them out is the dearest part of an uncached article: one query that
scores every post sharing a tag or a category (about 16 ms at 1,000 posts on
PostgreSQL, more as categories grow). What they are changes only through
keys the page cache's signals already bump (blog/pagecache/signals.py):
``adjacent:<id>`` when a post is published beside it, ``related:category:<id>``
and ``related:tag:<id>`` when a post in one of its categories or tags is
published, changed or trashed, ``post:<id>`` when the article itself changes.
So their ids are kept with those keys' versions and used while all are
unchanged and no scheduled post has gone live since; the rows are then read
by id in one plain query, so titles and dates are always current. No query
is added to find when the next scheduled post goes live: the list is kept
only while the cache knows it (the sidebar and the page cache keep it there).
"""

import time

from django.core.cache import cache

from blog.pagecache import fragments, versions

from .models.post import Adjacent


def _keys(post):
    keys = {f"post:{post.pk}", f"adjacent:{post.pk}"}
    for category in post.categories.all():
        keys.add(f"related:category:{category.pk}")
    for tag in post.tags.all():
        keys.add(f"related:tag:{tag.pk}")
    return keys


def neighbours_and_related(published, post, count):
    """``published.neighbours_and_related(post, count)``, from the cache when still true."""
    key = f"posts:neighbours:{post.pk}:{count}"
    started = time.time()
    kept = cache.get(key)
    if kept is not None and kept["expires"] > started:
        current, _ = versions.still_current(kept["versions"])
        if current:
            previous, following, related = kept["ids"]
            rows = published.in_bulk([i for i in (previous, following, *related) if i])
            return (
                Adjacent(rows.get(previous), rows.get(following)),
                [rows[i] for i in related if i in rows],
            )
    adjacent, related = published.neighbours_and_related(post, count)
    # Kept only until the next scheduled post goes live (it may be a neighbour), and
    # only when the cache knows when that is: working that out costs a query.
    seconds = fragments.seconds_until_known_next_publish(fragments.MAX_SECONDS)
    if seconds is None:
        return adjacent, related
    recorded = versions.read(_keys(post), started)
    if not any(version > started for version in recorded.values()):
        ids = (
            adjacent.previous.pk if adjacent.previous else None,
            adjacent.next.pk if adjacent.next else None,
            [other.pk for other in related],
        )
        cache.set(key, {"ids": ids, "versions": recorded, "expires": started + seconds}, seconds)
    return adjacent, related
