"""Rewrite the search index from the public records (after an upgrade, a bulk change, a repair)."""

from typing import Any

from django.core.management.base import BaseCommand

from archive import search
from archive.models import SearchKind


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index from the public records. Creates the search "
        "engine's tables and indexes if they are missing and repairs an index that drifted."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--kind",
            action="append",
            choices=SearchKind.values,
            help="Only rebuild entries of this kind (repeatable); default: every kind.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = search.rebuild(options["kind"])
        summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {summary}."))
