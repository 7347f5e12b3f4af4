class EditorAdminMixin:
    """The Markdown editor: toolbar, live preview, word count, autosave client."""
