"""
Rendering imported bodies on every core while the importer writes rows.

Turning WordPress HTML into sanitised HTML (``markup.render_post``), reading
that HTML for the article's heading ids, words and first paragraph
(``markup.article``, which ``Post.save()`` derives its stored fields from) and
comments into theirs (``markup.render_comment``) is most of an import's
work, and it needs nothing but the text. A large import hands batches of
bodies to worker processes (started fresh with ``spawn``: they never share
the importer's database connection) and keeps the results; ``Post.save()``
then finds its body rendered already through :func:`prerendered`, which
gives exactly what ``markup.render_post`` would (it calls it for anything
it was not given). Bodies whose rendering reads the database (a
``[gallery]`` looks up images) are rendered by the importer itself.

Workers are started with ``spawn``, which imports the ``__main__`` module
again: ``manage.py``, the task worker and pytest guard theirs, and a script
that calls ``import_wxr`` must too (``if __name__ == "__main__":``).
"""

import contextlib
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from blog import markup

# Files with fewer items than this are rendered in the importer's process:
# starting workers costs more than it saves.
PARALLEL_FROM = 1000


def workers_wanted():
    return max(0, min(4, (os.cpu_count() or 1)))


def _start(settings_module):
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django

    django.setup()


def _render_posts(bodies):
    rendered = []
    for body in bodies:
        try:
            html = markup.render_post(body, markup.BodyFormat.HTML)
            rendered.append((html, markup.article(html)))
        except markup.RenderRefused:
            # Over the limits: the importer renders it again itself, which
            # refuses it there, where the refusal is reported.
            rendered.append((None, None))
    return rendered


def _render_comments(bodies):
    rendered = []
    for body in bodies:
        try:
            rendered.append(markup.render_comment(body))
        except markup.RenderRefused:
            rendered.append(None)
    return rendered


def needs_database(body):
    return "[gallery" in body


class Renderer:
    """Renders batches of bodies in worker processes, or here when there are none."""

    def __init__(self, workers=0):
        self.pool = None
        if workers > 1:
            self.pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start,
                initargs=(os.environ.get("DJANGO_SETTINGS_MODULE", "blog.settings"),),
            )
            self.workers = workers
            # Start every worker now (they import Django), not at the first batch.
            for _ in range(workers):
                self.pool.submit(int)
        self.posts = {}  # body -> its sanitised HTML
        self.articles = {}  # sanitised HTML -> its markup.Article
        self.comments = {}

    def close(self):
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def submit(self, post_bodies, comment_bodies):
        """Start rendering a batch's bodies; :meth:`collect` keeps the results."""
        if self.pool is None:
            return []
        post_bodies = [b for b in dict.fromkeys(post_bodies) if not needs_database(b)]
        comment_bodies = list(dict.fromkeys(comment_bodies))
        jobs = []
        for store, render, bodies in (
            (self.posts, _render_posts, post_bodies),
            (self.comments, _render_comments, comment_bodies),
        ):
            for chunk in _chunks(bodies, self.workers):
                jobs.append((store, chunk, self.pool.submit(render, chunk)))
        return jobs

    def collect(self, jobs):
        for store, chunk, future in jobs:
            results = future.result()
            if store is self.posts:
                self.articles.update(item for item in results if item[0] is not None)
                results = [html for html, _article in results]
            store.update((body, r) for body, r in zip(chunk, results, strict=True) if r is not None)

    def comment_html(self, body):
        html = self.comments.get(body)
        return html if html is not None else markup.render_comment(body)

    def forget(self):
        self.posts.clear()
        self.articles.clear()
        self.comments.clear()

    @contextlib.contextmanager
    def used_by_saves(self):
        """
        While open, ``markup.render_post`` and ``markup.article`` answer from
        this batch's results first.
        """
        if self.pool is None:
            yield
            return
        original_render, original_article = markup.render_post, markup.article

        def render_post(text, body_format=markup.BodyFormat.MARKDOWN):
            if body_format == markup.BodyFormat.HTML:
                html = self.posts.get(text)
                if html is not None:
                    return html
            return original_render(text, body_format)

        def article(body_html):
            found = self.articles.get(body_html)
            return found if found is not None else original_article(body_html)

        markup.render_post, markup.article = render_post, article
        try:
            yield
        finally:
            markup.render_post, markup.article = original_render, original_article


def _chunks(items, parts):
    if not items:
        return []
    size = max(1, -(-len(items) // (parts * 2)))
    return [items[i : i + size] for i in range(0, len(items), size)]
