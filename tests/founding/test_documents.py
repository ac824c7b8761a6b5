"""The documents of the founding collection, checked against the seed texts.

The fixtures (fixtures/30_documents.yaml, 35_roles.yaml and the vocabularies in
00_vocabularies.yaml) are loaded once per session by ``tests/conftest.py``. Expected values are
quoted from the seeds in /work/shared/seeds: the NDL exhibition page (000), Saito's chapter
(001), the Joint Compendium part V (003) and Wilson Center Digital Archive record 208807 (004).
"""

from datetime import date

import pytest

from archive.models import PublicationStatus
from documents.models import (
    Copy,
    Document,
    DocumentRelation,
    DocumentText,
    DocumentType,
    Identifier,
    Place,
    Subject,
    TextLineage,
)
from people.models import AgentRole

pytestmark = pytest.mark.django_db

MEMCON = "memcon-khrushchev-kono-1956-10-18"
PHRASE = ", including the territorial question,"

# Records that are deliberately not public (visibility test material)
DRAFT_DOCUMENTS = {
    "instruction-molotov-domnitsky-1954-12",
    "letter-bulganin-hatoyama-repatriation-1956",
}
REVIEW_DOCUMENTS = {"instruction-cpsu-cc-malik-1955"}
RESTRICTED_DOCUMENTS = {"list-japanese-war-criminals-1955-07-26"}

# Identifiers that other fixture files and helpers rely on
AGREED_IDENTIFIERS = [
    "ndl-nomura-921",
    "ndl-hayashi-34-15",
    "photo-signing-joint-declaration-1956",
    "letter-matsumoto-gromyko-1956-09-29",
    "letter-gromyko-matsumoto-1956-09-29",
    "joint-declaration-1956",
    MEMCON,
    "soviet-memorandum-1960-01-27",
    "japanese-memorandum-1960",
    "joint-communique-1973",
    "domnitsky-note-1955",
    "letter-hatoyama-bulganin-1956-09-11",
    "letter-bulganin-hatoyama-1956-09-13",
    "soviet-draft-territorial-article-1956-10-17",
]


def doc(identifier: str) -> Document:
    return Document.objects.get(identifier=identifier)


def roles(identifier: str, role: str) -> set[str]:
    return set(
        AgentRole.objects.filter(document__identifier=identifier, role=role).values_list(
            "agent__identifier", flat=True
        )
    )


# --- counts and completeness ---------------------------------------------------------------


def test_counts() -> None:
    assert Document.objects.count() == 63
    assert DocumentText.objects.count() == 19
    assert TextLineage.objects.count() == 1
    assert Copy.objects.count() == 11
    assert Identifier.objects.count() == 10
    assert DocumentRelation.objects.count() == 29
    assert AgentRole.objects.count() == 132
    assert Document.objects.public().count() == 63 - 4


def test_vocabulary_counts() -> None:
    assert DocumentType.objects.count() == 23
    assert Subject.objects.count() == 20
    assert Place.objects.count() == 28


@pytest.mark.parametrize("identifier", AGREED_IDENTIFIERS)
def test_agreed_identifiers_exist(identifier: str) -> None:
    assert Document.objects.filter(identifier=identifier).exists()


def test_every_document_is_described() -> None:
    for document in Document.objects.all():
        assert document.title, document.identifier
        assert document.summary, document.identifier
        assert document.date_edtf, document.identifier
        assert document.date_start is not None, document.identifier
        assert document.subjects.exists() or document.places.exists(), document.identifier


def test_every_record_passes_full_clean() -> None:
    models = [
        DocumentType,
        Subject,
        Place,
        TextLineage,
        Document,
        DocumentText,
        Copy,
        Identifier,
        DocumentRelation,
        AgentRole,
    ]
    for model in models:
        for obj in model.objects.all():
            obj.full_clean()


# --- archival references, as the seeds print them ------------------------------------------


