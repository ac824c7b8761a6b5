"""Agents, relations, collections, repositories, publications, subjects and places: list,
detail, and one test per filter parameter of each FilterSet."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client

from archive.filters import CollectionFilterSet, RepositoryFilterSet
from documents.filters import PlaceFilterSet, PublicationFilterSet, SubjectFilterSet
from people.filters import AgentFilterSet, AgentRelationFilterSet
from tests.api.conftest import World, get_json, identifiers

# (endpoint, parameters that keep the list to this module's records, FilterSet, cases)
# A case is (parameters, expected identifiers); "{repo}" stands for the test repository's pk.
ENDPOINTS = {
    "agents": (
        [("q", "t-api")],
        AgentFilterSet,
        {
            "q": ([("q", "Хрущёв")], {"t-api-khrushchev"}),
            "kind": ([("q", "t-api"), ("kind", "person")], {"t-api-hatoyama", "t-api-khrushchev"}),
            "nationality": ([("q", "t-api"), ("nationality", "SU")], {"t-api-khrushchev"}),
            # hatoyama is author of a public document; khrushchev only of a draft one
            "role": ([("q", "t-api"), ("role", "author")], {"t-api-hatoyama"}),
            "date_from": ([("q", "t-api"), ("date_from", "1960")], {"t-api-khrushchev"}),
            "date_to": ([("q", "t-api"), ("date_to", "1890")], {"t-api-hatoyama"}),
            "ordering": (
                [("q", "t-api"), ("ordering", "-name")],
                {"t-api-hatoyama", "t-api-khrushchev"},
            ),
        },
    ),
    "collections": (
        [("repository", "t-api-repo")],
        CollectionFilterSet,
        {
            "q": ([("q", "t-api-ser*")], {"t-api-series"}),  # full text: a prefix with *
            "repository": ([("repository", "t-api-repo")], {"t-api-fonds", "t-api-series"}),
            "repository_id": ([("repository_id", "{repo}")], {"t-api-fonds", "t-api-series"}),
            "parent": ([("parent", "t-api-fonds")], {"t-api-series"}),
            "within": ([("within", "t-api-series")], {"t-api-series"}),
            "level": ([("repository", "t-api-repo"), ("level", "fond")], {"t-api-fonds"}),
            "top": ([("repository", "t-api-repo"), ("top", "true")], {"t-api-fonds"}),
            "date_from": ([("repository", "t-api-repo"), ("date_from", "1955")], {"t-api-fonds"}),
            "date_to": ([("repository", "t-api-repo"), ("date_to", "1940")], set()),
            "ordering": (
                [("repository", "t-api-repo"), ("ordering", "title")],
                {"t-api-fonds", "t-api-series"},
            ),
        },
    ),
    "repositories": (
        [("q", "Test Archive")],
        RepositoryFilterSet,
        {
            "q": ([("q", "Test Archive")], {"t-api-repo"}),
            "kind": ([("q", "Test Archive"), ("kind", "archive")], {"t-api-repo"}),
            "country": ([("q", "Test Archive"), ("country", "JP")], set()),
            "ordering": ([("q", "Test Archive"), ("ordering", "-name")], {"t-api-repo"}),
        },
    ),
    "publications": (
        [("q", "t-api")],
        PublicationFilterSet,
        {
            "q": ([("q", "t-api")], {"t-api-pub"}),
            "kind": ([("q", "t-api"), ("kind", "article")], {"t-api-pub"}),
            "year": ([("q", "t-api"), ("year", "1990")], set()),
            "date_from": ([("q", "t-api"), ("date_from", "1991-06")], {"t-api-pub"}),
            "date_to": ([("q", "t-api"), ("date_to", "1990")], set()),
            "agent": ([("q", "t-api"), ("agent", "t-api-hatoyama")], set()),
            "ordering": ([("q", "t-api"), ("ordering", "-date")], {"t-api-pub"}),
        },
    ),
    "subjects": (
        [("q", "t-api")],
        SubjectFilterSet,
        {
            "q": ([("q", "subject a")], {"t-api-sub-a"}),
            "broader": ([("broader", "t-api-sub-b")], set()),
            "ordering": ([("q", "t-api"), ("ordering", "-name")], {"t-api-sub-a", "t-api-sub-b"}),
        },
    ),
    "places": (
        [("q", "t-api")],
        PlaceFilterSet,
        {
            "q": ([("q", "Test Tokyo")], {"t-api-tokyo"}),
            "kind": ([("q", "t-api"), ("kind", "city")], set()),
            "country": ([("q", "t-api"), ("country", "RU")], {"t-api-moscow"}),
            "part_of": ([("part_of", "t-api-tokyo")], set()),
            "ordering": ([("q", "t-api"), ("ordering", "name")], {"t-api-tokyo", "t-api-moscow"}),
        },
    ),
}

CASES = [
    (endpoint, name) for endpoint, (_, _, cases) in sorted(ENDPOINTS.items()) for name in cases
]


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_every_filter_parameter_has_a_test(endpoint: str) -> None:
    _, filterset, cases = ENDPOINTS[endpoint]
    assert set(cases) == set(filterset.base_filters)


@pytest.mark.parametrize(("endpoint", "name"), CASES)
def test_filter_parameter(client: Client, world: World, endpoint: str, name: str) -> None:
    params, expected = ENDPOINTS[endpoint][2][name]
    params = [(key, value.format(repo=world.repo.pk)) for key, value in params]
    body = get_json(client, f"/api/v1/{endpoint}/?" + urlencode(params))
    # records of the founding collection may match too: only this module's are compared
    assert {i for i in identifiers(body) if i.startswith("t-api-")} == expected


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_list_and_detail(client: Client, world: World, endpoint: str) -> None:
    narrow, _, _ = ENDPOINTS[endpoint]
    body = get_json(client, f"/api/v1/{endpoint}/?" + urlencode(narrow))
    assert body["results"], endpoint
    row = body["results"][0]
    assert row["url"].startswith(f"http://testserver/api/v1/{endpoint}/")
    assert row["html_url"].startswith("http://testserver/")
    detail = get_json(client, row["url"])
    assert detail == row


def test_hidden_records_are_not_listed(client: Client, world: World) -> None:
    assert sorted(identifiers(get_json(client, "/api/v1/agents/?q=t-api"))) == [
        "t-api-hatoyama",
        "t-api-khrushchev",
    ]
    repositories = identifiers(get_json(client, "/api/v1/repositories/?q=Hidden"))
    assert "t-api-repo-hidden" not in repositories
    collections = identifiers(get_json(client, "/api/v1/collections/?repository=t-api-repo"))
    assert "t-api-hidden-unit" not in collections
    assert identifiers(get_json(client, "/api/v1/publications/?q=t-api")) == ["t-api-pub"]


def test_agent_has_names_in_every_script(client: Client, world: World) -> None:
    body = get_json(client, "/api/v1/agents/t-api-khrushchev/")
    assert body["names"] == [
        {
            "name": "Хрущёв",
            "language": "ru",
            "script": "Cyrl",
            "kind": "original",
            "transliteration": "",
            "name_order": "",
            "family_name": "",
            "given_name": "",
            "kana_reading": "",
        }
    ]
    assert body["date"]["start"] == "1894-01-01"
    assert body["date"]["end"] == "1971-12-31"


def test_collection_reference_and_counts(client: Client, world: World) -> None:
    body = get_json(client, "/api/v1/collections/t-api-series/")
    assert body["reference"] == "TA, f. 52, op. 1"
    assert body["parent"]["identifier"] == "t-api-fonds"
    assert body["document_count"] == 1  # doc-1; the draft letter in it is not counted
    assert body["custody"] == "owned"


def test_subject_and_place_count_public_documents_only(client: Client, world: World) -> None:
    assert get_json(client, "/api/v1/subjects/t-api-sub-a/")["document_count"] == 2
    place = get_json(client, "/api/v1/places/t-api-tokyo/")
    assert (place["documents_created"], place["documents_mentioning"]) == (1, 0)


def test_agent_relations(client: Client, world: World) -> None:
    body = get_json(client, "/api/v1/agent-relations/?agent=t-api-hatoyama")
    # the relation to a hidden agent and the draft relation are not listed
    assert [r["id"] for r in body["results"]] == [world.relation.pk]
    relation = body["results"][0]
    assert relation["relation_type"]["code"] == "t-api-counterpart"
    assert relation["source"]["identifier"] == "t-api-hatoyama"
    assert relation["target"]["identifier"] == "t-api-khrushchev"
    # evidence lists public documents only
    assert [d["identifier"] for d in relation["supporting_documents"]] == ["t-api-doc-1"]
    assert get_json(client, relation["url"]) == relation


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("relation_type=t-api-counterpart", 1),
        ("relation_type=t-api-other", 0),
        ("agent=t-api-khrushchev", 1),
        ("source=t-api-khrushchev", 0),
        ("target=t-api-khrushchev", 1),
        ("q=t-api-nothing", 0),
        ("date_from=1956&agent=t-api-hatoyama", 1),
        ("date_to=1955&agent=t-api-hatoyama", 0),
        ("ordering=id&agent=t-api-hatoyama", 1),
    ],
)
def test_agent_relation_filter_parameter(
    client: Client, world: World, params: str, expected: int
) -> None:
    body = get_json(client, f"/api/v1/agent-relations/?{params}")
    assert len([r for r in body["results"] if r["id"] == world.relation.pk]) == expected


def test_every_agent_relation_filter_parameter_has_a_test() -> None:
    tested = {"relation_type", "agent", "source", "target", "q", "date_from", "date_to", "ordering"}
    assert tested == set(AgentRelationFilterSet.base_filters)
