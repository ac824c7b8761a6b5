"""Facet counts for any FilterSet: how many records have each value, under the current filters.

Standard faceting: each facet is counted under every current filter *except its own* (the
language facet under ``?language=ja&form=letter`` counts letters by language, so a reader can
widen to Russian too). Each facet is one grouped query (``values(...).annotate(Count)``) over
the base queryset the caller passes, which must already be limited to what the requester may
see (``public()`` or ``visible_to(user)``), so counts never include a hidden record; facets a
record has one value of, counted under the same filters, share one query (:class:`SharedPass`).

The counts of the public pages of a kind whose facet values are kept (:mod:`archive.facet_tallies`)
are read instead of grouped: over every public record from the tallies (:class:`KeptCounts`),
and under filters from the values kept per matching record, one pass for the facets counted
under the same filters (:class:`FilteredKeptCounts`); under a search, the facets a shared pass
groups are left to it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cached_property, partial
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, Count, F, QuerySet, When, Window
from django.db.models.functions import RowNumber
from django.http import QueryDict

from archive import facet_tallies
from archive.catalogue_cache import cached_each, class_key, params_key
from archive.filters import Facet, KirokuFilterSet
from archive.models import FacetTally

#: the most values returned per facet (largest counts first)
FACET_LIMIT = 100


class UnknownFacet(ValueError):
    """A facet name the FilterSet does not define."""

    def __init__(self, names: list[str], allowed: list[str]) -> None:
        self.names = names
        self.allowed = allowed
        super().__init__(
            f"Unknown facet(s): {', '.join(names)}. Available: {', '.join(allowed) or 'none'}."
        )


def facet_counts(
    filterset_class: type[KirokuFilterSet],
    params: QueryDict,
    names: list[str],
    queryset: QuerySet,
    request: Any = None,
    *,
    shared: str | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Counts per value of each facet in ``names``: ``{name: [{value, label, count}, ...]}``.

    ``params`` are the request's filter parameters; ``queryset`` the visible records. The
    parameters must be valid (check the FilterSet first): a facet whose filters do not validate
    raises ``ValueError``.

    ``shared`` names a ``queryset`` that is the same for every requester (``"public"`` for
    ``Model.objects.public()``): the counts are then cached until the catalogue changes
    (:mod:`archive.catalogue_cache`). Leave it out for anything narrowed per requester.
    """
    unknown = [name for name in names if name not in filterset_class.facets]
    if unknown:
        raise UnknownFacet(unknown, sorted(filterset_class.facets))
    counted_under = {name: _own_filter_removed(filterset_class, params, name) for name in names}
    passes = _shared_passes(filterset_class, names, counted_under, queryset, request)
    kept: dict[str, KeptCounts] = {}
    if shared == "public":
        # read once for the facets counted under the same filters: over every public record,
        # the tallies; under filters, the values kept per matching record
        groups: dict[str, list[str]] = {}
        for name in names:
            if name not in passes:
                groups.setdefault(repr(params_key(counted_under[name])), []).append(name)
        for group in groups.values():
            data = counted_under[group[0]]
            counts = (
                FilteredKeptCounts(filterset_class, group, data, queryset, request)
                if data
                else KeptCounts(filterset_class, group)
            )
            kept.update(dict.fromkeys(group, counts))

    def count(name: str) -> list[dict[str, Any]]:
        if name in passes:
            return passes[name].counts[name]
        if name in kept and (counts := kept[name].counts(name)) is not None:
            return counts
        return _count(filterset_class, counted_under[name], name, queryset, request)

    if shared is None:
        return {name: count(name) for name in names}
    # each facet is cached on its own, under the filters it is counted with: the subject
    # counts under ``?subject=a`` are the unfiltered page's, and the API and the HTML browse
    # page share what they both count
    cls = class_key(filterset_class)
    return cached_each(
        {
            name: (
                [cls, shared, "facet", name, params_key(counted_under[name])],
                partial(count, name),
            )
            for name in names
        }
    )


