"""How to cite a document: Chicago-style text, CSL-JSON, BibTeX, RIS and citation meta tags.

Everything is written here from one :class:`CitationRecord`, so the "Cite" box on the page,
the downloads (``/documents/<identifier>/cite.bib`` ...), the API and the ``citation_*`` meta
tags that Zotero reads always agree. We write the formats ourselves rather than through
citeproc-py, which abbreviates given names and garbles kanji and Cyrillic names.

An archival document is cited as a manuscript: its authors are the agents in the roles that
make a document theirs (author, sender, issuing body), its translators are named, and its
location is the full archival reference in the holding repository's style, followed by this
archive's permalink.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from archive.dates import date_parts, format_date
from documents.models import Document
from people.models import Agent, AgentKind, AgentRole, DocumentRole, NameKind

#: roles whose agents are cited as the document's authors, in this order
AUTHOR_ROLES = (DocumentRole.AUTHOR, DocumentRole.SENDER, DocumentRole.ISSUER)

#: the formats by name, with their media types
MEDIA_TYPES: dict[str, str] = {
    "csl-json": "application/vnd.citationstyles.csl+json",
    "bibtex": "application/x-bibtex",
    "ris": "application/x-research-info-systems",
}
#: the page's downloads: URL suffix -> format name
SUFFIXES: dict[str, str] = {"bib": "bibtex", "ris": "ris", "json": "csl-json"}

# BibTeX's month macros
_MONTH_ABBREVIATIONS = [
    *("jan", "feb", "mar", "apr", "may", "jun"),
    *("jul", "aug", "sep", "oct", "nov", "dec"),
]


def citable_documents() -> QuerySet[Document]:
    """Public documents with what a citation reads, in a fixed number of queries."""
    return citable(Document.objects.public())


def citable(documents: QuerySet[Document]) -> QuerySet[Document]:
    """``documents`` with what a citation reads: form, provenance, languages, subjects and
    the roles of public agents."""
    return (
        documents
        # form, provenance (unit, repository, levels) for the reference
        .select_related("document_type", "collection__repository", "collection__level")
        .select_related("reference_level")
        .prefetch_related(
            # languages also decide the era display of the date
            "languages",
            "subjects",
            # roles of public agents, with the name forms that give family and given names
            Prefetch(
                "agent_roles",
                AgentRole.objects.filter(AgentRole.public_q())
                .select_related("agent")
                .prefetch_related("agent__name_forms")
                .order_by("order", "role", "pk"),
                to_attr="public_roles",
            ),
        )
    )


@dataclass(frozen=True)
class Name:
    """A creator's name: family and given names for persons, one literal name otherwise."""

    family: str = ""
    given: str = ""
    literal: str = ""

    def inverted(self) -> str:
        """ "Khrushchev, Nikita" (or the literal name)."""
        if self.literal:
            return self.literal
        return f"{self.family}, {self.given}" if self.given else self.family

    def natural(self) -> str:
        """ "Nikita Khrushchev" (or the literal name)."""
        if self.literal:
            return self.literal
        return f"{self.given} {self.family}" if self.given else self.family

    def csl(self) -> dict[str, str]:
        if self.literal:
            return {"literal": self.literal}
        return (
            {"family": self.family, "given": self.given} if self.given else {"family": self.family}
        )


@dataclass(frozen=True)
class CitationRecord:
    """What every citation format is written from."""

    key: str
    title: str
    url: str
    authors: list[Name] = field(default_factory=list)
    translators: list[Name] = field(default_factory=list)
    date_edtf: str = ""
    date_text: str = ""
    genre: str = ""
    reference: str = ""
    archive: str = ""
    archive_place: str = ""
    languages: list[str] = field(default_factory=list)
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)
    site_name: str = ""
    accessed: date | None = None


def agent_name(agent: Agent) -> Name:
    """A person's name from the authorized form's family and given names; else literal."""
    if agent.kind == AgentKind.PERSON:
        forms = [f for f in agent.name_forms.all() if f.family_name]
        forms.sort(key=lambda f: (f.kind != NameKind.AUTHORIZED, f.script != "Latn"))
        if forms:
            return Name(family=forms[0].family_name, given=forms[0].given_name)
    return Name(literal=agent.name)


