"""EAC-CPF 2010 authority records for public agents (persons, organizations, families).

ISAAR(CPF) to EAC-CPF: the agent's identifier → ``recordId``; authority-file identifiers →
``otherRecordId`` and ``entityId``; kind → ``entityType``; every name form → a ``nameEntry``
with its language (``xml:lang``), script (``scriptCode``), transliteration scheme and kind
(``localType``), authorized forms marked ``authorizedForm`` and the others ``alternativeForm``
under the one convention declared in ``control``; dates of existence → ``existDates``; places,
functions and positions held (``occupations``, with dates and organization) and the biography
→ ``description``; relations to agents → ``cpfRelation`` (type from the relation type's ISAAR
category) and the agent's part in documents and units → ``resourceRelation``; the record's
history → ``maintenanceHistory``; its sources → ``sources``.

Only public records are written: the agent itself, relations whose both ends are public, roles
in public documents, units, organizations and places of public records.
"""

from __future__ import annotations

import re
from datetime import UTC

from django.conf import settings
from django.db.models import Prefetch
from lxml import etree

from archive.interchange.records import CREATOR_ROLES
from archive.interchange.xml import XLINK, XSI, paragraphs
from archive.interchange.xml import sub as _xml_sub
from archive.models import Collection, DatedModel
from people.models import (
    Agent,
    AgentKind,
    AgentRelation,
    AgentRole,
    AuthorityIdentifier,
    DocumentRole,
    NameForm,
    NameKind,
    Position,
)

EAC = "urn:isbn:1-931666-33-4"
EAC_SCHEMA_LOCATION = "http://eac.staatsbibliothek-berlin.de/schema/cpf.xsd"
CONVENTION = "local"  # the abbreviation authorizedForm / alternativeForm refer to
ENTITY_TYPES = {
    AgentKind.PERSON: "person",
    AgentKind.ORGANIZATION: "corporateBody",
    AgentKind.FAMILY: "family",
}
# ISAAR(CPF) 5.3.2 category of a relation type → EAC-CPF cpfRelationType
RELATION_TYPES = {
    "hierarchical": "hierarchical",
    "temporal": "temporal",
    "family": "family",
    "associative": "associative",
}
SUBJECT_ROLES = {DocumentRole.MENTIONED, DocumentRole.SUBJECT}
# A date EAC-CPF's standardDate takes as written: a year, a month or a day
_STANDARD_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def load_agent(identifier: str) -> Agent | None:
    """The public agent with everything its record shows, or None.

    Ten queries in all, however many names, relations and roles: the agent, eight prefetches
    and, when the record is written, its history.
    """
    public_relations = AgentRelation.objects.filter(AgentRelation.public_q()).select_related(
        "relation_type", "source", "target"
    )
    return (
        Agent.objects.public()
        .prefetch_related(
            # identity: every name form with its language
            Prefetch("name_forms", NameForm.objects.select_related("language")),
            # otherRecordId / entityId
            Prefetch("authority_ids", AuthorityIdentifier.objects.select_related("scheme")),
            "places",  # description/places
            # occupations, naming the organization
            Prefetch("positions", Position.objects.select_related("organization")),
            # cpfRelation: only relations whose other end (and the relation) is public
            Prefetch("relations_out", public_relations, "public_relations_out"),
            Prefetch("relations_in", public_relations, "public_relations_in"),
            # resourceRelation: roles in public documents
            Prefetch(
                "document_roles",
                AgentRole.objects.filter(AgentRole.public_q())
                .select_related("document")
                .order_by("document__date_start", "document__title", "order"),
                "public_roles",
            ),
            Prefetch(
                "created_collections",
                Collection.objects.public().order_by("tree_path"),
                "public_collections",
            ),
        )
        .filter(identifier=identifier)
        .first()
    )


def _sub(parent: etree._Element, name: str, text: str = "", **attributes: str) -> etree._Element:
    return _xml_sub(parent, f"{{{EAC}}}{name}", text, attributes)


def _link(element: etree._Element, href: str) -> None:
    element.set(f"{{{XLINK}}}type", "simple")
    element.set(f"{{{XLINK}}}href", href)


