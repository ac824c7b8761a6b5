"""Indexes for each sort order of the public documents, from which a page's keys are read alone.

The date orders' indexes end with the date they coalesce, so PostgreSQL can read a page's keys
from the index without visiting the rows (an index-only scan needs every column the query
names); the title and identifier orders get indexes of their own, so a deep page of them walks
an index instead of sorting every public document. SQLite's planner weighs an index it has no
statistics for as if it were selective and took the new date index for the rows of a page (20
keys) over their primary keys, so the table is analysed here, as migration 0007 does.
"""

import archive.models.base
import datetime
import django.db.models.functions.comparison
from django.db import migrations, models


def analyze(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ANALYZE documents_document")


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0012_facet_tallies'),
        ('documents', '0007_facet_columns_index'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='document',
            name='document_sort_date',
        ),
        migrations.RemoveIndex(
            model_name='document',
            name='document_sort_date_desc',
        ),
        migrations.AddIndex(
            model_name='document',
            index=models.Index(models.F('status'), models.F('restricted'), django.db.models.functions.comparison.Coalesce('date_start', archive.models.base.DateConstant(datetime.date(9999, 12, 31)), output_field=models.DateField()), models.F('title'), models.F('id'), models.F('date_start'), name='document_public_by_date'),
        ),
        migrations.AddIndex(
            model_name='document',
            index=models.Index(models.F('status'), models.F('restricted'), models.OrderBy(django.db.models.functions.comparison.Coalesce('date_start', archive.models.base.DateConstant(datetime.date(1, 1, 1)), output_field=models.DateField()), descending=True), models.OrderBy(models.F('title'), descending=True), models.OrderBy(models.F('id'), descending=True), models.F('date_start'), name='document_public_by_date_desc'),
        ),
        migrations.AddIndex(
            model_name='document',
            index=models.Index(fields=['status', 'restricted', 'title', 'id'], name='document_public_by_title'),
        ),
        migrations.AddIndex(
            model_name='document',
            index=models.Index(fields=['status', 'restricted', 'identifier', 'id'], name='document_public_by_identifier'),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop, elidable=False),
    ]
