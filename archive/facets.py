"""Facet counts for any FilterSet: how many records have each value, under the current filters.

Standard faceting: each facet is counted under every current filter *except its own* (the
language facet under ``?language=ja&form=letter`` counts letters by language, so a reader can
widen to Russian too). Each facet is one grouped query (``values(...).annotate(Count)``) over
the base queryset the caller passes, which must already be limited to what the requester may
see (``public()`` or ``visible_to(user)``), so counts never include a hidden record.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db.models import Count, QuerySet
from django.http import QueryDict

from archive.catalogue_cache import cached_each, class_key, params_key
from archive.filters import KirokuFilterSet

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

    def count(name: str) -> list[dict[str, Any]]:
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


def _own_filter_removed(
    filterset_class: type[KirokuFilterSet], params: QueryDict, name: str
) -> QueryDict:
    """The filters a facet is counted under: every filter but its own, and no sort order."""
    data = params.copy()
    for param in (*filterset_class.facets[name].excludes, "ordering"):
        data.pop(param, None)
    for param in [param for param in data if not any(data.getlist(param))]:
        del data[param]
    return data


def _count(
    filterset_class: type[KirokuFilterSet],
    data: QueryDict,
    name: str,
    queryset: QuerySet,
    request: Any,
) -> list[dict[str, Any]]:
    facet = filterset_class.facets[name]
    filterset = filterset_class(data=data, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise ValueError(filterset.errors)
    rows = filterset.filter_records().order_by()
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
    return [
        {
            "value": row[facet.value],
            "label": facet.label_for(row[facet.value], row.get(facet.label or "")),
            "count": row["count"],
        }
        for row in counted
        if row[facet.value] not in (None, "")
    ][:FACET_LIMIT]