class KeptCounts:
    """A FilterSet's facet counts over every public record, read from the tallies kept as
    records change (:mod:`archive.facet_tallies`) instead of grouping the records.

    Two queries for all the facets a page asks for: the largest tallies of each (with the
    marker that says they are complete), then the identifiers and labels of the records they
    name. Only where more values than are shown tie at the last place shown, or many of the
    largest name nothing shown, are further tallies read, a facet at a time."""

    #: tallies read per facet at a time, largest first
    CHUNK = 2 * FACET_LIMIT
    #: whose tallies are read: every public record's (see ``FacetTally.scope``)
    scope = ""

    def __init__(self, filterset_class: type[KirokuFilterSet], names: list[str]) -> None:
        self.kind = filterset_class.search_kind
        kept = facet_tallies.filterset_for(self.kind) is filterset_class
        self.facets = facet_tallies.kept_facets(filterset_class) if kept else {}
        self.names = [name for name in names if name in self.facets]

    def _first_chunks(self) -> dict[str, list[tuple[str, int]]] | None:
        """The largest ``(key, records)`` of each facet, largest first; ``None`` where the
        counts cannot be read this way (the tallies are not complete)."""
        return facet_tallies.first_tallies(self.kind, self.names, self.CHUNK, self.scope)

    def _chunk(self, name: str, start: int) -> list[tuple[str, int]]:
        """The facet's ``(key, records)`` from the ``start``-th largest, :attr:`CHUNK` of
        them."""
        tallies = (
            FacetTally.objects.filter(kind=self.kind, scope=self.scope, facet=name, records__gt=0)
            .order_by("-records", "pk")
            .values_list("value", "records")
        )
        return list(tallies[start : start + self.CHUNK])

    @cached_property
    def _first(self) -> dict[str, list[dict[str, Any]]] | None:
        """The counts of every facet in :attr:`names`; ``None`` if they cannot be read this
        way."""
        first = self._first_chunks()
        if first is None:
            return None
        shown = facet_tallies.resolve(
            self.facets, {name: [key for key, _ in rows] for name, rows in first.items()}
        )
        return {name: self._counts(name, first[name], shown[name]) for name in self.names}

    def counts(self, name: str) -> list[dict[str, Any]] | None:
        """The facet's kept counts; ``None`` if they are not kept or not complete (every facet's
        are read the first time)."""
        if name not in self.names or self._first is None:
            return None
        return self._first[name]

    def _counts(
        self, name: str, chunk: list[tuple[str, int]], shown: dict[str, tuple[Any, Any]]
    ) -> list[dict[str, Any]]:
        """The facet's counts as :func:`_count` gives them: largest first, then by value, at
        most :data:`FACET_LIMIT`. Values are read largest first until no later one can place
        (those naming nothing shown are passed over), so ties at the limit are broken by value
        as the grouped query breaks them."""
        found: list[tuple[Any, Any, int]] = []
        start = 0
        while True:
            found += [(*shown[key], records) for key, records in chunk if key in shown]
            start += len(chunk)
            if len(chunk) < self.CHUNK:
                break
            if len(found) >= FACET_LIMIT and chunk[-1][1] < found[FACET_LIMIT - 1][2]:
                break
            chunk = self._chunk(name, start)
            shown = facet_tallies.resolve(self.facets, {name: [key for key, _ in chunk]})[name]
        found.sort(key=lambda row: (-row[2], row[0]))
        return _listed(self.facets[name].facet, found)


