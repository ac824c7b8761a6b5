"""Bulk import and export of records as CSV and JSON: the shared machinery.

One format serves both directions, so an export edited in a spreadsheet imports back exactly:
a CSV file has one column per field (``documents.importers``, ``people.importers`` list them);
a JSON file is a list of objects with the same keys. References to other records are written as
their stable identifiers or codes, lists of references as ``a; b`` in CSV and as JSON lists.

An import runs in two phases. Every row is read, checked and turned into a validated model
instance (``full_clean()``) before anything is written; one error anywhere and nothing is
written. Only then are the rows written in bulk inside one transaction, with one history entry
per record written (plain ``INSERT``s, :mod:`archive.bulk`: bulk paths skip model signals, so
the derived fields and versions that ``archive.signals`` keeps are set here explicitly). A dry run
stops after the first phase and reports what each row would do.

Rows are matched by their stable key (``identifier``; for relations the natural key), so a
re-import updates in place: unchanged rows are not written and leave no history.

Spreadsheets run cells that start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as
formulas. CSV exports therefore put one apostrophe before such a cell, and CSV imports take
exactly that one apostrophe off again (see :func:`escape_formula`). JSON is not escaped.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone

from archive.bulk import BulkWriter, collector_paused
from archive.models import DatedModel, Publishable
from archive.uploads import content_problem
from archive.workflow import CONTRIBUTOR_STATUSES, can_publish

# Sent after an import commits, with ``sender`` the model and ``created`` / ``updated`` lists of
# primary keys: bulk writes skip ``post_save``, so derived stores (a search index) listen here.
records_imported = Signal()

FORMATS = ("csv", "json")
FORMULA_TRIGGERS = frozenset("=+-@\t\r")
LIST_SEPARATOR = ";"
# SQLite's default limit on query parameters is far above this; smaller chunks keep IN lists
# portable and their plans cheap.
IN_CHUNK = 900

ColumnKind = Literal["text", "bool", "ref", "refs", "items"]
Action = Literal["create", "update", "unchanged", "error"]


# --- Cells ------------------------------------------------------------------------------------


def escape_formula(value: str) -> str:
    """Make a CSV cell safe to open in a spreadsheet: ``=1+1`` → ``'=1+1``.

    A cell is escaped when, after any apostrophes it already starts with, it begins with a
    formula trigger (``= + - @``, tab, CR). Counting the existing apostrophes keeps the mapping
    reversible: a value that really is ``'=x`` is written ``''=x`` and reads back as ``'=x``.
    """
    head = value.lstrip("'")[:1]
    return "'" + value if head and head in FORMULA_TRIGGERS else value


def unescape_formula(value: str) -> str:
    """Undo :func:`escape_formula`: drop exactly one leading apostrophe before a trigger."""
    head = value.lstrip("'")[:1]
    if value.startswith("'") and head and head in FORMULA_TRIGGERS:
        return value[1:]
    return value


def encode_items(items: Sequence[Sequence[str]]) -> str:
    """Write a list of records in one cell: fields joined by ``|``, records by `` ; ``.

    ``\\``, ``|`` and ``;`` inside a field are escaped with a backslash; empty trailing fields
    are left out. ``Ichiro Hatoyama|en|Latn|authorized ; 鳩山一郎|ja|Jpan|original``.
    """

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace(";", "\\;")

    encoded = []
    for fields in items:
        values = list(fields)
        while values and not values[-1]:
            values.pop()
        encoded.append("|".join(escape(value) for value in values))
    return " ; ".join(encoded)


def decode_items(text: str) -> list[list[str]]:
    """Read :func:`encode_items` back; whitespace around each field is dropped."""
    items: list[list[str]] = []
    fields: list[str] = []
    current: list[str] = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            current.append(next(chars, "\\"))
        elif char == "|":
            fields.append("".join(current).strip())
            current = []
        elif char == ";":
            fields.append("".join(current).strip())
            items.append(fields)
            fields, current = [], []
        else:
            current.append(char)
    fields.append("".join(current).strip())
    items.append(fields)
    return [item for item in items if any(item)]


TRUE_WORDS = {"true", "yes", "1"}
FALSE_WORDS = {"false", "no", "0", ""}


class CellError(ValueError):
    """A cell whose value has the wrong shape; the message says what was expected."""


@dataclass(frozen=True)
class Column:
    """One column of a record type's file format.

    ``kind``: ``text`` (a model field as written), ``bool``, ``ref`` (the key of one related
    record), ``refs`` (a list of keys, a many-to-many field) or ``items`` (nested records).
    ``model`` and ``key`` name the referenced model and its key field for ``ref``/``refs``
    columns resolved generically; columns without them are handled by the importer itself.
    """

    name: str
    kind: ColumnKind = "text"
    required: bool = False
    model: str = ""
    key: str = "identifier"


def parse_cell(column: Column, raw: Any, fmt: str) -> Any:
    """The value of one cell, typed for its column (raises :class:`CellError`)."""
    if column.kind == "items":
        return raw  # nested records are read by the importer that owns them
    if column.kind == "refs":
        if isinstance(raw, list):
            if not all(isinstance(item, str) for item in raw):
                raise CellError("expected a list of identifiers (text)")
            values = [item.strip() for item in raw]
        elif isinstance(raw, str):
            values = [item.strip() for item in raw.split(LIST_SEPARATOR)]
        elif raw is None:
            values = []
        else:
            raise CellError("expected a list of identifiers")
        return list(dict.fromkeys(value for value in values if value))
    if column.kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = "" if raw is None else str(raw).strip().lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise CellError(f"“{raw}” is not a yes/no value; write true or false")
    if raw is None:
        text = ""
    elif isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise CellError(f"expected text, not {type(raw).__name__}")
    else:
        text = str(raw)
    return text.strip() if column.kind == "ref" else text


# --- Files ------------------------------------------------------------------------------------


@dataclass
class RowError:
    """What is wrong, where: the row (``None`` for the whole file), the field and the problem."""

    row: int | None
    field: str
    message: str
    label: str = "row"

    def __str__(self) -> str:
        where = f"{self.label.capitalize()} {self.row}, " if self.row is not None else ""
        return f"{where}{self.field}: {self.message}"


@dataclass
class Table:
    """The rows of a file, before they are typed: ``(row number, {column: raw value})``."""

    format: str
    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]]
    label: str = "row"
    errors: list[RowError] = field(default_factory=list)


def decode_utf8(data: bytes) -> tuple[str, RowError | None]:
    """The text of a UTF-8 file (a byte-order mark is accepted and dropped), or the error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", RowError(
            None, "file", "wrong encoding: the file is UTF-16; save it as UTF-8 (CSV UTF-8)"
        )
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start : exc.start + 1].hex()
        return "", RowError(
            None,
            "file",
            f"wrong encoding: byte 0x{byte} at offset {exc.start} (line {line}) is not UTF-8; "
            "save the file as UTF-8 (with or without BOM)",
        )


