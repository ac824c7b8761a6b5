"""In-process measurements of one generated archive (run by ``bench/run`` in a subprocess).

For each case (a page or API request) it takes the latency of the whole request through
Django's test client (p50 and p95 over repeated requests), twice: *computed*, with the catalogue
cache emptied before each request (the first reader after a change, or a harvester's next page),
and *served*, the same URL repeated (a popular page, its counts or response from the cache). As
the baseline measured in the same run, it times the very same SQL run directly on the database:
the computed request's queries are captured with ``CaptureQueriesContext`` and re-run through
the driver's own cursor, so ``computed ÷ SQL`` is what Django, the serializers and the
templates add. It also measures the
import path's rate against the database's raw bulk insert of the same rows, and writes each
page's body to a static file of the same size for the HTTP comparison done by the runner.

Usage (inside the benchmark's environment)::

    python -m bench.measure --manifest var/generated-g1.json --repeat 30 --out result.json
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

FACETS = "form,language,repository,subject,place,agent,role,year,decade"


@dataclass
class Case:
    """One measured request: what it is, its URL, and whether it needs a curator's session."""

    name: str
    url: str
    group: str
    staff: bool = False


@dataclass
class Result:
    name: str
    group: str
    url: str
    status: int
    bytes: int
    queries: int
    p50_ms: float
    p95_ms: float
    sql_p50_ms: float
    sql_p95_ms: float
    #: the same request with nothing cached (the first reader after a change, a new page)
    computed_p50_ms: float = 0.0
    computed_p95_ms: float = 0.0
    static_path: str = ""
    staff: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """What Django adds to the same work: the computed request ÷ its SQL."""
        return self.computed_p50_ms / self.sql_p50_ms if self.sql_p50_ms else 0.0


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return round(p50 * 1000, 2), round(p95 * 1000, 2)


