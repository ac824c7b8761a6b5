"""The OAI-PMH endpoint: one view, six verbs, answered as ``text/xml`` (always HTTP 200 for
protocol errors, as the protocol asks)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from archive.models import Collection, Repository
from archive.oai.metadata import FORMATS, XSI, MetadataFormat
from archive.oai.protocol import (
    GRANULARITY,
    ListState,
    OAIError,
    bad_argument,
    base_url,
    format_datestamp,
    parse_arguments,
    parse_datestamp,
    repository_domain,
    token_expiration,
)
from archive.oai.records import (
    KINDS,
    MODELS,
    Item,
    build_items,
    earliest_datestamp,
    harvestable_q,
    list_queryset,
    parse_oai_identifier,
    resolve_set,
    with_relations,
)

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_IDENTIFIER = "http://www.openarchives.org/OAI/2.0/oai-identifier"
# The oai-identifier scheme requires a domain name (a letter first, at least one dot).
_DOMAIN = re.compile(r"^[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+$")
SET_KINDS: tuple[str, ...] = ("repository", "collection")

Rows = list[tuple[str, Any]]  # (kind, record) pairs in list order


def _el(parent: etree._Element, name: str, text: str = "", **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{OAI}}}{name}", attributes)
    if text:
        element.text = text
    return element


@csrf_exempt  # harvesters POST form-encoded requests without a session or CSRF token
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request: HttpRequest) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    arguments = {name: params.getlist(name) for name in params}
    root = etree.Element(f"{{{OAI}}}OAI-PMH", nsmap={None: OAI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI} {OAI_SCHEMA}")
    _el(root, "responseDate", format_datestamp(datetime.now(UTC)))
    request_element = _el(root, "request", base_url())
    try:
        verb, given = parse_arguments(arguments)
        request_element.set("verb", verb)
        for name, value in given.items():
            request_element.set(name, value)
        root.append(VERBS[verb](given))
    except OAIError as error:
        if error.code in {"badVerb", "badArgument"}:
            # the request is echoed only when it was a valid one (OAI-PMH 3.2)
            for name in list(request_element.attrib):
                del request_element.attrib[name]
        _el(root, "error", error.message, code=error.code)
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


# --- the verbs ---------------------------------------------------------------------------------


def identify(given: dict[str, str]) -> etree._Element:
    element = etree.Element(f"{{{OAI}}}Identify")
    earliest = earliest_datestamp() or datetime.now(UTC)
    _el(element, "repositoryName", settings.KIROKU_SITE_NAME)
    _el(element, "baseURL", base_url())
    _el(element, "protocolVersion", "2.0")
    _el(element, "adminEmail", settings.KIROKU_ADMIN_EMAIL)
    _el(element, "earliestDatestamp", format_datestamp(earliest))
    _el(element, "deletedRecord", "persistent")
    _el(element, "granularity", GRANULARITY)
    domain = repository_domain()
    if _DOMAIN.match(domain):  # an IP address or "localhost" cannot be described this way
        description = _el(element, "description")
        oai_id = etree.SubElement(
            description, f"{{{OAI_IDENTIFIER}}}oai-identifier", nsmap={None: OAI_IDENTIFIER}
        )
        oai_id.set(
            f"{{{XSI}}}schemaLocation",
            f"{OAI_IDENTIFIER} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd",
        )
        for name, value in [
            ("scheme", "oai"),
            ("repositoryIdentifier", domain),
            ("delimiter", ":"),
            ("sampleIdentifier", f"oai:{domain}:document/example-1"),
        ]:
            etree.SubElement(oai_id, f"{{{OAI_IDENTIFIER}}}{name}").text = value
    return element


def list_metadata_formats(given: dict[str, str]) -> etree._Element:
    if "identifier" in given:
        found = _lookup(given["identifier"]).exists()
        if not found:
            raise OAIError("idDoesNotExist", f"No record '{given['identifier']}'.")
    element = etree.Element(f"{{{OAI}}}ListMetadataFormats")
    for metadata_format in FORMATS.values():
        entry = _el(element, "metadataFormat")
        _el(entry, "metadataPrefix", metadata_format.prefix)
        _el(entry, "schema", metadata_format.schema)
        _el(entry, "metadataNamespace", metadata_format.namespace)
    return element


def list_sets(given: dict[str, str]) -> etree._Element:
    if "resumptionToken" in given:
        state = ListState.decode(given["resumptionToken"], "ListSets")
    else:
        state = ListState("ListSets")

    def queryset(kind: str) -> QuerySet:
        if kind == "repository":
            return Repository.objects.public().order_by("pk")
        return Collection.objects.public().order_by("pk")

    rows, next_state, total = _page(state, SET_KINDS, queryset)
    if not rows and state.kind == "":
        raise OAIError("noSetHierarchy", "This archive has no public sets yet.")
    element = etree.Element(f"{{{OAI}}}ListSets")
    for kind, record in rows:
        entry = _el(element, "set")
        _el(entry, "setSpec", f"{kind}:{record.identifier}")
        _el(entry, "setName", record.name if kind == "repository" else record.title)
    _resumption_token(element, state, next_state, total)
    return element


def get_record(given: dict[str, str]) -> etree._Element:
    metadata_format = _metadata_format(given["metadataPrefix"])
    queryset = _lookup(given["identifier"], metadata=True)
    record = queryset.first()
    if record is None:
        raise OAIError("idDoesNotExist", f"No record '{given['identifier']}'.")
    kind = "collection" if isinstance(record, Collection) else "document"
    (item,) = build_items([(kind, record)], components=metadata_format.prefix == "ead")
    element = etree.Element(f"{{{OAI}}}GetRecord")
    _record(element, item, metadata_format.write)
    return element


def list_identifiers(given: dict[str, str]) -> etree._Element:
    return _list(given, "ListIdentifiers")


def list_records(given: dict[str, str]) -> etree._Element:
    return _list(given, "ListRecords")


VERBS: dict[str, Callable[[dict[str, str]], etree._Element]] = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}


# --- helpers -----------------------------------------------------------------------------------


def _metadata_format(prefix: str) -> MetadataFormat:
    if prefix not in FORMATS:
        raise OAIError("cannotDisseminateFormat", f"'{prefix}' is not a format of this archive.")
    return FORMATS[prefix]


def _lookup(identifier: str, *, metadata: bool = False) -> QuerySet:
    """The harvestable record named by an OAI identifier (an empty queryset if none)."""
    parsed = parse_oai_identifier(identifier)
    if parsed is None:
        return Collection.objects.none()
    kind, local = parsed
    model = MODELS[kind]
    queryset = model.objects.filter(harvestable_q(model), identifier=local)
    return with_relations(kind, queryset, metadata=metadata)


def _list(given: dict[str, str], verb: str) -> etree._Element:
    if "resumptionToken" in given:
        state = ListState.decode(given["resumptionToken"], verb)
    else:
        state = ListState(
            verb,
            metadata_prefix=given["metadataPrefix"],
            from_=given.get("from", ""),
            until=given.get("until", ""),
            set_spec=given.get("set", ""),
        )
    metadata_format = _metadata_format(state.metadata_prefix)
    from_ = parse_datestamp("from", state.from_) if state.from_ else None
    until = parse_datestamp("until", state.until) if state.until else None
    if from_ and until:
        if from_.day != until.day:
            raise bad_argument("'from' and 'until' must have the same granularity.")
        if from_.value > until.value:
            raise bad_argument("'from' is later than 'until'.")
    set_filter = None
    if state.set_spec:
        set_filter = resolve_set(state.set_spec)
        if set_filter is None:
            raise OAIError("noRecordsMatch", f"No public set '{state.set_spec}'.")
    records = verb == "ListRecords"

    def queryset(kind: str) -> QuerySet:
        queryset = list_queryset(kind, from_=from_, until=until, set_filter=set_filter)
        return with_relations(kind, queryset, metadata=records)

    rows, next_state, total = _page(state, KINDS, queryset)
    if not rows and state.kind == "":
        raise OAIError("noRecordsMatch", "No records match the request.")
    items = build_items(rows, components=records and metadata_format.prefix == "ead")
    element = etree.Element(f"{{{OAI}}}{verb}")
    for item in items:
        if records:
            _record(element, item, metadata_format.write)
        else:
            _header(element, item)
    _resumption_token(element, state, next_state, total)
    return element


def _page(
    state: ListState, kinds: tuple[str, ...], queryset: Callable[[str], QuerySet]
) -> tuple[Rows, ListState | None, int]:
    """The next page of a list that walks ``kinds`` in order, each by primary key.

    Fetches one row more than the page size to know whether another page follows. The
    complete list size is counted on the first page and carried by the token afterwards.
    """
    size = max(1, settings.KIROKU_OAI_PAGE_SIZE)
    rows: Rows = []
    start = kinds.index(state.kind) if state.kind in kinds else 0
    for kind in kinds[start:]:
        page = queryset(kind)
        if kind == state.kind:
            page = page.filter(pk__gt=state.after)
        rows += [(kind, record) for record in page[: size + 1 - len(rows)]]
        if len(rows) > size:
            break
    total = state.total
    if total is None:
        total = sum(queryset(kind).count() for kind in kinds)
    if len(rows) <= size:
        return rows, None, total
    rows = rows[:size]
    last_kind, last = rows[-1]
    return rows, state.advance(last_kind, last.pk, len(rows), total), total


def _resumption_token(
    element: etree._Element, state: ListState, next_state: ListState | None, total: int
) -> None:
    """Add the resumptionToken: a new one, or an empty one closing a list sent in parts."""
    attributes = {"completeListSize": str(total), "cursor": str(state.cursor)}
    if next_state is not None:
        expiration = format_datestamp(token_expiration())
        _el(
            element, "resumptionToken", next_state.encode(), expirationDate=expiration, **attributes
        )
    elif state.kind:
        _el(element, "resumptionToken", **attributes)


def _header(parent: etree._Element, item: Item) -> None:
    header = _el(parent, "header")
    if item.deleted:
        header.set("status", "deleted")
    _el(header, "identifier", item.identifier)
    _el(header, "datestamp", item.datestamp)
    for spec in item.set_specs:
        _el(header, "setSpec", spec)


def _record(parent: etree._Element, item: Item, write: Callable[[Item], etree._Element]) -> None:
    record = _el(parent, "record")
    _header(record, item)
    if not item.deleted:  # a deleted record has a header only
        _el(record, "metadata").append(write(item))
