"""Public pages for events, and a person's or organization's chronology."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from documents.chronology import agent_chronology
from documents.filters import EventFilterSet
from documents.models import Event, EventDocument, EventParticipant
from people.models import Agent


def event_list(request: HttpRequest) -> HttpResponse:
    """Public events in date order, grouped by year, filtered with the API's FilterSet."""
    filterset = EventFilterSet(
        request.GET, queryset=Event.objects.public().select_related("place"), request=request
    )
    if not filterset.is_valid():
        context = {"filterset": filterset, "errors": filterset.errors, "page": None}
        return render(request, "documents/event_list.html", context, status=400)
    page = Paginator(filterset.qs, 100).get_page(request.GET.get("page"))
    return render(request, "documents/event_list.html", {"filterset": filterset, "page": page})


def event_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    event = get_object_or_404(
        Event.objects.public()
        .select_related("place", "parent")
        .prefetch_related(
            # only public participants and documents, with what their lines show
            Prefetch(
                "participants",
                EventParticipant.objects.filter(EventParticipant.public_q())
                .select_related("agent", "side")
                .order_by("order", "role"),
                "public_participants",
            ),
            Prefetch(
                "event_documents",
                EventDocument.objects.filter(EventDocument.public_q())
                .select_related("document", "side")
                .order_by("order", "relation"),
                "public_documents",
            ),
            Prefetch("children", Event.objects.public(), "public_children"),
        ),
        identifier=identifier,
    )
    return render(request, "documents/event_detail.html", {"event": event})


def agent_chronology_page(request: HttpRequest, identifier: str) -> HttpResponse:
    """The events an agent took part in and the documents they have a part in, by date."""
    agent = get_object_or_404(Agent.objects.public(), identifier=identifier)
    entries = agent_chronology(agent)
    return render(request, "people/chronology.html", {"agent": agent, "entries": entries})
