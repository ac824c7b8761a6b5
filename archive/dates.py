"""Archival dates: EDTF storage, Japanese era input, sortable bounds and readable display.

Curators state dates the way sources give them: exact days, months, years, ranges, approximate
or uncertain dates, and Japanese era years ("Showa 31", "昭和31年10月19日"). We keep the statement
as an EDTF string (Library of Congress Extended Date/Time Format) in a plain text column, derive
the earliest and latest possible day from it for filtering and sorting, and render it for readers.

Era input is converted to EDTF at the precision it was given: "Showa 31" is the year 1956, not
1 January 1956. EDTF parsing uses the ``edtf`` package; open-start intervals ("../1956"), which
that package cannot bound, are bounded here side by side.
"""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from edtf import parse_edtf, struct_time_to_date
from edtf.parser.edtf_exceptions import EDTFParseException


class DateError(ValueError):
    """A date statement that cannot be understood; the message says why."""


@dataclass(frozen=True)
class Era:
    """A Japanese era (gengō): its romanized and kanji names and its first day."""

    name: str
    kanji: str
    start: date
    end: date | None  # last day, or None for the current era


ERAS: tuple[Era, ...] = (
    Era("Meiji", "明治", date(1868, 1, 25), date(1912, 7, 29)),
    Era("Taisho", "大正", date(1912, 7, 30), date(1926, 12, 24)),
    Era("Showa", "昭和", date(1926, 12, 25), date(1989, 1, 7)),
    Era("Heisei", "平成", date(1989, 1, 8), date(2019, 4, 30)),
    Era("Reiwa", "令和", date(2019, 5, 1), None),
)

_ERA_BY_NAME = {era.name.lower(): era for era in ERAS} | {era.kanji: era for era in ERAS}
_ERA_BY_NAME |= {"taishō": ERAS[1], "shōwa": ERAS[2]}

_KANJI_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

_ROMAN_ERA = re.compile(
    r"^(?P<era>meiji|taish[oō]|sh[oō]wa|heisei|reiwa)\s*(?P<year>\d{1,2}|gannen)"
    r"(?:\s*[./-]\s*(?P<month>\d{1,2})(?:\s*[./-]\s*(?P<day>\d{1,2}))?)?$",
    re.IGNORECASE,
)
_KANJI_NUMBER = r"[0-9〇零一二三四五六七八九十]+"
_KANJI_ERA = re.compile(
    rf"^(?P<era>明治|大正|昭和|平成|令和)\s*(?P<year>元|{_KANJI_NUMBER})\s*年"
    rf"(?:\s*(?P<month>{_KANJI_NUMBER})\s*月(?:\s*(?P<day>{_KANJI_NUMBER})\s*日)?)?$"
)
_SIMPLE = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?(?P<q>[?~%])?$")
_MONTHS = [calendar.month_name[i] for i in range(13)]


def _number(text: str) -> int:
    """An Arabic or kanji numeral (一, 十二, 三十一) as an int."""
    if text.isdigit():
        return int(text)
    if text == "元":
        return 1
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[units] if units else 0)
    value = 0
    for char in text:
        value = value * 10 + _KANJI_DIGITS[char]
    return value


def _era_to_edtf(era: Era, year: int, month: int | None, day: int | None, raw: str) -> str:
    """Convert an era year (and optional month, day) to EDTF, checking it lies in the era."""
    if year < 1:
        raise DateError(f"“{raw}”: an era year starts at 1 (gannen).")
    gregorian = era.start.year + year - 1
    if month is None:
        first, last = date(gregorian, 1, 1), date(gregorian, 12, 31)
        result = f"{gregorian:04d}"
    elif day is None:
        if not 1 <= month <= 12:
            raise DateError(f"“{raw}”: there is no month {month}.")
        first = date(gregorian, month, 1)
        last = date(gregorian, month, calendar.monthrange(gregorian, month)[1])
        result = f"{gregorian:04d}-{month:02d}"
    else:
        try:
            first = last = date(gregorian, month, day)
        except ValueError as exc:
            raise DateError(f"“{raw}”: {gregorian}-{month:02d}-{day:02d} is not a day.") from exc
        result = f"{gregorian:04d}-{month:02d}-{day:02d}"
    if last < era.start or (era.end is not None and first > era.end):
        span = f"{era.start:%Y-%m-%d} to {era.end:%Y-%m-%d}" if era.end else f"from {era.start}"
        raise DateError(f"“{raw}” is outside the {era.name} era ({span}).")
    return result


