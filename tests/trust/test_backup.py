"""Nothing lost: backup, restore and fixity checks, run as an operator would, in fresh processes
against an archive of their own (the test database is not touched): an SQLite file always, and
a PostgreSQL database of its own (``pg_dump`` / ``pg_restore``) when the suite runs on
PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

SETUP = """
from django.core.files.base import ContentFile
from documents.models import DigitalObject, Document, DocumentType
form = DocumentType.objects.create(code="letter", name="letter")
for n in range(3):
    doc = Document.objects.create(identifier=f"t-bk-{n}", title=f"Letter {n}",
                                  document_type=form, status="published")
    obj = DigitalObject(document=doc, key="scan", label="scan", status="published")
    obj.file.save(f"scan-{n}.txt", ContentFile(f"page {n} of the letter".encode()), save=False)
    obj.save()
print(DigitalObject.objects.count())
"""
DAMAGE = """
from documents.models import Document
Document.objects.filter(identifier="t-bk-0").delete()
Document.objects.filter(identifier="t-bk-1").update(title="Overwritten")
"""


DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


def postgres_server() -> str | None:
    """The suite's PostgreSQL server URL, when the suite runs on PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def archive_env(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    var = tmp_path_factory.mktemp("backup-archive")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MEDIA_ROOT"}}
    env |= {"KIROKU_VAR_DIR": str(var), "DEBUG": "1"}
    database = None
    if request.param == "postgresql":
        server = postgres_server()
        if server is None:
            pytest.skip("PostgreSQL backups are tested when the suite runs on PostgreSQL")
        database = f"kiroku_backup_{os.getpid()}"
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}"')
            admin.execute(f'CREATE DATABASE "{database}"')
        env["DATABASE_URL"] = urlsplit(server)._replace(path=f"/{database}").geturl()
    manage("migrate", "-v0", env=env)
    assert manage("shell", "--no-imports", "-c", SETUP, env=env).stdout.strip() == "3"
    yield env
    if database is not None:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{database}" WITH (FORCE)')


def manage(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def dump(env: dict[str, str]) -> list[dict]:
    out = manage("dumpdata", "archive", "documents", "people", "auth", env=env).stdout
    return json.loads(out)


def media(env: dict[str, str]) -> dict[str, str]:
    root = Path(env["KIROKU_VAR_DIR"]) / "media"
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def test_backup_restore_round_trip(archive_env: dict[str, str], tmp_path: Path) -> None:
    env = archive_env
    records, files = dump(env), media(env)
    assert len(files) == 3
    folder = Path(manage("backup", "-o", str(tmp_path), env=env).stdout.strip())
    manifest = json.loads((folder / "manifest.json").read_text())
    vendor = "postgresql" if "DATABASE_URL" in env else "sqlite"
    assert manifest["database"]["vendor"] == vendor
    assert set(manifest["files"]) == {DUMP_NAMES[vendor]} | {f"media/{name}" for name in files}
    for name, entry in manifest["files"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == entry["sha256"]

    # lose a record, overwrite another, change a file and add a stray one
    manage("shell", "--no-imports", "-c", DAMAGE, env=env)
    media_root = Path(env["KIROKU_VAR_DIR"]) / "media"
    changed = next(media_root.rglob("scan-1*"))
    changed.write_bytes(b"tampered")
    (media_root / "stray.txt").write_bytes(b"not in the backup")
    assert dump(env) != records

    result = manage("restore", str(folder), "--no-input", env=env)
    assert "Restored" in result.stdout
    assert dump(env) == records
    assert media(env) == files
    assert (
        manage("check_fixity", env=env).stdout.strip().endswith("3 file(s) checked, 0 problem(s).")
    )


def test_restore_refuses_a_damaged_backup(archive_env: dict[str, str], tmp_path: Path) -> None:
    env = archive_env
    folder = Path(manage("backup", "-o", str(tmp_path), env=env).stdout.strip())
    before = dump(env)
    media_file = next((folder / "media").rglob("*.txt"))
    media_file.write_bytes(b"bit rot")
    result = manage("restore", str(folder), "--no-input", env=env, check=False)
    assert result.returncode != 0
    assert "SHA-256 differs" in result.stderr
    assert "Nothing was changed" in result.stderr
    assert dump(env) == before
    verify = manage("restore", str(folder), "--verify-only", env=env, check=False)
    assert verify.returncode != 0


def test_check_fixity_reports_changed_and_missing_files(archive_env: dict[str, str]) -> None:
    env = archive_env
    media_root = Path(env["KIROKU_VAR_DIR"]) / "media"
    originals = {path: path.read_bytes() for path in media_root.rglob("scan-*")}
    first, second = sorted(originals)[:2]
    try:
        first.write_bytes(b"silently changed")
        second.unlink()
        result = manage("check_fixity", env=env, check=False)
        assert result.returncode != 0
        assert "CHANGED" in result.stdout
        assert first.name in result.stdout
        assert "MISSING" in result.stdout
        assert second.name in result.stdout
        assert "2 problem(s)" in result.stderr
    finally:
        for path, content in originals.items():
            path.write_bytes(content)
    assert manage("check_fixity", env=env).returncode == 0
