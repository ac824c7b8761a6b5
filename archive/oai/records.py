"""What the provider exposes: items, deleted records, sets, and the queries that page them.

Visibility goes through the models' ``public_q()`` (the one rule every public path uses); the
only thing added here is :func:`withdrawn_q`, the tombstones harvesters must hear about. See
:mod:`archive.oai` for why restricted records never appear, not even as deleted.

Query budget. A list response runs a fixed set of queries whatever its page size: the page of
each kind of record it reaches (one query each, with ``select_related``), the prefetches of
that kind's many-valued relations (one each), one query for the units above every record on
the page (references and set membership), and, for EAD, one query each for the child units and
the documents of the collections on the page (and those documents' languages). The first page
adds one count per kind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, Min, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from archive.models import Collection, PublicationStatus, Repository
from archive.oai.protocol import DateBound, format_datestamp, repository_domain
from archive.references import format_reference
from documents.models import Copy, Document, DocumentRelation, Identifier
from people.models import Agent, AgentRole

# The order in which a list walks the kinds of record: all collections, then all documents.
KINDS: tuple[str, ...] = ("collection", "document")
MODELS: dict[str, type[Collection] | type[Document]] = {
    "collection": Collection,
    "document": Document,
}
# At most this many child units, and this many documents, are listed in a unit's EAD <dsc>.
MAX_COMPONENTS = 300


def withdrawn_q(prefix: str = "") -> Q:
    """Deleted records: withdrawn tombstones, unless restricted (then hidden altogether)."""
    return Q(**{f"{prefix}status": PublicationStatus.WITHDRAWN, f"{prefix}restricted": False})


def harvestable_q(model: type[Collection] | type[Document]) -> Q:
    """Everything a harvester may see: public records and deleted ones."""
    return model.public_q() | withdrawn_q()


@dataclass(frozen=True)
class SetFilter:
    """The condition a set puts on each kind of record."""

    spec: str
    conditions: dict[str, Q]


def resolve_set(spec: str) -> SetFilter | None:
    """The filter for ``spec``, or None if no public set has that spec."""
    kind, _, identifier = spec.partition(":")
    if kind == "repository" and identifier:
        repository = Repository.objects.public().filter(identifier=identifier).first()
        if repository is None:
            return None
        return SetFilter(
            spec,
            {
                "collection": Q(repository=repository),
                "document": Q(collection__repository=repository),
            },
        )
    if kind == "collection" and identifier:
        unit = Collection.objects.public().filter(identifier=identifier).first()
        if unit is None:
            return None
        return SetFilter(
            spec,
            {
                "collection": Q(tree_path__startswith=unit.tree_path),
                "document": Q(collection__tree_path__startswith=unit.tree_path),
            },
        )
    return None


def list_queryset(
    kind: str,
    *,
    from_: DateBound | None = None,
    until: DateBound | None = None,
    set_filter: SetFilter | None = None,
) -> QuerySet:
    """The harvestable records of one kind matching a list request, in keyset order."""
    model = MODELS[kind]
    queryset = model.objects.filter(harvestable_q(model))
    if from_ is not None:
        queryset = queryset.filter(updated_at__gte=from_.value)
    if until is not None:
        queryset = queryset.filter(updated_at__lt=until.end)
    if set_filter is not None:
        queryset = queryset.filter(set_filter.conditions[kind])
    return queryset.order_by("pk")


def with_relations(kind: str, queryset: QuerySet, *, metadata: bool) -> QuerySet:
    """Load what headers (and, with ``metadata``, the metadata formats) read, in bulk."""
    if kind == "collection":
        # repository: set membership and publisher; level: EAD level and references
        queryset = queryset.select_related("repository", "level")
        if metadata:
            queryset = queryset.select_related("creator").prefetch_related(
                "languages"  # dc:language / langmaterial, one query per page
            )
        return queryset
    # collection and its repository: set membership, references, publisher
    queryset = queryset.select_related("collection__repository", "collection__level")
    if not metadata:
        return queryset
    return queryset.select_related("document_type", "place", "reference_level").prefetch_related(
        "languages",  # dc:language
        "subjects",  # dc:subject
        "places",  # dc:coverage
        # dc:creator / dc:contributor: only roles of public agents
        Prefetch(
            "agent_roles",
            queryset=AgentRole.objects.filter(Agent.public_q("agent__"))
            .select_related("agent")
            .order_by("order", "role"),
            to_attr="public_roles",
        ),
        # dc:identifier: typed identifiers of the document or of its public copies
        Prefetch(
            "identifiers",
            queryset=Identifier.objects.filter(Q(copy__isnull=True) | Copy.public_q("copy__"))
            .select_related("scheme")
            .order_by("scheme__code", "value"),
            to_attr="public_identifiers",
        ),
        # dc:relation: links to other public documents, both directions
        Prefetch(
            "relations_out",
            queryset=DocumentRelation.objects.filter(Document.public_q("target__"))
            .select_related("target")
            .order_by("relation_type", "target__identifier"),
            to_attr="public_relations_out",
        ),
        Prefetch(
            "relations_in",
            queryset=DocumentRelation.objects.filter(Document.public_q("source__"))
            .select_related("source")
            .order_by("relation_type", "source__identifier"),
            to_attr="public_relations_in",
        ),
        # dc:relation: where else the document is held or published online
        Prefetch(
            "copies",
            queryset=Copy.objects.filter(Copy.public_q()).exclude(url="").order_by("key"),
            to_attr="public_copies",
        ),
    )


@dataclass
class Item:
    """One record as the provider shows it: header data, plus what its metadata needs."""

    kind: str
    record: Collection | Document
    lineage: list[Collection] = field(default_factory=list)  # units from the root down
    set_specs: list[str] = field(default_factory=list)
    children: list[Collection] = field(default_factory=list)  # EAD components (collections)
    documents: list[Document] = field(default_factory=list)

    @property
    def identifier(self) -> str:
        return oai_identifier(self.kind, self.record.identifier)

    @property
    def datestamp(self) -> str:
        return format_datestamp(self.record.updated_at)

    @property
    def deleted(self) -> bool:
        return not self.record.is_public

    @property
    def unit(self) -> Collection | None:
        """The unit whose reference the record's reference extends."""
        if isinstance(self.record, Collection):
            return self.record
        return self.record.collection

    def reference(self) -> str:
        """The full archival reference in the repository's house style ("" if unplaced)."""
        unit = self.unit
        if unit is None or not self.lineage:
            return ""
        if isinstance(self.record, Collection):
            return format_reference(unit, lineage=self.lineage)
        return format_reference(
            unit,
            level=self.record.reference_level,
            segment=self.record.reference_segment,
            locator=self.record.locator,
            lineage=self.lineage,
        )