def era_input_to_edtf(text: str) -> str | None:
    """Return EDTF for a Japanese era statement, or None when ``text`` is not one."""
    text = unicodedata.normalize("NFKC", text).strip()
    match = _ROMAN_ERA.match(text)
    if match:
        era = _ERA_BY_NAME[match["era"].lower()]
        year = 1 if match["year"].lower() == "gannen" else int(match["year"])
        month = int(match["month"]) if match["month"] else None
        day = int(match["day"]) if match["day"] else None
        return _era_to_edtf(era, year, month, day, text)
    match = _KANJI_ERA.match(text)
    if match:
        era = _ERA_BY_NAME[match["era"]]
        month = _number(match["month"]) if match["month"] else None
        day = _number(match["day"]) if match["day"] else None
        return _era_to_edtf(era, _number(match["year"]), month, day, text)
    return None


_PLAIN = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>0[1-9]|1[0-2])(?:-(?P<d>\d{2}))?)?$")


def _bounds_of_one(text: str) -> tuple[date, date]:
    """Earliest and latest day of one EDTF date.

    Plain ``YYYY``, ``YYYY-MM`` and ``YYYY-MM-DD`` dates, most of any archive, are bounded
    directly; everything else (qualifiers, seasons, unspecified digits) goes to the parser.
    """
    plain = _PLAIN.match(text)
    if plain:
        year, month, day = int(plain["y"]), plain["m"], plain["d"]
        try:
            if day:
                exact = date(year, int(month), int(day))
                return exact, exact
            first_month, last_month = (int(month), int(month)) if month else (1, 12)
            last_day = calendar.monthrange(year, last_month)[1]
            return date(year, first_month, 1), date(year, last_month, last_day)
        except ValueError:
            pass  # year 0, 30 February ...: let the parser decide and explain
    return _parsed_bounds(text)


@functools.lru_cache(maxsize=8192)
def _parsed_bounds(text: str) -> tuple[date, date]:
    """:func:`_bounds_of_one` by the EDTF parser (cached: parsing takes up to tens of ms, and
    the plain dates, far more varied, stay out of the cache and never evict these)."""
    try:
        parsed = parse_edtf(text)
        return struct_time_to_date(parsed.lower_strict()), struct_time_to_date(
            parsed.upper_strict()
        )
    except (EDTFParseException, TypeError, ValueError, OverflowError) as exc:
        raise DateError(f"“{text}” is not a valid EDTF date.") from exc


def date_bounds(edtf: str) -> tuple[date | None, date | None]:
    """Earliest and latest day an EDTF statement allows; None for an open or unknown end."""
    if not edtf:
        return None, None
    if "/" in edtf and not edtf.startswith(("[", "{")):
        left, right = edtf.split("/", 1)
        start = None if left in ("", "..") else _bounds_of_one(left)[0]
        end = None if right in ("", "..") else _bounds_of_one(right)[1]
        if start is None and end is None:
            raise DateError(f"“{edtf}”: an interval needs at least one known end.")
        if start and end and start > end:
            raise DateError(f"“{edtf}”: the interval ends before it starts.")
        return start, end
    return _bounds_of_one(edtf)


def normalize_date(text: str) -> str:
    """Turn a curator's date statement into validated EDTF, or raise :class:`DateError`.

    Accepts EDTF as is, and Japanese era dates alone or as either end of an interval
    ("昭和31年9月3日/昭和31年9月12日").
    """
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return ""
    if "/" in text and not text.startswith(("[", "{")):
        parts = [era_input_to_edtf(part) or part.strip() for part in text.split("/", 1)]
        text = "/".join(parts)
    else:
        text = era_input_to_edtf(text) or text
    date_bounds(text)  # validates, raising DateError with the reason
    return text


