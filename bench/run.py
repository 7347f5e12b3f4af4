"""
Render the public pages against a throw-away SQLite database filled with demo
content plus generated posts and comments, and print timings, query counts and
peak memory. Figures only: nothing here passes or fails.

    make bench            # or: .venv/bin/python bench/run.py --posts 500 --comments 200
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def start_django(name, **environ):
    """Django (DEBUG on) over a throw-away SQLite database, with ``environ`` set."""
    db = Path(tempfile.mkdtemp()) / f"{name}.sqlite3"
    os.environ.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{db}",
        DJANGO_SETTINGS_MODULE="blog.settings",
        **environ,
    )
    import django

    django.setup()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--comments", type=int, default=100, help="on the measured article")
    parser.add_argument("--requests", type=int, default=30, help="per page")
    args = parser.parse_args()

    start_django("bench", CACHE_URL="dummycache://")
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    article = fill(args.posts, args.comments)

    client = Client(HTTP_HOST="127.0.0.1")
    pages = {
        "home": "/",
        "home page 2": "/page/2/",
        f"article ({args.comments} comments)": article.get_absolute_url(),
        "category": article.categories.first().get_absolute_url(),
        "tag": "/tag/generated/",
        "author": article.author.get_absolute_url(),
        "year archive": f"/{article.published_at:%Y}/",
        "month archive": f"/{article.published_at:%Y/%m}/",
        "search": "/search/?q=whatsapp",
        "search (stemmed, many hits)": "/search/?q=users",
        "feed (RSS, full text)": "/feed/",
        "feed (Atom)": "/feed/atom/",
        "category feed": article.categories.first().get_absolute_url() + "feed/",
        "comments feed": "/comments/feed/",
        "sitemap.xml": "/sitemap.xml",
        "page (About)": "/about/",
        "subpage (About / Our team)": "/about/team/",
    }
    print(
        f"{args.posts} generated posts, SQLite, DummyCache, DEBUG on (static files from "
        f"the source folders), {args.requests} requests a page"
    )
    print(f"{'page':32} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'peak KiB':>9}")
    for name, url in pages.items():
        timings = []
        for _ in range(args.requests):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            tracemalloc.start()
            client.get(url)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
        print(
            f"{name:32} {statistics.median(timings):10.1f} {p95:8.1f} "
            f"{len(queries):8d} {peak / 1024:9.0f}"
        )


def fill(post_count, comment_count):
    import datetime

    from django.utils import timezone

    from blog.accounts.models import User
    from blog.categories.models import Category
    from blog.comments.models import Comment
    from blog.posts.models import Post

    author = User.objects.get(username="admin")
    category = Category.objects.filter(parent__isnull=False).first() or Category.objects.first()
    body = Post.objects.published().first().body
    start = timezone.now() - datetime.timedelta(days=post_count)
    posts = []
    for n in range(post_count):
        post = Post.objects.create(
            title=f"Generated post {n}",
            author=author,
            body=body,
            status=Post.Status.PUBLISHED,
            published_at=start + datetime.timedelta(days=n),
        )
        post.categories.add(category)
        post.tags.add("generated", f"batch-{n % 10}")
        posts.append(post)
    article = posts[-1]
    parent = None
    for n in range(comment_count):
        parent = Comment.objects.create(
            post=article,
            parent=parent if n % 3 else None,
            name=f"Reader {n}",
            email=f"reader{n}@example.com",
            body="A thoughtful reply with a link https://example.com and *some* text.",
            status=Comment.Status.APPROVED,
        )
    return article


if __name__ == "__main__":
    main()
