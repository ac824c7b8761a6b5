"""Public pages for people, organizations and families."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from people.models import Agent, AgentRelation, AgentRole


def agent_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(Agent.objects.public().order_by("sort_name"), 100).get_page(
        request.GET.get("page")
    )
    return render(request, "people/agent_list.html", {"page": page})


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
