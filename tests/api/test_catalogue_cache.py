"""Whole-catalogue facet counts are cached, and any change to the catalogue is seen at once.

The counts of an unfiltered browse are the costliest part of a page at scale, so a public
reader's counts are cached under the catalogue's version (``archive.catalogue_cache``). These
tests are the contract: a repeated request reads the counts from the cache (one query for the
version instead of one per facet); every kind of write — a save, a many-to-many change,
``QuerySet.update``, ``bulk_create`` — changes what the next request counts; a rolled-back write
changes nothing that is stored; and a curator's counts (which include unpublished records) are
never shared with the public.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from archive.bulk import BulkWriter
from archive.catalogue_cache import CachedCountPaginator, catalogue_tables, written_table
from archive.models import CatalogueVersion, PartnerKey, PublicationStatus
from documents.models import Document, Subject
from tests.api.conftest import World, get_json

MINE = "form=t-api-letter&form=t-api-memo"
FACETS = f"/api/v1/documents/?{MINE}&facets=language,subject,form,year"


def counts(client: Client, name: str, url: str = FACETS) -> dict[str, int]:
    return {row["value"]: row["count"] for row in get_json(client, url)["facets"][name]}


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "documents_document" ("title") VALUES (%s)', "documents_document"),
        (
            "INSERT OR IGNORE INTO documents_document_subjects VALUES (?)",
            "documents_document_subjects",
        ),
        ('  UPDATE "people_agent" SET "name" = %s', "people_agent"),
        ('DELETE FROM "archive_collection" WHERE id = 1', "archive_collection"),
        ('SELECT * FROM "documents_document"', None),
        ("SAVEPOINT s1", None),
    ],
)
def test_written_table_reads_the_table_a_statement_changes(sql: str, table: str | None) -> None:
    assert written_table(sql) == table


@pytest.mark.django_db
def test_the_catalogue_is_the_records_not_keys_or_the_version_itself() -> None:
    tables = catalogue_tables()
    assert {
        Document._meta.db_table,
        Document.subjects.through._meta.db_table,
        Subject._meta.db_table,
    } <= tables
    assert CatalogueVersion._meta.db_table not in tables
    assert PartnerKey._meta.db_table not in tables


def test_a_repeated_request_is_answered_from_the_cache(client: Client, world: World) -> None:
    with CaptureQueriesContext(connection) as first:
        body = get_json(client, FACETS)
    with CaptureQueriesContext(connection) as again:
        assert get_json(client, FACETS) == body
    # the same URL again: one query, for the catalogue's version
    assert len(again) == 1
    # another page of the same list reads its rows but shares the counts
    with CaptureQueriesContext(connection) as other_page:
        assert get_json(client, FACETS + "&page_size=1")["facets"] == body["facets"]
    # (the four facets: three under the form filter, read from the values kept per matching
    # record in three queries — archive.facet_tallies.counted — and the form's own counts,
    # under no filter, from its kept tallies in two: the tallies, the forms they name)
    assert len(other_page) == len(first) - (3 + 2)


def grouped(queries: CaptureQueriesContext) -> list[str]:
    """The facet counts a request computed: its grouped queries, and its reads of the values
    kept per record (one for all the facets counted under the same filters)."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if "GROUP BY" in q["sql"] or '"archive_recordfacets"' in q["sql"]
    ]


def test_a_facet_is_counted_once_for_every_page_that_counts_it_alike(
    client: Client, world: World
) -> None:
    with CaptureQueriesContext(connection) as first:
        body = get_json(client, FACETS)
    # the form facet, counted under no filter, is read from its tallies; the other three, under
    # the form filter, from the values kept per matching record, in one read
    assert len(grouped(first)) == 1
    # the form facet ignores the form filter: under one form it counts what the page of both
    # forms counted; the other facets are counted under the new filter
    with CaptureQueriesContext(connection) as one_form:
        narrowed = get_json(client, "/api/v1/documents/?form=t-api-letter&facets=form,language")
    assert narrowed["facets"]["form"] == body["facets"]["form"]
    assert len(grouped(one_form)) == 1, grouped(one_form)
    # a sort order counts nothing anew, and neither does the HTML browse page for what the
    # API has counted
    with CaptureQueriesContext(connection) as sorted_list:
        get_json(client, FACETS + "&ordering=title")
    assert grouped(sorted_list) == []
    with CaptureQueriesContext(connection) as html:
        page = client.get(f"/documents/?{MINE}")
    assert page.status_code == 200
    assert len(grouped(html)) == 1  # its own facets (repository, agent, ...), in one read
    for name in ("language", "subject", "form", "year"):
        assert page.context["browse"].counts[name] == body["facets"][name]
    # and the API, asked for the facets the HTML page counted, counts nothing anew
    names = ",".join(page.context["browse"].counts)
    with CaptureQueriesContext(connection) as api:
        get_json(client, f"/api/v1/documents/?{MINE}&facets={names}")
    assert grouped(api) == []


