"""The network of people: agents joined by their relations, and the shortest connection between two.

Only public relations between public agents are drawn, each with its public supporting
documents. The drawing is computed here (a deterministic force-directed layout) and rendered as
SVG by the page, so it needs no script and no CDN; the page's script only adds highlighting.

A *connection* between two agents is a shortest chain of steps, each either a relation
(with the documents that support it) or a public document in which both agents have a role.
Relations are preferred to shared documents at equal length. The search is breadth-first from
both ends at once, a few queries per step, and stops after :data:`MAX_STEPS` steps.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet

from archive.filters import date_overlap_q
from documents.models import Document
from people.models import Agent, AgentRelation, AgentRelationType, AgentRole

#: the most agents drawn at once (the best connected ones first)
MAX_NODES = 120
#: the longest connection looked for
MAX_STEPS = 6
#: the most role rows read per step (an agent in thousands of documents stays affordable)
ROLE_ROWS_PER_STEP = 20_000
WIDTH, HEIGHT = 960, 640


@dataclass
class Edge:
    relation: AgentRelation
    documents: list[Document]


@dataclass
class Graph:
    agents: dict[int, Agent]
    edges: list[Edge]
    total_agents: int  # before the MAX_NODES cut
    positions: dict[int, tuple[float, float]] = field(default_factory=dict)

    @property
    def truncated(self) -> bool:
        return self.total_agents > len(self.agents)


def public_relations() -> QuerySet[AgentRelation]:
    return AgentRelation.objects.filter(AgentRelation.public_q()).select_related(
        "relation_type", "source", "target"
    )


def network(
    relation_types: list[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Graph:
    """The public relation graph, filtered by relation type codes and by a period the relation
    must overlap (undated relations are left out of a period)."""
    relations = public_relations().prefetch_related(
        Prefetch(
            "supporting_documents",
            Document.objects.public().only("identifier", "title", "date_start"),
            to_attr="public_documents",
        )
    )
    if relation_types:
        relations = relations.filter(relation_type__code__in=relation_types)
    if date_from or date_to:
        relations = relations.filter(date_overlap_q(date_from, date_to))
    relations = list(relations)
    degree: dict[int, int] = {}
    for relation in relations:
        for pk in (relation.source_id, relation.target_id):
            degree[pk] = degree.get(pk, 0) + 1
    kept = set(sorted(degree, key=lambda pk: (-degree[pk], pk))[:MAX_NODES])
    agents: dict[int, Agent] = {}
    edges = []
    for relation in relations:
        if relation.source_id in kept and relation.target_id in kept:
            agents[relation.source_id] = relation.source
            agents[relation.target_id] = relation.target
            edges.append(Edge(relation, relation.public_documents))
    graph = Graph(agents=agents, edges=edges, total_agents=len(degree))
    graph.positions = cached_layout(
        sorted(agents), [(e.relation.source_id, e.relation.target_id) for e in edges]
    )
    return graph


def cached_layout(nodes: list[int], links: list[tuple[int, int]]) -> dict[int, tuple[float, float]]:
    """:func:`layout`, computed once per distinct graph (it depends on nothing else)."""
    key = (
        "kiroku:network-layout:" + hashlib.sha256(repr((nodes, sorted(links))).encode()).hexdigest()
    )
    positions = cache.get(key)
    if positions is None:
        positions = layout(nodes, links)
        cache.set(key, positions, timeout=24 * 3600)
    return positions


def layout(
    nodes: list[int], links: list[tuple[int, int]], iterations: int = 80
) -> dict[int, tuple[float, float]]:
    """Fruchterman–Reingold positions inside WIDTH × HEIGHT, the same for the same graph."""
    count = len(nodes)
    if not count:
        return {}
    cx, cy = WIDTH / 2, HEIGHT / 2
    pos = {
        pk: [
            cx + 0.4 * WIDTH * math.cos(2 * math.pi * i / count),
            cy + 0.4 * HEIGHT * math.sin(2 * math.pi * i / count),
        ]
        for i, pk in enumerate(nodes)
    }
    k = math.sqrt(WIDTH * HEIGHT / count) * 0.75
    temperature = WIDTH / 10
    for _ in range(iterations):
        shift = {pk: [0.0, 0.0] for pk in nodes}
        for i, a in enumerate(nodes):
            ax, ay = pos[a]
            for b in nodes[i + 1 :]:
                dx, dy = ax - pos[b][0], ay - pos[b][1]
                dist = math.hypot(dx, dy) or 0.01
                push = k * k / dist
                shift[a][0] += dx / dist * push
                shift[a][1] += dy / dist * push
                shift[b][0] -= dx / dist * push
                shift[b][1] -= dy / dist * push
        for a, b in links:
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            dist = math.hypot(dx, dy) or 0.01
            pull = dist * dist / k
            shift[a][0] -= dx / dist * pull
            shift[a][1] -= dy / dist * pull
            shift[b][0] += dx / dist * pull
            shift[b][1] += dy / dist * pull
        for pk in nodes:
            dx, dy = shift[pk]
            # a weak pull to the centre keeps separate components on the canvas
            dx += (cx - pos[pk][0]) * 0.04
            dy += (cy - pos[pk][1]) * 0.04
            dist = math.hypot(dx, dy) or 0.01
            step = min(dist, temperature)
            pos[pk][0] = min(WIDTH - 20, max(20, pos[pk][0] + dx / dist * step))
            pos[pk][1] = min(HEIGHT - 20, max(20, pos[pk][1] + dy / dist * step))
        temperature = max(1.0, temperature * 0.95)
    return {pk: (round(x, 1), round(y, 1)) for pk, (x, y) in pos.items()}


@dataclass
class Step:
    """One link of a connection: ``source`` to ``target`` by a relation or shared documents."""

    source: Agent
    target: Agent
    relation: AgentRelation | None
    documents: list[Document]


def _neighbours(
    frontier: set[int],
) -> dict[int, list[tuple[int, AgentRelation | None, int | None]]]:
    """Each frontier agent's neighbours: (agent, relation, None) or (agent, None, document)."""
    found: dict[int, list[tuple[int, AgentRelation | None, int | None]]] = {
        pk: [] for pk in frontier
    }
    relations = AgentRelation.objects.filter(AgentRelation.public_q()).filter(
        Q(source_id__in=frontier) | Q(target_id__in=frontier)
    )
    for relation in relations.select_related("relation_type"):
        if relation.source_id in frontier:
            found[relation.source_id].append((relation.target_id, relation, None))
        if relation.target_id in frontier:
            found[relation.target_id].append((relation.source_id, relation, None))
    roles = AgentRole.objects.filter(AgentRole.public_q())
    mine = roles.filter(agent_id__in=frontier).values_list("agent_id", "document_id")[
        :ROLE_ROWS_PER_STEP
    ]
    documents: dict[int, set[int]] = {}
    for agent_id, document_id in mine:
        documents.setdefault(document_id, set()).add(agent_id)
    if documents:
        others = roles.filter(document_id__in=list(documents)).values_list(
            "agent_id", "document_id"
        )[:ROLE_ROWS_PER_STEP]
        for agent_id, document_id in others:
            for pk in documents[document_id]:
                if agent_id != pk:
                    found[pk].append((agent_id, None, document_id))
    return found


