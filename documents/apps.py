from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Documents and people"

    def ready(self):
        from documents import changes, history
        from documents.browse import checks

        history.register_models()
        checks.check_public_filters()
        # Every save, delete and link of the documents and collections apps reaches the search
        # index, the public index and the page cache (see documents/changes.py).
        changes.connect()
