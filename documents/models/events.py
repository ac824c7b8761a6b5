"""Events: negotiation rounds, meetings, conversations, signings, ratifications, ...

An event is a dated happening with a place, the agents who took part in it in their roles
(head of delegation, interpreter, recorder, ...) and the documents each side produced about it.
Events nest (the sessions of a negotiation under the negotiation). Dates are EDTF statements
like documents' dates; a time of day, where a record gives one, is kept beside the date.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from archive.models import DatedModel, IdentifiedModel


class EventKind(models.TextChoices):
    """What kind of happening an event is."""

    NEGOTIATION = "negotiation", "Negotiation"  # a series of talks (holds its rounds)
    ROUND = "round", "Negotiation round"  # one session or round of a negotiation
    MEETING = "meeting", "Meeting"
    CONVERSATION = "conversation", "Conversation"  # a recorded talk between a few people
    SIGNING = "signing", "Signing"
    RATIFICATION = "ratification", "Ratification"  # a ratification step, or the exchange
    EXCHANGE_OF_NOTES = "exchange-of-notes", "Exchange of notes"  # letters, notes, memoranda
    APPOINTMENT = "appointment", "Appointment"  # someone takes an office
    ANNOUNCEMENT = "announcement", "Announcement"  # a statement, broadcast, decree made public
    REPATRIATION = "repatriation", "Repatriation"  # release and return of internees
    OTHER = "other", "Other"


class Event(IdentifiedModel, DatedModel):
    """A dated happening: a negotiation round, a meeting, a signing, a repatriation, ..."""

    title = models.CharField("title", max_length=300)
    kind = models.CharField("kind", max_length=20, choices=EventKind.choices)
    time_start = models.TimeField(
        "starting time",
        null=True,
        blank=True,
        help_text="Local time of day, where a record gives it (16:15).",
    )
    time_end = models.TimeField("ending time", null=True, blank=True)
    place = models.ForeignKey(
        "documents.Place",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="place",
    )
    venue = models.CharField(
        "venue", max_length=300, blank=True, help_text="The building or room (the Kremlin, ...)."
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="part of",
        help_text="The negotiation or visit this event belongs to.",
    )
    summary = models.TextField("summary", blank=True)
    source = models.CharField(
        "source",
        max_length=500,
        blank=True,
        help_text="Where the event and its date are stated (a document, a publication).",
    )

    class Meta:
        ordering = ["date_start", "time_start", "title"]
        indexes = [
            # the events list and the timeline: public events in date order
            models.Index(fields=["status", "restricted", "date_start"], name="event_public_date"),
            # date range filters and the overlap test of the timeline's years
            models.Index(fields=["date_start", "date_end"], name="event_date_range"),
            # the kind filter and facet
            models.Index(fields=["kind", "date_start"], name="event_kind_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(time_end__isnull=True) | Q(time_start__isnull=False),
                name="event_end_time_needs_start",
            ),
            models.CheckConstraint(
                condition=Q(time_end__isnull=True)
                | Q(time_start__isnull=True)
                | Q(time_end__gte=models.F("time_start")),
                name="event_times_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="event_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.identifier])

    @property
    def time_display(self) -> str:
        """``16:15–16:55``, ``18:00`` or ``""``."""
        if self.time_start is None:
            return ""
        start = self.time_start.strftime("%H:%M")
        return f"{start}–{self.time_end.strftime('%H:%M')}" if self.time_end else start

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.time_end is not None and self.time_start is None:
            errors["time_start"] = "Give the starting time before an ending time."
        elif self.time_end is not None and self.time_end < self.time_start:
            errors["time_end"] = "The ending time is before the starting time."
        if self.parent_id is not None and self.pk is not None:
            ancestor, seen = self.parent, set()
            while ancestor is not None and ancestor.pk not in seen:
                if ancestor.pk == self.pk:
                    errors["parent"] = "An event cannot be part of itself or of its own parts."
                    break
                seen.add(ancestor.pk)
                ancestor = ancestor.parent
        if errors:
            raise ValidationError(errors)


class ParticipantRole(models.TextChoices):
    """The part an agent played in an event."""

    HEAD = "head", "head of delegation"
    DELEGATE = "delegate", "delegate"  # a member of a delegation, plenipotentiary or not
    SIGNATORY = "signatory", "signatory"
    INTERPRETER = "interpreter", "interpreter"
    RECORDER = "recorder", "recorder"  # kept the minutes or the record of conversation
    HOST = "host", "host"
    PARTICIPANT = "participant", "participant"  # took part; no more specific role is stated


class EventParticipantManager(models.Manager):
    def get_by_natural_key(self, event: str, agent: str, role: str) -> EventParticipant:
        return self.get(event__identifier=event, agent__identifier=agent, role=role)


class EventParticipant(models.Model):
    """An agent's part in an event, and the side (government, delegation) it represented."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="participants", verbose_name="event"
    )
    agent = models.ForeignKey(
        "people.Agent",
        on_delete=models.PROTECT,
        related_name="event_participations",
        verbose_name="agent",
    )
    role = models.CharField("role", max_length=12, choices=ParticipantRole.choices)
    side = models.ForeignKey(
        "people.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_representations",
        verbose_name="side represented",
        help_text="The government, delegation or organization the agent spoke for.",
    )
    order = models.PositiveSmallIntegerField("order", default=0)
    note = models.CharField("note", max_length=500, blank=True)

    objects = EventParticipantManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "order", "role"]
        verbose_name = "participant in event"
        verbose_name_plural = "participants in events"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "agent", "role"], name="eventparticipant_unique"
            ),
            models.CheckConstraint(
                condition=~Q(side=models.F("agent")), name="eventparticipant_not_own_side"
            ),
        ]
        indexes = [
            # an agent's events (the person's chronology, the agent filter)
            models.Index(fields=["agent", "role"], name="eventparticipant_agent_role"),
        ]

    def __str__(self) -> str:
        return self.get_role_display()

    def natural_key(self) -> tuple[str, str, str]:
        return (self.event.identifier, self.agent.identifier, self.role)

    natural_key.dependencies = ["documents.event", "people.agent"]

    @classmethod
    def public_q(cls, prefix: str = "") -> Q:
        from people.models import Agent

        return Event.public_q(f"{prefix}event__") & Agent.public_q(f"{prefix}agent__")

    def clean(self) -> None:
        super().clean()
        if self.side_id is not None and self.side_id == self.agent_id:
            raise ValidationError({"side": "An agent cannot be the side it represents."})


