"""Linked data: schema.org JSON-LD for every record page, embedded and by content negotiation.

Each public record has one JSON-LD description whose ``@id`` is its permalink (the absolute URL
of its page under ``KIROKU_BASE_URL``), so the same node is named the same way wherever it
appears: in the page's ``<head>``, in the response to ``Accept: application/ld+json`` or
``?format=jsonld`` on the page's URL, and as a reference inside other records.

Types: documents and collections are ``ArchiveComponent``, repositories
``ArchiveOrganization``, persons ``Person``, organizations and families ``Organization``,
publications ``ScholarlyArticle``, ``Chapter``, ``Book`` ... Agents link to their authority
files (Wikidata, VIAF, NDL) with ``sameAs``.

The context is written inline rather than as ``"https://schema.org"``, so the documents expand
without fetching anything (many reading rooms are offline) and link-valued properties are
typed as IRIs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_vary_headers

from archive.models import Collection, Repository

MEDIA_TYPE = "application/ld+json"

CONTEXT: dict[str, Any] = {
    "@vocab": "https://schema.org/",
    "schema": "https://schema.org/",
    "url": {"@id": "schema:url", "@type": "@id"},
    "sameAs": {"@id": "schema:sameAs", "@type": "@id"},
    "license": {"@id": "schema:license", "@type": "@id"},
}

#: a document's agent roles as schema.org properties of the document
ROLE_PROPERTIES: dict[str, str] = {
    "author": "creator",
    "sender": "creator",
    "issuer": "creator",
    "photographer": "creator",
    "translator": "translator",
    "donor": "funder",
    "mentioned": "mentions",
    "subject": "about",
}
DEFAULT_ROLE_PROPERTY = "contributor"  # recipient, signatory, participant, recorder, ...

PUBLICATION_TYPES: dict[str, str] = {
    "article": "ScholarlyArticle",
    "chapter": "Chapter",
    "book": "Book",
    "edition": "Book",
    "newspaper": "NewsArticle",
    "webpage": "WebPage",
}


def permalink(record: Model) -> str:
    """The stable absolute URL of a record's page: its ``@id`` and canonical link."""
    return settings.KIROKU_BASE_URL + record.get_absolute_url()


def _clean(node: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values, so that absent data is absent rather than ``""`` or ``[]``."""
    return {k: v for k, v in node.items() if v not in ("", None, [], {})}


def agent_ref(agent: Any) -> dict[str, Any]:
    kind = "Person" if agent.kind == "person" else "Organization"
    return {"@id": permalink(agent), "@type": kind, "name": agent.name}


def repository_ref(repository: Repository) -> dict[str, Any]:
    return {"@id": permalink(repository), "@type": "ArchiveOrganization", "name": repository.name}


def collection_ref(unit: Collection) -> dict[str, Any]:
    return {"@id": permalink(unit), "@type": "ArchiveComponent", "name": unit.title}


def _temporal(record: Any) -> dict[str, Any]:
    """``dateCreated`` for a single day, month or year; ``temporalCoverage`` for the rest."""
    if not record.date_edtf:
        return {}
    if "/" in record.date_edtf or not record.date_edtf[:4].isdigit():
        return {"temporalCoverage": record.date_edtf}
    if record.date_edtf[-1] in "~?%":
        return {"temporalCoverage": record.date_edtf}
    return {"dateCreated": record.date_edtf}


def document_jsonld(document: Any) -> dict[str, Any]:
    """A document, loaded with the page's prefetches (public roles, texts, identifiers)."""
    node: dict[str, Any] = {
        "@id": permalink(document),
        "@type": "ArchiveComponent",
        "url": permalink(document),
        "identifier": document.identifier,
        "name": document.title,
        "alternateName": document.title_original,
        "genre": document.document_type.name,
        "description": document.summary,
        **_temporal(document),
        "inLanguage": [language.code for language in document.languages.all()],
        "about": [
            {"@type": "DefinedTerm", "name": subject.name, "termCode": subject.identifier}
            for subject in document.subjects.all()
        ],
        "spatialCoverage": [_place(place) for place in document.places.all()],
        "locationCreated": _place(document.place) if document.place else None,
        "materialExtent": document.extent,
        "license": document.license_url,
        "creditText": document.credit_line,
        "copyrightNotice": document.rights,
    }
    unit = document.collection
    if unit is not None and unit.is_public:
        node["isPartOf"] = collection_ref(unit)
    repository = document.repository
    if repository is not None and repository.is_public:
        node["holdingArchive"] = repository_ref(repository)
        # a view that has already written the reference leaves it on the document
        node["itemLocation"] = getattr(document, "formatted_reference", None) or (
            document.reference()
        )
    for role in document.public_roles:
        prop = ROLE_PROPERTIES.get(role.role, DEFAULT_ROLE_PROPERTY)
        refs = node.setdefault(prop, [])
        ref = agent_ref(role.agent)
        if ref not in refs:
            refs.append(ref)
    identifiers = [
        {"@type": "PropertyValue", "propertyID": i.scheme.name, "value": i.value}
        for i in document.public_identifiers
    ]
    node["identifier"] = [document.identifier, *identifiers] if identifiers else document.identifier
    node["sameAs"] = [i.url for i in document.public_identifiers if i.url]
    return _clean(node)


def _place(place: Any) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "Place", "name": place.name}
    if place.latitude is not None:
        node["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(place.latitude),
            "longitude": float(place.longitude),
        }
    if place.wikidata_id:
        node["sameAs"] = f"https://www.wikidata.org/wiki/{place.wikidata_id}"
    return node


