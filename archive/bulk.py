"""Plain ``INSERT``s of many rows: the write path of imports and of the benchmark's generator.

``QuerySet.bulk_create`` builds a model instance per row (and simple_history's bulk helpers a
historical instance per row for its history entry), then prepares every value of every row
through the SQL compiler: for a thousand documents with their history and links, that cost ten
times the database's own work. :class:`BulkTable` writes rows given as attribute values by name
(a dict, or a model instance's ``vars()``), prepares only the values the driver cannot take as
they are, and hands the database one statement per batch.

Like ``bulk_create`` it sends no signals and calls no ``save()``: callers set derived fields
first (``derive_fields()``) and tell the search index afterwards (``records_imported``).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.db.models.fields import AutoFieldMixin

#: rows per ``INSERT`` statement, at most (fewer where the database limits parameters)
CHUNK = 1000


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run a bulk job without Python's cyclic garbage collector, then turn it back on.

    Reading thousands of rows into instances, rows and entries allocates objects by the
    hundred thousand, and every 700 allocations start a collection that walks them, and now
    and then every object the process holds, to find cycles that such a job does not make:
    importing 2,000 documents spent about 80 ms of its 600 ms there. Memory is unchanged
    (objects are freed by reference counting as usual); cycles made meanwhile wait for the
    next collection after the job. A nested job leaves the collector as the outer one set it;
    of jobs running at once in threads, the first to end turns it back on (a matter of speed,
    never of correctness).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class BulkTable:
    """One model's table, ready for inserts at a given time ``now``.

    A column a row leaves out (or leaves ``None`` where the field sets it on save, ``auto_now``
    and ``auto_now_add``) takes the field's default, prepared for the database once, and
    timestamps take ``now``, as ``save()`` would set them. An auto-incremented primary key the
    rows do not give (a history entry's, a many-to-many link's, a new record's) is left to the
    database. Field types beyond those Kiroku's models use (a default made per row, a value the
    driver cannot take unprepared) are refused when the table is made, not written wrong.
    """

    #: field types whose values the database driver takes only once prepared (dates as text
    #: on SQLite, JSON, decimals)
    PREPARED = frozenset({"DateField", "DateTimeField", "DecimalField", "JSONField", "TimeField"})
    #: field types the driver takes as they are
    PLAIN = frozenset(
        {
            "AutoField",
            "BigAutoField",
            "BigIntegerField",
            "BooleanField",
            "CharField",
            "FloatField",
            "ForeignKey",
            "IntegerField",
            "OneToOneField",
            "PositiveBigIntegerField",
            "PositiveIntegerField",
            "PositiveSmallIntegerField",
            "SlugField",
            "SmallAutoField",
            "SmallIntegerField",
            "TextField",
        }
    )

    def __init__(
        self, model: type[models.Model], now: Any, copies: BulkTable | None = None
    ) -> None:
        """``copies``: the table whose rows this one's rows copy (a history table's record
        table), whose defaults it takes for the columns they share."""
        self.model = model
        self.columns = list(model._meta.concrete_fields)
        for column in self.columns:
            kind = column.get_internal_type()
            per_row = column.has_default() and callable(column.default)
            if kind not in self.PREPARED | self.PLAIN or per_row:
                raise ImproperlyConfigured(
                    f"BulkTable cannot write {model._meta.label}.{column.name} ({kind}"
                    f"{', a default made per row' if per_row else ''})"
                )
        self.stamped = {
            column.attname
            for column in self.columns
            if getattr(column, "auto_now", False) or getattr(column, "auto_now_add", False)
        }
        self.defaults = [
            self._prepare(column, now if column.attname in self.stamped else column.get_default())
            for column in self.columns
        ]
        if copies:
            shared = dict(zip((c.attname for c in copies.columns), copies.defaults, strict=True))
            self.defaults = [
                shared.get(column.attname, default)
                for column, default in zip(self.columns, self.defaults, strict=True)
            ]

    @staticmethod
    def _prepare(column: models.Field, value: Any) -> Any:
        return None if value is None else column.get_db_prep_save(value, connection)

    @staticmethod
    def _prepare_once(column: models.Field, value: Any, known: dict[Any, Any]) -> Any:
        """``value`` prepared for ``column``, remembered in ``known``: a column's values repeat
        (the save time, common dates). Keyed with the type too (``True == 1``, but JSON writes
        them differently)."""
        key = (type(value), value)
        try:
            return known[key]
        except KeyError:
            known[key] = prepared = column.get_db_prep_save(value, connection)
            return prepared
        except TypeError:  # unhashable (JSON)
            return column.get_db_prep_save(value, connection)

    def _statement(
        self, rows: Sequence[Mapping[str, Any]], constants: dict[str, Any]
    ) -> tuple[list[models.Field], list[list[Any]]]:
        """The columns written and each row's values for them, prepared for the driver."""
        pk = self.model._meta.pk
        database_pk = rows[0].get(pk.attname) is None and isinstance(pk, AutoFieldMixin)
        columns, defaults = [], []
        for column, default in zip(self.columns, self.defaults, strict=True):
            if database_pk and column is pk:
                continue
            columns.append(column)
            defaults.append(
                self._prepare(column, constants[column.attname])
                if column.attname in constants
                else default
            )
        names = [column.attname for column in columns]
        prepared = [
            (index, column)
            for index, column in enumerate(columns)
            if column.get_internal_type() in self.PREPARED
        ]
        stamped = [index for index, name in enumerate(names) if name in self.stamped]
        done: list[dict[Any, Any]] = [{} for _ in prepared]
        values = []
        for row in rows:
            line = [row.get(name, default) for name, default in zip(names, defaults, strict=True)]
            for index in stamped:
                if line[index] is None:
                    line[index] = defaults[index]
            for (index, column), known in zip(prepared, done, strict=True):
                value = line[index]
                if value is not None and value is not defaults[index]:
                    line[index] = self._prepare_once(column, value, known)
            values.append(line)
        return columns, values

    def _insert_sql(self, columns: Sequence[models.Field], rows: int = 1) -> str:
        """The statement for ``rows`` rows: names from the model's metadata, quoted; every
        value a parameter."""
        quote = connection.ops.quote_name
        placeholders = "({})".format(", ".join(["%s"] * len(columns)))
        return "INSERT INTO {} ({}) VALUES {}".format(  # nosec B608
            quote(self.model._meta.db_table),
            ", ".join(quote(column.column) for column in columns),
            ", ".join([placeholders] * rows),
        )

    def update(self, rows: Sequence[Mapping[str, Any]], fields: Sequence[str]) -> None:
        """Write ``fields`` (names of model fields) of stored rows, found by primary key.

        One ``UPDATE … WHERE pk = %s``, run once per row (``executemany``). ``bulk_update``
        writes one ``CASE WHEN pk = … THEN …`` per field instead, which Django builds as
        expressions row by row: 10,000 re-titled documents spent 15 s there.
        """
        if not rows or not fields:
            return
        quote = connection.ops.quote_name
        meta = self.model._meta
        columns = [meta.get_field(name) for name in fields]
        # names from the model's metadata, quoted; every value a parameter
        sql = "UPDATE {} SET {} WHERE {} = %s".format(  # nosec B608
            quote(meta.db_table),
            ", ".join(f"{quote(column.column)} = %s" for column in columns),
            quote(meta.pk.column),
        )
        known: list[dict[Any, Any]] = [{} for _ in columns]
        values = [
            [
                None
                if (value := row[column.attname]) is None
                else self._prepare_once(column, value, seen)
                for column, seen in zip(columns, known, strict=True)
            ]
            + [row[meta.pk.attname]]
            for row in rows
        ]
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            for start in range(0, len(values), CHUNK):
                cursor.executemany(sql, values[start : start + CHUNK])

    def insert(self, rows: Sequence[Mapping[str, Any]], **constants: Any) -> None:
        """Insert ``rows``; ``constants`` give columns the same value in every row."""
        self._execute(rows, constants, returning=False)

    def insert_returning(self, rows: Sequence[Mapping[str, Any]], **constants: Any) -> list[int]:
        """Insert ``rows`` without primary keys; returns the keys the database gave, in order
        (``RETURNING``: neither database promises the order in writing, but both return a
        multi-row ``VALUES`` list's keys in its order, which ``bulk_create`` relies on too)."""
        return self._execute(rows, constants, returning=True)

    def _execute(
        self, rows: Sequence[Mapping[str, Any]], constants: dict[str, Any], *, returning: bool
    ) -> list[int]:
        """One multi-row ``INSERT`` per batch: on SQLite several times faster than one row per
        statement (``executemany``) into a table that feeds a full-text index by trigger."""
        if not rows:
            return []
        columns, values = self._statement(rows, constants)
        size = max(1, min(CHUNK, connection.ops.bulk_batch_size(columns, values)))
        tail = f" RETURNING {connection.ops.quote_name(self.model._meta.pk.column)}"
        keys: list[int] = []
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            for start in range(0, len(values), size):
                batch = values[start : start + size]
                sql = self._insert_sql(columns, len(batch))
                cursor.execute(
                    sql + tail if returning else sql, [value for line in batch for value in line]
                )
                if returning:
                    keys += [row[0] for row in cursor.fetchall()]
        return keys


