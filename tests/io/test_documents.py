"""Importing documents: dry runs, all or nothing, exact errors, re-imports and history."""

from __future__ import annotations

import json

import pytest

from documents.models import Document
from tests.io.conftest import Holdings, csv_bytes, document_row, messages, run, snapshot

pytestmark = pytest.mark.django_db


def test_dry_run_reports_every_row_and_writes_nothing(holdings: Holdings) -> None:
    Document.objects.create(
        identifier="t-io-doc-2", title="Old title", document_type=holdings.letter
    )
    before = snapshot()
    result = run(csv_bytes([document_row(1), document_row(2)]), dry_run=True)
    assert result.ok
    assert not result.written
    assert [(row.row, row.key, row.action) for row in result.rows] == [
        (2, "t-io-doc-1", "create"),
        (3, "t-io-doc-2", "update"),
    ]
    changes = {(c.field, c.old, c.new) for c in result.rows[1].changes}
    assert ("title", "Old title", "Letter 2") in changes
    assert ("collection", "", "t-io-fonds") in changes
    assert snapshot() == before


def test_one_bad_row_among_good_ones_writes_nothing(holdings: Holdings) -> None:
    before = snapshot()
    rows = [document_row(n) for n in range(1, 6)]
    rows[3]["date_edtf"] = "1956-13-45"
    result = run(csv_bytes(rows))
    assert not result.written
    assert messages(result) == ["Row 5, date_edtf: “1956-13-45” is not a valid EDTF date."]
    assert [row.action for row in result.rows] == ["create"] * 3 + ["error", "create"]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"date_edtf": "Showa 99"}, "Row 2, date_edtf: "),
        ({"collection": "t-io-nowhere"}, "Row 2, collection: unknown collection “t-io-nowhere”"),
        (
            {"document_type": "t-io-nope"},
            "Row 2, document_type: unknown documentary form “t-io-nope”",
        ),
        ({"status": "lost"}, "Row 2, status: Value 'lost' is not a valid choice."),
        ({"title": ""}, "Row 2, title: required; this cell is empty"),
        ({"identifier": "Bad Identifier"}, "Row 2, identifier: Use lower-case letters"),
    ],
)
def test_errors_name_the_row_the_field_and_the_problem(
    holdings: Holdings, override: dict[str, str], expected: str
) -> None:
    result = run(csv_bytes([document_row(1, **override)]))
    assert len(result.errors) == 1
    assert messages(result)[0].startswith(expected)
    assert not Document.objects.filter(identifier__startswith="t-io-doc").exists()


def test_unknown_repository(holdings: Holdings) -> None:
    rows = [document_row(1, repository="t-io-archive"), document_row(2, repository="t-io-gone")]
    result = run(csv_bytes(rows))
    assert messages(result) == ["Row 3, repository: unknown repository “t-io-gone”"]
    result = run(csv_bytes([document_row(1, repository="t-io-other")]))
    assert messages(result) == [
        "Row 2, repository: “t-io-other” does not hold the archival unit “t-io-fonds” "
        "(held by “t-io-archive”)"
    ]


def test_reference_level_is_resolved_in_the_units_repository(holdings: Holdings) -> None:
    row = document_row(1, collection="t-io-file", reference_level="item", reference_segment="7")
    result = run(csv_bytes([row]))
    assert result.ok, messages(result)
    document = Document.objects.get(identifier="t-io-doc-1")
    assert (document.reference_level.code, document.reference_segment) == ("item", "7")
    bad = document_row(2, collection="t-io-file", reference_level="opis", reference_segment="1")
    assert messages(run(csv_bytes([bad]))) == [
        "Row 2, reference_level: unknown level “opis” in the reference system of “t-io-archive”"
    ]
    above = document_row(3, collection="t-io-file", reference_level="fond", reference_segment="1")
    assert messages(run(csv_bytes([above])))[0].startswith(
        "Row 2, reference_level: A document numbered at the fond level cannot sit in a delo"
    )


def test_duplicate_identifier_in_the_file_names_both_rows(holdings: Holdings) -> None:
    rows = [document_row(1), document_row(2), document_row(1, title="Again")]
    result = run(csv_bytes(rows))
    assert messages(result) == [
        "Row 4, identifier: duplicate identifier “t-io-doc-1”: also on row 2"
    ]
    assert not result.written


def test_wrong_encoding_names_the_byte_and_line(holdings: Holdings) -> None:
    data = csv_bytes([document_row(1), document_row(2, title="Lettre à Moscou")])
    latin1 = data.decode("utf-8").encode("latin-1")
    offset = latin1.index(b"\xe0")
    result = run(latin1)
    assert messages(result) == [
        f"file: wrong encoding: byte 0xe0 at offset {offset} (line 3) is not UTF-8; save the "
        "file as UTF-8 (with or without BOM)"
    ]
    assert not Document.objects.filter(identifier__startswith="t-io-doc").exists()


