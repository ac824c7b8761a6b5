"""Facet counts kept as records change, so the unfiltered browse page groups nothing.

Counting every public document by each facet takes seconds at a million documents (the agents
and their roles alone, grouping some four million links), and the catalogue cache keeps the
result only until the next change. The counts of the unfiltered page are therefore kept in
:class:`~archive.models.FacetTally`, one row per facet value, moved by the difference each time
a record is written:

* **Which records**: those of the kinds in :data:`KEPT`, whose FilterSet defines the facets.
  Their values are worked out from the FilterSet's own :class:`~archive.filters.Facet`
  definitions (the same paths, restrictions and annotations the grouped queries use), so a
  kept count is by construction the count the query would give.
* **When**: beside the record's search entry (:mod:`archive.search.indexing`), which is
  rewritten whenever the record or anything in it changes and exists only for a public record.
  The values last counted for each record are stored (:class:`~archive.models.RecordFacets`),
  so a rewrite takes the old ones out and adds the new; a record that stops being public takes
  its values out. Everything that changes a value re-indexes the record
  (:mod:`archive.search.signals`).
* **What is resolved when read**: a value that is another record (a repository, an agent, a
  language) is kept as that record's primary key, and its identifier and label are read with
  the counts: a renamed or re-identified agent needs no recount, and where the facet shows only
  public records of that kind (the repository facet shows public repositories), the rule is
  applied when reading, so publishing or withdrawing a repository moves no count either.
* **Complete or not**: the tallies of a kind are read only while their marker row exists
  (``facet`` and ``value`` empty, ``records`` the number of records counted). A new archive
  starts with it; an archive indexed before tallies were kept gets it from :func:`recount`,
  which ``migrate`` runs once, and until then its pages count the slow way.
* **Under a filter by one value many records have** (``?language=ja``): the records that have
  the value are a *scope* with tallies of its own, started by the first page that counts at
  least :data:`SCOPE_RECORDS` of them (:func:`keep`) and moved with the others from then on,
  so the next reader after a change reads them too instead of passing over every matching
  record's values (:func:`counted`). Only for facets whose filter by one value selects exactly
  the records that have it (``KirokuFilterSet.scoped_facets``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, router, transaction
from django.db.models import CharField, F, Model, Q, QuerySet, Value
from django.utils.module_loading import import_string

from archive.bulk import BulkTable
from archive.catalogue_cache import class_key, params_key
from archive.filters import keys_of, per_request
from archive.models import FacetTally, RecordFacets, SearchKind
from archive.models.base import Publishable

if TYPE_CHECKING:
    from django.http import QueryDict

    from archive.filters import Facet, KirokuFilterSet

#: the kinds of record whose facet counts are kept, and the FilterSet that defines the facets
KEPT: dict[str, str] = {SearchKind.DOCUMENT: "documents.filters.DocumentFilterSet"}
#: the marker row's facet and value (see the module docstring)
MARKER = ("", "")
#: rows per statement when moving tallies (five parameters each, under SQLite's limit)
STATEMENT_ROWS = 200
#: the records a filter by one value must match for its tallies to be kept (:func:`keep`):
#: fewer are counted from their kept values in a few milliseconds (at a million documents,
#: 10,000 in about 40 ms), and each scope kept is moved with every write of its records
SCOPE_RECORDS = 10_000


@cache
def filterset_for(kind: str) -> type[KirokuFilterSet] | None:
    """The FilterSet whose facets are kept for records of ``kind`` (``None``: not kept)."""
    return import_string(KEPT[kind]) if kind in KEPT else None


@dataclass(frozen=True)
class KeptFacet:
    """How one facet's values are kept: as the primary key of the record they name (``model``
    reached through ``relation``), or as the value and label themselves."""

    name: str
    facet: Facet
    model: type[Model] | None = None
    relation: str | None = None
    #: apply the facet's restriction when reading (``model``'s public rule), not when counting
    public_at_read: bool = False

    def members(self, rows: QuerySet) -> Iterator[tuple[int, str]]:
        """``(pk, key)`` for every value of every record in ``rows``; keys are JSON lists."""
        facet = self.facet
        if facet.members is not None:
            for pk, value, label in facet.members(rows):
                if value not in (None, ""):
                    yield pk, json.dumps([value] if label is None else [value, label])
            return
        if not self.public_at_read:
            rows = rows.filter(facet.restrict)
        if facet.annotate:
            rows = rows.annotate(**facet.annotate)
        if self.relation is not None:
            columns = [self.relation]
        else:
            columns = [facet.value, *([facet.label] if facet.label else [])]
        for pk, *values in rows.values_list("pk", *columns):
            if values[0] not in (None, ""):
                yield pk, json.dumps(values)

    def shown(self, keys: Sequence[str]) -> QuerySet | dict[str, tuple[Any, Any]]:
        """What ``keys`` show: ``{key: (value, label)}`` for values kept as themselves; for
        values that are records, the query for ``(facet, pk, identifier, label)`` of those
        shown (a deleted record, or one the facet's rule hides, is not), which
        :func:`resolve` runs together with the other facets'."""
        if self.model is None:
            return {key: _value_and_label(json.loads(key)) for key in keys}
        related = self.model._default_manager.filter(pk__in=[json.loads(key)[0] for key in keys])
        if self.public_at_read:
            related = related.filter(self.model.public_q())  # type: ignore[attr-defined]
        value_field = self.facet.value.rsplit("__", 1)[-1]
        label_field = self.facet.label.rsplit("__", 1)[-1] if self.facet.label else value_field
        return related.order_by().values_list(
            Value(self.name, output_field=CharField()), "pk", value_field, label_field
        )


def resolve(kept: dict[str, KeptFacet], keys: dict[str, Sequence[str]]) -> dict[str, dict]:
    """``{facet: {key: (value, label)}}`` for the ``keys`` of each facet that show something:
    the records they name read in one query (a ``UNION ALL`` of one ``SELECT`` per facet)."""
    resolved: dict[str, dict[str, tuple[Any, Any]]] = {name: {} for name in keys}
    queries = []
    for name, facet_keys in keys.items():
        shown = kept[name].shown(facet_keys) if facet_keys else {}
        if isinstance(shown, dict):
            resolved[name] = shown
        else:
            queries.append(shown)
    if queries:
        rows = queries[0].union(*queries[1:], all=True).order_by() if queries[1:] else queries[0]
        for name, pk, value, label in rows:
            resolved[name][json.dumps([pk])] = (value, label)
    return resolved


def first_tallies(
    kind: str, names: Sequence[str], size: int, scope: str = ""
) -> dict[str, list[tuple[str, int]]] | None:
    """The ``size`` largest tallies of each facet in ``names`` (of ``scope``'s records), largest
    first, read in one statement; ``None`` if those tallies are not complete (no marker row)."""
    connection = connections[router.db_for_read(FacetTally)]
    qn = connection.ops.quote_name
    table = qn(FacetTally._meta.db_table)
    kind_, scope_, facet, value, records = (
        qn(c) for c in ("kind", "scope", "facet", "value", "records")
    )
    select = (
        f"SELECT {facet}, {value}, {records} FROM {table}"  # nosec B608 (names from metadata)
        f" WHERE {kind_} = %s AND {scope_} = %s"
    )
    marker = f"{select} AND {facet} = '' AND {value} = ''"
    largest = f"{select} AND {facet} = %s AND {records} > 0 ORDER BY {records} DESC, {qn('id')}"
    parts = [f"SELECT * FROM ({marker}) AS marker"]  # nosec B608 (names from metadata)
    params: list[Any] = [kind, scope]
    for number, name in enumerate(names):
        parts.append(f"SELECT * FROM ({largest} LIMIT %s) AS f{number}")  # nosec B608
        params += [kind, scope, name, size]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    if not any(row[0] == "" for row in rows):
        return None
    found: dict[str, list[tuple[str, int]]] = {name: [] for name in names}
    for name, key, count in sorted(rows, key=lambda row: -row[2]):
        if name:
            found[name].append((key, count))
    return found


def _value_and_label(key: list[Any]) -> tuple[Any, Any]:
    return key[0], key[1] if len(key) > 1 else None


@cache
def kept_facets(filterset_class: type[KirokuFilterSet]) -> dict[str, KeptFacet]:
    """The facets of ``filterset_class`` whose counts can be kept, by name: every facet grouped
    by a path, and those with a ``counter`` that also say each record's values (``members``)."""
    model = filterset_class._meta.model
    kept = {}
    for name, facet in filterset_class.facets.items():
        if facet.counter is not None:
            if facet.members is not None:
                kept[name] = KeptFacet(name, facet)
            continue
        kept[name] = _path_facet(model, name, facet)
    return kept


def _path_facet(model: type[Model], name: str, facet: Facet) -> KeptFacet:
    """A facet grouped by a path: kept by the primary key of the record the path ends in when
    its value is that record's unique key (an identifier, a code) and its label, if any, is
    read from the same record; otherwise by the value itself."""
    *relations, column = facet.value.split("__")
    if not relations or facet.annotate:
        return KeptFacet(name, facet)
    related: Any = model
    for part in relations:
        related = related._meta.get_field(part).related_model
        if related is None:
            return KeptFacet(name, facet)
    relation = "__".join(relations)
    same_record = facet.label is None or facet.label.startswith(relation + "__")
    if not (related._meta.get_field(column).unique and same_record):
        return KeptFacet(name, facet)
    public_at_read = issubclass(related, Publishable) and facet.restrict == related.public_q(
        relation + "__"
    )
    return KeptFacet(name, facet, related, relation, public_at_read)


def record_values(kind: str, ids: Sequence[int]) -> dict[int, set[str]]:
    """Each record's kept facet values, as ``facet<TAB>key`` lines (a query per facet, two
    for a place); ``ids`` are public records, each given a set, empty if it has no value."""
    filterset_class = filterset_for(kind)
    values: dict[int, set[str]] = {pk: set() for pk in ids}
    if filterset_class is None or not ids:
        return values
    rows = filterset_class._meta.model._default_manager.filter(pk__in=ids).order_by()
    for kept in kept_facets(filterset_class).values():
        for pk, key in kept.members(rows):
            values[pk].add(f"{kept.name}\t{key}")
    return values


def counted(
    kind: str, rows: QuerySet, names: Collection[str]
) -> tuple[dict[str, list[tuple[str, int]]], int] | None:
    """How many of ``rows`` (public records of ``kind``) have each value of the facets
    ``names``, from the values kept per record: ``{facet: [(key, records), ...]}``, largest
    first, and how many ``rows`` there are; ``None`` if some of ``rows`` have no values kept
    (the caller checks first that the tallies, and so the values kept per record, are
    complete: :func:`complete_scopes`): records made public without their search entry rewritten
    (``QuerySet.update``, a bulk ``INSERT`` not followed by ``archive.search.reindex``) are
    then counted the slow way rather than left out.

    The counts of a filtered page in one pass over the matching records' values, where
    grouping the records by each facet joins them to its relation once per facet: at a million
    documents, the 342,280 in Japanese took 16 s in nine grouped queries on PostgreSQL (6 s on
    SQLite), and 2 s (1.5 s) read this way. Each matching record is joined to its values
    (``LEFT JOIN``), so a record without them is seen in the same pass as the others' values,
    and the records are found once (under a search, finding them is most of the cost)."""
    try:
        matching, params = rows.order_by().values(matched=F("pk")).query.sql_with_params()
    except EmptyResultSet:
        return {name: [] for name in names}, 0
    connection = connections[rows.db]
    qn = connection.ops.quote_name
    table, values, kind_, object_id = (
        qn(name) for name in (RecordFacets._meta.db_table, "values", "kind", "object_id")
    )
    sql = (
        f"SELECT stored.{values} FROM ({matching}) AS matching"  # nosec B608
        f" LEFT JOIN {table} AS stored"  # nosec B608 (names from metadata)
        f" ON stored.{kind_} = %s AND stored.{object_id} = matching.{qn('matched')}"
    )
    lines: Counter[str] = Counter()
    matched = 0
    # PostgreSQL reads through a server-side cursor, which outside a transaction it keeps past
    # the statement by copying the whole result first (twice the time): it gets a transaction
    # of its own (SQLite's cursors copy nothing, and its transactions take the write lock)
    own = connection.vendor == "postgresql" and connection.get_autocommit()
    read = transaction.atomic(using=rows.db) if own else nullcontext()
    with read, connection.chunked_cursor() as cursor:
        cursor.execute(sql, [*params, kind])
        while chunk := cursor.fetchmany(5000):
            for (text,) in chunk:
                if text is None:
                    return None
                lines.update(_lines(text))
            matched += len(chunk)
    found: dict[str, list[tuple[str, int]]] = {name: [] for name in names}
    for line, records in lines.items():
        name, key = line.split("\t", 1)
        if name in found:
            found[name].append((key, records))
    for values in found.values():
        values.sort(key=lambda value: -value[1])
    return found, matched


def scope_of(
    filterset_class: type[KirokuFilterSet], data: QueryDict, request: Any = None
) -> str | None:
    """The scope whose records are exactly those ``data`` selects: the value's
    ``facet<TAB>key`` line if ``data`` is one filter by one value of a facet in the FilterSet's
    ``scoped_facets`` and the value names a record (or is kept as itself, a role's code, yes
    or no, a place's identifier with its name); ``None`` otherwise. Worked out once per
    ``request`` (the facet counts and the list's length both ask), the record looked up as the
    filter looks it up (``keys_of``)."""
    if len(data) != 1:
        return None
    (name,) = data
    kept = kept_facets(filterset_class).get(name)
    if name not in filterset_class.scoped_facets or kept is None:
        return None

    def scope() -> str | None:
        form = filterset_class(data).form
        values = form.cleaned_data.get(name) if form.is_valid() else None
        if isinstance(values, bool):  # a yes/no filter's one value
            values = [values]
        if not values or len(values) != 1:
            return None
        if kept.model is None:
            return _value_scope(filterset_class.search_kind, name, kept.facet, values[0])
        field = kept.facet.value.rsplit("__", 1)[-1]
        keys = keys_of(kept.model._default_manager.filter(**{f"{field}__in": values}), request)
        return f"{name}\t{json.dumps(keys)}" if len(keys) == 1 else None

    return per_request(request, f"scope {class_key(filterset_class)} {params_key(data)}", scope)


def _value_scope(kind: str, name: str, facet: Facet, value: Any) -> str | None:
    """The scope of a facet kept as the value itself (:func:`scope_of`): the value's key, or,
    where it is kept with a label (a place's name, given by ``members``), the one key of the
    value among the tallies (none for a value no public record has, or while a renamed value's
    old key still counts records)."""
    if facet.annotate:
        return None  # kept as something the filter's value is not (a year of a date)
    key = json.dumps([value])
    if not (facet.label or facet.members):
        return f"{name}\t{key}"
    tallies = FacetTally.objects.filter(kind=kind, scope="", facet=name, records__gt=0)
    labelled = Q(value=key) | Q(value__startswith=key[:-1] + ", ")
    keys = list(tallies.filter(labelled).values_list("value", flat=True)[:2])
    return f"{name}\t{keys[0]}" if len(keys) == 1 else None


def share(kind: str, facet: str, keys: Collection[str]) -> float:
    """The part of the public records of ``kind`` that have one of the values ``keys`` (as the
    tallies key them) of ``facet``, from the tallies of every record (a record with two of
    them counted twice); ``0`` if they are not complete."""
    rows = FacetTally.objects.filter(
        kind=kind, scope="", facet__in=[facet, MARKER[0]], value__in=[*keys, MARKER[1]]
    )
    records = dict.fromkeys([facet, MARKER[0]], 0)
    for name, count in rows.values_list("facet", "records"):
        records[name] += count
    return records[facet] / records[MARKER[0]] if records[MARKER[0]] else 0.0


def keep(kind: str, scope: str) -> None:
    """Start keeping the tallies of ``scope``'s records (see the module docstring): counted
    from the values kept per record, under a lock that makes every write of tallies wait, so
    none moves the others while these are counted and none after them misses them (on SQLite
    the write lock does this; on PostgreSQL a lock on the tallies' table that
    :func:`replace` also takes, before it reads which scopes there are)."""
    with transaction.atomic(using=router.db_for_write(FacetTally)):
        _lock_tallies("SHARE ROW EXCLUSIVE")
        if complete_scopes(kind, "", scope) != {""}:
            return  # counted the slow way, or kept already (by another reader)
        totals: Counter[str] = Counter()
        records = 0
        # the records whose values have the scope's line: found by text first, then by line
        # (the text can also end a longer line, of a facet whose name ends with this one's)
        stored = RecordFacets.objects.filter(kind=kind, values__contains=scope).order_by()
        for text in stored.values_list("values", flat=True).iterator(chunk_size=5000):
            lines = _lines(text)
            if scope in lines:
                totals.update(lines)
                records += 1
        _insert_tallies(kind, scope, totals, records)


def _lock_tallies(mode: str) -> None:
    """On PostgreSQL, lock the tallies' table in ``mode`` until the transaction ends (see
    :func:`keep`); SQLite's write lock already serialises writers."""
    connection = connections[router.db_for_write(FacetTally)]
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(FacetTally._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN {mode} MODE")  # nosec B608 (constants)


def _insert_tallies(kind: str, scope: str, totals: Counter[str], records: int) -> None:
    """Write the complete tallies of ``scope``: ``totals`` by ``facet<TAB>value`` line, and the
    marker counting ``records``. On PostgreSQL by ``COPY``: a scope of a million documents has
    some 100,000 values, which multi-row ``INSERT``s took 4.8 s to write (most of it the
    driver parsing statements of thousands of parameters), ``executemany`` 1.9 s."""
    connection = connections[router.db_for_write(FacetTally)]
    names = ("kind", "scope", "facet", "value", "records")
    rows = [
        (kind, scope, facet, value, count)
        for line, count in sorted(totals.items())
        for facet, value in [line.split("\t", 1)]
    ]
    rows.append((kind, scope, *MARKER, records))
    if connection.vendor != "postgresql":
        BulkTable(FacetTally, None).insert([dict(zip(names, row, strict=True)) for row in rows])
        return
    qn = connection.ops.quote_name
    table = qn(FacetTally._meta.db_table)
    statement = f"COPY {table} ({', '.join(qn(name) for name in names)}) FROM STDIN"  # nosec B608
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _lines(text: str) -> list[str]:
    return text.split("\n") if text else []


def replace(kind: str, ids: Sequence[int], values: dict[int, set[str]]) -> None:
    """Count ``values`` (the public records among ``ids``) in place of what was counted for
    ``ids`` before; a record of ``ids`` without values is no longer counted."""
    if kind not in KEPT or not ids:
        return
    with transaction.atomic():
        scopes = _scopes(kind)
        stored = RecordFacets.objects.filter(kind=kind, object_id__in=ids)
        delta: Counter[tuple[str, str]] = Counter()
        records: Counter[str] = Counter()
        for text in stored.values_list("values", flat=True):
            lines = _lines(text)
            for scope in _scopes_of(lines, scopes):
                delta.subtract((scope, line) for line in lines)
                records[scope] -= 1
        stored.delete()
        for lines in values.values():
            for scope in _scopes_of(lines, scopes):
                delta.update((scope, line) for line in lines)
                records[scope] += 1
        _store(kind, values)
        _move(kind, delta, records)


def _scopes(kind: str) -> frozenset[str]:
    """The scopes of ``kind`` whose tallies are kept; on PostgreSQL read under the lock that
    :func:`keep` waits for, so a scope being counted is not missed."""
    _lock_tallies("ROW EXCLUSIVE")
    markers = FacetTally.objects.filter(kind=kind, facet=MARKER[0], value=MARKER[1])
    return frozenset(markers.exclude(scope="").values_list("scope", flat=True))


def _scopes_of(lines: Collection[str], scopes: frozenset[str]) -> list[str]:
    """The scopes whose tallies count a record with ``lines``: every record's, ``""``, and
    those of its values that are kept."""
    return ["", *scopes.intersection(lines)] if scopes else [""]


def _store(kind: str, values: dict[int, set[str]]) -> None:
    BulkTable(RecordFacets, None).insert(
        [
            {"kind": kind, "object_id": pk, "values": "\n".join(sorted(lines))}
            for pk, lines in values.items()
        ]
    )


def remove(kind: str, ids: Sequence[int]) -> None:
    """Stop counting the records ``ids`` (deleted, or no longer public)."""
    replace(kind, ids, {})


def _move(kind: str, delta: Counter[tuple[str, str]], records: Counter[str]) -> None:
    """Add ``delta`` (by scope and line) to the tallies (new values get a row) and ``records``
    (by scope) to the markers.

    Rows are written in one order (sorted), so two transactions moving the same tallies on
    PostgreSQL wait for each other rather than deadlock. A marker is only updated, never
    created: tallies become complete only by :func:`recount` (a scope's, by :func:`keep`)."""
    rows = sorted(
        (scope, facet, value, change)
        for (scope, line), change in delta.items()
        if change
        for facet, value in [line.split("\t", 1)]
    )
    connection = connections[router.db_for_write(FacetTally)]
    qn = connection.ops.quote_name
    table = qn(FacetTally._meta.db_table)
    columns = ", ".join(qn(c) for c in ("kind", "scope", "facet", "value", "records"))
    records_column = qn("records")
    key = ", ".join(qn(column) for column in ("kind", "facet", "value", "scope"))
    upsert = (
        f"ON CONFLICT ({key}) DO UPDATE"  # nosec B608 (names from metadata)
        f" SET {records_column} = {table}.{records_column} + EXCLUDED.{records_column}"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), STATEMENT_ROWS):
            chunk = rows[start : start + STATEMENT_ROWS]
            values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values} {upsert}",  # nosec B608
                [part for row in chunk for part in (kind, *row)],
            )
    for scope, change in sorted(records.items()):
        if change:
            FacetTally.objects.filter(
                kind=kind, scope=scope, facet=MARKER[0], value=MARKER[1]
            ).update(records=F("records") + change)


