"""
Full-text search of posts, one interface over two databases.

``search(queryset, text)`` narrows a posts queryset to the posts matching what
a reader typed, best first, each annotated with ``search_rank`` (higher is
better) and ``search_snippet`` (body text around the matches, matches between
``MARK_START`` and ``MARK_END``; ``highlight`` turns it into safe HTML).
``index(post)`` and ``remove(post_id)`` keep the index in step with posts.

- PostgreSQL: a weighted ``tsvector`` with a GIN index, the ``english``
  configuration (stemming, stop words), ``ts_rank`` and ``ts_headline``.
- SQLite: an FTS5 table with the porter stemmer, ``MATCH``, ``bm25()`` and
  ``snippet()``.

Title weighs more than excerpt, excerpt more than body, by the same numbers on
both. The backend is chosen by the database's vendor.
"""

import operator
from functools import reduce

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections
from django.db.models import F, FloatField, Func, TextField, Value
from django.utils.html import escape
from django.utils.safestring import mark_safe

from blog import markup

from . import query as query_parser

# Private-use characters: no text a reader sees contains them (they are
# removed from what is indexed), so they can mark matches through the
# database and be swapped for <mark> after the text is escaped.
MARK_START, MARK_END = "\ue000", "\ue001"
# ts_headline drops whatever its parser takes for an HTML tag, such as a code
# sample's "<script>": PostgreSQL keeps the quoted text with "<" swapped for this.
LESS_THAN = "\ue002"
_PRIVATE = str.maketrans("", "", MARK_START + MARK_END + LESS_THAN)
ELLIPSIS = "…"

TITLE_WEIGHT, EXCERPT_WEIGHT, BODY_WEIGHT = 1.0, 0.4, 0.2
SNIPPET_WORDS = 30


def highlight(snippet):
    """A snippet as HTML: its text escaped, its marked matches in ``<mark>``."""
    text = (snippet or "").replace(LESS_THAN, "<")
    html = escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped on the line above


def indexed_text(post):
    """
    What a post is found by: title, excerpt and the body's plain text. A
    password-protected post is found by its title only, so its body can neither
    match nor show in a snippet.
    """
    if post.password:
        return post.title, "", ""
    texts = (post.title, post.excerpt, markup.plain_text(post.body_html))
    return tuple(text.translate(_PRIVATE) for text in texts)


def should_index(post):
    # Drafts, scheduled and private posts are indexed and filtered out by
    # published() when searched, so publishing needs no re-index; trash is not.
    # A string, as the migration's historical models have no Status.
    return post.status != "trash"


class PostgresBackend:
    CONFIG = "english"
    # ts_rank's weights for the labels D, C, B, A; body is C, excerpt B, title A.
    RANK_WEIGHTS = [0.1, BODY_WEIGHT, EXCERPT_WEIGHT, TITLE_WEIGHT]

    def create_storage(self, schema_editor):
        schema_editor.execute(
            "CREATE TABLE search_document ("
            " post_id bigint PRIMARY KEY, document tsvector NOT NULL, body text NOT NULL)"
        )
        schema_editor.execute(
            "CREATE INDEX search_document_gin ON search_document USING gin (document)"
        )

    def drop_storage(self, schema_editor):
        schema_editor.execute("DROP TABLE search_document")

    INSERT = (
        "INSERT INTO search_document (post_id, document, body) VALUES (%s,"
        " setweight(to_tsvector(%s::regconfig, %s), 'A')"
        " || setweight(to_tsvector(%s::regconfig, %s), 'B')"
        " || setweight(to_tsvector(%s::regconfig, %s), 'C'), %s)"
        " ON CONFLICT (post_id) DO UPDATE"
        " SET document = EXCLUDED.document, body = EXCLUDED.body"
    )

    def _row(self, post_id, title, excerpt, body):
        quoted = body.replace("<", LESS_THAN)
        return [post_id, self.CONFIG, title, self.CONFIG, excerpt, self.CONFIG, body, quoted]

    def index(self, cursor, post):
        cursor.execute(self.INSERT, self._row(post.pk, *indexed_text(post)))

    def index_many(self, cursor, rows):
        cursor.executemany(self.INSERT, [self._row(*row) for row in rows])

    def remove(self, cursor, post_id):
        cursor.execute("DELETE FROM search_document WHERE post_id = %s", [post_id])

    def clear(self, cursor):
        cursor.execute("DELETE FROM search_document")

    def _term(self, phrase):
        return SearchQuery(phrase, search_type="phrase", config=self.CONFIG)

    def search(self, queryset, parsed):
        groups = [reduce(operator.or_, map(self._term, terms)) for terms in parsed.required]
        wanted = reduce(operator.and_, [*groups, *(~self._term(p) for p in parsed.excluded)])
        document = F("search_document__document")
        # The match goes through the GIN index first, as a semi-join, and only
        # the matches are ranked: with the match as a plain filter beside
        # ORDER BY rank, PostgreSQL tested every row of the index table for
        # it (a parallel sequential scan, 0.8 s at 100,000 posts, for 20 hits).
        from .models import PostgresDocument

        matches = PostgresDocument.objects.filter(document=wanted).values("post_id")
        return queryset.filter(pk__in=matches).annotate(
            search_rank=SearchRank(document, wanted, weights=self.RANK_WEIGHTS),
            search_snippet=SearchHeadline(
                F("search_document__body"),
                wanted,
                config=self.CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=SNIPPET_WORDS,
                min_words=SNIPPET_WORDS // 2,
                max_fragments=2,
                fragment_delimiter=f" {ELLIPSIS} ",
            ),
        )


