"""Citation downloads (BibTeX, RIS, CSL-JSON) parsed back with real parsers, the Chicago text,
and the date parts they are written from."""

from __future__ import annotations

import json
from datetime import date

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
from django.test import Client

from archive.dates import date_parts
from documents import citations
from people.models import AgentRole, NameForm

from .conftest import DECLARATION, MEMCON, language, make_agent, make_document

BASE = "https://archive.example.org"


@pytest.fixture(autouse=True)
def base_url(settings) -> None:  # type: ignore[no-untyped-def]
    settings.KIROKU_BASE_URL = BASE


def download(client: Client, identifier: str, suffix: str) -> str:
    response = client.get(f"/documents/{identifier}/cite.{suffix}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{identifier}.{suffix}"'
    return response.content.decode()


@pytest.mark.parametrize(
    ("edtf", "parts"),
    [
        ("1956-10-19", ([[1956, 10, 19]], False)),
        ("1956-10", ([[1956, 10]], False)),
        ("1956~", ([[1956]], True)),
        ("1956-09-03/1956-09-12", ([[1956, 9, 3], [1956, 9, 12]], False)),
        ("1955/..", None),
        ("", None),
    ],
)
def test_date_parts(edtf: str, parts: object) -> None:
    assert date_parts(edtf) == parts


@pytest.mark.django_db
def test_bibtex_parses_back(client: Client) -> None:
    text = download(client, MEMCON, "bib")
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    (entry,) = library.entries
    fields = {f.key: f.value for f in entry.fields}
    assert (entry.entry_type, entry.key) == ("unpublished", MEMCON)
    assert fields["title"] == (
        "{Memorandum of Conversation between N.S. Khrushchev and Kono on October 18, 1956}"
    )
    assert fields["translator"] == "Smith, Allison"
    assert (fields["year"], fields["month"], fields["date"]) == ("1956", "oct", "1956-10-18")
    assert fields["note"] == "RGANI, f. 52, op. 1, d. 596, ll. 61-66; Kiroku"
    assert fields["url"] == f"{BASE}/documents/{MEMCON}/"
    assert fields["urldate"] == date.today().isoformat()


@pytest.mark.django_db
def test_bibtex_corporate_authors_stay_whole(client: Client) -> None:
    text = download(client, DECLARATION, "bib")
    library = bibtexparser.parse_string(
        text, append_middleware=[SeparateCoAuthors(), SplitNameParts()]
    )
    authors = library.entries[0]["author"]
    assert [a.last for a in authors] == [["{Government of Japan}"], ["{Government of the USSR}"]]
    assert all(a.first == [] for a in authors)


@pytest.mark.django_db
def test_bibtex_escapes_latex_specials(client: Client) -> None:
    make_document("t-rec-special", title="50% of {the} #1 items_x & more", summary="a\\b ~c")
    text = download(client, "t-rec-special", "bib")
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    fields = {f.key: f.value for f in library.entries[0].fields}
    assert fields["title"] == r"{50\% of \{the\} \#1 items\_x \& more}"
    assert fields["abstract"] == r"a\textbackslash{}b \textasciitilde{}c"


@pytest.mark.django_db
def test_ris_parses_back(client: Client) -> None:
    response = client.get(f"/documents/{MEMCON}/cite.ris")
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    (entry,) = rispy.loads(response.content.decode())
    assert entry["type_of_reference"] == "MANSCPT"
    assert entry["title"].startswith("Memorandum of Conversation between N.S. Khrushchev")
    assert entry["subsidiary_authors"] == ["Smith, Allison"]
    assert entry["accession_number"] == "RGANI, f. 52, op. 1, d. 596, ll. 61-66"
    assert entry["name_of_database"] == "Russian State Archive of Contemporary History"
    assert (entry["year"], entry["date"]) == ("1956", "1956/10/18")
    assert entry["urls"] == [f"{BASE}/documents/{MEMCON}/"]
    assert "Territorial issue" in entry["keywords"]


@pytest.mark.django_db
def test_csl_json_parses_back(client: Client) -> None:
    response = client.get(f"/documents/{DECLARATION}/cite.json")
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    (item,) = json.loads(response.content)
    assert item["id"] == DECLARATION
    assert item["type"] == "manuscript"
    assert item["author"] == [
        {"literal": "Government of Japan"},
        {"literal": "Government of the USSR"},
    ]
    assert item["issued"] == {"date-parts": [[1956, 10, 19]]}
    assert item["URL"] == f"{BASE}/documents/{DECLARATION}/"
    assert item["language"] == "ja"


@pytest.mark.django_db
def test_person_authors_with_family_and_given_names_in_every_format(client: Client) -> None:
    """A Japanese author cited from the authorized Latin form's family and given names."""
    doc = make_document("t-rec-letter", title="Letter on fisheries", date_edtf="1956~")
    author = make_agent("t-rec-author", name="Ichiro Testa")
    NameForm.objects.create(
        agent=author,
        name="Ichiro Testa",
        language=language("en"),
        script="Latn",
        kind="authorized",
        family_name="Testa",
        given_name="Ichiro",
    )
    NameForm.objects.create(
        agent=author,
        name="手須田一郎",
        language=language("ja"),
        script="Jpan",
        kind="original",
        family_name="手須田",
        given_name="一郎",
    )
    AgentRole.objects.create(document=doc, agent=author, role="author")
    (item,) = json.loads(download(client, "t-rec-letter", "json"))
    assert item["author"] == [{"family": "Testa", "given": "Ichiro"}]
    assert item["issued"] == {"date-parts": [[1956]], "circa": True}
    (entry,) = rispy.loads(download(client, "t-rec-letter", "ris"))
    assert entry["authors"] == ["Testa, Ichiro"]
    html = client.get("/documents/t-rec-letter/").content.decode()
    assert "Testa, Ichiro. “Letter on fisheries.” circa 1956." in html
    assert '<meta name="citation_author" content="Testa, Ichiro">' in html


@pytest.mark.django_db
def test_chicago_text(client: Client) -> None:
    document = citations.citable_documents().get(identifier=DECLARATION)
    text = citations.chicago(citations.record_for(document))
    assert text == (
        "Government of Japan and Government of the USSR. “Joint Declaration by Japan and the "
        "Union of Soviet Socialist Republics.” 19 October 1956. Kiroku. "
        f"{BASE}/documents/{DECLARATION}/."
    )


@pytest.mark.django_db
def test_unknown_citation_format_is_404(client: Client) -> None:
    assert client.get(f"/documents/{MEMCON}/cite.pdf").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("style", ["csl-json", "bibtex", "ris"])
def test_api_serves_the_same_citations(client: Client, style: str) -> None:
    suffix = {"csl-json": "json", "bibtex": "bib", "ris": "ris"}[style]
    api = client.get(f"/api/v1/documents/{MEMCON}/citation/?style={style}")
    assert api.status_code == 200
    assert api["Content-Type"] == citations.MEDIA_TYPES[style] + "; charset=utf-8"
    assert api.content == client.get(f"/documents/{MEMCON}/cite.{suffix}").content


@pytest.mark.django_db
def test_api_citation_errors(client: Client) -> None:
    bad = client.get(f"/api/v1/documents/{MEMCON}/citation/?style=mla")
    assert bad.status_code == 400
    assert "Unknown style “mla”" in bad.json()["errors"]["style"][0]
    make_document("t-rec-api-draft", status="draft")
    hidden = client.get("/api/v1/documents/t-rec-api-draft/citation/")
    missing = client.get("/api/v1/documents/t-rec-api-missing/citation/")
    assert hidden.status_code == missing.status_code == 404
