"""Normalisation, query parsing and highlighting (no database)."""

import pytest

from archive.search.text import fold, highlight, normalize, parse_query, snippet


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kōno", "kono"),
        ("KŌNO Ichirō", "kono ichiro"),
        ("Хрущёв", "хрущев"),
        ("ХРУЩЁВ", "хрущев"),
        ("Khrushchëv", "khrushchev"),
        ("Андрей Громыко", "андрей громыко"),  # й is kept, not folded to и
        ("Straße", "strasse"),
        ("Ｋｏｎｏ　１９５６", "kono 1956"),  # full-width letters, digits and space
        ("１９５６年１０月", "1956 年 10 月"),
        ("Hatoyama's cabinet, (1954–1956).", "hatoyama s cabinet 1954 1956"),
    ],
)
def test_normalize_folds_case_diacritics_and_width(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_cjk_runs_become_overlapping_bigrams() -> None:
    assert normalize("河野一郎と鳩山一郎") == "河野 野一 一郎 郎と と鳩 鳩山 山一 一郎"
    assert normalize("河") == "河"  # a single character stays a unigram
    assert normalize("河野、鳩山") == "河野 鳩山"  # CJK punctuation separates runs
    assert normalize("ソ連とは") == "ソ連 連と とは"


def test_kana_keep_their_voicing_marks() -> None:
    # NFD would turn が into か + ゛ and stripping marks would make it か
    assert normalize("がぎぐ") == "がぎ ぎぐ"
    assert normalize("ガ") == "ガ"
    assert normalize("ｶﾞﾗｽ") == "ガラ ラス"  # half-width katakana with a separate voicing mark
    assert normalize("か\u3099") == "が"  # decomposed input is composed


def test_fold_keeps_punctuation_for_highlighting() -> None:
    assert fold("Kōno-Hatoyama") == "kono-hatoyama"


def test_query_words_phrases_prefixes_and_cjk() -> None:
    query = parse_query('Kōno "joint declaration" Hatoya* 河野一郎 鳩 *ushch*')
    terms = query.terms
    assert terms[0].keys == ("kono",)
    assert terms[1].keys == ("joint", "declaration")
    assert terms[2].keys == ("hatoya",)
    assert terms[2].prefix
    assert terms[3].keys == ("河野", "野一", "一郎")
    assert terms[4].substring == "鳩"
    assert not terms[4].keys
    assert terms[5].substring == "ushch"


def test_query_edge_cases() -> None:
    assert not parse_query("")
    assert not parse_query('!!! "" ,,,')
    assert parse_query('"unclosed phrase').terms[0].keys == ("unclosed", "phrase")
    assert parse_query("rgani-52-1-596").terms[0].keys == ("rgani", "52", "1", "596")
    assert parse_query("「河野一郎」").terms[0].keys == ("河野", "野一", "一郎")
    assert len(parse_query("kono kono KONO").terms) == 1


def test_highlight_marks_the_original_text_and_escapes_the_rest() -> None:
    html = highlight("<b>Kōno</b> met KONO & Хрущёв", parse_query("kono хрущев"))
    assert html == (
        "&lt;b&gt;<mark>Kōno</mark>&lt;/b&gt; met <mark>KONO</mark> &amp; <mark>Хрущёв</mark>"
    )


def test_highlight_whole_words_phrases_and_cjk() -> None:
    assert highlight("Konoe and Kono", parse_query("kono")) == "Konoe and <mark>Kono</mark>"
    assert highlight("Konoe", parse_query("kono*")) == "<mark>Konoe</mark>"
    assert highlight("joint, declaration", parse_query('"joint declaration"')) == (
        "<mark>joint, declaration</mark>"
    )
    assert highlight("河野一郎と鳩山一郎", parse_query("鳩山")) == "河野一郎と<mark>鳩山</mark>一郎"


def test_snippet_is_a_window_around_the_first_match() -> None:
    text = (
        " ".join(f"word{i}" for i in range(200)) + " Kōno " + " ".join("x" * 5 for _ in range(80))
    )
    html = snippet(text, parse_query("kono"))
    assert html.startswith("… ")
    assert html.endswith(" …")
    assert "<mark>Kōno</mark>" in html
    assert len(html) < 300
    assert "word0 " not in html


def test_snippet_without_match_is_the_beginning() -> None:
    assert snippet("Plain <text>", parse_query("absent")) == "Plain &lt;text&gt;"


def test_snippet_separates_the_indexed_fields() -> None:
    assert (
        snippet("Summary.\nKōno; 河野", parse_query("kono")) == "Summary. · <mark>Kōno</mark>; 河野"
    )
