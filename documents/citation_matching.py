"""Suggest the archive's record that a scholar's note or reference cites, for a curator to accept.

A note such as "Asahi Shimbun, December 11, 1954." or "RGANI, f. 52, op. 1, d. 596, ll. 61-66"
names its source in a way a person recognises at once; this module gathers the evidence a
curator would look for and ranks the documents by it:

- an identifier of a document or of one of its copies written out in the note (strongest);
- a date in the note (English, day-first, ISO, Russian "1956. 3. 21." and Japanese 年月日 forms)
  on or shortly after the document's date, as newspapers report a day or a week later;
- the people the note names (any name form, any script) who have a role in the document;
- "Ibid.": the document the note before it cites.

Candidate documents come from indexed look-ups (identifiers by their digits, documents by date
range, roles by agent), so the work grows with the note, not with the archive.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q

from documents.concordance import normalize
from documents.models import Citation, Copy, Document, Identifier
from people.models import AgentRole
from people.suggestions import forms_named_in

#: a newspaper or a later report cites a document dated up to this many days earlier
REPORT_DELAY = timedelta(days=10)
#: the most candidate rows read per kind of evidence
CANDIDATE_LIMIT = 200

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS = [
    # December 11, 1954 / Dec. 11, 1954
    (re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.I), ("m", "d", "y")),
    # 11 December 1954
    (re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\.?,?\s+(\d{{4}})\b", re.I), ("d", "m", "y")),
    # 1954-12-11, 1956. 3. 21., 1956.3.21
    (re.compile(r"\b(\d{4})[-.]\s?(\d{1,2})[-.]\s?(\d{1,2})\b"), ("y", "m", "d")),
    # 1956年10月19日
    (re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"), ("y", "m", "d")),
]
_DIGITS = re.compile(r"\d{3,}")
_IBID = re.compile(r"\s*(ibid|ibidem|там же|同上|同前)\b", re.I)


@dataclass
class CitationSuggestion:
    """A document the citation may cite, with the evidence for it."""

    document: Document
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)

    def add(self, score: float, reason: str) -> None:
        self.score += score
        if reason not in self.reasons:
            self.reasons.append(reason)


def dates_in(text: str) -> list[date]:
    """The calendar dates written in ``text``, in order, impossible ones left out."""
    found: list[date] = []
    for pattern, order in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = dict(zip(order, match.groups(), strict=True))
            month = parts["m"]
            month_number = int(month) if month.isdigit() else _MONTHS[month.lower()]
            try:
                value = date(int(parts["y"]), month_number, int(parts["d"]))
            except ValueError:
                continue
            if value not in found:
                found.append(value)
    return found


def suggest_documents(citation: Citation, limit: int = 5) -> list[CitationSuggestion]:
    """Documents ``citation`` may cite, best first (documents it already cites left out)."""
    text = " ".join(filter(None, [citation.label, citation.text]))
    suggestions: dict[int, CitationSuggestion] = {}

    def suggest(document: Document) -> CitationSuggestion:
        return suggestions.setdefault(document.pk, CitationSuggestion(document))

    # identifiers written out in the note
    folded = normalize(text)
    digit_runs = set(_DIGITS.findall(text))
    if digit_runs:
        digits_q = Q()
        for run in digit_runs:
            digits_q |= Q(value__contains=run)
        for identifier in Identifier.objects.filter(digits_q).select_related("document", "scheme")[
            :CANDIDATE_LIMIT
        ]:
            if normalize(identifier.value) in folded:
                suggest(identifier.document).add(
                    3.0, f"gives its {identifier.scheme.name}: {identifier.value}"
                )
        citation_q = Q()
        for run in digit_runs:
            citation_q |= Q(citation__contains=run)
        for copy in Copy.objects.filter(citation_q).select_related("document")[:CANDIDATE_LIMIT]:
            if normalize(copy.citation) in folded:
                suggest(copy.document).add(3.0, f"gives the reference {copy.citation}")

    # dates: the document was written on the cited date or shortly before it
    for cited in dates_in(text):
        window = Document.objects.filter(
            date_start__gte=cited - REPORT_DELAY, date_start__lte=cited
        ).order_by("-date_start")[:CANDIDATE_LIMIT]
        for document in window:
            days = (cited - document.date_start).days
            when = "the same date" if days == 0 else f"{days} day(s) before the date cited"
            suggest(document).add(1.5 - 0.1 * days, f"dated {when} ({cited.isoformat()})")

    # people the note names who have a role in a candidate (or, without other evidence, in
    # documents they share)
    agents = {form.agent_id: form.matched for form in forms_named_in(text)}
    if agents:
        roles = AgentRole.objects.filter(agent_id__in=agents).select_related("document")
        if suggestions:
            roles = roles.filter(document_id__in=suggestions)
        for role in roles[:CANDIDATE_LIMIT]:
            suggest(role.document).add(1.0, f"names {agents[role.agent_id]}")

    # "Ibid." cites what the note before it cites
    if _IBID.match(citation.text) and citation.number > 1:
        previous = (
            Citation.objects.filter(
                publication_id=citation.publication_id,
                kind=citation.kind,
                number=citation.number - 1,
                cited_document__isnull=False,
            )
            .select_related("cited_document")
            .order_by("-part")
            .first()
        )
        if previous is not None:
            suggest(previous.cited_document).add(2.0, "“Ibid.”: the note before cites it")

    already = {citation.cited_document_id}
    ranked = [s for s in suggestions.values() if s.document.pk not in already and s.score > 0]
    ranked.sort(key=lambda s: (-s.score, s.document.date_start or date.max, s.document.title))
    return ranked[:limit]
