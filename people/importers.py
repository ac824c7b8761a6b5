"""Import and export of agents (with their name forms) and of relations between agents.

See ``archive.importers`` for the machinery and the README for the formats.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch

from archive.dates import DateError, normalize_date
from archive.importers import (
    CellError,
    Column,
    RecordImporter,
    RowError,
    RowPlan,
    chunked,
    decode_items,
    validation_messages,
)
from archive.models import Language
from people.models import Agent, AgentRelation, NameForm

# The fields of a name form, in the order the compact CSV encoding writes them.
NAME_FORM_FIELDS = (
    "name",
    "language",
    "script",
    "kind",
    "transliteration",
    "name_order",
    "family_name",
    "given_name",
    "kana_reading",
    "source",
)


def name_form_record(form: NameForm) -> dict[str, str]:
    return {
        name: form.language.code if name == "language" else getattr(form, name)
        for name in NAME_FORM_FIELDS
    }


def name_form_order(record: dict[str, str]) -> tuple[str, ...]:
    """Name forms are written in the admin's order: script, kind, name (then language)."""
    return (record["script"], record["kind"], record["name"], record["language"])


def parse_name_forms(raw: Any) -> list[dict[str, str]]:
    """Name forms from a CSV cell (compact encoding) or a JSON list of objects."""
    if raw is None or raw == "":
        return []
    if isinstance(raw, str):
        items = decode_items(raw)
        records = []
        for index, fields in enumerate(items, start=1):
            if len(fields) > len(NAME_FORM_FIELDS):
                raise CellError(
                    f"name form {index} has {len(fields)} fields; at most "
                    f"{len(NAME_FORM_FIELDS)} ({'|'.join(NAME_FORM_FIELDS)})"
                )
            fields += [""] * (len(NAME_FORM_FIELDS) - len(fields))
            records.append(dict(zip(NAME_FORM_FIELDS, fields, strict=True)))
        return records
    if not isinstance(raw, list):
        raise CellError("expected a list of name forms")
    records = []
    for index, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise CellError(f"name form {index}: expected an object")
        unknown = sorted(set(item) - set(NAME_FORM_FIELDS))
        if unknown:
            raise CellError(
                f"name form {index}: unknown key(s) {', '.join(unknown)}; the keys are "
                + ", ".join(NAME_FORM_FIELDS)
            )
        values = {}
        for name in NAME_FORM_FIELDS:
            value = item.get(name) or ""
            if not isinstance(value, str):
                raise CellError(f"name form {index}, {name}: expected text")
            values[name] = value.strip()
        records.append(values)
    return records


