"""Writing the search index: what each kind of record contributes, and keeping it current.

Only public content is indexed. A record's entry holds its public parts and nothing else —
for a document: its titles, summary and description, its public texts, every name form of the
public agents in its roles, its subjects and places — and a record the public may not see has
no entry at all. The visibility rule is the models' own (``public()`` / ``public_q()``), applied
while the entry is built, so the search never has to re-check it and can never show a hit or a
snippet from unpublished material, whatever the query.

An entry is rewritten whole whenever the record or one of its parts changes (see
:mod:`archive.search.signals`): entries are small, and rebuilding one is a fixed number of
queries, which is simpler and safer than patching. Every builder works on a batch of records
with a fixed number of queries per batch, so a rebuild of a million documents costs a few
thousand queries, not millions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from archive import facet_tallies
from archive.bulk import BulkTable, collector_paused
from archive.models import Collection, SearchEntry, SearchKind
from archive.models.base import Publishable
from archive.search.backends import get_backend
from archive.search.text import normalize

if TYPE_CHECKING:
    from people.models import Agent

#: records per batch when building entries (keeps ``IN`` lists under every database's limit)
BATCH = 500
#: longest normalised text indexed per record; PostgreSQL refuses tsvectors over 1 MB
MAX_SEARCH_TEXT = 250_000

_pending: ContextVar[dict[str, set[int]] | None] = ContextVar("search_pending", default=None)
_suspended: ContextVar[bool] = ContextVar("search_suspended", default=False)


def _chunks(ids: Sequence[int], size: int = BATCH) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _lines(*values: str) -> str:
    return "\n".join(value.strip() for value in values if value and value.strip())


#: an entry as written: :class:`SearchEntry`'s field values by attribute name (a row for
#: :class:`BulkTable`, lighter to make by the thousand than a model instance); for a kind
#: whose facet counts are kept, also the record's facet values under :data:`FACETS`
Entry = dict[str, Any]
#: the key of an entry's facet values (``facet<TAB>key`` lines, :mod:`archive.facet_tallies`)
FACETS = "facets"


def _entry(kind: str, pk: int, identifier: str, title: str, body: str, extra: str = "") -> Entry:
    """An entry: the title, and the body as written (display) and normalised (search).

    The record's identifier is searchable too (after the title, so a long body never cuts it
    off): the FilterSets' ``q`` goes through the index, and ``?q=rgani-52`` finds by identifier.
    """
    title_search = normalize(title)
    parts = (title_search, normalize(identifier), normalize(body), extra)
    search_text = " ".join(part for part in parts if part)
    return {
        "kind": kind,
        "object_id": pk,
        "identifier": identifier,
        "title": title[:500],
        "title_search": title_search,
        "search_text": search_text[:MAX_SEARCH_TEXT],
        "display_text": body,
    }


def _names_line(name: str, forms: Iterable[tuple[str, str]]) -> str:
    """An agent's preferred name and every name form (with kana readings), on one line."""
    names: list[str] = [name]
    for form_name, kana_reading in forms:
        names.extend(value for value in (form_name, kana_reading) if value)
    return "; ".join(dict.fromkeys(names))


def _agent_names(agent: Agent) -> str:
    """:func:`_names_line` of an agent whose name forms are prefetched."""
    return _names_line(agent.name, ((f.name, f.kana_reading) for f in agent.name_forms.all()))


def _public_agents_with_names(prefix: str = "") -> list[Prefetch]:
    from people.models import NameForm

    return [Prefetch(f"{prefix}name_forms", queryset=NameForm.objects.order_by("pk"))]


def _grouped(rows: Iterable[tuple]) -> defaultdict[int, list[tuple]]:
    """Rows of ``(key, *values)`` as lists of ``values`` by key, in the rows' order."""
    groups: defaultdict[int, list[tuple]] = defaultdict(list)
    for key, *values in rows:
        groups[key].append(tuple(values))
    return groups


# ---------------------------------------------------------------------------------------------
# What each kind of record contributes


