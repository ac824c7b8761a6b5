"""Chronologies: events and documents merged into one dated sequence.

Two readings share one entry shape: the archive's timeline (:func:`timeline_entries`, every
public dated event and document, optionally of some years, counted by decade in
:func:`timeline_decades`) and a person's or organization's chronology
(:func:`agent_chronology`, the events they took part in and the documents they have a part in).
Both read only public rows, through the models' ``public()`` / ``public_q()``, and cost a fixed
number of queries however many entries there are.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from archive.filters import decade_of
from documents.models import Document, Event, EventParticipant
from people.models import Agent, AgentRole


@dataclass
class TimelineEntry:
    """One dated line of a timeline: an event or a document."""

    kind: str  # "event" or "document"
    record: Any
    title: str
    url: str
    date_start: datetime.date | None
    date_display: str
    type_label: str  # the event's kind or the document's form
    time: datetime.time | None = None
    time_display: str = ""
    roles: list[str] = field(default_factory=list)  # an agent's parts, in a chronology

    @property
    def sort_key(self) -> tuple:
        """Date (undated last); on one day events (by time, untimed first) before the
        documents about them; then title."""
        return (
            self.date_start is None,
            self.date_start or datetime.date.max,
            self.kind != "event",
            self.time or datetime.time.min,
            self.title,
        )


def _event_entry(event: Event, roles: list[str] | None = None) -> TimelineEntry:
    return TimelineEntry(
        kind="event",
        record=event,
        title=event.title,
        url=event.get_absolute_url(),
        date_start=event.date_start,
        date_display=event.date_display,
        type_label=event.get_kind_display(),
        time=event.time_start,
        time_display=event.time_display,
        roles=roles or [],
    )


def _document_entry(document: Document, roles: list[str] | None = None) -> TimelineEntry:
    return TimelineEntry(
        kind="document",
        record=document,
        title=document.title,
        url=document.get_absolute_url(),
        date_start=document.date_start,
        date_display=document.date_display,
        type_label=document.document_type.name,
        roles=roles or [],
    )


def _documents_for_display(queryset: QuerySet) -> QuerySet:
    # the form for the type label; the repository and the languages decide era display
    return queryset.select_related("document_type", "collection__repository").prefetch_related(
        "languages"
    )


def timeline_decades() -> list[dict[str, int]]:
    """``[{"decade": 1950, "n": 42}, ...]``: public dated events and documents counted by the
    decade they start in, earliest first. Two queries."""
    counts: Counter[int] = Counter()
    for model in (Event, Document):
        rows = (
            model.objects.public()
            .filter(date_start__isnull=False)
            .annotate(decade=decade_of("date_start"))
            .values("decade")
            .annotate(n=Count("id"))
            .order_by()
        )
        counts.update({row["decade"]: row["n"] for row in rows})
    return [{"decade": decade, "n": n} for decade, n in sorted(counts.items())]


def timeline_entries(
    first_year: int | None = None, last_year: int | None = None
) -> list[TimelineEntry]:
    """Public dated events and documents in date order, each placed at its start date.

    Given ``first_year`` (and ``last_year``, the same year by default), only the records that
    start within those years, both included. Undated records have no place on a timeline.
    Three queries: the events, the documents, their languages.
    """
    dated = Q(date_start__isnull=False)
    if first_year is not None:
        last = first_year if last_year is None else last_year
        dated &= Q(
            date_start__gte=datetime.date(first_year, 1, 1),
            date_start__lte=datetime.date(last, 12, 31),
        )
    events = Event.objects.public().filter(dated).select_related("place")
    documents = _documents_for_display(Document.objects.public().filter(dated))
    entries = [_event_entry(event) for event in events]
    entries += [_document_entry(document) for document in documents]
    return sorted(entries, key=lambda entry: entry.sort_key)


def agent_chronology(agent: Agent) -> list[TimelineEntry]:
    """The events ``agent`` took part in and the documents they have a part in, in date order.

    Each entry lists the agent's roles in it ("head of delegation", "signatory"); undated
    documents come last. Only public events, documents and roles are read.
    """
    participations = (
        EventParticipant.objects.filter(EventParticipant.public_q(), agent=agent)
        .select_related("event")
        .order_by("order", "role")
    )
    event_roles: dict[int, list[str]] = defaultdict(list)
    events: dict[int, Event] = {}
    for participation in participations:
        events[participation.event_id] = participation.event
        event_roles[participation.event_id].append(participation.get_role_display())
    roles = AgentRole.objects.filter(AgentRole.public_q(), agent=agent).order_by("order", "role")
    document_roles: dict[int, list[str]] = defaultdict(list)
    for role in roles:
        document_roles[role.document_id].append(role.get_role_display())
    documents = _documents_for_display(Document.objects.filter(pk__in=list(document_roles)))
    entries = [_event_entry(event, event_roles[pk]) for pk, event in events.items()]
    entries += [_document_entry(doc, document_roles[doc.pk]) for doc in documents]
    return sorted(entries, key=lambda entry: entry.sort_key)
