"""Results computed over the whole public catalogue, cached until the catalogue changes.

Counting every public document by each facet is the costliest part of a browse page, and it
grows with the archive: at a million documents an unfiltered browse groups the whole table nine
times. The counts change only when a record does, so they are cached under the catalogue's
*version*, and any change moves the version on:

* **What counts as a change**: any ``INSERT``, ``UPDATE`` or ``DELETE`` on a table of
  Kiroku's own apps (the records, their relations, vocabularies, history), whatever the path (a
  model's ``save``, ``QuerySet.update``, an import's bulk ``INSERT``s, a migration, raw SQL). It is
  seen at the database cursor (:func:`watch_writes`, an execute wrapper installed on every
  connection), not by model signals, which bulk paths skip. Tables that are not the catalogue
  (API keys, the version itself) are left out.
* **Across processes**: the version is a number in the database (:class:`CatalogueVersion`),
  moved on when the writing transaction commits, so every worker sees the change at its next
  request; reading it is one primary-key query. A rolled-back write moves nothing.
* **Within a process**: a local count moves at the write itself, so the writing process
  (and a test inside a transaction that never commits) never reads counts from before its own
  write.

Cached entries also expire after ``CATALOGUE_CACHE_SECONDS`` (settings), which bounds how long a
count could outlive a change if a process died between committing and moving the version.
Only results that are the same for every requester may be cached: the callers cache counts of
public records, never a curator's view, except a list's number of rows
(:class:`CachedCountPaginator`), which is cached under the very SQL that counts them.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Callable, Iterable
from functools import cache, cached_property, partial
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import translation

from archive.models.base import sees_everything

#: the apps whose tables are the catalogue
CATALOGUE_APPS = ("archive", "documents", "people")
#: models in those apps whose writes change no public result (the facet tallies change only
#: with the records they count, whose writes move the version; a page that starts keeping the
#: tallies of a filter, :func:`archive.facet_tallies.keep`, changes no count)
NOT_CATALOGUE = ("archive.CatalogueVersion", "archive.PartnerKey", "archive.FacetTally")

_TABLES = re.compile(r"""\b(?:FROM|JOIN)\s+["`]?(\w+)""", re.IGNORECASE)
_WRITE = re.compile(
    r"""^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+["`]?(\w+)""",
    re.IGNORECASE,
)

#: moved on by every catalogue write in this process, at once (committed or not)
_local_writes = itertools.count(1)
_local_version = 0


@cache
def catalogue_tables() -> frozenset[str]:
    """The database tables of the catalogue's models, many-to-many tables included."""
    skipped = {apps.get_model(label)._meta.db_table for label in NOT_CATALOGUE}
    return (
        frozenset(
            model._meta.db_table
            for label in CATALOGUE_APPS
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
        )
        - skipped
    )


def written_table(sql: str) -> str | None:
    """The table a write statement changes (``None`` for a read or anything else)."""
    if not isinstance(sql, str):  # a composed statement object: never one of the ORM's writes
        return None
    match = _WRITE.match(sql)
    return match.group(1) if match else None


@cache
def _move_on(alias: str) -> Callable[[], None]:
    """The callable that moves database ``alias``'s stored version on: one per database, so a
    transaction registers it once however many writes it makes."""
    from archive.models import CatalogueVersion

    return partial(CatalogueVersion.move_on, using=alias)


def watch_writes(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """Execute wrapper: a write to a catalogue table moves the catalogue's version on."""
    result = execute(sql, params, many, context)
    table = written_table(sql)
    if table is not None and table in catalogue_tables():
        global _local_version
        _local_version = next(_local_writes)
        connection = context["connection"]
        callback = _move_on(connection.alias)
        if not connection.in_atomic_block:
            callback()
        elif not any(entry[1] is callback for entry in connection.run_on_commit):
            transaction.on_commit(callback, using=connection.alias)
    return result


def install(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: watch the new connection's writes (once)."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def public_scope(user: Any) -> str | None:
    """``"public"`` for a requester who sees only public records (as ``visible_to`` decides),
    whose results may therefore be shared; ``None`` for staff, whose results are their own."""
    return None if sees_everything(user) else "public"


def class_key(cls: type) -> str:
    """A class as part of a cache key: its dotted path (two apps may reuse a class name)."""
    return f"{cls.__module__}.{cls.__qualname__}"


def params_key(params: QueryDict) -> list[tuple[str, list[str]]]:
    """Query parameters as part of a cache key: sorted by name, every value kept in order."""
    return sorted((key, params.getlist(key)) for key in params)


def version(using: str = "default") -> tuple[int, int]:
    """The catalogue's version as this process sees it: the stored one and the local one."""
    from archive.models import CatalogueVersion

    return CatalogueVersion.current(using=using), _local_version


def cached[T](parts: Iterable[Any], compute: Callable[[], T]) -> T:
    """``compute()``, or its result cached under ``parts`` and the catalogue's version.

    ``parts`` must name everything the result depends on besides the catalogue (what is
    counted, the query string); the reader's language is added, since labels are translated.
    """
    return cached_each({None: (parts, compute)})[None]


def cached_each[K, T](wanted: dict[K, tuple[Iterable[Any], Callable[[], T]]]) -> dict[K, T]:
    """Several results, each as :func:`cached` gives it: one version read, one ``get_many``.

    ``wanted`` maps a name to the ``parts`` and ``compute`` of one result; what was not cached
    is computed in the order given and stored with one ``set_many``.
    """
    stored, local = version()
    language = translation.get_language()
    keys = {}
    for name, (parts, _compute) in wanted.items():
        key_source = json.dumps([list(parts), language], sort_keys=True)
        digest = hashlib.sha256(key_source.encode()).hexdigest()
        keys[name] = f"catalogue:{stored}:{local}:{digest}"
    store = caches[settings.CATALOGUE_CACHE]
    found = store.get_many(list(keys.values()))
    results: dict[K, T] = {}
    computed: dict[str, T] = {}
    for name, key in keys.items():
        if found.get(key) is not None:
            results[name] = found[key]
        else:
            results[name] = computed[key] = wanted[name][1]()
    if computed:
        store.set_many(computed, settings.CATALOGUE_CACHE_SECONDS)
    return results


class CachedCountPaginator(Paginator):
    """Django's paginator, with the number of rows kept until the catalogue changes.

    The admin's lists count their rows on every page load; at a million records that
    ``COUNT(*)`` is most of the page, and it changes only when a record does. The count is
    cached under the statement that counts (so it is the count of exactly the rows a curator
    asked for, whatever the filters, and is given to no one who asks for other rows), and only
    when every table the statement reads is the catalogue's, whose writes move the version.
    """

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return super().count
        try:
            sql, params = rows.query.sql_with_params()
        except EmptyResultSet:
            return 0
        if not set(_TABLES.findall(sql)) <= catalogue_tables():
            return super().count
        return cached(["count", rows.db, sql, [str(param) for param in params]], rows.count)
