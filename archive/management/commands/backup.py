"""``manage.py backup``: a consistent snapshot of the database and media, with a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from archive.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and the media files into a folder with SHA-256 checksums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            default=None,
            help="folder to write the backup into (default: KIROKU_VAR_DIR/backups)",
        )

    def handle(self, *args: Any, output: Path | None, **options: Any) -> None:
        destination = output or Path(settings.VAR_DIR) / "backups"
        try:
            folder = create_backup(destination)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(folder))
