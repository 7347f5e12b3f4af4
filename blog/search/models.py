"""
Where the search index lives, one table per database, written by
``backends`` and created by this app's migration (``operations``).

Both models are unmanaged: they exist so the ORM can join a post to its index
row and keep the search inside the posts query (``Post.objects.published()``,
pagination and prefetching work as on any list). Neither table has a foreign
key to the posts: a database constraint would make Django's test flush
(``TRUNCATE`` on PostgreSQL) refuse to empty the posts table. Rows go when
their post is deleted (``signals``), and a row without a post is never found,
because every search joins the posts table.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class FTSColumn(models.TextField):
    """FTS5's hidden column named after its table, which ``__match`` searches."""


@FTSColumn.register_lookup
class Match(models.Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", (*lhs_params, *rhs_params)


class PostgresDocument(models.Model):
    """A post's weighted ``tsvector`` (GIN-indexed) and the text ``ts_headline`` quotes."""

    post = models.OneToOneField(
        "posts.Post",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="search_document",
    )
    document = SearchVectorField()
    body = models.TextField()

    class Meta:
        managed = False
        db_table = "search_document"

    def __str__(self):
        return f"Search document of post {self.post_id}"


class SQLiteEntry(models.Model):
    """A post's row in the FTS5 table ``search_fts``, whose rowid is the post's id."""

    post = models.OneToOneField(
        "posts.Post",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_column="rowid",
        related_name="search_fts_entry",
    )
    title = models.TextField()
    excerpt = models.TextField()
    body = models.TextField()
    # The left side of MATCH and the first argument of bm25() and snippet().
    fts = FTSColumn(db_column="search_fts")

    class Meta:
        managed = False
        db_table = "search_fts"

    def __str__(self):
        return f"Search entry of post {self.post_id}"