def document_entries(ids: Sequence[int]) -> list[Entry]:
    """Entries of the public documents among ``ids`` (seven queries per batch).

    Read as plain rows, not model instances: this is the hot path of every import and of
    ``generate_archive``, and an agent's or a subject's line is built once per batch however
    many documents name it.
    """
    from documents.models import Document, DocumentText, Place, Subject
    from people.models import Agent, AgentRole, NameForm

    # Read by key, with each row's own state checked here (a document's public rule is its
    # own state, Publishable's; tests/search guard that): given a condition on the indexed
    # state column, SQLite without statistics, as during a bulk load, walked every published
    # document instead of reading these 500 by key. Texts likewise, below.
    documents = [
        row[:-2]
        for row in Document.objects.filter(pk__in=ids)
        .order_by()
        .values_list(
            "pk",
            "identifier",
            "title",
            "title_original",
            "summary",
            "description",
            "place_id",
            "status",
            "restricted",
        )
        if Publishable.public_state(*row[-2:])
    ]
    found = [row[0] for row in documents]
    # only public texts (a draft translation stays out of the index): their documents,
    # ``found``, are public already, so each text's own state decides
    texts = _grouped(
        (document, label, body)
        for document, label, body, status, restricted in DocumentText.objects.filter(
            document_id__in=found
        )
        .order_by("order", "key")
        .values_list("document_id", "label", "body", "status", "restricted")
        if Publishable.public_state(status, restricted)
    )
    # only public agents, each with all its name forms (the roles are read by document and
    # the agents by key, each along its own index, rather than joined: without statistics,
    # as during a bulk load, SQLite planned the join as a scan of the agents)
    roles = _grouped(
        AgentRole.objects.filter(document_id__in=found)
        .order_by("order", "pk")
        .values_list("document_id", "agent_id", "name_as_written")
    )
    agent_ids = {agent for links in roles.values() for agent, _written in links}
    public_agents = Agent.objects.public().filter(pk__in=agent_ids).values_list("pk", "name")
    forms = _grouped(
        NameForm.objects.filter(agent_id__in=agent_ids)
        .order_by("pk")
        .values_list("agent_id", "name", "kana_reading")
    )
    agent_names = {pk: _names_line(name, forms[pk]) for pk, name in public_agents}
    subjects = _grouped(
        Document.subjects.through.objects.filter(document_id__in=found)
        .order_by("subject__name")
        .values_list("document_id", "subject_id")
    )
    places = _grouped(
        Document.places.through.objects.filter(document_id__in=found)
        .order_by("place__name")
        .values_list("document_id", "place_id")
    )
    place_ids = {place for links in places.values() for (place,) in links}
    place_ids |= {row[-1] for row in documents if row[-1]}
    subject_ids = {subject for links in subjects.values() for (subject,) in links}
    lines = {
        ("place", term.pk): _vocabulary_line(term)
        for term in Place.objects.filter(pk__in=place_ids)
    } | {
        ("subject", term.pk): _vocabulary_line(term)
        for term in Subject.objects.filter(pk__in=subject_ids)
    }
    entries = []
    for pk, identifier, title, title_original, summary, description, place in documents:
        names = [
            _lines(agent_names[agent], written)
            for agent, written in roles[pk]
            if agent in agent_names
        ]
        # the place of creation first, then the places the document is about
        document_places = dict.fromkeys([place] if place else [])
        document_places |= dict.fromkeys(term for (term,) in places[pk])
        vocabulary = [lines["subject", term] for (term,) in subjects[pk]]
        vocabulary += [lines["place", term] for term in document_places]
        body = _lines(
            title_original,
            summary,
            description,
            *names,
            *vocabulary,
            *(_lines(label, text) for label, text in texts[pk]),
        )
        entries.append(_entry(SearchKind.DOCUMENT, pk, identifier, title, body))
    return entries


def _vocabulary_line(term: object) -> str:
    """A subject's or place's names in every language, on one line."""
    names = [getattr(term, attr, "") for attr in ("name", "name_ja", "name_ru")]
    names += (getattr(term, "alternative_names", "") or "").split(";")
    return "; ".join(dict.fromkeys(name.strip() for name in names if name and name.strip()))


