"""The catalogue's stored version: moved on once per committed write, never by a rollback.

These tests commit, so they live apart from the API tests' module-wide transaction.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from archive.catalogue_cache import version
from archive.models import PartnerKey
from documents.models import Document, DocumentType


@pytest.mark.django_db(transaction=True)
def test_a_committed_write_moves_the_stored_version_and_a_rolled_back_one_does_not() -> None:
    form = DocumentType.objects.create(code="t-cache-form", name="Form")
    stored, _ = version()
    with transaction.atomic():
        Document.objects.create(identifier="t-cache-a", title="A", document_type=form)
        Document.objects.create(identifier="t-cache-b", title="B", document_type=form)
        assert version()[0] == stored  # not before the commit ...
    assert version()[0] == stored + 1  # ... and once for the whole transaction
    with transaction.atomic():
        Document.objects.create(identifier="t-cache-c", title="C", document_type=form)
        transaction.set_rollback(True)
    assert version()[0] == stored + 1
    Document.objects.filter(identifier="t-cache-a").update(title="A2")  # autocommit
    assert version()[0] > stored + 1


@pytest.mark.django_db(transaction=True)
def test_writes_outside_the_catalogue_move_nothing() -> None:
    stored, local = version()
    key, _ = PartnerKey.objects.issue(name="t-cache partner", contact="partner@example.org")
    PartnerKey.objects.filter(pk=key.pk).update(name="renamed")
    assert version() == (stored, local)