def _timed(function: Callable[[], Any], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        samples.append(time.perf_counter() - began)
    return samples


def cases(manifest: dict[str, Any]) -> list[Case]:
    """The requests measured, chosen from the generated archive."""
    from django.db.models import Count
    from django.urls import Resolver404, resolve

    from archive.browse import DEFAULT_PAGE_SIZE
    from documents.models import Document, Subject

    prefix = manifest["prefix"]
    mine = Document.objects.public().filter(identifier__startswith=f"{prefix}-")
    # a selective filter: a subject in the long tail; a broad one: the largest language
    tail = (
        Subject.objects.filter(identifier__startswith=f"{prefix}-")
        .annotate(n=Count("documents"))
        .filter(n__gte=2)
        .order_by("n", "identifier")
        .first()
    )
    document = mine.order_by("pk")[len(manifest["repositories"]) * 7]
    total = Document.objects.public().count()  # what the lists page through
    last_page = max(1, (total + DEFAULT_PAGE_SIZE - 1) // DEFAULT_PAGE_SIZE)
    api_last_page = max(1, (total + 19) // 20)
    dated = Document.objects.public().filter(date_start__isnull=False).order_by("date_start")
    year = dated.values_list("date_start", flat=True)[dated.count() // 2].year
    listed = [
        Case("browse: first page", "/documents/", "browse"),
        Case("browse: all facets (API)", f"/api/v1/documents/?facets={FACETS}", "browse"),
        Case(
            "browse: selective filter + facets",
            f"/api/v1/documents/?subject={tail.identifier}&facets={FACETS}",
            "browse",
        ),
        Case(
            "browse: broad filter + facets",
            f"/api/v1/documents/?language=ja&facets={FACETS}",
            "browse",
        ),
        # a period: the year the middle of the dated documents start in
        Case(
            "browse: a year + facets", f"/api/v1/documents/?year={year}&facets={FACETS}", "browse"
        ),
        Case("browse: a year (HTML)", f"/documents/?year={year}", "browse"),
        Case("browse: last page (HTML)", f"/documents/?page={last_page}", "deep"),
        # the farthest from either end: read from the nearer end, half the list is stepped over
        Case("browse: middle page (HTML)", f"/documents/?page={(last_page + 1) // 2}", "deep"),
    ]
    try:
        resolve("/search/")
        search_page = True
    except Resolver404:
        search_page = False
    for marker in manifest["markers"]:
        word, hits = quote(marker["word"]), marker["expected"]
        listed.append(
            Case(
                f"search: {hits:,} hits ({marker['word']})",
                f"search:{marker['word']}",
                "search",
            )
        )
        listed.append(
            Case(
                f"API ?q={marker['word']} (substring filter) + facets",
                f"/api/v1/documents/?q={word}&facets=language,form,repository,year",
                "api-q",
            )
        )
        if search_page:
            listed.append(Case(f"search page: {hits:,} hits", f"/search/?q={word}", "search"))
    listed += [
        Case("API list (cursor)", "/api/v1/documents/", "api"),
        Case("API list: deep cursor", "/api/v1/documents/?cursor=" + _deep_cursor(mine), "deep"),
        Case("API list: numbered, last page", f"/api/v1/documents/?page={api_last_page}", "deep"),
        Case("API detail", f"/api/v1/documents/{document.identifier}/", "api"),
        Case("document page", document.get_absolute_url(), "api"),
        Case("admin changelist", "/admin/documents/document/", "admin", staff=True),
        Case(
            "admin changelist: last page",
            f"/admin/documents/document/?p={max(0, (Document.objects.count() - 1) // 100)}",
            "deep",
            staff=True,
        ),
        Case(
            "admin changelist: search",
            f"/admin/documents/document/?q={manifest['markers'][0]['word']}",
            "admin",
            staff=True,
        ),
    ]
    return listed


def _deep_cursor(queryset: Any) -> str:
    """An API cursor positioned nine tenths of the way through the default (date) order."""
    from archive.api.pagination import _encode
    from archive.models.base import sort_date

    ordered = queryset.annotate(sort_date=sort_date()).order_by("sort_date", "title", "id")
    row = ordered.values("sort_date", "title", "id")[int(queryset.count() * 0.9)]
    return _encode([row["sort_date"], row["title"], row["id"]], False)


def _raw_queries(captured: list[dict[str, str]]) -> list[str]:
    """The statements of a request worth re-running: reads, not transactions or writes."""
    return [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]


def search_with_facets(word: str) -> bytes:
    """Search through the search module, as a search page does: the first 20 ranked hits
    with snippets, the count per kind, and four facets of the matching public documents."""
    from django.http import QueryDict

    from archive import search
    from archive.facets import facet_counts
    from documents.filters import DocumentFilterSet
    from documents.models import Document

    hits = search.search(word, kinds=["document"], limit=20)
    counts = search.count_by_kind(word)
    params = QueryDict(mutable=True)
    params["q"] = word
    facets = facet_counts(
        DocumentFilterSet,
        params,
        ["language", "form", "repository", "year"],
        Document.objects.public(),
    )
    payload = {"counts": counts, "hits": [str(hit.snippet) for hit in hits], "facets": facets}
    return json.dumps(payload, ensure_ascii=False).encode()


def measure_case(client: Any, case: Case, repeat: int, static_dir: Path) -> Result:
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    class _Called:  # a search-module call measured like a page (no HTTP status of its own)
        status_code = 200

        def __init__(self, content: bytes) -> None:
            self.content = content

    def request() -> Any:
        if case.url.startswith("search:"):
            return _Called(search_with_facets(case.url.removeprefix("search:")))
        return client.get(case.url)

    def computed() -> Any:
        """The request with the catalogue cache empty: everything is counted and rendered."""
        catalogue.clear()
        return request()

    catalogue = caches[settings.CATALOGUE_CACHE]
    began = time.perf_counter()
    response = computed()
    # warm caches (templates, query plans, the database's pages); a request of seconds has
    # warmed them itself, and repeating it would only add minutes to a run at a million
    quick = time.perf_counter() - began < 2
    for _ in range(2 if quick else 0):
        computed()
    # each request starts by emptying the query log (request_started), so start from empty
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = computed()
    queries = list(captured.captured_queries)  # read now: the next request empties the log
    body = response.content
    computed_samples = _timed(computed, repeat)
    request()  # the cache filled: what a repeated request (a popular page) costs
    samples = _timed(request, repeat)
    statements = _raw_queries(queries)
    raw = connection.connection  # the driver's own connection

    def run_raw() -> None:
        cursor = raw.cursor()
        for statement in statements:
            cursor.execute(statement)
            cursor.fetchall()
        cursor.close()

    if quick:
        run_raw()
    sql_samples = _timed(run_raw, repeat)
    p50, p95 = _percentiles(samples)
    computed_p50, computed_p95 = _percentiles(computed_samples)
    sql_p50, sql_p95 = _percentiles(sql_samples)
    slug = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in case.name.lower())
    slug = re.sub("-+", "-", slug).strip("-")
    static_path = static_dir / f"{slug}.html"
    static_path.write_bytes(body)
    return Result(
        name=case.name,
        group=case.group,
        url=case.url,
        status=response.status_code,
        bytes=len(body),
        queries=len(queries),
        p50_ms=p50,
        p95_ms=p95,
        sql_p50_ms=sql_p50,
        sql_p95_ms=sql_p95,
        computed_p50_ms=computed_p50,
        computed_p95_ms=computed_p95,
        static_path=f"bench/{static_path.name}",
        staff=case.staff,
    )


def import_rate(manifest: dict[str, Any], rows: int) -> dict[str, Any]:
    """Documents per second through ``import_file`` beside the raw bulk insert of the same rows.

    The import runs in a transaction that is rolled back, so the archive is left as it was.
    """
    from django.db import connection, transaction
    from django.test import TestCase

    from archive.importers import import_file
    from archive.models import Collection
    from documents.models import Document, Subject

    prefix = manifest["prefix"]
    units = list(
        Collection.objects.filter(identifier__startswith=f"{prefix}-", children__isnull=True)
        .select_related("repository")
        .order_by("pk")[:50]
    )
    subjects = list(
        Subject.objects.filter(identifier__startswith=f"{prefix}-")
        .order_by("pk")
        .values_list("identifier", flat=True)[:200]
    )
    columns = [
        "identifier",
        "title",
        "document_type",
        "date_edtf",
        "languages",
        "summary",
        "repository",
        "collection",
        "reference_level",
        "reference_segment",
        "subjects",
        "status",
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for index in range(rows):
        unit = units[index % len(units)]
        writer.writerow(
            [
                f"bench-import-{index:07d}",
                f"Imported record {index} on fisheries and the peace treaty",
                "letter",
                f"{1950 + index % 20}-{1 + index % 12:02d}-{1 + index % 28:02d}",
                "ja; en" if index % 3 else "ru",
                "A summary of the record, as a curator would write it for the catalogue.",
                unit.repository.identifier,
                unit.identifier,
                "item",
                str(100_000 + index),
                "; ".join(subjects[(index * 7 + k) % len(subjects)] for k in range(2)),
                "published",
            ]
        )
    data = buffer.getvalue().encode()
    with transaction.atomic():
        began = time.perf_counter()
        # what the import leaves for after its commit (the search index of the new records)
        # is part of its work: run inside the transaction, so it is timed and rolled back too
        with TestCase.captureOnCommitCallbacks(execute=True):
            result = import_file(data, filename="bench-import.csv")
        seconds = time.perf_counter() - began
        if not result.ok:
            raise RuntimeError("; ".join(str(error) for error in result.errors[:5]))
        transaction.set_rollback(True)
    # the database's own bulk load of the same rows into a table shaped like the documents'
    table = Document._meta.db_table
    fields = [
        "identifier",
        "title",
        "summary",
        "date_edtf",
        "date_start",
        "date_end",
        "reference_segment",
        "status",
    ]
    values = [
        (
            f"bench-raw-{index:07d}",
            f"Imported record {index} on fisheries and the peace treaty",
            "A summary of the record, as a curator would write it for the catalogue.",
            "1956-10-19",
            "1956-10-19",
            "1956-10-19",
            str(index),
            "published",
        )
        for index in range(rows)
    ]
    placeholder = "%s" if connection.vendor == "postgresql" else "?"
    with transaction.atomic():
        raw = connection.connection.cursor()
        raw.execute(f"CREATE TEMPORARY TABLE bench_raw_insert AS SELECT * FROM {table} WHERE 1=0")
        began = time.perf_counter()
        raw.executemany(
            f"INSERT INTO bench_raw_insert ({', '.join(fields)}) "
            f"VALUES ({', '.join([placeholder] * len(fields))})",
            values,
        )
        raw_seconds = time.perf_counter() - began
        raw.execute("DROP TABLE bench_raw_insert")
        transaction.set_rollback(True)
    return {
        "rows": rows,
        "import_seconds": round(seconds, 3),
        "import_per_second": round(rows / seconds, 1),
        "raw_per_second": round(rows / raw_seconds, 1),
    }


def _vacuum() -> None:
    """``VACUUM (ANALYZE)`` PostgreSQL before measuring, as its autovacuum keeps a database in
    use: each run's import is rolled back, which leaves its rows dead in the tables and their
    pages no longer all-visible, and an ``ANALYZE`` taken then (by hand, or by autovacuum
    between runs) prices the covering indexes' index-only scans as visits to the table. After
    one such run the search's facet pass at 100,000 matches was planned as sequential scans of
    the documents and their languages (640 ms against 350 after a ``VACUUM (ANALYZE)``)."""
    from django.db import connection

    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    print(f"  VACUUM (ANALYZE): {time.perf_counter() - began:.1f} s", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--import-rows", type=int, default=2000)
    parser.add_argument("--static-dir", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    manifest = json.loads(Path(args.manifest).read_text())
    if connection.vendor == "postgresql":
        _vacuum()
    static_dir = Path(args.static_dir) / "bench"
    static_dir.mkdir(parents=True, exist_ok=True)
    User = get_user_model()
    admin = User.objects.filter(username="bench-admin").first() or User.objects.create_superuser(
        "bench-admin", "bench@example.org", None
    )
    # no test environment: its template instrumentation would add to every page's time
    public, staff = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    staff.force_login(admin)
    results = []
    for case in cases(manifest):
        result = measure_case(staff if case.staff else public, case, args.repeat, static_dir)
        print(
            f"  {case.name:<40} {result.p50_ms:>8.1f} ms p50 {result.p95_ms:>8.1f} ms p95; "
            f"computed {result.computed_p50_ms:.1f} / {result.computed_p95_ms:.1f} ms "
            f"(SQL {result.sql_p50_ms:.1f} ms, {result.queries} queries, {result.status})",
            file=sys.stderr,
        )
        if result.status != 200:
            # a redirect or an error page is not the page: its figures would mean nothing
            raise SystemExit(
                f"{case.name}: {case.url} answered HTTP {result.status}, not 200; "
                "check the benchmark's environment (HTTPS=0, ALLOWED_HOSTS, rate limits)."
            )
        results.append(result)
    imports = import_rate(manifest, args.import_rows)
    print(
        f"  import: {imports['import_per_second']:,.0f} documents/s "
        f"(raw insert {imports['raw_per_second']:,.0f} rows/s)",
        file=sys.stderr,
    )
    output = {
        "vendor": connection.vendor,
        "server": _server_settings(),
        "manifest": manifest,
        "results": [asdict(r) | {"ratio": round(r.ratio, 2)} for r in results],
        "import": imports,
        "session_cookie": f"sessionid={staff.cookies['sessionid'].value}",
    }
    Path(args.out).write_text(json.dumps(output, ensure_ascii=False, indent=2))


def _server_settings() -> str:
    """The database's version and the settings that most change its figures, for the report."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = (
                "server_version",
                "shared_buffers",
                "work_mem",
                "max_parallel_workers",
                "max_parallel_workers_per_gather",
                "parallel_setup_cost",
                "jit",
            )
            values = []
            for name in names:
                cursor.execute(f"SHOW {name}")  # nosec B608 (names above)
                values.append(f"{name} {cursor.fetchone()[0]}")
            return "PostgreSQL: " + ", ".join(values)
        cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
        cursor.execute("PRAGMA journal_mode")
        return f"SQLite {version}, journal_mode {cursor.fetchone()[0]}"


if __name__ == "__main__":
    main()
