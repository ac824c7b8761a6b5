"""EAD3 export of a collection's whole tree: valid, complete, public only, bounded queries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from lxml import etree

from archive.models import Collection, Language, PublicationStatus, ReferenceLevel, Repository
from documents.models import Document, DocumentType
from people.models import Agent, AgentRole
from tests.interchange.conftest import EAD, Schemas

PUBLISHED = {"status": PublicationStatus.PUBLISHED}


def export(identifier: str) -> etree._Element:
    response = Client().get(f"/collections/{identifier}/ead.xml")
    assert response.status_code == 200, response.content[:300]
    return etree.fromstring(response.content, etree.XMLParser(remove_blank_text=True))


def components(element: etree._Element) -> list[etree._Element]:
    return element.findall(f"{EAD}c")


@pytest.fixture
def tree(db: None) -> dict[str, Any]:
    """Repository ``t-ead``: a fonds with two series, a draft series, and documents in each."""
    repository = Repository.objects.create(
        identifier="t-ead",
        name="Test EAD Archive",
        short_name="TEA",
        reference_template="{repository_short}, {reference}[, {locator}]",
        **PUBLISHED,
    )
    levels = {
        code: ReferenceLevel.objects.create(
            repository=repository, code=code, name=code, rank=rank, label=label
        )
        for rank, (code, label) in enumerate(
            [("fonds", "f. "), ("series", "s. "), ("file", "d. "), ("item", "no. ")], 1
        )
    }
    author = Agent.objects.create(
        identifier="t-ead-author", kind="person", name="Ead Author", **PUBLISHED
    )
    hidden_author = Agent.objects.create(identifier="t-ead-hidden", kind="person", name="Hidden")
    fonds = Collection.objects.create(
        identifier="t-ead-f1",
        repository=repository,
        level=levels["fonds"],
        reference_segment="7",
        title="Papers of a test ministry",
        date_edtf="1955/1957",
        creator=author,
        extent="3 series",
        administrative_history="The ministry was founded in 1955.",
        custodial_history="Kept by the ministry until 1990.",
        acquisition="Transferred in 1991.",
        scope_and_content="Letters.\n\nMemoranda.",
        arrangement="By series.",
        access_conditions="Open.",
        reproduction_conditions="Copies allowed.",
        finding_aids="A card index.",
        notes="Some leaves are torn.",
        **PUBLISHED,
    )
    fonds.languages.add(Language.objects.get_or_create(code="ja", defaults={"name": "Japanese"})[0])

    def unit(identifier: str, parent: Collection, segment: str, **fields: Any) -> Collection:
        level = levels["file"] if parent.level.code == "series" else levels["series"]
        return Collection.objects.create(
            identifier=identifier,
            repository=repository,
            parent=parent,
            level=level,
            reference_segment=segment,
            title=f"Unit {identifier}",
            **fields,
        )

    series2 = unit("t-ead-s2", fonds, "2", **PUBLISHED)
    series10 = unit("t-ead-s10", fonds, "10", **PUBLISHED)
    draft_series = unit("t-ead-s3", fonds, "3")
    hidden_file = unit("t-ead-s3-d1", draft_series, "1", **PUBLISHED)  # public, under a draft
    file = unit("t-ead-s2-d5", series2, "5", **PUBLISHED)
    doc_type, _ = DocumentType.objects.get_or_create(
        code="t-ead-letter", defaults={"name": "letter"}
    )

    def document(identifier: str, collection: Collection, **fields: Any) -> Document:
        values = {"title": f"Document {identifier}", **fields}
        return Document.objects.create(
            identifier=identifier, document_type=doc_type, collection=collection, **values
        )

    letter = document(
        "t-ead-letter",
        file,
        title="A letter",
        date_edtf="1956-09-03/1956-09-12",
        reference_level=levels["item"],
        reference_segment="15",
        locator="ll. 3-4",
        summary="About fisheries.",
        extent="2 leaves",
        **PUBLISHED,
    )
    AgentRole.objects.create(document=letter, agent=author, role="author")
    AgentRole.objects.create(document=letter, agent=hidden_author, role="sender")
    document("t-ead-open", series10, date_edtf="1955/..", **PUBLISHED)
    hidden = [
        document("t-ead-draft", file),
        document("t-ead-restricted", file, restricted=True, **PUBLISHED),
        document("t-ead-under-draft", hidden_file, **PUBLISHED),
    ]
    return {
        "repository": repository,
        "levels": levels,
        "fonds": fonds,
        "series2": series2,
        "file": file,
        "letter": letter,
        "hidden": hidden,
        "draft_series": draft_series,
        "document": document,
    }


def test_every_founding_collection_exports_valid_ead3(db: None, schemas: Schemas) -> None:
    identifiers = list(Collection.objects.public().values_list("identifier", flat=True))
    assert len(identifiers) >= 6
    for identifier in identifiers:
        response = Client().get(f"/collections/{identifier}/ead.xml")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/xml; charset=utf-8"
        assert response["Content-Disposition"] == f'attachment; filename="{identifier}-ead.xml"'
        schemas.ead.validate(etree.fromstring(response.content))


def test_rgani_tree_is_nested_with_references(db: None) -> None:
    ead = export("rgani-f52")
    archdesc = ead.find(f"{EAD}archdesc")
    assert archdesc.get("level") == "fonds"
    assert archdesc.findtext(f"{EAD}did/{EAD}unitid") == "RGANI, f. 52"
    (opis,) = components(archdesc.find(f"{EAD}dsc"))
    assert opis.get("level") == "series"
    assert opis.findtext(f"{EAD}did/{EAD}unitid") == "RGANI, f. 52, op. 1"
    (delo,) = components(opis)
    assert delo.get("level") == "file"
    assert delo.findtext(f"{EAD}did/{EAD}unitid") == "RGANI, f. 52, op. 1, d. 596"
    (memcon,) = components(delo)
    assert memcon.get("level") == "item"
    did = memcon.find(f"{EAD}did")
    assert did.findtext(f"{EAD}unitid") == "RGANI, f. 52, op. 1, d. 596, ll. 61-66"
    assert (
        did.find(f"{EAD}unitid")
        .get("identifier")
        .endswith("/documents/memcon-khrushchev-kono-1956-10-18/")
    )
    assert did.find(f"{EAD}unitdate").get("normal") == "1956-10-18"
    assert did.find(f"{EAD}langmaterial/{EAD}language").get("langcode") == "ru"


def test_isad_fields_dates_and_order(tree: dict[str, Any], schemas: Schemas) -> None:
    ead = export("t-ead-f1")
    schemas.ead.validate(ead)
    archdesc = ead.find(f"{EAD}archdesc")
    did = archdesc.find(f"{EAD}did")
    assert did.findtext(f"{EAD}unitid") == "TEA, f. 7"
    assert did.findtext(f"{EAD}unittitle") == "Papers of a test ministry"
    assert did.find(f"{EAD}unitdate").get("normal") == "1955-01-01/1957-12-31"
    dates = did.find(f"{EAD}unitdatestructured/{EAD}daterange")
    assert dates.find(f"{EAD}fromdate").get("standarddate") == "1955-01-01"
    assert did.findtext(f"{EAD}physdesc") == "3 series"
    assert did.findtext(f"{EAD}origination/{EAD}persname/{EAD}part") == "Ead Author"
    assert did.findtext(f"{EAD}repository/{EAD}corpname/{EAD}part") == "Test EAD Archive"
    assert did.find(f"{EAD}langmaterial/{EAD}language").get("langcode") == "ja"
    notes = {
        "bioghist": "The ministry was founded in 1955.",
        "custodhist": "Kept by the ministry until 1990.",
        "acqinfo": "Transferred in 1991.",
        "arrangement": "By series.",
        "accessrestrict": "Open.",
        "userestrict": "Copies allowed.",
        "otherfindaid": "A card index.",
        "odd": "Some leaves are torn.",
        "prefercite": "TEA, f. 7",
    }
    for tag, text in notes.items():
        assert archdesc.findtext(f"{EAD}{tag}/{EAD}p") == text, tag
    assert [p.text for p in archdesc.findall(f"{EAD}scopecontent/{EAD}p")] == [
        "Letters.",
        "Memoranda.",
    ]
    # series in number order (2 before 10); the draft series and what is under it are left out
    series = components(archdesc.find(f"{EAD}dsc"))
    assert [c.findtext(f"{EAD}did/{EAD}unitid") for c in series] == [
        "TEA, f. 7, s. 2",
        "TEA, f. 7, s. 10",
    ]
    (file,) = components(series[0])
    (letter,) = components(file)
    did = letter.find(f"{EAD}did")
    assert letter.get("level") == "item"
    assert did.findtext(f"{EAD}unitid") == "TEA, f. 7, s. 2, d. 5, no. 15, ll. 3-4"
    assert did.find(f"{EAD}unitdate").get("normal") == "1956-09-03/1956-09-12"
    assert did.findtext(f"{EAD}physdesc") == "2 leaves"
    # only the public author: the draft agent in the sender role is not named
    assert [p.text for p in did.iter(f"{EAD}part")] == ["Ead Author"]
    assert letter.findtext(f"{EAD}scopecontent/{EAD}p") == "About fisheries."
    assert letter.findtext(f"{EAD}controlaccess/{EAD}genreform/{EAD}part") == "letter"
    (open_ended,) = components(series[1])
    assert open_ended.find(f"{EAD}did/{EAD}unitdate").get("normal") == "1955-01-01/.."
    text = etree.tostring(ead, encoding="unicode")
    for record in [*tree["hidden"], tree["draft_series"]]:
        assert record.identifier not in text
    assert "Hidden" not in text


def test_unpublished_or_missing_collections_answer_404(tree: dict[str, Any]) -> None:
    client = Client()
    assert client.get("/collections/t-ead-s3/ead.xml").status_code == 404  # draft
    assert client.get("/collections/t-ead-s3-d1/ead.xml").status_code == 200  # public itself
    Collection.objects.filter(pk=tree["fonds"].pk).update(restricted=True)
    assert client.get("/collections/t-ead-f1/ead.xml").status_code == 404
    assert client.get("/collections/no-such-unit/ead.xml").status_code == 404
    assert client.post("/collections/t-ead-s2/ead.xml").status_code == 405


def test_control_characters_are_stripped(tree: dict[str, Any], schemas: Schemas) -> None:
    Document.objects.filter(pk=tree["letter"].pk).update(
        title="Bad\x0b title\x1f\ufffe", summary="Form\x0cfeed"
    )
    ead = export("t-ead-f1")
    schemas.ead.validate(ead)
    text = etree.tostring(ead, encoding="unicode")
    assert "Bad title<" in text  # PostgreSQL stores no NUL, so that one cannot occur
    assert "Formfeed" in text


def test_query_count_does_not_grow_with_the_tree(tree: dict[str, Any]) -> None:
    """Exporting 3 or 23 documents in more units takes the same number of queries."""
    client = Client()

    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/collections/t-ead-f1/ead.xml")
        assert response.status_code == 200
        return len(captured), "\n\n".join(q["sql"] for q in captured.captured_queries)

    small, _ = count()
    extra_file = Collection.objects.create(
        identifier="t-ead-s10-d1",
        repository=tree["repository"],
        parent=Collection.objects.get(identifier="t-ead-s10"),
        level=tree["levels"]["file"],
        reference_segment="1",
        title="Another file",
        **PUBLISHED,
    )
    author = Agent.objects.get(identifier="t-ead-author")
    for number in range(20):
        unit = extra_file if number % 2 else tree["file"]
        document = tree["document"](
            f"t-ead-bulk-{number}", unit, date_edtf="1956", summary="x", **PUBLISHED
        )
        document.languages.set(Language.objects.filter(code="ja"))
        AgentRole.objects.create(document=document, agent=author, role="author")
    large, sql = count()
    assert large == small, sql
    assert large == 9, sql  # unit, units, their languages, documents and five prefetches
    assert (
        export("t-ead-f1").xpath("count(//e:c[@level='item'])", namespaces={"e": EAD[1:-1]}) == 22
    )


def test_command_writes_the_same_finding_aid(tree: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "fonds.xml"
    call_command("export_ead", "t-ead-f1", "-o", str(out))
    assert out.read_bytes() == Client().get("/collections/t-ead-f1/ead.xml").content
    with pytest.raises(CommandError, match="identifier: the collection “t-ead-s3” is not public"):
        call_command("export_ead", "t-ead-s3")
    with pytest.raises(CommandError, match="“nope” does not exist"):
        call_command("export_ead", "nope")


def test_oai_ead_uses_the_same_writer(tree: dict[str, Any]) -> None:
    """The OAI-PMH ``ead`` record of a unit describes it as the export does (one level deep)."""
    response = Client().get(
        "/oai?verb=GetRecord&metadataPrefix=ead"
        "&identifier=oai:archive.example.org:collection/t-ead-f1"
    )
    parser = etree.XMLParser(remove_blank_text=True)
    oai = etree.fromstring(response.content, parser).find(f".//{EAD}ead")
    export_archdesc = export("t-ead-f1").find(f"{EAD}archdesc")
    oai_archdesc = oai.find(f"{EAD}archdesc")
    assert etree.tostring(oai_archdesc.find(f"{EAD}did")) == etree.tostring(
        export_archdesc.find(f"{EAD}did")
    )
    assert [
        c.findtext(f"{EAD}did/{EAD}unitid") for c in components(oai_archdesc.find(f"{EAD}dsc"))
    ] == [
        "TEA, f. 7, s. 2",
        "TEA, f. 7, s. 10",
    ]
    assert all(not components(c) for c in components(oai_archdesc.find(f"{EAD}dsc")))


def test_etag_and_last_change(tree: dict[str, Any]) -> None:
    client = Client()
    first = client.get("/collections/t-ead-f1/ead.xml")
    etag = first["ETag"]
    assert (
        client.get("/collections/t-ead-f1/ead.xml", headers={"if-none-match": etag}).status_code
        == 304
    )
    letter = tree["letter"]
    letter.title = "A letter, retitled"
    letter.save()
    changed = client.get("/collections/t-ead-f1/ead.xml", headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    stamp = etree.fromstring(changed.content).find(f".//{EAD}eventdatetime").get("standarddatetime")
    letter.refresh_from_db()
    assert stamp == letter.updated_at.strftime("%Y-%m-%dT%H:%M:%S")  # the newest change in the tree
