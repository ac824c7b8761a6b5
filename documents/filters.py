"""FilterSets for documents, publications and the vocabularies (subjects, places).

Filters on many-valued relations (languages, subjects, agents, texts) select document ids in a
subquery instead of joining, so a document matches once however many of its values match, no
DISTINCT is needed, and facet queries can group the filtered rows by any relation without
reusing a filter's join.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, ExtractHour, ExtractMinute
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from archive import facet_tallies
from archive.filters import (
    DateFilterMixin,
    Facet,
    KirokuFilterSet,
    MultiValueCharFilter,
    MultiValueNumberFilter,
    Ordering,
    PartialDateFilter,
    StrictBooleanFilter,
    Year,
    choice_label,
    country_label,
    date_ordering,
    date_overlap_q,
    decade_filter,
    decade_label,
    decade_of,
    earliest_start,
    field_ordering,
    in_subtree_q,
    ordering_filter,
    per_request,
    year_filter,
    yes_no_label,
)
from archive.models import Collection, Language, Repository
from archive.models.base import sees_everything, sort_date
from documents.models import (
    DigitalObject,
    Document,
    DocumentText,
    DocumentType,
    Event,
    EventKind,
    EventParticipant,
    ParticipantRole,
    Place,
    Publication,
    PublicationCreator,
    PublicationKind,
    Subject,
    TextKind,
    TextLineage,
)
from people.models import Agent, AgentRole, DocumentRole

#: text kinds that give the document's own words (not a translation or a summary)
TRANSCRIPT_KINDS = tuple(
    kind for kind in TextKind.values if kind not in {TextKind.TRANSLATION, TextKind.SUMMARY}
)


def public_transcripts() -> QuerySet:
    return DocumentText.objects.filter(DocumentText.public_q(), kind__in=TRANSCRIPT_KINDS)


def public_translations() -> QuerySet:
    return DocumentText.objects.filter(DocumentText.public_q(), kind=TextKind.TRANSLATION)


def public_digital_objects() -> QuerySet:
    return DigitalObject.objects.filter(DigitalObject.public_q())


def count_places(rows: QuerySet, limit: int) -> list[dict[str, Any]]:
    """Documents per place, written there or mentioning it: what ``place=`` selects.

    One query, linear in the filtered rows: the (document, place) pairs of both kinds, merged
    by ``UNION`` so a document written at a place that it also mentions counts once, grouped
    by place. (Counting per place with a correlated subquery scans the documents once for
    every place.) The ORM cannot group a union, hence the SQL; every value in it is a
    parameter, and the names come from the models' metadata.
    """
    try:
        ids_sql, ids_params = rows.values("pk").query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (a query with no searchable word)
        return []
    document = Document._meta.db_table
    mentions = Document.places.through._meta.db_table
    place = Place._meta.db_table
    sql = (
        f"SELECT p.identifier, p.name, COUNT(*) AS n FROM ("  # nosec B608
        f" SELECT id AS document_id, place_id FROM {document}"
        f"  WHERE place_id IS NOT NULL AND id IN ({ids_sql})"
        f" UNION SELECT document_id, place_id FROM {mentions} WHERE document_id IN ({ids_sql})"
        f") pairs INNER JOIN {place} p ON p.id = pairs.place_id"
        f" GROUP BY p.id, p.identifier, p.name ORDER BY n DESC, p.identifier LIMIT %s"
    )
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, [*ids_params, *ids_params, limit])
        return [
            {"value": identifier, "label": name, "count": count}
            for identifier, name, count in cursor.fetchall()
        ]


def place_members(rows: QuerySet) -> set[tuple[int, str, str]]:
    """Each document's places, written there or mentioning it, as ``count_places`` counts
    them: ``(document pk, place identifier, place name)``, each pair once."""
    written = rows.filter(place__isnull=False).values_list("pk", "place__identifier", "place__name")
    mentioned = Document.places.through.objects.filter(document__in=rows.values("pk")).values_list(
        "document_id", "place__identifier", "place__name"
    )
    return {*written, *mentioned}


def has_facet(name: str, related: QuerySet) -> Facet:
    """A yes/no facet: whether the document has one of ``related`` (a public text or file).

    One query: how many rows there are, and how many distinct documents of ``related`` are
    among them, found from the rows through ``related``'s index on its document. Its cost
    follows the rows, not the size of ``related``: a search's ten hits are counted at once.
    (Asking which of the rows are in the set of every document ``related`` names builds that
    set first, 0.4 s at a million documents whatever the rows; grouping the rows on a
    correlated EXISTS is twice as slow as this over all of them.)
    """

    def counter(rows: QuerySet, limit: int) -> list[dict[str, Any]]:
        try:
            ids_sql, ids_params = rows.values("pk").query.sql_with_params()
        except EmptyResultSet:  # a filter that can match nothing
            return []
        related_sql, related_params = (
            related.order_by().values("document_id").query.sql_with_params()
        )
        sql = (
            f"SELECT (SELECT COUNT(*) FROM ({ids_sql}) AS rows_),"  # nosec B608
            f" (SELECT COUNT(DISTINCT r.document_id) FROM ({related_sql}) AS r"
            f"  WHERE r.document_id IN ({ids_sql}))"
        )
        with connections[rows.db].cursor() as cursor:
            cursor.execute(sql, [*ids_params, *related_params, *ids_params])
            total, yes = cursor.fetchone()
        counts = [(False, total - yes), (True, yes)]
        counts.sort(key=lambda pair: -pair[1])  # largest first; "no" first on a tie
        return [
            {"value": value, "label": yes_no_label(value), "count": count}
            for value, count in counts[:limit]
            if count
        ]

    def members(rows: QuerySet) -> list[tuple[int, bool, None]]:
        ids = list(rows.values_list("pk", flat=True))
        having = set(
            related.order_by().filter(document_id__in=ids).values_list("document_id", flat=True)
        )
        return [(pk, pk in having, None) for pk in ids]

    return Facet(
        f"facet_{name}",
        excludes=(name,),
        counter=counter,
        members=members,
        display=yes_no_label,
    )


#: the parameters of the date facet (years, decades and the from–to range)
DATE_PARAMS = ("year", "decade", "date_from", "date_to")

DOCUMENT_ORDERINGS = {
    "date": date_ordering("Date"),
    "-date": date_ordering("Date (latest first)", descending=True),
    "title": field_ordering("Title", "title"),
    "-title": field_ordering("Title (Z–A)", "title", descending=True),
    "identifier": field_ordering("Identifier", "identifier"),
}


class DocumentFilterSet(DateFilterMixin, KirokuFilterSet):
    """Documents: the browse page's and the API's filters, sort orders and facets."""

    search_kind = "document"
    orderings = DOCUMENT_ORDERINGS
    default_ordering = "date"
    facets = {
        "form": Facet("document_type__code", "document_type__name", excludes=("form",)),
        # a document has each language and subject once (the many-to-many tables' unique pairs)
        "language": Facet(
            "languages__code", "languages__name", excludes=("language",), distinct=False
        ),
        "repository": Facet(
            "collection__repository__identifier",
            "collection__repository__name",
            excludes=("repository", "repository_id"),
            restrict=Repository.public_q("collection__repository__"),
        ),
        # the unit a document is filed in (the ``collection`` filter also takes units above it)
        "collection": Facet(
            "collection__identifier",
            "collection__title",
            excludes=("collection",),
            restrict=Collection.public_q("collection__"),
            many_values=True,
        ),
        "subject": Facet(
            "subjects__identifier", "subjects__name", excludes=("subject",), distinct=False
        ),
        "place": Facet(
            "identifier", excludes=("place",), counter=count_places, members=place_members
        ),
        "agent": Facet(
            "agent_roles__agent__identifier",
            "agent_roles__agent__name",
            excludes=("agent",),
            restrict=Agent.public_q("agent_roles__agent__"),
        ),
        "role": Facet(
            "agent_roles__role",
            excludes=("role",),
            restrict=Agent.public_q("agent_roles__agent__"),
            display=choice_label(DocumentRole),
        ),
        # the date facets ignore every date filter, so the histogram stays whole under a range
        "year": Facet(
            "facet_year",
            excludes=DATE_PARAMS,
            annotate={"facet_year": Year("date_start")},
        ),
        "decade": Facet(
            "facet_decade",
            excludes=DATE_PARAMS,
            annotate={"facet_decade": decade_of("date_start")},
            display=decade_label,
        ),
        "has_transcript": has_facet("has_transcript", public_transcripts()),
        "has_translation": has_facet("has_translation", public_translations()),
        "has_digital_object": has_facet("has_digital_object", public_digital_objects()),
    }
    # not the agent filter, which matches public agents only (the facet keeps every agent and
    # shows the public ones), nor the collection filter, which takes the units below a unit
    # too, nor the date filters, which take ranges; the role facet, like its filter, counts
    # the roles of public agents only; the place, like its filter, where a document was
    # written and the places it mentions
    scoped_facets = (
        "form",
        "language",
        "subject",
        "repository",
        "role",
        "place",
        "has_transcript",
        "has_translation",
        "has_digital_object",
    )

    repository = MultiValueCharFilter(method="filter_repository", label="Repository (identifier)")
    repository_id = MultiValueNumberFilter(
        field_name="collection__repository_id", label="Repository (id)"
    )
    collection = MultiValueCharFilter(
        method="filter_collection", label="Archival unit (identifier), with the units below it"
    )
    form = MultiValueCharFilter(method="filter_form", label="Documentary form (code)")
    language = MultiValueCharFilter(method="filter_language", label="Language (ISO 639 code)")
    subject = MultiValueCharFilter(method="filter_subject", label="Subject (identifier)")
    place = MultiValueCharFilter(
        method="filter_place", label="Place of creation or mentioned (identifier)"
    )
    agent = MultiValueCharFilter(method="filter_agent", label="Agent (identifier)")
    role = MultiValueCharFilter(
        method="filter_role",
        choices=DocumentRole.choices,
        label="Agent's role (" + ", ".join(DocumentRole.values) + "); with agent, that agent's",
    )
    date_from = PartialDateFilter(method="filter_date_from", label="Dates overlap from")
    date_to = PartialDateFilter(method="filter_date_to", label="Dates overlap until")
    year = year_filter()
    decade = decade_filter()
    has_transcript = StrictBooleanFilter(
        method="filter_has_transcript", label="Has a public text in its own words"
    )
    has_translation = StrictBooleanFilter(
        method="filter_has_translation", label="Has a public translation"
    )
    has_digital_object = StrictBooleanFilter(
        method="filter_has_digital_object", label="Has a public image or file"
    )
    ordering = ordering_filter(DOCUMENT_ORDERINGS, relevance=True)

    class Meta:
        model = Document
        fields: list[str] = []

    def filter_collection(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(
            in_subtree_q(value, self.user, prefix="collection__", request=self.request)
        )

    def filter_repository(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        repositories = self.keys_of(Repository.objects.filter(identifier__in=value))
        return queryset.filter(collection__repository__in=repositories)

    def filter_form(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        forms = self.keys_of(DocumentType.objects.filter(code__in=value))
        return queryset.filter(document_type__in=forms)

    def filter_language(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        languages = self.keys_of(Language.objects.filter(code__in=value))
        through = Document.languages.through.objects.filter(language__in=languages)
        return self._linked(queryset, through, "language", languages)

    def filter_subject(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        subjects = self.keys_of(Subject.objects.filter(identifier__in=value))
        through = Document.subjects.through.objects.filter(subject__in=subjects)
        return self._linked(queryset, through, "subject", subjects)

    def filter_place(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        # the places' keys first: joined to the places inside the OR, the documents are read
        # one by one (SQLite, 6.6 s at a million); by key, each side is a range of an index
        places = self.keys_of(Place.objects.filter(identifier__in=value))
        through = Document.places.through.objects.filter(place__in=places)
        mentioned = Q(pk__in=through.values("document_id"))
        return queryset.filter(Q(place__in=places) | mentioned)

    def _roles(self) -> QuerySet:
        """Roles of agents the requester may see (a hidden agent's identifier finds nothing):
        the agent's state joined, not a subquery of every visible agent, which SQLite would
        read whole (or, tested per document, read again for each)."""
        if sees_everything(self.user):
            return AgentRole.objects.all()
        return AgentRole.objects.filter(Agent.public_q("agent__"))

    def filter_agent(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        agents = self.keys_of(Agent.objects.visible_to(self.user).filter(identifier__in=value))
        roles = AgentRole.objects.filter(agent__in=agents)
        wanted_roles = self.form.cleaned_data.get("role")
        if wanted_roles:  # role and agent together: that agent in one of those roles
            roles = roles.filter(role__in=wanted_roles)
        return queryset.filter(pk__in=roles.values("document_id"))

    def filter_role(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if self.form.cleaned_data.get("agent"):
            return queryset  # combined with the agent filter above
        roles = self._roles().filter(role__in=value)
        return self._linked(queryset, roles, "role", value)

    def overlapping(self, first: date | None, last: date | None) -> Q:
        """By class of span (``date_overlap_q(by_span=True)``, read from the index
        ``document_public_by_period``) for a period with both ends that the kept year tallies
        say fewer than :attr:`BROAD_PERIOD` of the public documents start in (counting the
        year before it too). At a million documents the year 1956 (17,188 documents) was read
        through the 550,000 that start before its end: its page 2.8 s on SQLite and 1.1 s on
        PostgreSQL. A period most documents overlap is left as one condition: the page's keys
        are then found in a few steps of the sort order's index, where the ranges by class
        would gather and sort them all."""
        if first is None or last is None:
            return date_overlap_q(first, last)
        if self._share("year", range(first.year - 1, last.year + 1)) >= self.BROAD_PERIOD:
            return date_overlap_q(first, last)
        period = date_overlap_q(first, last, by_span=True)
        # The date orders' keys of the documents found lie between the earliest start among
        # them and the period's end (undated starts sort last either way): said outright, so
        # a page in date order is read from there on, not from the list's start through every
        # earlier document (PostgreSQL expects the matches spread evenly along the order).
        earliest = per_request(
            self.request,
            f"earliest {first} {last} {self.queryset.query}",
            lambda: earliest_start(self.queryset, first, last),
        )
        if earliest is None:
            return period
        return (
            period
            & Q(GreaterThanOrEqual(sort_date(), earliest))
            & Q(LessThanOrEqual(sort_date(descending=True), last))
        )

    #: the part of the public documents from which a period is one condition (``overlapping``)
    BROAD_PERIOD = 0.5

    #: the part of the public documents from which a filter by linked records tests each
    #: document in turn (see ``_linked``)
    BROAD = 0.1

    def _share(self, facet: str, values: Iterable[Any]) -> float:
        """The part of the public documents that have one of ``facet``'s ``values`` (kept as
        themselves, or the keys of the records they name), from the kept tallies
        (``facet_tallies.share``), read once per request."""
        keys = [json.dumps([value]) for value in values]
        return per_request(
            self.request,
            f"share {facet} {keys}",
            lambda: facet_tallies.share(self.search_kind, facet, keys),
        )

    def _linked(
        self, queryset: QuerySet, links: QuerySet, facet: str, values: list[Any]
    ) -> QuerySet:
        """The documents that ``links`` (rows with a ``document_id``) name, the values they
        link to being ``facet``'s ``values``.

        As a list of the linked documents (``id IN (SELECT document_id …)``), or, where the
        kept tallies say the values are on at least :attr:`BROAD` of the public documents,
        as a test of each document (``EXISTS``). SQLite reads a list in full before the first
        row, however few a page needs: the 342,280 documents in Japanese of a million, 268 ms
        for a page's keys and 99 ms more for its rows; walking the page's order and testing
        each document finds the page in a few dozen (1 ms). For a value of a few documents
        the walk would pass over the whole table (a subject of twelve: 2.8 s), so the list
        stays. PostgreSQL plans both forms as the same semi-join. (Only for link rows filtered
        by their own columns and joins: SQLite would run a subquery within ``links`` again for
        every document tested.)
        """
        if self._share(facet, values) >= self.BROAD:
            return queryset.filter(Exists(links.filter(document_id=OuterRef("pk"))))
        return queryset.filter(pk__in=links.values("document_id"))

    def _has(self, queryset: QuerySet, value: bool | None, related: QuerySet) -> QuerySet:
        if value is None:
            return queryset
        exists = Exists(related.filter(document_id=OuterRef("pk")))
        return queryset.filter(exists if value else ~exists)

    def filter_has_transcript(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        return self._has(queryset, value, public_transcripts())

    def filter_has_translation(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        return self._has(queryset, value, public_translations())

    def filter_has_digital_object(
        self, queryset: QuerySet, name: str, value: bool | None
    ) -> QuerySet:
        return self._has(queryset, value, public_digital_objects())


PUBLICATION_ORDERINGS = {
    "date": date_ordering("Date"),
    "-date": date_ordering("Date (latest first)", descending=True),
    "title": field_ordering("Title", "title"),
    "-title": field_ordering("Title (Z–A)", "title", descending=True),
    "identifier": field_ordering("Identifier", "identifier"),
}


class PublicationFilterSet(DateFilterMixin, KirokuFilterSet):
    search_kind = "publication"
    orderings = PUBLICATION_ORDERINGS
    default_ordering = "date"
    facets = {
        "kind": Facet("kind", excludes=("kind",), display=choice_label(PublicationKind)),
        "year": Facet(
            "facet_year", excludes=("year",), annotate={"facet_year": Year("date_start")}
        ),
    }

    kind = MultiValueCharFilter(field_name="kind", label="Kind", choices=PublicationKind.choices)
    year = year_filter()
    date_from = PartialDateFilter(method="filter_date_from", label="Dates overlap from")
    date_to = PartialDateFilter(method="filter_date_to", label="Dates overlap until")
    agent = MultiValueCharFilter(method="filter_agent", label="Author or editor (identifier)")
    ordering = ordering_filter(PUBLICATION_ORDERINGS, relevance=True)

    class Meta:
        model = Publication
        fields: list[str] = []

    def filter_agent(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        creators = PublicationCreator.objects.filter(
            agent__in=Agent.objects.visible_to(self.user).filter(identifier__in=value).values("pk")
        )
        return queryset.filter(pk__in=creators.values("publication_id"))


VOCABULARY_ORDERINGS = {
    "name": field_ordering("Name", "name"),
    "-name": field_ordering("Name (Z–A)", "name", descending=True),
    "identifier": field_ordering("Identifier", "identifier"),
}


class SubjectFilterSet(KirokuFilterSet):
    search_fields = ("name", "name_ja", "name_ru", "identifier")
    orderings = VOCABULARY_ORDERINGS
    default_ordering = "name"

    broader = MultiValueCharFilter(
        field_name="broader__identifier", label="Broader subject (identifier)"
    )
    ordering = ordering_filter(VOCABULARY_ORDERINGS)

    class Meta:
        model = Subject
        fields: list[str] = []


class PlaceFilterSet(KirokuFilterSet):
    search_fields = ("name", "name_ja", "name_ru", "alternative_names", "identifier")
    orderings = VOCABULARY_ORDERINGS
    default_ordering = "name"
    facets = {
        "kind": Facet("kind", excludes=("kind",)),
        "country": Facet("country", excludes=("country",), display=country_label),
    }

    kind = MultiValueCharFilter(field_name="kind", label="Kind (city, island, ...)")
    country = MultiValueCharFilter(field_name="country", label="Country (ISO 3166-1)")
    part_of = MultiValueCharFilter(field_name="part_of__identifier", label="Part of (identifier)")
    ordering = ordering_filter(VOCABULARY_ORDERINGS)

    class Meta:
        model = Place
        fields: list[str] = []


def event_date_ordering(label: str, *, descending: bool = False) -> Ordering:
    """By earliest date, then time of day (untimed first), title and id; undated last."""
    return Ordering(
        label,
        (
            ("sort_date", sort_date(descending=descending)),
            # minutes after midnight (an integer, so a cursor can carry it); untimed first
            (
                "sort_minute",
                Coalesce(ExtractHour("time_start") * 60 + ExtractMinute("time_start"), Value(-1)),
            ),
            ("title", F("title")),
            ("id", F("id")),
        ),
        descending,
    )


EVENT_ORDERINGS = {
    "date": event_date_ordering("Date"),
    "-date": event_date_ordering("Date (latest first)", descending=True),
    "title": field_ordering("Title", "title"),
    "identifier": field_ordering("Identifier", "identifier"),
}


class EventFilterSet(DateFilterMixin, KirokuFilterSet):
    """Events: the events page's and the API's filters, sort orders and facets."""

    search_fields = ("title", "summary", "identifier")
    orderings = EVENT_ORDERINGS
    default_ordering = "date"
    facets = {
        "kind": Facet("kind", excludes=("kind",)),
        "place": Facet("place__identifier", "place__name", excludes=("place",)),
        "year": Facet(
            "facet_year", excludes=("year",), annotate={"facet_year": Year("date_start")}
        ),
    }

    kind = MultiValueCharFilter(field_name="kind", choices=EventKind.choices, label="Kind")
    place = MultiValueCharFilter(field_name="place__identifier", label="Place (identifier)")
    agent = MultiValueCharFilter(method="filter_agent", label="Participant (agent identifier)")
    role = MultiValueCharFilter(
        method="filter_role",
        choices=ParticipantRole.choices,
        label="Participant's role (" + ", ".join(ParticipantRole.values) + "); with agent, "
        "that agent's",
    )
    parent = MultiValueCharFilter(method="filter_parent", label="Part of the event (identifier)")
    date_from = PartialDateFilter(method="filter_date_from", label="Dates overlap from")
    date_to = PartialDateFilter(method="filter_date_to", label="Dates overlap until")
    year = year_filter()
    ordering = ordering_filter(EVENT_ORDERINGS)

    class Meta:
        model = Event
        fields: list[str] = []

    def _participants(self) -> QuerySet:
        """Participations of agents the requester may see (a hidden agent finds nothing)."""
        return EventParticipant.objects.filter(
            agent__in=Agent.objects.visible_to(self.user).values("pk")
        )

    def filter_agent(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        participants = self._participants().filter(agent__identifier__in=value)
        wanted_roles = self.form.cleaned_data.get("role")
        if wanted_roles:  # role and agent together: that agent in one of those roles
            participants = participants.filter(role__in=wanted_roles)
        return queryset.filter(pk__in=participants.values("event_id"))

    def filter_role(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if self.form.cleaned_data.get("agent"):
            return queryset  # combined with the agent filter above
        participants = self._participants().filter(role__in=value)
        return queryset.filter(pk__in=participants.values("event_id"))

    def filter_parent(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        parents = Event.objects.visible_to(self.user).filter(identifier__in=value)
        return queryset.filter(parent__in=parents.values("pk"))


GENEALOGY_ORDERINGS = {
    "title": field_ordering("Title", "title"),
    "-title": field_ordering("Title (Z–A)", "title", descending=True),
    "identifier": field_ordering("Identifier", "identifier"),
}


class TextLineageFilterSet(KirokuFilterSet):
    """Text genealogies: the genealogies page's and the API's filters and sort orders."""

    search_fields = ("title", "description", "identifier")
    orderings = GENEALOGY_ORDERINGS
    default_ordering = "title"

    document = MultiValueCharFilter(
        method="filter_document", label="With a step in the document (identifier)"
    )
    side = MultiValueCharFilter(
        method="filter_side", label="With a step written by (agent identifier)"
    )
    ordering = ordering_filter(GENEALOGY_ORDERINGS)

    class Meta:
        model = TextLineage
        fields: list[str] = []

    def _steps(self) -> QuerySet:
        """Steps the requester may see (a hidden text or document finds nothing)."""
        return DocumentText.objects.visible_to(self.user).filter(lineage__isnull=False)

    def filter_document(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        steps = self._steps().filter(document__identifier__in=value)
        return queryset.filter(pk__in=steps.values("lineage_id"))

    def filter_side(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        sides = Agent.objects.visible_to(self.user).filter(identifier__in=value)
        steps = self._steps().filter(side__in=sides.values("pk"))
        return queryset.filter(pk__in=steps.values("lineage_id"))
