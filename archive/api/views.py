"""Partner API views for the holdings (repositories, collections) and the API's root."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from archive.api.base import PartnerViewSet, load_lineages
from archive.api.serializers import CollectionSerializer, RepositorySerializer
from archive.filters import CollectionFilterSet, RepositoryFilterSet
from archive.models import ReferenceLevel
from documents.models import Document

#: the list endpoints: the name the root lists each under, and its URL name
ENDPOINTS = {
    "documents": "api:document-list",
    "agents": "api:agent-list",
    "agent_relations": "api:agentrelation-list",
    "collections": "api:collection-list",
    "repositories": "api:repository-list",
    "subjects": "api:subject-list",
    "places": "api:place-list",
    "publications": "api:publication-list",
    "genealogies": "api:genealogy-list",
}


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request: Request, format: str | None = None) -> Response:
    """The endpoints of the partner API, and where its OpenAPI description is."""
    links = {name: reverse(view, request=request) for name, view in ENDPOINTS.items()}
    links["schema"] = request.build_absolute_uri(reverse("api-schema"))
    links["docs"] = request.build_absolute_uri(reverse("api-docs"))
    return Response(links)


class RepositoryViewSet(PartnerViewSet):
    """Holding institutions and their citation conventions."""

    serializer_class = RepositorySerializer
    filterset_class = RepositoryFilterSet

    def get_queryset(self) -> QuerySet:
        return self.visible().prefetch_related(
            # the citation levels of each repository in one query
            Prefetch("levels", ReferenceLevel.objects.order_by("rank")),
        )


class CollectionViewSet(PartnerViewSet):
    """Archival units (fonds, series, files), in arrangement order by default."""

    serializer_class = CollectionSerializer
    filterset_class = CollectionFilterSet

    def get_queryset(self) -> QuerySet:
        return (
            self.visible()
            # repository and level are shown on every row; parent and creator as briefs
            .select_related("repository", "level", "parent", "creator")
            # languages of the material, one query per page
            .prefetch_related("languages")
            # public documents directly in the unit, counted in the same query (a subquery, not
            # a grouped join: a GROUP BY would keep the search ranking out of ?q= lists)
            .annotate(
                document_count=Coalesce(
                    Subquery(
                        Document.objects.public()
                        .filter(collection=OuterRef("pk"))
                        .order_by()
                        .values("collection")
                        .annotate(n=Count("id"))
                        .values("n")
                    ),
                    0,
                )
            )
        )

    def prepare(self, rows: list[Any]) -> dict[str, Any]:
        # every row's reference needs its lineage: one query for the whole page
        return {"lineages": load_lineages(rows)}
