"""The export endpoints: IIIF manifests, EAD3 finding aids, EAC-CPF authority records.

Each answers 404 for a record that is missing, unpublished or restricted, exactly as the
record's page does. The XML exports are downloads named after the record's identifier. Every
answer carries an ETag (a digest of the body, which depends on the records only), so a client
that sends ``If-None-Match`` gets 304 Not Modified when nothing changed.
"""

from __future__ import annotations

import hashlib
import json

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from django.views.decorators.http import require_safe

from archive.interchange import eac, ead, iiif
from archive.interchange.xml import xml_response


@require_safe
def iiif_manifest(request: HttpRequest, identifier: str) -> HttpResponse:
    """The IIIF Presentation 3 manifest of a public document with public images."""
    document = iiif.load_document(identifier)
    if document is None or not document.images:
        raise Http404("No public document with images has this identifier.")
    body = json.dumps(iiif.manifest(document), ensure_ascii=False, indent=2)
    content_type = f'application/ld+json;profile="{iiif.CONTEXT}"; charset=utf-8'
    response = _conditional(request, HttpResponse(body, content_type=content_type))
    response["Access-Control-Allow-Origin"] = "*"  # viewers on other sites load manifests
    return response


@require_safe
def collection_ead(request: HttpRequest, identifier: str) -> HttpResponse:
    """The EAD3 finding aid of a public unit with its whole public tree."""
    root = ead.collection_finding_aid(identifier)
    if root is None:
        raise Http404("No public collection has this identifier.")
    return _conditional(request, xml_response(root, f"{identifier}-ead.xml"))


@require_safe
def agent_eac(request: HttpRequest, identifier: str) -> HttpResponse:
    """The EAC-CPF authority record of a public agent."""
    agent = eac.load_agent(identifier)
    if agent is None:
        raise Http404("No public person or organization has this identifier.")
    return _conditional(request, xml_response(eac.authority_record(agent), f"{identifier}-eac.xml"))


def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Tag the response with a digest of its body; 304 when the client has that version."""
    etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    response["ETag"] = etag
    return get_conditional_response(request, etag=etag, response=response)
