"""The documents' browse page: facet counts, OR/AND, chips, paging, errors, API parity."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db.models import Q
from django.test import Client

from archive.browse import Browse
from archive.models import Language
from documents.filters import public_digital_objects, public_transcripts, public_translations
from documents.models import Document, DocumentType
from documents.views import document_facets
from people.models import DocumentRole

pytestmark = pytest.mark.django_db

ALL = "page_size=100"


def browse_of(client: Client, query: str = "", status: int = 200) -> Browse:
    response = client.get(f"/documents/?{query}")
    assert response.status_code == status, response.content.decode()[:2000]
    return response.context["browse"]


def listed(browse: Browse) -> list[str]:
    return [document.identifier for document in browse.page]


def counts(browse: Browse, name: str) -> dict[str, int]:
    group = browse.group(name)
    assert group is not None
    return {value.value: value.count for value in group.values}


def public() -> object:
    return Document.objects.public()


def test_hidden_documents_are_never_listed_nor_counted(client: Client) -> None:
    hidden = Document.objects.exclude(pk__in=Document.objects.public().values("pk"))
    # the founding collection has drafts and a restricted document
    assert hidden.filter(restricted=True).exists()
    assert hidden.exclude(status="published").exists()
    browse = browse_of(client, ALL)
    assert browse.page.paginator.count == public().count()
    assert not set(listed(browse)) & set(hidden.values_list("identifier", flat=True))
    # a draft in a language of its own puts nothing in any facet
    secret = Language.objects.create(code="t-zz", name="Zzish")
    kind = DocumentType.objects.create(code="t-site-secret-form", name="Secret form")
    draft = Document.objects.create(
        identifier="t-site-draft", title="Zq draft", document_type=kind, status="draft"
    )
    draft.languages.add(secret)
    browse = browse_of(client, ALL)
    assert "t-zz" not in counts(browse, "language")
    assert "t-site-secret-form" not in counts(browse, "form")
    assert "t-site-draft" not in listed(browse)


def test_facet_counts_equal_database_counts_of_public_records(client: Client) -> None:
    browse = browse_of(client)
    expected = {
        "language": lambda v: public().filter(languages__code=v),
        "form": lambda v: public().filter(document_type__code=v),
        "repository": lambda v: public().filter(collection__repository__identifier=v),
        "subject": lambda v: public().filter(subjects__identifier=v),
        # written there or mentioning it, as ``place=`` selects
        "place": lambda v: public().filter(Q(place__identifier=v) | Q(places__identifier=v)),
        "decade": lambda v: public().filter(
            date_start__year__gte=int(v), date_start__year__lt=int(v) + 10
        ),
        "role": lambda v: public().filter(
            agent_roles__role=v,
            agent_roles__agent__status="published",
            agent_roles__agent__restricted=False,
        ),
    }
    for name, query in expected.items():
        values = counts(browse, name)
        assert values, name
        for value, count in values.items():
            assert count == query(value).distinct().count(), (name, value)
    has = {
        "has_transcript": public_transcripts(),
        "has_translation": public_translations(),
        "has_digital_object": public_digital_objects(),
    }
    for name, related in has.items():
        with_it = public().filter(pk__in=related.values("document_id")).count()
        assert counts(browse, name).get("true", 0) == with_it, name
        assert counts(browse, name).get("false", 0) == public().count() - with_it, name


def test_facet_values_carry_human_labels(client: Client) -> None:
    browse = browse_of(client)
    labels = {
        name: {v.value: v.label for v in browse.group(name).values}
        for name in ("language", "role", "decade", "has_transcript")
    }
    assert labels["language"]["ja"] == "Japanese"
    assert labels["role"]["signatory"] == DocumentRole.SIGNATORY.label
    assert labels["decade"]["1950"] == "1950s"
    assert labels["has_transcript"]["true"] == "Yes"
    # the API shows the same labels
    body = client.get("/api/v1/documents/?facets=role,decade").json()
    api_roles = {row["value"]: row["label"] for row in body["facets"]["role"]}
    assert api_roles["signatory"] == DocumentRole.SIGNATORY.label
    assert {row["value"]: row["label"] for row in body["facets"]["decade"]}[1950] == "1950s"


def test_or_within_a_facet_and_across_facets(client: Client) -> None:
    either = browse_of(client, f"{ALL}&language=ja&language=ru")
    expected = public().filter(languages__code__in=["ja", "ru"]).distinct()
    assert sorted(listed(either)) == sorted(expected.values_list("identifier", flat=True))
    assert either.page.paginator.count > counts(either, "language")["ja"]
    # comma-separated means the same as repeated
    assert listed(browse_of(client, f"{ALL}&language=ja,ru")) == listed(either)
    both = browse_of(client, f"{ALL}&language=ja&language=ru&form=letter")
    expected = expected.filter(document_type__code="letter")
    assert sorted(listed(both)) == sorted(expected.values_list("identifier", flat=True))
    # the language facet ignores its own filter, the form facet does not
    assert (
        counts(both, "language")["ja"]
        == public().filter(languages__code="ja", document_type__code="letter").count()
    )
    assert sum(counts(both, "form").values()) <= either.page.paginator.count


def test_selecting_a_facet_value_links_and_chips(client: Client) -> None:
    browse = browse_of(client, "language=ja")
    japanese = next(v for v in browse.group("language").values if v.value == "ja")
    russian = next(v for v in browse.group("language").values if v.value == "ru")
    assert japanese.selected
    assert not russian.selected
    assert parse_qs(urlsplit(russian.url).query)["language"] == ["ja", "ru"]  # OR: add
    assert "language" not in parse_qs(urlsplit(japanese.url).query)  # deselect
    [chip] = browse.chips
    assert (chip.title, chip.label) == ("Language", "Japanese")
    assert "language" not in parse_qs(urlsplit(chip.remove_url).query)
    html = client.get("/documents/?language=ja&form=letter").content.decode()
    assert "Language: Japanese" in html
    assert "Documentary form: letter" in html


def test_pagination_keeps_the_filters(client: Client) -> None:
    response = client.get("/documents/?language=ru&ordering=-date&page_size=3")
    html = response.content.decode()
    assert 'href="?language=ru&amp;ordering=-date&amp;page_size=3&amp;page=2"' in html
    second = client.get("/documents/?language=ru&ordering=-date&page_size=3&page=2")
    first_ids = listed(response.context["browse"])
    second_ids = listed(second.context["browse"])
    everything = listed(browse_of(client, f"{ALL}&language=ru&ordering=-date"))
    assert first_ids + second_ids == everything[:6]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("date_from=1956-13", "date_from"),
        ("colour=red", "colour"),
        ("page_size=0", "page_size"),
        ("role=king", "role"),
        ("has_transcript=perhaps", "has_transcript"),
        ("ordering=colour", "ordering"),
        ("year=abc", "year"),
    ],
)
def test_bad_parameters_answer_400_naming_the_parameter(
    client: Client, query: str, parameter: str
) -> None:
    response = client.get(f"/documents/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert f"<code>{parameter}</code>" in html
    assert 'role="alert"' in html


@pytest.mark.parametrize(
    "query",
    [
        "language=ja",
        "language=ja,ru&form=letter,treaty",
        "date_from=1956-09&date_to=1956-10",
        "decade=1950&has_translation=true",
        "agent=hatoyama-ichiro&role=signatory",
        "q=Khrushchev",
        "q=Хрущёв&ordering=title",
        "subject=territorial-issue&ordering=-date",
        "has_digital_object=false&repository=ndl",
    ],
)
def test_same_query_string_same_records_on_the_site_and_in_the_api(
    client: Client, query: str
) -> None:
    site = listed(browse_of(client, f"{query}&page_size=100"))
    api = client.get(f"/api/v1/documents/?{query}&page_size=100&page=1").json()
    assert site == [row["identifier"] for row in api["results"]]


def test_relevance_is_the_default_order_under_a_search(client: Client) -> None:
    browse = browse_of(client, "q=Hatoyama")
    assert browse.ordering == "relevance"
    assert ("relevance", "Relevance (with a search)", True) in browse.orderings
    assert browse_of(client, "").ordering == "date"
    # relevance without a search falls back to the date order
    assert listed(browse_of(client, "ordering=relevance")) == listed(browse_of(client, ""))


def test_date_histogram_and_range(client: Client) -> None:
    browse = browse_of(client, "date_from=1956&date_to=1956")
    years = {bar.year: bar for bar in browse.histogram().bars}
    # the histogram ignores the date filters, so it still shows every year
    dated = public().filter(date_start__isnull=False)
    assert set(years) == {d.year for d in dated.values_list("date_start", flat=True)}
    assert years[1956].selected
    assert not years[1951].selected
    assert (
        years[1951].count
        == dated.filter(Q(date_start__year__lte=1951) & Q(date_end__year__gte=1951)).count()
    )
    assert parse_qs(urlsplit(years[1951].url).query) == {
        "date_from": ["1951"],
        "date_to": ["1951"],
    }
    html = client.get("/documents/").content.decode()
    assert '<svg class="bars"' in html
    assert 'data-year="1956"' in html


def test_a_place_counts_what_selecting_it_lists(client: Client) -> None:
    moscow = next(v for v in browse_of(client).group("place").values if v.value == "moscow")
    assert moscow.count == browse_of(client, "place=moscow").page.paginator.count


def test_places_with_coordinates_on_the_map(client: Client) -> None:
    response = client.get("/documents/")
    place_map = response.context["place_map"]
    assert place_map.points
    moscow = next(point for point in place_map.points if point.label == "Moscow")
    assert (moscow.x, moscow.y) == pytest.approx((37.62 + 180, 90 - 55.76), abs=0.02)
    html = response.content.decode()
    assert "kiroku/world.svg" in html
    assert "<circle" in html


def test_browse_query_count_does_not_grow_with_page_size(
    client: Client, django_assert_num_queries: object
) -> None:
    facets = len({spec.name for spec in document_facets()})
    # under filters, every facet from the values kept per matching record, in one pass of
    # three queries (archive.facet_tallies.counted), but the language's own, counted under no
    # filter, from its kept tallies and the languages they name (two); under a search, the four
    # a document has one value of (repository, form, decade, year) grouped in one query
    # (archive.facets.SharedPass), with the language on PostgreSQL, and the others from the
    # kept values in one pass
    assert facets > 4 + 1
    for query, page_queries, facet_queries in (
        # (a filter by languages also reads what part of the documents they are on, from
        # the tallies, to choose how to filter: DocumentFilterSet._linked)
        ("language=ja,ru", 8 + 1, 3 + 2),
        ("q=Khrushchev", 8, 1 + 3),
    ):
        # (the version is read twice: for the page's number of matches, then for its facets,
        # which are cached one by one and shared with other pages; a page of several is read
        # as its keys first, then its rows; the languages filtered on are read as keys once, for
        # the page and for every facet counted under them: KirokuFilterSet.keys_of)
        for size in (2, 100):
            caches[settings.CATALOGUE_CACHE].clear()
            with django_assert_num_queries(page_queries + facet_queries):  # type: ignore[operator]
                assert client.get(f"/documents/?{query}&page_size={size}").status_code == 200
        # the same filters again: the facet counts and the number of matches come from the
        # cache (one query for its version instead)
        with django_assert_num_queries(page_queries - 2):  # type: ignore[operator]
            assert client.get(f"/documents/?{query}&page_size=2").status_code == 200


@pytest.mark.parametrize("text", ['"', "*", "-", "'", "😀", '""'])
def test_a_query_with_nothing_searchable_finds_nothing_without_error(
    client: Client, text: str
) -> None:
    for endpoint in ("documents", "people"):
        response = client.get(f"/{endpoint}/", {"q": text})
        assert response.status_code == 200
        assert response.context["page"].paginator.count == 0
    for endpoint in ("documents", "agents", "collections", "publications"):
        response = client.get(f"/api/v1/{endpoint}/", {"q": text})
        assert response.status_code == 200, endpoint
        assert response.json()["results"] == []
    assert client.get("/search/", {"q": text}).status_code == 200


@pytest.mark.parametrize("query", ["", "ordering=-date", "ordering=title", "q=Khrushchev"])
def test_pages_read_by_their_keys_first_keep_the_order_of_the_whole_list(
    client: Client, query: str
) -> None:
    whole = listed(browse_of(client, f"{query}&{ALL}"))
    assert len(whole) > 6
    paged: list[str] = []
    page = 1
    while len(paged) < len(whole):
        paged += listed(browse_of(client, f"{query}&page_size=3&page={page}"))
        page += 1
    assert paged == whole


def test_api_numbered_pages_keep_the_order_of_the_whole_list(client: Client) -> None:
    def identifiers(url: str) -> list[str]:
        response = client.get(url)
        assert response.status_code == 200
        return [row["identifier"] for row in response.json()["results"]]

    for query in ("ordering=title", "q=Khrushchev"):
        whole = identifiers(f"/api/v1/documents/?{query}&page=1&page_size=100")
        assert len(whole) > 4
        paged = [
            identifier
            for page in range(1, (len(whole) + 1) // 2 + 1)
            for identifier in identifiers(f"/api/v1/documents/?{query}&page={page}&page_size=2")
        ]
        assert paged == whole
