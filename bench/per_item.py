"""
What one more item costs a page that loops over items: a comment in an article's
thread, a summary in a list, an entry in a feed. Each page is rendered with few and
with many items (in-process, SQLite, the page cache off and the shared fragments warm,
as the uncached pages of `make bench`), and the difference is divided by the number of
items added. Issue 11 asks for well under a millisecond per item. Figures only.

    make bench            # or: .venv/bin/python bench/per_item.py --requests 30
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def median_ms(client, url, requests, before=None):
    client.get(url)
    timings = []
    for _ in range(requests):
        if before is not None:
            before()
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--requests", type=int, default=20, help="per page and size")
    args = parser.parse_args()

    from run import fill, start_django

    start_django("per-item", CACHE_URL="locmemcache://", BLOG_PAGE_CACHE="0")
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from blog.posts.models import Post
    from blog.sitesettings.models import SiteSettings

    settings.DEBUG = False  # No query log: it would count as work per item.
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    # 120 posts in one category; the newest has 200 comments, the one before it none.
    busy = fill(120, 200)
    quiet = Post.objects.published().filter(title__startswith="Generated").exclude(pk=busy.pk)
    quiet = quiet.latest("published_at")
    category_url = busy.categories.first().get_absolute_url()
    site = SiteSettings.current()
    site.comments_per_page = 500
    site.save()

    client = Client(HTTP_HOST="127.0.0.1")
    rows = []
    few = median_ms(client, quiet.get_absolute_url(), args.requests)
    many = median_ms(client, busy.get_absolute_url(), args.requests)
    rows.append(("article: a comment", "0 → 200 comments", few, many, 200))
    # The threads are kept rendered: what a comment costs when they are rendered again
    # (after an approved comment), the threads' versions bumped before each request.
    from blog.pagecache import versions

    def threads_changed(post):
        return lambda: versions.bump({f"comments:{post.pk}"})

    few = median_ms(client, quiet.get_absolute_url(), args.requests, threads_changed(quiet))
    many = median_ms(client, busy.get_absolute_url(), args.requests, threads_changed(busy))
    rows.append(("article: a comment (1)", "0 → 200, threads rendered", few, many, 200))
    for label, url in (("home: a summary", "/"), ("category: a summary", category_url)):
        site.posts_per_page = 10
        site.save()
        few = median_ms(client, url, args.requests)
        site.posts_per_page = 100
        site.save()
        many = median_ms(client, url, args.requests)
        rows.append((label, "10 → 100 posts a page", few, many, 90))
    rows.append(("feed: an entry", "10 → 100 entries", *feed_sizes(client, args.requests), 90))

    print("One more item, SQLite in-process, page cache off, fragments warm (median ms)")
    print("(1) the threads rendered afresh on each view, as after an approved comment")
    print(f"{'item':22} {'sizes':26} {'few':>8} {'many':>8} {'per item':>9}")
    for label, sizes, few, many, added in rows:
        print(f"{label:22} {sizes:26} {few:8.2f} {many:8.2f} {(many - few) / added:9.3f}")


def feed_sizes(client, requests):
    from blog.posts import feeds

    feeds.FEED_ITEMS = 10
    few = median_ms(client, "/feed/", requests)
    feeds.FEED_ITEMS = 100
    return few, median_ms(client, "/feed/", requests)


if __name__ == "__main__":
    main()
