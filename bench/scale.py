"""
Scale on PostgreSQL: the same pages timed at 1,000 posts and at 100,000, each
size in its own throw-away database (``scale_<random>_<posts>``, created and
dropped here), filled by ``manage.py seed_bench``. Figures only: nothing here
passes or fails a build.

    make bench-scale      # or: .venv/bin/python bench/scale.py --posts 100000 --small 1000

Pages are rendered through Django's test client (DEBUG on, as bench/run.py),
with the page cache off and the shared fragments (site settings, menu,
sidebar) warm in a local-memory cache: both sizes in turn for ``--rounds``
rounds, each round a fresh process that warms up and then times
``--requests`` requests a page; the figure is the median of all of them.
The targets (issue 11): home, a tag archive and the feeds within 1.5x of
their time at the small size; a category archive's page 500 within 1.5x of
its page 5; a search matching few posts (the seed's rare word, 20 posts at
any size) within 1.5x of the same search at the small size.
Then ``EXPLAIN (ANALYZE, BUFFERS)`` of each page's slowest queries shows
which indexes they use.

``PG_URL`` names the server (default ``postgres://postgres@127.0.0.1:5432/postgres``).
"""

import argparse
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
TARGET = 1.5
# EXPLAIN lines worth reading: how each table is reached, sorts, the time.
READS_POSTS = 'FROM "posts_post"'
PLAN_LINE = re.compile(r"Scan|Sort Method|Join|Limit|Execution Time|Aggregate")