def collection_jsonld(unit: Collection) -> dict[str, Any]:
    """An archival unit with its holder, parent and public child units."""
    node: dict[str, Any] = {
        "@id": permalink(unit),
        "@type": "ArchiveComponent",
        "url": permalink(unit),
        "identifier": unit.identifier,
        "name": unit.title,
        "genre": unit.level.name,
        **_temporal(unit),
        "description": unit.scope_and_content,
        "materialExtent": unit.extent,
        "conditionsOfAccess": unit.access_conditions,
    }
    if unit.repository.is_public:
        node["holdingArchive"] = repository_ref(unit.repository)
    if unit.parent_id and unit.parent.is_public:
        node["isPartOf"] = collection_ref(unit.parent)
    if unit.creator_id and unit.creator.is_public:
        node["creator"] = agent_ref(unit.creator)
    node["hasPart"] = [collection_ref(child) for child in unit.children.public()]
    return _clean(node)


def repository_jsonld(repository: Repository) -> dict[str, Any]:
    """A holding institution and its public top-level units."""
    node = {
        "@id": permalink(repository),
        "@type": "ArchiveOrganization",
        "url": permalink(repository),
        "identifier": repository.identifier,
        "name": repository.name,
        "alternateName": [n for n in (repository.short_name, repository.name_original) if n],
        "description": repository.description,
        "location": repository.location,
        "sameAs": repository.url,
        "archiveHeld": [
            collection_ref(unit)
            for unit in repository.collections.public().filter(parent__isnull=True)
        ],
    }
    return _clean(node)


def agent_jsonld(agent: Any) -> dict[str, Any]:
    """A person or organization, with its names in every script and authority links."""
    is_person = agent.kind == "person"
    node: dict[str, Any] = {
        "@id": permalink(agent),
        "@type": "Person" if is_person else "Organization",
        "url": permalink(agent),
        "identifier": agent.identifier,
        "name": agent.name,
        "alternateName": [
            {"@value": form.name, "@language": form.language.code}
            for form in agent.name_forms.all()
            if form.name != agent.name
        ],
        "description": agent.biography,
        "sameAs": [a.url for a in agent.authority_ids.all() if a.url],
    }
    if agent.kind == "family":
        node["additionalType"] = "family"
    start, end = _ends(agent.date_edtf)
    if is_person:
        node |= {"birthDate": start, "deathDate": end, "nationality": agent.nationality}
        node["memberOf"] = [
            _clean(
                {
                    "@type": "OrganizationRole",
                    "roleName": position.title,
                    "startDate": _ends(position.date_edtf)[0],
                    "endDate": _ends(position.date_edtf)[1],
                    "memberOf": agent_ref(position.organization)
                    if position.organization and position.organization.is_public
                    else None,
                }
            )
            for position in agent.positions.all()
        ]
    else:
        node |= {"foundingDate": start, "dissolutionDate": end}
    return _clean(node)


def _ends(edtf: str) -> tuple[str, str]:
    """The first and last date of an EDTF statement as written ("1894-04-15", "1971")."""
    if not edtf:
        return "", ""
    left, _, right = edtf.partition("/")
    if not _:
        return (edtf, "") if edtf[:4].isdigit() else ("", "")
    return ("" if left in ("", "..") else left), ("" if right in ("", "..") else right)


