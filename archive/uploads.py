"""Checks on uploaded import files before anything reads them: size, name and kind of content.

An import is CSV or JSON text. A spreadsheet (a ZIP archive, possibly a zip bomb), an XML file
(possibly with external entities or an entity-expansion bomb), or any other binary file is
refused from its first bytes, before it is decoded or parsed, with a message that says what the
file looks like and what to upload instead. Nothing in Kiroku parses uploaded XML.
"""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

#: what an import file may be called
IMPORT_SUFFIXES = (".csv", ".json")
#: leading bytes of files that are not CSV or JSON text, and what they are
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (an .xlsx or .ods spreadsheet?)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel/Office file"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"<?xml", "an XML document"),
    (b"<!DOCTYPE", "an XML or HTML document"),
)


def import_max_bytes() -> int:
    return getattr(settings, "KIROKU_IMPORT_MAX_BYTES", 20 * 1024 * 1024)


def content_problem(head: bytes) -> str | None:
    """Why bytes starting with ``head`` are not an import file, or None if they may be one."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return "this is UTF-16 or UTF-32 text; save it as UTF-8"
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    for signature, kind in SIGNATURES:
        if text[: len(signature)].lower() == signature.lower():
            return f"this is {kind}, not CSV or JSON text; save it as CSV (UTF-8) or JSON"
    if text.startswith(b"<"):
        return "this looks like XML or HTML, not CSV or JSON text"
    if b"\x00" in head:
        return "this is a binary file (it contains NUL bytes), not CSV or JSON text"
    return None


def check_import_upload(upload: UploadedFile) -> None:
    """Refuse an upload that is too large, wrongly named or not CSV/JSON text."""
    limit = import_max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            f"The file is {upload.size:,} bytes; the admin imports files up to {limit:,} bytes. "
            "Split it, or use manage.py import_records."
        )
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        raise ValidationError(
            f"“{upload.name}” is not a .csv or .json file; export the records as CSV or JSON."
        )
    head = upload.read(8192)
    upload.seek(0)
    problem = content_problem(head)
    if problem:
        raise ValidationError(f"“{upload.name}”: {problem}.")
