"""Suggest links between a document and the agents its text names but nobody has linked yet.

A document's title, summary and texts are cut into candidate names — runs of one to four words
(Latin, Cyrillic, any alphabetic script) and the two- to eight-character substrings of CJK runs,
since Japanese writes names without spaces — and the candidates are looked up among agents'
name forms and family names in a few indexed queries. The work grows with the length of the
document, not with the number of agents in the archive.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from documents.models import Document
from people.models import Agent, AgentRole, NameForm

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff々]+")
MAX_WORDS = 4
CJK_LENGTHS = range(2, 9)
CHUNK = 900  # stays under every database's limit on query parameters


@dataclass
class Suggestion:
    """An agent named in the document, with the forms of its name that were found."""

    agent: Agent
    matched: list[str] = field(default_factory=list)


def candidate_names(text: str) -> set[str]:
    """Lower-cased word n-grams and CJK substrings that could be a name."""
    candidates: set[str] = set()
    words = [w.lower() for w in _WORD.findall(text) if not _CJK.fullmatch(w)]
    for size in range(1, MAX_WORDS + 1):
        for start in range(len(words) - size + 1):
            candidates.add(" ".join(words[start : start + size]))
    for run in _CJK.findall(text):
        for size in CJK_LENGTHS:
            candidates.update(run[i : i + size] for i in range(len(run) - size + 1))
    return {c for c in candidates if len(c) >= 2}


def document_text(document: Document) -> str:
    bodies = document.texts.values_list("body", flat=True)
    return "\n".join([document.title, document.summary, *bodies])


def forms_named_in(text: str, exclude_agents: QuerySet | None = None) -> Iterator[NameForm]:
    """Name forms (with their agent) whose full name, or a person's family name, occurs in
    ``text``; ``form.matched`` is the name as found."""
    candidates = sorted(candidate_names(text))
    for start in range(0, len(candidates), CHUNK):
        chunk = candidates[start : start + CHUNK]
        forms = (
            NameForm.objects.annotate(lower_name=Lower("name"), lower_family=Lower("family_name"))
            .filter(Q(lower_name__in=chunk) | Q(lower_family__in=chunk, agent__kind="person"))
            .select_related("agent")
        )
        if exclude_agents is not None:
            forms = forms.exclude(agent_id__in=exclude_agents)
        for form in forms:
            form.matched = form.name if form.name.lower() in chunk else form.family_name
            yield form


def suggest_agents(document: Document) -> list[Suggestion]:
    """Agents whose names occur in ``document`` and who have no role in it yet."""
    linked = AgentRole.objects.filter(document=document).values("agent_id")
    found: dict[int, Suggestion] = {}
    for form in forms_named_in(document_text(document), exclude_agents=linked):
        suggestion = found.setdefault(form.agent_id, Suggestion(form.agent))
        if form.matched not in suggestion.matched:
            suggestion.matched.append(form.matched)
    return sorted(found.values(), key=lambda s: s.agent.sort_name)


def link_agent(document: Document, agent: Agent, role: str = "mentioned") -> AgentRole:
    """Accept a suggestion: record the agent's role in the document (idempotent)."""
    link, _ = AgentRole.objects.get_or_create(document=document, agent=agent, role=role)
    return link
