"""Documents: list and detail, one test per filter parameter, ordering, expansions."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client

from documents.filters import DocumentFilterSet
from tests.api.conftest import World, get_json, identifiers

# every test's own forms: the founding collection never shows up in these lists
MINE = [("form", "t-api-letter"), ("form", "t-api-memo")]

# one case per filter parameter: (parameter, value(s), expected identifiers in any order)
FILTER_CASES: dict[str, tuple[list[tuple[str, str]], set[str]]] = {
    "q": ([("q", "normalisation")], {"t-api-doc-1"}),
    "repository": (
        [("repository", "t-api-repo")],
        {"t-api-doc-1", "t-api-doc-2", "t-api-in-hidden-unit"},
    ),
    "repository_id": ([], {"t-api-doc-1", "t-api-doc-2", "t-api-in-hidden-unit"}),
    "collection": (
        [("collection", "t-api-series"), ("collection", "t-api-hidden-unit")],
        {"t-api-doc-1"},
    ),
    "form": ([("form", "t-api-memo")], {"t-api-doc-2", "t-api-in-hidden-unit"}),
    "language": ([("language", "en,ru")], {"t-api-doc-2", "t-api-doc-3"}),
    "subject": ([("subject", "t-api-sub-a")], {"t-api-doc-1", "t-api-doc-3"}),
    "place": (
        [("place", "t-api-tokyo"), ("place", "t-api-moscow")],
        {"t-api-doc-1", "t-api-doc-2"},
    ),
    "agent": (
        [("agent", "t-api-hatoyama"), ("agent", "t-api-secret-agent")],
        {"t-api-doc-1", "t-api-doc-2"},
    ),
    "role": ([("role", "author")], {"t-api-doc-1"}),
    "date_from": ([("date_from", "1956")], {"t-api-doc-1"}),
    "date_to": ([("date_to", "1955-12")], {"t-api-doc-2"}),
    "year": ([("year", "1955")], {"t-api-doc-2"}),
    "decade": ([("decade", "1950")], {"t-api-doc-1", "t-api-doc-2"}),
    "has_transcript": ([("has_transcript", "true")], {"t-api-doc-1"}),
    "has_translation": ([("has_translation", "true")], {"t-api-doc-2"}),
    "has_digital_object": ([("has_digital_object", "true")], {"t-api-doc-1"}),
    "ordering": (
        [("ordering", "title")],
        {"t-api-doc-1", "t-api-doc-2", "t-api-doc-3", "t-api-in-hidden-unit"},
    ),
}


def list_documents(client: Client, params: list[tuple[str, str]]) -> list[str]:
    if not any(name == "form" for name, _ in params):
        params = [*params, *MINE]
    return identifiers(get_json(client, "/api/v1/documents/?" + urlencode(params)))


def test_every_filter_parameter_has_a_test() -> None:
    assert set(FILTER_CASES) == set(DocumentFilterSet.base_filters)


@pytest.mark.parametrize("name", sorted(FILTER_CASES))
def test_filter_parameter(client: Client, world: World, name: str) -> None:
    params, expected = FILTER_CASES[name]
    if name == "repository_id":
        params = [("repository_id", str(world.repo.pk))]
    assert set(list_documents(client, params)) == expected


def test_list_shows_only_public_documents(client: Client, world: World) -> None:
    found = list_documents(client, [])
    assert found == ["t-api-doc-2", "t-api-doc-1", "t-api-in-hidden-unit", "t-api-doc-3"]


def test_multi_valued_filters_are_or_within_and_across(client: Client, world: World) -> None:
    assert set(list_documents(client, [("language", "ja"), ("language", "ru")])) == {
        "t-api-doc-1",
        "t-api-doc-2",
        "t-api-doc-3",
    }
    assert list_documents(client, [("language", "ja"), ("subject", "t-api-sub-b")]) == []


def test_role_with_agent_means_that_agent_in_that_role(client: Client, world: World) -> None:
    found = list_documents(client, [("agent", "t-api-hatoyama"), ("role", "recipient")])
    assert found == ["t-api-doc-2"]


def test_boolean_filters_false_selects_documents_without(client: Client, world: World) -> None:
    found = set(list_documents(client, [("has_transcript", "false")]))
    # doc-3's transcript is a draft: it does not count
    assert found == {"t-api-doc-2", "t-api-doc-3", "t-api-in-hidden-unit"}


def test_date_filters_take_days_months_and_years(client: Client, world: World) -> None:
    assert list_documents(client, [("date_from", "1956-10-19"), ("date_to", "1956-10-19")]) == [
        "t-api-doc-1"
    ]
    assert list_documents(client, [("date_from", "1956-10-20")]) == []


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("date", ["t-api-doc-2", "t-api-doc-1", "t-api-in-hidden-unit", "t-api-doc-3"]),
        ("-date", ["t-api-doc-1", "t-api-doc-2", "t-api-doc-3", "t-api-in-hidden-unit"]),
        ("title", ["t-api-in-hidden-unit", "t-api-doc-1", "t-api-doc-2", "t-api-doc-3"]),
        ("-title", ["t-api-doc-3", "t-api-doc-2", "t-api-doc-1", "t-api-in-hidden-unit"]),
        ("identifier", ["t-api-doc-1", "t-api-doc-2", "t-api-doc-3", "t-api-in-hidden-unit"]),
    ],
)
def test_ordering(client: Client, world: World, ordering: str, expected: list[str]) -> None:
    assert list_documents(client, [("ordering", ordering)]) == expected


def test_detail_representation(client: Client, world: World) -> None:
    body = get_json(client, "/api/v1/documents/t-api-doc-1/")
    assert body["identifier"] == "t-api-doc-1"
    assert body["url"] == "http://testserver/api/v1/documents/t-api-doc-1/"
    assert body["html_url"] == "http://testserver/documents/t-api-doc-1/"
    assert body["date"] == {
        "edtf": "1956-10-19",
        "start": "1956-10-19",
        "end": "1956-10-19",
        "display": world.doc1.date_display,
    }
    assert body["form"] == {"code": "t-api-letter", "name": "Test letter"}
    assert (
        body["languages"] == [{"code": "ja", "name": "Japanese"}]
        or body["languages"][0]["code"] == "ja"
    )
    assert body["reference"] == "TA, f. 52, op. 1, d. 596, ll. 61-66"
    assert body["collection"]["identifier"] == "t-api-series"
    assert body["repository"]["identifier"] == "t-api-repo"
    assert body["place"]["identifier"] == "t-api-tokyo"
    assert [s["identifier"] for s in body["subjects"]] == ["t-api-sub-a"]
    # a single record comes with its public parts in full
    assert [t["key"] for t in body["texts"]] == ["ja-1"]
    assert [(a["role"], a["agent"]["identifier"]) for a in body["agents"]] == [
        ("author", "t-api-hatoyama")
    ]
    assert [c["key"] for c in body["copies"]] == ["orig"]


def test_japanese_era_follows_the_documents_languages(client: Client, world: World) -> None:
    """In a repository that does not show Japanese eras, a document in Japanese still gives
    the era year beside its date: in a list, whose languages come prefetched as a list, and
    on its own."""
    body = get_json(client, "/api/v1/documents/?form=t-api-letter&form=t-api-memo")
    display = {row["identifier"]: row["date"]["display"] for row in body["results"]}
    assert display["t-api-doc-1"] == "19 October 1956 (Showa 31)"  # Japanese
    assert display["t-api-doc-2"] == "1955"  # Russian, same repository
    detail = get_json(client, "/api/v1/documents/t-api-doc-1/")
    assert detail["date"]["display"] == "19 October 1956 (Showa 31)"


def test_lists_expand_only_on_request(client: Client, world: World) -> None:
    body = get_json(client, "/api/v1/documents/?form=t-api-letter")
    assert "texts" not in body["results"][0]
    body = get_json(client, "/api/v1/documents/?form=t-api-letter&expand=texts,agents")
    row = next(r for r in body["results"] if r["identifier"] == "t-api-doc-3")
    assert row["texts"] == []  # its only text is a draft
    assert row["agents"] == []  # its only agent is hidden
    assert "copies" not in row


def test_hidden_related_records_are_null_not_shown(client: Client, world: World) -> None:
    body = get_json(client, "/api/v1/documents/t-api-in-hidden-unit/")
    assert body["collection"] is None
    assert body["repository"]["identifier"] == "t-api-repo"


def test_unknown_expansion_is_refused(client: Client, world: World) -> None:
    body = get_json(client, "/api/v1/documents/?expand=secrets", status=400)
    assert "expand" in body["errors"]


def test_staff_see_drafts(client: Client, world: World, django_user_model: type) -> None:
    assert client.get("/api/v1/documents/t-api-draft/").status_code == 404
    staff = django_user_model.objects.create_user("t-api-staff", password="pw", is_staff=True)
    client.force_login(staff)
    assert client.get("/api/v1/documents/t-api-draft/").status_code == 200
