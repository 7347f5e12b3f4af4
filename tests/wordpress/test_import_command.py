"""
``manage.py import_wxr``: its output (progress lines without a terminal, a
tqdm bar on one), the report table, its errors; and the reader streams,
clearing each element once read.
"""

import io

import pytest
from django.core.management import CommandError, call_command

from blog.comments.models import Comment
from blog.posts.models import Post
from blog.wordpress import render
from blog.wordpress import wxr as wxr_module
from blog.wordpress.importer import import_wxr
from blog.wordpress.management.commands import import_wxr as command
from blog.wordpress.models import Origin, Site

from .wxr_builder import category, comment, item, write, wxr

pytestmark = pytest.mark.django_db


class Terminal(io.StringIO):
    def isatty(self):
        return True


def many(n):
    return wxr(
        [
            item(i, f"Post {i}", comments=[comment(10_000 + i, f"Comment {i}")])
            for i in range(1, n + 1)
        ],
        categories=[category("news", "News", term_id=3)],
    )


def test_the_command_prints_progress_lines_and_the_table(tmp_path, monkeypatch):
    monkeypatch.setattr(command, "PROGRESS_EVERY", 2)
    out = io.StringIO()

    call_command("import_wxr", str(write(tmp_path, many(5))), stdout=out)

    text = out.getvalue()
    assert "Imported 2 of 5 items…" in text
    assert "Imported 4 of 5 items…" in text
    assert "Imported 5 of 5 items…" in text
    lines = text.splitlines()
    header = next(line for line in lines if line.split() == list(command_columns()))
    assert header
    posts = next(line for line in lines if line.startswith("posts "))
    assert posts.split() == ["posts", "5", "0", "0", "0", "0"]
    comments = next(line for line in lines if line.startswith("comments "))
    assert comments.split()[1] == "5"
    assert "Warnings (1):" in text and "wpwriter: user created with the Author role" in text
    assert Post.objects.count() == 5


def command_columns():
    return ("imported", "updated", "kept", "skipped", "failed")


def test_on_a_terminal_a_progress_bar_shows_items_and_rate(tmp_path, capsys):
    out = Terminal()
    call_command("import_wxr", str(write(tmp_path, many(3))), stdout=out)
    bar = capsys.readouterr().err
    assert "3/3" in bar and "item/s" in bar
    assert "Imported 3 of 3" not in out.getvalue()


def test_dry_run_and_options(tmp_path):
    out = io.StringIO()
    call_command(
        "import_wxr",
        str(write(tmp_path, many(2))),
        "--dry-run",
        "--author-role",
        "Contributor",
        "--timezone",
        "Europe/Paris",
        "--media-dir",
        str(tmp_path),
        stdout=out,
    )
    assert out.getvalue().count("Dry run: nothing was written.") == 1
    assert "Contributor role" in out.getvalue()
    assert not Post.objects.exists()


def test_errors_name_the_line_and_column(tmp_path):
    path = write(tmp_path, many(2)[:-40])
    with pytest.raises(CommandError) as refused:
        call_command("import_wxr", str(path), stdout=io.StringIO())
    assert "line" in str(refused.value) and "column" in str(refused.value)
    assert "Nothing was imported." in str(refused.value)
    with pytest.raises(CommandError, match="Unknown time zone"):
        call_command(
            "import_wxr",
            str(write(tmp_path, many(1), "ok.xml")),
            "--timezone",
            "Mars/Olympus",
            stdout=io.StringIO(),
        )
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_wxr", str(tmp_path / "nope.xml"), stdout=io.StringIO())
    assert not Post.objects.exists()


def most_items_held(tmp_path, monkeypatch, n):
    """The most children <channel> held while the file was read."""
    seen = {}
    real = wxr_module._parser_events

    def watched(stream):
        for event, element in real(stream):
            if event == "start" and element.tag == "channel":
                seen["channel"] = element
            yield event, element

    monkeypatch.setattr(wxr_module, "_parser_events", watched)
    largest = items = 0
    for record in wxr_module.read(write(tmp_path, many(n), f"{n}.xml")):
        if record[0] == "item":
            items += 1
            largest = max(largest, len(seen["channel"]))
    assert items == n
    return largest


def test_the_reader_streams_clearing_each_item_once_read(tmp_path, monkeypatch):
    """
    However long the file, the tree in memory holds only the items the
    parser has read ahead (its buffer), never those already handed over.
    """
    small = most_items_held(tmp_path, monkeypatch, 200)
    large = most_items_held(tmp_path, monkeypatch, 2000)
    assert large <= small + 5
    assert large < 100


def test_bodies_rendered_in_worker_processes_are_the_same(tmp_path, monkeypatch):
    """A large file renders on every core; what is stored does not change."""
    text = wxr(
        [
            item(
                i,
                f"Post {i}",
                body=f'<p>Para {i} <script>x()</script></p>\n\nSecond [gallery ids="1"]' * (i % 2)
                + f"Plain {i}\n\nText",
                comments=[comment(10_000 + i, f"**Bold** {i} <script>y()</script>")],
            )
            for i in range(1, 8)
        ]
    )
    path = write(tmp_path, text)
    import_wxr(path)

    def shown(post):
        return (post.body_html, post.content_html, post.toc, post.summary, post.word_count)

    serial = {p.title: shown(p) for p in Post.objects.all()}
    comments = sorted(Comment.objects.values_list("body", "body_html"))
    Post.objects.all().delete()
    Origin.objects.all().delete()
    Site.objects.all().delete()

    monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    monkeypatch.setattr(render, "workers_wanted", lambda: 2)
    used = []
    real_submit = render.Renderer.submit

    def submit(self, posts, comments):
        jobs = real_submit(self, posts, comments)
        used.append(len(jobs))
        return jobs

    monkeypatch.setattr(render.Renderer, "submit", submit)

    import_wxr(path)

    assert sum(used) > 0
    assert {p.title: shown(p) for p in Post.objects.all()} == serial
    assert sorted(Comment.objects.values_list("body", "body_html")) == comments


def test_the_report_survives_json_for_the_admins_background_job(tmp_path):
    import json

    from blog.wordpress.report import Report

    report = import_wxr(write(tmp_path, many(3)), dry_run=True)
    again = Report.from_dict(json.loads(json.dumps(report.to_dict())))
    assert again.as_table() == report.as_table()
    assert again.count("posts", "imported") == 3
    assert again.warnings == report.warnings