@pytest.mark.parametrize(
    ("identifier", "reference"),
    [
        (MEMCON, "RGANI, f. 52, op. 1, d. 596, ll. 61-66"),
        ("ndl-nomura-921", "Papers of NOMURA Kichisaburo, #921, National Diet Library"),
        ("ndl-hayashi-34-15", "Papers of HAYASHI Joji, #34-15, National Diet Library (entrusted)"),
    ],
)
def test_reference(identifier: str, reference: str) -> None:
    assert doc(identifier).reference() == reference


def test_only_the_three_archival_items_have_references() -> None:
    placed = {d.identifier for d in Document.objects.all() if d.reference()}
    assert placed == {MEMCON, "ndl-nomura-921", "ndl-hayashi-34-15"}


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("identifier", "start", "end", "display"),
    [
        (
            "ndl-nomura-921",
            date(1956, 9, 3),
            date(1956, 9, 12),
            "3–12 September 1956 (Showa 31)",
        ),
        ("ndl-hayashi-34-15", date(1956, 9, 25), date(1956, 9, 25), "25 September 1956 (Showa 31)"),
        (MEMCON, date(1956, 10, 18), date(1956, 10, 18), "18 October 1956"),
        (
            "joint-declaration-1956",
            date(1956, 10, 19),
            date(1956, 10, 19),
            "19 October 1956 (Showa 31)",
        ),
        (
            "letter-gromyko-matsumoto-1956-09-29",
            date(1956, 9, 29),
            date(1956, 9, 29),
            "29 September 1956",
        ),
        (
            "soviet-memorandum-1960-01-27",
            date(1960, 1, 27),
            date(1960, 1, 27),
            "27 January 1960",
        ),
        ("japanese-memorandum-1960", date(1960, 1, 1), date(1960, 12, 31), "1960 (Showa 35)"),
        ("joint-communique-1973", date(1973, 1, 1), date(1973, 12, 31), "1973 (Showa 48)"),
        (
            "domnitsky-note-1955",
            date(1954, 12, 1),
            date(1955, 1, 25),
            "December 1954 – 25 January 1955",
        ),
        (
            "letter-hatoyama-bulganin-1956-09-11",
            date(1956, 9, 11),
            date(1956, 9, 11),
            "11 September 1956 (Showa 31)",
        ),
        (
            "letter-bulganin-hatoyama-1956-09-13",
            date(1956, 9, 13),
            date(1956, 9, 13),
            "13 September 1956",
        ),
        (
            "photo-signing-joint-declaration-1956",
            date(1956, 10, 19),
            date(1956, 10, 19),
            "19 October 1956",
        ),
    ],
)
def test_dates(identifier: str, start: date, end: date, display: str) -> None:
    document = doc(identifier)
    assert (document.date_start, document.date_end) == (start, end)
    assert document.date_display == display


# --- NDL exhibition items (seed 000) -------------------------------------------------------


def test_ndl_items() -> None:
    nomura = doc("ndl-nomura-921")
    assert nomura.title == "Memoranda related to Japan-Soviet negotiations"
    assert nomura.collection.identifier == "ndl-papers-nomura-kichisaburo"
    assert roles("ndl-nomura-921", "author") == {"nomura-kichisaburo"}

    letter = doc("ndl-hayashi-34-15")
    assert letter.title == "Letter from YOSHIDA Shigeru to HAYASHI Joji"
    assert roles("ndl-hayashi-34-15", "sender") == {"yoshida-shigeru"}
    assert roles("ndl-hayashi-34-15", "recipient") == {"hayashi-joji"}

    values = set(Identifier.objects.filter(scheme__code="ndl-item").values_list("value", flat=True))
    assert values == {"Papers of NOMURA Kichisaburo, #921", "Papers of HAYASHI Joji, #34-15"}


def test_photograph() -> None:
    photo = doc("photo-signing-joint-declaration-1956")
    assert photo.document_type.code == "photograph"
    assert photo.place.identifier == "kremlin"
    assert roles(photo.identifier, "subject") == {"hatoyama-ichiro", "bulganin-nikolai"}
    copy = photo.copies.get()
    assert copy.publication.identifier == "showa-nimannichi-no-zenkiroku-11"
    assert copy.citation == "Showa Nimannichi no Zenkiroku vol.11"
    assert DocumentRelation.objects.filter(
        source=photo, relation_type="record-of", target__identifier="joint-declaration-1956"
    ).exists()


