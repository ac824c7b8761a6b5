"""Small events of their own for the events tests (identifiers start with ``t-ev``)."""

from dataclasses import dataclass

import pytest

from documents.models import Document, DocumentType, Event, EventDocument, EventParticipant, Place
from people.models import Agent


@dataclass
class Scene:
    place: Place
    japan: Agent
    ussr: Agent
    envoy: Agent
    hidden_agent: Agent
    memo: Document
    hidden_memo: Document
    talks: Event
    session: Event
    draft_event: Event


def add_events(scene: Scene, n: int, prefix: str = "t-ev-bulk") -> list[Event]:
    """``n`` public sessions of the talks, each with two participants and a document."""
    events = []
    for i in range(n):
        event = Event.objects.create(
            identifier=f"{prefix}-{i}",
            title=f"Zq bulk session {i}",
            kind="round",
            date_edtf=f"1957-02-{i % 28 + 1:02d}",
            place=scene.place,
            parent=scene.talks,
            status="published",
        )
        EventParticipant.objects.create(
            event=event, agent=scene.envoy, role="head", side=scene.japan
        )
        EventParticipant.objects.create(event=event, agent=scene.hidden_agent, role="delegate")
        EventDocument.objects.create(
            event=event, document=scene.memo, relation="record", side=scene.ussr
        )
        events.append(event)
    return events


@pytest.fixture
def scene(db: None) -> Scene:
    place = Place.objects.create(identifier="t-ev-city", name="Zq City")
    japan = Agent.objects.create(
        identifier="t-ev-japan", kind="organization", name="Zq Japan", status="published"
    )
    ussr = Agent.objects.create(
        identifier="t-ev-ussr", kind="organization", name="Zq USSR", status="published"
    )
    envoy = Agent.objects.create(
        identifier="t-ev-envoy", kind="person", name="Zq Envoy", status="published"
    )
    hidden_agent = Agent.objects.create(
        identifier="t-ev-hidden", kind="person", name="Zq Hidden Person", status="draft"
    )
    form = DocumentType.objects.create(code="t-ev-memo", name="memo")
    memo = Document.objects.create(
        identifier="t-ev-memo",
        title="Zq memo of the session",
        document_type=form,
        date_edtf="1957-01-10",
        status="published",
    )
    hidden_memo = Document.objects.create(
        identifier="t-ev-hidden-memo",
        title="Zq secret memo",
        document_type=form,
        date_edtf="1957-01-10",
        status="draft",
    )
    talks = Event.objects.create(
        identifier="t-ev-talks",
        title="Zq talks",
        kind="negotiation",
        date_edtf="1957-01/1957-03",
        place=place,
        status="published",
    )
    session = Event.objects.create(
        identifier="t-ev-session",
        title="Zq first session",
        kind="round",
        date_edtf="1957-01-10",
        time_start="10:00",
        time_end="12:30",
        place=place,
        venue="Zq Palace",
        parent=talks,
        status="published",
    )
    EventParticipant.objects.create(event=session, agent=envoy, role="head", side=japan)
    EventParticipant.objects.create(event=session, agent=hidden_agent, role="interpreter")
    EventDocument.objects.create(event=session, document=memo, relation="record", side=ussr)
    EventDocument.objects.create(event=session, document=hidden_memo, relation="preparatory")
    draft_event = Event.objects.create(
        identifier="t-ev-draft",
        title="Zq unpublished meeting",
        kind="meeting",
        date_edtf="1957-01-11",
        status="draft",
    )
    EventParticipant.objects.create(event=draft_event, agent=envoy, role="participant")
    return Scene(
        place, japan, ussr, envoy, hidden_agent, memo, hidden_memo, talks, session, draft_event
    )
