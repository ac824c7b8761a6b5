"""Partner API views for agents and the relations between them."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from archive.api.base import PartnerViewSet
from archive.api.writes import WritableMixin
from documents.models import Document, Publication
from people.api.serializers import (
    AgentRelationSerializer,
    AgentRelationWriteSerializer,
    AgentSerializer,
    AgentWriteSerializer,
)
from people.filters import AgentFilterSet, AgentRelationFilterSet
from people.models import AuthorityIdentifier, NameForm, Position


class AgentViewSet(WritableMixin, PartnerViewSet):
    """Persons, organizations and families, with their names in every script; curators write
    them."""

    serializer_class = AgentSerializer
    write_serializer_class = AgentWriteSerializer
    filterset_class = AgentFilterSet

    def get_queryset(self) -> QuerySet:
        return self.visible().prefetch_related(
            # every name form with its language: one query per page, not per agent
            Prefetch("name_forms", NameForm.objects.select_related("language")),
            # positions with their organization (shown as a brief when public)
            Prefetch(
                "positions",
                Position.objects.select_related("organization").order_by("date_start", "title"),
            ),
            # authority identifiers with their scheme (code, name, URL template)
            Prefetch("authority_ids", AuthorityIdentifier.objects.select_related("scheme")),
        )


class AgentRelationViewSet(WritableMixin, PartnerViewSet):
    """Typed, dated relations between agents; public when the relation and both agents are.
    Curators write them."""

    serializer_class = AgentRelationSerializer
    write_serializer_class = AgentRelationWriteSerializer
    filterset_class = AgentRelationFilterSet
    lookup_field = "pk"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet:
        return (
            self.visible()
            # the type and both ends appear on every row
            .select_related("relation_type", "source", "target")
            .prefetch_related(
                # the evidence: only public documents and publications are listed
                Prefetch(
                    "supporting_documents",
                    Document.objects.public().only("identifier", "title", "status", "restricted"),
                    to_attr="public_documents",
                ),
                Prefetch(
                    "supporting_publications",
                    Publication.objects.public().only(
                        "identifier", "title", "status", "restricted"
                    ),
                    to_attr="public_publications",
                ),
            )
        )
