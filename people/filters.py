"""FilterSets for agents and the relations between them."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from archive.filters import (
    DateFilterMixin,
    Facet,
    KirokuFilterSet,
    MultiValueCharFilter,
    PartialDateFilter,
    choice_label,
    country_label,
    decade_label,
    decade_of,
    field_ordering,
    ordering_filter,
)
from people.models import Agent, AgentKind, AgentRelation, AgentRole, DocumentRole

AGENT_ORDERINGS = {
    "name": field_ordering("Name", "sort_name"),
    "-name": field_ordering("Name (Z–A)", "sort_name", descending=True),
    "identifier": field_ordering("Identifier", "identifier"),
}


class AgentFilterSet(DateFilterMixin, KirokuFilterSet):
    """Persons, organizations and families: by any of their names, kind, role and period."""

    search_kind = "agent"
    orderings = AGENT_ORDERINGS
    default_ordering = "name"
    facets = {
        "kind": Facet("kind", excludes=("kind",), display=choice_label(AgentKind)),
        "nationality": Facet("nationality", excludes=("nationality",), display=country_label),
        # roles in public documents only (a draft document reveals nothing)
        "role": Facet(
            "document_roles__role",
            excludes=("role",),
            restrict=AgentRole.public_q("document_roles__"),
            display=choice_label(DocumentRole),
        ),
        "decade": Facet(
            "facet_decade",
            excludes=("date_from", "date_to"),
            annotate={"facet_decade": decade_of("date_start")},
            display=decade_label,
        ),
    }

    kind = MultiValueCharFilter(field_name="kind", label="Kind", choices=AgentKind.choices)
    nationality = MultiValueCharFilter(field_name="nationality", label="Nationality (ISO 3166-1)")
    role = MultiValueCharFilter(
        method="filter_role",
        label="Has a role of this type in a public document",
        choices=DocumentRole.choices,
    )
    date_from = PartialDateFilter(method="filter_date_from", label="Existed from")
    date_to = PartialDateFilter(method="filter_date_to", label="Existed until")
    ordering = ordering_filter(AGENT_ORDERINGS, relevance=True)

    class Meta:
        model = Agent
        fields: list[str] = []

    def filter_role(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        # only roles in documents the public sees: a draft document reveals nothing
        roles = AgentRole.objects.filter(AgentRole.public_q(), role__in=value)
        return queryset.filter(pk__in=roles.values("agent_id"))


AGENT_RELATION_ORDERINGS = {
    "id": field_ordering("Entry order"),
}


class AgentRelationFilterSet(DateFilterMixin, KirokuFilterSet):
    """Relations between agents: by type, and by an agent on either end (or a given end)."""

    search_fields = ("description", "source__name", "target__name")
    orderings = AGENT_RELATION_ORDERINGS
    default_ordering = "id"
    facets = {
        "relation_type": Facet(
            "relation_type__code", "relation_type__label", excludes=("relation_type",)
        ),
    }

    relation_type = MultiValueCharFilter(field_name="relation_type__code", label="Relation (code)")
    agent = MultiValueCharFilter(method="filter_agent", label="Agent at either end (identifier)")
    source = MultiValueCharFilter(field_name="source__identifier", label="Source agent")
    target = MultiValueCharFilter(field_name="target__identifier", label="Target agent")
    date_from = PartialDateFilter(method="filter_date_from", label="Dates overlap from")
    date_to = PartialDateFilter(method="filter_date_to", label="Dates overlap until")
    ordering = ordering_filter(AGENT_RELATION_ORDERINGS)

    class Meta:
        model = AgentRelation
        fields: list[str] = []

    def filter_agent(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(Q(source__identifier__in=value) | Q(target__identifier__in=value))
