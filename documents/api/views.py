"""Partner API views for documents, publications and the vocabularies (subjects, places)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from archive.api.base import COMMON_PARAMS, PartnerViewSet, load_lineages
from archive.api.conditional import Validators
from archive.api.errors import BadQuery
from archive.api.writes import WritableMixin
from archive.models.base import prefetch_listed, sees_everything
from documents import citations
from documents.api.serializers import (
    DocumentSerializer,
    DocumentWriteSerializer,
    EventSerializer,
    GenealogyComparisonSerializer,
    GenealogyDetailSerializer,
    GenealogySerializer,
    PlaceSerializer,
    PublicationSerializer,
    SubjectSerializer,
)
from documents.filters import (
    DocumentFilterSet,
    EventFilterSet,
    PlaceFilterSet,
    PublicationFilterSet,
    SubjectFilterSet,
    TextLineageFilterSet,
)
from documents.genealogy import (
    StepCompareForm,
    compare_steps,
    ordered_steps,
    step_choices,
    with_summary,
)
from documents.models import (
    Copy,
    Document,
    DocumentText,
    EventDocument,
    EventParticipant,
    Identifier,
    Place,
    Subject,
)
from people.models import AgentRole


class DocumentViewSet(WritableMixin, PartnerViewSet):
    """Documents, filtered and faceted with the site's FilterSet; curators write them."""

    serializer_class = DocumentSerializer
    write_serializer_class = DocumentWriteSerializer
    filterset_class = DocumentFilterSet
    expansions = ("texts", "agents", "copies")

    def get_queryset(self) -> QuerySet:
        queryset = (
            self.visible()
            # form, provenance (unit with its repository and level, the document's own level)
            # and place of creation are on every row; the repository also decides era display
            .select_related(
                "document_type",
                "collection__repository",
                "collection__level",
                "reference_level",
                "place",
            )
            .prefetch_related(
                # languages (also read by the date display), subjects, places mentioned: as
                # lists, for which Django makes no manager and queryset per row (a third of
                # the prefetching's time on a page of twenty)
                *(prefetch_listed(name) for name in ("languages", "subjects", "places")),
                # typed identifiers with their scheme, only those of public copies
                Prefetch(
                    "identifiers",
                    self.shown(Identifier, "scheme"),
                    to_attr="shown_identifiers",
                ),
            )
        )
        expand = getattr(self, "expand", set())
        if "texts" in expand:
            # public texts with their language and the side that wrote them
            queryset = queryset.prefetch_related(
                Prefetch(
                    "texts",
                    self.shown(DocumentText, "language", "side"),
                    to_attr="shown_texts",
                )
            )
        if "agents" in expand:
            # roles of public agents, with the agent for its brief form
            queryset = queryset.prefetch_related(
                Prefetch(
                    "agent_roles",
                    self.shown(AgentRole, "agent", order_by=("order", "role")),
                    to_attr="shown_roles",
                )
            )
        if "copies" in expand:
            # public copies with holder, edition and language for their briefs
            queryset = queryset.prefetch_related(
                Prefetch(
                    "copies",
                    self.shown(Copy, "holder", "publication", "language"),
                    to_attr="shown_copies",
                )
            )
        return queryset

    def allowed_parameters(self) -> set[str]:
        if self.action == "citation":
            return {"style"}
        return super().allowed_parameters()

    @extend_schema(
        operation_id="documents_citation",
        summary="How to cite a document",
        description=(
            "The document's citation as a file for reference managers: CSL-JSON (a list with "
            "one item of type manuscript), BibTeX (@unpublished) or RIS (MANSCPT); the same "
            "as the downloads on its page."
        ),
        parameters=[
            OpenApiParameter(
                "style",
                OpenApiTypes.STR,
                enum=list(citations.RENDERERS),
                default="csl-json",
                description="The citation format.",
            )
        ],
        responses={
            (200, citations.MEDIA_TYPES["csl-json"]): OpenApiResponse(
                {"type": "array", "items": {"type": "object"}}
            ),
            (200, citations.MEDIA_TYPES["bibtex"]): OpenApiTypes.STR,
            (200, citations.MEDIA_TYPES["ris"]): OpenApiTypes.STR,
        },
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def citation(self, request: Request, identifier: str | None = None) -> HttpResponse:
        style = request.query_params.get("style", "csl-json")
        if style not in citations.RENDERERS:
            raise BadQuery(
                {"style": [f"Unknown style “{style}”. Choose from: csl-json, bibtex, ris."]}
            )
        document = get_object_or_404(citations.citable(self.visible()), identifier=identifier)
        record = citations.record_for(document, accessed=date.today())
        return HttpResponse(
            citations.RENDERERS[style](record),
            content_type=citations.MEDIA_TYPES[style] + "; charset=utf-8",
        )

    def prepare(self, rows: list[Any]) -> dict[str, Any]:
        # every reference is written from its unit's lineage: one query for the page
        units = {row.collection_id: row.collection for row in rows if row.collection_id}
        return {"lineages": load_lineages(list(units.values()))}


class PublicationViewSet(PartnerViewSet):
    """Published works: articles, chapters, books, documentary editions."""

    serializer_class = PublicationSerializer
    filterset_class = PublicationFilterSet

    def get_queryset(self) -> QuerySet:
        return (
            self.visible()
            # the container (book, edition) as a brief, and the language code
            .select_related("container", "language")
            # the byline with each creator's agent
            .prefetch_related("creators__agent")
        )


class SubjectViewSet(PartnerViewSet):
    """The subject headings (a controlled vocabulary: every term is public)."""

    serializer_class = SubjectSerializer
    filterset_class = SubjectFilterSet

    def visible(self) -> QuerySet:
        return Subject.objects.all()

    def get_queryset(self) -> QuerySet:
        return (
            self.visible()
            # the broader term as a brief
            .select_related("broader")
            # public documents with the subject, counted in the same query
            .annotate(
                document_count=Count(
                    "documents", filter=Document.public_q("documents__"), distinct=True
                )
            )
        )


class PlaceViewSet(PartnerViewSet):
    """Places (a controlled vocabulary with coordinates: every term is public)."""

    serializer_class = PlaceSerializer
    filterset_class = PlaceFilterSet

    def visible(self) -> QuerySet:
        return Place.objects.all()

    def get_queryset(self) -> QuerySet:
        return (
            self.visible()
            # the enclosing place as a brief
            .select_related("part_of")
            # public documents written at / mentioning the place, counted in the same query
            .annotate(
                created_here_count=Count(
                    "documents_created",
                    filter=Document.public_q("documents_created__"),
                    distinct=True,
                ),
                mentioning_count=Count(
                    "documents", filter=Document.public_q("documents__"), distinct=True
                ),
            )
        )


class EventViewSet(PartnerViewSet):
    """Events: negotiation rounds, meetings, signings, ..., with participants and documents."""

    serializer_class = EventSerializer
    filterset_class = EventFilterSet

    def get_queryset(self) -> QuerySet:
        return (
            self.visible()
            # the place and the enclosing event as briefs
            .select_related("place", "parent")
            .prefetch_related(
                # public participants with the agent and the side for their briefs
                Prefetch(
                    "participants",
                    self.shown(EventParticipant, "agent", "side", order_by=("order", "role")),
                    to_attr="shown_participants",
                ),
                # public documents with the side that produced them
                Prefetch(
                    "event_documents",
                    self.shown(EventDocument, "document", "side", order_by=("order", "relation")),
                    to_attr="shown_documents",
                ),
            )
        )


class GenealogyViewSet(PartnerViewSet):
    """Text genealogies: ordered chains of texts of one instrument, from draft to signed text,
    and a word-level comparison of any two of their steps."""

    serializer_class = GenealogySerializer
    filterset_class = TextLineageFilterSet

    def get_serializer_class(self) -> type:
        if self.action == "retrieve":
            return GenealogyDetailSerializer
        return super().get_serializer_class()

    def get_queryset(self) -> QuerySet:
        # step counts and date spans of the steps the requester may see, in the same query
        queryset = with_summary(self.visible(), public=not sees_everything(self.request.user))
        if self.action in ("retrieve", "compare"):
            # the steps the requester may see, in order, with document, language and side
            queryset = queryset.prefetch_related(
                Prefetch(
                    "texts",
                    ordered_steps(self.shown(DocumentText)),
                    to_attr="shown_steps",
                )
            )
        return queryset

    def allowed_parameters(self) -> set[str]:
        if self.action == "compare":
            return {*COMMON_PARAMS, "a", "b"}
        return super().allowed_parameters()

    @extend_schema(
        operation_id="genealogies_compare",
        summary="Compare two steps of a genealogy word by word",
        description=(
            "The two steps named by ``a`` (the earlier) and ``b`` (the later), each text cut "
            "into segments that are in both (equal), only in a (delete) or only in b (insert), "
            "and the number of words removed and added. Words are compared whole in scripts "
            "written with spaces and character by character in Chinese and Japanese; white "
            "space alone is never a change."
        ),
        parameters=[
            OpenApiParameter(
                name,
                OpenApiTypes.STR,
                required=True,
                description=f"The {which} step, by its reference "
                "(``<document identifier>:<text key>``, as ``steps[].reference`` gives it).",
            )
            for name, which in (("a", "earlier"), ("b", "later"))
        ],
        responses={200: GenealogyComparisonSerializer},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def compare(self, request: Request, identifier: str | None = None) -> Response:
        lineage = self.get_object()
        choices = step_choices(lineage.shown_steps)
        form = StepCompareForm(request.query_params, texts=choices)
        if not form.is_valid():
            raise BadQuery(form.errors)
        left, right, comparison = compare_steps(form, choices)
        self.validators = Validators(
            modified=max(lineage.updated_at, left.updated_at, right.updated_at)
        )
        result = {
            "genealogy": lineage,
            "a": left,
            "b": right,
            "segments": {"a": comparison.left, "b": comparison.right},
            "removed": comparison.removed,
            "added": comparison.added,
            "identical": comparison.identical,
        }
        context = self.get_serializer_context()
        return Response(GenealogyComparisonSerializer(result, context=context).data)
