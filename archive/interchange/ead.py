"""EAD3 finding aids, written from descriptions that the caller has loaded.

One writer serves two callers: the OAI-PMH ``ead`` format (:mod:`archive.oai.metadata`: one
record with its direct components) and the collection export (:func:`collection_tree`: a unit
with its whole public subtree, each document as an item-level component). The writer reads only
the :class:`Description` objects it is given, so it runs no query; the loaders decide what is
public and load it in bulk.

ISAD(G) to EAD3: reference code → ``unitid`` (the repository's house style), title →
``unittitle``, dates → ``unitdate`` (the reader's form, ``normal`` the ISO 8601 range) and
``unitdatestructured``, extent → ``physdesc``, creator → ``origination``, administrative history
→ ``bioghist``, archival history → ``custodhist``, acquisition → ``acqinfo``, scope and content
→ ``scopecontent``, arrangement → ``arrangement``, access and reproduction conditions →
``accessrestrict`` / ``userestrict``, finding aids → ``otherfindaid``, notes → ``odd``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q
from lxml import etree

from archive.interchange.records import CREATOR_ROLES, manifest_url, public_images
from archive.interchange.xml import XSI, clean_text, paragraphs
from archive.interchange.xml import sub as _xml_sub
from archive.models import Collection, Language, ReferenceLevel, Repository
from archive.references import format_reference
from documents.models import Document
from people.models import Agent, AgentKind, AgentRole

EAD = "http://ead3.archivists.org/schema/"
EAD_SCHEMA_LOCATION = "https://www.loc.gov/ead/ead3.xsd"

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


@dataclass
class Description:
    """One unit or document as the finding aid describes it, with what the loader found public.

    ``creators``, ``languages``, ``terms`` (controlaccess: ``(tag, name)``), ``repository`` and
    ``manifest`` (a IIIF manifest URL, written as a ``dao``) are left empty when the caller did
    not load them; ``children`` are the components below, in order.
    """

    record: Collection | Document
    reference: str
    creators: list[Agent] = field(default_factory=list)
    languages: list[Language] = field(default_factory=list)
    terms: list[tuple[str, str]] = field(default_factory=list)
    repository: Repository | None = None
    manifest: str = ""
    children: list[Description] = field(default_factory=list)


@dataclass(frozen=True)
class Control:
    """What the ``<control>`` block says about the finding aid itself."""

    record_id: str
    agent: str  # the software that derived it ("Kiroku EAD export")
    changed: datetime  # when the described record last changed


def absolute_url(record: Collection | Document) -> str:
    return settings.KIROKU_BASE_URL + record.get_absolute_url()


def ead_level(level: ReferenceLevel | None) -> tuple[str, str]:
    """The EAD ``level`` and, for "otherlevel", the ``otherlevel`` name."""
    if level is None:
        return "item", ""
    for key in (level.code.lower(), level.name.lower()):
        if key in EAD_LEVELS:
            return EAD_LEVELS[key], ""
    return "otherlevel", re.sub(r"\s+", "-", level.name.strip()) or level.code


def iso_range(record: Collection | Document | Agent) -> str:
    """The record's date bounds in ISO 8601: a day, or ``start/end`` (``..`` for an open end)."""
    start, end = record.date_start, record.date_end
    if start is None and end is None:
        return ""
    if start is not None and start == end:
        return start.isoformat()
    return f"{start.isoformat() if start else '..'}/{end.isoformat() if end else '..'}"


def document_terms(document: Document) -> list[tuple[str, str]]:
    """Access points of a document: subjects, places, its form (reads prefetched relations)."""
    terms = [("subject", subject.name) for subject in document.subjects.all()]
    terms += [("geogname", place.name) for place in document.places.all()]
    terms.append(("genreform", document.document_type.name))
    return terms


def _sub(parent: etree._Element, name: str, text: str = "", **attributes: str) -> etree._Element:
    return _xml_sub(parent, f"{{{EAD}}}{name}", text, attributes)


def _notes(parent: etree._Element, name: str, text: str) -> None:
    """A note element (scopecontent, userestrict ...) with one <p> per paragraph."""
    parts = paragraphs(text)
    if parts:
        note = _sub(parent, name)
        for paragraph in parts:
            _sub(note, "p", paragraph)


def _set_level(element: etree._Element, level: ReferenceLevel | None) -> None:
    value, other = ead_level(level)
    element.set("level", value)
    if other:
        element.set("otherlevel", clean_text(other))


