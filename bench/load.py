"""The load test: crowds and harvesters on the site while a curator edits and an import runs.

``bench/load [--clients 50] [--seconds 120] [--postgres URL]`` loads the founding collection
into a throw-away database, serves the site with gunicorn on loopback, and runs until the time
is up (or ``--max-requests`` is reached), all at once:

- ``--clients`` readers, each cycling through browse (with facets), search in three scripts,
  document and person pages, API lists and details, and a full OAI-PMH harvest;
- a curator editing one document through the API with ``If-Match``, again and again;
- ``manage.py import_records`` importing a batch of documents.

It then prints requests, errors and latency percentiles per kind of request, and checks that
nothing was lost: the edited document holds the last edit that was acknowledged, with one
history row per acknowledged edit, and the import is there whole. It exits non-zero on any 5xx,
any lost write or a failed import. Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

from bench.runner import PYTHON, ROOT, _environment, _free_port, _run, _wait_until_serving

READS = [
    ("browse", "/documents/"),
    ("browse", "/documents/?language=ja&language=ru"),
    ("browse", "/people/?kind=person"),
    ("search", "/search/?q=Khrushchev"),
    ("search", "/search/?q=%D0%A5%D1%80%D1%83%D1%89%D1%91%D0%B2"),
    ("search", "/search/?q=%E5%85%B1%E5%90%8C%E5%AE%A3%E8%A8%80"),
    ("detail", "/documents/memcon-khrushchev-kono-1956-10-18/"),
    ("detail", "/documents/joint-declaration-1956/"),
    ("detail", "/people/khrushchev-nikita/"),
    ("api", "/api/v1/documents/?facets=language,form"),
    ("api", "/api/v1/agents/?q=Hatoyama"),
    ("api", "/api/v1/documents/joint-declaration-1956/?expand=texts"),
    ("oai", "/oai?verb=ListRecords&metadataPrefix=oai_dc"),
]
EDITED = "joint-declaration-1956"


class Recorder:
    """Thread-safe tallies: latencies and statuses per kind of request."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.count = 0

    def add(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[kind][status] += 1
            self.count += 1


def request(
    url: str, method: str = "GET", body: bytes | None = None, headers: dict | None = None
) -> tuple[int, bytes, dict[str, str]]:
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)
    except OSError:
        return 599, b"", {}  # connection refused or reset: counted as a server failure


def reader(base: str, deadline: float, recorder: Recorder, limit: int, seed: int) -> None:
    rng = random.Random(seed)  # nosec B311 (request mix, not security)
    while time.time() < deadline and recorder.count < limit:
        kind, path = rng.choice(READS)
        url = base + path
        while True:  # an OAI harvest follows its resumption tokens to the end
            began = time.perf_counter()
            status, body, _ = request(url)
            recorder.add(kind, time.perf_counter() - began, status)
            token = body.split(b"<resumptionToken", 1)
            if kind != "oai" or len(token) < 2 or b">" not in token[1]:
                break
            value = token[1].split(b">", 1)[1].split(b"<", 1)[0].decode()
            if not value or time.time() >= deadline:
                break
            url = f"{base}/oai?verb=ListRecords&resumptionToken={value}"


def curator(base: str, token: str, deadline: float, acknowledged: list[str]) -> None:
    """Edit one document again and again, each edit conditional on the version last read."""
    url = f"{base}/api/v1/documents/{EDITED}/"
    auth = {"Authorization": f"Token {token}"}
    edit = 0
    while time.time() < deadline:
        status, _, headers = request(url, headers=auth)
        if status != 200:
            continue
        edit += 1
        summary = f"Edited under load, edit {edit}."
        status, _, _ = request(
            url,
            "PATCH",
            json.dumps({"summary": summary}).encode(),
            {**auth, "Content-Type": "application/json", "If-Match": headers["ETag"]},
        )
        if status == 200:
            acknowledged.append(summary)
        time.sleep(0.2)


