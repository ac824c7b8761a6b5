"""Pages read by their keys first (``archive.paging``): the same rows as Django's paginator.

A page in the second half of a list is read from the list's end, in the reverse order, so the
last pages of a long list cost what the first ones do; every page must still hold exactly the
rows, in the order, that stepping from the start gives.
"""

from __future__ import annotations

import re

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce, Lower
from django.test.utils import CaptureQueriesContext

from archive.paging import KeysFirstPaginator
from documents.filters import DOCUMENT_ORDERINGS
from documents.models import Document
from people.models import Agent

pytestmark = pytest.mark.django_db

ORDERINGS = [
    ("date_start", "title", "pk"),
    ("-date_start", "-title", "-id"),
    (F("date_start").asc(nulls_last=True), "title", "id"),
    (F("date_start").desc(nulls_first=True), Lower("title"), F("id").desc()),
    (Coalesce("date_start", "date_end").asc(), "-pk"),
]


def pages(paginator: Paginator) -> list[list[int]]:
    return [[row.pk for row in paginator.page(n).object_list] for n in paginator.page_range]


@pytest.mark.parametrize("ordering", ORDERINGS, ids=str)
@pytest.mark.parametrize(("per_page", "orphans"), [(1, 0), (4, 0), (5, 2), (7, 3)])
def test_every_page_holds_the_rows_stepping_from_the_start_gives(
    ordering: tuple, per_page: int, orphans: int
) -> None:
    rows = Document.objects.order_by(*ordering)
    assert rows.count() > 3 * per_page  # pages in both halves
    expected = pages(Paginator(rows, per_page, orphans=orphans))
    assert pages(KeysFirstPaginator(rows, per_page, orphans=orphans)) == expected
    assert [pk for page in expected for pk in page] == list(rows.values_list("pk", flat=True))


def key_queries(rows: QuerySet, number: int) -> list[str]:
    """The SQL that reads page ``number``'s keys."""
    paginator = KeysFirstPaginator(rows, 2)
    paginator.count  # noqa: B018 (counted before, as a page's count is)
    with CaptureQueriesContext(connection) as queries:
        list(paginator.page(number).object_list)
    return [query["sql"] for query in queries if " LIMIT " in query["sql"].upper()]


def test_the_last_page_is_read_from_the_end_without_stepping_over_the_list() -> None:
    rows = Agent.objects.order_by("sort_name", "pk")
    last = KeysFirstPaginator(rows, 2).num_pages
    (sql,) = key_queries(rows, last)
    assert sql.upper().rstrip().endswith("LIMIT 2")  # no row stepped over
    assert '"sort_name" DESC' in sql
    (sql,) = key_queries(rows, 2)  # the first half, from the start
    assert sql.upper().rstrip().endswith("OFFSET 2")


def test_lists_in_no_total_order_are_read_from_the_start() -> None:
    """Without the primary key last, equal rows could be ordered differently each way."""
    rows = Agent.objects.order_by("sort_name")
    last = KeysFirstPaginator(rows, 2).num_pages
    (sql,) = key_queries(rows, last)
    assert '"sort_name" DESC' not in sql
    assert sql.upper().rstrip().endswith(f"OFFSET {2 * (last - 1)}")


def plan(rows: QuerySet) -> str:
    """How the database would read ``rows``; on PostgreSQL with sorting priced out, as its
    planner would rather sort a test's few rows, so the plan shows whether an index can give
    them in order."""
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for setting in ("seqscan", "sort", "incremental_sort", "bitmapscan"):
                cursor.execute(f"SET LOCAL enable_{setting} = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row) for row in cursor.fetchall())


@pytest.mark.parametrize("key", DOCUMENT_ORDERINGS)
def test_every_public_sort_order_reads_a_deep_pages_keys_from_an_index_alone(key: str) -> None:
    """A deep page of the public documents steps over the keys before it: in an index that
    holds everything the keys' query names, that is a walk along the index, not a sort of every
    public document nor a read of each row stepped over (page 22,503 of a million documents on
    PostgreSQL, by title 1.5 s and by date 570 ms before these indexes; about 100 ms after).
    Whether PostgreSQL reads the index alone depends on its visibility map as well (kept by
    ``VACUUM``), so there the test asks only for the walk; SQLite says whether it is covered."""
    rows = DOCUMENT_ORDERINGS[key].apply(Document.objects.public())
    read = plan(rows.values_list("pk", flat=True)[450_040:450_060])
    if connection.vendor == "postgresql":
        assert re.search(r"Index (Only )?Scan (Backward )?using document_public_by_", read), read
        assert "Sort" not in read, read
    else:
        assert "COVERING INDEX" in read, read
        assert "TEMP B-TREE" not in read, read
