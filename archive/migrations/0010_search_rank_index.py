"""A second SQLite covering index of the search entries, from an entry's id to its kind and
title, for ranking.

Ranking orders the matches by rank, then title, then id, and so read every matching entry's
row for its title: at 100,000 matches, 120 of a search's 200 ms. From this index the ranking
chooses its page of entries and reads those rows only (``SQLiteFTSBackend.ranked_entries``,
which names the index: SQLite's planner reaches an entry by its rowid whatever the statistics
say). It is kept apart from ``searchentry_match`` (0009): with the titles in that one, the
planner stopped taking it for a search's count and facets, which then read the entries' rows
again. Frozen here, and kept identical to the tail of ``install_statements()`` in
archive/search/backends.py (tests/search/test_index.py).
"""

from django.db import migrations

INSTALL = {
    "sqlite": [
        "CREATE INDEX IF NOT EXISTS searchentry_rank ON archive_searchentry (id, kind, title)",
    ],
}
UNINSTALL = {
    "sqlite": ["DROP INDEX IF EXISTS searchentry_rank"],
}


def install(apps, schema_editor):
    for statement in INSTALL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ANALYZE archive_searchentry")


def uninstall(apps, schema_editor):
    for statement in UNINSTALL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0009_search_match_index"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