class AgentImporter(RecordImporter):
    """Agents, matched by ``identifier``, with their name forms nested in each row.

    The row's name forms are the agent's complete list: forms are matched by (name, language),
    changed ones updated, new ones added and forms missing from the row deleted. A file without
    the ``name_forms`` column leaves the name forms as they are.
    """

    model = Agent
    record_type = "agents"
    columns = (
        Column("identifier", required=True),
        Column("kind", required=True),
        Column("name", required=True),
        Column("sort_name"),
        Column("date_edtf"),
        Column("nationality"),
        Column("biography"),
        Column("functions"),
        Column("places", "refs", model="documents.Place"),
        Column("sources"),
        Column("status"),
        Column("restricted", "bool"),
        Column("name_forms", "items"),
    )

    def export_queryset(self, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.prefetch_related(
            "places",
            # name forms with their language code, without one query per form
            Prefetch("name_forms", queryset=NameForm.objects.select_related("language")),
        )

    def load_references(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        super().load_references(rows)
        self.languages = {language.code: language for language in Language.objects.all()}

    def build(self, plan: RowPlan, errors: list[RowError], label: str) -> None:
        super().build(plan, errors, label)
        if "name_forms" not in plan.values:
            return
        try:
            forms = parse_name_forms(plan.values["name_forms"])
        except CellError as exc:
            errors.append(RowError(plan.number, "name_forms", str(exc), label))
            return
        seen: dict[tuple[str, str], int] = {}
        instances = []
        for index, form in enumerate(forms, start=1):
            where = f"name form {index} (“{form['name']}”)"
            key = (form["name"], form["language"])
            if key in seen:
                errors.append(
                    RowError(
                        plan.number,
                        "name_forms",
                        f"{where}: the same name and language as name form {seen[key]}",
                        label,
                    )
                )
            seen.setdefault(key, index)
            language = self.languages.get(form["language"])
            if form["language"] and language is None:
                errors.append(
                    RowError(
                        plan.number,
                        "name_forms",
                        f"{where}, language: unknown language “{form['language']}”",
                        label,
                    )
                )
                continue
            instance = NameForm(
                **{k: v for k, v in form.items() if k != "language"}, language=language
            )
            try:
                instance.full_clean(
                    exclude=["agent", "language"] if language else ["agent"],
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as exc:
                for name, messages in validation_messages(exc).items():
                    for message in messages:
                        errors.append(
                            RowError(
                                plan.number, "name_forms", f"{where}, {name}: {message}", label
                            )
                        )
            instances.append(instance)
        plan.extra["name_forms"] = instances
        plan.extra["name_form_records"] = sorted(forms, key=name_form_order)

    def export_record(self, obj: models.Model, plan: RowPlan | None = None) -> dict[str, Any]:
        record = super().export_record(obj, plan)
        if plan is not None and "name_form_records" in plan.extra:
            record["name_forms"] = plan.extra["name_form_records"]
        elif plan is not None:
            record["name_forms"] = plan.old.get("name_forms", [])
        else:
            record["name_forms"] = sorted(
                (name_form_record(form) for form in obj.name_forms.all()),  # type: ignore[attr-defined]
                key=name_form_order,
            )
        return record

    def write(self, plans: list[RowPlan]) -> None:
        super().write(plans)
        creates: list[NameForm] = []
        updates: list[NameForm] = []
        deletes: list[int] = []
        for plan in plans:
            if plan.result.action not in ("create", "update") or "name_forms" not in plan.extra:
                continue
            if plan.old.get("name_forms") == plan.new["name_forms"]:
                continue
            stored = (
                {(f.name, f.language_id): f for f in plan.instance.name_forms.all()}
                if plan.existing
                else {}
            )
            for form in plan.extra["name_forms"]:
                old = stored.pop((form.name, form.language_id), None)
                if old is None:
                    form.agent = plan.instance
                    creates.append(form)
                elif name_form_record(old) != name_form_record(form):
                    form.pk, form.agent = old.pk, plan.instance
                    updates.append(form)
            deletes += [form.pk for form in stored.values()]
        for chunk in chunked(deletes):
            # a queryset delete sends post_delete per form, so each deletion is in history
            NameForm.objects.filter(pk__in=chunk).delete()
        self.writer.update(updates, [name for name in NAME_FORM_FIELDS if name != "name"])
        self.writer.create(creates)


class AgentRelationImporter(RecordImporter):
    """Relations between agents, matched by source, relation type, target and date.

    These four are the relation's natural key: changing any of them in the file describes
    another relation (the old one stays until deleted in the admin).
    """

    model = AgentRelation
    record_type = "relations"
    key_columns = ("source", "relation_type", "target", "date_edtf")
    columns = (
        Column("source", "ref", required=True, model="people.Agent"),
        Column("relation_type", "ref", required=True, model="people.AgentRelationType", key="code"),
        Column("target", "ref", required=True, model="people.Agent"),
        Column("date_edtf"),
        Column("description"),
        Column("supporting_documents", "refs", model="documents.Document"),
        Column("supporting_publications", "refs", model="documents.Publication"),
        Column("source_note"),
        Column("status"),
        Column("restricted", "bool"),
    )

    def key_of(self, values: dict[str, Any]) -> tuple[str, ...]:
        date = str(values.get("date_edtf", ""))
        with contextlib.suppress(DateError):  # a bad date is reported by full_clean()
            date = normalize_date(date)
        return (
            str(values.get("source", "")),
            str(values.get("relation_type", "")),
            str(values.get("target", "")),
            date,
        )

    def key_label(self, key: tuple[str, ...]) -> str:
        source, relation_type, target, date = key
        return f"{source} {relation_type} {target}" + (f" ({date})" if date else "")

    def duplicate_message(self, key: tuple[str, ...], first_row: int, label: str) -> str:
        return f"the same relation ({self.key_label(key)}) is also on {label} {first_row}"

    def export_queryset(self, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.select_related(
            "source",
            "relation_type",
            "target",  # the three keys written in every row
        ).prefetch_related("supporting_documents", "supporting_publications")

    def load_existing(self, keys: list[tuple[str, ...]]) -> dict[tuple[str, ...], models.Model]:
        sources = sorted({key[0] for key in keys if key[0]})
        found: dict[tuple[str, ...], models.Model] = {}
        for chunk in chunked(sources):
            queryset = self.export_queryset(
                AgentRelation.objects.filter(source__identifier__in=chunk)
            )
            for relation in queryset:
                key = (
                    relation.source.identifier,
                    relation.relation_type.code,
                    relation.target.identifier,
                    relation.date_edtf,
                )
                found[key] = relation
        return found