def oai_identifier(kind: str, identifier: str) -> str:
    return f"oai:{repository_domain()}:{kind}/{identifier}"


def parse_oai_identifier(text: str) -> tuple[str, str] | None:
    """``oai:<domain>:<kind>/<identifier>`` -> (kind, identifier), or None if not ours."""
    prefix = f"oai:{repository_domain()}:"
    if not text.startswith(prefix):
        return None
    kind, _, identifier = text[len(prefix) :].partition("/")
    if kind not in MODELS or not identifier:
        return None
    return kind, identifier


def build_items(
    records: Iterable[tuple[str, Collection | Document]], *, components: bool = False
) -> list[Item]:
    """Items for a page of records: lineages and set specs in one query for the whole page.

    With ``components``, collections also get their public child units and documents (for the
    EAD ``<dsc>``), two more queries for the whole page.
    """
    items = [Item(kind, record) for kind, record in records]
    paths = {item.unit.tree_path for item in items if item.unit is not None}
    unit_ids = {int(pk) for path in paths for pk in path.strip("/").split("/") if pk}
    # every unit above every record on the page: one query, not one lineage() per record
    units = Collection.objects.select_related("level").in_bulk(unit_ids) if unit_ids else {}
    for item in items:
        unit = item.unit
        if unit is None:
            continue
        ids = [int(pk) for pk in unit.tree_path.strip("/").split("/") if pk]
        item.lineage = [units[pk] for pk in ids if pk in units]
        repository = unit.repository
        if repository.is_public:
            item.set_specs.append(f"repository:{repository.identifier}")
        item.set_specs += [f"collection:{u.identifier}" for u in item.lineage if u.is_public]
    if components:
        add_components([item for item in items if item.kind == "collection" and not item.deleted])
    return items


def add_components(items: list[Item]) -> None:
    """Give each collection its first public child units and documents, two queries in all."""
    if not items:
        return
    by_id = {item.record.pk: item for item in items}
    children = (
        Collection.objects.filter(Collection.public_q(), parent_id__in=by_id)
        .select_related("level", "repository")
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("parent_id")],
                order_by=[F("reference_segment").asc(), F("title").asc()],
            )
        )
        .filter(position__lte=MAX_COMPONENTS)
        .order_by("parent_id", "position")
    )
    for child in children:
        by_id[child.parent_id].children.append(child)
    documents = (
        Document.objects.filter(Document.public_q(), collection_id__in=by_id)
        .select_related("reference_level")
        .prefetch_related("languages")  # date display: Japanese era shown for Japanese records
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("collection_id")],
                order_by=[F("reference_segment").asc(), F("date_start").asc(), F("pk").asc()],
            )
        )
        .filter(position__lte=MAX_COMPONENTS)
        .order_by("collection_id", "position")
    )
    for document in documents:
        item = by_id[document.collection_id]
        document.collection = item.record  # its unit and repository are loaded already
        item.documents.append(document)


def earliest_datestamp() -> datetime | None:
    """The oldest datestamp of any harvestable record (Identify)."""
    stamps = [
        model.objects.filter(harvestable_q(model)).aggregate(first=Min("updated_at"))["first"]
        for model in MODELS.values()
    ]
    present = [stamp for stamp in stamps if stamp is not None]
    return min(present) if present else None