def test_a_byte_order_mark_is_accepted(holdings: Holdings) -> None:
    result = run(b"\xef\xbb\xbf" + csv_bytes([document_row(1, title="Письмо")]))
    assert result.ok
    assert result.written
    assert Document.objects.get(identifier="t-io-doc-1").title == "Письмо"


def test_missing_and_unknown_columns_are_errors(holdings: Holdings) -> None:
    columns = ["identifier", "document_type", "tittle"]
    result = run(csv_bytes([document_row(1)], columns))
    assert messages(result)[0].startswith(
        "Row 1, tittle: unknown column; the documents columns are identifier, title, "
    )
    assert messages(result)[1] == "Row 1, title: missing column (required)"
    assert not result.rows


def test_optional_columns_left_out_keep_their_values(holdings: Holdings) -> None:
    Document.objects.create(
        identifier="t-io-doc-1", title="Old", document_type=holdings.letter, summary="Kept"
    )
    result = run(
        csv_bytes([{"identifier": "t-io-doc-1", "title": "New", "document_type": "t-io-letter"}])
    )
    assert result.ok
    document = Document.objects.get(identifier="t-io-doc-1")
    assert (document.title, document.summary) == ("New", "Kept")


def test_reimport_changes_nothing_and_leaves_no_history(holdings: Holdings) -> None:
    rows = [document_row(n, languages="en; ja", subjects="t-io-subject") for n in range(1, 4)]
    first = run(csv_bytes(rows))
    assert first.written
    assert first.counts["create"] == 3
    before = snapshot()
    second = run(csv_bytes(rows))
    assert [row.action for row in second.rows] == ["unchanged"] * 3
    assert not second.written
    assert snapshot() == before


def test_update_in_place_keeps_the_record_and_writes_one_history_entry(holdings: Holdings) -> None:
    run(csv_bytes([document_row(1), document_row(2)]))
    document = Document.objects.get(identifier="t-io-doc-1")
    count = Document.objects.count()
    result = run(csv_bytes([document_row(1, title="Renamed", languages="ja"), document_row(2)]))
    assert [row.action for row in result.rows] == ["update", "unchanged"]
    assert [(c.field, c.old, c.new) for c in result.rows[0].changes] == [
        ("title", "Letter 1", "Renamed"),
        ("languages", "", "ja"),
    ]
    updated = Document.objects.get(identifier="t-io-doc-1")
    assert (updated.pk, updated.title, updated.version) == (document.pk, "Renamed", 2)
    assert [language.code for language in updated.languages.all()] == ["ja"]
    assert Document.objects.count() == count
    assert list(updated.history.values_list("history_type", "title")) == [
        ("~", "Renamed"),
        ("+", "Letter 1"),
    ]
    assert Document.objects.get(identifier="t-io-doc-2").history.count() == 1


def test_every_row_written_leaves_exactly_one_history_entry(holdings: Holdings) -> None:
    rows = [document_row(n) for n in range(1, 11)]
    run(csv_bytes(rows))
    created = Document.objects.filter(identifier__startswith="t-io-doc")
    assert created.count() == 10
    assert all(document.history.count() == 1 for document in created)
    run(csv_bytes([document_row(n, title=f"Edited {n}") for n in range(1, 11)]))
    assert all(document.history.count() == 2 for document in created)
    entry = created.first().history.first()
    assert entry.history_change_reason == "Imported from documents.csv"


def test_derived_dates_are_set_on_bulk_writes(holdings: Holdings) -> None:
    run(csv_bytes([document_row(1, date_edtf="Showa 31")]))
    document = Document.objects.get(identifier="t-io-doc-1")
    assert document.date_edtf == "1956"
    assert (str(document.date_start), str(document.date_end)) == ("1956-01-01", "1956-12-31")


def test_json_records_with_the_same_keys(holdings: Holdings) -> None:
    records = [
        {**document_row(1), "languages": ["en", "ja"], "featured": True},
        {**document_row(2), "subjects": ["t-io-missing"]},
    ]
    result = run(json.dumps(records).encode(), filename="documents.json")
    assert messages(result) == ["Record 2, subjects: unknown subject “t-io-missing”"]
    records[1]["subjects"] = ["t-io-subject"]
    result = run(json.dumps(records).encode(), filename="documents.json")
    assert result.written
    document = Document.objects.get(identifier="t-io-doc-1")
    assert document.featured
    assert sorted(document.languages.values_list("code", flat=True)) == ["en", "ja"]


def test_json_errors_name_the_record_and_key(holdings: Holdings) -> None:
    records = [{"identifier": "t-io-doc-1", "document_type": "t-io-letter", "colour": "red"}]
    result = run(json.dumps(records).encode(), filename="documents.json")
    assert messages(result)[0].startswith("Record 1, colour: unknown key; the documents columns")
    assert messages(result)[1] == "Record 1, title: missing key (required)"
    result = run(b'[{"identifier": "t-io-doc-1",]', filename="documents.json")
    assert messages(result) == [
        "file: not valid JSON: Expecting property name enclosed in double quotes (line 1, "
        "column 30)"
    ]
