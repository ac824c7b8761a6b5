"""SQLite under concurrent writers: several processes edit and import at once, none fails with
"database is locked", and no row or update is lost.

The processes are real ones (``manage.py shell``) on a database file of their own, configured
as the project configures SQLite (WAL, busy timeout, ``BEGIN IMMEDIATE``). Each editor
increments a shared counter read-modify-write inside a transaction, so a lost update would show
as a smaller total; an importer imports a batch of documents meanwhile.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

EDITORS = 4
EDITS = 25
IMPORTED = 200

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="a test of the SQLite configuration"
)

SETUP = """
from archive.models import Collection, ReferenceLevel, Repository
from documents.models import DocumentType
from people.models import Agent
repository = Repository.objects.create(identifier="t-mw-archive", name="Writers' Archive")
fond = ReferenceLevel.objects.create(repository=repository, code="fond", name="fond", rank=1)
Collection.objects.create(
    identifier="t-mw-fonds", repository=repository, level=fond, title="Fonds"
)
DocumentType.objects.create(code="t-mw-letter", name="letter")
Agent.objects.create(identifier="t-mw-counter", kind="person", name="Counter", biography="0")
"""

EDITOR = """
from django.db import transaction
from people.models import Agent
worker = {worker}
for edit in range({edits}):
    with transaction.atomic():
        counter = Agent.objects.get(identifier="t-mw-counter")
        counter.biography = str(int(counter.biography) + 1)
        counter.save()
    Agent.objects.create(identifier=f"t-mw-{{worker}}-{{edit}}", kind="person", name="Writer")
print("done")
"""

IMPORTER = """
from archive.importers import import_file
rows = ["identifier,title,document_type,date_edtf,collection,status"]
rows += [f"t-mw-doc-{{n}},Letter {{n}},t-mw-letter,1956-10-19,t-mw-fonds,draft"
         for n in range({count})]
result = import_file("\\r\\n".join(rows).encode(), filename="documents.csv")
assert result.written, result
print("done")
"""


def manage(var_dir: Path, code: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "KIROKU_VAR_DIR": str(var_dir),
        "DEBUG": "1",
        "DATABASE_URL": "",
        "DJANGO_SETTINGS_MODULE": "archive.settings",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", textwrap.dedent(code)],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err
    assert "database is locked" not in err
    return out


def test_concurrent_editors_and_an_import_lose_nothing(tmp_path: Path) -> None:
    finish(
        manage(
            tmp_path,
            "from django.core.management import call_command\ncall_command('migrate', verbosity=0)",
        )
    )
    finish(manage(tmp_path, SETUP))

    processes = [manage(tmp_path, EDITOR.format(worker=w, edits=EDITS)) for w in range(EDITORS)]
    processes.append(manage(tmp_path, IMPORTER.format(count=IMPORTED)))
    for process in processes:
        assert "done" in finish(process)

    check = manage(
        tmp_path,
        """
        from documents.models import Document
        from people.models import Agent
        print(
            "RESULT",
            Agent.objects.get(identifier="t-mw-counter").biography,
            Agent.objects.filter(identifier__startswith="t-mw-", name="Writer").count(),
            Document.objects.filter(identifier__startswith="t-mw-doc-").count(),
            Agent.history.filter(identifier="t-mw-counter").count(),
        )
        """,
    )
    [line] = [line for line in finish(check).splitlines() if line.startswith("RESULT ")]
    counter, writers, documents, history = line.split()[1:]
    assert int(counter) == EDITORS * EDITS  # no lost update
    assert int(writers) == EDITORS * EDITS  # no lost row
    assert int(documents) == IMPORTED  # the import, whole
    assert int(history) == EDITORS * EDITS + 1  # one history row per save, plus the creation