# --- Wilson Center record 208807 (seed 004) ------------------------------------------------


def test_memcon_record() -> None:
    memcon = doc(MEMCON)
    assert (
        memcon.title
        == "Memorandum of Conversation between N.S. Khrushchev and Kono on October 18, 1956"
    )
    assert memcon.document_type.code == "memorandum-of-conversation"
    assert memcon.collection.identifier == "rgani-f52-op1-d596"
    assert memcon.locator == "ll. 61-66"
    assert memcon.credit_line == (
        "This document was made possible with support from Blavatnik Family Foundation"
    )
    assert memcon.rights.startswith(
        "The History and Public Policy Program welcomes reuse of Digital Archive materials"
    )
    assert memcon.summary.startswith("Kono and Khrushchev argue about the text of peace agreement.")
    # the printed "1965" is a typo for 1956: kept in the transcript, explained in the description
    assert "1965" in memcon.description
    assert "typing error" in memcon.description


def test_memcon_transcript() -> None:
    text = DocumentText.objects.get(document__identifier=MEMCON, key="transcript-en")
    assert text.kind == "translation"
    assert text.language_id is not None
    assert text.language.code == "en"
    assert (
        text.source == "Wilson Center Digital Archive, record 208807, translated by Allison Smith"
    )
    assert "The conversation started at 16:15 and ended at 16:55" in text.body
    assert "Took place at 18:00" in text.body
    assert text.body.startswith("Memorandum\n\nof conversation between N.S. Khrushchev and Kono")
    assert text.body.endswith("A. Rozhetskin recorded [the conversation] on October 18, 1965.")
    assert "release of 100 fishermen" in text.body
    assert "\u00a0" not in text.body
    assert "\n\n\n" not in text.body


def test_memcon_copies_and_identifiers() -> None:
    wilson = Copy.objects.get(document__identifier=MEMCON, key="wilson-center")
    assert wilson.holder.identifier == "wilson-center-digital-archive"
    assert wilson.kind == "translation"
    assert wilson.citation == "Record ID 208807"
    assert wilson.date_added == date(2019, 6, 11)
    assert wilson.url == "https://digitalarchive.wilsoncenter.org/document/208807"
    assert wilson.language.code == "en"
    assert wilson.rights == doc(MEMCON).rights

    record = Identifier.objects.get(scheme__code="wilson-center-record", value="208807")
    assert record.document.identifier == MEMCON
    assert record.copy == wilson
    assert record.url == "https://digitalarchive.wilsoncenter.org/document/208807"

    rgani = Identifier.objects.get(scheme__code="rgani-reference")
    assert rgani.value == doc(MEMCON).reference()


def test_memcon_roles() -> None:
    assert roles(MEMCON, "participant") == {"khrushchev-nikita", "kono-ichiro"}
    assert roles(MEMCON, "recorder") == {"rozhetskin-a"}
    assert roles(MEMCON, "translator") == {"smith-allison"}
    assert roles(MEMCON, "contributor") == {"radchenko-sergey"}
    assert roles(MEMCON, "donor") == {"blavatnik-family-foundation"}


# --- Article 9: from the Soviet draft to the signed text -----------------------------------


def test_article_9_lineage_order() -> None:
    lineage = TextLineage.objects.get(identifier="joint-declaration-1956-article-9")
    texts = list(lineage.texts.order_by("lineage_position"))
    assert [t.lineage_position for t in texts] == [1, 2, 3, 4]
    assert [t.stage for t in texts] == ["draft", "counter-draft", "agreed", "signed"]
    assert [t.document.identifier for t in texts] == [
        "soviet-draft-territorial-article-1956-10-17",
        MEMCON,
        MEMCON,
        "joint-declaration-1956",
    ]
    assert texts[0].side.identifier == "government-of-the-ussr"
    assert texts[1].side.identifier == "government-of-japan"
    assert [t.date_edtf for t in texts] == ["1956-10-17", "1956-10-18", "1956-10-18", "1956-10-19"]


