"""A covering index of each document's state and single-valued facet columns, by key.

A search's facets read every matching document by key to check that it is public and to group
its form, collection (and so repository) and date. From this index those are a few bytes per
match instead of a read of the document's row. SQLite's planner takes it only once ``ANALYZE``
has measured it, so the table is analysed here (as migration archive 0009 does for the search
entries); after a large load, analyse the whole database (README, "Benchmarks").
"""

from django.db import migrations, models


def analyze(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ANALYZE documents_document")


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0009_search_match_index"),
        ("documents", "0006_default_order_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                fields=["id", "status", "restricted", "document_type", "collection", "date_start"],
                name="document_facet_columns",
            ),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop, elidable=False),
    ]
