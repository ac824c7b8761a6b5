"""Create or refresh the Contributor, Reviewer and Administrator groups."""

from typing import Any

from django.core.management.base import BaseCommand

from archive.workflow import setup_groups


class Command(BaseCommand):
    help = "Create the curator groups and set their permissions (also runs after migrate)."

    def handle(self, *args: Any, **options: Any) -> None:
        for name, size in setup_groups().items():
            self.stdout.write(f"{name}: {size} permissions")
