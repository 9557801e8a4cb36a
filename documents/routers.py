class SearchIndexRouter:
    """Keep the full-text index out of dumpdata and fixtures: it is derived, not data.

    The index table is created by migration 0005 for the database in use; `allow_migrate` only
    decides which models Django serializes and manages, and this one it should leave alone.
    """

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if app_label == "documents" and model_name == "searchentry":
            return False
        return None