def _dates(did: etree._Element, record: Collection | Document) -> None:
    if not record.date_edtf:
        return
    normal = iso_range(record)
    _sub(did, "unitdate", record.date_display or record.date_edtf, normal=normal)
    start, end = record.date_start, record.date_end
    if start is None and end is None:
        return
    structured = _sub(did, "unitdatestructured")
    if start is not None and start == end:
        _sub(structured, "datesingle", start.isoformat(), standarddate=start.isoformat())
        return
    dates = _sub(structured, "daterange")
    if start is not None:
        _sub(dates, "fromdate", start.isoformat(), standarddate=start.isoformat())
    if end is not None:
        _sub(dates, "todate", end.isoformat(), standarddate=end.isoformat())


def _name(parent: etree._Element, agent: Agent) -> None:
    tag = {AgentKind.ORGANIZATION: "corpname", AgentKind.FAMILY: "famname"}.get(
        agent.kind, "persname"
    )
    _sub(_sub(parent, tag, identifier=absolute_url(agent)), "part", agent.name)


def _did(element: etree._Element, node: Description) -> None:
    record = node.record
    did = _sub(element, "did")
    _sub(did, "unitid", node.reference or record.identifier, identifier=absolute_url(record))
    _sub(did, "unittitle", record.title)
    if isinstance(record, Document) and record.title_original:
        _sub(did, "unittitle", record.title_original, localtype="original")
    _dates(did, record)
    if node.creators:
        origination = _sub(did, "origination", label="Creator")
        for agent in node.creators:
            _name(origination, agent)
    if node.repository is not None:
        _sub(_sub(_sub(did, "repository"), "corpname"), "part", node.repository.name)
    if node.languages:
        langmaterial = _sub(did, "langmaterial")
        for language in node.languages:
            _sub(langmaterial, "language", language.name, langcode=language.code)
    if record.extent:
        _sub(did, "physdesc", record.extent)
    if node.manifest:
        _sub(
            did,
            "dao",
            daotype="derived",
            linkrole="https://iiif.io/api/presentation/3/context.json",
            href=node.manifest,
            linktitle="IIIF manifest",
        )


def _describe(element: etree._Element, node: Description) -> None:
    """``did`` and the notes of a unit or a document, into ``archdesc`` or a ``c``."""
    record = node.record
    _did(element, node)
    if isinstance(record, Collection):
        _notes(element, "bioghist", record.administrative_history)
        _notes(element, "custodhist", record.custodial_history)
        _notes(element, "acqinfo", record.acquisition)
        _notes(element, "scopecontent", record.scope_and_content)
        _notes(element, "arrangement", record.arrangement)
        _notes(element, "accessrestrict", record.access_conditions)
        _notes(element, "userestrict", record.reproduction_conditions)
        _notes(element, "otherfindaid", record.finding_aids)
        _notes(element, "odd", record.notes)
    else:
        _notes(element, "scopecontent", record.summary)
        _notes(element, "odd", record.description)
        _notes(element, "custodhist", record.provenance)
        _notes(element, "acqinfo", record.credit_line)
        _notes(
            element, "userestrict", "\n\n".join(filter(None, [record.rights, record.license_url]))
        )
    _notes(element, "prefercite", node.reference)
    if node.terms:
        controlaccess = _sub(element, "controlaccess")
        for tag, name in node.terms:
            _sub(_sub(controlaccess, tag), "part", name)


def _component(parent: etree._Element, node: Description) -> None:
    c = _sub(parent, "c")
    record = node.record
    # a document has the level it is numbered at inside its unit, else it is an item
    _set_level(c, record.level if isinstance(record, Collection) else record.reference_level)
    _describe(c, node)
    for child in node.children:
        _component(c, child)