class FilteredKeptCounts(KeptCounts):
    """Facet counts under filters, from the values kept per public record
    (:func:`archive.facet_tallies.counted`): one pass over the matching records' values for
    every facet counted under the same filters, instead of a grouped query per facet. The
    values are then shown as the kept tallies' are.

    A filter by one value whose records have tallies of their own (a scope) reads those
    instead, as :class:`KeptCounts` reads every record's; a pass that counts at least
    :data:`archive.facet_tallies.SCOPE_RECORDS` records of a value that could have them starts
    keeping them (:func:`archive.facet_tallies.keep`) for the readers after it."""

    def __init__(
        self,
        filterset_class: type[KirokuFilterSet],
        names: list[str],
        data: QueryDict,
        queryset: QuerySet,
        request: Any,
    ) -> None:
        super().__init__(filterset_class, names)
        self.filterset_class = filterset_class
        self.data = data
        self.queryset = queryset
        self.request = request
        self._values: dict[str, list[tuple[str, int]]] = {}

    def _first_chunks(self) -> dict[str, list[tuple[str, int]]] | None:
        scope = facet_tallies.scope_of(self.filterset_class, self.data, self.request)
        complete = facet_tallies.complete_scopes(self.kind, "", *([scope] if scope else []))
        if "" not in complete:
            return None
        if scope in complete:
            self.scope = scope
            return super()._first_chunks()
        rows = _filtered(self.filterset_class, self.data, self.queryset, self.request)
        found = facet_tallies.counted(self.kind, rows, self.names)
        if found is None:
            return None
        self._values, matched = found
        if scope is not None and matched >= facet_tallies.SCOPE_RECORDS:
            facet_tallies.keep(self.kind, scope)
        return {name: values[: self.CHUNK] for name, values in self._values.items()}

    def _chunk(self, name: str, start: int) -> list[tuple[str, int]]:
        if self.scope:
            return super()._chunk(name, start)
        return self._values[name][start : start + self.CHUNK]


def kept_total(
    filterset_class: type[KirokuFilterSet], params: QueryDict, request: Any = None
) -> int | None:
    """How many records a list of the public records of ``filterset_class``'s model has, read
    from its kept tallies rather than counted row by row: unfiltered, every public record's;
    filtered by one value whose records' tallies are kept (a scope), that scope's; ``None``
    otherwise, or where the tallies are not kept or complete."""
    kind = filterset_class.search_kind
    if facet_tallies.filterset_for(kind) is not filterset_class:
        return None
    data = _filters(params)
    if not data:
        return facet_tallies.total(kind)
    scope = facet_tallies.scope_of(filterset_class, data, request)
    return None if scope is None else facet_tallies.total(kind, scope)


def _filters(params: QueryDict, removed: Iterable[str] = ()) -> QueryDict:
    """The parameters of ``params`` that filter, less ``removed``: no sort order, no empty
    value."""
    data = params.copy()
    for param in (*removed, "ordering"):
        data.pop(param, None)
    for param in [param for param in data if not any(data.getlist(param))]:
        del data[param]
    return data


def _own_filter_removed(
    filterset_class: type[KirokuFilterSet], params: QueryDict, name: str
) -> QueryDict:
    """The filters a facet is counted under: every filter but its own, and no sort order."""
    return _filters(params, filterset_class.facets[name].excludes)