class EventDocumentRelation(models.TextChoices):
    """How a document stands to an event."""

    RECORD = "record", "record of"  # minutes, memorandum of conversation, notes
    PRODUCED = "produced", "produced at"  # a paper one side tabled or handed over there
    PREPARATORY = "preparatory", "prepared for"  # briefs, drafts, instructions beforehand
    RESULT = "result", "result of"  # the instrument signed, the decree issued


class EventDocumentManager(models.Manager):
    def get_by_natural_key(self, event: str, document: str, relation: str) -> EventDocument:
        return self.get(event__identifier=event, document__identifier=document, relation=relation)


class EventDocument(models.Model):
    """A document about an event, with the side that produced it."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="event_documents", verbose_name="event"
    )
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.CASCADE,
        related_name="event_links",
        verbose_name="document",
    )
    relation = models.CharField("relation", max_length=12, choices=EventDocumentRelation.choices)
    side = models.ForeignKey(
        "people.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_documents_produced",
        verbose_name="produced by (side)",
        help_text="The government, delegation or person whose document it is.",
    )
    order = models.PositiveSmallIntegerField("order", default=0)
    note = models.CharField("note", max_length=500, blank=True)

    objects = EventDocumentManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "order", "relation"]
        verbose_name = "document of event"
        verbose_name_plural = "documents of events"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "document", "relation"], name="eventdocument_unique"
            ),
        ]
        indexes = [
            # the events a document is about (document pages, the chronology)
            models.Index(fields=["document", "relation"], name="eventdocument_document"),
        ]

    def __str__(self) -> str:
        return self.get_relation_display()

    def natural_key(self) -> tuple[str, str, str]:
        return (self.event.identifier, self.document.identifier, self.relation)

    natural_key.dependencies = ["documents.event", "documents.document"]

    @classmethod
    def public_q(cls, prefix: str = "") -> Q:
        from documents.models.records import Document

        return Event.public_q(f"{prefix}event__") & Document.public_q(f"{prefix}document__")
