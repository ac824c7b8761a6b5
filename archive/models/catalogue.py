"""The catalogue's version: the number that cached whole-catalogue results are keyed by."""

from __future__ import annotations

from contextlib import suppress

from django.db import IntegrityError, connections, models
from django.utils import timezone


class CatalogueVersion(models.Model):
    """One row whose ``number`` moves on after every committed change to the catalogue.

    :mod:`archive.catalogue_cache` moves it on and reads it; nothing else should write it.
    """

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "catalogue version"

    def __str__(self) -> str:
        return f"catalogue version {self.number}"

    @classmethod
    def current(cls, using: str = "default") -> int:
        """The stored number (0 before the first change is recorded).

        A plain statement: it runs on every cached page, where building it through the ORM
        cost more than the rest of the page.
        """
        with connections[using].cursor() as cursor:
            cursor.execute(f"SELECT number FROM {cls._meta.db_table} WHERE id = 1")  # nosec B608
            row = cursor.fetchone()
        return row[0] if row else 0

    @classmethod
    def move_on(cls, using: str = "default") -> None:
        """Add one to the number (creating the row on the first change).

        Plain statements, not the ORM's: this runs from a cursor wrapper, possibly while the
        statement that changed the catalogue still has rows to return, where SQLite refuses
        the commit of a transaction (``get_or_create`` would open one).
        """
        table = cls._meta.db_table
        now = timezone.now()
        with connections[using].cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET number = number + 1, changed_at = %s WHERE id = 1",  # nosec B608
                [now],
            )
            if cursor.rowcount:
                return
            # another process may create it first: its change is counted all the same
            with suppress(IntegrityError):
                cursor.execute(
                    f"INSERT INTO {table} (id, number, changed_at) "  # nosec B608
                    f"SELECT 1, 1, %s WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE id = 1)",
                    [now],
                )
