"""Query counts on a generated archive do not grow with page size, values or repositories.

The generated archive has a dozen repositories, hundreds of subjects and agents and thousands of
rows per facet value, so a per-row or per-value query would show here where the founding
collection's few records hide it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.generator import Manifest
from documents.admin import DocumentAdmin

# every request computes its counts, as the first reader after a change does
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached")]

FACETS = "form,language,repository,subject,place,agent,role,year,decade"


def queries(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [query["sql"] for query in captured.captured_queries]


def assert_same_count(client: Client, first: str, second: str) -> None:
    a, b = queries(client, first), queries(client, second)
    assert len(a) == len(b), "\n\n".join([f"{first}: {len(a)}", *a, f"{second}: {len(b)}", *b])


def test_browse_page_queries_do_not_depend_on_the_rows(client: Client, generated: Manifest) -> None:
    # the first page (undated or earliest records) and a page of dated records in the middle
    assert_same_count(client, "/documents/", "/documents/?page=4")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # page size
        ("?page_size=5", "?page_size=100"),
        (f"?page_size=5&facets={FACETS}", f"?page_size=100&facets={FACETS}"),
        ("?page_size=5&expand=texts,agents,copies", "?page_size=100&expand=texts,agents,copies"),
        # numbered pages and cursors, first and deep
        ("?page=1", "?page=15"),
        # facet values and repositories: one repository or two, one language or another (with
        # no filter at all, the counts are read from their kept tallies, in fewer queries)
        (
            f"?repository=g7-r01&facets={FACETS}",
            f"?repository=g7-r01&repository=g7-r02&facets={FACETS}",
        ),
        (f"?language=ja&facets={FACETS}", f"?language=ru&facets={FACETS}"),
        # search, few hits or many
        ("?q=kmark10&facets=language,form", "?q=kmark100&facets=language,form"),
        # an empty filter runs no extra query
        ("?language=", ""),
        (f"?subject=&facets={FACETS}", f"?facets={FACETS}"),
    ],
)
def test_api_list_queries_are_constant(
    client: Client, generated: Manifest, first: str, second: str
) -> None:
    assert_same_count(client, "/api/v1/documents/" + first, "/api/v1/documents/" + second)


def test_api_detail_queries_do_not_depend_on_the_record(
    client: Client, generated: Manifest
) -> None:
    from documents.models import Document
    from people.models import AgentRole

    documents = Document.objects.public().filter(identifier__startswith="g7-")
    few = documents.filter(pk__in=AgentRole.objects.values("document")).order_by("pk")
    busiest = max(few[:50], key=lambda document: document.agent_roles.count())
    plain = documents.exclude(pk=busiest.pk).order_by("pk").first()
    assert_same_count(
        client, f"/api/v1/documents/{plain.identifier}/", f"/api/v1/documents/{busiest.identifier}/"
    )


def test_admin_changelist_queries_do_not_grow_with_the_list_size(
    admin_client: Client, generated: Manifest, monkeypatch: Any
) -> None:
    url = "/admin/documents/document/"
    monkeypatch.setattr(DocumentAdmin, "list_per_page", 10)
    small = queries(admin_client, url)
    monkeypatch.setattr(DocumentAdmin, "list_per_page", 200)
    large = queries(admin_client, url)
    assert len(small) == len(large), "\n".join(large)
    # a filtered list and a deep page cost the same
    monkeypatch.setattr(DocumentAdmin, "list_per_page", 10)
    filtered = queries(admin_client, url + "?status__exact=published&p=3")
    assert len(filtered) == len(small), "\n".join(filtered)
    # ... and counts its matches once, never the whole table besides
    searched = queries(admin_client, url + "?q=zzzz-nothing")
    assert sum("COUNT(" in sql.upper() for sql in searched) == 1, "\n".join(searched)
