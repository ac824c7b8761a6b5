"""The search page: any script, relevance, snippets, kinds, facets, errors, query counts."""

from __future__ import annotations

import pytest
from django.test import Client

from documents.models import Document, DocumentType

pytestmark = pytest.mark.django_db


def hits(client: Client, query: str) -> list[str]:
    response = client.get(f"/search/?{query}&page_size=100")
    assert response.status_code == 200
    return [hit.identifier for hit in response.context["page"]]


def test_a_person_by_any_name_form_in_any_script(client: Client) -> None:
    cyrillic = hits(client, "q=Хрущёв")
    assert "khrushchev-nikita" in cyrillic
    assert hits(client, "q=Хрущев") == cyrillic  # ё folded to е
    assert hits(client, "q=Khrushchov") == cyrillic
    latin = set(hits(client, "q=Khrushchev"))
    assert set(cyrillic) <= latin


def test_case_and_diacritics_are_ignored(client: Client) -> None:
    assert hits(client, "q=Kōno") == hits(client, "q=kono") == hits(client, "q=KONO")
    assert "kono-ichiro" in hits(client, "q=Kono")


def test_japanese_without_spaces(client: Client) -> None:
    found = hits(client, "q=河野")
    assert "kono-ichiro" in found
    assert any(identifier.startswith("petition-") for identifier in found)
    assert hits(client, "q=共同宣言") == ["joint-declaration-1956"]


def test_highlighted_snippets_and_relevance_order(client: Client) -> None:
    response = client.get("/search/?q=Хрущёв")
    html = response.content.decode()
    assert "<mark>Хрущёв</mark>" in html or "<mark>Хрущев</mark>" in html
    ranks = [hit.rank for hit in response.context["page"]]
    assert ranks == sorted(ranks, reverse=True)


def test_quoted_phrases(client: Client) -> None:
    phrase = set(hits(client, 'q="joint declaration"'))
    words = set(hits(client, "q=declaration joint"))
    assert phrase
    assert phrase <= words


def test_kinds_filter_and_counts(client: Client) -> None:
    response = client.get("/search/?q=Hatoyama&kind=agent&page_size=100")
    page = response.context["page"]
    assert {hit.kind for hit in page} == {"agent"}
    counts = {kind: count for kind, _label, count, _current in response.context["kind_counts"]}
    assert page.paginator.count == counts["agent"]
    assert sum(counts.values()) == len(hits(client, "q=Hatoyama"))


def test_unpublished_records_are_never_found(client: Client) -> None:
    kind = DocumentType.objects.create(code="t-site-form", name="form")
    Document.objects.create(
        identifier="t-site-draft", title="Zyxwv draft", document_type=kind, status="draft"
    )
    Document.objects.create(
        identifier="t-site-restricted",
        title="Zyxwv restricted",
        document_type=kind,
        status="published",
        restricted=True,
    )
    assert hits(client, "q=Zyxwv") == []
    assert client.get("/documents/?q=Zyxwv").context["page"].paginator.count == 0


def test_search_page_shows_the_document_facets_of_the_query(client: Client) -> None:
    response = client.get("/search/?q=Hatoyama")
    language = response.context["browse"].group("language")
    ja = next(value for value in language.values if value.value == "ja")
    browse = client.get("/documents/?q=Hatoyama&language=ja").context["browse"]
    assert ja.count == browse.page.paginator.count
    assert 'href="/documents/?q=Hatoyama&amp;language=ja"' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("q=x&kind=letters", "kind"), ("q=x&sort=1", "sort"), ("q=x&page_size=500", "page_size")],
)
def test_bad_parameters(client: Client, query: str, parameter: str) -> None:
    response = client.get(f"/search/?{query}")
    assert response.status_code == 400
    assert f"<code>{parameter}</code>" in response.content.decode()


def test_empty_query_shows_the_form(client: Client) -> None:
    response = client.get("/search/")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_search_query_count_does_not_grow_with_page_size(
    client: Client, django_assert_num_queries: object, uncached: None
) -> None:
    # counts by kind, the count and page of hits (its keys, then its rows), the catalogue's
    # version (read for the count, then for the facets); the document facets in one grouped
    # query for the four a document has one value of (repository, form, decade, year), which
    # on PostgreSQL counts the language too (archive.facets.SharedPass), and the others from
    # the values kept per matching record, in one pass of three queries
    queries = 6 + 1 + 3
    with django_assert_num_queries(queries):  # type: ignore[operator]
        client.get("/search/?q=Khrushchev&page_size=2")
    with django_assert_num_queries(queries):  # type: ignore[operator]
        client.get("/search/?q=Khrushchev&page_size=100")
