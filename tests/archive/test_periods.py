"""Filters by period (a year, a decade, a from–to range) read by class of span.

``date_overlap_q(by_span=True)`` must select exactly the records the plain overlap selects,
whatever their dates span (a day, a year, a decade, centuries, an open end, none at all, an end
before the start), and the documents' index on the class of span must serve it: at a million
documents the year 1956 was found through the 550,000 documents that start before its end.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.db.models.lookups import Exact
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from archive.filters import date_overlap_q, earliest_start
from archive.models.base import DateSpanClass
from documents.filters import DocumentFilterSet
from documents.models import Document, DocumentType

pytestmark = pytest.mark.django_db

#: (start, end) of the test's documents: each class of span, open ends, undated, reversed
SPANS = [
    (date(1956, 10, 19), date(1956, 10, 19)),
    (date(1955, 12, 31), date(1956, 1, 1)),
    (date(1956, 1, 1), date(1956, 12, 31)),
    (date(1955, 3, 1), date(1956, 2, 28)),
    (date(1954, 1, 1), date(1955, 12, 31)),
    (date(1946, 1, 1), date(1955, 12, 31)),
    (date(1950, 1, 1), date(1959, 12, 31)),
    (date(1900, 1, 1), date(1999, 12, 31)),
    (date(1860, 1, 1), date(1955, 12, 31)),
    (date(1800, 1, 1), date(2000, 1, 1)),
    (date(1957, 1, 1), date(1957, 1, 1)),
    (None, date(1956, 5, 1)),
    (None, date(1940, 1, 1)),
    (date(1956, 6, 1), None),
    (date(1960, 1, 1), None),
    (None, None),
    (date(1956, 3, 1), date(1955, 3, 1)),
    (date(1, 1, 1), date(1, 1, 2)),
]

PERIODS = [
    (date(1956, 1, 1), date(1956, 12, 31)),
    (date(1950, 1, 1), date(1959, 12, 31)),
    (date(1956, 10, 19), date(1956, 10, 19)),
    (date(1955, 12, 31), date(1955, 12, 31)),
    (date(1900, 1, 1), date(1900, 12, 31)),
    (date(1, 1, 1), date(1, 12, 31)),
    (date(1957, 1, 1), date(1956, 1, 1)),
]


@pytest.fixture
def spanned() -> set[int]:
    """The test's documents, their bounds written as given (saving derives them from the
    stated date, which could not state a reversed range)."""
    form = DocumentType.objects.create(code="t-period-form", name="Period test")
    made = set()
    for number, (start, end) in enumerate(SPANS):
        document = Document.objects.create(
            identifier=f"t-period-{number}",
            title=f"Span {number}",
            document_type=form,
            status="published",
        )
        Document.objects.filter(pk=document.pk).update(date_start=start, date_end=end)
        made.add(document.pk)
    return made


@pytest.mark.parametrize(("first", "last"), PERIODS, ids=str)
def test_by_span_selects_what_the_plain_overlap_selects(
    spanned: set[int], first: date, last: date
) -> None:
    plain = set(Document.objects.filter(date_overlap_q(first, last)).values_list("pk", flat=True))
    by_span = Document.objects.filter(date_overlap_q(first, last, by_span=True))
    assert set(by_span.values_list("pk", flat=True)) == plain
    # the test's own records cover each case: some in, some out
    assert plain & spanned
    assert spanned - plain


def test_the_period_is_read_from_the_index_by_class_of_span() -> None:
    """Each class of span is a range of starts in ``document_public_by_period``: the filter's
    expression is spelt as the index's (else the database cannot match them, and reads every
    record that starts before the period ends). A test's few rows would be read whole, so the
    plan asked for is one class's, of years no record starts in, with the index forced on SQLite
    and other ways priced out on PostgreSQL; the database then says which of the index's
    columns it can use."""
    one = Document.objects.public().filter(
        Exact(DateSpanClass(), 2),
        date_start__gte=date(1801, 1, 1),
        date_start__lte=date(1811, 12, 31),
    )
    sql, params = one.order_by().values("pk").query.sql_with_params()
    table = '"documents_document"'
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE documents_document")  # as other tests left it
            for setting in ("seqscan", "bitmapscan"):
                cursor.execute(f"SET LOCAL enable_{setting} = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            sql = sql.replace(f"FROM {table}", f"FROM {table} INDEXED BY document_public_by_period")
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        read = "\n".join(str(row) for row in cursor.fetchall())
    if connection.vendor == "postgresql":
        assert "Scan using document_public_by_period" in read, read
        assert re.search(r"Index Cond: .*CASE WHEN .* = 2\).*date_start >=", read), read
    else:
        assert "<expr>=? AND date_start>? AND date_start<?" in read, read


def documents(query: str) -> set[int]:
    filterset = DocumentFilterSet(QueryDict(query), queryset=Document.objects.public())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("query", "first", "last"),
    [
        ("year=1956", date(1956, 1, 1), date(1956, 12, 31)),
        ("decade=1950", date(1950, 1, 1), date(1959, 12, 31)),
        ("date_from=1955-12&date_to=1956-02", date(1955, 12, 1), date(1956, 2, 29)),
        ("date_from=1956", date(1956, 1, 1), None),
        ("date_to=1955", None, date(1955, 12, 31)),
    ],
)
@pytest.mark.parametrize("narrow", [True, False])
def test_the_date_filters_select_the_overlapping_public_documents(
    spanned: set[int],
    monkeypatch: pytest.MonkeyPatch,
    query: str,
    first: date | None,
    last: date | None,
    narrow: bool,
) -> None:
    """Read by class of span, with the date orders' keys bounded (a narrow period), or as one
    condition (a broad one): the same documents."""
    monkeypatch.setattr(DocumentFilterSet, "BROAD_PERIOD", 1.1 if narrow else 0.0)
    expected = Document.objects.public().filter(date_overlap_q(first, last))
    assert documents(query) == set(expected.values_list("pk", flat=True))


@pytest.mark.parametrize("broad", [False, True])
def test_a_narrow_period_is_read_by_class_of_span_and_a_broad_one_in_one_condition(
    spanned: set[int], monkeypatch: pytest.MonkeyPatch, broad: bool
) -> None:
    """Whether a period is read by class of span follows the kept year tallies (the share of
    the public documents that start in it); either way the same documents."""
    monkeypatch.setattr(DocumentFilterSet, "BROAD_PERIOD", 0.0 if broad else 1.1)
    with CaptureQueriesContext(connection) as queries:
        found = documents("year=1956")
    listed = [query["sql"] for query in queries if "documents_document" in query["sql"]]
    assert ("THEN 9" in listed[-1]) is not broad, listed[-1]
    expected = Document.objects.public().filter(
        date_overlap_q(date(1956, 1, 1), date(1956, 12, 31))
    )
    assert found == set(expected.values_list("pk", flat=True))


@pytest.mark.parametrize(("first", "last"), PERIODS, ids=str)
def test_the_earliest_start_is_the_earliest_of_the_overlapping_records(
    spanned: set[int], first: date, last: date
) -> None:
    rows = Document.objects.filter(pk__in=spanned)
    starts = rows.filter(date_overlap_q(first, last)).values_list("date_start", flat=True)
    assert earliest_start(rows, first, last) == min(filter(None, starts), default=None)
