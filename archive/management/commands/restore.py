"""``manage.py restore FOLDER``: bring back a backup made by ``manage.py backup``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from archive.backups import BackupError, restore_backup, verify_backup


class Command(BaseCommand):
    help = (
        "Replace the database and the media files with a backup, after checking every file "
        "against the backup's manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="a kiroku-backup-... folder")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )
        parser.add_argument(
            "--verify-only", action="store_true", help="check the backup and change nothing"
        )

    def handle(
        self, *args: Any, folder: Path, interactive: bool, verify_only: bool, **options: Any
    ) -> None:
        try:
            manifest = verify_backup(folder)
            count = len(manifest["files"])
            if verify_only:
                self.stdout.write(f"{folder}: {count} files match the manifest.")
                return
            if interactive:
                answer = input(
                    f"Replace the database and every media file with {folder.name}? [y/N] "
                )
                if answer.strip().lower() not in {"y", "yes"}:
                    raise CommandError("Restore cancelled; nothing was changed.")
            restore_backup(folder)
        except BackupError as exc:
            raise CommandError(f"{exc}\nNothing was changed.") from exc
        self.stdout.write(f"Restored {folder.name} ({count} files checked).")
