from django.db.migrations.operations.base import Operation


class CreateSearchStorage(Operation):
    """
    The search index's table for the database being migrated: a ``tsvector``
    table with a GIN index on PostgreSQL, an FTS5 virtual table on SQLite.
    The models that read them are unmanaged, so the state does not change.
    """

    reversible = True

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        from .backends import backend_for

        backend_for(schema_editor.connection).create_storage(schema_editor)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        from .backends import backend_for

        backend_for(schema_editor.connection).drop_storage(schema_editor)

    def describe(self):
        return "Create the search index for this database"

    @property
    def migration_name_fragment(self):
        return "search_storage"
