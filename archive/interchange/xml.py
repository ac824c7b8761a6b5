"""Small helpers for writing XML safely with lxml, whatever the text in the records."""

from __future__ import annotations

import re

from django.http import HttpResponse
from lxml import etree

# Characters XML 1.0 does not allow (C0 controls other than tab, newline and carriage return,
# lone surrogates, U+FFFE/U+FFFF): lxml refuses them, so they are dropped from any text written.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XLINK = "http://www.w3.org/1999/xlink"


def clean_text(text: object) -> str:
    """``text`` as a string XML can hold: characters XML forbids are removed."""
    return _NOT_XML.sub("", str(text))


def sub(
    parent: etree._Element, tag: str, text: str = "", attributes: dict[str, str] | None = None
) -> etree._Element:
    """A child element with cleaned text and attributes (empty attributes are left out)."""
    element = etree.SubElement(parent, tag)
    for name, value in (attributes or {}).items():
        if value:
            element.set(name, clean_text(value))
    if text:
        element.text = clean_text(text)
    return element


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a note: blocks separated by blank lines, stripped, empty ones dropped."""
    return [part.strip() for part in re.split(r"\n\s*\n", text or "") if part.strip()]


def xml_response(root: etree._Element, filename: str) -> HttpResponse:
    """An XML download: UTF-8 with a declaration, named ``filename`` for the browser."""
    body = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
