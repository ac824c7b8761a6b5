"""The scholarship of the founding collection: Saito's chapter, Panov's article and what they cite.

These tests read the founding collection as loaded by ``tests/conftest.py`` (fixture
``fixtures/40_publications.yaml``) and check that the bibliographic facts the seeds state are
there, that every note and reference is present exactly once, and that notes point at the
records they cite, including "Ibid." and "op. cit." notes that refer back to earlier ones.
"""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from documents.models import Citation, Publication, PublicationCreator

pytestmark = pytest.mark.django_db

SAITO = "saito-negotiations-normalize-japan-soviet-relations"
PANOV = "panov-2020-soviet-japanese-joint-declaration"
MATSUMOTO = "matsumoto-1966-mosukuwa-ni-kakeru-niji"
TIKHVINSKY_1996 = "tikhvinsky-1996-rossiya-yaponiya"

# Identifiers other fixture files and helpers rely on.
REQUIRED_PUBLICATIONS = [
    SAITO,
    PANOV,
    "joint-compendium-territorial-issue",
    "sovmestnyj-sbornik-1992",
    "showa-nimannichi-no-zenkiroku-11",
    MATSUMOTO,
    "kono-1958-ima-dakara-hanaso",
    "kono-1965-nihon-no-shorai",
    "hatoyama-1957-hatoyama-ichiro-kaisoroku",
    "khrushchev-1999-vremya-lyudi-vlast",
    "yoshida-1962-yoshida-memoirs",
    TIKHVINSKY_1996,
    "istochnik-1996-6",
    "soglashayetsya-na-peredachu-1996",
    "asahi-shimbun-1954-12-11",
]


def notes() -> list[Citation]:
    return list(
        Citation.objects.filter(publication__identifier=SAITO, kind="note").order_by(
            "number", "part"
        )
    )


def references() -> list[Citation]:
    return list(
        Citation.objects.filter(publication__identifier=PANOV, kind="reference").order_by(
            "number", "part"
        )
    )


def note(number: int, part: int = 1) -> Citation:
    return Citation.objects.select_related("cited_publication", "cited_document").get(
        publication__identifier=SAITO, kind="note", number=number, part=part
    )


def reference(number: int) -> Citation:
    return Citation.objects.select_related("cited_publication", "cited_document").get(
        publication__identifier=PANOV, kind="reference", number=number
    )


def issn_check_digit(first_seven: str) -> str:
    """The ISSN check character, computed independently of the model's validator."""
    weights = range(8, 1, -1)
    total = sum(int(digit) * weight for digit, weight in zip(first_seven, weights, strict=True))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


# --- the publications ----------------------------------------------------------------------------


@pytest.mark.parametrize("identifier", REQUIRED_PUBLICATIONS)
def test_required_publication_exists_and_is_published(identifier):
    publication = Publication.objects.get(identifier=identifier)
    assert publication.status == "published"
    assert publication.is_public


def test_every_publication_is_published_with_a_slug_identifier():
    publications = Publication.objects.all()
    assert publications.count() >= 60
    for publication in publications:
        assert publication.status == "published", publication.identifier
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", publication.identifier)


def test_panov_article_fields():
    article = Publication.objects.get(identifier=PANOV)
    assert article.kind == "article"
    assert article.title.startswith("The Soviet-Japanese Joint Declaration of 1956")
    assert article.container_title == "Russian Japanology Review"
    assert (article.volume, article.issue, article.pages) == ("3", "2", "5-51")
    assert article.date_edtf == "2020"
    assert article.date_start.year == article.date_end.year == 2020
    assert article.issn_print == "2658-6444"
    assert article.issn_online == "2658-6789"
    assert article.license == "Creative Commons Attribution 4.0"
    assert article.license_url == "https://creativecommons.org/licenses/by/4.0/"
    assert article.language.code == "ru"
    assert article.abstract.startswith("The article aims to study")
    assert article.abstract.endswith("is seen as unrealistic.")
    assert article.citation_text.startswith("Panov A.N. The Soviet-Japanese")
    assert article.citation_text.endswith("2020;3(2):5-51. (In Russ.)")


def test_panov_author_with_both_affiliations():
    creator = PublicationCreator.objects.select_related("agent").get(
        publication__identifier=PANOV, role="author"
    )
    assert creator.agent.identifier == "panov-a-n"
    assert creator.name_as_printed == "A. N. Panov"
    affiliations = [part.strip() for part in creator.affiliation.split(";")]
    assert affiliations == [
        "Moscow State Institute of International Relations (MGIMO University)",
        "Institute for U.S. and Canadian Studies of the Russian Academy of Sciences",
    ]


def test_saito_chapter():
    chapter = Publication.objects.get(identifier=SAITO)
    assert chapter.kind == "chapter"
    assert chapter.title == "Negotiations to Normalize Japan-Soviet Diplomatic Relations"
    assert chapter.chapter_number == "3"
    # The seed does not name the book the chapter belongs to.
    assert chapter.container_id is None
    assert chapter.container_title == ""
    author = chapter.creators.get(role="author")
    assert author.agent.identifier == "saito-motohide"


