"""
The site over HTTP in production settings, measured with wrk against two floors
in the same run: a bare Django view (bench/floor_app.py) answering the article's
bytes under the same gunicorn settings, and nginx serving a static copy of the
article. Figures only: nothing here passes or fails a build.

    make bench                      # 1,000 posts; BENCH_POSTS=100000 for the large set
    .venv/bin/python bench/http_bench.py --posts 1000 --seconds 10 --rounds 3

What it does: creates a throw-away PostgreSQL database (`bench_<random>`, dropped at
the end), fills it with `manage.py seed_bench` (the measured article gets 50 approved
comments), runs collectstatic, and starts three gunicorns with gunicorn.conf.py and
production settings (DEBUG off, Redis cache, CONN_MAX_AGE=60): the blog with the page
cache off (BLOG_PAGE_CACHE=0; the shared fragments stay cached), the blog with it on,
and the floor; then deploy/nginx.conf in front of the cached blog (deploy/render.py).
Every target is warmed up, then measured with wrk (one thread, --connections
connections) for --seconds, in --rounds interleaved rounds; the table shows the median
round. Queries per page are counted in-process with Django's test client under the
same settings (the third request, so warm caches count as they do under load).

Results: bench/results/<time>-<posts>.json and .md (git-ignored); the latest table
for each size replaces its section in docs/performance.md.
"""

import argparse
import datetime
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
GUNICORN = str(Path(PY).parent / "gunicorn")
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
# A Redis database of its own, emptied before and after the run.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
RESULTS = ROOT / "bench" / "results"
PERFORMANCE = ROOT / "docs" / "performance.md"
COMMENTS_ON_ARTICLE = 50

WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "errors": %d, "non2xx": %d, '
    .. '"p50_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
"""


def database_url(name):
    return urlunsplit(urlsplit(PG_URL)._replace(path=f"/{name}"))


def pg_admin(sql):
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as connection:
        connection.execute(sql)


def flush_redis():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args, quiet=True):
    command = [PY, "manage.py", *args]
    output = subprocess.DEVNULL if quiet else None
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=output)  # noqa: S603


def helper(env, name, *args):
    """Run one of this file's in-Django steps in a process with `env`; its JSON answer."""
    command = [PY, __file__, f"--step={name}", *args]
    done = subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True)  # noqa: S603
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- steps run inside Django (python bench/http_bench.py --step=...) ---------------------------


def step_prepare():
    """Top the article up to 50 approved comments and pick the measured addresses."""
    from django.db.models import Count
    from django.test import Client

    from blog.categories.models import Category
    from blog.comments.models import Comment
    from blog.posts.models import Post

    article = Post.objects.published().order_by("-published_at").first()
    approved = Comment.objects.filter(post=article, status=Comment.Status.APPROVED)
    missing = COMMENTS_ON_ARTICLE - approved.count()
    Comment.objects.bulk_create(
        Comment(
            post=article,
            name=f"Reader {n}",
            email=f"reader{n}@example.com",
            body="A thoughtful reply with a link https://example.com and *some* text.",
            status=Comment.Status.APPROVED,
        )
        for n in range(max(missing, 0))
    )
    from blog.posts.models import TaggedPost

    published = Post.objects.published()
    # The category whose archive (its posts and its children's) is longest: the one
    # whose furthest archive page answers.
    client = Client(HTTP_HOST="127.0.0.1")
    counted = published.values("categories").annotate(n=Count("id")).order_by("-n")
    category, in_category, tried = None, 0, set()
    for row in counted[:50]:
        candidate = Category.objects.get(pk=row["categories"])
        while candidate.parent_id:
            candidate = candidate.parent
        if candidate.pk in tried:
            continue
        tried.add(candidate.pk)
        url = candidate.get_absolute_url()
        last = next((n for n in (500, 5, 2) if client.get(f"{url}page/{n}/").status_code == 200), 1)
        if last > in_category:
            category, in_category = candidate, last
    tag_row = (
        TaggedPost.objects.filter(content_object__in=published)
        .values("tag__slug")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    tag = tag_row["tag__slug"]
    seeded = published.filter(slug__startswith="bench-").exists()
    pages = {
        f"article ({COMMENTS_ON_ARTICLE} comments)": article.get_absolute_url(),
        "home": "/",
        f"category page {min(in_category, 5)}": (
            f"{category.get_absolute_url()}page/{min(in_category, 5)}/"
        ),
    }
    if in_category >= 500:
        pages["category page 500"] = f"{category.get_absolute_url()}page/500/"
    pages["tag"] = f"/tag/{tag}/"
    pages["search"] = "/search/?q=" + ("quokka" if seeded else "whatsapp")
    pages["feed"] = "/feed/"
    return {
        "pages": pages,
        "posts": published.count(),
        "comments": Comment.objects.count(),
        "category": category.get_absolute_url(),
    }


def step_queries(paths):
    """Queries of each path on its third request (caches as warm as under load)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for path in paths:
        client.get(path)
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        counts[path] = len(queries) if response.status_code == 200 else None
    return counts


def step_fill(posts):
    """No seed_bench yet: bench/run.py's generated posts (slow, one save each)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from run import fill

    fill(posts, 0)
    return {"filled": posts}


def run_step(name, args):
    import django

    django.setup()
    if name == "prepare":
        result = step_prepare()
    elif name == "queries":
        result = step_queries(args)
    elif name == "fill":
        result = step_fill(int(args[0]))
    else:
        raise SystemExit(f"unknown step {name}")
    print(json.dumps(result))


# --- servers -------------------------------------------------------------------------------


class Server:
    def __init__(self, name, env, app=None, extra=()):
        self.name, self.port = name, free_port()
        command = [
            GUNICORN,
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{self.port}",
        ]
        command += [*extra, *([app] if app else [])]
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(  # noqa: S603
            command, env=env, cwd=ROOT, stdout=self.log, stderr=self.log
        )
        self.url = f"http://127.0.0.1:{self.port}"

    def wait(self, path="/"):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"{self.name} exited: {self.log.read().decode()[-3000:]}")
            try:
                urllib.request.urlopen(self.url + path, timeout=5).read()  # noqa: S310
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer within 60 s")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def fetch(url, headers=None):
    import ssl

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30, context=context) as response:  # noqa: S310
        return response.status, response.headers, response.read()