def import_batch(env: dict[str, str], var_dir: Path, count: int) -> subprocess.CompletedProcess:
    rows = ["identifier,title,document_type,date_edtf,collection,status"]
    rows += [
        f"load-doc-{n},Load test letter {n},letter,1956-10-19,rgani-f52,published"
        for n in range(count)
    ]
    path = var_dir / "load-documents.csv"
    path.write_text("\r\n".join(rows), encoding="utf-8")
    return subprocess.run(
        [PYTHON, "manage.py", "import_records", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def check(env: dict[str, str], code: str) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--imported", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", help="a PostgreSQL server URL; SQLite otherwise")
    args = parser.parse_args(argv)

    var_dir = Path(tempfile.mkdtemp(prefix="kiroku-load-"))
    env = _environment(var_dir, args.postgres)
    _run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    _run([PYTHON, "manage.py", "load_founding_collection", "-v0"], env)
    _run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    token = (
        check(
            env,
            "from django.contrib.auth.models import Group, User\n"
            "from rest_framework.authtoken.models import Token\n"
            "from archive.workflow import REVIEWER\n"
            "u = User.objects.create_user('load-curator', is_staff=True)\n"
            "u.groups.add(Group.objects.get(name=REVIEWER))\n"
            "print('TOKEN', Token.objects.create(user=u).key)\n",
        )
        .split("TOKEN ")[1]
        .strip()
    )

    port = _free_port()
    server = subprocess.Popen(
        [
            PYTHON, "-m", "gunicorn", "archive.wsgi:application",
            f"--workers={args.workers}", "--worker-class=gthread", "--threads=8",
            f"--bind=127.0.0.1:{port}", "--log-level=warning", "--timeout=120",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base + "/robots.txt")
        recorder, acknowledged = Recorder(), []
        deadline = time.time() + args.seconds
        threads = [
            threading.Thread(target=reader, args=(base, deadline, recorder, args.max_requests, n))
            for n in range(args.clients)
        ]
        threads.append(threading.Thread(target=curator, args=(base, token, deadline, acknowledged)))
        began = time.time()
        for thread in threads:
            thread.start()
        imported = import_batch(env, var_dir, args.imported)
        for thread in threads:
            thread.join()
        elapsed = time.time() - began
    finally:
        server.terminate()
        server.wait(timeout=60)

    state = check(
        env,
        "from documents.models import Document\n"
        f"d = Document.objects.get(identifier='{EDITED}')\n"
        "print('STATE', d.history.filter(history_type='~', summary__startswith='Edited under')"
        ".count(), Document.objects.filter(identifier__startswith='load-doc-').count())\n"
        "print('SUMMARY', d.summary)\n",
    )
    history_edits, imported_rows = (int(v) for v in state.split("STATE ")[1].split()[:2])
    summary = state.split("SUMMARY ", 1)[1].strip()

    print(f"\n{recorder.count} requests in {elapsed:.0f} s ({recorder.count / elapsed:.1f}/s), "
          f"{args.clients} clients, {args.workers} gunicorn workers × 8 threads")  # fmt: skip
    print("| kind | requests | 5xx | other non-2xx | p50 ms | p95 ms | p99 ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    server_errors = 0
    for kind in sorted(recorder.latencies):
        statuses = recorder.statuses[kind]
        errors = sum(n for status, n in statuses.items() if status >= 500)
        other = sum(n for status, n in statuses.items() if 300 <= status < 500)
        server_errors += errors
        values = recorder.latencies[kind]
        print(
            f"| {kind} | {len(values)} | {errors} | {other} | "
            f"{statistics.median(values) * 1000:.0f} | {percentile(values, 0.95):.0f} | "
            f"{percentile(values, 0.99):.0f} |"
        )
    lost = not acknowledged or summary != acknowledged[-1] or history_edits != len(acknowledged)
    holds_last = summary == (acknowledged or [""])[-1]
    print(
        f"\ncurator edits acknowledged: {len(acknowledged)}; history rows: {history_edits}; "
        f"document holds the last acknowledged edit: {holds_last}"
    )
    print(f"import: exit {imported.returncode}, {imported_rows} of {args.imported} rows present")
    failed = server_errors or lost or imported.returncode or imported_rows != args.imported
    print("RESULT:", "FAILED" if failed else "passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
