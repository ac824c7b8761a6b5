"""The bulk write path of imports (``archive.bulk``): what ``save()`` would have stored, in bulk."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from archive import search
from archive.bulk import BulkTable, BulkWriter, collector_paused
from archive.models import SearchEntry
from documents.models import DigitalObject, Document
from tests.io.conftest import Holdings, csv_bytes, document_row, run


def new_documents(holdings: Holdings, count: int, start: int = 1) -> list[Document]:
    documents = []
    for number in range(start, start + count):
        document = Document(
            identifier=f"t-io-bulk-{number}",
            title=f"Bulk letter {number}",
            document_type=holdings.letter,
            collection=holdings.fonds,
            date_edtf="1956-10-19",
        )
        document.derive_fields()
        documents.append(document)
    return documents


def test_created_records_get_their_keys_in_order_and_their_save_time_stamps(
    holdings: Holdings,
) -> None:
    now = timezone.now() - timedelta(days=1)
    documents = new_documents(holdings, 3)
    BulkWriter(now=now).create(documents)
    for document in documents:
        stored = Document.objects.get(pk=document.pk)
        assert stored.identifier == document.identifier
        assert (stored.created_at, stored.updated_at) == (now, now)
        assert (document.created_at, document._state.adding) == (now, False)
    # what the row left to the field's default is the default, as save() would store it
    assert Document.objects.get(pk=documents[0].pk).status == "draft"
    assert Document.objects.get(pk=documents[0].pk).version == 1


def test_each_record_written_has_one_history_entry_by_the_user_for_the_reason(
    holdings: Holdings,
) -> None:
    user = get_user_model().objects.create_user("t-io-bulk-curator")
    now = timezone.now()
    writer = BulkWriter(now=now, user_id=user.pk, reason="Imported from letters.csv")
    documents = new_documents(holdings, 2)
    writer.create(documents)
    documents[0].title = "Bulk letter, retitled"
    writer.update(documents[:1], ["title"])

    first = list(documents[0].history.order_by("history_id"))
    assert [(entry.history_type, entry.title) for entry in first] == [
        ("+", "Bulk letter 1"),
        ("~", "Bulk letter, retitled"),
    ]
    assert {entry.history_user_id for entry in first} == {user.pk}
    assert {entry.history_change_reason for entry in first} == {"Imported from letters.csv"}
    assert documents[1].history.get().history_date == now
    assert Document.objects.get(pk=documents[0].pk).title == "Bulk letter, retitled"


def test_many_rows_are_written_in_a_few_statements(holdings: Holdings) -> None:
    documents = new_documents(holdings, 2500)
    with CaptureQueriesContext(connection) as queries:
        BulkWriter(now=timezone.now()).create(documents)
    # 2,500 rows in batches of 1,000: three statements for the records, three for history
    assert len(queries) == 6
    keys = [document.pk for document in documents]
    assert keys == sorted(keys)
    assert len(set(keys)) == 2500
    stored = Document.objects.filter(identifier__startswith="t-io-bulk-")
    assert stored.count() == 2500
    # a value many rows share (the date, the save time) is prepared once and stored in each
    assert set(stored.values_list("date_start", "date_end")) == {(date(1956, 10, 19),) * 2}


def test_entries_inserted_in_bulk_reach_the_full_text_index(db: None) -> None:
    entry = SearchEntry(
        kind="document",
        object_id=987_654,
        identifier="t-io-bulk-entry",
        title="Zubatov memorandum",
        title_search="zubatov memorandum",
        search_text="zubatov memorandum",
        display_text="Zubatov memorandum",
    )
    BulkTable(SearchEntry, timezone.now()).insert([vars(entry)])
    hits = search.search("zubatov", kinds=["document"])
    assert [hit.identifier for hit in hits] == ["t-io-bulk-entry"]


def test_a_record_updated_with_no_field_written_still_gets_its_history_entry(
    holdings: Holdings,
) -> None:
    documents = new_documents(holdings, 1)
    writer = BulkWriter(now=timezone.now())
    writer.create(documents)
    writer.update(documents, [])
    assert [entry.history_type for entry in documents[0].history.order_by("history_id")] == [
        "+",
        "~",
    ]


def test_a_table_it_cannot_write_exactly_is_refused_by_name(db: None) -> None:
    with pytest.raises(ImproperlyConfigured, match=r"documents\.DigitalObject\.file \(FileField\)"):
        BulkTable(DigitalObject, timezone.now())


def test_updates_write_each_row_its_own_values_in_a_few_statements(holdings: Holdings) -> None:
    writer = BulkWriter(now=timezone.now())
    documents = new_documents(holdings, 2500)
    writer.create(documents)
    for number, document in enumerate(documents):
        document.title = f"Retitled {number}"
        document.date_start = date(1900 + number % 100, 1, 1)
        document.collection = holdings.file if number % 2 else holdings.fonds
    with CaptureQueriesContext(connection) as queries:
        writer.update(documents, ["title", "date_start", "collection"])
    # one UPDATE run for a thousand rows at a time, and the history entries' INSERTs
    assert len(queries) == 6
    stored = {
        row[0]: row[1:]
        for row in Document.objects.filter(pk__in=[d.pk for d in documents]).values_list(
            "pk", "title", "date_start", "collection_id"
        )
    }
    assert stored == {d.pk: (d.title, d.date_start, d.collection_id) for d in documents}


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generations of the cyclic garbage collections that run meanwhile."""
    ran: list[int] = []

    def note(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            ran.append(info["generation"])

    gc.callbacks.append(note)
    try:
        yield ran
    finally:
        gc.callbacks.remove(note)


def test_an_import_runs_without_the_cycle_collector_and_turns_it_back_on(
    holdings: Holdings, collections: list[int]
) -> None:
    data = csv_bytes([document_row(n, date_edtf="1956-10-19") for n in range(1, 301)])
    assert gc.isenabled()
    collections.clear()  # those that making the file started
    result = run(data)
    assert result.written
    # 300 rows allocate tens of thousands of objects: with the collector on, the import starts
    # dozens of collections; paused, at most the one that the allocations of its first lines
    # may have started before the pause
    assert len(collections) <= 1
    assert gc.isenabled()
    # and so does one that fails
    assert not run(data.replace(b"1956-10-19", b"1956-13-45")).written
    assert gc.isenabled()


def test_the_collector_stays_as_the_outermost_job_found_it(collections: list[int]) -> None:
    with collector_paused():
        assert not gc.isenabled()
        # entering may itself have started one, just before the pause: none from here on
        started = len(collections)
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner job does not turn it on under the outer one
        garbage = [[] for _ in range(5000)]
        del garbage
        assert len(collections) == started
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), collector_paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()
