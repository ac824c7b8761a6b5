"""Imported records are found by search at once: the bulk import tells the index what it wrote."""

from __future__ import annotations

import json

import pytest

from archive import search
from archive.models import SearchKind
from documents.models import Document
from people.models import Agent
from tests.io.conftest import Holdings, csv_bytes, document_row, run

pytestmark = pytest.mark.django_db


def found(query: str, kind: str) -> set[int]:
    return {row["object_id"] for row in search.matching_ids(query, kind)}


def test_imported_and_reimported_documents_are_searchable(
    holdings: Holdings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    rows = [
        document_row(1, title="Zyxquorum letter", status="published"),
        document_row(2, title="Plain letter", status="published"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert run(csv_bytes(rows)).written
    first = Document.objects.get(identifier="t-io-doc-1")
    assert found("zyxquorum", SearchKind.DOCUMENT) == {first.pk}

    # an update through the import moves the word to the other document
    rows = [
        document_row(1, title="Plain letter", status="published"),
        document_row(2, title="Zyxquorum letter", status="published"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert run(csv_bytes(rows)).written
    second = Document.objects.get(identifier="t-io-doc-2")
    assert found("zyxquorum", SearchKind.DOCUMENT) == {second.pk}


def test_imported_agents_are_searchable_by_any_name_form(
    holdings: Holdings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    data = json.dumps(
        [
            {
                "identifier": "t-io-search-agent",
                "kind": "person",
                "name": "Quillon Testperson",
                "status": "published",
                "name_forms": [
                    {
                        "name": "Квиллон Тестперсон",
                        "language": "ru",
                        "script": "Cyrl",
                        "kind": "original",
                    }
                ],
            }
        ]
    ).encode()
    with django_capture_on_commit_callbacks(execute=True):
        result = run(data, filename="agents.json")
    assert result.written, result
    agent = Agent.objects.get(identifier="t-io-search-agent")
    assert found("Квиллон", SearchKind.AGENT) == {agent.pk}
