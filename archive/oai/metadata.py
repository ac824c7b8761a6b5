"""The metadata formats: Dublin Core (``oai_dc``) and EAD3 (``ead``), from the same records.

Both read only what :func:`archive.oai.records.with_relations` and
:func:`archive.oai.records.build_items` loaded, so writing a page of records runs no query.
Only public related records are named: agents through their public roles, public copies,
identifiers of public copies, relations to public documents, public child units.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from lxml import etree

from archive.models import Collection, ReferenceLevel
from archive.oai.records import Item
from archive.references import format_reference
from documents.models import Document
from people.models import AgentKind, DocumentRole

XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
EAD = "http://ead3.archivists.org/schema/"

CREATOR_ROLES = {DocumentRole.AUTHOR, DocumentRole.SENDER, DocumentRole.ISSUER}
CONTRIBUTOR_ROLES = {DocumentRole.TRANSLATOR, DocumentRole.RECORDER, DocumentRole.CONTRIBUTOR}
# A date statement that is already plain ISO 8601 (a day, month or year, or a range of them)
_PLAIN_DATE = re.compile(r"^\d{4}(-\d{2}){0,2}(/\d{4}(-\d{2}){0,2})?$")


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str
    write: Callable[[Item], etree._Element]


def absolute_url(record: Collection | Document) -> str:
    return settings.KIROKU_BASE_URL + record.get_absolute_url()


# --- Dublin Core -------------------------------------------------------------------------------


def oai_dc(item: Item) -> etree._Element:
    """The ``oai_dc:dc`` record of a document or a collection."""
    root = etree.Element(
        f"{{{OAI_DC}}}dc",
        nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI},
    )
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")

    def add(name: str, value: str | None) -> None:
        if value:
            etree.SubElement(root, f"{{{DC}}}{name}").text = value

    fields = document_dc(item) if isinstance(item.record, Document) else collection_dc(item)
    for name, value in fields:
        add(name, value)
    return root


def date_values(record: Collection | Document) -> list[str]:
    """The EDTF statement, plus its ISO bounds when the statement is not plain ISO 8601."""
    if not record.date_edtf:
        return []
    values = [record.date_edtf]
    if not _PLAIN_DATE.match(record.date_edtf) and record.date_start:
        start, end = record.date_start.isoformat(), record.date_end
        values.append(f"{start}/{end.isoformat()}" if end and end != record.date_start else start)
    return values


def document_dc(item: Item) -> list[tuple[str, str]]:
    document: Document = item.record
    roles = document.public_roles
    repository = item.unit.repository if item.unit is not None else None
    reference = item.reference()
    fields: list[tuple[str, str]] = [("title", document.title), ("title", document.title_original)]
    fields += [("creator", role.agent.name) for role in roles if role.role in CREATOR_ROLES]
    fields += [("contributor", role.agent.name) for role in roles if role.role in CONTRIBUTOR_ROLES]
    fields += [("subject", subject.name) for subject in document.subjects.all()]
    fields += [("description", document.summary), ("description", document.description)]
    fields += [("date", value) for value in date_values(document)]
    fields.append(("type", document.document_type.name))
    fields.append(("format", document.extent))
    fields += [("language", language.code) for language in document.languages.all()]
    fields += [("identifier", absolute_url(document)), ("identifier", reference)]
    for identifier in document.public_identifiers:
        fields.append(
            ("identifier", identifier.url or f"{identifier.scheme.code}:{identifier.value}")
        )
    if item.lineage and item.lineage[-1].is_public:
        fields.append(("relation", absolute_url(item.lineage[-1])))  # the unit it is part of
    fields += [("relation", absolute_url(rel.target)) for rel in document.public_relations_out]
    fields += [("relation", absolute_url(rel.source)) for rel in document.public_relations_in]
    fields += [("relation", copy.url) for copy in document.public_copies]
    places = [document.place] if document.place else []
    places += [place for place in document.places.all() if place not in places]
    fields += [("coverage", place.name) for place in places]
    fields += [("rights", document.rights), ("rights", document.license_url)]
    fields.append(("source", reference))
    if repository is not None and repository.is_public:
        fields.append(("publisher", repository.name))
    return fields


def collection_dc(item: Item) -> list[tuple[str, str]]:
    unit: Collection = item.record
    reference = item.reference()
    fields: list[tuple[str, str]] = [("title", unit.title)]
    if unit.creator is not None and unit.creator.is_public:
        fields.append(("creator", unit.creator.name))
    fields += [("description", unit.scope_and_content)]
    fields += [("date", value) for value in date_values(unit)]
    fields += [("type", "Collection"), ("type", unit.level.name), ("format", unit.extent)]
    fields += [("language", language.code) for language in unit.languages.all()]
    fields += [("identifier", absolute_url(unit)), ("identifier", reference)]
    parent = item.lineage[-2] if len(item.lineage) > 1 else None
    if parent is not None and parent.is_public:
        fields.append(("relation", absolute_url(parent)))
    fields += [("rights", unit.access_conditions), ("rights", unit.reproduction_conditions)]
    if unit.repository.is_public:
        fields.append(("publisher", unit.repository.name))
    return fields


# --- EAD3 --------------------------------------------------------------------------------------

# Level names in common use, mapped to EAD's level values; others become "otherlevel".
EAD_LEVELS: dict[str, str] = {
    "fonds": "fonds",
    "fond": "fonds",  # Russian archives: fond
    "subfonds": "subfonds",
    "sub-fonds": "subfonds",
    "collection": "collection",
    "papers": "collection",  # personal papers collections
    "record group": "recordgrp",
    "recordgrp": "recordgrp",
    "subgroup": "subgrp",
    "subgrp": "subgrp",
    "series": "series",
    "opis": "series",  # Russian archives: opis (inventory), a series within a fond
    "subseries": "subseries",
    "sub-series": "subseries",
    "class": "class",
    "file": "file",
    "delo": "file",  # Russian archives: delo (file)
    "dossier": "file",
    "item": "item",
}


def ead_level(level: ReferenceLevel | None) -> tuple[str, str]:
    """The EAD ``level`` and, for "otherlevel", the ``otherlevel`` name."""
    if level is None:
        return "item", ""
    for key in (level.code.lower(), level.name.lower()):
        if key in EAD_LEVELS:
            return EAD_LEVELS[key], ""
    return "otherlevel", re.sub(r"\s+", "-", level.name.strip()) or level.code


def _sub(parent: etree._Element, name: str, text: str = "", **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{EAD}}}{name}", dict(attributes.items()))
    if text:
        element.text = text
    return element


def _paragraphs(parent: etree._Element, name: str, text: str) -> None:
    """A note element (scopecontent, userestrict ...) with one <p> per paragraph."""
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
    if paragraphs:
        note = _sub(parent, name)
        for paragraph in paragraphs:
            _sub(note, "p", paragraph)


def _set_level(element: etree._Element, level: ReferenceLevel | None) -> None:
    value, other = ead_level(level)
    element.set("level", value)
    if other:
        element.set("otherlevel", other)


def _dates(did: etree._Element, record: Collection | Document) -> None:
    if not record.date_edtf:
        return
    _sub(did, "unitdate", record.date_display or record.date_edtf, normal=record.date_edtf)
    if record.date_start is None:
        return
    structured = _sub(did, "unitdatestructured")
    start, end = record.date_start.isoformat(), (record.date_end or record.date_start).isoformat()
    if start == end:
        _sub(structured, "datesingle", start, standarddate=start)
    else:
        dates = _sub(structured, "daterange")
        _sub(dates, "fromdate", start, standarddate=start)
        _sub(dates, "todate", end, standarddate=end)


def _name(parent: etree._Element, agent_kind: str, name: str) -> None:
    tag = {AgentKind.ORGANIZATION: "corpname", AgentKind.FAMILY: "famname"}.get(
        agent_kind, "persname"
    )
    _sub(_sub(parent, tag), "part", name)


def _component(parent: etree._Element, record: Collection | Document, reference: str) -> None:
    """A ``<c>`` entry in a unit's description of its contents."""
    c = _sub(parent, "c")
    if isinstance(record, Collection):
        _set_level(c, record.level)
    else:
        _set_level(c, record.reference_level)  # no level of its own: an item
    did = _sub(c, "did")
    _sub(did, "unitid", reference or record.identifier, identifier=absolute_url(record))
    _sub(did, "unittitle", record.title)
    _dates(did, record)