def agent_entries(ids: Sequence[int]) -> list[Entry]:
    """Entries of the public agents among ``ids``: every name form, biography, functions."""
    from people.models import Agent

    agents = (
        Agent.objects.public().filter(pk__in=ids).prefetch_related(*_public_agents_with_names())
    )
    return [
        _entry(
            SearchKind.AGENT,
            agent.pk,
            agent.identifier,
            agent.name,
            _lines(_agent_names(agent), agent.biography, agent.functions),
            extra=normalize(agent.sort_name),
        )
        for agent in agents
    ]


def collection_entries(ids: Sequence[int]) -> list[Entry]:
    """Entries of the public archival units among ``ids``: title, creator, ISAD(G) notes."""
    from people.models import Agent

    units = (
        Collection.objects.public()
        .filter(pk__in=ids)
        .prefetch_related(
            # the creator only if public (a draft agent's name stays out)
            Prefetch("creator", queryset=Agent.objects.public()),
        )
    )
    entries = []
    for unit in units:
        creator = unit.creator.name if unit.creator_id and unit.creator else ""
        body = _lines(
            creator,
            unit.scope_and_content,
            unit.administrative_history,
            unit.custodial_history,
            unit.arrangement,
            unit.extent,
            unit.notes,
        )
        entries.append(_entry(SearchKind.COLLECTION, unit.pk, unit.identifier, unit.title, body))
    return entries


def publication_entries(ids: Sequence[int]) -> list[Entry]:
    """Entries of the public publications among ``ids``: titles, container, creators, abstract."""
    from documents.models import Publication, PublicationCreator
    from people.models import Agent

    publications = (
        Publication.objects.public()
        .filter(pk__in=ids)
        .prefetch_related(
            # creators who are public agents only
            Prefetch(
                "creators",
                queryset=PublicationCreator.objects.filter(Agent.public_q("agent__"))
                .select_related("agent")
                .order_by("order", "pk"),
                to_attr="public_creators",
            ),
        )
    )
    entries = []
    for publication in publications:
        creators = "; ".join(
            dict.fromkeys(
                creator.name_as_printed or creator.agent.name
                for creator in publication.public_creators
            )
        )
        body = _lines(
            publication.title_translated,
            publication.title_transliterated,
            creators,
            publication.editors,
            publication.container_title,
            publication.publisher,
            publication.abstract,
        )
        entries.append(
            _entry(
                SearchKind.PUBLICATION,
                publication.pk,
                publication.identifier,
                publication.title,
                body,
            )
        )
    return entries


BUILDERS: dict[str, Callable[[Sequence[int]], list[Entry]]] = {
    SearchKind.DOCUMENT: document_entries,
    SearchKind.AGENT: agent_entries,
    SearchKind.COLLECTION: collection_entries,
    SearchKind.PUBLICATION: publication_entries,
}


def public_ids(kind: str) -> QuerySet:
    """The primary keys of every public record of ``kind``."""
    from documents.models import Document, Publication
    from people.models import Agent

    model = {
        SearchKind.DOCUMENT: Document,
        SearchKind.AGENT: Agent,
        SearchKind.COLLECTION: Collection,
        SearchKind.PUBLICATION: Publication,
    }[kind]
    return model.objects.public().order_by("pk").values_list("pk", flat=True)


# ---------------------------------------------------------------------------------------------
# Writing


def reindex(kind: str, ids: Iterable[int]) -> None:
    """Rewrite the entries of these records: public ones rebuilt, the others removed.

    Inside :func:`batch` the work is only noted, and done once per record when the batch ends.
    """
    if _suspended.get():
        return
    ids = {int(pk) for pk in ids if pk is not None}
    if not ids:
        return
    pending = _pending.get()
    if pending is not None:
        pending[kind] |= ids
        return
    _write(kind, sorted(ids))


def _write(kind: str, ids: Sequence[int]) -> None:
    # chunk by chunk, so a large import never holds all its entries in memory at once
    with collector_paused(), transaction.atomic():
        for chunk in _chunks(ids):
            replace(kind, chunk, build(kind, chunk))


