"""Text genealogies: the pages /genealogies/ and /genealogies/<identifier>/ and the API
/api/v1/genealogies/ (list, detail, compare), on the founding collection's Article 9 chain and
on small ``t-gen-`` chains of their own (visibility, bad input, query counts)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from archive.models import Language
from documents.filters import TextLineageFilterSet
from documents.models import Document, DocumentText, DocumentType, TextLineage
from people.models import Agent

pytestmark = pytest.mark.django_db

ARTICLE_9 = "joint-declaration-1956-article-9"
MEMCON = "memcon-khrushchev-kono-1956-10-18"
DECLARATION = "joint-declaration-1956"
SOVIET_DRAFT = "soviet-draft-territorial-article-1956-10-17:summary-en"
KONO = f"{MEMCON}:kono-draft-article-9-en"
AGREED = f"{MEMCON}:agreed-article-9-en"
SIGNED = f"{DECLARATION}:article-9-en"
PAGE = f"/genealogies/{ARTICLE_9}/"
API = f"/api/v1/genealogies/{ARTICLE_9}/"


# -- helpers ------------------------------------------------------------------------------------


def make_chain(
    identifier: str, steps: int, *, status: str = "published", **fields: Any
) -> TextLineage:
    """A genealogy of ``steps`` public texts, each in a public document of its own, written by
    one public side, dated a day apart."""
    kind, _ = DocumentType.objects.get_or_create(code="t-gen-kind", defaults={"name": "draft"})
    side, _ = Agent.objects.get_or_create(
        identifier="t-gen-side",
        defaults={"kind": "organization", "name": "Genealogy Side", "status": "published"},
    )
    english = Language.objects.get(code="en")
    lineage = TextLineage.objects.create(
        identifier=identifier, title=f"Chain {identifier}", status=status, **fields
    )
    for position in range(1, steps + 1):
        document = Document.objects.create(
            identifier=f"{identifier}-doc-{position}",
            title=f"Document {position} of {identifier}",
            document_type=kind,
            status="published",
        )
        DocumentText.objects.create(
            document=document,
            key="text",
            kind="draft",
            language=english,
            label=f"Wording {position}",
            body=f"The parties agree to article {position} of the treaty.",
            side=side,
            lineage=lineage,
            lineage_position=position,
            stage="draft",
            date_edtf=f"1956-10-{position:02d}",
            status="published",
        )
    return lineage


def add_hidden_steps(lineage: TextLineage) -> None:
    """A draft text of a public document and a public text of a draft document, both in
    ``lineage`` (marker words ``gensecretdraft`` and ``gensecretdoc``)."""
    english = Language.objects.get(code="en")
    kind = DocumentType.objects.get(code="t-gen-kind")
    public_doc = Document.objects.get(identifier=f"{lineage.identifier}-doc-1")
    DocumentText.objects.create(
        document=public_doc,
        key="draft-text",
        kind="draft",
        language=english,
        label="gensecretdraft wording",
        body="gensecretdraft",
        lineage=lineage,
        lineage_position=90,
        status="draft",
    )
    hidden_doc = Document.objects.create(
        identifier=f"{lineage.identifier}-hidden-doc",
        title="gensecretdoc document",
        document_type=kind,
        status="draft",
    )
    DocumentText.objects.create(
        document=hidden_doc,
        key="text",
        kind="draft",
        language=english,
        label="gensecretdoc wording",
        body="gensecretdoc",
        lineage=lineage,
        lineage_position=91,
        status="published",
    )


def queries(client: Client, url: str, status: int = 200) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == status, (url, response.content[:300])
    return len(ctx.captured_queries)


def staff_client() -> Client:
    user = User.objects.create_user("t-gen-curator", is_staff=True)
    client = Client()
    client.force_login(user)
    return client


# -- pages --------------------------------------------------------------------------------------


def test_list_page_shows_each_public_genealogy_with_steps_and_dates(client: Client) -> None:
    make_chain("t-gen-draft", 2, status="draft")
    response = client.get("/genealogies/")
    assert response.status_code == 200
    html = response.content.decode()
    row = re.search(
        rf'<tr><td><a href="{PAGE}">([^<]+)</a></td><td>(\d+)</td><td>([^<]*)</td>', html
    )
    assert row is not None, html
    assert row.groups() == (
        "Article 9 of the Japan–Soviet Joint Declaration",
        "4",
        "17–19 October 1956",
    )
    assert "t-gen-draft" not in html


def test_article_9_chain_is_shown_in_order_with_sides_dates_and_documents(client: Client) -> None:
    html = client.get(PAGE).content.decode()
    rows = re.findall(r'<tr id="step-(\d+)">(.*?)</tr>', html, re.S)
    assert [int(position) for position, _ in rows] == [1, 2, 3, 4]
    cells = {int(position): body for position, body in rows}
    assert "Draft" in cells[1]
    assert 'href="/people/government-of-the-ussr/"' in cells[1]
    assert "Counter-draft" in cells[2]
    assert 'href="/people/government-of-japan/"' in cells[2]
    assert "Agreed" in cells[3]
    assert "/people/" not in cells[3]
    assert "Signed" in cells[4]
    assert f'href="/documents/{DECLARATION}/"' in cells[4]
    assert '<time datetime="1956-10-17">17 October 1956</time>' in cells[1]
    assert f'href="/documents/{MEMCON}/#text-kono-draft-article-9-en"' in cells[2]
    assert "(English)" in cells[2]
    # "compare with the next step" on every row but the last
    for position, pair in ((1, (SOVIET_DRAFT, KONO)), (2, (KONO, AGREED)), (3, (AGREED, SIGNED))):
        link = "?" + urlencode({"a": pair[0], "b": pair[1]}).replace("&", "&amp;") + "#comparison"
        assert f'href="{link}"' in cells[position]
    assert "Compare with the next step" not in cells[4]


def test_the_first_two_steps_are_compared_by_default(client: Client) -> None:
    html = client.get(PAGE).content.decode()
    assert re.search(rf'<option value="{SOVIET_DRAFT}" selected>Step 1: ', html)
    assert re.search(rf'<option value="{KONO}" selected>Step 2: ', html)
    assert 'class="diff-summary"' in html
    assert '<h3 id="diff-a">Step 1: Soviet draft article' in html


def test_the_agreed_wording_drops_including_the_territorial_question(client: Client) -> None:
    response = client.get(PAGE, {"a": KONO, "b": AGREED})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<del>, including the territorial question,</del>" in html
    assert "4 words removed, 0 words added" in html
    right = html.split('aria-labelledby="diff-b"')[1]
    assert "<ins>" not in right
    query = urlencode({"a": KONO, "b": AGREED}).replace("&", "&amp;")
    assert re.search(
        rf'<link rel="canonical" href="[^"]*{re.escape(PAGE)}\?{re.escape(query)}"', html
    )
    # and the signed text rewords the agreed one
    signed = client.get(PAGE, {"a": AGREED, "b": SIGNED}).content.decode()
    assert re.search(r"<ins>[^<]*Union of Soviet Socialist Republics[^<]*</ins>", signed)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"a": "nope", "b": AGREED}, "a", "“nope” is not a step of this genealogy"),
        ({"a": AGREED, "b": AGREED}, "b", "Choose a text different"),
        ({"a": AGREED}, "b", "This field is required"),
        ({"b": AGREED}, "a", "This field is required"),
        # a text of a document in the chain that is not a step, and a draft text
        ({"a": f"{MEMCON}:transcript-en", "b": AGREED}, "a", "is not a step"),
        ({"a": AGREED, "b": f"{DECLARATION}:article-5-en-saito"}, "b", "is not a step"),
    ],
)
def test_bad_choices_answer_400_naming_the_field(
    client: Client, query: dict[str, str], field: str, message: str
) -> None:
    response = client.get(PAGE, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(rf'id="{field}-error" role="alert">{field}: [^<]*{message}', html)
    assert 'class="diff-summary"' not in html


def test_unknown_and_unpublished_genealogies_answer_404(client: Client) -> None:
    make_chain("t-gen-draft", 2, status="draft")
    make_chain("t-gen-restricted", 2, restricted=True)
    for identifier in ("t-gen-missing", "t-gen-draft", "t-gen-restricted"):
        assert client.get(f"/genealogies/{identifier}/").status_code == 404
        assert client.get(f"/api/v1/genealogies/{identifier}/").status_code == 404
        url = f"/api/v1/genealogies/{identifier}/compare/?a=x&b=y"
        assert client.get(url).status_code == 404
    # curators see the draft in the API
    staff = staff_client()
    assert staff.get("/api/v1/genealogies/t-gen-draft/").status_code == 200


def test_hidden_steps_do_not_appear_or_count(client: Client) -> None:
    lineage = make_chain("t-gen-chain", 2)
    add_hidden_steps(lineage)
    html = client.get("/genealogies/t-gen-chain/").content.decode()
    assert "gensecret" not in html
    assert "2 steps" in html
    listing = client.get("/genealogies/").content.decode()
    assert re.search(r'href="/genealogies/t-gen-chain/">[^<]+</a></td><td>2</td>', listing)
    hidden = "t-gen-chain-hidden-doc:text"
    response = client.get("/genealogies/t-gen-chain/", {"a": "t-gen-chain-doc-1:text", "b": hidden})
    assert response.status_code == 400
    assert "gensecret" not in response.content.decode()
    for url in (
        "/api/v1/genealogies/t-gen-chain/",
        "/api/v1/genealogies/?q=t-gen-chain",
        f"/api/v1/genealogies/t-gen-chain/compare/?a=t-gen-chain-doc-1:text&b={hidden}",
        "/api/v1/genealogies/t-gen-chain/compare/?a=t-gen-chain-doc-1:draft-text&b=t-gen-chain-doc-2:text",
    ):
        assert "gensecret" not in client.get(url).content.decode(), url
    detail = client.get("/api/v1/genealogies/t-gen-chain/").json()
    assert detail["step_count"] == 2
    assert [step["position"] for step in detail["steps"]] == [1, 2]
    # a curator sees every step, and counts them
    staff = staff_client().get("/api/v1/genealogies/t-gen-chain/").json()
    assert [step["position"] for step in staff["steps"]] == [1, 2, 90, 91]
    assert staff["step_count"] == 4


def test_a_step_of_an_unpublished_side_names_no_side(client: Client) -> None:
    make_chain("t-gen-chain", 2)
    Agent.objects.filter(identifier="t-gen-side").update(status="draft")
    html = client.get("/genealogies/t-gen-chain/").content.decode()
    assert "Genealogy Side" not in html
    steps = client.get("/api/v1/genealogies/t-gen-chain/").json()["steps"]
    assert [step["side"] for step in steps] == [None, None]


def test_document_and_compare_pages_link_to_the_genealogy(client: Client) -> None:
    html = client.get(f"/documents/{MEMCON}/").content.decode()
    assert f'<a href="{PAGE}">Article 9 of the Japan–Soviet Joint Declaration</a>, step 2' in html
    compare = client.get(
        f"/documents/{MEMCON}/compare/",
        {"a": "kono-draft-article-9-en", "b": f"{DECLARATION}:article-9-en"},
    ).content.decode()
    assert (
        f'<a href="{PAGE}">Article 9 of the Japan–Soviet Joint Declaration</a>, step 4' in compare
    )
    # an unpublished genealogy is not linked
    TextLineage.objects.filter(identifier=ARTICLE_9).update(status="draft")
    assert PAGE not in client.get(f"/documents/{MEMCON}/").content.decode()


def test_page_query_counts_do_not_grow_with_the_chain(
    client: Client, django_assert_num_queries: Any
) -> None:
    make_chain("t-gen-short", 3)
    make_chain("t-gen-long", 9)
    # the genealogy with its summary, then its steps with documents, languages and sides
    for identifier in ("t-gen-short", "t-gen-long"):
        with django_assert_num_queries(2):
            assert client.get(f"/genealogies/{identifier}/").status_code == 200
        query = {"a": f"{identifier}-doc-3:text", "b": f"{identifier}-doc-1:text"}
        with django_assert_num_queries(2):
            assert client.get(f"/genealogies/{identifier}/", query).status_code == 200
    # the page of genealogies: their count and the page, whatever their number
    with django_assert_num_queries(2):
        assert client.get("/genealogies/").status_code == 200
    for number in range(5):
        make_chain(f"t-gen-more-{number}", 2)
    with django_assert_num_queries(2):
        assert client.get("/genealogies/").status_code == 200


def test_list_page_filters_and_refuses_bad_ones(client: Client) -> None:
    make_chain("t-gen-chain", 2)
    html = client.get("/genealogies/", {"document": "t-gen-chain-doc-2"}).content.decode()
    assert "/genealogies/t-gen-chain/" in html
    assert PAGE not in html
    response = client.get("/genealogies/", {"ordering": "sideways"})
    assert response.status_code == 400
    assert "<code>ordering</code>" in response.content.decode()


# -- API ----------------------------------------------------------------------------------------


def test_api_list(client: Client) -> None:
    body = client.get("/api/v1/genealogies/").json()
    row = next(row for row in body["results"] if row["identifier"] == ARTICLE_9)
    assert row == {
        "identifier": ARTICLE_9,
        "url": f"http://testserver{API}",
        "html_url": f"http://testserver{PAGE}",
        "title": "Article 9 of the Japan–Soviet Joint Declaration",
        "description": row["description"],
        "step_count": 4,
        "dates": {
            "edtf": "1956-10-17/1956-10-19",
            "start": "1956-10-17",
            "end": "1956-10-19",
            "display": "17–19 October 1956",
        },
        "modified": row["modified"],
    }
    assert "including the territorial question" in row["description"]


def test_api_detail_lists_the_steps_in_order(client: Client) -> None:
    body = client.get(API).json()
    assert body["step_count"] == 4
    steps = body["steps"]
    assert [step["reference"] for step in steps] == [SOVIET_DRAFT, KONO, AGREED, SIGNED]
    assert [step["position"] for step in steps] == [1, 2, 3, 4]
    assert [step["stage"] for step in steps] == ["draft", "counter-draft", "agreed", "signed"]
    assert [step["side"] and step["side"]["identifier"] for step in steps] == [
        "government-of-the-ussr",
        "government-of-japan",
        None,
        None,
    ]
    kono = steps[1]
    assert kono["side"] == {
        "identifier": "government-of-japan",
        "name": "Government of Japan",
        "url": "http://testserver/api/v1/agents/government-of-japan/",
    }
    assert kono["document"] == {
        "identifier": MEMCON,
        "title": "Memorandum of Conversation between N.S. Khrushchev and Kono on October 18, 1956",
        "url": f"http://testserver/api/v1/documents/{MEMCON}/",
    }
    assert kono["date"]["edtf"] == "1956-10-18"
    assert kono["language"] == "en"
    assert kono["label"] == "Japanese counter-draft of the territorial article, proposed by Kono"
    assert kono["body"].startswith("Japan and the USSR agreed to continue negotiations")
    assert kono["html_url"] == (
        f"http://testserver/documents/{MEMCON}/#text-kono-draft-article-9-en"
    )


def test_api_compare_marks_the_removed_phrase(client: Client) -> None:
    response = client.get(f"{API}compare/", {"a": KONO, "b": AGREED})
    assert response.status_code == 200
    assert response["ETag"]
    body = response.json()
    assert body["genealogy"]["identifier"] == ARTICLE_9
    assert (body["a"]["reference"], body["b"]["reference"]) == (KONO, AGREED)
    assert (body["removed"], body["added"], body["identical"]) == (4, 0, False)
    left, right = body["segments"]["a"], body["segments"]["b"]
    assert [s["text"] for s in left if s["operation"] == "delete"] == [
        ", including the territorial question,"
    ]
    assert not [s for s in right if s["operation"] != "equal"]
    # joined, the segments give each text back
    assert "".join(s["text"] for s in left) == body["a"]["body"]
    assert "".join(s["text"] for s in right) == body["b"]["body"]
    assert {s["operation"] for s in left} <= {"equal", "delete"}
    # a conditional GET of the same comparison answers 304
    again = client.get(
        f"{API}compare/", {"a": KONO, "b": AGREED}, HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ({}, {"a": "This field is required.", "b": "This field is required."}),
        ({"a": KONO}, {"b": "This field is required."}),
        ({"a": "nope", "b": AGREED}, {"a": "“nope” is not a step of this genealogy."}),
        ({"a": KONO, "b": KONO}, {"b": "Choose a text different from the earlier one."}),
        ({"a": f"{MEMCON}:transcript-en", "b": AGREED}, {"a": "is not a step"}),
        ({"a": KONO, "b": AGREED, "c": "1"}, {"c": "Unknown query parameter"}),
    ],
)
def test_api_compare_refuses_bad_parameters_naming_them(
    client: Client, query: dict[str, str], errors: dict[str, str]
) -> None:
    response = client.get(f"{API}compare/", query)
    assert response.status_code == 400
    body = response.json()
    assert set(body["errors"]) == set(errors)
    for name, message in errors.items():
        assert message in body["errors"][name][0]
    assert body["detail"].endswith(f"{', '.join(errors)}.")


def test_api_detail_refuses_unknown_parameters(client: Client) -> None:
    response = client.get(API, {"a": KONO})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"a"}


# one test per filter parameter of the FilterSet (site and API share it)
FILTER_CASES = {
    "q": ({"q": "Chain t-gen-b"}, {"t-gen-b"}),
    "document": ({"document": "t-gen-a-doc-2"}, {"t-gen-a"}),
    "side": ({"side": "t-gen-side"}, {"t-gen-a", "t-gen-b"}),
    "ordering": ({"ordering": "-title", "side": "t-gen-side"}, {"t-gen-a", "t-gen-b"}),
}


def test_every_filter_parameter_has_a_test() -> None:
    assert set(FILTER_CASES) == set(TextLineageFilterSet.base_filters)


@pytest.mark.parametrize("name", sorted(FILTER_CASES))
def test_api_filter_parameter(client: Client, name: str) -> None:
    make_chain("t-gen-a", 2)
    make_chain("t-gen-b", 2)
    params, expected = FILTER_CASES[name]
    body = client.get("/api/v1/genealogies/?" + urlencode(params)).json()
    found = [row["identifier"] for row in body["results"] if row["identifier"].startswith("t-gen")]
    assert set(found) == expected
    if name == "ordering":
        assert found == ["t-gen-b", "t-gen-a"]


def test_api_filters_ignore_hidden_documents_and_sides(client: Client) -> None:
    make_chain("t-gen-a", 2)
    Document.objects.filter(identifier="t-gen-a-doc-2").update(status="draft")
    body = client.get("/api/v1/genealogies/?document=t-gen-a-doc-2").json()
    assert body["results"] == []
    Agent.objects.filter(identifier="t-gen-side").update(status="draft")
    assert client.get("/api/v1/genealogies/?side=t-gen-side").json()["results"] == []


def test_api_query_counts_do_not_grow_with_the_chain_or_the_list(
    client: Client, django_assert_num_queries: Any
) -> None:
    make_chain("t-gen-short", 3)
    make_chain("t-gen-long", 9)
    for identifier in ("t-gen-short", "t-gen-long"):
        # the catalogue's version (a public response's cache key), the genealogy with its
        # summary, then its steps with documents, languages and sides
        with django_assert_num_queries(3):
            assert client.get(f"/api/v1/genealogies/{identifier}/").status_code == 200
        query = {"a": f"{identifier}-doc-1:text", "b": f"{identifier}-doc-3:text"}
        with django_assert_num_queries(2):
            response = client.get(f"/api/v1/genealogies/{identifier}/compare/", query)
            assert response.status_code == 200
    # the version, then a page of genealogies as its keys and its rows by them (cursor
    # pagination counts nothing)
    with django_assert_num_queries(3):
        assert client.get("/api/v1/genealogies/?page_size=2").status_code == 200
    with django_assert_num_queries(3):
        assert client.get("/api/v1/genealogies/?page_size=50").status_code == 200