def record_for(document: Document, *, accessed: date | None = None) -> CitationRecord:
    """The citation data of a document loaded through :func:`citable_documents`."""
    roles = document.public_roles
    authors: list[Name] = []
    for role_code in AUTHOR_ROLES:
        authors += [agent_name(r.agent) for r in roles if r.role == role_code]
    translators = [agent_name(r.agent) for r in roles if r.role == DocumentRole.TRANSLATOR]
    repository = document.repository
    return CitationRecord(
        key=document.identifier,
        title=document.title,
        url=settings.KIROKU_BASE_URL + document.get_absolute_url(),
        authors=list(dict.fromkeys(authors)),
        translators=translators,
        date_edtf=document.date_edtf,
        date_text=format_date(document.date_edtf),
        genre=document.document_type.name,
        reference=document.reference(),
        archive=repository.name if repository and repository.is_public else "",
        archive_place=repository.location if repository and repository.is_public else "",
        languages=[language.code for language in document.languages.all()],
        abstract=document.summary,
        keywords=[subject.name for subject in document.subjects.all()],
        site_name=settings.KIROKU_SITE_NAME,
        accessed=accessed,
    )


# -- Chicago ----------------------------------------------------------------------------------


def _join_names(names: list[Name]) -> str:
    """Chicago bibliography order: the first name inverted, the others natural."""
    written = [names[0].inverted(), *(n.natural() for n in names[1:])]
    if len(written) == 1:
        return written[0]
    if len(written) == 2:
        return f"{written[0]}, and {written[1]}" if "," in written[0] else " and ".join(written)
    return ", ".join(written[:-1]) + ", and " + written[-1]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!", "”", '"')) else text + "."


def chicago(record: CitationRecord) -> str:
    """A Chicago (notes and bibliography) bibliography entry for an archival document.

    ``Khrushchev, Nikita. “Title.” 18 October 1956. Translated by Allison Smith. RGANI, f. 52,
    op. 1, d. 596, ll. 61-66. Kiroku. https://.../documents/<identifier>/.``
    """
    parts = []
    if record.authors:
        parts.append(_sentence(_join_names(record.authors)))
    parts.append(f"“{_sentence(record.title)}”")
    if record.date_text:
        parts.append(_sentence(record.date_text))
    if record.translators:
        parts.append(
            _sentence("Translated by " + " and ".join(n.natural() for n in record.translators))
        )
    if record.reference:
        parts.append(_sentence(record.reference))
    elif record.archive:
        parts.append(_sentence(record.archive))
    parts.append(_sentence(record.site_name))
    parts.append(record.url + ".")
    return " ".join(parts)


# -- CSL-JSON ---------------------------------------------------------------------------------


def _csl_date(edtf: str) -> dict:
    parts = date_parts(edtf)
    if parts is None:
        return {"raw": edtf}
    value: dict = {"date-parts": parts[0]}
    if parts[1]:
        value["circa"] = True
    return value


def csl_item(record: CitationRecord) -> dict:
    """One CSL-JSON item (type ``manuscript``)."""
    item: dict = {"id": record.key, "type": "manuscript", "title": record.title}
    if record.authors:
        item["author"] = [n.csl() for n in record.authors]
    if record.translators:
        item["translator"] = [n.csl() for n in record.translators]
    if record.date_edtf:
        item["issued"] = _csl_date(record.date_edtf)
    if record.genre:
        item["genre"] = record.genre
    if record.archive:
        item["archive"] = record.archive
    if record.archive_place:
        item["archive-place"] = record.archive_place
    if record.reference:
        item["archive_location"] = record.reference
    if record.languages:
        item["language"] = record.languages[0]
    if record.abstract:
        item["abstract"] = record.abstract
    if record.keywords:
        item["keyword"] = ", ".join(record.keywords)
    item["source"] = record.site_name
    item["URL"] = record.url
    if record.accessed:
        item["accessed"] = {"date-parts": [[*record.accessed.timetuple()[:3]]]}
    return item


def csl_json(record: CitationRecord) -> str:
    """A CSL-JSON file: a list with the one item."""
    return json.dumps([csl_item(record)], ensure_ascii=False, indent=2) + "\n"


# -- BibTeX -----------------------------------------------------------------------------------

