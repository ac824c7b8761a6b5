"""Search text: normalisation, the query language, and highlighted snippets.

Why a normalised text rather than the databases' own tokenizers
---------------------------------------------------------------
Both PostgreSQL's parser and SQLite FTS5's ``unicode61`` tokenizer treat ``河野一郎と鳩山一郎``
as a single token, because Japanese is written without spaces: a search for 河野 would find
nothing. FTS5 folds Latin diacritics but not ё to е; ``unidecode`` reads kanji as Mandarin.
So the index never stores raw text. It stores :func:`normalize` of it, a string of
space-separated keys that both engines tokenize the same trivial way:

* NFKC (full-width letters and digits, half-width katakana, compatibility ideographs), then
  case folding;
* combining marks stripped from Latin, Cyrillic and other alphabetic letters (Kōno → kono,
  Хрущёв → хрущев) — but never from kana, where the voicing mark is part of the letter
  (が is not か), and not from й, which Russian treats as a letter of its own;
* every run of Han, hiragana and katakana becomes its overlapping two-character keys
  (河野一郎 → 河野 野一 一郎), so any two-or-more-character substring of the run is a phrase
  of keys; a one-character run stays a single key;
* everything else that is not a letter or a digit (punctuation, symbols) separates words.

Queries go through the same function, so the comparison is always between two normalised
strings. Highlighting (:func:`highlight`) runs the same folding character by character over the
original text, so a match found in the normalised text can be marked in the original one.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe

#: letters that lose their identity when their mark is stripped (Russian й, Belarusian ў)
_KEEP_MARKED = frozenset("йўЙЎ")

#: code point ranges of the scripts written without spaces (Han, hiragana, katakana)
_CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3021, 0x3029),  # Suzhou numerals
    (0x3031, 0x3035),  # kana repeat marks
    (0x3040, 0x30FF),  # hiragana, katakana (incl. ー and the combining voicing marks)
    (0x31F0, 0x31FF),  # katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0x20000, 0x323AF),  # extensions B–H
)

#: longest query accepted (characters) and most terms used from it
MAX_QUERY_LENGTH = 500
MAX_TERMS = 16


@lru_cache(maxsize=65536)
def is_cjk(char: str) -> bool:
    """Whether ``char`` is Han, hiragana or katakana (a letter or mark, not punctuation)."""
    code = ord(char)
    for low, high in _CJK_RANGES:
        if low <= code <= high:
            return unicodedata.category(char)[0] in "LMN"
    return False


@lru_cache(maxsize=65536)
def fold_char(char: str) -> str:
    """The folded form of one character: NFKC, case-folded, marks stripped outside CJK.

    The result may be empty (a lone combining mark) or longer than one character (ß → ss,
    ㍻ → 平成). Punctuation is kept here; :func:`normalize` turns it into separators.
    """
    folded = unicodedata.normalize("NFKC", char).casefold()
    out = []
    for ch in folded:
        if is_cjk(ch) or ch in _KEEP_MARKED:
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
        if not stripped and decomposed:
            continue  # a mark on its own
        out.append(unicodedata.normalize("NFC", stripped))
    return "".join(out)


def fold(text: str) -> str:
    """Case- and diacritic-folded text, with punctuation and CJK runs left as they are."""
    text = unicodedata.normalize("NFKC", text)
    if text.isascii():
        return text.lower()
    return "".join(fold_char(ch) for ch in text)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char)[0] == "M"


@dataclass(frozen=True)
class Segment:
    """A run of folded text: one word, or one run of CJK characters."""

    text: str
    cjk: bool

    def index_keys(self) -> list[str]:
        """The index keys of the segment: the word itself, or the CJK run's bigrams."""
        if not self.cjk or len(self.text) < 2:
            return [self.text]
        return [self.text[i : i + 2] for i in range(len(self.text) - 1)]


def segments(folded: str) -> Iterator[Segment]:
    """Split folded text into words and CJK runs; everything else separates them."""
    current: list[str] = []
    current_cjk = False
    for char in folded:
        if is_cjk(char):
            kind: bool | None = True
        elif _is_word_char(char) and char != "_":
            kind = False
        else:
            kind = None
        if current and kind is not current_cjk:
            yield Segment("".join(current), current_cjk)
            current = []
        if kind is not None:
            current.append(char)
            current_cjk = kind
    if current:
        yield Segment("".join(current), current_cjk)


