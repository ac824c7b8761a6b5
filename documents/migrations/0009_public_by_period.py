"""An index of the public documents by class of span and start, for filters by period.

A filter by a year, a decade or a from–to range asks for the records that start before the
period ends and end after it begins; with this index each class of span (a year or less, a
decade, a century; ``archive.models.base.DateSpanClass``) is read as a range of starts near the
period. SQLite's planner needs statistics to weigh the new index against the others, so the
table is analysed here, as migrations 0007 and 0008 do.
"""

import archive.models.base
from django.db import migrations, models


def analyze(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ANALYZE documents_document")


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0013_facet_tally_scopes'),
        ('documents', '0008_public_order_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='document',
            index=models.Index(models.F('status'), models.F('restricted'), archive.models.base.DateSpanClass(), models.F('date_start'), models.F('date_end'), name='document_public_by_period'),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop, elidable=False),
    ]
