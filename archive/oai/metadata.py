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

from archive.interchange.ead import (
    EAD,
    EAD_SCHEMA_LOCATION,
    Control,
    Description,
    absolute_url,
    component_order,
    document_terms,
    finding_aid,
)
from archive.interchange.records import CREATOR_ROLES
from archive.interchange.xml import XSI, clean_text
from archive.models import Collection
from archive.oai.records import Item
from archive.references import format_reference
from documents.models import Document
from people.models import DocumentRole

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"

CONTRIBUTOR_ROLES = {DocumentRole.TRANSLATOR, DocumentRole.RECORDER, DocumentRole.CONTRIBUTOR}
# A date statement that is already plain ISO 8601 (a day, month or year, or a range of them)
_PLAIN_DATE = re.compile(r"^\d{4}(-\d{2}){0,2}(/\d{4}(-\d{2}){0,2})?$")


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str
    write: Callable[[Item], etree._Element]


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
            etree.SubElement(root, f"{{{DC}}}{name}").text = clean_text(value)

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


def ead(item: Item) -> etree._Element:
    """An EAD3 description of one unit or document; a unit lists its public components.

    The writer is the collection export's (:mod:`archive.interchange.ead`); here the components
    are one level deep (child units and documents, without their own contents).
    """
    record = item.record
    repository = item.unit.repository if item.unit is not None else None
    top = Description(
        record,
        item.reference(),
        languages=list(record.languages.all()),
        repository=repository if repository is not None and repository.is_public else None,
    )
    if isinstance(record, Collection):
        if record.creator is not None and record.creator.is_public:
            top.creators = [record.creator]
        units = [
            Description(child, format_reference(child, lineage=[*item.lineage, child]))
            for child in item.children
        ]
        documents = []
        for document in item.documents:
            reference = format_reference(
                record,
                level=document.reference_level,
                segment=document.reference_segment,
                locator=document.locator,
                lineage=item.lineage,
            )
            documents.append(
                Description(document, reference, languages=list(document.languages.all()))
            )
        top.children = sorted(units, key=component_order) + sorted(documents, key=component_order)
    else:
        top.creators = [role.agent for role in record.public_roles if role.role in CREATOR_ROLES]
        top.terms = document_terms(record)
    control = Control(
        item.identifier, f"{settings.KIROKU_SITE_NAME} OAI-PMH provider", record.updated_at
    )
    return finding_aid(top, control)


FORMATS: dict[str, MetadataFormat] = {
    "oai_dc": MetadataFormat(
        "oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC, oai_dc
    ),
    "ead": MetadataFormat("ead", EAD_SCHEMA_LOCATION, EAD, ead),
}