def test_agreed_text_drops_exactly_the_territorial_phrase() -> None:
    kono = DocumentText.objects.get(document__identifier=MEMCON, key="kono-draft-article-9-en")
    agreed = DocumentText.objects.get(document__identifier=MEMCON, key="agreed-article-9-en")
    assert kono.body.count(PHRASE) == 1
    assert agreed.body == kono.body.replace(PHRASE, "")
    assert "territorial question" not in agreed.body
    # Kono's draft is quoted verbatim in the transcript
    transcript = DocumentText.objects.get(document__identifier=MEMCON, key="transcript-en")
    for paragraph in kono.body.split("\n\n"):
        assert paragraph in transcript.body


def test_signed_article_9() -> None:
    signed = DocumentText.objects.get(
        document__identifier="joint-declaration-1956", key="article-9-en"
    )
    assert signed.source.endswith("V.3")
    assert signed.body.startswith("9. Japan and the Union of Soviet Socialist Republics agree")
    assert (
        "agrees to hand over to Japan the Habomai Islands and the island of Shikotan" in signed.body
    )
    assert "territorial" not in signed.body


def test_joint_declaration() -> None:
    declaration = doc("joint-declaration-1956")
    assert declaration.place.identifier == "kremlin"
    assert {lang.code for lang in declaration.languages.all()} == {"ja", "ru"}
    assert "Ratified on December 7, 1956" in declaration.description
    assert "December 12, 1956, in Tokyo" in declaration.description
    assert roles(declaration.identifier, "signatory") == {
        "bulganin-nikolai",
        "shepilov-dmitri",
        "hatoyama-ichiro",
        "kono-ichiro",
        "matsumoto-shunichi",
    }
    untc = declaration.copies.get(key="untc")
    assert untc.holder.identifier == "un-treaty-collection"
    assert "P. 112-117" in untc.citation


# --- the Joint Compendium (seed 003) -------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "identifier"),
    [
        ("V.1", "letter-matsumoto-gromyko-1956-09-29"),
        ("V.2", "letter-gromyko-matsumoto-1956-09-29"),
        ("V.3", "joint-declaration-1956"),
        ("V.4", "soviet-memorandum-1960-01-27"),
        ("V.5", "japanese-memorandum-1960"),
        ("V.6", "joint-communique-1973"),
    ],
)
def test_compendium_numbers_resolve(number: str, identifier: str) -> None:
    found = Identifier.objects.get(scheme__code="compendium-number", value=number)
    assert found.document.identifier == identifier
    assert found.copy.publication.identifier == "joint-compendium-territorial-issue"
    assert found.copy.citation == number
    text = found.document.texts.get(source__endswith=number)
    assert text.kind == "translation"
    assert text.language.code == "en"


def test_matsumoto_gromyko_correspondence() -> None:
    matsumoto = doc("letter-matsumoto-gromyko-1956-09-29")
    gromyko = doc("letter-gromyko-matsumoto-1956-09-29")
    assert roles(matsumoto.identifier, "sender") == roles(gromyko.identifier, "recipient")
    assert roles(matsumoto.identifier, "sender") == {"matsumoto-shunichi"}
    assert roles(gromyko.identifier, "sender") == {"gromyko-andrei"}
    reply = gromyko.texts.get(key="en").body
    assert "Your Excellency's letter of September 29, 1956" in reply
    assert "[Japanese Note]" in reply
    for relation in ("reply-to", "quotes"):
        assert DocumentRelation.objects.filter(
            source=gromyko, relation_type=relation, target=matsumoto
        ).exists()
    # Matsumoto's letter cites the Hatoyama-Bulganin letters by the dates their records carry
    body = matsumoto.texts.get(key="en").body
    targets = {
        r.target.identifier: r.target
        for r in DocumentRelation.objects.filter(source=matsumoto, relation_type="refers-to")
    }
    hatoyama = targets["letter-hatoyama-bulganin-1956-09-11"]
    bulganin = targets["letter-bulganin-hatoyama-1956-09-13"]
    assert f"September {hatoyama.date_start.day}, 1956" in body
    assert f"September {bulganin.date_start.day}, 1956" in body
    assert DocumentRelation.objects.filter(
        source=bulganin, relation_type="reply-to", target=hatoyama
    ).exists()


