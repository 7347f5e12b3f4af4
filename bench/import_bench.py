"""
Import speed and memory: generate WordPress exports (WXR) of 2,000 and 20,000
posts, import each into a fresh SQLite database with ``import_wxr`` and print
posts per second and peak memory beside the targets of issue 10; then export
each site again with ``export_wxr`` and print the same. Figures only: nothing
here passes or fails, and ``make test`` never runs it.

    make bench-import          # or: .venv/bin/python bench/import_bench.py --sizes 500 2000

Each post has a body of about 3 KB of WordPress HTML (paragraphs as WordPress
stores them, without <p>; a [caption] with an image; inline links), 5 comments
in threads, 2 categories of a tree of 30 and 3 tags of 300. Every size runs in
a process of its own, so its peak resident memory (``ru_maxrss``) is its own.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SITE = "https://old-blog.example.com"
AUTHORS = 5
CATEGORIES = 30
TAGS = 300
COMMENTS = 5
# The targets.
TARGET_RATE = 300  # posts a second, with their comments
TARGET_RATE_DROP = 0.10  # the rate at the largest size within 10 % of the smallest's
TARGET_MEMORY_GROWTH = 1.3  # peak memory at the largest size within 1.3x of the smallest's

PARAGRAPHS = [
    'Not sure if you\'ve noticed any <a href="{site}/2013/01/01/outages/">service '
    "interruptions</a> today, but millions of people did. The app went quiet for hours, "
    "messages stuck with one grey tick, and the status page said everything was fine.",
    "This has left millions of users without access to the app. Businesses that take "
    "orders through chat lost a morning's trade; families spread across time zones "
    "fell back to <em>email</em>, of all things, and found it still works.",
    "What does an outage like this teach a marketer? First, that a channel you do not "
    "own can vanish at any moment. Second, that your <strong>list</strong> is worth more "
    'than your followers. Read <a href="https://example.org/owned-media">why owned media '
    "matters</a> if you have not yet.",
    "The company blamed a configuration change. Engineers rolled it back within the hour, "
    "but caches around the world took much longer to forget the bad state, and each "
    "region came back at its own pace.",
    "Back to your regular scheduled programming. We will look at the numbers next week: "
    "how many people switched, how many came back, and what the "
    '<a href="{site}/category/analytics/">analytics</a> say about loyalty.',
]
CAPTION = (
    '[caption id="attachment_{n}" align="aligncenter" width="300"]'
    '<a href="{site}/wp-content/uploads/2014/02/phone-{n}.jpg"><img class="size-medium '
    'wp-image-{n}" src="{site}/wp-content/uploads/2014/02/phone-{n}-300x200.jpg" '
    'alt="A phone with no signal" width="300" height="200" /></a> A phone with no '
    "signal[/caption]"
)


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def body(n):
    """About 3 KB of WordPress HTML, as WordPress stores it (wpautop applies on display)."""
    parts = [p.format(site=SITE) for p in PARAGRAPHS]
    parts.insert(2, CAPTION.format(site=SITE, n=n))
    text = "\n\n".join(parts)
    return "\n\n".join([text, f"Post number {n}: " + PARAGRAPHS[n % 5].format(site=SITE)])


def comment(post, number, parent, when):
    cid = post * 10 + number
    day = f"{when} 1{number}:00:00"
    return (
        "<wp:comment>"
        f"<wp:comment_id>{cid}</wp:comment_id>"
        f"<wp:comment_author>{cdata(f'Reader {cid % 997}')}</wp:comment_author>"
        f"<wp:comment_author_email>reader{cid % 997}@example.com</wp:comment_author_email>"
        "<wp:comment_author_url>https://example.net/</wp:comment_author_url>"
        f"<wp:comment_author_IP>10.0.{cid % 250}.{number}</wp:comment_author_IP>"
        f"<wp:comment_date>{day}</wp:comment_date>"
        f"<wp:comment_date_gmt>{day}</wp:comment_date_gmt>"
        f"<wp:comment_content>{cdata(f'Thanks for this, comment {number}. It helped.')}"
        "</wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved>"
        "<wp:comment_type>comment</wp:comment_type>"
        f"<wp:comment_parent>{post * 10 + parent if parent else 0}</wp:comment_parent>"
        "<wp:comment_user_id>0</wp:comment_user_id>"
        "</wp:comment>\n"
    )


def generate(path, posts):
    """Write a WXR file of ``posts`` posts to ``path``, one item at a time."""
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            f"<title>Old blog</title><link>{SITE}</link><description>Bench</description>\n"
            "<language>en-US</language><wp:wxr_version>1.2</wp:wxr_version>\n"
            f"<wp:base_site_url>{SITE}</wp:base_site_url>"
            f"<wp:base_blog_url>{SITE}</wp:base_blog_url>\n"
        )
        for a in range(1, AUTHORS + 1):
            out.write(
                f"<wp:author><wp:author_id>{a}</wp:author_id>"
                f"<wp:author_login>{cdata(f'writer{a}')}</wp:author_login>"
                f"<wp:author_email>writer{a}@example.com</wp:author_email>"
                f"<wp:author_display_name>{cdata(f'Writer {a}')}</wp:author_display_name>"
                "<wp:author_first_name></wp:author_first_name>"
                "<wp:author_last_name></wp:author_last_name></wp:author>\n"
            )
        for c in range(1, CATEGORIES + 1):
            parent = f"topic-{(c - 1) // 5}" if c > 6 else ""
            out.write(
                f"<wp:category><wp:term_id>{c}</wp:term_id>"
                f"<wp:category_nicename>topic-{c}</wp:category_nicename>"
                f"<wp:category_parent>{parent}</wp:category_parent>"
                f"<wp:cat_name>{cdata(f'Topic {c}')}</wp:cat_name></wp:category>\n"
            )
        for t in range(1, TAGS + 1):
            out.write(
                f"<wp:tag><wp:term_id>{1000 + t}</wp:term_id><wp:tag_slug>tag-{t}</wp:tag_slug>"
                f"<wp:tag_name>{cdata(f'Tag {t}')}</wp:tag_name></wp:tag>\n"
            )
        for n in range(1, posts + 1):
            day = f"{2000 + n // 365 % 25}-{n % 12 + 1:02}-{n % 28 + 1:02}"
            slug = f"generated-post-{n}"
            categories = "".join(
                f'<category domain="category" nicename="topic-{c}">{cdata(f"Topic {c}")}</category>'
                for c in (n % CATEGORIES + 1, (n * 7) % CATEGORIES + 1)
            )
            tags = "".join(
                f'<category domain="post_tag" nicename="tag-{t}">{cdata(f"Tag {t}")}</category>'
                for t in {n % TAGS + 1, (n * 3) % TAGS + 1, (n * 11) % TAGS + 1}
            )
            # Threads: 1, 2 answers 1, 3, 4 answers 3, 5 answers 4.
            comments = "".join(
                comment(n, number, parent, day)
                for number, parent in ((1, 0), (2, 1), (3, 0), (4, 3), (5, 4))
            )
            out.write(
                "<item>"
                f"<title>{cdata(f'Generated post {n}')}</title>"
                f"<link>{SITE}/{day.replace('-', '/')}/{slug}/</link>"
                f"<pubDate>Sat, 22 Feb 2014 10:00:00 +0000</pubDate>"
                f"<dc:creator>writer{n % AUTHORS + 1}</dc:creator>"
                f'<guid isPermaLink="false">{SITE}/?p={n}</guid><description></description>'
                f"<content:encoded>{cdata(body(n))}</content:encoded>"
                "<excerpt:encoded><![CDATA[]]></excerpt:encoded>"
                f"<wp:post_id>{n}</wp:post_id>"
                f"<wp:post_date>{day} 09:00:00</wp:post_date>"
                f"<wp:post_date_gmt>{day} 09:00:00</wp:post_date_gmt>"
                "<wp:comment_status>open</wp:comment_status><wp:ping_status>open</wp:ping_status>"
                f"<wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status>"
                "<wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order>"
                "<wp:post_type>post</wp:post_type><wp:post_password></wp:post_password>"
                f"<wp:is_sticky>0</wp:is_sticky>{categories}{tags}\n{comments}</item>\n"
            )
        out.write("</channel>\n</rss>\n")


def peak_rss_mib(who=resource.RUSAGE_SELF):
    # ru_maxrss is in KiB on Linux. RUSAGE_CHILDREN: the largest finished child
    # (the importer's rendering workers, once their pool is shut down).
    return resource.getrusage(who).ru_maxrss / 1024


def setup_django(database):
    os.environ.update(
        DEBUG="0",  # DEBUG on would keep every query in memory
        SECRET_KEY="bench-only-not-a-secret-" + "x" * 40,
        ALLOWED_HOSTS="localhost",
        DATABASE_URL=f"sqlite:///{database}",
        CACHE_URL="dummycache://",
        DJANGO_SETTINGS_MODULE="blog.settings",
    )
    import django

    django.setup()


def run_import(wxr, database):
    """In a process of its own: import ``wxr`` into a new database at ``database``."""
    setup_django(database)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        from blog.wordpress.importer import import_wxr
    except ImportError as error:
        return {"error": f"import_wxr is not available yet ({error})"}
    from blog.comments.models import Comment
    from blog.posts.models import Post

    before = peak_rss_mib()
    start = time.perf_counter()
    report = import_wxr(wxr)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "posts": Post.objects.count(),
        "comments": Comment.objects.count(),
        "rss_before_mib": before,
        "peak_rss_mib": peak_rss_mib(),
        "worker_rss_mib": peak_rss_mib(resource.RUSAGE_CHILDREN),
        "imported": report.count("posts", "imported"),
        "failed": report.total("failed"),
        "warnings": len(report.warnings),
    }


def run_export(database):
    """In a process of its own: export the site in ``database`` to a file, and time it."""
    setup_django(database)
    from blog.wordpress.export import WXRExport

    before = peak_rss_mib()
    start = time.perf_counter()
    with tempfile.TemporaryFile("w", encoding="utf-8") as out:
        counts = WXRExport().write(out)
        size = out.tell()
    return {
        "seconds": time.perf_counter() - start,
        "posts": counts["posts"],
        "comments": counts["comments"],
        "bytes": size,
        "rss_before_mib": before,
        "peak_rss_mib": peak_rss_mib(),
    }


def child(args):
    if args.child == "import":
        result = run_import(args.wxr, args.database)
    else:
        result = run_export(args.database)
    print(json.dumps(result))


def in_subprocess(*arguments):
    command = [sys.executable, str(Path(__file__).resolve()), *arguments]
    # Our own script with our own arguments: nothing untrusted runs.
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)  # noqa: S603
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--child", choices=["import", "export"], help=argparse.SUPPRESS)
    parser.add_argument("--wxr", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    folder = Path(tempfile.mkdtemp(prefix="import-bench-"))
    print(
        f"Import of generated WordPress exports into a fresh SQLite database, one process a "
        f"size ({os.cpu_count()} cores); files in {folder}"
    )
    header = (
        f"{'posts':>7} {'comments':>9} {'file MiB':>9} {'generate s':>11} {'import s':>9} "
        f"{'posts/s':>8} {'RSS before':>11} {'peak RSS':>9} {'worker peak':>12}"
    )
    print(header)
    results = {}
    for size in args.sizes:
        wxr, database = folder / f"{size}.xml", folder / f"{size}.sqlite3"
        start = time.perf_counter()
        generate(wxr, size)
        generated = time.perf_counter() - start
        result = in_subprocess("--child", "import", "--wxr", str(wxr), "--database", str(database))
        if "error" in result:
            print(f"{size:>7} import failed: {result['error']}")
            if "not available" in result["error"]:
                print("The importer (blog/wordpress/importer.py) is missing: nothing to measure.")
                return 1
            continue
        rate = result["posts"] / result["seconds"]
        results[size] = result | {"rate": rate}
        print(
            f"{result['posts']:>7} {result['comments']:>9} {wxr.stat().st_size / 2**20:>9.1f} "
            f"{generated:>11.1f} {result['seconds']:>9.1f} {rate:>8.0f} "
            f"{result['rss_before_mib']:>8.0f} MiB {result['peak_rss_mib']:>5.0f} MiB "
            f"{result['worker_rss_mib']:>8.0f} MiB"
        )
    summarise(results)

    print("\nExport of the same sites (manage.py export_wxr), one process a size:")
    print(
        f"{'posts':>7} {'comments':>9} {'file MiB':>9} {'export s':>9} {'posts/s':>8} "
        f"{'peak RSS':>9}"
    )
    for size in results:
        result = in_subprocess("--child", "export", "--database", str(folder / f"{size}.sqlite3"))
        if "error" in result:
            print(f"{size:>7} export failed: {result['error']}")
            continue
        print(
            f"{result['posts']:>7} {result['comments']:>9} {result['bytes'] / 2**20:>9.1f} "
            f"{result['seconds']:>9.1f} {result['posts'] / result['seconds']:>8.0f} "
            f"{result['peak_rss_mib']:>5.0f} MiB"
        )
    if not args.keep:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
    return 0


def summarise(results):
    if not results:
        return
    sizes = sorted(results)
    small, large = results[sizes[0]], results[sizes[-1]]
    slowest = min(r["rate"] for r in results.values())
    rows = [
        (
            f"at least {TARGET_RATE} posts/s with their comments",
            f"{slowest:.0f} posts/s (slowest size)",
            slowest >= TARGET_RATE,
        )
    ]
    if len(sizes) > 1:
        drop = 1 - large["rate"] / small["rate"]
        # The importer's process and its largest rendering worker, together.
        growth = (large["peak_rss_mib"] + large["worker_rss_mib"]) / (
            small["peak_rss_mib"] + small["worker_rss_mib"]
        )
        # What the import added above the migrated, idle process, to show growth the
        # whole process's figure (mostly Python and Django) would hide.
        added = [r["peak_rss_mib"] - r["rss_before_mib"] for r in (small, large)]
        import_growth = f"+{added[0]:.0f} → +{added[1]:.0f} MiB"
        rows += [
            (
                f"rate at {sizes[-1]} within {TARGET_RATE_DROP:.0%} of the rate at {sizes[0]}",
                f"{abs(drop):.1%} {'slower' if drop > 0 else 'faster'}",
                drop <= TARGET_RATE_DROP,
            ),
            (
                f"peak memory at {sizes[-1]} within {TARGET_MEMORY_GROWTH}x of {sizes[0]}'s*",
                f"{growth:.2f}x (import alone {import_growth})",
                growth <= TARGET_MEMORY_GROWTH,
            ),
        ]
    print(f"\n{'target (issue 10)':50} {'measured':36} verdict")
    for target, measured, met in rows:
        print(f"{target:50} {measured:36} {'met' if met else 'NOT MET'}")
    print("* the importer's process plus its largest worker; each process's peak RSS")
    print("For scale: WordPress's importer is reported to take tens of minutes for ~1,000 posts.")


if __name__ == "__main__":
    sys.exit(main())
