"""Import and export of documents (see ``archive.importers`` for the machinery and formats)."""

from __future__ import annotations

from typing import Any

from django.db import models

from archive.importers import Column, RecordImporter, RowError, RowPlan
from archive.models import ReferenceLevel
from documents.models import Document


class DocumentImporter(RecordImporter):
    """Documents, matched by ``identifier``.

    Provenance is written as the archival unit's identifier (``collection``), the level code of
    the document's own number in that repository's reference system (``reference_level``) and
    the number (``reference_segment``). ``repository`` names the unit's holder: it is written on
    export for readers and checked on import (it must be the unit's repository).
    """

    model = Document
    record_type = "documents"
    columns = (
        Column("identifier", required=True),
        Column("title", required=True),
        Column("title_original"),
        Column("document_type", "ref", required=True, model="documents.DocumentType", key="code"),
        Column("date_edtf"),
        Column("place", "ref", model="documents.Place"),
        Column("languages", "refs", model="archive.Language", key="code"),
        Column("summary"),
        Column("description"),
        Column("extent"),
        Column("repository", "ref", model="archive.Repository"),
        Column("collection", "ref", model="archive.Collection"),
        Column("reference_level", "ref"),
        Column("reference_segment"),
        Column("locator"),
        Column("provenance"),
        Column("rights"),
        Column("license_url"),
        Column("credit_line"),
        Column("subjects", "refs", model="documents.Subject"),
        Column("places", "refs", model="documents.Place"),
        Column("featured", "bool"),
        Column("status"),
        Column("restricted", "bool"),
    )

    def reference_queryset(self, column: Column, queryset: models.QuerySet) -> models.QuerySet:
        if column.name == "collection":
            # Document.clean() reads the unit's repository and level
            return queryset.select_related("repository", "level")
        return queryset

    def load_references(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        super().load_references(rows)
        # Reference levels are few: all of them, keyed by (repository, code).
        self.levels = {
            (level.repository_id, level.code): level for level in ReferenceLevel.objects.all()
        }

    def export_queryset(self, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.select_related(
            "document_type",  # document_type code
            "place",  # place identifier
            "collection__repository",  # collection and repository identifiers
            "collection__level",  # Document.clean() compares level ranks
            "reference_level",  # level code
        ).prefetch_related("languages", "subjects", "places")

    def build(self, plan: RowPlan, errors: list[RowError], label: str) -> None:
        values = plan.values
        super().build(plan, errors, label)
        document: Document = plan.instance  # type: ignore[assignment]
        if any(error.field == "collection" for error in errors):
            return
        unit = document.collection if document.collection_id else None
        if values.get("repository"):
            repository = self.refs.get("archive.Repository", {}).get(values["repository"])
            if repository is None:
                errors.append(
                    RowError(
                        plan.number,
                        "repository",
                        f"unknown repository “{values['repository']}”",
                        label,
                    )
                )
            elif unit is None:
                errors.append(
                    RowError(
                        plan.number,
                        "repository",
                        "give the archival unit (collection) this repository holds",
                        label,
                    )
                )
            elif unit.repository_id != repository.pk:
                errors.append(
                    RowError(
                        plan.number,
                        "repository",
                        f"“{repository.identifier}” does not hold the archival unit "
                        f"“{unit.identifier}” (held by “{unit.repository.identifier}”)",
                        label,
                    )
                )
        if "reference_level" in values:
            code = values["reference_level"]
            if not code:
                document.reference_level = None
            elif unit is None:
                errors.append(
                    RowError(
                        plan.number,
                        "reference_level",
                        "a numbered document must sit in an archival unit (collection)",
                        label,
                    )
                )
            elif (level := self.levels.get((unit.repository_id, code))) is None:
                errors.append(
                    RowError(
                        plan.number,
                        "reference_level",
                        f"unknown level “{code}” in the reference system of "
                        f"“{unit.repository.identifier}”",
                        label,
                    )
                )
            else:
                document.reference_level = level

    def export_record(self, obj: models.Model, plan: RowPlan | None = None) -> dict[str, Any]:
        record = super().export_record(obj, plan)
        document: Document = obj  # type: ignore[assignment]
        unit = document.collection if document.collection_id else None
        record["repository"] = unit.repository.identifier if unit else ""
        level = document.reference_level if document.reference_level_id else None
        record["reference_level"] = level.code if level else ""
        return {name: record[name] for name in self.column_names()}
