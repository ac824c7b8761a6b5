"""The API's rules: strict query strings, 404 for hidden records, pagination, query counts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext

from archive.models import Language
from documents.filters import DocumentFilterSet
from documents.models import Copy, Document, DocumentText
from people.models import AgentRole
from tests.api.conftest import World, get_json, identifiers, make_document

LISTS = [
    "documents",
    "agents",
    "agent-relations",
    "collections",
    "repositories",
    "subjects",
    "places",
    "publications",
]


@pytest.mark.parametrize("endpoint", LISTS)
def test_unknown_parameter_is_refused_by_name(client: Client, world: World, endpoint: str) -> None:
    body = get_json(client, f"/api/v1/{endpoint}/?langauge=ja&colour=red", status=400)
    assert set(body["errors"]) == {"langauge", "colour"}
    assert "colour" in body["detail"]
    assert "langauge" in body["detail"]


def test_filter_parameters_are_not_accepted_on_detail(client: Client, world: World) -> None:
    body = get_json(client, "/api/v1/documents/t-api-doc-1/?language=ja", status=400)
    assert list(body["errors"]) == ["language"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("date_from=19x", "date_from"),
        ("date_to=1956-13", "date_to"),
        ("date_from=1956-02-30", "date_from"),
        ("year=nineteen", "year"),
        ("decade=1955", "decade"),
        ("has_transcript=maybe", "has_transcript"),
        ("role=villain", "role"),
        ("repository_id=abc", "repository_id"),
        ("ordering=colour", "ordering"),
        ("page=0", "page"),
        ("page_size=1000", "page_size"),
        ("cursor=not-a-cursor", "cursor"),
        # PostgreSQL cannot compare a text holding NUL: refused before any lookup
        ("collection=t-api%00unit", "collection"),
        ("subject=a&subject=b%00", "subject"),
        ("q=Kono%01", "q"),
    ],
)
def test_invalid_value_is_refused_by_name(
    client: Client, world: World, query: str, parameter: str
) -> None:
    body = get_json(client, f"/api/v1/documents/?{query}", status=400)
    assert list(body["errors"]) == [parameter]
    assert parameter in body["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/documents/t-api-draft/",
        "/api/v1/documents/t-api-restricted/",
        "/api/v1/agents/t-api-secret-agent/",
        "/api/v1/collections/t-api-hidden-unit/",
        "/api/v1/repositories/t-api-repo-hidden/",
        "/api/v1/publications/t-api-pub-draft/",
    ],
)
def test_unpublished_record_answers_like_a_missing_one(
    client: Client, world: World, url: str
) -> None:
    hidden = client.get(url)
    missing = client.get(url.rstrip("/") + "-no-such-record/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_hidden_relation_answers_404(client: Client, world: World) -> None:
    from people.models import AgentRelation

    draft = AgentRelation.objects.get(status="draft", source=world.khrushchev)
    assert client.get(f"/api/v1/agent-relations/{draft.pk}/").status_code == 404


def walk(client: Client, url: str, link: str) -> list[list[str]]:
    pages = []
    while url:
        body = get_json(client, url)
        pages.append(identifiers(body))
        url = body[link]
    return pages


@pytest.mark.parametrize("ordering", ["date", "-date", "title", "-title", "identifier"])
def test_cursor_pages_cover_every_row_once_both_ways(
    client: Client, world: World, ordering: str
) -> None:
    base = f"/api/v1/documents/?form=t-api-letter&form=t-api-memo&ordering={ordering}"
    everything = identifiers(get_json(client, base))
    forward = walk(client, base + "&page_size=1", "next")
    assert [row for page in forward for row in page] == everything
    assert get_json(client, base + "&page_size=1")["count"] is None
    # back from the last page by the previous links
    last = get_json(client, base + "&page_size=1")
    while last["next"]:
        last = get_json(client, last["next"])
    backward = walk(client, last["previous"], "previous")
    assert [row for page in reversed(backward) for row in page] == everything[:-1]


def test_page_number_pagination(client: Client, world: World) -> None:
    base = "/api/v1/documents/?form=t-api-letter&form=t-api-memo&page_size=3"
    first = get_json(client, base + "&page=1")
    assert first["count"] == 4
    assert len(first["results"]) == 3
    second = get_json(client, first["next"])
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert get_json(client, second["previous"])["results"] == first["results"]
    get_json(client, base + "&page=3", status=404)


# -- query counts -------------------------------------------------------------------------------


def many_documents(world: World, count: int) -> None:
    """``count`` public documents with every relation a list row shows, in form t-api-bulk."""
    from documents.models import DocumentType

    form = DocumentType.objects.create(code="t-api-bulk", name="Bulk")
    ja = Language.objects.get(code="ja")
    for n in range(count):
        document = make_document(
            f"t-api-bulk-{n:02d}",
            form,
            date_edtf=f"1956-10-{n % 28 + 1:02d}",
            collection=world.series,
            place=world.doc1.place,
            languages=[ja],
            subjects=list(world.doc1.subjects.all()),
            places=list(world.doc2.places.all()),
            status="published",
        )
        DocumentText.objects.create(
            document=document, key="ja", kind="original", language=ja, body="x", status="published"
        )
        AgentRole.objects.create(document=document, agent=world.hatoyama, role="author")
        Copy.objects.create(
            document=document, key="c", kind="copy", holder=world.repo, status="published"
        )


@pytest.mark.parametrize(
    ("endpoint", "query"),
    [
        ("documents", "form=t-api-bulk&expand=texts,agents,copies&facets=language,form"),
        ("documents", "form=t-api-bulk&page=1"),
        ("agents", ""),
        ("agent-relations", ""),
        ("collections", ""),
        ("repositories", ""),
        ("subjects", ""),
        ("places", ""),
        ("publications", ""),
    ],
)
def test_query_count_does_not_grow_with_page_size(
    client: Client,
    world: World,
    endpoint: str,
    query: str,
    django_assert_num_queries: Any,
    uncached: None,
) -> None:
    many_documents(world, 20)
    url = f"/api/v1/{endpoint}/?{query}"
    with django_assert_num_queries(expected := _count(client, url + "&page_size=3")):
        body = get_json(client, url + "&page_size=20")
    # with the catalogue version, the key of a public response; the form facet, counted under
    # no filter, reads its kept tallies and the forms they name; the language, under the form
    # filter, the values kept per matching record (four queries for any number of facets); the
    # form filtered on is read as its key, once; the page as its keys, then its rows
    assert expected <= 19
    if endpoint == "documents":
        assert len(body["results"]) == 20


def test_document_list_uses_a_fixed_number_of_queries(
    client: Client, world: World, django_assert_num_queries: Any
) -> None:
    many_documents(world, 20)
    # the catalogue's version (the cache key of a public response), the form filtered on (its
    # key), the page's keys, then its documents, languages, subjects, places, identifiers,
    # lineages, texts, roles, copies
    with django_assert_num_queries(12):
        body = get_json(
            client, "/api/v1/documents/?form=t-api-bulk&page_size=20&expand=texts,agents,copies"
        )
    assert len(body["results"]) == 20
    assert all(row["reference"].startswith("TA, f. 52, op. 1") for row in body["results"])
    assert Document.objects.filter(document_type__code="t-api-bulk").count() == 20


def test_a_filtered_page_is_read_as_its_keys_then_its_rows(
    client: Client, world: World, uncached: None
) -> None:
    """The page's keys are found without its joins, and a relation filtered on is given as keys
    (``KirokuFilterSet.keys_of``): planning all at once from the average subject, PostgreSQL
    walked the sort index of a million documents for a subject of twelve."""
    from documents.models import DocumentType

    many_documents(world, 20)
    form = DocumentType.objects.get(code="t-api-bulk")
    with CaptureQueriesContext(connection) as queries:
        body = get_json(client, "/api/v1/documents/?form=t-api-bulk&page_size=5")
    assert len(body["results"]) == 5
    listed = [q["sql"] for q in queries if 'FROM "documents_document"' in q["sql"]]
    keys, rows = listed[0], listed[1]
    # the keys: the documents alone, filtered by the form's key, in the list's order
    assert keys.startswith('SELECT "documents_document"."id"')
    assert "JOIN" not in keys
    assert f'"document_type_id" IN ({form.pk})' in keys
    assert "LIMIT 6" in keys
    # the rows: by the page's five keys (the sixth only says there are more; the filter is
    # checked again), with the joins, and no limit
    assert "JOIN" in rows
    assert "LIMIT" not in rows
    assert re.search(r'"documents_document"\."id" IN \(\d+(, \d+){4}\)', rows)
    shown = [q["sql"] for q in queries if 'FROM "documents_documenttype"' in q["sql"]]
    assert len(shown) == 1  # the form's code looked up once


def test_a_relation_filtered_on_is_read_once_for_the_page_and_its_facets(
    client: Client, world: World, uncached: None
) -> None:
    many_documents(world, 3)
    url = "/api/v1/documents/?subject=t-api-sub-a&facets=form,language,subject,agent,year"
    with CaptureQueriesContext(connection) as queries:
        body = get_json(client, url)
    assert {row["identifier"] for row in body["results"]} >= {
        "t-api-bulk-00",
        world.doc1.identifier,
    }
    assert [q["sql"] for q in queries].count(_subject_lookup(queries)) == 1
    # a subject that does not exist finds nothing, and reads no document
    with CaptureQueriesContext(connection) as queries:
        body = get_json(client, "/api/v1/documents/?subject=t-api-no-such-subject")
    assert body["results"] == []
    assert not [q for q in queries if 'FROM "documents_document"' in q["sql"]]


def _subject_lookup(queries: CaptureQueriesContext) -> str:
    found = {q["sql"] for q in queries if q["sql"].startswith('SELECT "documents_subject"."id"')}
    assert len(found) == 1
    return found.pop()


def _count(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_nul_in_a_filter_is_refused_by_name(client: Client, world: World) -> None:
    response = client.get("/api/v1/collections/?repository=a%00b&date_to=1956-10")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["repository"]


def test_one_form_class_serves_every_request_and_each_form_is_its_own() -> None:
    """The parameters' form class is made once per FilterSet class; the forms made from it
    share no field, so the field one request's refused value replaced is not another's."""
    refused = DocumentFilterSet(QueryDict("role=a%00b"), queryset=Document.objects.none())
    fine = DocumentFilterSet(QueryDict("role=author"), queryset=Document.objects.none())
    assert type(refused.form) is type(fine.form)
    assert not refused.form.is_valid()
    assert list(refused.form.errors) == ["role"]
    assert fine.form.is_valid()
    assert refused.form.fields["role"] is not fine.form.fields["role"]
