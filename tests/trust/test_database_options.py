"""The connection options Kiroku sets on each database (``archive.settings.database_config``)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's options")
def test_sqlite_connections_keep_a_large_page_cache() -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        # negative: KiB, so 64 MiB, not the default 2 MiB
        assert cursor.fetchone()[0] == -65536
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 1  # NORMAL


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's options")
def test_postgresql_sessions_compile_no_queries() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