def publication_jsonld(publication: Any) -> dict[str, Any]:
    """A publication, its creators, where it appeared and the public records it cites."""
    node: dict[str, Any] = {
        "@id": permalink(publication),
        "@type": PUBLICATION_TYPES.get(publication.kind, "CreativeWork"),
        "url": permalink(publication),
        "identifier": publication.identifier,
        "name": publication.title,
        "alternateName": [
            t for t in (publication.title_translated, publication.title_transliterated) if t
        ],
        "datePublished": publication.date_edtf,
        "publisher": publication.publisher,
        "pagination": publication.pages,
        "abstract": publication.abstract,
        "inLanguage": publication.language.code if publication.language else "",
        "license": publication.license_url,
        "sameAs": [u for u in (publication.url, _doi_url(publication.doi)) if u],
    }
    for role, prop in (("author", "author"), ("editor", "editor"), ("translator", "translator")):
        node[prop] = [
            agent_ref(c.agent)
            if c.agent.is_public
            else {"@type": "Person", "name": c.name_as_printed or c.agent.name}
            for c in publication.creators.all()
            if c.role == role
        ]
    if publication.container_title:
        container: dict[str, Any] = _clean(
            {
                "@type": "Periodical" if publication.kind == "article" else "Book",
                "name": publication.container_title,
                "issn": [i for i in (publication.issn_print, publication.issn_online) if i],
            }
        )
        if publication.volume:
            container = {
                "@type": "PublicationVolume",
                "volumeNumber": publication.volume,
                "isPartOf": container,
            }
        if publication.issue:
            container = {
                "@type": "PublicationIssue",
                "issueNumber": publication.issue,
                "isPartOf": container,
            }
        node["isPartOf"] = container
    cited: list[dict[str, Any]] = []
    for citation in publication.citations.all():
        target = citation.cited_document or citation.cited_publication
        if target is not None and target.is_public:
            ref = {"@id": permalink(target)}
            if ref not in cited:
                cited.append(ref)
    node["citation"] = cited
    return _clean(node)


def _doi_url(doi: str) -> str:
    return f"https://doi.org/{doi}" if doi else ""


def jsonld_for(record: Model) -> dict[str, Any]:
    """The JSON-LD document of any record page's record, with its ``@context``."""
    from documents.models import Document, Publication
    from people.models import Agent

    builders: list[tuple[type[Model], Callable[[Any], dict[str, Any]]]] = [
        (Document, document_jsonld),
        (Agent, agent_jsonld),
        (Publication, publication_jsonld),
        (Collection, collection_jsonld),
        (Repository, repository_jsonld),
    ]
    for model, build in builders:
        if isinstance(record, model):
            return {"@context": CONTEXT, **build(record)}
    raise TypeError(f"No JSON-LD description for {type(record).__name__}.")


def dumps(data: dict[str, Any], indent: int | None = 2) -> str:
    return json.dumps(data, ensure_ascii=False, indent=indent)


# -- content negotiation ----------------------------------------------------------------------


class UnknownFormat(ValueError):
    """A ``?format=`` value the page does not serve."""


def _quality(accept: str, wanted: set[str]) -> float:
    best = 0.0
    for item in accept.split(","):
        media, *params = (part.strip() for part in item.split(";"))
        if media.lower() not in wanted:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        best = max(best, q)
    return best


def wants_jsonld(request: HttpRequest) -> bool:
    """Whether the request asks for JSON-LD: ``?format=jsonld`` or an Accept header that
    prefers ``application/ld+json`` to HTML. Raises :class:`UnknownFormat` for other
    ``?format=`` values."""
    requested = request.GET.get("format")
    if requested is not None:
        if requested in ("jsonld", "json-ld"):
            return True
        if requested == "html":
            return False
        raise UnknownFormat(requested)
    accept = request.headers.get("Accept", "")
    ld = _quality(accept, {MEDIA_TYPE})
    return ld > 0 and ld > _quality(accept, {"text/html", "application/xhtml+xml", "*/*"})


def negotiated(queryset: Callable[[], QuerySet]) -> Callable:
    """Serve a record page's URL as JSON-LD when asked, else as the page.

    Wraps a detail view taking ``identifier``. ``queryset`` returns the public records with
    what their JSON-LD reads; an unpublished or missing identifier answers 404 either way.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, identifier: str, **kwargs: Any) -> HttpResponse:
            try:
                as_jsonld = wants_jsonld(request)
            except UnknownFormat as exc:
                return HttpResponseBadRequest(
                    f"format: unknown format “{exc}”; use “jsonld” or “html”.",
                    content_type="text/plain; charset=utf-8",
                )
            if as_jsonld:
                record = get_object_or_404(queryset(), identifier=identifier)
                response = HttpResponse(
                    dumps(jsonld_for(record)), content_type=f"{MEDIA_TYPE}; charset=utf-8"
                )
                response["Link"] = f'<{permalink(record)}>; rel="canonical"'
            else:
                response = view(request, identifier=identifier, **kwargs)
            patch_vary_headers(response, ["Accept"])
            return response

        return wrapper

    return decorator


def public_collections() -> QuerySet[Collection]:
    """Public units with what their JSON-LD reads."""
    return Collection.objects.public().select_related("repository", "level", "parent", "creator")


def public_repositories() -> QuerySet[Repository]:
    return Repository.objects.public()
