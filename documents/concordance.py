"""Identifier concordance: from any identifier of a document to every place it is held or published.

A reader arrives with whatever a footnote or a catalogue gave them: an RGANI reference
("RGANI, f. 52, op. 1, d. 596, ll. 61-66"), a Wilson Center record number or its URL, a
compendium number, an NDL item number, a DOI, or Kiroku's own identifier. :func:`resolve` finds
the documents it names and, for each, every copy (original, duplicate, edition, translation,
digital copy) with its holder or publication and its own identifiers.

Identifiers are compared after :func:`normalize`: case, diacritics, spaces and punctuation do not
matter, so "f.52 op.1 d.596" matches "f. 52, op. 1, d. 596". A query that is a prefix of a
reference ("RGANI f. 52, op. 1, d. 596" without the leaves, or "f. 52, op. 1, d. 596" without the
archive's name too) matches as a partial match.
Candidates are narrowed in the database by the query's longest run of digits (or by exact value
when it has none), so a lookup stays cheap however many identifiers the archive holds.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext

from archive.models import IdentifierScheme
from archive.search.text import fold
from documents.models import Copy, Document, Identifier, Publication

#: the longest identifier a lookup accepts (longer input is refused, not truncated)
MAX_QUERY_LENGTH = 300
#: at most this many candidate rows are compared per source, so a lookup stays bounded
CANDIDATE_LIMIT = 500

_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
_DIGITS = re.compile(r"\d+")
_DOI = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)(10\..+)$", re.IGNORECASE)


def normalize(value: str) -> str:
    """Comparable form of an identifier: folded as search folds text (no case, diacritics or
    width), without spaces or punctuation."""
    return _NON_ALNUM.sub("", fold(value))


@dataclass
class Match:
    """One document found, how the query named it, and the places it is held or published."""

    document: Document
    how: str  # what the query matched: a scheme's name, "archival reference", ...
    matched: str  # the stored form that matched
    exact: bool
    copies: list[Copy] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)


@dataclass
class Resolution:
    query: str
    matches: list[Match]

    @property
    def documents(self) -> list[Document]:
        return [match.document for match in self.matches]


class BadIdentifier(ValueError):
    """A query that cannot be looked up (empty or too long)."""


def _candidate_values(query: str) -> list[str]:
    """The forms of ``query`` worth comparing: itself, a DOI without its prefix, a scheme value
    taken out of one of the schemes' URLs (``https://…/document/208807`` → ``208807``)."""
    forms = [query]
    doi = _DOI.match(query)
    if doi:
        forms.append(doi.group(1))
    for template in IdentifierScheme.objects.exclude(url_template="").values_list(
        "url_template", flat=True
    ):
        prefix, _, suffix = template.partition("{value}")
        bare = query.removeprefix("http://").removeprefix("https://")
        bare_prefix = prefix.removeprefix("http://").removeprefix("https://")
        if bare_prefix and bare.startswith(bare_prefix) and bare.endswith(suffix):
            value = bare[len(bare_prefix) : len(bare) - len(suffix) if suffix else None]
            if value:
                forms.append(value)
    return forms


def _candidates(queryset: QuerySet, field_name: str, forms: list[str]) -> list[Any]:
    """Rows of ``queryset`` whose ``field_name`` may match one of ``forms`` once normalized:
    the exact ones (case aside) all, then at most :data:`CANDIDATE_LIMIT` that share the
    query's longest run of digits (three or more, so "V.3" does not fetch every "3")."""
    exact = Q()
    fuzzy = Q()
    for form in forms:
        exact |= Q(**{f"{field_name}__iexact": form})
        digits = max(_DIGITS.findall(form), key=len, default="")
        if len(digits) >= 3:
            fuzzy |= Q(**{f"{field_name}__contains": digits})
    rows = list(queryset.filter(exact))
    if fuzzy:
        rows += list(queryset.filter(fuzzy).exclude(exact)[:CANDIDATE_LIMIT])
    return rows


def _compare(stored: str, keys: list[str], heads: tuple[str, ...] = ()) -> bool | None:
    """True for an exact match, False for a partial one, None for no match. A partial match is
    a prefix of ``stored``, or of what follows its ``heads`` (the repository's names before an
    archival reference, which a note naming the archive already leaves out)."""
    value = normalize(stored)
    if not value:
        return None
    if value in keys:
        return True
    rest = value
    for head in heads:
        rest = rest.removeprefix(normalize(head))
    if any(len(key) >= 4 and (value.startswith(key) or rest.startswith(key)) for key in keys):
        return False
    return None


