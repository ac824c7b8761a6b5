"""Finer statistics on PostgreSQL's ``search_vector``, so rare words are planned as rare.

With the default statistics target, any word outside the most common elements is estimated
at a few thousand matches; at a million documents the planner then started two parallel
workers for a ten-hit search, a quarter of every facet query's time. A target of 1000 keeps
more elements and estimates a rare word at a few hundred. Frozen here, and kept identical to
the tail of ``install_statements()`` in archive/search/backends.py (tests/search/test_index.py).
"""

from django.db import migrations

INSTALL = {
    "postgresql": [
        "ALTER TABLE archive_searchentry ALTER COLUMN search_vector SET STATISTICS 1000",
    ],
}
UNINSTALL = {
    "postgresql": [
        "ALTER TABLE archive_searchentry ALTER COLUMN search_vector SET STATISTICS -1",
    ],
}


def install(apps, schema_editor):
    for statement in INSTALL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    for statement in UNINSTALL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0007_catalogue_version"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
