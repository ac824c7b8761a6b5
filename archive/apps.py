from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """Holdings (repositories, collections, references) and the site-wide parts."""

    name = "archive"
    verbose_name = "Holdings"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate
        from django.urls import register_converter

        from . import signals  # noqa: F401  (connects the derived-field receiver)
        from .catalogue_cache import install
        from .converters import IdentifierConverter
        from .search import signals as search_signals  # noqa: F401  (keeps the index current)
        from .tombstones import connect_receivers
        from .workflow import setup_after_migrate

        connect_receivers()

        # before any URLconf is read: the routes name records as <identifier:identifier>
        register_converter(IdentifierConverter, "identifier")

        # every connection watches for catalogue writes, which move the cached counts' version
        connection_created.connect(install, dispatch_uid="kiroku-catalogue-writes")

        # after the last of the archive's apps has migrated, so all their permissions exist
        post_migrate.connect(
            setup_after_migrate,
            sender=self.apps.get_app_config("people"),
            dispatch_uid="kiroku-workflow-groups",
        )
