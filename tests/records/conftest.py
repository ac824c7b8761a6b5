"""Helpers for the record-page tests: small records of their own beside the founding
collection (identifiers start with ``t-rec-``), and a query counter that prints the SQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from archive.models import Language
from documents.models import Document, DocumentType
from people.models import Agent

MEMCON = "memcon-khrushchev-kono-1956-10-18"
DECLARATION = "joint-declaration-1956"
KHRUSHCHEV = "khrushchev-nikita"
SAITO = "saito-negotiations-normalize-japan-soviet-relations"


def make_document(identifier: str, **fields: object) -> Document:
    kind, _ = DocumentType.objects.get_or_create(code="t-rec-kind", defaults={"name": "note"})
    fields.setdefault("status", "published")
    fields.setdefault("title", f"Title of {identifier}")
    return Document.objects.create(identifier=identifier, document_type=kind, **fields)


def make_agent(identifier: str, **fields: object) -> Agent:
    fields.setdefault("status", "published")
    fields.setdefault("kind", "person")
    fields.setdefault("name", f"Person {identifier}")
    return Agent.objects.create(identifier=identifier, **fields)


def language(code: str) -> Language:
    return Language.objects.get(code=code)


@pytest.fixture
def count_queries(client: Client) -> Callable[[str], int]:
    """GET a URL (expecting 200) and return the number of queries it ran."""

    def get(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        return len(ctx.captured_queries)

    return get


def sql_of(client: Client, url: str) -> str:
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return "\n".join(q["sql"] for q in ctx.captured_queries)
