"""A covering index from an entry's id to its record, for SQLite's full-text matches.

FTS5 gives the matching entries' ids; a search's count and each of its facets then read each
match's ``kind`` and ``object_id``. Read from the table, that is a random read of a row of a
kilobyte or more (the entry's texts) per match: at 100,000 matches most of a facet's time.
From this index the same values are a few bytes per match (a search with 100,000 hits and
four facets went from 1.2 s to 0.85 s at 200,000 documents). SQLite's planner takes the
index only once ``ANALYZE`` has measured it (else it reads the table by rowid, as before), so
the table is analysed here and after every rebuild of the index. PostgreSQL matches on the
entries' own ``search_vector`` and needs none. Frozen here, and kept identical to the tail of
``install_statements()`` in archive/search/backends.py (tests/search/test_index.py).
"""

from django.db import migrations

INSTALL = {
    "sqlite": [
        "CREATE INDEX IF NOT EXISTS searchentry_match ON archive_searchentry (id, kind, object_id)",
    ],
}
UNINSTALL = {
    "sqlite": ["DROP INDEX IF EXISTS searchentry_match"],
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
        ("archive", "0008_search_vector_statistics"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
