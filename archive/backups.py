"""Backups: a consistent snapshot of the database and the media files, with a manifest.

A backup is a folder::

    kiroku-backup-20261123T120000Z/
        manifest.json      what is inside, with the SHA-256 and size of every file
        database.sqlite3   (SQLite) a copy made with SQLite's online backup API
        database.pgdump    (PostgreSQL) ``pg_dump --format=custom``
        media/...          every file under MEDIA_ROOT

The SQLite copy is taken page by page through the backup API, which gives a consistent
snapshot even while the site keeps writing (WAL readers are not blocked); ``pg_dump`` runs in
one repeatable-read transaction, which is consistent too. Restoring checks every checksum in
the manifest before it touches anything, then replaces the database and the media folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; nothing was changed."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Database:
    """How to reach the default database from outside Django (for pg_dump / pg_restore)."""

    vendor: str
    settings: dict[str, Any]

    @classmethod
    def default(cls) -> Database:
        return cls(connection.vendor, connection.settings_dict)

    @property
    def dump_name(self) -> str:
        return "database.sqlite3" if self.vendor == "sqlite" else "database.pgdump"

    def pg_args(self) -> tuple[list[str], dict[str, str]]:
        conf = self.settings
        args = ["--dbname", conf["NAME"]]
        for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if conf.get(key):
                args += [option, str(conf[key])]
        env = dict(os.environ)
        if conf.get("PASSWORD"):
            env["PGPASSWORD"] = conf["PASSWORD"]
        return args, env


def copy_sqlite(source: sqlite3.Connection, target_path: Path) -> None:
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        target.close()


def dump_database(database: Database, target: Path) -> None:
    if database.vendor == "sqlite":
        connection.ensure_connection()
        copy_sqlite(connection.connection, target)
    elif database.vendor == "postgresql":
        args, env = database.pg_args()
        run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env)
    else:
        raise BackupError(f"backups of {database.vendor} databases are not supported")


def restore_database(database: Database, source: Path) -> None:
    if database.vendor == "sqlite":
        connection.close()
        backup = sqlite3.connect(source)
        live = sqlite3.connect(database.settings["NAME"])
        try:
            backup.backup(live)  # replaces every page of the live database, atomically
        finally:
            live.close()
            backup.close()
    elif database.vendor == "postgresql":
        connection.close()
        args, env = database.pg_args()
        run(["pg_restore", "--clean", "--if-exists", "--no-owner", *args, str(source)], env)
    else:
        raise BackupError(f"restoring {database.vendor} databases is not supported")


def run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (it comes with the PostgreSQL client)")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # nosec B603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def migration_state() -> dict[str, str]:
    """The last applied migration of each app (restore refuses a backup from a newer schema)."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def create_backup(destination: Path, *, now: datetime | None = None) -> Path:
    """Write a backup folder under ``destination``; returns its path."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    folder = destination / f"kiroku-backup-{stamp}"
    if folder.exists():
        raise BackupError(f"{folder} already exists")
    partial = destination / f".{folder.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    database = Database.default()
    dump_database(database, partial / database.dump_name)
    media_root = Path(settings.MEDIA_ROOT)
    for path in media_files(media_root):
        target = partial / "media" / path.relative_to(media_root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    files = {
        str(path.relative_to(partial)): {"sha256": sha256_file(path), "size": path.stat().st_size}
        for path in sorted(partial.rglob("*"))
        if path.is_file()
    }
    manifest = {
        "format": FORMAT_VERSION,
        "created": stamp,
        "database": {"vendor": database.vendor, "file": database.dump_name},
        "migrations": migration_state(),
        "files": files,
    }
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    partial.rename(folder)  # a backup folder exists only once it is complete
    return folder


def verify_backup(folder: Path) -> dict[str, Any]:
    """The manifest, once every file in it is present with its checksum (else BackupError)."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{folder} has no {MANIFEST}: not a Kiroku backup")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    problems = []
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif sha256_file(path) != expected["sha256"]:
            problems.append(f"{name}: SHA-256 differs from the manifest (changed or corrupt)")
    listed = set(manifest["files"]) | {MANIFEST}
    extra = [
        str(path.relative_to(folder))
        for path in folder.rglob("*")
        if path.is_file() and str(path.relative_to(folder)) not in listed
    ]
    problems += [f"{name}: not in the manifest" for name in sorted(extra)]
    if problems:
        raise BackupError("the backup does not match its manifest:\n" + "\n".join(problems))
    return manifest


def restore_backup(folder: Path) -> dict[str, Any]:
    """Bring back the database and media of a verified backup; returns its manifest."""
    manifest = verify_backup(folder)
    database = Database.default()
    if manifest["database"]["vendor"] != database.vendor:
        raise BackupError(
            f"this backup is of a {manifest['database']['vendor']} database; "
            f"the configured one is {database.vendor}"
        )
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = [
        f"{app}.{name}"
        for app, name in manifest.get("migrations", {}).items()
        if app in {key[0] for key in known} and (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            "this backup comes from a newer version of Kiroku (migrations "
            f"{', '.join(unknown)}); upgrade before restoring it"
        )
    restore_database(database, folder / manifest["database"]["file"])
    media_root = Path(settings.MEDIA_ROOT)
    backup_media = folder / "media"
    if media_root.exists():
        shutil.rmtree(media_root)
    if backup_media.is_dir():
        shutil.copytree(backup_media, media_root)
    else:
        media_root.mkdir(parents=True, exist_ok=True)
    return manifest