class BulkWriter:
    """Writes records in bulk, each with one history entry: at one time, by one user, for one
    reason (an import's). The history entry holds what ``bulk_create_with_history`` would
    write given that date, user and reason (a record's own ``_history_user`` or
    ``_change_reason`` is not read), as plain rows. Records and their history entries are
    written together or not at all."""

    def __init__(self, *, now: Any, user_id: int | None = None, reason: str = "") -> None:
        self.now = now
        self.history_values = {
            "history_date": now,
            "history_user_id": user_id,
            "history_change_reason": reason,
        }
        self.tables: dict[type[models.Model], BulkTable] = {}

    def table(self, model: type[models.Model]) -> BulkTable:
        if model not in self.tables:
            history = getattr(model, "instance_type", None)  # a historical model's record
            copies = self.table(history) if history is not None else None
            self.tables[model] = BulkTable(model, self.now, copies)
        return self.tables[model]

    def create(self, instances: Sequence[models.Model]) -> None:
        """Insert new records; each instance gets its primary key and its save-time stamps."""
        if not instances:
            return
        table = self.table(type(instances[0]))
        for instance in instances:
            for name in table.stamped:
                if getattr(instance, name) is None:
                    setattr(instance, name, self.now)
        rows = [vars(instance) for instance in instances]  # live: they see the keys set below
        with transaction.atomic(savepoint=False):
            keys = table.insert_returning(rows)
            for instance, key in zip(instances, keys, strict=True):
                instance.pk = key
                instance._state.adding = False
                instance._state.db = connection.alias
            self.history(table.model, rows, "+")

    def update(self, instances: Sequence[models.Model], fields: Sequence[str]) -> None:
        """Write ``fields`` of stored records (:meth:`BulkTable.update`)."""
        if not instances:
            return
        model = type(instances[0])
        rows = [vars(instance) for instance in instances]
        with transaction.atomic(savepoint=False):
            self.table(model).update(rows, fields)
            self.history(model, rows, "~")

    def insert(self, model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert records given as rows with their keys (the generator's), each with its
        history entry."""
        with transaction.atomic(savepoint=False):
            self.table(model).insert(rows)
            self.history(model, rows, "+")

    def history(
        self, model: type[models.Model], rows: Sequence[Mapping[str, Any]], history_type: str
    ) -> None:
        """One history entry per record of ``model`` (if it keeps history), as ``rows`` hold
        it now."""
        if rows and hasattr(model, "history"):
            self.table(model.history.model).insert(
                rows, history_type=history_type, **self.history_values
            )

    def link(self, through: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert rows of a table without history (a many-to-many table's links)."""
        self.table(through).insert(rows)
