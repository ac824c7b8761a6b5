"""Records for the import and export tests (identifiers start with ``t-io-``)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import pytest

from archive.importers import ImportResult, import_file
from archive.models import Collection, Language, ReferenceLevel, Repository
from documents.models import Document, DocumentType, Place, Subject
from people.models import Agent, AgentRelation, AgentRelationType, NameForm


@dataclass
class Holdings:
    repository: Repository
    other_repository: Repository
    fonds: Collection
    file: Collection
    letter: DocumentType
    subject: Subject
    place: Place
    relation_type: AgentRelationType


@pytest.fixture
def holdings(db: Any) -> Holdings:
    """A repository with a fond → delo system, a unit in it, and the vocabularies rows use."""
    Language.objects.get_or_create(code="en", defaults={"name": "English"})
    Language.objects.get_or_create(code="ja", defaults={"name": "Japanese"})
    repository = Repository.objects.create(identifier="t-io-archive", name="Test Archive")
    other = Repository.objects.create(identifier="t-io-other", name="Other Archive")
    fond = ReferenceLevel.objects.create(repository=repository, code="fond", name="fond", rank=1)
    ReferenceLevel.objects.create(repository=repository, code="delo", name="delo", rank=2)
    ReferenceLevel.objects.create(repository=repository, code="item", name="item", rank=3)
    fonds = Collection.objects.create(
        identifier="t-io-fonds", repository=repository, level=fond, title="Test fonds"
    )
    delo = ReferenceLevel.objects.get(repository=repository, code="delo")
    file = Collection.objects.create(
        identifier="t-io-file", repository=repository, parent=fonds, level=delo, title="File"
    )
    return Holdings(
        repository=repository,
        other_repository=other,
        fonds=fonds,
        file=file,
        letter=DocumentType.objects.create(code="t-io-letter", name="letter"),
        subject=Subject.objects.create(identifier="t-io-subject", name="Subject"),
        place=Place.objects.create(identifier="t-io-place", name="Place"),
        relation_type=AgentRelationType.objects.create(
            code="t-io-advises", label="adviser to", inverse_label="advised by"
        ),
    )


DOCUMENT_COLUMNS = ["identifier", "title", "document_type", "date_edtf", "collection", "status"]


def document_row(number: int, **overrides: str) -> dict[str, str]:
    row = {
        "identifier": f"t-io-doc-{number}",
        "title": f"Letter {number}",
        "document_type": "t-io-letter",
        "date_edtf": f"1956-10-{number:02d}",
        "collection": "t-io-fonds",
        "status": "draft",
    }
    return {**row, **overrides}


def csv_bytes(rows: list[dict[str, str]], columns: list[str] | None = None) -> bytes:
    columns = columns or list(dict.fromkeys(name for row in rows for name in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def run(data: bytes, filename: str = "documents.csv", **kwargs: Any) -> ImportResult:
    return import_file(data, filename=filename, **kwargs)


def messages(result: ImportResult) -> list[str]:
    return [str(error) for error in result.errors]


def snapshot() -> dict[str, list[Any]]:
    """Every row of the tables an import writes, with their history and many-to-many links."""
    tables: dict[str, list[Any]] = {}
    for model in (Document, Agent, NameForm, AgentRelation):
        tables[model.__name__] = list(model.objects.order_by("pk").values())
        tables[f"history {model.__name__}"] = list(
            model.history.order_by("history_id").values("history_id", "id", "history_type")
        )
    for field in ("languages", "subjects", "places"):
        through = Document._meta.get_field(field).remote_field.through
        tables[f"Document.{field}"] = list(through.objects.order_by("pk").values())
    return tables
