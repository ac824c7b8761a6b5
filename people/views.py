"""Public pages for people, organizations and families."""

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from archive.browse import Browse, FacetSpec
from people.filters import AgentFilterSet
from people.models import Agent, AgentRelation, AgentRole


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
    )
    return render(
        request,
        "people/agent_list.html",
        {"browse": browse, "page": browse.page},
        status=400 if browse.errors else 200,
    )


def agent_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    public_relations = AgentRelation.objects.filter(AgentRelation.public_q()).select_related(
        "relation_type", "source", "target"
    )
    agent = get_object_or_404(
        Agent.objects.public().prefetch_related(
            "name_forms__language",
            "positions__organization",
            "authority_ids__scheme",
            Prefetch("relations_out", public_relations, "public_relations_out"),
            Prefetch("relations_in", public_relations, "public_relations_in"),
            Prefetch(
                "document_roles",
                AgentRole.objects.filter(AgentRole.public_q()).select_related("document"),
                "public_roles",
            ),
        ),
        identifier=identifier,
    )
    return render(request, "people/agent_detail.html", {"agent": agent})
