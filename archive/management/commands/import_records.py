"""Import documents, agents or relations from a CSV or JSON file (all or nothing)."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from archive.importers import FORMATS, import_file, importer_classes


class Command(BaseCommand):
    help = (
        "Import records from a CSV or JSON file. Rows are matched by identifier, so a re-import "
        "updates in place; any error and nothing is written. Suited to files of any size."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the CSV or JSON file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report every row; write nothing"
        )
        parser.add_argument(
            "--type",
            choices=sorted(importer_classes()),
            help="record type (default: from the columns, else the file name)",
        )
        parser.add_argument(
            "--format", choices=FORMATS, help="file format (default: from the file name)"
        )
        parser.add_argument("--user", help="username recorded in the history of each record")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"--user: no user “{options['user']}”")
        result = import_file(
            data,
            filename=path.name,
            record_type=options["type"],
            fmt=options["format"],
            dry_run=options["dry_run"],
            user=user,
        )
        verbosity = options["verbosity"]
        for row in result.rows:
            if row.action == "error" or (verbosity >= 2 and row.action != "unchanged"):
                self.stdout.write(f"{result.label} {row.row} {row.key}: {row.action}")
                for change in row.changes if verbosity >= 2 else []:
                    self.stdout.write(f"    {change.field}: “{change.old}” → “{change.new}”")
        for error in result.errors:
            self.stderr.write(str(error))
        if not result.ok:
            raise CommandError(f"{path.name}: {result.summary()}")
        self.stdout.write(self.style.SUCCESS(f"{path.name}: {result.summary()}"))