def wrk(url, seconds, connections, script):
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-H", "Host: localhost", "-s", str(script), url]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    line = next(x for x in done.stdout.splitlines() if x.startswith("BENCH "))
    figures = json.loads(line.removeprefix("BENCH "))
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


# --- the run -------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--comments-per-post", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10, help="per target and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=2, help="seconds per target")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.step:
        return run_step(args.step, rest)
    for tool in ("wrk", "openssl"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: `make bench` installs it (apt-get install wrk)")
    sys.path.insert(0, str(ROOT / "deploy"))
    import render

    if render.nginx_binary() is None:
        raise SystemExit("nginx is missing: `make bench` installs it (make nginx)")

    name = f"bench_{secrets.token_hex(4)}"
    work = Path(tempfile.mkdtemp(prefix="blog-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "blog.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url(name),
        "CACHE_URL": REDIS_URL,
        "CONN_MAX_AGE": "60",
        "MEDIA_ROOT": str(work / "media"),
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("BLOG_PAGE_CACHE", None)
    uncached_env = {**env, "BLOG_PAGE_CACHE": "0"}
    servers, front = [], None
    pg_admin(f'CREATE DATABASE "{name}"')
    try:
        flush_redis()
        started = time.perf_counter()
        print(f"Database {name}: migrate, collectstatic, {args.posts:,} posts ...", flush=True)
        manage(env, "migrate", "--no-input")
        manage(env, "collectstatic", "--no-input")
        try:
            manage(
                env, "seed_bench", "--posts", str(args.posts),
                "--comments-per-post", str(args.comments_per_post),
            )  # fmt: skip
        except subprocess.CalledProcessError:
            print("seed_bench failed or is missing: load_demo and generated posts", flush=True)
            manage(env, "load_demo")
            helper(env, "fill", str(args.posts))
        data = helper(env, "prepare")
        pages = data["pages"]
        print(
            f"  {data['posts']:,} posts, {data['comments']:,} comments, "
            f"category {data['category']} "
            f"({time.perf_counter() - started:.0f} s)",
            flush=True,
        )
        queries_uncached = helper(uncached_env, "queries", *pages.values())
        queries_cached = helper(env, "queries", *pages.values())

        blog_uncached = Server("blog (page cache off)", uncached_env)
        servers.append(blog_uncached)
        # As in production behind nginx: the app purges nginx's copies of what changes.
        purge_port = render.free_port()
        purge = {"BLOG_FRONT_PURGE": f"http://127.0.0.1:{purge_port}"}
        blog_cached = Server("blog (page cache on)", {**env, **purge})
        servers.append(blog_cached)
        article_path = pages[f"article ({COMMENTS_ON_ARTICLE} comments)"]
        blog_uncached.wait(article_path)
        blog_cached.wait(article_path)
        _, _, article_bytes = fetch(blog_uncached.url + article_path)
        (work / "article.html").write_bytes(article_bytes)
        floor = Server(
            "floor", {**env, "BENCH_FLOOR_BODY": str(work / "article.html")},
            app="floor_app:application", extra=("--pythonpath", str(ROOT / "bench")),
        )  # fmt: skip
        servers.append(floor)
        floor.wait()
        # nginx in front of the cached blog; its static folder also holds the article copy.
        static = work / "static"
        shutil.copytree(ROOT / "staticfiles", static)
        (static / "bench-article.html").write_bytes(article_bytes)
        front = render.NginxFront(
            work / "nginx", app=f"127.0.0.1:{blog_cached.port}", static_root=static,
            media_root=work / "media", workers=1, purge_port=purge_port,
        )  # fmt: skip
        ok, output = front.check()
        if not ok:
            raise RuntimeError(f"nginx -t failed: {output}")
        front.start()
        nginx_url = f"https://127.0.0.1:{front.https_port}"
        status, headers, _ = fetch(nginx_url + article_path, {"Host": "localhost"})
        status, headers, _ = fetch(nginx_url + article_path, {"Host": "localhost"})
        front_status = headers.get("X-Cache-Status")

        targets = [
            ("floor: bare Django", "", floor.url + article_path, None),
            ("floor: nginx static file", "", nginx_url + "/static/bench-article.html", None),
        ]
        for page, path in pages.items():
            targets.append((page, "uncached", blog_uncached.url + path, queries_uncached[path]))
            targets.append((page, "cached", blog_cached.url + path, queries_cached[path]))
            targets.append((page, "nginx front", nginx_url + path, None))
        script = work / "report.lua"
        script.write_text(WRK_REPORT)
        for _, _, url, _ in targets:
            try:
                fetch(url, {"Host": "localhost"})
            except OSError as error:
                raise RuntimeError(f"{url}: {error}") from error
            wrk(url, args.warmup, args.connections, script)
        rounds = {url: [] for _, _, url, _ in targets}
        for n in range(args.rounds):
            print(f"Round {n + 1} of {args.rounds} ({len(targets)} targets)", flush=True)
            for _, _, url, _ in targets:
                rounds[url].append(wrk(url, args.seconds, args.connections, script))
        results = summarise(targets, rounds)
        report(args, data, results, front_status)
    finally:
        if front:
            front.stop()
        for server in servers:
            server.stop()
        flush_redis()
        pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)


def summarise(targets, rounds):
    results = []
    for page, mode, url, queries in targets:
        runs = rounds[url]
        results.append(
            {
                "page": page,
                "mode": mode,
                "url": url,
                "queries": queries,
                "rps": statistics.median(r["rps"] for r in runs),
                "p50_ms": statistics.median(r["p50_us"] for r in runs) / 1000,
                "p99_ms": statistics.median(r["p99_us"] for r in runs) / 1000,
                "errors": sum(r["errors"] + r["non2xx"] for r in runs),
                "rounds": runs,
            }
        )
    return results


def report(args, data, results, front_status):
    floor = results[0]
    static = results[1]
    when = datetime.datetime.now(datetime.UTC)
    cores = os.cpu_count()
    lines = [
        f"{data['posts']:,} posts, {data['comments']:,} comments; PostgreSQL + Redis, gunicorn "
        f"(gunicorn.conf.py, {cores} cores), DEBUG off, CONN_MAX_AGE=60; wrk, "
        f"{args.connections} connection(s), {args.rounds} interleaved rounds of {args.seconds} s "
        f"(median round); {when:%Y-%m-%d %H:%M} UTC; load average at the end "
        f"{os.getloadavg()[0]:.1f}.",
        "",
        "| page | served by | req/s | % of floor | p50 ms | × floor | p99 ms | × floor | queries |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        share = 100 * r["rps"] / floor["rps"]
        note = ""
        if r["mode"] == "nginx front":
            note = f" ({100 * r['rps'] / static['rps']:.0f} % of nginx static)"
        queries = "" if r["queries"] is None else str(r["queries"])
        errors = f" ⚠ {r['errors']} errors" if r["errors"] else ""
        lines.append(
            f"| {r['page']} | {r['mode'] or '—'} | {r['rps']:,.0f} | {share:.0f} %{note} | "
            f"{r['p50_ms']:.2f} | {r['p50_ms'] / floor['p50_ms']:.1f} | "
            f"{r['p99_ms']:.2f} | {r['p99_ms'] / floor['p99_ms']:.1f} | {queries}{errors} |"
        )
    lines += [
        "",
        "floor: bare Django = bench/floor_app.py (the article's bytes from memory through "
        "SecurityMiddleware and CommonMiddleware, same gunicorn settings); nginx static file = "
        "the same bytes from deploy/nginx.conf's /static/ over the front's TLS. uncached = "
        "BLOG_PAGE_CACHE=0 (fragments cached); cached = the page cache on; nginx front = "
        "deploy/nginx.conf's proxy cache in front of the cached blog (second request: "
        f"X-Cache-Status {front_status}). Queries: the third request in-process, same settings.",
    ]
    table = "\n".join(lines)
    print()
    print(table)
    RESULTS.mkdir(exist_ok=True)
    stem = RESULTS / f"{when:%Y%m%d-%H%M%S}-{data['posts']}"
    stem.with_suffix(".json").write_text(
        json.dumps({"args": vars(args), "data": data, "results": results}, indent=1)
    )
    stem.with_suffix(".md").write_text(table + "\n")
    update_performance(data["posts"], table)
    print(f"\nSaved {stem}.json and .md; docs/performance.md updated.")


def update_performance(posts, table):
    """Replace this size's section of docs/performance.md (other text stays)."""
    start, end = f"<!-- make bench: {posts} posts -->", f"<!-- end make bench: {posts} posts -->"
    section = f"{start}\n### `make bench` at {posts:,} posts\n\n{table}\n{end}"
    text = PERFORMANCE.read_text() if PERFORMANCE.exists() else "# Performance\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    PERFORMANCE.write_text(text)


if __name__ == "__main__":
    main()
