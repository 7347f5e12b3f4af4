"""Feeds in tests, read by a real parser (feedparser), which also says if they are well-formed."""

import feedparser

RSS_AND_ATOM = [("", "rss20"), ("atom/", "atom10")]


def parse_feed(response, version):
    """The parsed feed; fails unless it answered 200 with a well-formed ``version`` feed."""
    assert response.status_code == 200, response.status_code
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == version
    return feed


def titles(feed):
    return [entry.title for entry in feed.entries]
