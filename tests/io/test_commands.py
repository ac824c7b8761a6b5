"""``manage.py import_records`` / ``export_records`` and the sample files in fixtures/samples."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from documents.models import Document
from people.models import Agent, AgentRelation
from tests.io.conftest import Holdings, csv_bytes, document_row, snapshot

pytestmark = pytest.mark.django_db

SAMPLES = Path(settings.BASE_DIR) / "fixtures" / "samples"


def command(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_import_command_dry_run_then_import(holdings: Holdings, tmp_path: Path) -> None:
    path = tmp_path / "batch.csv"
    path.write_bytes(csv_bytes([document_row(1), document_row(2)]))
    before = snapshot()
    output = command("import_records", str(path), "--dry-run", "--type", "documents")
    assert "2 documents rows: 2 create, 0 update, 0 unchanged; would be written" in output
    assert snapshot() == before
    command("import_records", str(path))
    assert Document.objects.filter(identifier__startswith="t-io-doc").count() == 2


def test_import_command_fails_with_every_error_and_writes_nothing(
    holdings: Holdings, tmp_path: Path
) -> None:
    path = tmp_path / "documents.csv"
    path.write_bytes(csv_bytes([document_row(1), document_row(2, date_edtf="someday")]))
    errors = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_records", str(path), stdout=io.StringIO(), stderr=errors)
    assert "Row 3, date_edtf: “someday” is not a valid EDTF date." in errors.getvalue()
    assert not Document.objects.filter(identifier__startswith="t-io-doc").exists()


def test_export_command_round_trips(holdings: Holdings, tmp_path: Path) -> None:
    path = tmp_path / "documents.csv"
    path.write_bytes(csv_bytes([document_row(1), document_row(2, status="review")]))
    command("import_records", str(path))
    out = tmp_path / "export.json"
    command(
        "export_records",
        "--type",
        "documents",
        "--format",
        "json",
        "-o",
        str(out),
        "--filter",
        "identifier__startswith=t-io-doc",
        "--filter",
        "status=review",
    )
    assert '"identifier": "t-io-doc-2"' in out.read_text()
    assert "t-io-doc-1" not in out.read_text()
    output = command("import_records", str(out), "--type", "documents")
    assert "1 documents rows: 0 create, 0 update, 1 unchanged" in output
    with pytest.raises(CommandError, match="--filter"):
        command("export_records", "--type", "documents", "--filter", "colour=red")


def test_sample_files_import_cleanly_into_the_founding_collection() -> None:
    before = (Document.objects.count(), Agent.objects.count(), AgentRelation.objects.count())
    for name in ("agents.json", "documents.csv", "relations.csv"):
        output = command("import_records", str(SAMPLES / name))
        assert "0 update, 0 unchanged; written" in output, output
    after = (Document.objects.count(), Agent.objects.count(), AgentRelation.objects.count())
    assert after == (before[0] + 3, before[1] + 2, before[2] + 1)
    hayashi = Document.objects.get(identifier="sample-hayashi-letter-1956")
    assert hayashi.date_edtf == "1956"
    assert (
        hayashi.reference() == "Papers of HAYASHI Joji, #34-99, National Diet Library (entrusted)"
    )
    relation = AgentRelation.objects.get(source__identifier="sample-matsumoto-shunichi")
    assert [d.identifier for d in relation.supporting_documents.all()] == [
        "sample-london-talks-memo-1955"
    ]
