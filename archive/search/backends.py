"""The two search engines behind one interface: SQLite FTS5 and PostgreSQL full text.

Both match the same normalised keys (see :mod:`archive.search.text`) with the same meaning:
every term must occur; a term of several keys must occur as a phrase; a prefix term matches
keys that start with it; substring terms (one CJK character, ``*infix*``) are matched inside the
search text with ``LIKE``. Only the ranking formula differs (BM25 in SQLite, cover density in
PostgreSQL); both weigh a match in the title well above one in the body.

A backend answers three questions, each in one SQL statement:

* :meth:`SearchBackend.filter_entries` — which entries match (a lazy queryset, so that
  ``Document.objects.filter(pk__in=...)`` runs as a single query with the search inside it);
* :meth:`SearchBackend.ranked_entries` — the best entries, ranked, for the search page;
* :meth:`SearchBackend.with_relevance` — another model's queryset joined to its matches, with
  a rank to sort a filtered list by relevance.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import BooleanField, Expression, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL

from archive.models import SearchEntry, SearchKind
from archive.search.text import Query, Term

TABLE = SearchEntry._meta.db_table  # archive_searchentry
FTS_TABLE = f"{TABLE}_fts"
#: how much more a match in the title counts than one in the rest of the text (SQLite)
TITLE_WEIGHT = 10.0
#: SQLite: the entries' (id, kind, title), for ranking the matches
RANK_INDEX = "searchentry_rank"


class SearchBackend:
    """What a search engine must provide; see the module docstring."""

    vendor: ClassVar[str] = ""

    def install_statements(self) -> list[str]:
        """SQL that creates the engine's structures if they are missing (idempotent)."""
        raise NotImplementedError

    def uninstall_statements(self) -> list[str]:
        raise NotImplementedError

    def after_rebuild(self) -> None:
        """Hook run after the whole index has been rewritten."""

    def match_condition(self, query: Query) -> Q | Expression | None:
        """A filter condition on ``archive_searchentry`` for the query's index terms."""
        raise NotImplementedError

    def filter_entries(self, queryset: QuerySet[SearchEntry], query: Query) -> QuerySet:
        """``queryset`` limited to the entries that match every term of ``query``."""
        condition = self.match_condition(query)
        if condition is not None:
            queryset = queryset.filter(condition)
        for term in query.substring_terms:
            queryset = queryset.filter(search_text__contains=term.substring)
        return queryset

    def ranked_entries(
        self, query: Query, kinds: Sequence[str] | None, limit: int, offset: int
    ) -> list[SearchEntry]:
        """The matching entries, best first, each with a ``rank`` attribute (one query)."""
        raise NotImplementedError

    def with_relevance(self, queryset: QuerySet, query: Query, kind: str) -> QuerySet:
        """``queryset`` (of records of ``kind``) joined to its matching entries.

        Rows that do not match are dropped; the others get ``search_rank`` (larger is better).
        A join, not a correlated subquery: SQLite's ``bm25()`` recomputes its statistics for
        every call, so a rank per row from a subquery costs the whole match again per row.
        """
        raise NotImplementedError

    @staticmethod
    def _base_pk(queryset: QuerySet) -> str:
        qn = connection.ops.quote_name
        meta = queryset.model._meta
        return f"{qn(meta.db_table)}.{qn(meta.pk.column)}"


# ---------------------------------------------------------------------------------------------


def fts5_match(terms: Sequence[Term]) -> str:
    """An FTS5 MATCH expression: quoted phrases of keys, ANDed (keys never contain quotes)."""
    parts = []
    for term in terms:
        phrase = '"' + " ".join(key.replace('"', '""') for key in term.keys) + '"'
        parts.append(phrase + " *" if term.prefix else phrase)
    return " AND ".join(parts)