def connection(start: Agent, goal: Agent) -> list[Step] | None:
    """A shortest chain from ``start`` to ``goal`` (public agents), or None within MAX_STEPS."""
    if start.pk == goal.pk:
        return []
    # parent[agent] = (previous agent, relation, document) on the way from the start
    parent: dict[int, tuple[int, AgentRelation | None, int | None] | None] = {start.pk: None}
    frontier = {start.pk}
    for _ in range(MAX_STEPS):
        if not frontier:
            return None
        reached: set[int] = set()
        for pk, links in _neighbours(frontier).items():
            # relations before shared documents, so a relation wins at equal length
            for other, relation, document in sorted(links, key=lambda link: link[1] is None):
                if other not in parent:
                    parent[other] = (pk, relation, document)
                    reached.add(other)
        if goal.pk in parent:
            return _steps(parent, goal.pk)
        frontier = reached
    return None


def _steps(
    parent: dict[int, tuple[int, AgentRelation | None, int | None] | None], goal: int
) -> list[Step]:
    chain = []
    pk = goal
    while parent[pk] is not None:
        previous, relation, _document = parent[pk]
        chain.append((previous, pk, relation))
        pk = previous
    chain.reverse()
    agents = Agent.objects.in_bulk({pk for link in chain for pk in link[:2]})
    steps = []
    for source, target, relation in chain:
        if relation is not None:
            documents = list(relation.supporting_documents.public().only("identifier", "title"))
        else:
            # every public document the two share, not only the one the search went through
            shared = AgentRole.objects.filter(AgentRole.public_q(), agent_id=source).values(
                "document_id"
            )
            documents = list(
                Document.objects.public()
                .filter(pk__in=shared, agent_roles__agent_id=target)
                .distinct()
                .order_by("date_start", "title")
            )
        steps.append(Step(agents[source], agents[target], relation, documents))
    return steps


def relation_type_choices() -> list[tuple[str, str]]:
    """Relation types that public relations use, for the page's filter."""
    used = AgentRelation.objects.filter(AgentRelation.public_q()).values("relation_type_id")
    return list(
        AgentRelationType.objects.filter(pk__in=used).order_by("label").values_list("code", "label")
    )