def test_every_kind_of_write_is_counted_at_the_next_request(client: Client, world: World) -> None:
    assert counts(client, "language") == {"ja": 2, "ru": 1, "en": 1}
    # a many-to-many change
    world.doc2.languages.add(world.doc1.languages.get(code="ja"))
    assert counts(client, "language") == {"ja": 3, "ru": 1, "en": 1}
    # QuerySet.update, which sends no signal: the draft (in Japanese) is published
    Document.objects.filter(pk=world.draft_doc.pk).update(status=PublicationStatus.PUBLISHED)
    assert counts(client, "language") == {"ja": 4, "ru": 1, "en": 1}
    # plain multi-row INSERTs, as imports write (archive.bulk)
    years = counts(client, "year")
    BulkWriter(now=timezone.now()).create(
        [
            Document(
                identifier=f"t-cache-{n}",
                title="Bulk",
                document_type=world.memo,
                date_start=date(1957, 1, 1),
                date_end=date(1957, 12, 31),
                status=PublicationStatus.PUBLISHED,
            )
            for n in range(2)
        ]
    )
    assert counts(client, "year") == {**years, 1957: 2}
    # a delete
    Document.objects.filter(identifier__startswith="t-cache-").delete()
    assert counts(client, "year") == years


def test_a_curators_counts_are_never_shared_with_the_public(
    client: Client, admin_client: Client, world: World
) -> None:
    public = counts(client, "language")
    curator = counts(admin_client, "language")
    # the curator also counts the draft (in Japanese) and the restricted memo (in Russian)
    assert curator == {**public, "ja": public["ja"] + 1, "ru": public["ru"] + 1}
    assert counts(client, "language") == public
    assert counts(admin_client, "language") == curator


def test_the_browse_page_and_the_api_count_alike_from_the_cache(
    client: Client, world: World
) -> None:
    page = client.get("/documents/", {"form": ["t-api-letter", "t-api-memo"]})
    assert page.status_code == 200
    Subject.objects.filter(documents=world.doc1).update(name="Renamed subject")
    page = client.get("/documents/", {"form": ["t-api-letter", "t-api-memo"]})
    assert "Renamed subject" in page.content.decode()


def _changelist(client: Client, query: str = "") -> tuple[int, list[str]]:
    """The number of rows an admin list says it has, and the COUNT statements it ran."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/admin/documents/document/{query}")
    assert response.status_code == 200
    counted = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    return response.context["cl"].result_count, counted


def test_an_admin_list_counts_its_rows_once_per_catalogue_version(
    admin_client: Client, world: World
) -> None:
    total, counted = _changelist(admin_client)
    assert total == Document.objects.count()
    assert len(counted) == 1
    # asked again, the list takes its number of rows from the cache
    assert _changelist(admin_client) == (total, [])
    # a filtered list is counted under its own statement: never another list's number
    drafts, counted = _changelist(admin_client, "?status__exact=draft")
    assert drafts == Document.objects.filter(status=PublicationStatus.DRAFT).count() < total
    assert len(counted) == 1
    # a change to the catalogue is counted at the next page load
    world.doc1.status = PublicationStatus.DRAFT
    world.doc1.save()
    assert _changelist(admin_client)[0] == total
    assert _changelist(admin_client, "?status__exact=draft") == (drafts + 1, counted)
    Document.objects.filter(pk=world.doc1.pk).delete()
    total_after, counted = _changelist(admin_client)
    assert total_after == total - 1
    assert len(counted) == 1


def test_a_count_over_other_tables_is_never_cached(admin_user: Any) -> None:
    # users are not the catalogue: their writes move no version, so their count is not kept
    def counted() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert CachedCountPaginator(User.objects.order_by("pk"), 10).count >= 1
        return [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]

    assert len(counted()) == len(counted()) == 1
