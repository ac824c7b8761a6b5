"""Load the founding collection from ``fixtures/`` (idempotent: records are matched by key)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from archive import search
from archive.models import Repository


def founding_fixtures() -> list[Path]:
    """The fixture files in load order (their names start with a number)."""
    return sorted(Path(settings.KIROKU_FIXTURE_DIR).glob("[0-9]*.yaml"))


class Command(BaseCommand):
    help = "Load (or reload) the founding collection from fixtures/. Safe to run repeatedly."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only into an archive with no repositories yet (keeps curators' edits).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Repository.objects.exists():
            self.stdout.write(
                "The archive already has records; the founding collection is not reloaded."
            )
            return
        files = founding_fixtures()
        # One loaddata call, so references between files resolve whatever their order, and
        # one transaction, so a broken fixture leaves the database as it was.
        with transaction.atomic():
            # index once at the end, not once per saved record and relation
            with search.suspended():
                call_command("loaddata", *map(str, files), verbosity=options["verbosity"])
            search.rebuild()
        self.stdout.write(
            self.style.SUCCESS(f"Loaded the founding collection ({len(files)} files).")
        )
