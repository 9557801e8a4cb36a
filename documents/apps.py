from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Documents and people"

    def ready(self):
        from documents import history
        from documents.browse import checks

        history.register_models()
        checks.check_public_filters()