def recount(kind: str, ids: Iterable[int], batch: int = 500) -> int:
    """Count the records ``ids`` (every public record of ``kind``) from scratch and mark the
    tallies complete; returns the number of records counted."""
    ids = list(ids)
    with transaction.atomic():
        RecordFacets.objects.filter(kind=kind).delete()
        FacetTally.objects.filter(kind=kind).delete()
        totals: Counter[str] = Counter()
        for start in range(0, len(ids), batch):
            values = record_values(kind, ids[start : start + batch])
            for lines in values.values():
                totals.update(lines)
            _store(kind, values)
        _insert_tallies(kind, "", totals, len(ids))
    return len(ids)


def complete(kind: str) -> bool:
    """Whether the tallies of ``kind`` may be read (their marker exists)."""
    return total(kind) is not None


def complete_scopes(kind: str, *scopes: str) -> set[str]:
    """Those of ``scopes`` whose tallies may be read (``""``: every record's), in one query."""
    markers = FacetTally.objects.filter(
        kind=kind, scope__in=scopes, facet=MARKER[0], value=MARKER[1]
    )
    return set(markers.values_list("scope", flat=True))


def total(kind: str, scope: str = "") -> int | None:
    """How many records of ``kind`` are counted, which is every public one (the marker's
    ``records``), or those of ``scope``; ``None`` if those tallies are not complete."""
    marker = FacetTally.objects.filter(kind=kind, scope=scope, facet=MARKER[0], value=MARKER[1])
    return marker.values_list("records", flat=True).first()
