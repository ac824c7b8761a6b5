"""PostgreSQL keeps what ranking reads in the entry's row: ``search_vector``, ``title`` and
``identifier`` get storage ``MAIN``.

Ranking reads the vector of every match (``ts_rank_cd``) and sorts ties by title. With the
default storage, a row longer than 2 kB has its largest values moved to the TOAST table, and
the vector is the largest (it holds the entry's words with their positions, and barely
compresses): each match then cost a TOAST index lookup and another page. At a million
documents, ranking 100,000 matches read 444,000 pages, 270 ms of its 430 fetching vectors
back. With these three in the row, the texts (``search_text``, ``display_text``,
``title_search``: they compress, and only the page of hits reads them) go to TOAST in their
place. ``MAIN`` still moves a value out of a row it cannot fit in (a very long transcript's
vector), so nothing is refused.

A storage setting applies to values written after it: rows written before keep their layout
until rewritten (``manage.py rebuild_search_index``, or ``VACUUM FULL archive_searchentry``).
Frozen here, and kept identical to the tail of ``install_statements()`` in
archive/search/backends.py (tests/search/test_index.py).
"""

from django.db import migrations

INSTALL = {
    "postgresql": [
        "ALTER TABLE archive_searchentry ALTER COLUMN search_vector SET STORAGE MAIN, "
        "ALTER COLUMN title SET STORAGE MAIN, ALTER COLUMN identifier SET STORAGE MAIN",
    ],
}
UNINSTALL = {
    "postgresql": [
        "ALTER TABLE archive_searchentry ALTER COLUMN search_vector SET STORAGE EXTENDED, "
        "ALTER COLUMN title SET STORAGE EXTENDED, ALTER COLUMN identifier SET STORAGE EXTENDED",
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
        ("archive", "0010_search_rank_index"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
