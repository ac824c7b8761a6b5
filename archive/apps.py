from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """Holdings (repositories, collections, references) and the site-wide parts."""

    name = "archive"
    verbose_name = "Holdings"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the derived-field receiver)
