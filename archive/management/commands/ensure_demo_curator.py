"""Create the demo curator account that the README documents (development only)."""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEMO_USERNAME = "curator"
DEMO_PASSWORD = "kiroku-demo"  # documented demo credential; refused in production  # nosec B105


class Command(BaseCommand):
    help = f"Create the demo curator ({DEMO_USERNAME} / {DEMO_PASSWORD}) if it does not exist."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Create it even with DEBUG off (never in production).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("The demo curator has a published password: DEBUG must be on.")
        User = get_user_model()
        if User.objects.filter(username=DEMO_USERNAME).exists():
            self.stdout.write(f"Demo curator “{DEMO_USERNAME}” already exists.")
            return
        User.objects.create_superuser(DEMO_USERNAME, "curator@example.org", DEMO_PASSWORD)
        self.stdout.write(
            self.style.SUCCESS(f"Created demo curator “{DEMO_USERNAME}” / “{DEMO_PASSWORD}”.")
        )
