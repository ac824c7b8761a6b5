"""The connection options Kiroku sets on each database (``archive.settings.database_config``)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's options")
def test_sqlite_connections_sync_at_checkpoints_and_wait_for_the_write_lock() -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 1  # NORMAL: safe in WAL mode, no sync per commit
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20_000  # ms: a second writer waits, not fails


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's options")
def test_postgresql_sessions_compile_no_queries_and_start_few_workers() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW parallel_setup_cost")
        assert float(cursor.fetchone()[0]) == 10_000
