"""The committed migrations describe the models exactly: no change is left unmigrated."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration() -> None:
    # exits with status 1 (SystemExit) if makemigrations would write anything
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