def database_url(name):
    parts = urlsplit(PG_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin(sql):
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(sql)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--comments-per-post", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of both sizes")
    parser.add_argument("--requests", type=int, default=10, help="timed requests a page a round")
    parser.add_argument("--worker", choices=["seed", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--explain", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        setup(args.database)
        return seed(args) if args.worker == "seed" else measure(args)

    prefix = f"scale_{secrets.token_hex(4)}"
    sizes = (args.small, args.posts)
    names = {posts: f"{prefix}_{posts}" for posts in sizes}
    results = {posts: {"ms": {}, "queries": {}, "plans": {}} for posts in sizes}
    try:
        for posts in sizes:
            admin(f'CREATE DATABASE "{names[posts]}"')
            results[posts].update(worker(args, "seed", names[posts], posts))
        # Both sizes in turn, round after round, so a busy moment of the
        # machine weighs on both alike.
        for number in range(args.rounds):
            for posts in sizes:
                explain = number == args.rounds - 1
                found = worker(args, "measure", names[posts], posts, explain=explain)
                for page, samples in found["ms"].items():
                    results[posts]["ms"].setdefault(page, []).extend(samples)
                results[posts]["queries"].update(found["queries"])
                results[posts]["plans"].update(found["plans"])
                print(f"round {number + 1}: {posts:,} posts measured", file=sys.stderr)
    finally:
        for name in names.values():
            admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    for result in results.values():
        result["ms"] = {page: statistics.median(s) for page, s in result["ms"].items()}
    report(args, results)
    return 0


def worker(args, mode, database, posts, explain=False):
    """This script in a new process for one database; its last line of output is JSON."""
    command = [sys.executable, __file__, "--worker", mode, "--database", database]
    command += ["--posts", str(posts), "--comments-per-post", str(args.comments_per_post)]
    command += ["--requests", str(args.requests)] + (["--explain"] if explain else [])
    # This script again, with arguments it built itself.
    output = subprocess.run(  # noqa: S603
        command, check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT
    ).stdout
    return json.loads(output.splitlines()[-1])


def setup(database):
    os.environ.update(
        DEBUG="1",
        DATABASE_URL=database_url(database),
        CACHE_URL="locmemcache://scale",
        BLOG_PAGE_CACHE="0",
        DJANGO_SETTINGS_MODULE="blog.settings",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed(args):
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command(
        "seed_bench",
        posts=args.posts,
        comments_per_post=args.comments_per_post,
        stdout=sys.stderr,
    )
    seeded = time.perf_counter() - started
    with connection.cursor() as cursor:
        # What autovacuum would do soon after a bulk load: the visibility map
        # makes index-only scans possible.
        cursor.execute("VACUUM ANALYZE")
    print(json.dumps({"seconds_to_seed": seeded}))
    return 0


def measure(args):
    """One round at one size: warm up, time and (last round) explain every page."""
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from taggit.models import Tag

    from blog.categories.models import Category
    from blog.posts import counts
    from blog.posts.management.commands.seed_bench import RARE_WORD
    from blog.posts.models import ListCount, Post, TaggedPost
    from blog.sitesettings.models import SiteSettings

    # The top-level category with most posts below it, and a tag of median size.
    category = (
        Category.objects.filter(parent=None)
        .annotate(n=Count("children__posts"))
        .order_by("-n", "pk")
        .first()
    )
    tags = list(
        TaggedPost.objects.values("tag__slug").annotate(n=Count("pk")).order_by("n", "tag__slug")
    )
    tag = tags[len(tags) // 2]["tag__slug"]
    pages = {
        "home": "/",
        "tag archive": f"/tag/{tag}/",
        "feed (RSS)": "/feed/",
        "feed (Atom)": "/feed/atom/",
        "category page 5": f"{category.get_absolute_url()}page/5/",
        f"search '{RARE_WORD}'": f"/search/?q={RARE_WORD}",
    }
    in_category = Post.objects.published().in_category(category).count()
    # The pages read stored counts (blog/posts/counts.py): check they are the
    # real ones, so the figures are not those of a wrong, cheaper page.
    tag_id = Tag.objects.get(slug=tag).pk
    stored = [
        (counts.SITE, Post.objects.all(), Post.objects.published().count()),
        (counts.tag_key(tag_id), Post.objects.filter(tags=tag_id), None),
        (counts.category_key(category.pk), Post.objects.in_category(category), in_category),
    ]
    for key, posts, real in stored:
        real = posts.published().count() if real is None else real
        assert ListCount.objects.published(key, posts.scheduled()) == real, (key, real)
    if in_category > 499 * SiteSettings.current().posts_per_page:
        pages["category page 500"] = f"{category.get_absolute_url()}page/500/"

    client = Client(HTTP_HOST="127.0.0.1")
    timings, counts, plans = {}, {}, {}
    for name, url in pages.items():
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        samples = []
        for _ in range(args.requests):
            start = time.perf_counter()
            client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
        timings[name] = samples
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts[name] = len(queries)
        if args.explain:
            plans[name] = explain(connection, queries.captured_queries)
    print(json.dumps({"ms": timings, "queries": counts, "plans": plans}))
    return 0


def explain(connection, queries, slowest=2):
    """The key lines of the plans of the slowest queries that read the posts table."""
    chosen = sorted(
        (q for q in queries if q["sql"].lstrip().startswith("SELECT") and READS_POSTS in q["sql"]),
        key=lambda q: float(q["time"]),
        reverse=True,
    )[:slowest]
    plans = []
    with connection.cursor() as cursor:
        for query in chosen:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
            lines = [row[0] for row in cursor.fetchall()]
            plans.append(
                {
                    "sql": query["sql"][:160],
                    "plan": [line for line in lines if PLAN_LINE.search(line)],
                }
            )
    return plans


def report(args, results):
    small, large = results[args.small], results[args.posts]
    print()
    print(
        f"PostgreSQL, page cache off, fragments warm; median of {args.rounds} interleaved "
        f"rounds x {args.requests} requests; {args.comments_per_post} comments a post"
    )
    print(
        f"seeded {args.small:,} posts in {small['seconds_to_seed']:.0f} s, "
        f"{args.posts:,} in {large['seconds_to_seed']:.0f} s"
    )
    header = f"{'page':28} {args.small:>9,} {args.posts:>9,}  {'ratio':>6}  {'target':>7}  "
    print(header + "queries  ok")
    for name, ms in large["ms"].items():
        if name == "category page 500":
            base, compared = large["ms"]["category page 5"], "page 5"
        else:
            base, compared = small["ms"].get(name), f"{args.small:,}"
        ratio = ms / base if base else float("nan")
        ok = "yes" if ratio <= TARGET else "NO"
        small_ms = small["ms"].get(name)
        small_text = f"{small_ms:9.1f}" if small_ms is not None else f"{'-':>9}"
        print(
            f"{name:28} {small_text} {ms:9.1f}  {ratio:5.2f}x  "
            f"{'<=' + str(TARGET) + 'x':>7}  {large['queries'][name]:>7}  {ok}  (vs {compared})"
        )
    print()
    print(f"Query plans at {args.posts:,} posts (each page's two slowest queries of posts):")
    for name, plans in large["plans"].items():
        print(f"== {name}")
        for plan in plans:
            print(f"   {plan['sql']}...")
            for line in plan["plan"]:
                print(f"     {line}")


if __name__ == "__main__":
    sys.exit(main())
