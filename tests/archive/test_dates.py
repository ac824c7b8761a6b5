"""Date statements: EDTF storage, Japanese era input, derived bounds and display."""

from datetime import date

import pytest

from archive.dates import DateError, date_bounds, era_input_to_edtf, format_date, normalize_date


@pytest.mark.parametrize(
    ("statement", "edtf"),
    [
        ("1956-10-19", "1956-10-19"),
        ("1956-09-03/1956-09-12", "1956-09-03/1956-09-12"),
        ("1956~", "1956~"),
        ("1955/..", "1955/.."),
        ("../1956-10", "../1956-10"),
        ("  1956  ", "1956"),
        # Japanese era input, at the precision it was given
        ("Showa 31", "1956"),
        ("Shōwa 31", "1956"),
        ("showa 31.10.19", "1956-10-19"),
        ("昭和31年", "1956"),
        ("昭和31年10月19日", "1956-10-19"),
        ("昭和三十一年十月十九日", "1956-10-19"),
        ("昭和３１年１０月", "1956-10"),  # full-width digits
        ("平成元年", "1989"),
        ("Heisei gannen", "1989"),
        ("令和5年5月1日", "2023-05-01"),
        ("昭和31年9月3日/昭和31年9月12日", "1956-09-03/1956-09-12"),
        ("", ""),
    ],
)
def test_normalize_accepts_edtf_and_era_input(statement: str, edtf: str) -> None:
    assert normalize_date(statement) == edtf


@pytest.mark.parametrize(
    ("statement", "reason"),
    [
        ("1956-13-01", "not a valid EDTF date"),
        ("1956-02-30", "not a valid EDTF date"),
        ("19 October 1956", "not a valid EDTF date"),
        ("1956-10-19/1956-10-01", "ends before it starts"),
        ("昭和65年", "outside the Showa era"),  # Showa ended on 7 January 1989 (Showa 64)
        ("昭和64年2月1日", "outside the Showa era"),
        ("Taisho 15.12.26", "outside the Taisho era"),  # Showa began on 25 December 1926
        ("昭和31年2月30日", "is not a day"),
        ("Showa 0", "starts at 1"),
        ("../..", "at least one known end"),
    ],
)
def test_normalize_rejects_bad_input_with_a_reason(statement: str, reason: str) -> None:
    with pytest.raises(DateError, match=reason):
        normalize_date(statement)


def test_era_year_alone_is_the_whole_year_not_its_first_day() -> None:
    assert date_bounds(normalize_date("Showa 31")) == (date(1956, 1, 1), date(1956, 12, 31))


def test_text_that_is_not_an_era_is_left_to_edtf() -> None:
    assert era_input_to_edtf("1956-10-19") is None


@pytest.mark.parametrize(
    ("edtf", "bounds"),
    [
        ("1956-10-19", (date(1956, 10, 19), date(1956, 10, 19))),
        ("1956-02", (date(1956, 2, 1), date(1956, 2, 29))),  # a leap year
        ("1956-09-03/1956-09-12", (date(1956, 9, 3), date(1956, 9, 12))),
        ("1954-12-07/..", (date(1954, 12, 7), None)),
        ("../1955-02-08", (None, date(1955, 2, 8))),
        ("195X", (date(1950, 1, 1), date(1959, 12, 31))),
        ("", (None, None)),
    ],
)
def test_bounds(edtf: str, bounds: tuple) -> None:
    assert date_bounds(edtf) == bounds


@pytest.mark.parametrize(
    ("edtf", "era", "text"),
    [
        ("1956-10-19", False, "19 October 1956"),
        ("1956-10-19", True, "19 October 1956 (Showa 31)"),
        ("1956-09-03/1956-09-12", True, "3–12 September 1956 (Showa 31)"),
        ("1956-09-29/1956-10-19", False, "29 September – 19 October 1956"),
        ("1954-12/1956-12", True, "December 1954 – December 1956 (Showa 29–31)"),
        ("1956", False, "1956"),
        ("1956~", False, "circa 1956"),
        ("1956?", False, "1956 (uncertain)"),
        ("1926", True, "1926 (Taisho 15 / Showa 1)"),
        ("1955/..", False, "1955 onwards"),
        ("../1955-02", False, "until February 1955"),
        ("195X", False, "195X"),  # rarer EDTF shapes are shown as written
        ("", True, ""),
    ],
)
def test_display(edtf: str, era: bool, text: str) -> None:
    assert format_date(edtf, japanese_era=era) == text
