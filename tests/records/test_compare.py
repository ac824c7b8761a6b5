"""Word-level comparison of texts: tokenizing (CJK per character), marking, and the page at
/documents/<identifier>/compare/?a=...&b=... with its form and errors."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from documents.compare import compare, tokenize
from documents.models import DocumentText, TextLineage

from .conftest import DECLARATION, MEMCON, language, make_document


def test_tokenize_words_punctuation_and_cjk_characters() -> None:
    assert tokenize("Japan agreed, 1956.") == ["Japan", " ", "agreed", ",", " ", "1956", "."]
    assert tokenize("歯舞群島を") == ["歯", "舞", "群", "島", "を"]
    assert tokenize("Хрущёв и Коно") == ["Хрущёв", " ", "и", " ", "Коно"]


def test_removed_and_added_words_are_marked() -> None:
    result = compare(
        "agreed to continue negotiations, including the territorial question, after the "
        "establishment of relations",
        "agreed to continue, after the restoration of relations, negotiations",
    )
    deleted = [s.text for s in result.left if s.operation == "delete"]
    inserted = [s.text for s in result.right if s.operation == "insert"]
    assert deleted == ["negotiations, including the territorial question", "establishment"]
    assert inserted == ["restoration", ", negotiations"]
    assert (result.removed, result.added) == (6, 2)
    # both sides keep their full text
    assert "".join(s.text for s in result.left).startswith("agreed to continue negotiations,")
    assert "".join(s.text for s in result.right).endswith("relations, negotiations")


def test_japanese_is_compared_per_character() -> None:
    result = compare("色丹島を日本国に引き渡す", "色丹島を日本国に引渡すことに同意する")
    assert [s.text for s in result.left if s.operation == "delete"] == ["き"]
    assert [s.text for s in result.right if s.operation == "insert"] == ["ことに同意する"]
    assert (result.removed, result.added) == (1, 7)


def test_white_space_alone_is_no_change() -> None:
    result = compare("a  b\nc", "a b c")
    assert result.identical
    assert (result.removed, result.added) == (0, 0)


@pytest.mark.django_db
def test_compare_two_texts_of_one_document(client: Client) -> None:
    response = client.get(
        f"/documents/{MEMCON}/compare/?a=kono-draft-article-9-en&b=agreed-article-9-en"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<del>, including the territorial question,</del>" in html
    assert "<ins>" not in html.split("diff-summary")[1].split("</p>")[1]  # nothing added
    assert "4 words removed, 0 words added" in html


@pytest.mark.django_db
def test_compare_across_the_article_9_lineage(client: Client) -> None:
    """From the Joint Declaration, its signed Article 9 against the wording agreed on 18 October
    (a text of the memorandum of conversation, in the same genealogy)."""
    url = f"/documents/{DECLARATION}/compare/?a={MEMCON}:agreed-article-9-en&b=article-9-en"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<del>[^<]*USSR[^<]*</del>", html)
    assert re.search(r"<ins>[^<]*Union of Soviet Socialist Republics[^<]*</ins>", html)
    assert f'href="/documents/{MEMCON}/#text-agreed-article-9-en"' in html
    assert f'href="/documents/{DECLARATION}/#text-article-9-en"' in html


@pytest.mark.django_db
def test_document_page_offers_the_lineage_texts(client: Client) -> None:
    html = client.get(f"/documents/{MEMCON}/").content.decode()
    form = html.split('class="compare-form"')[1].split("</form>")[0]
    assert f'action="/documents/{MEMCON}/compare/"' in html
    for ref in (
        "transcript-en",
        "kono-draft-article-9-en",
        "agreed-article-9-en",
        f"{DECLARATION}:article-9-en",
        "soviet-draft-territorial-article-1956-10-17:summary-en",
    ):
        assert f'value="{ref}"' in form
    # the neighbouring steps of the genealogy are chosen to start with
    assert re.search(r'<option value="kono-draft-article-9-en" selected>', form)
    assert re.search(r'<option value="agreed-article-9-en" selected>', form)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("a=nope&b=agreed-article-9-en", "a", "“nope” is not a text of this document"),
        ("a=agreed-article-9-en&b=agreed-article-9-en", "b", "Choose a text different"),
        ("a=agreed-article-9-en", "b", "This field is required"),
        # a text of an unrelated document, and a text that is not public
        (f"a=agreed-article-9-en&b={DECLARATION}:article-5-en-saito", "b", "is not a text"),
        ("a=agreed-article-9-en&b=letter-matsumoto-gromyko-1956-09-29:en", "b", "is not a text"),
    ],
)
def test_bad_choices_answer_400_naming_the_field(
    client: Client, query: str, field: str, message: str
) -> None:
    response = client.get(f"/documents/{MEMCON}/compare/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(rf'id="{field}-error" role="alert">{field}: [^<]*{message}', html), html[
        -2000:
    ]


@pytest.mark.django_db
def test_texts_of_unpublished_lineages_and_documents_are_not_offered(client: Client) -> None:
    doc = make_document("t-rec-cmp")
    hidden_doc = make_document("t-rec-cmp-hidden", status="draft")
    lineage = TextLineage.objects.create(identifier="t-rec-lineage", title="L", status="published")
    DocumentText.objects.create(
        document=doc,
        key="a",
        kind="draft",
        language=language("ja"),
        body="日本国",
        lineage=lineage,
        lineage_position=1,
        status="published",
    )
    DocumentText.objects.create(
        document=doc,
        key="b",
        kind="signed",
        language=language("ja"),
        body="日本国と",
        status="published",
    )
    DocumentText.objects.create(
        document=hidden_doc,
        key="x",
        kind="draft",
        language=language("ja"),
        body="秘密",
        lineage=lineage,
        lineage_position=2,
        status="published",
    )
    html = client.get("/documents/t-rec-cmp/").content.decode()
    assert 'value="t-rec-cmp-hidden:x"' not in html
    response = client.get("/documents/t-rec-cmp/compare/?a=a&b=t-rec-cmp-hidden:x")
    assert response.status_code == 400
    ok = client.get("/documents/t-rec-cmp/compare/?a=a&b=b")
    assert ok.status_code == 200
    assert "<ins>と</ins>" in ok.content.decode()
    # an unpublished genealogy links nothing
    other = make_document("t-rec-cmp-other")
    DocumentText.objects.create(
        document=other,
        key="y",
        kind="draft",
        language=language("ja"),
        body="日本",
        lineage=lineage,
        lineage_position=3,
        status="published",
    )
    assert client.get("/documents/t-rec-cmp/compare/?a=a&b=t-rec-cmp-other:y").status_code == 200
    lineage.status = "draft"
    lineage.save()
    assert client.get("/documents/t-rec-cmp/compare/?a=a&b=t-rec-cmp-other:y").status_code == 400