def read_table(data: bytes, fmt: str) -> Table:
    """Read CSV or JSON bytes into a :class:`Table`; file-level problems go to ``errors``."""
    text, error = decode_utf8(data)
    if error is not None:
        return Table(fmt, [], [], errors=[error])
    if fmt == "json":
        return _read_json(text)
    return _read_csv(text)


def _read_csv(text: str) -> Table:
    table = Table("csv", [], [], label="row")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            table.errors.append(RowError(None, "file", "the file is empty"))
            return table
        table.columns = [name.strip() for name in header]
        # Spreadsheet numbering: the header is row 1, the first record row 2.
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(table.columns) and any(c.strip() for c in cells[len(header) :]):
                table.errors.append(
                    RowError(
                        number,
                        "row",
                        f"{len(cells)} cells but the header names {len(table.columns)} columns",
                    )
                )
                continue
            values = {
                name: unescape_formula(cells[i]) if i < len(cells) else ""
                for i, name in enumerate(table.columns)
            }
            table.rows.append((number, values))
    except csv.Error as exc:
        table.errors.append(RowError(reader.line_num, "file", f"not valid CSV: {exc}"))
    return table


def _read_json(text: str) -> Table:
    table = Table("json", [], [], label="record")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        table.errors.append(
            RowError(
                None, "file", f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            )
        )
        return table
    if not isinstance(data, list):
        table.errors.append(RowError(None, "file", "expected a JSON list of objects"))
        return table
    for number, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            table.errors.append(RowError(number, "record", "expected an object", "record"))
            continue
        for key in record:
            if key not in table.columns:
                table.columns.append(key)
        table.rows.append((number, record))
    return table


