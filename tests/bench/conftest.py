"""A small generated archive, written once per test module and rolled back after it."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from bench.generator import Manifest, generate

#: small enough to generate in a few seconds, large enough for every marker up to 100 hits
DOCUMENTS = 400
AGENTS = 60
SEED = 7


@pytest.fixture(scope="module")
def generated(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Manifest]:
    """The manifest of an archive generated with ``SEED`` (identifiers ``g7-…``)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield generate(DOCUMENTS, AGENTS, SEED)
        transaction.set_rollback(True)