def resolve(query: str, documents: QuerySet[Document]) -> Resolution:
    """Find the documents in ``documents`` (already limited to what the caller may see) that
    ``query`` identifies, with all their visible copies and identifiers."""
    query = query.strip()
    if not query:
        raise BadIdentifier(gettext("Give an identifier to look up."))
    if len(query) > MAX_QUERY_LENGTH:
        raise BadIdentifier(
            gettext("An identifier has at most %(max)s characters.") % {"max": MAX_QUERY_LENGTH}
        )
    if any(unicodedata.category(ch) == "Cc" for ch in query):
        raise BadIdentifier(gettext("An identifier cannot contain control characters."))
    forms = _candidate_values(query)
    keys = list(dict.fromkeys(k for k in (normalize(f) for f in forms) if k))
    if not keys:
        raise BadIdentifier(gettext("An identifier needs at least one letter or digit."))

    visible_ids = documents.values("pk")
    found: dict[int, tuple[str, str, bool]] = {}

    def note(document_id: int, how: str, matched: str, exact: bool) -> None:
        # an exact match wins over a partial one for the same document
        if document_id not in found or (exact and not found[document_id][2]):
            found[document_id] = (how, matched, exact)

    # Kiroku's own record identifiers
    for pk, identifier in documents.filter(identifier__in=[f.lower() for f in forms]).values_list(
        "pk", "identifier"
    ):
        note(pk, "Kiroku identifier", identifier, True)

    # typed identifiers (of the document or of one of its public copies)
    identifiers = Identifier.objects.filter(
        Identifier.public_q(), document__in=visible_ids
    ).select_related("scheme")
    for identifier in _candidates(identifiers, "value", forms):
        exact = _compare(identifier.value, keys)
        if exact is not None:
            note(identifier.document_id, identifier.scheme.name, identifier.value, exact)

    # references as a holder or an edition cites a copy
    copies = (
        Copy.objects.public()
        .filter(document__in=visible_ids)
        .exclude(citation="")
        .values_list("document_id", "citation")
    )
    for document_id, citation in _candidates(copies, "citation", forms):
        exact = _compare(citation, keys)
        if exact is not None:
            note(document_id, "reference of a copy", citation, exact)

    # the archival reference in the holding repository's style (candidates: documents whose
    # own segment or locator holds a run of the query's digits, or whose unit is numbered by its
    # longest run, for a reference that stops at the unit)
    placed = documents.filter(collection__isnull=False).select_related(
        "collection__repository", "collection__level", "reference_level"
    )
    numbers = {d for form in forms for d in _DIGITS.findall(form)}
    segment_q = Q(reference_segment__in=numbers) | Q(locator__in=numbers)
    for number in numbers:
        segment_q |= Q(locator__contains=number) if len(number) >= 2 else Q()
    if numbers:
        segment_q |= Q(collection__reference_segment=max(sorted(numbers), key=len))
    candidates = placed.filter(segment_q)[:CANDIDATE_LIMIT] if numbers else []
    for document in candidates:
        reference = document.reference()
        repository = document.collection.repository
        exact = _compare(reference, keys, (repository.name, repository.citation_name))
        if exact is not None:
            note(document.pk, "archival reference", reference, exact)

    # a DOI or ISBN of a publication: the documents it publishes
    publication_q = Q()
    for form in forms:
        publication_q |= Q(doi__iexact=form) | Q(isbn__iexact=form)
    publications = Publication.objects.public().filter(publication_q)
    for document_id, doi, isbn in (
        Copy.objects.public()
        .filter(publication__in=publications, document__in=visible_ids)
        .values_list("document_id", "publication__doi", "publication__isbn")[:CANDIDATE_LIMIT]
    ):
        note(document_id, "publication that prints it", doi or isbn, True)

    return Resolution(query=query, matches=_matches(found, documents))


def _matches(found: dict[int, tuple[str, str, bool]], documents: QuerySet) -> list[Match]:
    """The found documents with their copies and identifiers, exact matches first."""
    if not found:
        return []
    rows = documents.filter(pk__in=found).prefetch_related(
        Prefetch(
            "copies",
            Copy.objects.public()
            .select_related("holder", "publication", "language")
            .prefetch_related(
                Prefetch(
                    "identifiers",
                    Identifier.objects.select_related("scheme"),
                    to_attr="shown_identifiers",
                )
            )
            .order_by("kind", "key"),
            to_attr="shown_copies",
        ),
        Prefetch(
            "identifiers",
            Identifier.objects.filter(Identifier.public_q()).select_related("scheme"),
            to_attr="shown_identifiers",
        ),
    )
    matches = []
    for document in rows.select_related(
        "collection__repository", "collection__level", "reference_level", "document_type"
    ):
        how, matched, exact = found[document.pk]
        matches.append(
            Match(
                document=document,
                how=how,
                matched=matched,
                exact=exact,
                copies=document.shown_copies,
                identifiers=document.shown_identifiers,
            )
        )
    matches.sort(key=lambda m: (not m.exact, m.document.date_start is None, m.document.title))
    return matches


def as_data(resolution: Resolution, absolute: Any) -> dict[str, Any]:
    """A JSON-ready form of ``resolution``; ``absolute`` turns a path into an absolute URL."""
    return {
        "query": resolution.query,
        "count": len(resolution.matches),
        "results": [
            {
                "identifier": m.document.identifier,
                "title": m.document.title,
                "url": absolute(m.document.get_absolute_url()),
                "matched": {"by": m.how, "value": m.matched, "exact": m.exact},
                "reference": m.document.reference(),
                "holder": (
                    m.document.repository.name if m.document.repository is not None else None
                ),
                "identifiers": [
                    {"scheme": i.scheme.code, "value": i.value, "url": i.url or None}
                    for i in m.identifiers
                ],
                "copies": [
                    {
                        "kind": c.kind,
                        "holder": c.holder.name if c.holder else None,
                        "publication": (
                            {
                                "identifier": c.publication.identifier,
                                "title": c.publication.title,
                                "url": absolute(c.publication.get_absolute_url()),
                            }
                            if c.publication
                            else None
                        ),
                        "reference": c.citation,
                        "url": c.url or None,
                        "identifiers": [
                            {"scheme": i.scheme.code, "value": i.value, "url": i.url or None}
                            for i in c.shown_identifiers
                        ],
                    }
                    for c in m.copies
                ],
            }
            for m in resolution.matches
        ],
    }
