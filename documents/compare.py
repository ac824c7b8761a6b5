"""Word-level comparison of two texts: which words one adds to or removes from the other.

Texts are cut into tokens before they are compared: a word of letters or digits in
space-separated scripts, one character in Chinese and Japanese (kanji, kana), which are
written without spaces, and every other character (punctuation) on its own. Runs of white
space are tokens too, so the texts keep their line breaks when they are shown, but they never
count as a change by themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

# one CJK character (ideographs, kana, the iteration mark), else a word, else white space,
# else any other single character
_TOKEN = re.compile(
    r"[\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]"
    r"|[^\W\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]+"
    r"|\s+"
    r"|."
)

_WORD = re.compile(r"\w")

Operation = Literal["equal", "insert", "delete"]


def tokenize(text: str) -> list[str]:
    """``"Japan agreed"`` -> ``["Japan", " ", "agreed"]``; ``"歯舞群島"`` -> one per character."""
    return _TOKEN.findall(text)


def _units(text: str) -> list[str]:
    """Tokens with the white space that follows each one attached to it, so that spaces
    never match on their own and split a change in two."""
    units: list[str] = []
    for token in tokenize(text):
        if token.isspace() and units:
            units[-1] += token
        else:
            units.append(token)
    return units


@dataclass(frozen=True)
class Segment:
    """A run of tokens that is the same in both texts, or only in one of them."""

    operation: Operation
    text: str


@dataclass(frozen=True)
class Comparison:
    """The two texts as segments, for side-by-side display, and the number of changed words."""

    left: list[Segment]
    right: list[Segment]
    removed: int
    added: int

    @property
    def identical(self) -> bool:
        """No difference but white space."""
        return all(s.operation == "equal" for s in [*self.left, *self.right])


def _merge(segments: list[Segment]) -> list[Segment]:
    """Join neighbouring segments of the same kind into one."""
    merged: list[Segment] = []
    for segment in segments:
        if merged and merged[-1].operation == segment.operation:
            merged[-1] = Segment(segment.operation, merged[-1].text + segment.text)
        else:
            merged.append(segment)
    return merged


def _words(tokens: list[str]) -> int:
    """Words (and CJK characters) among ``tokens``; punctuation and spaces are not counted."""
    return sum(1 for token in tokens if _WORD.search(token))


def _marked(tokens: list[str]) -> bool:
    return any(not token.isspace() for token in tokens)


def _append(segments: list[Segment], operation: Operation, units: list[str]) -> None:
    """Add a run of units; a changed run leaves its trailing white space unmarked."""
    text = "".join(units)
    if operation != "equal" and _marked(units):
        core = text.rstrip()
        segments.append(Segment(operation, core))
        text = text[len(core) :]
    if text:
        segments.append(Segment("equal", text))


def compare(a: str, b: str) -> Comparison:
    """Compare text ``a`` (the earlier) with ``b``: words removed from ``a``, added in ``b``.

    White space is compared loosely (any run equals any other), so re-wrapped lines are not
    changes.
    """
    units_a, units_b = _units(a), _units(b)
    keys_a = [unit.strip() or " " for unit in units_a]
    keys_b = [unit.strip() or " " for unit in units_b]
    matcher = SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    left: list[Segment] = []
    right: list[Segment] = []
    removed = added = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = units_a[i1:i2], units_b[j1:j2]
        if tag == "equal":
            _append(left, "equal", old)
            _append(right, "equal", new)
            continue
        _append(left, "delete", old)
        _append(right, "insert", new)
        removed += _words(old)
        added += _words(new)
    return Comparison(_merge(left), _merge(right), removed, added)
