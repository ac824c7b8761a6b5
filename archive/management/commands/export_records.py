"""Export documents, agents or relations to CSV or JSON, in the format import_records reads."""

from typing import Any

from django.core.exceptions import FieldError, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from archive.importers import FORMATS, export_text, importer_classes


class Command(BaseCommand):
    help = (
        "Export records as CSV or JSON. Filter with --filter LOOKUP=VALUE (Django lookups, "
        "repeatable), e.g. --filter status=published --filter collection__identifier=rgani-f52."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--type", required=True, choices=sorted(importer_classes()))
        parser.add_argument("--format", choices=FORMATS, default="csv")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="LOOKUP=VALUE",
            help="keep records matching a Django lookup; repeat to combine",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        importer = importer_classes()[options["type"]]()
        lookups = {}
        for item in options["filter"]:
            lookup, sep, value = item.partition("=")
            if not sep or not lookup:
                raise CommandError(f"--filter “{item}”: write LOOKUP=VALUE")
            lookups[lookup] = value
        queryset = importer.model._default_manager.all()
        try:
            queryset = queryset.filter(**lookups)
            queryset.exists()
        except (FieldError, ValidationError, ValueError) as exc:
            raise CommandError(f"--filter: {exc}") from exc
        chunks = export_text(importer, queryset.order_by("pk"), options["format"])
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                out.writelines(chunks)
        else:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