class SQLiteBackend:
    def create_storage(self, schema_editor):
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "title, excerpt, body, tokenize='porter unicode61 remove_diacritics 2')"
        )

    def drop_storage(self, schema_editor):
        schema_editor.execute("DROP TABLE search_fts")

    INSERT = "INSERT INTO search_fts (rowid, title, excerpt, body) VALUES (%s, %s, %s, %s)"

    def index(self, cursor, post):
        # FTS5 tables take no upsert: replace the row.
        self.remove(cursor, post.pk)
        cursor.execute(self.INSERT, [post.pk, *indexed_text(post)])

    def index_many(self, cursor, rows):
        # New posts only: nothing to replace.
        cursor.executemany(self.INSERT, [list(row) for row in rows])

    def remove(self, cursor, post_id):
        cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [post_id])

    def clear(self, cursor):
        cursor.execute("DELETE FROM search_fts")

    @staticmethod
    def _term(phrase):
        # Every reader's term is an FTS5 string: its own operators, NEAR(),
        # column filters and * are text here, never syntax.
        return '"{}"'.format(phrase.replace('"', '""'))

    def fts5_query(self, parsed):
        expression = " AND ".join(
            "({})".format(" OR ".join(map(self._term, alternatives)))
            for alternatives in parsed.required
        )
        for phrase in parsed.excluded:
            expression = f"({expression}) NOT {self._term(phrase)}"
        return expression

    def search(self, queryset, parsed):
        fts = F("search_fts_entry__fts")
        matching = queryset.filter(search_fts_entry__fts__match=self.fts5_query(parsed))
        return matching.annotate(
            # bm25() is better when lower; the interface's rank is better when higher.
            search_rank=-Func(
                fts,
                Value(TITLE_WEIGHT),
                Value(EXCERPT_WEIGHT),
                Value(BODY_WEIGHT),
                function="bm25",
                output_field=FloatField(),
            ),
            search_snippet=Func(
                fts,
                Value(2),  # the body column
                Value(MARK_START),
                Value(MARK_END),
                Value(ELLIPSIS),
                Value(SNIPPET_WORDS),
                function="snippet",
                output_field=TextField(),
            ),
        )


BACKENDS = {"postgresql": PostgresBackend(), "sqlite": SQLiteBackend()}


def backend_for(connection):
    try:
        return BACKENDS[connection.vendor]
    except KeyError:
        raise NotImplementedError(
            f"Search works on PostgreSQL and SQLite, not on {connection.display_name}."
        ) from None


def index(post, using="default"):
    connection = connections[using]
    backend = backend_for(connection)
    with connection.cursor() as cursor:
        if should_index(post):
            backend.index(cursor, post)
        else:
            backend.remove(cursor, post.pk)


def index_many(rows, using="default"):
    """
    Index new posts in one batch, from ``(post_id, title, excerpt, body_text)``
    rows holding what ``indexed_text`` gives for each (bulk seeding, which
    knows the body's plain text without parsing its HTML again).
    """
    connection = connections[using]
    rows = [(pk, *(text.translate(_PRIVATE) for text in texts)) for pk, *texts in rows]
    if rows:
        with connection.cursor() as cursor:
            backend_for(connection).index_many(cursor, rows)


def remove(post_id, using="default"):
    connection = connections[using]
    with connection.cursor() as cursor:
        backend_for(connection).remove(cursor, post_id)


def rebuild(posts, using="default"):
    """
    Empty the index and index ``posts`` (untrashed ones) again; returns how
    many were indexed. Takes historical models too, for the migration.
    """
    connection = connections[using]
    backend = backend_for(connection)
    count = 0
    with connection.cursor() as cursor:
        backend.clear(cursor)
        for post in posts:
            if should_index(post):
                backend.index(cursor, post)
                count += 1
    return count


def search(queryset, text):
    """
    ``queryset`` narrowed to the posts matching ``text``, best match first
    (then newest), annotated with ``search_rank`` and ``search_snippet``. Text
    with no word to look for finds nothing.
    """
    parsed = query_parser.parse(text[: query_parser.MAX_LENGTH])
    if not parsed:
        return queryset.none()
    backend = backend_for(connections[queryset.db])
    return backend.search(queryset, parsed).order_by("-search_rank", "-published_at", "-pk")
