"""A small relation graph of one agent, laid out on the server and drawn as inline SVG.

The agent sits in the middle and the agents it is related to (in either direction) around it
on a circle, one node per agent, with the relations between the two written on the edge. No
JavaScript and no layout library: the page stays readable offline and printable. The picture
is hidden from assistive technology: the list of relations under it carries the same links.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

#: at most this many neighbours are drawn (the full list is always on the page)
MAX_NEIGHBOURS = 16
WIDTH = 640
RADIUS = 210
NODE_RADIUS = 9


@dataclass
class Node:
    agent: Any
    x: float
    y: float
    labels: list[str] = field(default_factory=list)
    anchor: str = "middle"  # text-anchor of the name, away from the centre
    label_x: float = 0.0
    label_y: float = 0.0

    @property
    def edge_label(self) -> str:
        return "; ".join(dict.fromkeys(self.labels))


@dataclass
class Graph:
    centre: Node
    nodes: list[Node]
    width: int
    height: int
    hidden: int  # neighbours not drawn


def _truncate(text: str, length: int = 28) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def relation_graph(agent: Any, relations: list[tuple[str, Any]]) -> Graph | None:
    """Lay out ``agent`` and its neighbours; ``relations`` are (label as read from the agent,
    other agent) pairs. None when the agent has no relations."""
    by_agent: dict[int, Node] = {}
    for label, other in relations:
        node = by_agent.setdefault(other.pk, Node(other, 0, 0))
        node.labels.append(label)
    if not by_agent:
        return None
    neighbours = list(by_agent.values())[:MAX_NEIGHBOURS]
    radius = RADIUS if len(neighbours) > 2 else 110
    height = 2 * radius + 90
    cx, cy = WIDTH / 2, height / 2
    for i, node in enumerate(neighbours):
        # start at the top and go clockwise
        angle = -math.pi / 2 + 2 * math.pi * i / len(neighbours)
        cos, sin = math.cos(angle), math.sin(angle)
        node.x, node.y = cx + radius * cos, cy + radius * sin
        # the name (and under it the relation) sits outside the circle, away from the centre
        offset = NODE_RADIUS + 5
        if cos > 0.3:
            node.anchor, node.label_x, node.label_y = "start", node.x + offset, node.y
        elif cos < -0.3:
            node.anchor, node.label_x, node.label_y = "end", node.x - offset, node.y
        else:
            node.label_x = node.x
            node.label_y = node.y - 30 if sin < 0 else node.y + 24
        node.labels = [_truncate(label, 40) for label in node.labels]
    centre = Node(agent, cx, cy, label_x=cx, label_y=cy + NODE_RADIUS + 18)
    return Graph(centre, neighbours, WIDTH, int(height), len(by_agent) - len(neighbours))