def test_compendium_and_its_russian_edition():
    compendium = Publication.objects.get(identifier="joint-compendium-territorial-issue")
    assert compendium.kind == "edition"
    assert compendium.title == (
        "Joint Compendium of Documents on the History of Territorial Issue between Japan and Russia"
    )
    russian = Publication.objects.get(identifier="sovmestnyj-sbornik-1992")
    assert russian.kind == "edition"
    assert russian.language.code == "ru"
    assert russian.date_edtf == "1992"
    assert "Russian edition" in russian.abstract
    assert compendium.title in russian.abstract
    assert reference(22).cited_publication == russian


def test_photograph_source_book():
    book = Publication.objects.get(identifier="showa-nimannichi-no-zenkiroku-11")
    assert book.title == "Showa Nimannichi no Zenkiroku vol.11"
    assert book.volume == "11"
    assert book.language.code == "ja"


def test_issn_check_digits_are_valid():
    article = Publication.objects.get(identifier=PANOV)
    for issn in (article.issn_print, article.issn_online):
        digits = issn.replace("-", "")
        assert issn_check_digit(digits[:7]) == digits[7], issn


def test_a_wrong_issn_check_digit_is_refused():
    article = Publication.objects.get(identifier=PANOV)
    article.issn_print = "2658-6445"
    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()
    assert "issn_print" in excinfo.value.message_dict


def test_every_publication_passes_full_clean():
    for publication in Publication.objects.all():
        publication.full_clean()


def test_every_creator_passes_full_clean():
    creators = PublicationCreator.objects.all()
    assert creators.filter(publication__identifier__in=[SAITO, PANOV]).count() == 2
    for creator in creators:
        creator.full_clean()


def test_every_citation_passes_full_clean():
    citations = Citation.objects.all()
    assert citations.count() >= 75
    for citation in citations:
        citation.full_clean()


# --- notes and references: completeness ----------------------------------------------------------


def test_saito_has_43_notes_numbered_1_to_43():
    numbers = [citation.number for citation in notes()]
    assert sorted(set(numbers)) == list(range(1, 44))
    # Only notes that cite several works have more than one part.
    multi = sorted({n for n in numbers if numbers.count(n) > 1})
    assert multi == [21, 28]


def test_note_parts_are_numbered_from_one():
    by_number: dict[int, list[int]] = {}
    for citation in notes():
        by_number.setdefault(citation.number, []).append(citation.part)
    for number, parts in by_number.items():
        assert parts == list(range(1, len(parts) + 1)), number


def test_panov_has_30_references_numbered_1_to_30():
    numbers = [citation.number for citation in references()]
    assert numbers == list(range(1, 31))
    assert all(citation.part == 1 for citation in references())


def test_references_carry_their_label_as_printed():
    for citation in references():
        assert citation.label, citation.number
        assert citation.text.startswith(f"{citation.label} - "), citation.number
    assert reference(1).label == "Dulles 1951"
    assert reference(13).label == "Joint Declaration 1956"
    assert reference(30).label == "Yoshida 1962"


def test_every_note_and_reference_links_the_work_it_cites():
    for citation in [*notes(), *references()]:
        assert citation.cited_publication_id is not None, str(citation)


def test_cyrillic_notes_are_kept_as_printed():
    assert note(9).text == "С.Л. Тихвинский, Дипломатия, Москва, 2001, с.147."
    assert note(24).text == "Известия, 1956. 3. 21."
    assert note(43).text == "Карпов, op. cit., p. 324."


# --- notes and references: links -----------------------------------------------------------------


@pytest.mark.parametrize("number", [10, 11, 13, 15, 21, 33, 38, 39, 41])
def test_matsumoto_memoir_notes(number):
    assert note(number).cited_publication.identifier == MATSUMOTO


def test_matsumoto_memoir_is_one_record_for_both_spellings():
    assert "Mosukuruwa ni Kakeru Niji" in note(10).text
    assert "Mosukuwa ni kakeru niji" in reference(17).text
    assert note(10).cited_publication == reference(17).cited_publication
    memoir = Publication.objects.get(identifier=MATSUMOTO)
    assert memoir.creators.get(role="author").agent.identifier == "matsumoto-shunichi"


def test_ibid_notes_resolve_to_the_previous_note():
    ibid_notes = [citation for citation in notes() if citation.text.startswith("Ibid")]
    assert [citation.number for citation in ibid_notes] == [11, 27, 35, 39]
    for citation in ibid_notes:
        previous = (
            Citation.objects.filter(publication__identifier=SAITO, kind="note")
            .filter(number=citation.number - 1)
            .order_by("-part")
            .first()
        )
        assert citation.cited_publication_id == previous.cited_publication_id, citation.number