def ead(item: Item) -> etree._Element:
    """A minimal, valid EAD3 description of one unit or document, with a unit's contents."""
    record = item.record
    site = settings.KIROKU_SITE_NAME
    reference = item.reference()
    root = etree.Element(f"{{{EAD}}}ead", nsmap={None: EAD, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{EAD} https://www.loc.gov/ead/ead3.xsd")
    control = _sub(root, "control")
    _sub(control, "recordid", item.identifier, instanceurl=absolute_url(record))
    titlestmt = _sub(_sub(control, "filedesc"), "titlestmt")
    _sub(titlestmt, "titleproper", record.title)
    _sub(control, "maintenancestatus", value="derived")
    _sub(_sub(control, "maintenanceagency"), "agencyname", site)
    event = _sub(_sub(control, "maintenancehistory"), "maintenanceevent")
    _sub(event, "eventtype", value="derived")
    stamp = record.updated_at.strftime("%Y-%m-%dT%H:%M:%S")
    _sub(event, "eventdatetime", item.datestamp, standarddatetime=stamp)
    _sub(event, "agenttype", value="machine")
    _sub(event, "agent", f"{site} OAI-PMH provider")

    archdesc = _sub(root, "archdesc")
    is_unit = isinstance(record, Collection)
    if is_unit:
        _set_level(archdesc, record.level)
    else:
        archdesc.set("level", "item")
    did = _sub(archdesc, "did")
    _sub(did, "unitid", reference or record.identifier, identifier=absolute_url(record))
    _sub(did, "unittitle", record.title)
    _dates(did, record)
    creators = []
    if is_unit and record.creator is not None and record.creator.is_public:
        creators = [record.creator]
    elif not is_unit:
        creators = [role.agent for role in record.public_roles if role.role in CREATOR_ROLES]
    if creators:
        origination = _sub(did, "origination")
        for agent in creators:
            _name(origination, agent.kind, agent.name)
    repository = item.unit.repository if item.unit is not None else None
    if repository is not None and repository.is_public:
        _sub(_sub(_sub(did, "repository"), "corpname"), "part", repository.name)
    languages = list(record.languages.all())
    if languages:
        langmaterial = _sub(did, "langmaterial")
        for language in languages:
            _sub(langmaterial, "language", language.name, langcode=language.code)
    extent = record.extent
    if extent:
        _sub(did, "physdesc", extent)

    if is_unit:
        _paragraphs(archdesc, "bioghist", record.administrative_history)
        _paragraphs(archdesc, "custodhist", record.custodial_history)
        _paragraphs(archdesc, "acqinfo", record.acquisition)
        _paragraphs(archdesc, "scopecontent", record.scope_and_content)
        _paragraphs(archdesc, "arrangement", record.arrangement)
        _paragraphs(archdesc, "accessrestrict", record.access_conditions)
        _paragraphs(archdesc, "userestrict", record.reproduction_conditions)
        _paragraphs(archdesc, "otherfindaid", record.finding_aids)
    else:
        _paragraphs(archdesc, "scopecontent", record.summary)
        _paragraphs(archdesc, "custodhist", record.provenance)
        _paragraphs(archdesc, "userestrict", record.rights)
        terms = [("subject", subject.name) for subject in record.subjects.all()]
        terms += [("geogname", place.name) for place in record.places.all()]
        terms.append(("genreform", record.document_type.name))
        controlaccess = _sub(archdesc, "controlaccess")
        for tag, name in terms:
            _sub(_sub(controlaccess, tag), "part", name)

    if is_unit and (item.children or item.documents):
        dsc = _sub(archdesc, "dsc")
        for child in item.children:
            _component(dsc, child, format_reference(child, lineage=[*item.lineage, child]))
        for document in item.documents:
            document_reference = format_reference(
                record,
                level=document.reference_level,
                segment=document.reference_segment,
                locator=document.locator,
                lineage=item.lineage,
            )
            _component(dsc, document, document_reference)
    return root


FORMATS: dict[str, MetadataFormat] = {
    "oai_dc": MetadataFormat(
        "oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC, oai_dc
    ),
    "ead": MetadataFormat("ead", "https://www.loc.gov/ead/ead3.xsd", EAD, ead),
}
