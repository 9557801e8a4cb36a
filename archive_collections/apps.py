from django.apps import AppConfig


class CollectionsConfig(AppConfig):
    # The package cannot be called `collections` (the standard library's module of that name is
    # imported first), so the label carries the name into tables, permissions, URLs and templates.
    name = "archive_collections"
    label = "collections"
    verbose_name = "Collections"