def test_op_cit_notes_resolve_to_a_work_cited_in_full_earlier():
    op_cit = [citation for citation in notes() if "op. cit." in citation.text]
    assert {citation.number for citation in op_cit} >= {13, 15, 21, 32, 33, 36, 38, 41, 43}
    for citation in op_cit:
        earlier = Citation.objects.filter(
            publication__identifier=SAITO,
            kind="note",
            number__lt=citation.number,
            cited_publication=citation.cited_publication,
        ).exclude(text__contains="op. cit.")
        assert earlier.exists(), (citation.number, citation.part)


def test_multi_work_notes_cite_each_work():
    assert note(21, 1).cited_publication.identifier == MATSUMOTO
    assert note(21, 2).cited_publication == note(12).cited_publication
    assert note(28, 1).cited_publication.identifier == "adyrhaev-1990-kono-ichiro-shi-to-bulganin"
    assert note(28, 2).cited_publication.identifier == "ldp-1976-sengo-nihon-seiji-no-jitsuroku"


def test_pages_cited_are_recorded():
    assert note(10).pages == "29"
    assert note(11).pages == "183-186"
    assert note(40).pages == "116-129"


def test_note_40_cites_the_soviet_minutes_of_the_kono_khrushchev_talks():
    citation = note(40)
    assert citation.cited_document.identifier == "memcon-khrushchev-kono-1956-10-18"
    assert citation.cited_publication.identifier == "istochnik-1996-6"
    assert "Источник" in citation.text


def test_notes_citing_letters_link_the_documents():
    assert note(34).cited_document.identifier == "letter-bulganin-hatoyama-1956-09-13"
    assert note(35).cited_document.identifier == "letter-matsumoto-gromyko-1956-09-29"


def test_note_42_cites_the_joint_declaration():
    citation = note(42)
    assert citation.cited_document.identifier == "joint-declaration-1956"
    assert citation.cited_publication.identifier == (
        "shigeta-suezawa-1988-nisso-kihon-bunsho-shiriyoshu"
    )


@pytest.mark.parametrize(
    ("number", "document"),
    [
        (2, "statement-hatoyama-press-conference-1954-12-10"),
        (4, "statement-molotov-radio-moscow-1954-12-16"),
        (11, "draft-soviet-peace-treaty-1955-06-14"),
        (24, "decision-council-of-ministers-bulganin-line-1956-03-21"),
        (36, "speech-hatoyama-1956-10-02"),
        (38, "draft-soviet-joint-declaration-1956-10-15"),
    ],
)
def test_notes_link_the_documents_they_quote_or_describe(number, document):
    assert note(number).cited_document.identifier == document


@pytest.mark.parametrize(
    ("number", "document", "publication"),
    [
        (1, "speech-dulles-san-francisco-1951-09-05", None),
        (3, "letter-stalin-truman-1945-08-16", "frus-1945-v06"),
        (4, "message-truman-stalin-1945-08-25", "frus-1945-v06"),
        (7, "draft-us-japanese-peace-treaty-1951-03-23", "frus-1951-v06-p1"),
        (26, "treaty-of-peace-with-japan-1951", "unts-treaty-of-peace-with-japan-1951"),
    ],
)
def test_references_to_documents_in_editions(number, document, publication):
    citation = reference(number)
    assert citation.cited_document.identifier == document
    if publication:
        assert citation.cited_publication.identifier == publication


def test_panov_reference_13_is_the_joint_declaration():
    citation = reference(13)
    assert citation.cited_document.identifier == "joint-declaration-1956"
    assert citation.cited_publication.kind == "treaty"


def test_tikhvinsky_book_is_one_record_for_saito_and_panov():
    assert note(34).cited_publication.identifier == TIKHVINSKY_1996
    assert reference(25).cited_publication.identifier == TIKHVINSKY_1996


def test_soviet_document_publications_are_described_as_printed():
    staraya = reference(24).cited_publication
    assert staraya.identifier == "soglashayetsya-na-peredachu-1996"
    assert (staraya.issue, staraya.pages, staraya.date_edtf) == ("6", "107-136", "1996")
    assert staraya.container_title.startswith("Staraya Ploschad’")
    istochnik = note(40).cited_publication
    assert (istochnik.issue, istochnik.date_edtf) == ("6", "1996")


def test_newspapers_are_cited_by_issue():
    assert note(2).cited_publication.identifier == "asahi-shimbun-1954-12-11"
    assert note(3).cited_publication != note(4).cited_publication
    for number in (2, 3, 4, 6, 16, 24, 25):
        issue = note(number).cited_publication
        assert issue.kind == "newspaper", number
        assert issue.date_start == issue.date_end, number


# --- public pages --------------------------------------------------------------------------------


def test_publication_page_lists_the_notes(client):
    response = client.get(reverse("documents:publication", args=[SAITO]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mosukuruwa ni Kakeru Niji" in page
    assert "Источник" in page
