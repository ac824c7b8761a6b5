"""The identifier concordance's doors: the page ``/resolve/?id=`` and ``/api/v1/resolve/``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from documents.concordance import BadIdentifier, Resolution, as_data, resolve
from documents.models import Document


def resolve_page(request: HttpRequest) -> HttpResponse:
    """Look up any identifier of a document; list every place the document is held or published."""
    query = request.GET.get("id", "")
    resolution: Resolution | None = None
    error = ""
    status = 200
    if "id" in request.GET:
        try:
            resolution = resolve(query, Document.objects.public())
        except BadIdentifier as exc:
            error, status = str(exc), 400
    context = {"query": query, "resolution": resolution, "error": error}
    return render(request, "documents/resolve.html", context, status=status)


@extend_schema(
    operation_id="resolve_identifier",
    summary="Identifier concordance",
    description=(
        "Find the documents that an identifier of any kind names (an archival reference, a "
        "record number or its URL, an edition's number, a DOI, Kiroku's own identifier), with "
        "every place each is held or published. Case, diacritics, spaces and punctuation are "
        "ignored; a reference given without its last parts matches as a partial match."
    ),
    parameters=[
        OpenApiParameter(
            "id", OpenApiTypes.STR, required=True, description="The identifier to look up."
        )
    ],
    responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    tags=["documents"],
)
@api_view(["GET"])
def resolve_api(request: Request) -> Response:
    try:
        resolution = resolve(
            request.query_params.get("id", ""), Document.objects.visible_to(request.user)
        )
    except BadIdentifier as exc:
        return Response({"id": [str(exc)]}, status=400)
    return Response(as_data(resolution, request.build_absolute_uri))