class SharedPass:
    """Several single-valued facets counted under the same filters in one grouped query.

    Each facet on its own is a query that finds the filtered records again (under a search,
    the matches, then every matching record by key) only to group one column; most of its time
    is that finding. Facets a record has at most one value of (``Facet.single_valued``: a
    form, a repository, a year) are grouped together instead, by every combination of their
    values, and each facet's counts are summed from those rows. A restricted facet's value is
    NULL where the restriction fails, so it drops out of that facet's counts only. The query
    runs when the first of its facets is asked for (a cached facet asks for nothing).

    On PostgreSQL one facet a record may have several values of, each once (a language), can
    join the pass (``joined``): the records are joined to its values, which repeats a record
    once per value, and ``GROUPING SETS`` groups the joined rows twice — by the combinations of
    the other facets' values, counting each record on one of its rows only (the first, numbered
    by a window over the record's rows), and by the joined facet's values, counting every row.
    In each set's rows the other set's columns are NULL, so each facet sums only its own set's
    rows. Counting distinct records instead would sort all the joined rows once more (at
    100,000 matches, 654–751 ms against 544–557).
    """

    def __init__(
        self,
        filterset_class: type[KirokuFilterSet],
        data: QueryDict,
        names: list[str],
        queryset: QuerySet,
        request: Any,
        joined: str | None = None,
    ) -> None:
        self.filterset_class = filterset_class
        self.data = data
        self.names = names
        self.queryset = queryset
        self.request = request
        #: the facet of ``names`` a record may have several values of, if one joins the pass
        self.joined = joined

    @cached_property
    def counts(self) -> dict[str, list[dict[str, Any]]]:
        facets = {name: self.filterset_class.facets[name] for name in self.names}
        rows = _filtered(self.filterset_class, self.data, self.queryset, self.request)
        for facet in facets.values():
            rows = rows.annotate(**facet.annotate)
        columns: dict[str, Any] = {}

        def column(facet: Facet, path: str) -> int:
            """Select ``path`` (NULL where the facet's restriction fails); its place in a row."""
            expression: Any = F(path)
            if facet.restrict:
                expression = Case(When(facet.restrict, then=expression), default=None)
            columns[f"c{len(columns)}"] = expression
            return len(columns) - 1

        # each facet's (value, label) places in a row; a facet without a label reads its value
        positions = []
        for facet in facets.values():
            value = column(facet, facet.value)
            positions.append((value, column(facet, facet.label) if facet.label else value))
        if self.joined is None:
            grouped: Iterable[Sequence[Any]] = (
                rows.values(**columns)
                .annotate(facet_rows=Count("id"))
                .order_by()
                .values_list(*columns, "facet_rows")
            )
        else:
            grouped = self._joined_rows(rows, columns, dict(zip(facets, positions, strict=True)))
        totals: dict[str, Counter[tuple[Any, Any]]] = {name: Counter() for name in facets}
        # a row's last column counts its records; with a joined facet, the others count the
        # next to last (one row per record) and the joined one the last (every row)
        count_at = {name: -2 if self.joined not in (None, name) else -1 for name in facets}
        for row in grouped:
            for name, (value, label) in zip(facets, positions, strict=True):
                if row[value] is not None:  # no value (undated): no comparison in the sort
                    totals[name][row[value], row[label]] += row[count_at[name]]
        return {
            name: _listed(
                facet,
                (
                    (value, label, count)
                    for (value, label), count in sorted(
                        totals[name].items(), key=lambda item: (-item[1], item[0][0])
                    )
                ),
            )
            for name, facet in facets.items()
        }

    def _joined_rows(
        self, rows: QuerySet, columns: dict[str, Any], positions: dict[str, tuple[int, int]]
    ) -> list[tuple[Any, ...]]:
        """The grouped rows with the ``joined`` facet (see the class docstring): each row's
        columns, then the records it counts (one row each), then the rows it counts.

        Django's ORM neither groups by grouping sets nor aggregates over a window: the rows
        with their window are its query, and the grouping is written around it."""
        joined = positions[self.joined]
        inner = rows.values(**columns, row=Window(RowNumber(), partition_by=F("pk"))).order_by()
        connection = connections[inner.db]
        compiler = inner.query.get_compiler(connection=connection)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # a search with nothing searchable in it: no records
            return []
        qn = connection.ops.quote_name
        others = [
            place
            for name, places in positions.items()
            if name != self.joined
            for place in dict.fromkeys(places)
        ]
        sets = [others, list(dict.fromkeys(joined))]
        grouping = ", ".join(
            "(" + ", ".join(f"{place + 1}" for place in chosen) + ")" for chosen in sets
        )
        outer = (
            f"SELECT {', '.join(qn(alias) for alias in columns)},"  # nosec B608 (aliases above)
            f" COUNT(*) FILTER (WHERE {qn('row')} = 1), COUNT(*) FROM ({sql}) AS joined_rows"
            f" GROUP BY GROUPING SETS ({grouping})"
        )
        with connection.cursor() as cursor:
            cursor.execute(outer, params)
            fetched = cursor.fetchall()
        # converted as Django converts its own rows (a year extracted as a number)
        selected = [expression for expression, _, _ in compiler.select[: len(columns)]]
        converters = compiler.get_converters(selected)
        if not converters:
            return fetched
        return [tuple(row) for row in compiler.apply_converters(fetched, converters)]