def era_names(first: date, last: date) -> list[str]:
    """Era years ("Showa 31") of the eras that overlap the days ``first``..``last``."""
    names = []
    for era in ERAS:
        if last < era.start or (era.end is not None and first > era.end):
            continue
        lo = max(first, era.start).year - era.start.year + 1
        hi = min(last, era.end or last).year - era.start.year + 1
        names.append(f"{era.name} {lo}" if lo == hi else f"{era.name} {lo}–{hi}")
    return names


def _simple_parts(text: str) -> tuple[int, int | None, int | None, str] | None:
    match = _SIMPLE.match(text)
    if not match:
        return None
    return (
        int(match["y"]),
        int(match["m"]) if match["m"] else None,
        int(match["d"]) if match["d"] else None,
        match["q"] or "",
    )


def _qualify(text: str, qualifier: str) -> str:
    if qualifier == "~":
        return f"circa {text}"
    if qualifier == "?":
        return f"{text} (uncertain)"
    if qualifier == "%":
        return f"circa {text} (uncertain)"
    return text


def _one(parts: tuple[int, int | None, int | None, str], *, show_year: bool = True) -> str:
    year, month, day, qualifier = parts
    pieces = [str(day)] if day else []
    if month:
        pieces.append(_MONTHS[month])
    if show_year:
        pieces.append(str(year))
    return _qualify(" ".join(pieces), qualifier)


def format_date(edtf: str, *, japanese_era: bool = False) -> str:
    """A readable form of an EDTF statement: "3–12 September 1956 (Showa 31)".

    Common shapes (days, months, years, closed and open intervals, with ~ ? %) read as prose;
    anything rarer is shown as its EDTF text. With ``japanese_era`` the era year follows in
    brackets.
    """
    if not edtf:
        return ""
    if "/" in edtf and not edtf.startswith(("[", "{")):
        left, right = edtf.split("/", 1)
        a, b = _simple_parts(left), _simple_parts(right)
        if left in ("", "..") and b:
            text = f"until {_one(b)}" if left == ".." else f"unknown – {_one(b)}"
        elif right in ("", "..") and a:
            text = f"{_one(a)} onwards" if right == ".." else f"from {_one(a)}"
        elif a and b:
            same_year = a[0] == b[0] and not a[3] and not b[3]
            if same_year and a[1] and a[1] == b[1] and a[2] and b[2]:
                text = f"{a[2]}–{b[2]} {_MONTHS[a[1]]} {a[0]}"
            elif same_year and a[1] and b[1] and bool(a[2]) == bool(b[2]):
                text = f"{_one(a, show_year=False)} – {_one(b)}"
            else:
                text = f"{_one(a)} – {_one(b)}"
        else:
            return edtf
    else:
        parts = _simple_parts(edtf)
        if not parts:
            return edtf
        text = _one(parts)
    if japanese_era:
        try:
            first, last = date_bounds(edtf)
        except DateError:
            return text
        if first and last:
            names = era_names(first, last)
            if names:
                text = f"{text} ({' / '.join(names)})"
    return text


def date_parts(edtf: str) -> tuple[list[list[int]], bool] | None:
    """The year/month/day parts of a plain date or closed interval, for citation formats.

    ``"1956-10-19"`` gives ``([[1956, 10, 19]], False)``, ``"1956-09-03/1956-09-12"`` two
    entries, ``"1956~"`` ``([[1956]], True)`` (approximate or uncertain). Shapes that cannot
    be written as parts (open intervals, seasons, sets) give ``None``: callers fall back to the
    EDTF text.
    """
    if not edtf:
        return None
    ends = edtf.split("/", 1) if "/" in edtf and not edtf.startswith(("[", "{")) else [edtf]
    parsed = [_simple_parts(end) for end in ends]
    if not all(parsed):
        return None
    parts = [[p[0]] + [n for n in (p[1], p[2]) if n is not None] for p in parsed if p]
    return parts, any(p[3] for p in parsed if p)
