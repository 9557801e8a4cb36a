from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Documents and people"

    def ready(self):
        from documents import history

        history.register_models()
