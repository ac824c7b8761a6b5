"""Export → edit → import round-trips exactly; spreadsheet formulas are defused and restored."""

from __future__ import annotations

import csv
import io
import json

import pytest

from archive.importers import (
    decode_items,
    encode_items,
    escape_formula,
    export_text,
    unescape_formula,
)
from documents.importers import DocumentImporter
from documents.models import Document
from people.importers import AgentImporter, AgentRelationImporter
from people.models import Agent, AgentRelation
from tests.io.conftest import Holdings, csv_bytes, document_row, run, snapshot

pytestmark = pytest.mark.django_db


def export(importer: type, queryset: object, fmt: str) -> bytes:
    return "".join(export_text(importer(), queryset, fmt)).encode("utf-8")


@pytest.fixture
def records(holdings: Holdings) -> None:
    rows = [
        document_row(
            1,
            title='=HYPERLINK("http://evil.example")',
            summary='+7 cells\nacross lines, with "quotes"; and semicolons',
            languages="en; ja",
            subjects="t-io-subject",
            places="t-io-place",
            place="t-io-place",
            collection="t-io-file",
            reference_level="item",
            reference_segment="15",
            locator="ll. 61-66",
            featured="true",
        ),
        document_row(2, title="''=already quoted", description="-minus", extent="@at"),
        document_row(3, title="Kōno–Khrushchev talks 河野・フルシチョフ会談", date_edtf="Showa 31"),
    ]
    assert run(csv_bytes(rows)).written
    agents = [
        {
            "identifier": "t-io-kono",
            "kind": "person",
            "name": "Ichiro Kono",
            "name_forms": "Ichiro Kono|en|Latn|authorized ; 河野一郎|ja|Jpan|original||"
            "family-first|河野|一郎|こうの いちろう ; Ko\\|no\\;x|en|Latn|variant",
        },
        {"identifier": "t-io-khrushchev", "kind": "person", "name": "Nikita Khrushchev"},
    ]
    result = run(csv_bytes(agents), filename="agents.csv")
    assert result.written, [str(error) for error in result.errors]
    relation = {
        "source": "t-io-kono",
        "relation_type": "t-io-advises",
        "target": "t-io-khrushchev",
        "date_edtf": "1956-10",
        "supporting_documents": "t-io-doc-1; t-io-doc-2",
    }
    assert run(csv_bytes([relation]), filename="relations.csv").written


DOCUMENTS = Document.objects.filter(identifier__startswith="t-io-")
CASES = [
    (DocumentImporter, Document, "t-io-"),
    (AgentImporter, Agent, "t-io-"),
    (AgentRelationImporter, AgentRelation, None),
]


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize(("importer", "model", "prefix"), CASES)
def test_export_then_import_changes_nothing(
    records: None, importer: type, model: type, prefix: str | None, fmt: str
) -> None:
    queryset = model.objects.all()
    if prefix:
        queryset = queryset.filter(identifier__startswith=prefix)
    else:
        queryset = queryset.filter(source__identifier__startswith="t-io-")
    data = export(importer, queryset, fmt)
    before = snapshot()
    result = run(data, filename=f"export.{fmt}", record_type=importer.record_type)
    assert result.ok, [str(e) for e in result.errors]
    assert [row.action for row in result.rows] == ["unchanged"] * queryset.count()
    assert snapshot() == before


def test_editing_one_cell_changes_exactly_that_field(records: None) -> None:
    data = export(DocumentImporter, DOCUMENTS.order_by("identifier"), "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data, newline="")))
    rows[1]["locator"] = "l. 12 ob."
    result = run(csv_bytes(rows, list(rows[0])))
    assert [(row.key, row.action) for row in result.rows] == [
        ("t-io-doc-1", "unchanged"),
        ("t-io-doc-2", "update"),
        ("t-io-doc-3", "unchanged"),
    ]
    assert [(c.field, c.old, c.new) for c in result.rows[1].changes] == [
        ("locator", "", "l. 12 ob.")
    ]
    assert Document.objects.get(identifier="t-io-doc-2").locator == "l. 12 ob."


def test_formula_cells_are_escaped_in_csv_and_restored_on_import(records: None) -> None:
    text = export(DocumentImporter, DOCUMENTS.order_by("identifier"), "csv").decode("utf-8")
    assert text.startswith("\ufeffidentifier,title,")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil.example")'
    assert rows[0]["summary"].startswith("'+7 cells\n")
    assert rows[1]["title"] == "''=already quoted"
    assert (rows[1]["description"], rows[1]["extent"]) == ("'-minus", "'@at")
    # JSON is not run by spreadsheets: values are written as they are
    records = json.loads(export(DocumentImporter, DOCUMENTS.order_by("identifier"), "json"))
    assert records[1]["title"] == "'=already quoted"
    assert Document.objects.get(identifier="t-io-doc-1").title.startswith("=HYPERLINK")
    assert Document.objects.get(identifier="t-io-doc-2").title == "'=already quoted"


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("=1+1", "'=1+1"),
        ("+81 3", "'+81 3"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),
        ("''-x", "'''-x"),
        ("'quoted", "'quoted"),
        ("'", "'"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_formula_escaping_is_reversible(value: str, escaped: str) -> None:
    assert escape_formula(value) == escaped
    assert unescape_formula(escaped) == value


def test_compact_list_encoding_round_trips() -> None:
    items = [["a|b", "c;d", "e\\f", ""], ["鳩山一郎", "ja", "Jpan"]]
    encoded = encode_items(items)
    assert encoded == "a\\|b|c\\;d|e\\\\f ; 鳩山一郎|ja|Jpan"
    assert decode_items(encoded) == [["a|b", "c;d", "e\\f"], ["鳩山一郎", "ja", "Jpan"]]
    assert decode_items("") == []
    assert decode_items(" x | y ;; ") == [["x", "y"]]