class SQLiteFTSBackend(SearchBackend):
    """SQLite FTS5 over the entries' normalised text.

    The FTS5 table is *external content*: it stores only the index, and reads the text back
    from ``archive_searchentry`` when needed. Triggers on that table keep the index in step with
    every insert, update and delete, whatever code path writes the rows. The ``unicode61``
    tokenizer only has to split on spaces, since the text is already normalised; it is told not
    to fold diacritics itself so that index and query keys stay exactly as normalised.
    """

    vendor = "sqlite"

    def install_statements(self) -> list[str]:
        columns = "title_search, search_text"
        new_values = "new.id, new.title_search, new.search_text"
        old_values = "old.id, old.title_search, old.search_text"
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({columns}, "
            f"content='{TABLE}', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 0')",
            f"CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_insert AFTER INSERT ON {TABLE} BEGIN "  # nosec B608
            f"INSERT INTO {FTS_TABLE}(rowid, {columns}) VALUES ({new_values}); END",
            f"CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_delete AFTER DELETE ON {TABLE} BEGIN "  # nosec B608
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {columns}) "
            f"VALUES ('delete', {old_values}); END",
            f"CREATE TRIGGER IF NOT EXISTS {TABLE}_fts_update AFTER UPDATE ON {TABLE} BEGIN "  # nosec B608
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {columns}) "
            f"VALUES ('delete', {old_values}); "
            f"INSERT INTO {FTS_TABLE}(rowid, {columns}) VALUES ({new_values}); END",
            # a match's record read from this index, not from its entry's row
            f"CREATE INDEX IF NOT EXISTS searchentry_match ON {TABLE} (id, kind, object_id)",
            # a match's kind and title, for ranking (ranked_entries)
            f"CREATE INDEX IF NOT EXISTS {RANK_INDEX} ON {TABLE} (id, kind, title)",
        ]

    def uninstall_statements(self) -> list[str]:
        return [
            f"DROP INDEX IF EXISTS {RANK_INDEX}",
            "DROP INDEX IF EXISTS searchentry_match",
            f"DROP TRIGGER IF EXISTS {TABLE}_fts_insert",
            f"DROP TRIGGER IF EXISTS {TABLE}_fts_delete",
            f"DROP TRIGGER IF EXISTS {TABLE}_fts_update",
            f"DROP TABLE IF EXISTS {FTS_TABLE}",
        ]

    def after_rebuild(self) -> None:
        # Rebuild the FTS index from the content table: repairs an index that drifted while
        # the triggers were missing (a table rebuild by a later migration), then compacts it.
        # Then measure the entries for the planner, which takes ``searchentry_match`` only
        # once it has statistics for it.
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")  # nosec B608
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")  # nosec B608
            cursor.execute(f"ANALYZE {TABLE}")

    def match_condition(self, query: Query) -> Q | Expression | None:
        terms = query.index_terms
        if not terms:
            return None
        rowids = RawSQL(  # nosec B611
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # nosec B608
            [fts5_match(terms)],
        )
        # ``id IN (…)``, Django's own lookup: a boolean expression in a filter would be written
        # ``(…) = 1``, which SQLite cannot plan from (every facet of a search then walked all
        # the entries of the kind instead of reading the matches by key)
        return Q(id__in=rowids)

    def _joined(self, query: Query, kinds: Sequence[str]) -> tuple[dict, list[str], list[Any]]:
        """``extra()`` arguments that join ``archive_searchentry`` to the FTS5 matches.

        ``+kind`` keeps SQLite from driving the join from the (kind, object_id) index, which
        would run the full-text match once per entry of that kind; this way the planner starts
        from the FTS5 matches and reaches each entry by rowid.
        """
        where = [f"+{TABLE}.kind IN ({', '.join(['%s'] * len(kinds))})"]
        params: list[Any] = list(kinds)
        select = {"search_rank": "0.0"}
        if query.index_terms:
            where += [f"{FTS_TABLE}.rowid = {TABLE}.id", f"{FTS_TABLE} MATCH %s"]
            params.append(fts5_match(query.index_terms))
            select = {"search_rank": f"-bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0)"}
        for term in query.substring_terms:
            where.append(f"{TABLE}.search_text LIKE %s")
            params.append(f"%{term.substring}%")
        return select, where, params

    def _tables(self, query: Query) -> list[str]:
        return [FTS_TABLE] if query.index_terms else []

    def ranked_entries(
        self, query: Query, kinds: Sequence[str] | None, limit: int, offset: int
    ) -> list[SearchEntry]:
        """The page of entries is chosen first, from the FTS5 ranks and ``searchentry_rank``'s
        kinds and titles, and only its rows are read after: ordering the matches with their
        rows read every matching entry from the table (at a million documents, 100,000
        matches: 200 ms against 130). SQLite's planner reaches an entry by its rowid whatever
        the statistics say, hence ``INDEXED BY`` (the index is created by migration 0010 and
        by ``install_statements()``)."""
        select, where, params = self._joined(query, kinds or SearchKind.values)
        columns = ("kind", "object_id", "identifier", "title", "display_text")
        if not query.index_terms:  # substring terms only: every entry is read anyway
            entries = SearchEntry.objects.extra(  # nosec B610
                select=select, where=where, params=params
            ).order_by("-search_rank", "title", "id")
            return list(entries.only(*columns)[offset : offset + limit])
        best = (
            f"SELECT {TABLE}.id, {TABLE}.title, {select['search_rank']} AS search_rank"  # nosec B608
            f" FROM {TABLE} INDEXED BY {RANK_INDEX}, {FTS_TABLE} WHERE {' AND '.join(where)}"
            " ORDER BY search_rank DESC, title, id LIMIT %s OFFSET %s"
        )
        sql = (
            f"SELECT entry.id, {', '.join(f'entry.{column}' for column in columns)},"  # nosec B608
            f" best.search_rank FROM ({best}) AS best INNER JOIN {TABLE} AS entry"
            " ON entry.id = best.id ORDER BY best.search_rank DESC, best.title, best.id"
        )
        return list(SearchEntry.objects.raw(sql, [*params, limit, offset]))

    def with_relevance(self, queryset: QuerySet, query: Query, kind: str) -> QuerySet:
        select, where, params = self._joined(query, [kind])
        where.append(f"{TABLE}.object_id = {self._base_pk(queryset)}")
        return queryset.extra(  # nosec B610
            select=select, where=where, params=params, tables=[TABLE, *self._tables(query)]
        )