def _date_part(parent: etree._Element, name: str, statement: str, bound: object) -> None:
    """``fromDate`` / ``toDate`` / ``date``: as stated when plain ISO, else the derived bound."""
    standard = (
        statement if _STANDARD_DATE.match(statement) else (bound.isoformat() if bound else "")
    )
    _sub(parent, name, statement, standardDate=standard)


def _dates(parent: etree._Element, record: DatedModel) -> None:
    """``date`` or ``dateRange`` for a record's EDTF statement (nothing when it has none)."""
    statement = record.date_edtf
    if not statement or (record.date_start is None and record.date_end is None):
        return
    if "/" in statement:
        left, right = statement.split("/", 1)
        dates = _sub(parent, "dateRange")
        if record.date_start is not None:
            _date_part(dates, "fromDate", left, record.date_start)
        if record.date_end is not None:
            _date_part(dates, "toDate", right, record.date_end)
    else:
        _date_part(parent, "date", statement, record.date_start)


def _note(parent: etree._Element, texts: list[str]) -> None:
    parts = [paragraph for text in texts for paragraph in paragraphs(text)]
    if parts:
        note = _sub(parent, "descriptiveNote")
        for paragraph in parts:
            _sub(note, "p", paragraph)


def _name_entry(identity: etree._Element, form: NameForm) -> None:
    entry = _sub(
        identity,
        "nameEntry",
        scriptCode=form.script,
        transliteration=form.transliteration,
        localType=form.kind,
    )
    entry.set("{http://www.w3.org/XML/1998/namespace}lang", form.language.code)
    if form.family_name and form.given_name:
        _sub(entry, "part", form.family_name, localType="familyName")
        _sub(entry, "part", form.given_name, localType="givenName")
    else:
        _sub(entry, "part", form.name)
    authorized = form.kind == NameKind.AUTHORIZED
    _sub(entry, "authorizedForm" if authorized else "alternativeForm", CONVENTION)


def _split_list(text: str) -> list[str]:
    """Entries of a list written one a line or separated by semicolons."""
    return [part.strip() for part in re.split(r"[;\n]", text or "") if part.strip()]