_BIBTEX_SPECIAL = re.compile(r"([\\{}&%$#_~^])")
_BIBTEX_REPLACEMENTS = {
    "\\": r"\textbackslash{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_escape(text: str) -> str:
    """Escape LaTeX's special characters; other Unicode is kept (biblatex reads UTF-8)."""
    return _BIBTEX_SPECIAL.sub(
        lambda m: _BIBTEX_REPLACEMENTS.get(m.group(1), "\\" + m.group(1)), text
    )


def _bibtex_name(name: Name) -> str:
    # a literal (corporate) name in braces, so it is not split into family and given names
    if name.literal:
        return "{" + bibtex_escape(name.literal) + "}"
    return bibtex_escape(name.inverted())


def bibtex(record: CitationRecord) -> str:
    """A BibTeX/biblatex ``@unpublished`` entry (the type for archival manuscripts)."""
    fields: list[tuple[str, str]] = [("title", "{" + bibtex_escape(record.title) + "}")]
    if record.authors:
        fields.append(("author", " and ".join(_bibtex_name(n) for n in record.authors)))
    if record.translators:
        fields.append(("translator", " and ".join(_bibtex_name(n) for n in record.translators)))
    parts = date_parts(record.date_edtf)
    if parts:
        first = parts[0][0]
        fields.append(("year", str(first[0])))
        if len(first) > 1:
            fields.append(("month", _MONTH_ABBREVIATIONS[first[1] - 1]))
        fields.append(("date", "/".join("-".join(f"{n:02d}" for n in p) for p in parts[0])))
    elif record.date_edtf:
        fields.append(("date", bibtex_escape(record.date_edtf)))
    if record.genre:
        fields.append(("type", bibtex_escape(record.genre)))
    note = "; ".join(filter(None, [record.reference or record.archive, record.site_name]))
    fields.append(("note", bibtex_escape(note)))
    if record.languages:
        fields.append(("langid", record.languages[0]))
    if record.abstract:
        fields.append(("abstract", bibtex_escape(record.abstract)))
    if record.keywords:
        fields.append(("keywords", bibtex_escape(", ".join(record.keywords))))
    fields.append(("url", record.url))
    if record.accessed:
        fields.append(("urldate", record.accessed.isoformat()))
    key = re.sub(r"[^A-Za-z0-9_.:-]", "-", record.key)
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
        for name, value in fields
    )
    return f"@unpublished{{{key},\n{body}\n}}\n"


# -- RIS --------------------------------------------------------------------------------------


def _ris_line(tag: str, value: str) -> str:
    # one line per tag: RIS has no continuation lines, so line breaks become spaces
    return f"{tag}  - {' '.join(value.split())}"


def ris(record: CitationRecord) -> str:
    """An RIS record of type ``MANSCPT`` (manuscript), as Zotero exports them."""
    lines = [_ris_line("TY", "MANSCPT"), _ris_line("TI", record.title)]
    lines += [_ris_line("AU", n.inverted()) for n in record.authors]
    lines += [_ris_line("A4", n.inverted()) for n in record.translators]
    parts = date_parts(record.date_edtf)
    if parts:
        first = parts[0][0]
        lines.append(_ris_line("PY", str(first[0])))
        padded = [f"{n:02d}" for n in first[1:]] + [""] * (3 - len(first))
        lines.append(_ris_line("DA", "/".join([str(first[0]), *padded])))
    if record.genre:
        lines.append(_ris_line("M3", record.genre))
    if record.reference:
        lines.append(_ris_line("AN", record.reference))
    if record.archive:
        lines.append(_ris_line("DB", record.archive))
    lines.append(_ris_line("DP", record.site_name))
    lines += [_ris_line("LA", code) for code in record.languages[:1]]
    if record.abstract:
        lines.append(_ris_line("AB", record.abstract))
    lines += [_ris_line("KW", keyword) for keyword in record.keywords]
    lines.append(_ris_line("UR", record.url))
    if record.accessed:
        lines.append(_ris_line("Y2", record.accessed.isoformat()))
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"


RENDERERS = {"bibtex": bibtex, "ris": ris, "csl-json": csl_json}


# -- meta tags --------------------------------------------------------------------------------


def meta_tags(record: CitationRecord) -> list[tuple[str, str]]:
    """Highwire Press ``citation_*`` tags (and Dublin Core) for Zotero and Google Scholar."""
    tags = [("citation_title", record.title)]
    tags += [("citation_author", n.inverted()) for n in record.authors]
    parts = date_parts(record.date_edtf)
    if parts:
        first = parts[0][0]
        tags.append(("citation_date", "/".join(str(n) for n in first)))
    tags += [("citation_language", code) for code in record.languages]
    tags += [("citation_keywords", keyword) for keyword in record.keywords]
    if record.archive:
        tags.append(("citation_publisher", record.archive))
    tags.append(("citation_public_url", record.url))
    tags.append(("DC.title", record.title))
    tags += [("DC.creator", n.inverted()) for n in record.authors]
    if record.date_edtf:
        tags.append(("DC.date", record.date_edtf))
    tags.append(("DC.type", "Text"))
    if record.genre:
        tags.append(("DC.format", record.genre))
    tags.append(("DC.identifier", record.url))
    if record.reference:
        tags.append(("DC.source", record.reference))
    tags += [("DC.language", code) for code in record.languages]
    return tags
