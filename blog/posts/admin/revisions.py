class RevisionAdminMixin:
    """Revision history, diffs, restore, and the autosave endpoint."""
