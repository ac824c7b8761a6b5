"""Public pages for people, organizations and families."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, F, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from archive.browse import Browse, FacetSpec
from archive.jsonld import negotiated
from documents.models import Document, Publication
from people.filters import AgentFilterSet
from people.graph import relation_graph
from people.models import (
    Agent,
    AgentRelation,
    AgentRole,
    AuthorityIdentifier,
    DocumentRole,
    NameForm,
    NameKind,
    Position,
)


def decade_range(value: str) -> dict[str, str]:
    """A decade of the agents' period facet as the date range it selects."""
    return {"date_from": value, "date_to": str(int(value) + 9)}


AGENT_FACETS = [
    FacetSpec("kind", _("Kind")),
    FacetSpec("nationality", _("Nationality")),
    FacetSpec("role", _("Role in documents")),
    FacetSpec("decade", _("Period"), multiple=False, params=decade_range),
]


def agent_list(request: HttpRequest) -> HttpResponse:
    """People, organizations and families, through the agents' FilterSet and its facets."""
    browse = Browse(
        request,
        AgentFilterSet,
        Agent.objects.public(),
        AGENT_FACETS,
        titles={"q": _("Search"), "date_from": _("From"), "date_to": _("Until")},
        shared_counts=True,
    )
    return render(
        request,
        "people/agent_list.html",
        {"browse": browse, "page": browse.page},
        status=400 if browse.errors else 200,
    )


def _public_relations() -> QuerySet[AgentRelation]:
    return (
        AgentRelation.objects.public()
        # the type's labels and both ends are read for every relation
        .select_related("relation_type", "source", "target")
        .prefetch_related(
            # the evidence: public documents and publications only
            Prefetch(
                "supporting_documents",
                Document.objects.public().select_related("document_type"),
                to_attr="public_documents",
            ),
            Prefetch(
                "supporting_publications", Publication.objects.public(), "public_publications"
            ),
        )
        .order_by("date_start", "pk")
    )


def agent_queryset() -> QuerySet[Agent]:
    """Public agents with everything their page and JSON-LD show, in a fixed number of
    queries whatever the number of names, offices, relations or documents."""
    return Agent.objects.public().prefetch_related(
        # name forms with their language, for the grouping by script and the lang attributes
        Prefetch("name_forms", NameForm.objects.select_related("language")),
        # offices in date order, with the organization (linked when public)
        Prefetch(
            "positions",
            Position.objects.select_related("organization").order_by("date_start", "title"),
        ),
        # authority files, with the scheme's URL template for sameAs links
        Prefetch("authority_ids", AuthorityIdentifier.objects.select_related("scheme")),
        # relations in both directions between public agents, with their evidence
        Prefetch("relations_out", _public_relations(), "public_relations_out"),
        Prefetch("relations_in", _public_relations(), "public_relations_in"),
    )


@dataclass
class RelationRow:
    """A relation as read from this agent: "adviser to X" or, inverted, "advised by Y"."""

    label: str
    other: Agent
    relation: AgentRelation


def _relations(agent: Agent) -> list[RelationRow]:
    rows = [RelationRow(r.relation_type.label, r.target, r) for r in agent.public_relations_out]
    rows += [
        RelationRow(r.relation_type.inverse_label, r.source, r) for r in agent.public_relations_in
    ]
    rows.sort(key=lambda row: (row.relation.date_start is None, row.relation.date_start))
    return rows


_SCRIPT_ORDER = {"Latn": 0, "Cyrl": 1, "Jpan": 2, "Hani": 3, "Hira": 4, "Kana": 5}
_ROLE_ORDER = {code: i for i, code in enumerate(DocumentRole.values)}


def _names_by_script(agent: Agent) -> list[tuple[str, list[NameForm]]]:
    """Name forms grouped by script; the authorized form's script first."""
    forms = sorted(
        agent.name_forms.all(),
        key=lambda f: (f.kind != NameKind.AUTHORIZED, list(NameKind.values).index(f.kind), f.name),
    )
    groups: dict[str, list[NameForm]] = {}
    for form in forms:
        groups.setdefault(form.script, []).append(form)
    first = forms[0].script if forms else ""
    ordered = sorted(groups, key=lambda s: (s != first, _SCRIPT_ORDER.get(s, 9), s))
    return [(groups[s][0].get_script_display(), groups[s]) for s in ordered]


#: the documents listed under each of an agent's roles on its page (the rest are a link away)
DOCUMENTS_PER_ROLE = 20


@dataclass
class RoleDocuments:
    """An agent's public documents in one role: how many, the first by date, and the browse
    page that lists them all (``?agent=…&role=…``)."""

    label: str
    total: int
    rows: list[AgentRole]
    url: str


def _documents_by_role(agent: Agent) -> list[RoleDocuments]:
    """The agent's public documents by role, the first :data:`DOCUMENTS_PER_ROLE` of each in
    date order: two queries however many there are (the most prolific agent of a million
    documents has 103,185 roles, and listing them all took its page 18 s)."""
    roles = AgentRole.objects.filter(AgentRole.public_q(), agent=agent).order_by()
    totals = dict(roles.values_list("role").annotate(total=Count("id")))
    place = Window(
        RowNumber(),
        partition_by=F("role"),
        order_by=[F("document__date_start").asc(nulls_last=True), "document__title", "pk"],
    )
    # the places worked out over the keys alone, then the rows shown read by key (the window
    # over the full rows sorted every role's documents with all their columns: 1.25 s)
    keys = roles.annotate(place=place).filter(place__lte=DOCUMENTS_PER_ROLE).values("pk")
    first = (
        AgentRole.objects.filter(pk__in=keys)
        .select_related("document__document_type", "document__collection__repository")
        .prefetch_related("document__languages")
        .order_by(F("document__date_start").asc(nulls_last=True), "document__title", "pk")
    )
    shown: dict[str, list[AgentRole]] = {}
    for row in first:
        shown.setdefault(row.role, []).append(row)
    browse = reverse("documents:list")
    return [
        RoleDocuments(
            label=shown[code][0].get_role_display(),
            total=totals[code],
            rows=shown[code],
            url=f"{browse}?{urlencode({'agent': agent.identifier, 'role': code})}",
        )
        for code in sorted(totals, key=lambda code: _ROLE_ORDER.get(code, 99))
    ]


@negotiated(agent_queryset)
def agent_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    agent = get_object_or_404(agent_queryset(), identifier=identifier)
    relations = _relations(agent)
    context = {
        "agent": agent,
        "names": _names_by_script(agent),
        "relations": relations,
        "graph": relation_graph(agent, [(row.label, row.other) for row in relations]),
        "documents_by_role": _documents_by_role(agent),
    }
    return render(request, "people/agent_detail.html", context)
