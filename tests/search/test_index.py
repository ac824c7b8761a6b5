"""The index as a whole: the rebuild command, the engine's structures, other kinds."""

import importlib

import pytest
from django.core.management import call_command
from django.db import connection

from archive import search
from archive.models import Collection, PublicationStatus, Publishable, SearchEntry
from archive.search.backends import get_backend
from documents.models import Document, DocumentText, Publication

pytestmark = pytest.mark.django_db


def test_migration_installs_what_the_backend_installs() -> None:
    migration = importlib.import_module("archive.migrations.0004_searchentry")
    statistics = importlib.import_module("archive.migrations.0008_search_vector_statistics")
    match_index = importlib.import_module("archive.migrations.0009_search_match_index")
    rank_index = importlib.import_module("archive.migrations.0010_search_rank_index")
    inline = importlib.import_module("archive.migrations.0011_search_ranking_columns_inline")
    vendor = connection.vendor
    installed = (
        migration.INSTALL[vendor]
        + statistics.INSTALL.get(vendor, [])
        + match_index.INSTALL.get(vendor, [])
        + rank_index.INSTALL.get(vendor, [])
        + inline.INSTALL.get(vendor, [])
    )
    assert installed == get_backend().install_statements()
    # undone in reverse; the statistics setting goes with the column it is set on
    uninstalled = (
        inline.UNINSTALL.get(vendor, [])
        + rank_index.UNINSTALL.get(vendor, [])
        + match_index.UNINSTALL.get(vendor, [])
        + migration.UNINSTALL[vendor]
    )
    assert uninstalled == get_backend().uninstall_statements()


def test_rebuild_indexes_exactly_the_public_records() -> None:
    call_command("rebuild_search_index", verbosity=0)
    from documents.models import Document
    from people.models import Agent

    for kind, model in [
        ("document", Document),
        ("agent", Agent),
        ("collection", Collection),
        ("publication", Publication),
    ]:
        indexed = set(SearchEntry.objects.filter(kind=kind).values_list("object_id", flat=True))
        assert indexed == set(model.objects.public().values_list("pk", flat=True)), kind


def test_rebuild_repairs_an_index_out_of_step() -> None:
    SearchEntry.objects.all().delete()
    assert search.search("the") == []
    counts = search.rebuild(["publication"])
    assert counts["publication"] == Publication.objects.public().count()


def test_publications_and_collections_are_searchable() -> None:
    publication = Publication.objects.create(
        identifier="t-search-pub",
        kind="article",
        title="Über die Fischerei",
        abstract="A study of the Ōkhotsk fisheries.",
        status="published",
    )
    assert publication.pk in set(
        search.matching_ids("uber okhotsk", "publication").values_list("object_id", flat=True)
    )
    unit = Collection.objects.filter(status="published").first()
    if unit is not None:
        unit.scope_and_content = "Quetzalword papers"
        unit.save()
        ids = search.matching_ids("quetzalword", "collection").values_list("object_id", flat=True)
        assert unit.pk in set(ids)


def test_migrate_builds_a_missing_index() -> None:
    from django.apps import apps

    from archive.search.signals import index_an_unindexed_archive

    SearchEntry.objects.all().delete()
    index_an_unindexed_archive(sender=None, app_config=apps.get_app_config("archive"))
    assert SearchEntry.objects.filter(kind="document").exists()
    before = SearchEntry.objects.count()
    index_an_unindexed_archive(sender=None, app_config=apps.get_app_config("archive"))
    assert SearchEntry.objects.count() == before


def test_suspended_skips_and_batch_defers() -> None:
    publication = Publication.objects.create(
        identifier="t-search-suspended", kind="book", title="Silentword", status="published"
    )
    ids = search.matching_ids("silentword", "publication")
    assert ids.exists()
    with search.suspended():
        publication.title = "Loudword"
        publication.save()
    assert ids.exists()  # the index was left alone
    with search.batch(), search.batch():  # nested batches flush once, at the outer end
        publication.save()
        assert ids.exists()
    assert not ids.exists()
    assert search.matching_ids("loudword", "publication").exists()


def test_documents_and_texts_are_public_by_their_own_state() -> None:
    # document_entries reads documents and texts by key and checks each row's own state with
    # Publishable.public_state (a condition on the state in SQL made SQLite walk every
    # published record); if either rule gains a condition, that reading must follow it
    assert Document.public_q() == Publishable.public_q()
    assert DocumentText.public_q() == Publishable.public_q() & Document.public_q("document__")
    assert Publishable.public_state(PublicationStatus.PUBLISHED, False)
    assert not Publishable.public_state(PublicationStatus.PUBLISHED, True)
    assert not Publishable.public_state(PublicationStatus.REVIEW, False)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's storage")
def test_what_ranking_reads_stays_in_the_entrys_row() -> None:
    """Ranking reads every match's vector and title: they stay in the row (migration 0011),
    and the texts, which only the page of hits reads, are the values moved to TOAST when a
    row is too long. The entry is built so that the default storage would move the vector
    (the largest value, which alone would fit) and the title too."""
    import random

    rng = random.Random(7)  # nosec B311 — words that do not compress, not secrets

    def words(n: int) -> str:
        letters = "abcdefghijklmnopqrstuvwxyz"
        return " ".join("".join(rng.choice(letters) for _ in range(8)) for _ in range(n))

    title, search_text, display_text = words(20), words(100), words(100)
    SearchEntry.objects.all().delete()
    SearchEntry.objects.create(
        kind="document",
        object_id=1,
        identifier="d-1",
        title=title,
        title_search=title,
        search_text=search_text,
        display_text=display_text,
    )
    table = SearchEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltoastrelid::regclass FROM pg_class WHERE oid = %s::regclass", [table]
        )
        (toast,) = cursor.fetchone()
        cursor.execute(f"SELECT coalesce(sum(octet_length(chunk_data)), 0) FROM {toast}")  # nosec B608
        (moved,) = cursor.fetchone()
        cursor.execute(f"SELECT pg_column_size(search_vector) FROM {table}")  # nosec B608
        (vector,) = cursor.fetchone()
    assert vector > max(len(search_text), len(display_text))
    # the three texts moved, uncompressed (random letters), and nothing else
    assert moved == len(search_text) + len(display_text) + len(title)
