"""Pagination for the partner API: keyset cursors by default, page numbers on request.

Cursor (keyset) pagination is the default because it costs the same on the last page of a
million rows as on the first, needs no ``COUNT(*)``, and never skips or repeats a row when
records are added while a harvester pages. The position is the sort key of the last row shown:
every sort order offered by the FilterSets (:class:`archive.filters.Ordering`) ends with the
primary key and has no NULL keys, so ``(key, ..., id) > (row's key, ..., row's id)`` is exact.

``?page=N`` switches to numbered pages with a total ``count`` for clients that need them (a
"page 3 of 12" display); ``page_size`` (1–100, default 20) works with both. A list ranked by
search relevance (``?q=...``, ordering ``relevance``) pages by number: a rank is no keyset.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections import OrderedDict
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import EmptyPage
from django.db.models import Q, QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response

from archive.api.errors import BadQuery
from archive.paging import KeysFirstPaginator

PAGINATION_PARAMS = ("cursor", "page", "page_size")


def _encode(values: list[Any], reverse: bool) -> str:
    plain = [v.isoformat() if isinstance(v, datetime.date) else v for v in values]
    raw = json.dumps({"p": plain, "r": int(reverse)}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(token: str, width: int) -> tuple[list[Any], bool]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw)
        values, reverse = data["p"], bool(data["r"])
    except (binascii.Error, ValueError, KeyError, TypeError) as exc:
        raise BadQuery({"cursor": ["Invalid cursor."]}) from exc
    if not isinstance(values, list) or len(values) != width:
        raise BadQuery({"cursor": ["Invalid cursor."]})
    return values, reverse


def _after(keys: list[tuple[str, bool]], values: list[Any]) -> Q:
    """Rows after ``values`` in the order ``keys`` ((name, descending) pairs): a keyset test.

    The test is led by a plain bound on the first key (``sort_date >= d``), which says nothing
    new but lets the database seek in an index on the order to the cursor's position; an OR of
    the exact conditions alone makes it read the index from the start, so a deep page would
    cost more than the first.
    """
    condition = Q(pk__in=[])
    equal = Q()
    for (name, descending), value in zip(keys, values, strict=True):
        condition |= equal & Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
        equal &= Q(**{name: value})
    first, descending = keys[0]
    return Q(**{f"{first}__{'lte' if descending else 'gte'}": values[0]}) & condition


class KirokuPagination(BasePagination):
    """Keyset cursor pagination, or page numbers when ``page`` is given."""

    page_size = 20
    max_page_size = 100

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get("page_size")
        if raw in (None, ""):
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise BadQuery({"page_size": [f"Enter a whole number from 1 to {self.max_page_size}."]})
        return size

    def paginate_queryset(
        self, queryset: QuerySet, request: Request, view: Any = None
    ) -> list[Any]:
        self.request = request
        self.size = self.get_page_size(request)
        self.count: int | None = None
        self.next_link: str | None = None
        self.previous_link: str | None = None
        if "page" in request.query_params:
            if "cursor" in request.query_params:
                raise BadQuery({"page": ["Give either page or cursor, not both."]})
            return self._paginate_by_number(queryset, request, view)
        if "-search_rank" in queryset.query.order_by:
            if "cursor" in request.query_params:
                raise BadQuery({"cursor": ["A list ranked by relevance pages by page number."]})
            return self._paginate_by_number(queryset, request, view)
        return self._paginate_by_cursor(queryset, request)

    def _paginate_by_number(self, queryset: QuerySet, request: Request, view: Any) -> list[Any]:
        raw = request.query_params.get("page", "1")
        if not raw.isdigit() or int(raw) < 1:
            raise BadQuery({"page": ["Enter a page number from 1."]})
        paginator = KeysFirstPaginator(queryset, self.size)
        # a view may know the list's length without counting it (PartnerViewSet.kept_total)
        total = view.kept_total() if hasattr(view, "kept_total") else None
        if total is not None:
            # ``Paginator.count`` is a cached property: setting it is what computing it does
            paginator.count = total
        try:
            page = paginator.page(int(raw))
        except EmptyPage as exc:
            raise NotFound("Invalid page: there are not that many pages.") from exc
        self.count = paginator.count
        if page.has_next():
            self.next_link = self._link(page=page.next_page_number())
        if page.has_previous():
            self.previous_link = self._link(page=page.previous_page_number())
        return list(page.object_list)

    def _paginate_by_cursor(self, queryset: QuerySet, request: Request) -> list[Any]:
        keys = [
            (name.lstrip("-"), name.startswith("-"))
            for name in queryset.query.order_by
            if isinstance(name, str)
        ]
        if not keys or len(keys) != len(queryset.query.order_by):
            raise TypeError("Cursor pagination needs a queryset ordered by named keys.")
        token = request.query_params.get("cursor")
        reverse = False
        if token:
            values, reverse = _decode(token, len(keys))
            walk = [(name, descending != reverse) for name, descending in keys]
            queryset = queryset.filter(_after(walk, values))
            if reverse:
                queryset = queryset.order_by(
                    *(("" if descending else "-") + name for name, descending in keys)
                )
        # the page's keys first, then its rows by them (see archive.paging): the keys' query
        # has only the filters to plan, the rows' query only the joins
        shown = list(queryset.values_list("pk", flat=True)[: self.size + 1])
        more = len(shown) > self.size
        rows = list(queryset.filter(pk__in=shown[: self.size])) if shown else []
        if reverse:
            rows.reverse()
        if rows:
            if more or reverse:
                self.next_link = self._link(cursor=self._position(rows[-1], keys, reverse=False))
            if token and (more or not reverse):
                self.previous_link = self._link(cursor=self._position(rows[0], keys, reverse=True))
        return rows

    @staticmethod
    def _position(row: Any, keys: list[tuple[str, bool]], *, reverse: bool) -> str:
        return _encode([getattr(row, name) for name, _ in keys], reverse)

    def _link(self, **params: Any) -> str:
        query = self.request.query_params.copy()
        for name in PAGINATION_PARAMS:
            if name != "page_size":
                query.pop(name, None)
        base = self.request.build_absolute_uri(self.request.path)
        items = [(key, value) for key in query for value in query.getlist(key)]
        items += list(params.items())
        return f"{base}?{urlencode(items)}"

    def get_paginated_response(self, data: Any) -> Response:
        return Response(self.get_paginated_data(data))

    def get_paginated_data(self, data: Any) -> OrderedDict:
        return OrderedDict(
            [
                ("count", self.count),
                ("next", self.next_link),
                ("previous", self.previous_link),
                ("results", data),
            ]
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "nullable": True,
                    "description": "Total matches; only with page-number pagination (?page=).",
                },
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
                "results": schema,
                "facets": {
                    "type": "object",
                    "description": "Counts per value of each facet asked for with ?facets=.",
                    "additionalProperties": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["value", "label", "count"],
                            "properties": {
                                # a code or identifier, a year or decade, yes or no
                                "value": {
                                    "oneOf": [
                                        {"type": "string"},
                                        {"type": "integer"},
                                        {"type": "boolean"},
                                    ]
                                },
                                "label": {"type": "string"},
                                "count": {"type": "integer"},
                            },
                        },
                    },
                },
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        return [
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": "Opaque position from a previous response's next or previous link.",
                "schema": {"type": "string"},
            },
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": "Page number; switches to numbered pages with a total count.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": f"Results per page (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
