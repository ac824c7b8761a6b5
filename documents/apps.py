from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Documents, their texts and copies, vocabularies and publications."""

    name = "documents"
    verbose_name = "Documents"