def guess_format(filename: str, data: bytes) -> str:
    """``json`` or ``csv``, from the file name, else from the first character."""
    lower = filename.lower()
    for fmt in FORMATS:
        if lower.endswith(f".{fmt}"):
            return fmt
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "json" if start in (b"[", b"{") else "csv"


# --- Results ----------------------------------------------------------------------------------


@dataclass
class FieldChange:
    """One field of one row: its value before and after, as the file writes them."""

    field: str
    old: str
    new: str


@dataclass
class RowResult:
    """What one row does (or would do): its action, its field changes and its errors."""

    row: int
    key: str
    action: Action = "unchanged"
    changes: list[FieldChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


@dataclass
class ImportResult:
    """The outcome of an import: per-row actions and errors, and whether anything was written."""

    record_type: str
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[RowError] = field(default_factory=list)
    written: bool = False
    label: str = "row"  # what the file's numbered units are called: CSV rows, JSON records

    @property
    def errors(self) -> list[RowError]:
        return self.file_errors + [error for row in self.rows for error in row.errors]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> Counter[str]:
        return Counter(row.action for row in self.rows)

    def summary(self) -> str:
        counts = self.counts
        parts = [f"{counts[action]} {action}" for action in ("create", "update", "unchanged")]
        if self.errors:
            return f"{len(self.errors)} error(s); nothing was written"
        if self.dry_run:
            verb = "would be written (dry run)"
        else:
            verb = "written" if self.written else "nothing to write"
        return f"{len(self.rows)} {self.record_type} rows: {', '.join(parts)}; {verb}"


# --- Importers --------------------------------------------------------------------------------


@dataclass
class RowPlan:
    """A row on its way to the database: the instance, its relations and its result."""

    number: int
    values: dict[str, Any]
    result: RowResult
    instance: models.Model
    existing: bool
    old: dict[str, Any] = field(default_factory=dict)
    new: dict[str, Any] = field(default_factory=dict)
    m2m: dict[str, list[models.Model]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def chunked[T](values: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def as_text(value: Any) -> str:
    """A typed value as it reads in a CSV cell (without formula escaping)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return encode_items([[str(v) for v in item.values()] for item in value])
        return f"{LIST_SEPARATOR} ".join(value)
    return "" if value is None else str(value)


def validation_messages(exc: ValidationError) -> dict[str, list[str]]:
    """``{field: [message, ...]}`` from a model ValidationError (``__all__`` → ``row``)."""
    if hasattr(exc, "error_dict"):
        return {
            ("row" if name == "__all__" else name): [str(m) for e in errors for m in e.messages]
            for name, errors in exc.error_dict.items()
        }
    return {"row": list(exc.messages)}


class RecordImporter:
    """Imports and exports one record type. Subclasses declare the columns and the key.

    The generic parts: reading typed cells, the required/unknown column checks, duplicates in
    the file, references resolved by key in one query per referenced model, ``full_clean()``,
    the diff against the stored record, and the bulk writes with history. Subclasses add what
    is particular (nested name forms, a level resolved inside a repository).
    """

    model: ClassVar[type[models.Model]]
    record_type: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    key_columns: ClassVar[tuple[str, ...]] = ("identifier",)

    def __init__(self, *, user: Any = None, source_name: str = "") -> None:
        self.user = user if user is not None and getattr(user, "pk", None) else None
        self.source_name = source_name
        self.refs: dict[str, dict[str, models.Model]] = {}

    # -- describing ----------------------------------------------------------------------------

    @classmethod
    @functools.cache
    def column_names(cls) -> tuple[str, ...]:
        return tuple(column.name for column in cls.columns)

    @classmethod
    @functools.cache
    def columns_by_name(cls) -> dict[str, Column]:
        return {column.name: column for column in cls.columns}

    def key_of(self, values: dict[str, Any]) -> tuple[str, ...]:
        return tuple(str(values.get(name, "")) for name in self.key_columns)

    def key_label(self, key: tuple[str, ...]) -> str:
        return " ".join(part for part in key if part)

    def duplicate_message(self, key: tuple[str, ...], first_row: int, label: str) -> str:
        return (
            f"duplicate {self.key_columns[0]} “{self.key_label(key)}”: also on {label} {first_row}"
        )

    # -- reading -------------------------------------------------------------------------------

    def run(self, table: Table, *, dry_run: bool = False) -> ImportResult:
        """Check every row, then (unless ``dry_run`` or any error) write them all at once."""
        result = ImportResult(
            self.record_type, dry_run, file_errors=list(table.errors), label=table.label
        )
        if table.format == "csv" and not table.errors:
            result.file_errors += self.check_header(table.columns)
        if result.file_errors:
            return result
        plans = self.prepare(table, result)
        if result.ok and not dry_run and any(p.result.action != "unchanged" for p in plans):
            with transaction.atomic():
                self.write(plans)
                created = [p.instance.pk for p in plans if p.result.action == "create"]
                updated = [p.instance.pk for p in plans if p.result.action == "update"]
                transaction.on_commit(
                    lambda: records_imported.send(self.model, created=created, updated=updated)
                )
            result.written = True
        return result

    def check_header(self, names: list[str], row: int | None = 1) -> list[RowError]:
        """Required columns present, no unknown or repeated ones (an unknown one is an error:
        a misspelt column would otherwise be dropped without a word)."""
        errors = []
        known = set(self.column_names())
        for name, count in Counter(names).items():
            if count > 1:
                errors.append(RowError(row, name, f"the column appears {count} times"))
        for name in names:
            if name not in known:
                errors.append(
                    RowError(
                        row,
                        name or "(blank)",
                        f"unknown column; the {self.record_type} columns are "
                        + ", ".join(self.column_names()),
                    )
                )
        for column in self.columns:
            if column.required and column.name not in names:
                errors.append(RowError(row, column.name, "missing column (required)"))
        return errors

    def prepare(self, table: Table, result: ImportResult) -> list[RowPlan]:
        typed: list[tuple[int, dict[str, Any], RowResult]] = []
        columns = self.columns_by_name()
        for number, raw in table.rows:
            row_result = RowResult(number, "")
            result.rows.append(row_result)
            if table.format == "json":
                for error in self.check_header(list(raw), row=number):
                    error.label = table.label
                    if error.message.startswith("missing column"):
                        error.message = "missing key (required)"
                    elif error.message.startswith("unknown column"):
                        error.message = error.message.replace("unknown column", "unknown key")
                    row_result.errors.append(error)
            values: dict[str, Any] = {}
            for name, cell in raw.items():
                column = columns.get(name)
                if column is None:
                    continue
                try:
                    values[name] = parse_cell(column, cell, table.format)
                except CellError as exc:
                    row_result.errors.append(RowError(number, name, str(exc), table.label))
            for column in self.columns:
                if column.required and column.name in values and values[column.name] in ("", []):
                    row_result.errors.append(
                        RowError(number, column.name, "required; this cell is empty", table.label)
                    )
            typed.append((number, values, row_result))

        seen: dict[tuple[str, ...], int] = {}
        for number, values, row_result in typed:
            key = self.key_of(values)
            row_result.key = self.key_label(key)
            if key in seen and key[0]:
                row_result.errors.append(
                    RowError(
                        number,
                        self.key_columns[0] if len(self.key_columns) == 1 else "row",
                        self.duplicate_message(key, seen[key], table.label),
                        table.label,
                    )
                )
            seen.setdefault(key, number)

        rows = [(number, values) for number, values, _ in typed]
        self.load_references(rows)
        existing = self.load_existing([self.key_of(values) for _, values in rows])

        plans = []
        for number, values, row_result in typed:
            stored = existing.get(self.key_of(values))
            instance = stored if stored is not None else self.model()
            plan = RowPlan(number, values, row_result, instance, stored is not None)
            if stored is not None:
                plan.old = self.export_record(stored)
            errors: list[RowError] = []
            self.build(plan, errors, table.label)
            if not errors and not row_result.errors:
                self.validate(plan, errors, table.label)
            row_result.errors += errors
            if row_result.errors:
                row_result.action = "error"
            else:
                plan.new = self.export_record(instance, plan)
                row_result.changes = self.changes(plan)
                if stored is None:
                    row_result.action = "create"
                elif row_result.changes:
                    row_result.action = "update"
                if row_result.action != "unchanged":
                    row_result.errors += self.check_workflow(plan, table.label)
                    if row_result.errors:
                        row_result.action = "error"
            plans.append(plan)
        return plans

    def changes(self, plan: RowPlan) -> list[FieldChange]:
        """The columns whose value differs from the stored record (for a new one: the filled
        ones), in the form the file writes them."""
        changes = []
        for name in self.column_names():
            new = plan.new[name]
            if not plan.existing:
                if new:  # text, a list or a yes/no: filled when true
                    changes.append(FieldChange(name, "", as_text(new)))
            elif plan.old.get(name) != new:
                changes.append(FieldChange(name, as_text(plan.old.get(name)), as_text(new)))
        return changes

    def check_workflow(self, plan: RowPlan, label: str) -> list[RowError]:
        """The editorial rules of the admin, for imports made by a user who may not publish:
        drafts and records in review only, no publishing, withdrawing or restricting."""
        if self.user is None or not issubclass(self.model, Publishable):
            return []
        if can_publish(self.user, self.model):
            return []
        errors = []
        old_status = plan.old.get("status")
        if plan.existing and old_status not in CONTRIBUTOR_STATUSES:
            errors.append(
                RowError(
                    plan.number,
                    "status",
                    f"the record is {old_status}; only a reviewer may change it",
                    label,
                )
            )
        elif plan.new.get("status") not in CONTRIBUTOR_STATUSES:
            errors.append(
                RowError(
                    plan.number,
                    "status",
                    f"only a reviewer may set the status “{plan.new.get('status')}”",
                    label,
                )
            )
        if plan.new.get("restricted") != plan.old.get("restricted", False):
            errors.append(
                RowError(
                    plan.number, "restricted", "only a reviewer may restrict or unrestrict", label
                )
            )
        return errors

    def load_references(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        """Load every record the rows name, one query per referenced model and chunk."""
        from django.apps import apps

        for column in self.columns:
            if column.kind not in ("ref", "refs") or not column.model:
                continue
            wanted: set[str] = set()
            for _, values in rows:
                value = values.get(column.name)
                if isinstance(value, list):
                    wanted.update(value)
                elif value:
                    wanted.add(value)
            model = apps.get_model(column.model)
            found: dict[str, models.Model] = self.refs.setdefault(column.model, {})
            missing = sorted(wanted - set(found))
            for chunk in chunked(missing):
                queryset = self.reference_queryset(column, model._default_manager.all())
                for obj in queryset.filter(**{f"{column.key}__in": chunk}):
                    found[getattr(obj, column.key)] = obj

    def reference_queryset(self, column: Column, queryset: models.QuerySet) -> models.QuerySet:
        """The queryset a referenced model is loaded from (add ``select_related`` here)."""
        return queryset

    def load_existing(self, keys: list[tuple[str, ...]]) -> dict[tuple[str, ...], models.Model]:
        """The stored records with these keys (default: by ``identifier``)."""
        identifiers = sorted({key[0] for key in keys if key[0]})
        found: dict[tuple[str, ...], models.Model] = {}
        for chunk in chunked(identifiers):
            queryset = self.export_queryset(
                self.model._default_manager.filter(identifier__in=chunk)
            )
            for obj in queryset:
                found[(obj.identifier,)] = obj
        return found

    def build(self, plan: RowPlan, errors: list[RowError], label: str) -> None:
        """Set the instance's fields from the row; unknown references are errors."""
        for column in self.columns:
            if column.name not in plan.values:
                continue
            value = plan.values[column.name]
            if column.kind in ("text", "bool"):
                setattr(plan.instance, column.name, value)
                continue
            if not column.model or not self.is_field(column.name):
                continue  # handled by the subclass
            refs = self.refs.get(column.model, {})
            if column.kind == "ref":
                obj = refs.get(value) if value else None
                if value and obj is None:
                    errors.append(self.unknown(plan, column, value, label))
                    continue
                setattr(plan.instance, column.name, obj)
            elif column.kind == "refs":
                unknown = [item for item in value if item not in refs]
                for item in unknown:
                    errors.append(self.unknown(plan, column, item, label))
                if not unknown:
                    plan.m2m[column.name] = [refs[item] for item in value]

    def is_field(self, name: str) -> bool:
        try:
            self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        return True

    def unknown(self, plan: RowPlan, column: Column, value: str, label: str) -> RowError:
        from django.apps import apps

        name = apps.get_model(column.model)._meta.verbose_name
        return RowError(plan.number, column.name, f"unknown {name} “{value}”", label)

    def validate(self, plan: RowPlan, errors: list[RowError], label: str) -> None:
        """``full_clean()`` the instance (references are already resolved, so skip their
        queries); uniqueness is the key, checked across the file and matched in the archive."""
        instance = plan.instance
        references = [
            f.name for f in instance._meta.concrete_fields if isinstance(f, models.ForeignKey)
        ]
        try:
            instance.full_clean(
                exclude=references, validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for name, messages in validation_messages(exc).items():
                for message in messages:
                    errors.append(RowError(plan.number, name, message, label))
            return
        derive = getattr(instance, "derive_fields", None)
        if derive is not None:
            derive()

    # -- writing -------------------------------------------------------------------------------

    @property
    def change_reason(self) -> str:
        return f"Imported from {self.source_name}" if self.source_name else "Imported"

    def fields_for(self, column: str) -> list[str]:
        """The model fields a column writes (for ``bulk_update``)."""
        try:
            model_field = self.model._meta.get_field(column)
        except FieldDoesNotExist:
            return []
        if model_field.many_to_many or not model_field.concrete:
            return []
        if column == "date_edtf" and issubclass(self.model, DatedModel):
            return ["date_edtf", "date_start", "date_end"]
        return [column]

    def write(self, plans: list[RowPlan]) -> None:
        """Write the rows in bulk with one history entry per record written."""
        now = timezone.now()
        self.writer = BulkWriter(
            now=now, user_id=self.user.pk if self.user else None, reason=self.change_reason
        )
        creates = [p for p in plans if p.result.action == "create"]
        updates = [p for p in plans if p.result.action == "update"]
        self.writer.create([p.instance for p in creates])
        if updates:
            fields = {"version", "updated_at"} if issubclass(self.model, Publishable) else set()
            for plan in updates:
                for change in plan.result.changes:
                    fields.update(self.fields_for(change.field))
                if isinstance(plan.instance, Publishable):
                    plan.instance.version += 1
                    plan.instance.updated_at = now
            self.writer.update([p.instance for p in updates], sorted(fields))
        for column in self.columns:
            if column.kind == "refs":
                changed = {
                    p.instance.pk: p.m2m[column.name]
                    for p in creates + updates
                    if column.name in p.m2m and p.old.get(column.name) != p.new[column.name]
                }
                stored = [p.instance.pk for p in updates if p.instance.pk in changed]
                replace_m2m(self.writer, self.model, column.name, changed, stored)

    # -- exporting -----------------------------------------------------------------------------

    def export_queryset(self, queryset: models.QuerySet) -> models.QuerySet:
        """``queryset`` with what :meth:`export_record` reads (a fixed number of queries)."""
        return queryset

    def export_record(self, obj: models.Model, plan: RowPlan | None = None) -> dict[str, Any]:
        """The record as typed values, one per column (lists for ``refs`` and ``items``).

        With a ``plan``, many-to-many values come from the row being imported (the instance may
        not be saved yet), so an import is compared with the stored record in the very form an
        export writes: what round-trips is what is compared.
        """
        record: dict[str, Any] = {}
        for column in self.columns:
            if column.kind == "refs" and column.model:
                if plan is not None and (column.name in plan.m2m or not plan.existing):
                    related = plan.m2m.get(column.name, [])
                elif plan is not None:
                    record[column.name] = plan.old.get(column.name, [])
                    continue
                else:
                    related = list(getattr(obj, column.name).all())
                record[column.name] = sorted({getattr(item, column.key) for item in related})
            elif column.kind == "ref" and column.model:
                try:
                    related = getattr(obj, column.name)
                except ObjectDoesNotExist:  # a required reference not set yet
                    related = None
                record[column.name] = getattr(related, column.key) if related else ""
            elif column.kind in ("text", "bool"):
                value = getattr(obj, column.name, "")
                record[column.name] = value if column.kind == "bool" else str(value or "")
        return record

    def export(self, queryset: models.QuerySet) -> Iterator[dict[str, Any]]:
        """Typed records of ``queryset``, read in chunks with their relations prefetched."""
        queryset = self.export_queryset(queryset)
        for obj in queryset.iterator(chunk_size=2000):
            yield self.export_record(obj)


def replace_m2m(
    writer: BulkWriter,
    model: type[models.Model],
    name: str,
    values: dict[int, list[models.Model]],
    stored: Sequence[int] = (),
) -> None:
    """Set a many-to-many field for the given records: the old links of the ``stored`` ones
    out (a new record has none), the new ones in."""
    if not values:
        return
    relation = model._meta.get_field(name)
    through = relation.remote_field.through
    source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
    for chunk in chunked(list(stored)):
        through._default_manager.filter(**{f"{source}_id__in": chunk}).delete()
    writer.link(
        through,
        [
            {f"{source}_id": pk, f"{target}_id": obj.pk}
            for pk, related in values.items()
            for obj in related
        ],
    )


# --- Writing files ----------------------------------------------------------------------------


def write_csv(columns: Sequence[str], records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """CSV text (with a UTF-8 byte-order mark for spreadsheets), formula cells escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(columns)
    for record in records:
        writer.writerow([escape_formula(as_text(record[name])) for name in columns])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_json(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A JSON list of objects, one per line, in UTF-8 without escapes."""
    yield "["
    for index, record in enumerate(records):
        yield ("," if index else "") + "\n" + json.dumps(record, ensure_ascii=False)
    yield "\n]\n"


def export_text(importer: RecordImporter, queryset: models.QuerySet, fmt: str) -> Iterator[str]:
    """The records of ``queryset`` as a CSV or JSON file, in pieces."""
    records = importer.export(queryset)
    if fmt == "json":
        return write_json(records)
    return write_csv(importer.column_names(), records)


# --- Record types -----------------------------------------------------------------------------


def importer_classes() -> dict[str, type[RecordImporter]]:
    """The importable record types by name (the apps' importers)."""
    from documents.importers import DocumentImporter
    from people.importers import AgentImporter, AgentRelationImporter

    return {
        "documents": DocumentImporter,
        "agents": AgentImporter,
        "relations": AgentRelationImporter,
    }


def guess_type(columns: Sequence[str], filename: str = "") -> str | None:
    """The record type a file holds, from its columns, else from its name."""
    names = set(columns)
    if {"source", "target", "relation_type"} <= names:
        return "relations"
    if "name_forms" in names or {"kind", "name"} <= names:
        return "agents"
    if "document_type" in names or "title" in names:
        return "documents"
    lower = filename.lower()
    for record_type in ("documents", "agents", "relations"):
        if record_type.rstrip("s") in lower:
            return record_type
    return None


def import_file(
    data: bytes,
    *,
    filename: str = "",
    record_type: str | None = None,
    fmt: str | None = None,
    dry_run: bool = False,
    user: Any = None,
) -> ImportResult:
    """Import a CSV or JSON file: the one entry point of the command and the admin."""
    problem = content_problem(data[:8192])
    if problem is not None:
        return ImportResult(
            record_type or "records", dry_run, file_errors=[RowError(None, "file", problem)]
        )
    fmt = fmt or guess_format(filename, data)
    with collector_paused():  # the whole job: reading the file allocates as much as the rest
        table = read_table(data, fmt)
        record_type = record_type or guess_type(table.columns, filename)
        if record_type is None:
            result = ImportResult("records", dry_run, file_errors=table.errors)
            result.file_errors.append(
                RowError(
                    None,
                    "type",
                    "cannot tell the record type from the columns or file name; "
                    "choose documents, agents or relations",
                )
            )
            return result
        importer = importer_classes()[record_type](user=user, source_name=filename)
        return importer.run(table, dry_run=dry_run)