def authority_record(agent: Agent) -> etree._Element:
    """The ``<eac-cpf>`` record of an agent loaded by :func:`load_agent` (one query: history)."""
    site = settings.KIROKU_SITE_NAME
    base = settings.KIROKU_BASE_URL
    root = etree.Element(f"{{{EAC}}}eac-cpf", nsmap={None: EAC, "xlink": XLINK, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{EAC} {EAC_SCHEMA_LOCATION}")

    authority_ids = list(agent.authority_ids.all())
    control = _sub(root, "control")
    _sub(control, "recordId", agent.identifier)
    for authority in authority_ids:
        _sub(control, "otherRecordId", authority.value, localType=authority.scheme.code)
    events = list(agent.history.order_by("history_date", "history_id"))
    revised = any(event.history_type == "~" for event in events)
    _sub(control, "maintenanceStatus", "revised" if revised else "new")
    _sub(control, "publicationStatus", "approved")
    _sub(_sub(control, "maintenanceAgency"), "agencyName", site)
    convention = _sub(control, "conventionDeclaration")
    _sub(convention, "abbreviation", CONVENTION)
    _sub(
        convention,
        "citation",
        f"{site} name forms: language as ISO 639, script as ISO 15924, kind as localType",
    )
    history = _sub(control, "maintenanceHistory")
    kinds = {"+": "created", "~": "revised", "-": "deleted"}
    if not events:  # a record written without history (bulk load): say when it was last saved
        events = [None]
    for event in events:
        moment = (event.history_date if event else agent.updated_at).astimezone(UTC)
        stamp = moment.strftime("%Y-%m-%dT%H:%M:%S")
        entry = _sub(history, "maintenanceEvent")
        _sub(entry, "eventType", kinds.get(event.history_type, "revised") if event else "updated")
        _sub(entry, "eventDateTime", f"{stamp}Z", standardDateTime=stamp)
        human = event is not None and event.history_user_id is not None
        _sub(entry, "agentType", "human" if human else "machine")
        _sub(entry, "agent", f"{site} curator" if human else site)
    sources = _split_list(agent.sources)
    sources += [form.source for form in agent.name_forms.all() if form.source]
    sources += [position.source for position in agent.positions.all() if position.source]
    if sources:
        element = _sub(control, "sources")
        for source in dict.fromkeys(sources):  # each once, in order
            _sub(_sub(element, "source"), "sourceEntry", source)

    description = _sub(root, "cpfDescription")
    identity = _sub(description, "identity")
    for authority in authority_ids:
        _sub(
            identity, "entityId", authority.url or authority.value, localType=authority.scheme.code
        )
    _sub(identity, "entityType", ENTITY_TYPES.get(agent.kind, "person"))
    forms = sorted(agent.name_forms.all(), key=lambda form: form.name != agent.name)
    if not any(form.name == agent.name for form in forms):  # the heading, when no form has it
        entry = _sub(identity, "nameEntry", localType="preferred")
        _sub(entry, "part", agent.name)
        _sub(entry, "authorizedForm", CONVENTION)
    for form in forms:
        _name_entry(identity, form)

    _description(_sub(description, "description"), agent)
    _relations(description, agent, base)
    return root


def _description(element: etree._Element, agent: Agent) -> None:
    if agent.date_edtf and (agent.date_start or agent.date_end):
        _dates(_sub(element, "existDates"), agent)
    places = list(agent.places.all())
    if places:
        container = _sub(element, "places")
        for place in places:
            entry = _sub(
                _sub(container, "place"),
                "placeEntry",
                place.name,
                countryCode=place.country.upper(),
                latitude=str(place.latitude) if place.latitude is not None else "",
                longitude=str(place.longitude) if place.longitude is not None else "",
                vocabularySource=(
                    f"https://sws.geonames.org/{place.geonames_id}/" if place.geonames_id else ""
                ),
            )
            entry.set("{http://www.w3.org/XML/1998/namespace}lang", settings.LANGUAGE_CODE)
    functions = _split_list(agent.functions)
    if functions:
        container = _sub(element, "functions")
        for function in functions:
            _sub(_sub(container, "function"), "term", function)
    positions = list(agent.positions.all())
    if positions:
        container = _sub(element, "occupations")
        for position in positions:
            occupation = _sub(container, "occupation")
            _sub(occupation, "term", position.title)
            _dates(occupation, position)
            organization = position.organization
            in_organization = (
                [organization.name] if organization is not None and organization.is_public else []
            )
            _note(occupation, [*in_organization, position.note])
    biography = paragraphs(agent.biography)
    if biography:
        container = _sub(element, "biogHist")
        for paragraph in biography:
            _sub(container, "p", paragraph)


def _relations(description: etree._Element, agent: Agent, base: str) -> None:
    links = [
        (relation, relation.target, relation.relation_type.label)
        for relation in agent.public_relations_out
    ]
    links += [
        (relation, relation.source, relation.relation_type.inverse_label)
        for relation in agent.public_relations_in
    ]
    roles = list(agent.public_roles)
    units = list(agent.public_collections)
    if not (links or roles or units):
        return
    relations = _sub(description, "relations")
    for relation, other, label in links:
        category = relation.relation_type.category
        element = _sub(
            relations, "cpfRelation", cpfRelationType=RELATION_TYPES.get(category, "associative")
        )
        _link(element, base + other.get_absolute_url())
        _sub(element, "relationEntry", other.name, localType=ENTITY_TYPES.get(other.kind, "person"))
        _dates(element, relation)
        _note(element, [label, relation.description])
    for unit in units:
        element = _sub(relations, "resourceRelation", resourceRelationType="creatorOf")
        _link(element, base + unit.get_absolute_url())
        _sub(element, "relationEntry", unit.title, localType="archivalUnit")
        _dates(element, unit)
    for role in roles:
        document = role.document
        if role.role in CREATOR_ROLES:
            kind = "creatorOf"
        elif role.role in SUBJECT_ROLES:
            kind = "subjectOf"
        else:
            kind = "other"
        element = _sub(relations, "resourceRelation", resourceRelationType=kind)
        _link(element, base + document.get_absolute_url())
        _sub(element, "relationEntry", document.title, localType="document")
        _dates(element, document)
        _note(element, [role.get_role_display(), role.note])
