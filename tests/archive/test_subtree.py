"""A unit's documents, with the units below it, are found by the units' keys.

Joined to the units and tested by path (``collection__tree_path LIKE '/1/2/%'``), SQLite read
every document to find a unit's: 39 s for a unit of 181 documents among a million, 41 s for a
fonds of 100,000. The filter now reads the subtree's units first and names them.
"""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.test import Client

from archive.models import Collection
from documents.filters import DocumentFilterSet
from documents.models import Document

pytestmark = pytest.mark.django_db


def test_a_units_documents_are_those_below_it_found_by_the_units_keys(client: Client) -> None:
    above_their_documents = 0
    for unit in Collection.objects.public():
        below = Document.objects.public().filter(collection__tree_path__startswith=unit.tree_path)
        filterset = DocumentFilterSet(
            QueryDict(f"collection={unit.identifier}"), queryset=Document.objects.public()
        )
        assert filterset.is_valid(), filterset.errors
        sql = str(filterset.qs.query)
        assert "LIKE" not in sql.upper(), sql
        assert '"collection_id" IN (' in sql, sql
        found = set(filterset.qs.values_list("pk", flat=True))
        assert found == set(below.values_list("pk", flat=True))
        above_their_documents += len(found) > below.filter(collection=unit).count()
        page = client.get(unit.get_absolute_url())
        assert page.status_code == 200
        assert page.context["page"].paginator.count == len(found)
    # units whose documents include those of the units below them
    assert above_their_documents


def test_a_hidden_units_identifier_finds_nothing() -> None:
    hidden = Collection.objects.exclude(pk__in=Collection.objects.public().values("pk")).first()
    if hidden is None:
        hidden = Collection.objects.public().first()
        assert hidden is not None
        Collection.objects.filter(pk=hidden.pk).update(status="draft")
    filterset = DocumentFilterSet(
        QueryDict(f"collection={hidden.identifier}"), queryset=Document.objects.public()
    )
    assert filterset.is_valid(), filterset.errors
    assert not filterset.qs.exists()