def _shared_passes(
    filterset_class: type[KirokuFilterSet],
    names: list[str],
    counted_under: dict[str, QueryDict],
    queryset: QuerySet,
    request: Any,
) -> dict[str, SharedPass]:
    """The shared pass each facet is counted in, for facets that have companions: single-valued
    facets with few values, counted under the same full-text search and filters, and on
    PostgreSQL the first facet of several values per record that can join them
    (:func:`_joins_shared_pass`; at a million documents and 100,000 matches, the language with
    form, repository and year took 382–420 ms in one query, 527–651 ms in two).

    Only under a search: there, finding the records is the cost (the matches, then each
    matching record by key), and a facet counted on its own repeats it. Without one, each
    facet's own query groups in the order of an index on its column, and one query grouping
    by several columns would sort every record instead (at a million documents, four facets:
    4.7 s in one query against 1.7 s in four). A facet with many values (``many_values``, a
    collection) is counted on its own too: with it, nearly every record is its own
    combination of values, and the grouping costs more than the finding it saves.
    """
    groups: dict[str, list[str]] = {}
    joinable: dict[str, str] = {}  # the first facet that can join each group
    for name in names:
        facet = filterset_class.facets[name]
        if facet.many_values or not filterset_class.searches_full_text(counted_under[name]):
            continue
        key = repr(params_key(counted_under[name]))
        if facet.single_valued(queryset.model):
            groups.setdefault(key, []).append(name)
        elif _joins_shared_pass(facet, queryset):
            joinable.setdefault(key, name)
    passes: dict[str, SharedPass] = {}
    for key, single in groups.items():
        joined = joinable.get(key)
        together = [*single, joined] if joined else single
        if len(together) > 1:
            shared = SharedPass(
                filterset_class, counted_under[together[0]], together, queryset, request, joined
            )
            passes.update(dict.fromkeys(together, shared))
    return passes


def _joins_shared_pass(facet: Facet, queryset: QuerySet) -> bool:
    """Whether a facet a record may have several values of can join a shared pass
    (:class:`SharedPass`): on PostgreSQL (SQLite has no ``GROUPING SETS``), grouped by its
    columns alone (no counter), unrestricted (a restriction on the joined rows would join them
    twice), and each value at most once per record (its set counts rows, not records)."""
    return (
        connections[queryset.db].vendor == "postgresql"
        and facet.counter is None
        and not facet.restrict
        and not facet.counts_distinct(queryset.model)
    )


def _filtered(
    filterset_class: type[KirokuFilterSet], data: QueryDict, queryset: QuerySet, request: Any
) -> QuerySet:
    """The records ``data`` filters ``queryset`` to, unordered."""
    filterset = filterset_class(data=data, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise ValueError(filterset.errors)
    return filterset.filter_records().order_by()


def _count(
    filterset_class: type[KirokuFilterSet],
    data: QueryDict,
    name: str,
    queryset: QuerySet,
    request: Any,
) -> list[dict[str, Any]]:
    facet = filterset_class.facets[name]
    rows = _filtered(filterset_class, data, queryset, request)
    if facet.counter is not None:
        return [
            {"value": row["value"], "label": str(row["label"]), "count": row["count"]}
            for row in facet.counter(rows, FACET_LIMIT)
        ]
    if facet.annotate:
        rows = rows.annotate(**facet.annotate)
    group = [facet.value] + ([facet.label] if facet.label else [])
    # Records without a value (no subject, undated) group under NULL, which is dropped here
    # rather than excluded in SQL: over a many-valued relation ``exclude(...isnull)`` becomes
    # a correlated NOT EXISTS run once per record, the slowest part of the count. One row more
    # than the limit leaves room for that group.
    counted = (
        rows.filter(facet.restrict)
        .values(*group)
        .annotate(count=Count("id", distinct=facet.counts_distinct(queryset.model)))
        .order_by("-count", facet.value)[: FACET_LIMIT + 1]
    )
    return _listed(
        facet,
        ((row[facet.value], row.get(facet.label or ""), row["count"]) for row in counted),
    )


def _listed(facet: Facet, counted: Iterable[tuple[Any, Any, int]]) -> list[dict[str, Any]]:
    """A facet's ``(value, label, count)`` rows, largest first, as the pages and the API list
    them: the records without a value (NULL or blank) left out, at most :data:`FACET_LIMIT`."""
    return [
        {"value": value, "label": facet.label_for(value, label), "count": count}
        for value, label, count in counted
        if value not in (None, "")
    ][:FACET_LIMIT]
