"""Full-text search across scripts, behind one small interface.

For lists and FilterSets (the ``q`` parameter)::

    from archive import search

    Document.objects.filter(pk__in=search.matching_ids(q, "document"))     # composable, lazy
    search.with_relevance(queryset, q, "document").order_by("-search_rank")  # filter + rank

For the search page::

    search.search(q, kinds=["document", "agent"], limit=20, offset=0)  # -> list[Hit]
    search.count_by_kind(q)                                             # -> {"document": 12, ...}

For code that writes records without ``save()`` (bulk imports, queryset updates)::

    search.reindex("document", ids)        # or, around many saves: with search.batch(): ...
    search.reindex_agents(ids)             # an agent and every record that carries its names

The index holds public content only (see :mod:`archive.search.indexing`), normalised so that
case, diacritics, ё/е and Japanese without spaces are handled the same way by both engines (see
:mod:`archive.search.text`). The engine is chosen by the database: SQLite FTS5 or PostgreSQL
full text (:mod:`archive.search.backends`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.safestring import SafeString

from archive.models import SearchEntry, SearchKind
from archive.search.backends import get_backend
from archive.search.indexing import batch, rebuild, reindex, reindex_agents, remove, suspended
from archive.search.text import Query, highlight, normalize, parse_query, snippet

__all__ = [
    "Hit",
    "Query",
    "SearchKind",
    "batch",
    "count_by_kind",
    "highlight",
    "matching_ids",
    "normalize",
    "parse_query",
    "rebuild",
    "reindex",
    "reindex_agents",
    "remove",
    "search",
    "snippet",
    "suspended",
    "with_relevance",
]


def _model(kind: str) -> type[Any]:
    from archive.models import Collection
    from documents.models import Document, Publication
    from people.models import Agent

    return {
        SearchKind.DOCUMENT: Document,
        SearchKind.AGENT: Agent,
        SearchKind.COLLECTION: Collection,
        SearchKind.PUBLICATION: Publication,
    }[kind]


def _as_query(query: str | Query) -> Query:
    return query if isinstance(query, Query) else parse_query(query)


@dataclass
class Hit:
    """One search result: the record's kind, id and title, its rank, and snippets.

    ``title_html`` and ``snippet`` are escaped HTML with the matched words in ``<mark>``;
    ``object`` is the record itself when :func:`search` was asked to load it.
    """

    kind: str
    object_id: int
    identifier: str
    title: str
    rank: float
    title_html: SafeString
    snippet: SafeString
    object: Any = field(default=None, repr=False)

    @property
    def url(self) -> str:
        if self.object is not None:
            return self.object.get_absolute_url()
        return _model(self.kind)(identifier=self.identifier).get_absolute_url()

    @property
    def kind_label(self) -> str:
        return SearchKind(self.kind).label


def matching_ids(query: str | Query, kind: str) -> QuerySet:
    """The primary keys of the public records of ``kind`` that match ``query``, lazily.

    A subquery for ``Model.objects.filter(pk__in=...)``: it adds no query of its own, so it
    composes with any other filter and with facet counts. A query with nothing searchable in it
    (only punctuation) matches nothing.
    """
    parsed = _as_query(query)
    entries = SearchEntry.objects.filter(kind=kind)
    if not parsed:
        return entries.none().values("object_id")
    return get_backend().filter_entries(entries, parsed).values("object_id")


def with_relevance(queryset: QuerySet, query: str | Query, kind: str) -> QuerySet:
    """``queryset`` of records of ``kind`` limited to those matching ``query``, ranked.

    Each row gets ``search_rank`` (larger is better) for ``.order_by("-search_rank")``. The
    index is joined into the same query, so filters, facets and paging compose with it and no
    query is added. Use it in place of :func:`matching_ids` when the list is sorted by relevance.
    """
    parsed = _as_query(query)
    if not parsed:
        return queryset.none()
    return get_backend().with_relevance(queryset, parsed, kind)


def count_by_kind(query: str | Query, kinds: Iterable[str] | None = None) -> dict[str, int]:
    """How many public records of each kind match ``query`` (one query)."""
    parsed = _as_query(query)
    if not parsed:
        return {}
    entries = get_backend().filter_entries(SearchEntry.objects.all(), parsed)
    if kinds:
        entries = entries.filter(kind__in=list(kinds))
    rows = entries.order_by().values_list("kind").annotate(n=Count("id"))
    return dict(rows)


def search(
    query: str | Query,
    kinds: Sequence[str] | None = None,
    *,
    limit: int = 20,
    offset: int = 0,
    load_objects: bool = False,
) -> list[Hit]:
    """The best-ranked public records matching ``query``, with highlighted snippets.

    One query for the hits; with ``load_objects``, one more per kind present to load the
    records (only public ones: the index never holds anything else, and this checks again).
    """
    parsed = _as_query(query)
    if not parsed:
        return []
    entries = get_backend().ranked_entries(parsed, kinds, limit, offset)
    hits = [
        Hit(
            kind=entry.kind,
            object_id=entry.object_id,
            identifier=entry.identifier,
            title=entry.title,
            rank=float(entry.search_rank or 0.0),
            title_html=highlight(entry.title, parsed),
            snippet=snippet(entry.display_text, parsed),
        )
        for entry in entries
    ]
    if load_objects and hits:
        by_kind: dict[str, list[int]] = {}
        for hit in hits:
            by_kind.setdefault(hit.kind, []).append(hit.object_id)
        loaded = {kind: _model(kind).objects.public().in_bulk(ids) for kind, ids in by_kind.items()}
        for hit in hits:
            hit.object = loaded[hit.kind].get(hit.object_id)
        hits = [hit for hit in hits if hit.object is not None]
    return hits
