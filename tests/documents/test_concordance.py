"""The identifier concordance: any identifier of a document finds it and every place it is held.

The founding collection's memorandum of the Khrushchev–Kono conversations is held by RGANI
(f. 52, op. 1, d. 596, ll. 61-66) and published by the Wilson Center as record 208807; the
Joint Declaration is document V.3 of the foreign ministries' compendium.
"""

import pytest
from django.test import Client

from archive.models import IdentifierScheme, PublicationStatus
from documents.concordance import normalize, resolve
from documents.models import Copy, Document, Identifier

pytestmark = pytest.mark.django_db

MEMCON = "memcon-khrushchev-kono-1956-10-18"


def found(query: str) -> list[tuple[str, bool]]:
    resolution = resolve(query, Document.objects.public())
    return [(m.document.identifier, m.exact) for m in resolution.matches]


def test_normalize_ignores_case_diacritics_spaces_and_punctuation() -> None:
    assert normalize("RGANI, f. 52, op. 1, d. 596") == normalize("rgani f.52 op.1 d.596")
    assert normalize("Kōno") == "kono"
    assert normalize("Ｖ．３") == "v3"  # full-width forms, as Japanese input methods type them


@pytest.mark.parametrize(
    "query",
    [
        "RGANI, f. 52, op. 1, d. 596, ll. 61-66",
        "rgani f.52 op.1 d.596 ll.61–66",
        "208807",
        "https://digitalarchive.wilsoncenter.org/document/208807",
        MEMCON,
    ],
)
def test_every_identifier_of_the_memorandum_finds_it(query: str) -> None:
    assert found(query) == [(MEMCON, True)]


def test_a_reference_without_its_leaves_is_a_partial_match() -> None:
    assert found("RGANI, f. 52, op. 1, d. 596") == [(MEMCON, False)]


@pytest.mark.parametrize("query", ["f. 52, op. 1, d. 596", "f.52 op.1 d.596 ll.61-66"])
def test_a_reference_without_the_archives_name_is_a_partial_match(query: str) -> None:
    assert found(query) == [(MEMCON, False)]


def test_a_reference_is_not_matched_from_its_middle() -> None:
    assert found("op. 1, d. 596") == []


def test_an_edition_number_finds_the_document_and_all_its_copies() -> None:
    resolution = resolve("V.3", Document.objects.public())
    [match] = resolution.matches
    assert match.document.identifier == "joint-declaration-1956"
    assert match.how == "Joint Compendium document number"
    expected = set(Copy.objects.public().filter(document=match.document).values_list("pk"))
    assert {(c.pk,) for c in match.copies} == expected
    assert len(match.copies) >= 2


def test_a_short_number_does_not_match_a_longer_one() -> None:
    assert found("V.30") == []
    assert found("596") == []  # a number inside a reference is not the reference


def test_unknown_and_unpublished_identifiers_find_nothing() -> None:
    hidden = Document.objects.get(identifier=MEMCON)
    assert found("no-such-record-1234") == []
    Document.objects.filter(pk=hidden.pk).update(status=PublicationStatus.DRAFT)
    assert found("208807") == []
    Document.objects.filter(pk=hidden.pk).update(
        status=PublicationStatus.PUBLISHED, restricted=True
    )
    assert found("RGANI, f. 52, op. 1, d. 596, ll. 61-66") == []


def test_an_identifier_of_an_unpublished_copy_is_not_matched() -> None:
    wilson = Identifier.objects.get(value="208807")
    Copy.objects.filter(pk=wilson.copy_id).update(status=PublicationStatus.DRAFT)
    assert found("208807") == []
    [match] = resolve(MEMCON, Document.objects.public()).matches
    assert all(c.pk != wilson.copy_id for c in match.copies)


def test_a_doi_in_any_spelling_finds_the_document(db: None) -> None:
    scheme = IdentifierScheme.objects.get(code="doi")
    document = Document.objects.get(identifier=MEMCON)
    Identifier.objects.create(document=document, scheme=scheme, value="10.1234/Kiroku.5678")
    for query in (
        "10.1234/kiroku.5678",
        "doi:10.1234/KIROKU.5678",
        "https://doi.org/10.1234/kiroku.5678",
    ):
        assert found(query) == [(MEMCON, True)], query


def test_the_page_lists_every_place_the_document_is_held(client: Client) -> None:
    response = client.get("/resolve/", {"id": "208807"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="/documents/{MEMCON}/"' in page
    assert "Wilson Center" in page
    assert "RGANI, f. 52, op. 1, d. 596, ll. 61-66" in page


def test_the_page_without_a_query_shows_the_form(client: Client) -> None:
    response = client.get("/resolve/")
    assert response.status_code == 200
    assert 'name="id"' in response.content.decode()


@pytest.mark.parametrize("bad", ["", "   ", "x" * 301, "--//--", "V.3\x00"])
def test_a_bad_query_is_refused_naming_the_field(client: Client, bad: str) -> None:
    response = client.get("/resolve/", {"id": bad})
    assert response.status_code == 400
    assert "Identifier:" in response.content.decode()
    api = client.get("/api/v1/resolve/", {"id": bad})
    assert api.status_code == 400
    assert list(api.json()) == ["id"]


def test_the_api_answers_with_absolute_links_and_copies(client: Client) -> None:
    body = client.get("/api/v1/resolve/", {"id": "V.3"}).json()
    assert body["count"] == 1
    [result] = body["results"]
    assert result["identifier"] == "joint-declaration-1956"
    assert result["url"] == "http://testserver/documents/joint-declaration-1956/"
    assert result["matched"] == {
        "by": "Joint Compendium document number",
        "value": "V.3",
        "exact": True,
    }
    assert any(i["value"] == "V.3" for copy in result["copies"] for i in copy["identifiers"])


def test_a_lookup_runs_a_bounded_number_of_queries(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(16):
        resolve("RGANI, f. 52, op. 1, d. 596, ll. 61-66", Document.objects.public())


def test_the_page_refuses_in_the_readers_language(client: Client) -> None:
    response = client.get("/resolve/", {"id": "--//--"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 400
    assert "識別子: 識別子には文字か数字が少なくとも一つ必要です。" in response.content.decode()
