"""Pages and API endpoints of the network of people (see :mod:`people.network`)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django import forms
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from people.models import Agent
from people.network import HEIGHT, WIDTH, Graph, Step, connection, network, relation_type_choices

#: agents named on the drawing (the best connected); the others are named on pointing
LABELLED = 30
#: the room a name needs right of its dot; a dot nearer the right edge has its name on its left
LABEL_ROOM = 200


class NetworkForm(forms.Form):
    relation_type = forms.MultipleChoiceField(label=_("Relations"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, input_formats=["%Y-%m-%d", "%Y"])
    date_to = forms.DateField(label=_("To"), required=False, input_formats=["%Y-%m-%d", "%Y"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["relation_type"].choices = relation_type_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and first > last:
            self.add_error("date_to", gettext("The end of the period is before its start."))
        return data


class ConnectionForm(forms.Form):
    source = forms.CharField(label=_("From"), max_length=300)
    target = forms.CharField(label=_("To"), max_length=300)

    @staticmethod
    def _agent(value: str) -> Agent:
        value = value.strip()
        public = Agent.objects.public()
        exact = Q(identifier=value) | Q(name__iexact=value) | Q(name_forms__name__iexact=value)
        agents = list(public.filter(exact).distinct()[:5]) or list(
            public.filter(name_forms__family_name__iexact=value).distinct()[:5]
        )
        if not agents:
            raise forms.ValidationError(
                gettext("No public person or organization is called “%(name)s”.") % {"name": value}
            )
        if len(agents) > 1:
            names = "; ".join(f"{a.name} ({a.identifier})" for a in agents)
            raise forms.ValidationError(
                gettext("Several agents are called “%(name)s”: %(agents)s.")
                % {"name": value, "agents": names}
            )
        return agents[0]

    def clean_source(self) -> Agent:
        return self._agent(self.cleaned_data["source"])

    def clean_target(self) -> Agent:
        return self._agent(self.cleaned_data["target"])


def _graph(form: NetworkForm) -> Graph:
    data = form.cleaned_data
    return network(data.get("relation_type") or None, data.get("date_from"), data.get("date_to"))


def network_page(request: HttpRequest) -> HttpResponse:
    """The relation graph, filterable by relation type and period, and a connection finder."""
    form = NetworkForm(request.GET or None)
    status = 200
    graph = None
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        if not form.is_bound:
            form = NetworkForm({})
            form.is_valid()
        graph = _graph(form)
    context: dict[str, Any] = {"form": form, "graph": graph, "width": WIDTH, "height": HEIGHT}
    if graph is not None:
        where = graph.positions
        degree = Counter(
            pk for e in graph.edges for pk in (e.relation.source_id, e.relation.target_id)
        )
        labelled = set(sorted(degree, key=lambda pk: -degree[pk])[:LABELLED])
        context["drawn_agents"] = [
            (a, *where[pk], pk in labelled, where[pk][0] > WIDTH - LABEL_ROOM)
            for pk, a in graph.agents.items()
        ]
        context["drawn_edges"] = [
            (e, *where[e.relation.source_id], *where[e.relation.target_id]) for e in graph.edges
        ]
    return render(request, "people/network.html", context, status=status)


def connection_page(request: HttpRequest) -> HttpResponse:
    """The shortest chain of relations and shared documents between two agents."""
    form = ConnectionForm(request.GET or None)
    steps: list[Step] | None = None
    status = 200
    searched = form.is_bound and form.is_valid()
    if form.is_bound and not searched:
        status = 400
    if searched:
        steps = connection(form.cleaned_data["source"], form.cleaned_data["target"])
    context = {"form": form, "steps": steps, "searched": searched}
    return render(request, "people/connection.html", context, status=status)


def _agent_data(agent: Agent, absolute: Any) -> dict[str, Any]:
    return {
        "identifier": agent.identifier,
        "name": agent.name,
        "kind": agent.kind,
        "url": absolute(agent.get_absolute_url()),
    }


def _documents_data(documents: list, absolute: Any) -> list[dict[str, Any]]:
    return [
        {"identifier": d.identifier, "title": d.title, "url": absolute(d.get_absolute_url())}
        for d in documents
    ]


def _errors(form: forms.Form) -> dict[str, list[str]]:
    return {field: [str(e) for e in errors] for field, errors in form.errors.items()}


@extend_schema(
    operation_id="network",
    summary="The network of people",
    description="Public agents and the public relations between them, with supporting "
    "documents and drawing positions; filtered by relation type codes and a period.",
    parameters=[
        OpenApiParameter("relation_type", OpenApiTypes.STR, many=True),
        OpenApiParameter("date_from", OpenApiTypes.DATE),
        OpenApiParameter("date_to", OpenApiTypes.DATE),
    ],
    responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    tags=["people"],
)
@api_view(["GET"])
def network_api(request: Request) -> Response:
    form = NetworkForm(request.query_params)
    if not form.is_valid():
        return Response(_errors(form), status=400)
    graph = _graph(form)
    absolute = request.build_absolute_uri
    return Response(
        {
            "agents": [
                {**_agent_data(agent, absolute), "position": graph.positions[pk]}
                for pk, agent in sorted(graph.agents.items(), key=lambda item: item[1].sort_name)
            ],
            "relations": [
                {
                    "source": edge.relation.source.identifier,
                    "target": edge.relation.target.identifier,
                    "type": edge.relation.relation_type.code,
                    "label": edge.relation.relation_type.label,
                    "date": edge.relation.date_edtf or None,
                    "documents": _documents_data(edge.documents, absolute),
                }
                for edge in graph.edges
            ],
            "truncated": graph.truncated,
        }
    )


@extend_schema(
    operation_id="network_connection",
    summary="Shortest connection between two agents",
    description="The shortest chain of public relations and shared public documents between "
    "two agents, named by identifier or by a name form.",
    parameters=[
        OpenApiParameter("source", OpenApiTypes.STR, required=True),
        OpenApiParameter("target", OpenApiTypes.STR, required=True),
    ],
    responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    tags=["people"],
)
@api_view(["GET"])
def connection_api(request: Request) -> Response:
    form = ConnectionForm(request.query_params)
    if not form.is_valid():
        return Response(_errors(form), status=400)
    steps = connection(form.cleaned_data["source"], form.cleaned_data["target"])
    absolute = request.build_absolute_uri
    return Response(
        {
            "found": steps is not None,
            "steps": [
                {
                    "source": _agent_data(step.source, absolute),
                    "target": _agent_data(step.target, absolute),
                    "by": "relation" if step.relation else "shared documents",
                    "relation": step.relation.relation_type.label if step.relation else None,
                    "documents": _documents_data(step.documents, absolute),
                }
                for step in steps or []
            ],
        }
    )
