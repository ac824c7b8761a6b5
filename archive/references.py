"""Full archival references, written in each repository's house style from structured data.

A reference is assembled from three kinds of data, none of it free text about the reference as
a whole:

* the path of units from the fonds down to the document's unit, each with its level and its
  reference segment ("52", "1", "596");
* the document's own segment and level, if it is numbered inside its unit ("15"), and its
  locator inside the unit ("ll. 61-66"), which is a position, not a level;
* the repository's convention: per-level labels and separators, and a template.

The template is plain text with placeholders in braces. A part in square brackets is dropped
when any placeholder inside it is empty, so one template covers documents with and without a
locator or a custody note::

    RGANI:  "{repository_short}, {reference}[, {locator}]"
            -> RGANI, f. 52, op. 1, d. 596, ll. 61-66
    NDL:    "{fonds_title}, {reference}[, {locator}], {repository}[ ({custody})]"
            -> Papers of HAYASHI Joji, #34-15, National Diet Library (entrusted)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archive.models import Collection, ReferenceLevel

TEMPLATE_FIELDS: dict[str, str] = {
    "repository": "the repository's name",
    "repository_short": "its short name (or name)",
    "fonds_title": "the title of the top unit",
    "unit_title": "the title of the document's own unit",
    "reference": "the labelled segments, joined",
    "locator": "the position inside the unit (ll. 61-66)",
    "custody": "the custody status where it is not 'owned'",
}

_TOKEN = re.compile(r"\[([^\[\]]*)\]|\{(\w+)\}")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def template_placeholders(template: str) -> set[str]:
    return set(_PLACEHOLDER.findall(template))


def render_template(template: str, values: dict[str, str]) -> str:
    """Fill ``template``; drop each [optional part] whose placeholders are not all filled."""

    def fill(text: str) -> str:
        return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), text)

    def replace(match: re.Match[str]) -> str:
        optional, name = match.groups()
        if name is not None:
            return values.get(name, "")
        names = _PLACEHOLDER.findall(optional)
        return fill(optional) if all(values.get(n) for n in names) else ""

    return _TOKEN.sub(replace, template).strip()


def join_segments(parts: list[tuple[ReferenceLevel, str]]) -> str:
    """Labelled segments in order: [(fond, "52"), (opis, "1")] -> "f. 52, op. 1"."""
    cited = [(level, segment) for level, segment in parts if segment]
    return "".join(level.cite(segment, first=i == 0) for i, (level, segment) in enumerate(cited))


def format_reference(
    unit: Collection,
    *,
    level: ReferenceLevel | None = None,
    segment: str = "",
    locator: str = "",
    lineage: list[Collection] | None = None,
) -> str:
    """The full reference of ``unit``, or of an item in it numbered ``segment`` at ``level``."""
    lineage = lineage or unit.lineage()
    parts = [(u.level, u.reference_segment) for u in lineage]
    if level is not None and segment:
        parts.append((level, segment))
    from archive.models import CustodyStatus  # late import: the models import this module

    custody = unit.effective_custody(lineage)
    repository = unit.repository
    values = {
        "repository": repository.name,
        "repository_short": repository.citation_name,
        "fonds_title": lineage[0].title,
        "unit_title": unit.title,
        "reference": join_segments(parts),
        "locator": locator,
        "custody": "" if custody == CustodyStatus.OWNED else CustodyStatus(custody).label,
    }
    return render_template(repository.reference_template, values)