def finding_aid(top: Description, control: Control) -> etree._Element:
    """The ``<ead>`` element: control, then ``archdesc`` with its components nested in ``dsc``."""
    record = top.record
    site = settings.KIROKU_SITE_NAME
    root = etree.Element(f"{{{EAD}}}ead", nsmap={None: EAD, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{EAD} {EAD_SCHEMA_LOCATION}")
    element = _sub(root, "control")
    _sub(element, "recordid", control.record_id, instanceurl=absolute_url(record))
    titlestmt = _sub(_sub(element, "filedesc"), "titlestmt")
    _sub(titlestmt, "titleproper", record.title)
    _sub(element, "maintenancestatus", value="derived")
    _sub(_sub(element, "maintenanceagency"), "agencyname", site)
    event = _sub(_sub(element, "maintenancehistory"), "maintenanceevent")
    _sub(event, "eventtype", value="derived")
    stamp = control.changed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    _sub(event, "eventdatetime", f"{stamp}Z", standarddatetime=stamp)
    _sub(event, "agenttype", value="machine")
    _sub(event, "agent", control.agent)

    archdesc = _sub(root, "archdesc")
    if isinstance(record, Collection):
        _set_level(archdesc, record.level)
    else:
        archdesc.set("level", "item")
    _describe(archdesc, top)
    if top.children:
        dsc = _sub(archdesc, "dsc")
        for child in top.children:
            _component(dsc, child)
    return root


# --- the collection export ---------------------------------------------------------------------


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key that orders numbers as numbers: "2" before "10", "34-2" before "34-15"."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in re.split(r"(\d+)", text)
        if part
    )


def component_order(node: Description) -> tuple[Any, ...]:
    """Components in reference order: by number (naturally), then date, then title.

    Units come before documents in a unit's contents (the caller lists them in that order).
    """
    record = node.record
    dated = record.date_start or date.max
    return (natural_key(record.reference_segment), dated, record.title)


def collection_tree(identifier: str) -> Description | None:
    """The public unit ``identifier`` with its whole public subtree, or None if not public.

    Nine queries, whatever the size of the tree: the unit; every unit above it
    (for references) and every public unit below it; their languages; the public documents in
    those units; and the documents' languages, subjects, places, public creators and public
    images (five prefetches). A public unit below a unit that is not public is left out with
    its contents: it has no place in the published tree.
    """
    root = (
        Collection.objects.public()
        .select_related("repository", "level", "creator")
        .filter(identifier=identifier)
        .first()
    )
    if root is None:
        return None
    repository = root.repository
    above = [int(pk) for pk in root.tree_path.strip("/").split("/")[:-1] if pk]
    units = {
        unit.pk: unit
        for unit in Collection.objects.filter(
            (Collection.public_q() & Q(tree_path__startswith=root.tree_path)) | Q(pk__in=above)
        )
        .select_related("level", "creator")
        .prefetch_related("languages")  # langmaterial of each unit
    }
    root = units[root.pk]  # the copy with its languages prefetched
    for unit in units.values():
        unit.repository = repository  # one repository for the whole tree: no query per unit

    def lineage(unit: Collection) -> list[Collection] | None:
        """Units from the top down to ``unit``; None if one inside the tree is not public."""
        ids = [int(pk) for pk in unit.tree_path.strip("/").split("/") if pk]
        if any(pk not in units for pk in ids):
            return None
        return [units[pk] for pk in ids]

    nodes: dict[int, Description] = {}
    # parents before children: a tree path extends its parent's
    for unit in sorted(units.values(), key=lambda u: len(u.tree_path)):
        if unit.pk in above:
            continue
        path = lineage(unit)
        if path is None or (unit.pk != root.pk and unit.parent_id not in nodes):
            continue
        creators = [unit.creator] if unit.creator is not None and unit.creator.is_public else []
        nodes[unit.pk] = Description(
            unit,
            format_reference(unit, lineage=path),
            creators=creators,
            languages=list(unit.languages.all()),
        )
        if unit.pk != root.pk:
            nodes[unit.parent_id].children.append(nodes[unit.pk])
    top = nodes[root.pk]
    if repository.is_public:
        top.repository = repository
    for node in nodes.values():
        node.children.sort(key=component_order)

    documents = (
        Document.objects.public()
        .filter(collection_id__in=list(nodes))
        .select_related("document_type", "reference_level")
        .prefetch_related(
            "languages",  # langmaterial, and the Japanese era in dates
            "subjects",  # controlaccess
            "places",  # controlaccess
            # origination: public agents in creator roles
            Prefetch(
                "agent_roles",
                AgentRole.objects.filter(Agent.public_q("agent__"), role__in=CREATOR_ROLES)
                .select_related("agent")
                .order_by("order", "role"),
                to_attr="creator_roles",
            ),
            # dao: a IIIF manifest when the document has public images
            Prefetch("digital_objects", public_images(), to_attr="images"),
        )
    )
    items: dict[int, list[Description]] = {}
    for document in documents:
        unit = units[document.collection_id]
        document.collection = unit  # its repository and lineage are loaded already
        reference = format_reference(
            unit,
            level=document.reference_level,
            segment=document.reference_segment,
            locator=document.locator,
            lineage=lineage(unit),
        )
        node = Description(
            document,
            reference,
            creators=[role.agent for role in document.creator_roles],
            languages=list(document.languages.all()),
            terms=document_terms(document),
            manifest=manifest_url(document) if document.images else "",
        )
        items.setdefault(unit.pk, []).append(node)
    for unit_pk, documents_in_unit in items.items():
        documents_in_unit.sort(key=component_order)
        nodes[unit_pk].children.extend(documents_in_unit)
    return top


def collection_finding_aid(identifier: str) -> etree._Element | None:
    """The EAD3 export of a public unit and its whole public tree, or None if not public."""
    top = collection_tree(identifier)
    if top is None:
        return None
    control = Control(
        top.record.identifier, f"{settings.KIROKU_SITE_NAME} EAD export", _last_change(top)
    )
    return finding_aid(top, control)


def _last_change(node: Description) -> datetime:
    """When anything in the described tree last changed."""
    return max([node.record.updated_at, *(_last_change(child) for child in node.children)])