def test_memoranda_of_1960() -> None:
    soviet = doc("soviet-memorandum-1960-01-27")
    japanese = doc("japanese-memorandum-1960")
    declaration = doc("joint-declaration-1956")
    assert DocumentRelation.objects.filter(
        source=japanese, relation_type="reply-to", target=soviet
    ).exists()
    assert DocumentRelation.objects.filter(
        source=japanese, relation_type="quotes", target=declaration
    ).exists()
    assert DocumentRelation.objects.filter(
        source=soviet, relation_type="refers-to", target=declaration
    ).exists()
    assert "handed to Japanese Ambassador to the USSR Kadowaki" in japanese.texts.get().body
    assert roles(soviet.identifier, "recipient") >= {"kadowaki"}


# --- visibility ----------------------------------------------------------------------------


def test_non_public_documents_are_excluded() -> None:
    hidden = DRAFT_DOCUMENTS | REVIEW_DOCUMENTS | RESTRICTED_DOCUMENTS
    public = set(Document.objects.public().values_list("identifier", flat=True))
    assert not hidden & public
    assert (
        set(
            Document.objects.filter(status=PublicationStatus.DRAFT).values_list(
                "identifier", flat=True
            )
        )
        == DRAFT_DOCUMENTS
    )
    assert (
        set(
            Document.objects.filter(status=PublicationStatus.REVIEW).values_list(
                "identifier", flat=True
            )
        )
        == REVIEW_DOCUMENTS
    )
    restricted = Document.objects.get(identifier__in=RESTRICTED_DOCUMENTS)
    assert restricted.status == PublicationStatus.PUBLISHED
    assert restricted.restricted
    assert not restricted.is_public


def test_draft_text_on_a_published_document_is_hidden() -> None:
    text = DocumentText.objects.get(
        document__identifier="joint-declaration-1956", key="article-5-en-saito"
    )
    assert text.status == PublicationStatus.DRAFT
    assert text.document.is_public
    public = DocumentText.objects.public()
    assert not public.filter(pk=text.pk).exists()
    assert public.filter(document__identifier="joint-declaration-1956", key="article-9-en").exists()
    # a published text of a draft document is hidden with its document
    assert not public.filter(document__identifier__in=DRAFT_DOCUMENTS).exists()


# --- vocabularies --------------------------------------------------------------------------


def test_places() -> None:
    for place in Place.objects.all():
        assert place.latitude is not None, place.identifier
        assert -90 <= place.latitude <= 90
        assert -180 <= place.longitude <= 180
        assert abs(place.latitude.as_tuple().exponent) <= 6
    for disputed in ("habomai-islands", "shikotan", "kunashiri", "etorofu"):
        place = Place.objects.get(identifier=disputed)
        assert place.country == ""
        assert "disputed" in place.note
    moscow = Place.objects.get(identifier="moscow")
    assert (float(moscow.latitude), float(moscow.longitude)) == pytest.approx(
        (55.76, 37.62), abs=0.01
    )
    assert Place.objects.get(identifier="kremlin").part_of == moscow


def test_subjects_have_facets() -> None:
    territorial = Subject.objects.get(identifier="territorial-issue")
    assert territorial.name_ja == "領土問題"
    assert territorial.narrower.filter(identifier="transfer-of-habomai-and-shikotan").exists()
    assert territorial.documents.public().count() >= 10
    for identifier in ("fisheries", "repatriation-of-internees", "un-membership", "peace-treaty"):
        assert Subject.objects.get(identifier=identifier).documents.exists()