def normalize(text: str) -> str:
    """The search text of ``text``: space-separated folded words and CJK bigram keys.

    >>> normalize("Kōno, Хрущёв: 河野一郎と鳩山")
    'kono хрущев 河野 野一 一郎 郎と と鳩 鳩山'
    """
    if not text:
        return ""
    # Whitespace and common punctuation separate keys before and after folding, so each chunk
    # between them is normalised on its own, and a chunk met before (most words of most texts)
    # is a cache hit: indexing a large archive spends most of its time here otherwise.
    return " ".join(filter(None, map(_normalize_chunk, _CHUNK_SEPARATORS.split(text))))


#: characters that separate keys whatever surrounds them (none is a letter, digit or mark)
_CHUNK_SEPARATORS = re.compile(r"[\s,.;:!?()\[\]\"'、。，．・「」『』（）]+")


@lru_cache(maxsize=1 << 17)
def _normalize_chunk(chunk: str) -> str:
    return " ".join(key for segment in segments(fold(chunk)) for key in segment.index_keys())


# ---------------------------------------------------------------------------------------------
# Queries


@dataclass(frozen=True)
class Term:
    """One condition of a query, all of which must hold.

    ``keys`` are index keys that must occur in this order, next to each other (one key for a
    plain word; several for a quoted phrase, a hyphenated word or a CJK run). ``prefix`` makes
    the last key match any key that starts with it (``Hatoya*``). ``substring`` is set instead
    of keys for matches inside keys: a single CJK character (which the bigram index cannot
    find on its own at the end of a run) or an explicit ``*infix*``.
    """

    keys: tuple[str, ...] = ()
    prefix: bool = False
    substring: str = ""
    #: the folded words and CJK runs, in order, to find the term in the original text
    segments: tuple[Segment, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Query:
    """A parsed query: the terms (ANDed) and the original string."""

    text: str
    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def index_terms(self) -> tuple[Term, ...]:
        """The terms the full-text index answers."""
        return tuple(term for term in self.terms if term.keys)

    @property
    def substring_terms(self) -> tuple[Term, ...]:
        """The terms matched as substrings of the search text."""
        return tuple(term for term in self.terms if term.substring)


_QUOTED = re.compile(r'"([^"]*)"?|“([^”]*)”?|「([^」]*)」?')


def _term(raw: str, *, phrase: bool) -> Term | None:
    """A term from one query word (``phrase`` False) or the inside of quotes (True)."""
    prefix = infix = False
    if not phrase:
        infix = raw.startswith("*") and raw.endswith("*") and len(raw.strip("*")) >= 2
        prefix = not infix and raw.endswith("*")
    parts = tuple(segments(fold(raw.strip("*") if not phrase else raw)))
    if not parts:
        return None
    if infix:
        return Term(substring=" ".join(s.text for s in parts), segments=parts)
    if len(parts) == 1 and parts[0].cjk and len(parts[0].text) == 1:
        return Term(substring=parts[0].text, segments=parts)
    keys = tuple(key for part in parts for key in part.index_keys())
    return Term(keys=keys, prefix=prefix, segments=parts)


def parse_query(text: str) -> Query:
    """Parse what a reader typed.

    Words must all occur (in any order, in any indexed field); ``"quoted words"`` (also “…” and
    「…」) must occur together in this order; a word ending in ``*`` is a prefix (``Hatoya*``);
    ``*infix*`` matches inside words. A run of Japanese or Chinese characters is a phrase of its
    bigrams, so 河野一郎 finds the name inside 河野一郎と鳩山一郎.
    """
    text = (text or "")[:MAX_QUERY_LENGTH]
    terms: list[Term] = []
    position = 0
    pieces: list[tuple[str, bool]] = []
    for match in _QUOTED.finditer(text):
        pieces.extend((word, False) for word in text[position : match.start()].split())
        inside = next((g for g in match.groups() if g is not None), "")
        pieces.append((inside, True))
        position = match.end()
    pieces.extend((word, False) for word in text[position:].split())
    for raw, phrase in pieces:
        term = _term(raw, phrase=phrase)
        if term is not None and term not in terms:
            terms.append(term)
    return Query(text=text, terms=tuple(terms[:MAX_TERMS]))


# ---------------------------------------------------------------------------------------------
# Highlighting


def _term_pattern(term: Term) -> str:
    """A regular expression that finds ``term`` in folded (not normalised) text."""
    pieces: list[str] = []
    previous: Segment | None = None
    for segment in term.segments:
        if previous is not None:
            # words need a separator between them; CJK runs may touch their neighbours
            pieces.append(r"[\W_]*" if previous.cjk or segment.cjk else r"[\W_]+")
        pieces.append(re.escape(segment.text))
        previous = segment
    pattern = "".join(pieces)
    first, last = term.segments[0], term.segments[-1]
    if term.substring:
        return pattern
    if not first.cjk:
        pattern = r"(?<![^\W_])" + pattern
    if not last.cjk and not term.prefix:
        pattern += r"(?![^\W_])"
    elif term.prefix and not last.cjk:
        pattern += r"[^\W_]*"
    return pattern


def query_pattern(query: Query) -> re.Pattern[str] | None:
    """One pattern that finds any term of ``query`` in folded text (longest terms first)."""
    terms = sorted(
        (t for t in query.terms if t.segments),
        key=lambda t: -sum(len(s.text) for s in t.segments),
    )
    if not terms:
        return None
    return re.compile("|".join(f"(?:{_term_pattern(t)})" for t in terms))


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` per character; the map gives each folded character's original index."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    folded: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        piece = fold_char(char)
        folded.append(piece)
        positions.extend([index] * len(piece))
    return "".join(folded), positions


def _matches(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """The spans of ``text`` (original indices) where ``pattern`` matches its folded form."""
    folded, positions = _folded_with_map(text)
    spans = []
    for match in pattern.finditer(folded):
        if match.end() > match.start():
            spans.append((positions[match.start()], positions[match.end() - 1] + 1))
    return spans


def _marked(text: str, spans: list[tuple[int, int]], offset: int = 0) -> str:
    out: list[str] = []
    cursor = 0
    for start, end in spans:
        start, end = start - offset, end - offset
        if start < cursor or end > len(text):
            continue
        out.append(html.escape(text[cursor:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        cursor = end
    out.append(html.escape(text[cursor:]))
    return "".join(out)


def highlight(text: str, query: Query) -> SafeString:
    """``text`` escaped, with every match of ``query`` wrapped in ``<mark>``."""
    pattern = query_pattern(query)
    spans = _matches(text, pattern) if pattern and text else []
    return mark_safe(_marked(text, spans))  # nosec B308 B703


#: snippet size in characters (about thirty words of English; CJK has no spaces to count)
SNIPPET_LENGTH = 220
SNIPPET_LEAD = 70
_CHUNK = 20000


def snippet(text: str, query: Query, *, length: int = SNIPPET_LENGTH) -> SafeString:
    """About thirty words of ``text`` around the first match, matches marked, all escaped.

    The text is folded chunk by chunk and the search stops at the first chunk with a match,
    so a long transcript costs only as much as the distance to its first match. Without a
    match the snippet is the beginning of the text.
    """
    if not text:
        return mark_safe("")  # nosec B308
    pattern = query_pattern(query)
    first: tuple[int, int] | None = None
    if pattern is not None:
        for chunk_start in range(0, len(text), _CHUNK):
            # overlap the chunks so a match across a boundary is found in the next one
            chunk = text[max(0, chunk_start - 200) : chunk_start + _CHUNK]
            base = max(0, chunk_start - 200)
            found = _matches(chunk, pattern)
            if found:
                first = (found[0][0] + base, found[0][1] + base)
                break
    start = 0
    if first is not None:
        start = max(0, first[0] - SNIPPET_LEAD)
        if start:
            space = text.find(" ", start, first[0])
            start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", end - 20, end)
        end = space if space > start else end
    window = text[start:end]
    spans = _matches(window, pattern) if pattern else []
    # the indexed fields are stored one per line; keep them apart in one line of HTML
    body = _marked(window, spans).replace("\n", " · ")
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(html.escape(prefix) + body + html.escape(suffix))  # nosec B308 B703
