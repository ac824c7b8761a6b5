"""Facet counts: per value, under the other filters, public records only, one query each."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from archive.models import Collection, Language
from documents.filters import DocumentFilterSet
from documents.models import Document, DocumentText, Place
from tests.api.conftest import PUBLIC, World, get_json, make_document

MINE = "form=t-api-letter&form=t-api-memo"


def facet(body: dict, name: str) -> dict[str, int]:
    return {row["value"]: row["count"] for row in body["facets"][name]}


def test_language_counts_equal_public_record_counts(client: Client, world: World) -> None:
    body = get_json(client, f"/api/v1/documents/?{MINE}&facets=language")
    counts = facet(body, "language")
    # the draft and the restricted documents in Japanese and Russian are never counted
    assert counts == {"ja": 2, "ru": 1, "en": 1}
    public = Document.objects.public().filter(document_type__code__startswith="t-api-")
    assert counts["ja"] == public.filter(languages__code="ja").count()
    labels = {row["value"]: row["label"] for row in body["facets"]["language"]}
    assert labels["ja"] == "Japanese"


def test_a_facet_ignores_its_own_filter_but_not_the_others(client: Client, world: World) -> None:
    body = get_json(client, f"/api/v1/documents/?{MINE}&language=ru&facets=language,form")
    # language counts ignore language=ru ...
    assert facet(body, "language") == {"ja": 2, "ru": 1, "en": 1}
    # ... while the form facet counts Russian documents only (of every form)
    forms = facet(body, "form")
    assert forms["t-api-memo"] == 1
    assert "t-api-letter" not in forms
    assert [row["identifier"] for row in body["results"]] == ["t-api-doc-2"]


def test_form_facet_with_form_filter_counts_all_forms(client: Client, world: World) -> None:
    body = get_json(client, "/api/v1/documents/?form=t-api-memo&q=t-api&facets=form")
    assert facet(body, "form") == {"t-api-letter": 2, "t-api-memo": 2}


def test_agent_facet_shows_public_agents_only(client: Client, world: World) -> None:
    body = get_json(client, f"/api/v1/documents/?{MINE}&facets=agent,role")
    assert facet(body, "agent") == {"t-api-hatoyama": 2, "t-api-khrushchev": 1}
    assert facet(body, "role") == {"author": 1, "recipient": 1, "signatory": 1}


def test_date_and_repository_facets(client: Client, world: World) -> None:
    body = get_json(client, f"/api/v1/documents/?{MINE}&facets=year,decade,repository,subject")
    assert facet(body, "year") == {1955: 1, 1956: 1}
    assert facet(body, "decade") == {1950: 2}
    assert facet(body, "repository") == {"t-api-repo": 3}
    assert facet(body, "subject") == {"t-api-sub-a": 2, "t-api-sub-b": 1}


def test_place_facet_counts_each_document_once_written_there_or_mentioning_it(
    client: Client, world: World
) -> None:
    body = get_json(client, f"/api/v1/documents/?{MINE}&facets=place")
    # doc 1 was written in Tokyo, doc 2 mentions Moscow; the draft mentioning Tokyo is hidden
    assert facet(body, "place") == {"t-api-tokyo": 1, "t-api-moscow": 1}
    labels = {row["value"]: row["label"] for row in body["facets"]["place"]}
    assert labels["t-api-tokyo"] == "Test Tokyo"
    # a document written in Tokyo that also mentions Tokyo and Moscow counts once for each
    Document.objects.get(identifier="t-api-doc-1").places.add(
        *Place.objects.filter(identifier__in=["t-api-tokyo", "t-api-moscow"])
    )
    body = get_json(client, f"/api/v1/documents/?{MINE}&facets=place")
    assert facet(body, "place") == {"t-api-moscow": 2, "t-api-tokyo": 1}
    # the counts follow the other filters, and a filter matching nothing counts nothing
    body = get_json(client, f"/api/v1/documents/?{MINE}&language=ru&facets=place")
    assert facet(body, "place") == {"t-api-moscow": 1}
    assert get_json(client, "/api/v1/documents/?q=%22&facets=place")["facets"]["place"] == []


def test_public_facets_under_the_same_filters_are_counted_in_one_pass(
    client: Client, admin_client: Client, world: World, uncached: None
) -> None:
    url = f"/api/v1/documents/?{MINE}"
    with CaptureQueriesContext(connection) as plain:
        client.get(url)
    with CaptureQueriesContext(connection) as faceted:
        client.get(url + "&facets=language,agent")
    # one query for the catalogue's version (the counts' cache key); then the values kept per
    # matching record (archive.facet_tallies.counted): whether they are complete, the values,
    # and the records they name
    assert len(faceted) - len(plain) == 1 + 3
    # as many for more facets; one counted under no filter (the form, whose own filter it
    # ignores) reads its kept tallies: the tallies and the records they name, two queries for
    # any number of such facets
    with CaptureQueriesContext(connection) as kept:
        client.get(url + "&facets=language,agent,form,repository,subject,year")
    assert len(kept) - len(plain) == 1 + 3 + 2
    # a curator's counts, which include unpublished records, are grouped from the records:
    # one query per facet
    with CaptureQueriesContext(connection) as plain:
        admin_client.get(url)
    with CaptureQueriesContext(connection) as faceted:
        admin_client.get(url + "&facets=language,agent")
    assert len(faceted) - len(plain) == 2


#: single-valued facets with few values, plus one with many values and one many-valued
SEARCH_FACETS = ["form", "repository", "year", "decade", "collection", "language"]


def test_which_facets_a_document_has_one_value_of() -> None:
    single = {
        name for name, facet in DocumentFilterSet.facets.items() if facet.single_valued(Document)
    }
    # languages, subjects and agents are many per document; places and the yes/no facets are
    # counted in their own way
    assert single == {"form", "repository", "collection", "year", "decade"}
    assert DocumentFilterSet.facets["collection"].many_values


def test_under_a_search_facets_of_one_value_share_one_query(
    client: Client, world: World, uncached: None
) -> None:
    def facet_queries(query: str) -> int:
        with CaptureQueriesContext(connection) as plain:
            client.get(f"/api/v1/documents/?{query}")
        with CaptureQueriesContext(connection) as faceted:
            client.get(f"/api/v1/documents/?{query}&facets={','.join(SEARCH_FACETS)}")
        return len(faceted) - len(plain)

    # without a search, the public counts are read from the values kept per record in one
    # pass (three queries), and the form, counted under no filter, from its kept tallies (two
    # queries: the tallies, the forms they name); and one for the catalogue's version
    assert facet_queries(MINE) == 3 + 2 + 1
    # under one, form, repository, year and decade in one grouped query (archive.facets.
    # SharedPass), which the language (several per document) joins on PostgreSQL, grouping by
    # grouping sets; the others (the collection, of thousands of values, and on SQLite the
    # language) from the values kept per matching record, in one pass
    assert facet_queries("q=t-api") == 1 + 3 + 1
    # a facet's own filter sets it apart: the form is counted without the form filter, alone
    # under the search, so from the kept values, in a pass of its own
    assert facet_queries("q=t-api&form=t-api-memo") == 1 + 3 + 3 + 1
    # a search of whitespace is no search: the values kept per record, as without one, in two
    # passes, the form being counted under a parameter, if an empty one
    assert facet_queries(f"{MINE}&q=%20%20") == 3 + 3 + 1


def test_facets_counted_together_count_as_each_facet_alone(
    client: Client, world: World, uncached: None
) -> None:
    # a public document in a public fonds of a hidden repository: it counts for its form and
    # its year, never for its repository
    make_document(
        "t-api-elsewhere",
        world.memo,
        title="Memorandum filed elsewhere",
        date_edtf="1956-03-01",
        collection=Collection.objects.get(identifier="t-api-hidden-fonds"),
        **PUBLIC,
    )
    # (the undated note has two languages, the document filed elsewhere none; of the language
    # and the subject, only the first joins the others on PostgreSQL)
    names = [*SEARCH_FACETS, "subject"]
    for query in ("q=t-api", "q=t-api&language=ja", "q=memorandum&form=t-api-memo"):
        url = f"/api/v1/documents/?{query}&facets="
        together = get_json(client, url + ",".join(names))["facets"]
        for name in names:
            assert together[name] == get_json(client, url + name)["facets"][name], (query, name)
    body = get_json(client, f"/api/v1/documents/?q=t-api&facets={','.join(SEARCH_FACETS)}")
    assert facet(body, "repository") == {"t-api-repo": 3}  # the undated note has no unit
    assert facet(body, "form") == {"t-api-letter": 2, "t-api-memo": 3}
    assert facet(body, "year") == {1955: 1, 1956: 2}
    assert body["count"] == 5


def test_yes_no_facets_count_documents_once_among_the_rows(client: Client, world: World) -> None:
    # a second public transcript of the first letter; the undated note's transcript is a draft
    DocumentText.objects.create(
        document=world.doc1,
        key="ja-2",
        kind="transcript",
        language=Language.objects.get(code="ja"),
        body="書簡の写し",
        **PUBLIC,
    )
    names = "has_transcript,has_translation,has_digital_object"
    body = get_json(client, f"/api/v1/documents/?q=t-api&facets={names}")
    assert body["count"] == 4
    assert facet(body, "has_transcript") == {True: 1, False: 3}
    assert facet(body, "has_translation") == {True: 1, False: 3}  # the memorandum's
    assert facet(body, "has_digital_object") == {True: 1, False: 3}  # the other scan is a draft
    body = get_json(client, f"/api/v1/documents/?q=normalisation&facets={names}")
    assert facet(body, "has_transcript") == {True: 1}
    assert facet(body, "has_translation") == {False: 1}
    # nothing searchable: nothing counted
    assert get_json(client, f"/api/v1/documents/?q=%22&facets={names}")["facets"] == {
        "has_transcript": [],
        "has_translation": [],
        "has_digital_object": [],
    }


def test_facets_of_other_endpoints(client: Client, world: World) -> None:
    body = get_json(client, "/api/v1/agents/?q=t-api&facets=kind,nationality")
    assert facet(body, "kind") == {"person": 2}  # the draft organization is not counted
    assert facet(body, "nationality") == {"JP": 1, "SU": 1}
    body = get_json(client, "/api/v1/collections/?repository=t-api-repo&facets=repository,level")
    repositories = facet(body, "repository")
    assert repositories["t-api-repo"] == 2
    assert "t-api-repo-hidden" not in repositories


def test_unknown_facet_is_refused(client: Client, world: World) -> None:
    body = get_json(client, "/api/v1/documents/?facets=language,colour", status=400)
    assert "facets" in body["errors"]
    assert "colour" in body["errors"]["facets"][0]
