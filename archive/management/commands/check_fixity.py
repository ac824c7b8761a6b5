"""``manage.py check_fixity``: every digital object's file against its recorded SHA-256."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from documents.models import DigitalObject


class Command(BaseCommand):
    help = (
        "Check every digital object's file against the SHA-256 recorded at upload; report "
        "files that changed or went missing (exit status 1 if any did)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        checked, problems = 0, []
        for obj in DigitalObject.objects.select_related("document").order_by("pk").iterator():
            checked += 1
            where = f"{obj.document.identifier}/{obj.key} ({obj.file.name})"
            if not obj.sha256:
                problems.append(f"NO CHECKSUM  {where}")
                continue
            try:
                digest = hashlib.sha256()
                with obj.file.open("rb") as stream:
                    for chunk in stream.chunks():
                        digest.update(chunk)
            except FileNotFoundError:
                problems.append(f"MISSING      {where}")
                continue
            if digest.hexdigest() != obj.sha256:
                problems.append(f"CHANGED      {where}: SHA-256 {digest.hexdigest()}")
        for line in problems:
            self.stdout.write(line)
        summary = f"{checked} file(s) checked, {len(problems)} problem(s)."
        if problems:
            raise CommandError(summary)
        self.stdout.write(summary)