# ---------------------------------------------------------------------------------------------


def tsquery(terms: Sequence[Term]) -> str:
    """A ``to_tsquery`` expression: phrases of quoted keys joined by ``<->``, ANDed."""
    parts = []
    for term in terms:
        keys = ["'" + key.replace("'", "''").replace("\\", "\\\\") + "'" for key in term.keys]
        if term.prefix:
            keys[-1] += ":*"
        parts.append("(" + " <-> ".join(keys) + ")")
    return " & ".join(parts)


class PostgresBackend(SearchBackend):
    """PostgreSQL full text over the entries' normalised text.

    ``search_vector`` is a stored generated column — the normalised title at weight A and the
    whole normalised text at weight D, parsed by the ``simple`` configuration (no stemming, no
    stop words: the text is already folded, and stemming rules are language-specific) — with a
    GIN index. A pg_trgm GIN index on ``search_text`` serves the substring terms (``LIKE``).
    Both are created by the migration; Django does not know the column exists.
    """

    vendor = "postgresql"

    def install_statements(self) -> list[str]:
        return [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS search_vector tsvector "
            "GENERATED ALWAYS AS ("
            "setweight(to_tsvector('simple'::regconfig, title_search), 'A') || "
            "setweight(to_tsvector('simple'::regconfig, search_text), 'D')) STORED",
            f"CREATE INDEX IF NOT EXISTS searchentry_vector ON {TABLE} USING gin (search_vector)",
            f"CREATE INDEX IF NOT EXISTS searchentry_trigram ON {TABLE} "
            "USING gin (search_text gin_trgm_ops)",
            # rare words planned as rare (migration 0008 says why)
            f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STATISTICS 1000",
            # what ranking reads kept in the entry's row (migration 0011 says why)
            f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STORAGE MAIN, "
            "ALTER COLUMN title SET STORAGE MAIN, ALTER COLUMN identifier SET STORAGE MAIN",
        ]

    def uninstall_statements(self) -> list[str]:
        return [
            f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STORAGE EXTENDED, "
            "ALTER COLUMN title SET STORAGE EXTENDED, ALTER COLUMN identifier SET STORAGE EXTENDED",
            "DROP INDEX IF EXISTS searchentry_trigram",
            "DROP INDEX IF EXISTS searchentry_vector",
            f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector",
        ]

    def match_condition(self, query: Query) -> Q | Expression | None:
        terms = query.index_terms
        if not terms:
            return None
        # unqualified column: Django relabels the table when this runs as a subquery
        return RawSQL(
            "search_vector @@ to_tsquery('simple', %s)",
            [tsquery(terms)],
            output_field=BooleanField(),
        )

    def _rank_sql(self, query: Query, table: str = "") -> tuple[str, list[Any]]:
        terms = query.index_terms
        if not terms:
            return "0.0", []
        column = f"{table}.search_vector" if table else "search_vector"
        return f"ts_rank_cd({column}, to_tsquery('simple', %s))", [tsquery(terms)]

    def ranked_entries(
        self, query: Query, kinds: Sequence[str] | None, limit: int, offset: int
    ) -> list[SearchEntry]:
        entries = self.filter_entries(SearchEntry.objects.all(), query)
        if kinds:
            entries = entries.filter(kind__in=list(kinds))
        sql, params = self._rank_sql(query)
        entries = entries.annotate(
            search_rank=RawSQL(sql, params, output_field=FloatField())  # nosec B611
        ).order_by("-search_rank", "title", "id")
        columns = ("kind", "object_id", "identifier", "title", "display_text")
        return list(entries.only(*columns)[offset : offset + limit])

    def with_relevance(self, queryset: QuerySet, query: Query, kind: str) -> QuerySet:
        where = [f"{TABLE}.kind = %s", f"{TABLE}.object_id = {self._base_pk(queryset)}"]
        params: list[Any] = [kind]
        if query.index_terms:
            where.append(f"{TABLE}.search_vector @@ to_tsquery('simple', %s)")
            params.append(tsquery(query.index_terms))
        for term in query.substring_terms:
            where.append(f"{TABLE}.search_text LIKE %s")
            params.append(f"%{term.substring}%")
        rank, rank_params = self._rank_sql(query, TABLE)
        return queryset.extra(  # nosec B610
            select={"search_rank": rank},
            select_params=rank_params,
            where=where,
            params=params,
            tables=[TABLE],
        )


BACKENDS: dict[str, type[SearchBackend]] = {
    SQLiteFTSBackend.vendor: SQLiteFTSBackend,
    PostgresBackend.vendor: PostgresBackend,
}


def get_backend() -> SearchBackend:
    """The backend for the default database."""
    try:
        return BACKENDS[connection.vendor]()
    except KeyError:
        raise ImproperlyConfigured(
            f"Kiroku's search supports SQLite and PostgreSQL, not {connection.vendor}."
        ) from None
