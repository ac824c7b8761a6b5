"""Facet tallies by scope: the counts of the records that have one facet value, kept for
values many records have (archive.facet_tallies); the existing tallies are every record's
(scope "")."""

from django.db import migrations, models


def drop_scopes(apps, schema_editor):
    """Undone: only every record's tallies fit the table without scopes."""
    apps.get_model("archive", "FacetTally").objects.exclude(scope="").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0012_facet_tallies'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='facettally',
            name='facettally_unique_value',
        ),
        migrations.RemoveIndex(
            model_name='facettally',
            name='facettally_largest',
        ),
        migrations.AddField(
            model_name='facettally',
            name='scope',
            field=models.TextField(blank=True, default='', verbose_name='scope (facet value)'),
        ),
        migrations.AddIndex(
            model_name='facettally',
            index=models.Index(fields=['kind', 'scope', 'facet', '-records'], name='facettally_largest'),
        ),
        migrations.AddConstraint(
            model_name='facettally',
            constraint=models.UniqueConstraint(fields=('kind', 'facet', 'value', 'scope'), name='facettally_unique_value'),
        ),
        # undone first
        migrations.RunPython(migrations.RunPython.noop, drop_scopes, elidable=True),
    ]