def build(kind: str, ids: Sequence[int]) -> list[Entry]:
    """The entries of the public records of ``kind`` among ``ids``, built but not written (a
    fixed number of queries per :data:`BATCH` records).

    With :func:`replace`, for a bulk load that writes new records: building only reads, so it
    can run outside the writing transaction (``generate_archive`` builds one batch's entries
    while another process writes). Everything else calls :func:`reindex`.
    """
    builder = BUILDERS[kind]
    entries = []
    for chunk in _chunks(ids):
        built = builder(chunk)
        if kind in facet_tallies.KEPT:
            values = facet_tallies.record_values(kind, [entry["object_id"] for entry in built])
            for entry in built:
                entry[FACETS] = values[entry["object_id"]]
        entries += built
    return entries


def replace(kind: str, ids: Sequence[int], entries: list[Entry]) -> None:
    """Write ``entries`` in place of every entry of the records ``ids`` of ``kind``, and move
    the kind's facet tallies from what was counted for ``ids`` to what the entries carry."""
    kept = kind in facet_tallies.KEPT
    facets = {entry["object_id"]: entry[FACETS] for entry in entries} if kept else {}
    with transaction.atomic():
        for chunk in _chunks(ids):
            SearchEntry.objects.filter(kind=kind, object_id__in=chunk).delete()
            if kept:
                found = {pk: facets[pk] for pk in chunk if pk in facets}
                facet_tallies.replace(kind, chunk, found)
        _insert(entries)


def _insert(entries: Sequence[Entry]) -> None:
    """Write new entries (plain ``INSERT``s, :mod:`archive.bulk`)."""
    BulkTable(SearchEntry, timezone.now()).insert(entries)


def reindex_agents(ids: Iterable[int]) -> None:
    """Rewrite agents' entries and those of the public records that carry their names."""
    from documents.models import Document, PublicationCreator
    from people.models import AgentRole

    ids = [pk for pk in ids if pk is not None]
    if not ids or _suspended.get():
        return
    reindex(SearchKind.AGENT, ids)
    reindex(
        SearchKind.DOCUMENT,
        AgentRole.objects.filter(Document.public_q("document__"), agent_id__in=ids).values_list(
            "document_id", flat=True
        ),
    )
    reindex(
        SearchKind.PUBLICATION,
        PublicationCreator.objects.filter(agent_id__in=ids).values_list(
            "publication_id", flat=True
        ),
    )
    reindex(
        SearchKind.COLLECTION,
        Collection.objects.filter(creator_id__in=ids).values_list("pk", flat=True),
    )


def remove(kind: str, ids: Iterable[int]) -> None:
    """Drop the entries of deleted records."""
    if _suspended.get():
        return
    ids = list(ids)
    with transaction.atomic():
        SearchEntry.objects.filter(kind=kind, object_id__in=ids).delete()
        facet_tallies.remove(kind, ids)


@contextmanager
def batch() -> Iterator[None]:
    """Collect re-indexing inside the block and do it once per record at the end.

    For code that changes many records or many parts of one record at once (an import, an
    admin save with inlines): without it every saved part rewrites its record's entry again.
    If the block raises, nothing is written (the surrounding transaction is rolling back).
    """
    if _pending.get() is not None:
        yield
        return
    pending: dict[str, set[int]] = defaultdict(set)
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    for kind, ids in pending.items():
        reindex(kind, ids)


@contextmanager
def suspended() -> Iterator[None]:
    """Skip all re-indexing inside the block; call :func:`rebuild` after it."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def rebuild(kinds: Iterable[str] | None = None) -> dict[str, int]:
    """Rewrite the whole index (or the entries of ``kinds``); returns entries written per kind.

    Creates the engine's structures first if they are missing, and ends with the engine's own
    repair step (FTS5 ``rebuild`` on SQLite), so it also mends an index that drifted.
    """
    backend = get_backend()
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in backend.install_statements():
            cursor.execute(statement)
    counts: dict[str, int] = {}
    with transaction.atomic():
        for kind in kinds or list(BUILDERS):
            SearchEntry.objects.filter(kind=kind).delete()
            written = 0
            for chunk in _chunks(list(public_ids(kind))):
                entries = BUILDERS[kind](chunk)
                _insert(entries)
                written += len(entries)
            counts[kind] = written
            if kind in facet_tallies.KEPT:
                facet_tallies.recount(kind, public_ids(kind))
        backend.after_rebuild()
    return counts
