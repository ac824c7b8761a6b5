"""XML text cleaning: any record text can be written."""

from lxml import etree

from archive.interchange.xml import clean_text, sub


def test_clean_text_drops_what_xml_forbids_and_keeps_the_rest() -> None:
    assert clean_text("a\x00b\x0bc\x1fd\ud800e\ufffef") == "abcdef"
    assert clean_text("tab\tnew\nline\rХрущёв 鳩山") == "tab\tnew\nline\rХрущёв 鳩山"


def test_sub_cleans_text_and_attributes_and_skips_empty_attributes() -> None:
    root = etree.Element("root")
    element = sub(root, "x", "bad\x00text", {"a": "v\x01", "empty": ""})
    assert etree.tostring(element) == b'<x a="v">badtext</x>'
