"""The document page: metadata, reference, dates, texts in tabs, people, copies, relations,
citing publications, the Cite box; hidden parts stay hidden; constant query count."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from archive.models import Collection
from documents.models import Citation, DocumentRelation, DocumentText, Publication
from people.models import AgentRole

from .conftest import DECLARATION, MEMCON, language, make_agent, make_document

pytestmark = pytest.mark.django_db


def page(client: Client, identifier: str) -> str:
    response = client.get(f"/documents/{identifier}/")
    assert response.status_code == 200
    return response.content.decode()


def test_memcon_shows_reference_people_copies_relations_and_citations(client: Client) -> None:
    html = page(client, MEMCON)
    # the archival reference in RGANI's house style, and the holding repository
    assert '<dd class="reference">RGANI, f. 52, op. 1, d. 596, ll. 61-66</dd>' in html
    assert 'href="/repositories/rgani/"' in html
    assert "18 October 1956" in html
    # people grouped by role
    assert re.search(r"<dt>Participant</dt><dd>.*Nikita Khrushchev.*Ichiro Kono", html)
    assert re.search(r"<dt>Translator</dt><dd>.*Allison Smith", html)
    # copies and identifiers, with the Wilson Center record linked through its scheme
    assert "Record ID 208807" in html
    assert 'href="https://digitalarchive.wilsoncenter.org/document/208807"' in html
    # related documents in both directions, with labels
    assert re.search(r'Refers to</span> <a href="/documents/joint-declaration-1956/"', html)
    # citing publications with note number and pages
    assert re.search(
        r'href="/documents/publications/saito-[^"]+#note-40">note 40</a>, pp. 116-129', html
    )


def test_japanese_era_year_beside_the_date(client: Client) -> None:
    html = page(client, DECLARATION)
    assert "19 October 1956 (Showa 31)" in html


def test_texts_are_grouped_in_tabs_with_an_anchor_each(client: Client) -> None:
    html = page(client, MEMCON)
    tabs = re.findall(r'<a href="#texts-([a-z-]+)" id="tab-', html)
    assert tabs == ["en-translation", "en-draft", "en-agreed"]
    for key in ("transcript-en", "kono-draft-article-9-en", "agreed-article-9-en"):
        assert f'id="text-{key}"' in html
    assert 'id="texts-en-draft"' in html
    assert "kiroku/records.js" in html  # the enhancement; without it every text is shown


def test_unpublished_texts_are_not_shown(client: Client) -> None:
    hidden = DocumentText.objects.get(document__identifier=DECLARATION, key="article-5-en-saito")
    assert hidden.status == "draft"
    html = page(client, DECLARATION)
    assert "All Japanese found guilty" not in html
    assert 'id="text-article-5-en-saito"' not in html


def test_cite_box_and_meta_tags(client: Client) -> None:
    html = page(client, MEMCON)
    assert (
        "“Memorandum of Conversation between N.S. Khrushchev and Kono on October 18, 1956.” "
        "18 October 1956. Translated by Allison Smith. RGANI, f. 52, op. 1, d. 596, ll. 61-66."
    ) in html
    for suffix in ("bib", "ris", "json"):
        assert f'href="/documents/{MEMCON}/cite.{suffix}" download' in html
    assert '<meta name="citation_title" content="Memorandum of Conversation' in html
    assert '<meta name="citation_date" content="1956/10/18">' in html
    assert '<meta name="DC.source" content="RGANI, f. 52, op. 1, d. 596, ll. 61-66">' in html
    declaration = page(client, DECLARATION)
    assert '<meta name="citation_author" content="Government of Japan">' in declaration


def test_title_description_and_canonical(client: Client, settings) -> None:
    settings.KIROKU_BASE_URL = "https://archive.example.org"
    html = page(client, MEMCON)
    assert "<title>Memorandum of Conversation between N.S. Khrushchev" in html
    assert '<meta name="description" content="Kono and Khrushchev argue' in html
    assert f'<link rel="canonical" href="https://archive.example.org/documents/{MEMCON}/">' in html


def test_hidden_related_records_are_not_listed(client: Client) -> None:
    memcon = DocumentText.objects.get(document__identifier=MEMCON, key="transcript-en").document
    draft = make_document("t-rec-draft-reply", title="Zqx draft reply", status="draft")
    restricted = make_document("t-rec-restricted", title="Zqx restricted", restricted=True)
    DocumentRelation.objects.create(source=draft, relation_type="reply-to", target=memcon)
    DocumentRelation.objects.create(source=memcon, relation_type="encloses", target=restricted)
    secret_agent = make_agent("t-rec-secret-agent", name="Zqx Secret Agent", status="review")
    AgentRole.objects.create(document=memcon, agent=secret_agent, role="participant")
    book = Publication.objects.create(
        identifier="t-rec-draft-book", kind="book", title="Zqx draft book", status="draft"
    )
    Citation.objects.create(
        publication=book, kind="note", number=1, text="x", cited_document=memcon
    )
    html = page(client, MEMCON)
    assert "Zqx" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/documents/{id}/",
        "/documents/{id}/compare/",
        "/documents/{id}/compare/?a=en&b=ja",
        "/documents/{id}/cite.bib",
        "/documents/{id}/cite.ris",
        "/documents/{id}/cite.json",
        "/documents/{id}/?format=jsonld",
    ],
)
@pytest.mark.parametrize("state", [{"status": "draft"}, {"status": "review"}, {"restricted": True}])
def test_unpublished_documents_answer_like_missing_ones(
    client: Client, url: str, state: dict
) -> None:
    doc = make_document("t-rec-hidden", **state)
    DocumentText.objects.create(
        document=doc,
        key="en",
        kind="original",
        language=language("en"),
        body="a",
        status="published",
    )
    DocumentText.objects.create(
        document=doc,
        key="ja",
        kind="translation",
        language=language("ja"),
        body="b",
        status="published",
    )
    hidden = client.get(url.format(id="t-rec-hidden"))
    missing = client.get(url.format(id="t-rec-no-such-document"))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_jsonld_by_accept_header_is_404_for_hidden(client: Client) -> None:
    make_document("t-rec-hidden-ld", status="draft")
    response = client.get("/documents/t-rec-hidden-ld/", HTTP_ACCEPT="application/ld+json")
    assert response.status_code == 404


def _rich_document(identifier: str, n: int) -> str:
    """A document with ``n`` texts, roles, copies-free citations and relations."""
    unit = Collection.objects.get(identifier="rgani-f52-op1-d596")
    doc = make_document(identifier, summary="s", collection=unit, locator=f"l. {n}")
    for i in range(n):
        DocumentText.objects.create(
            document=doc,
            key=f"t{i}",
            kind="translation" if i % 2 else "original",
            language=language("en" if i % 3 else "ja"),
            body=f"text {i}",
            status="published",
        )
        agent = make_agent(f"{identifier}-agent-{i}")
        AgentRole.objects.create(document=doc, agent=agent, role="author" if i % 2 else "recipient")
        other = make_document(f"{identifier}-other-{i}")
        DocumentRelation.objects.create(source=doc, relation_type="refers-to", target=other)
        DocumentRelation.objects.create(source=other, relation_type="reply-to", target=doc)
        book = Publication.objects.create(
            identifier=f"{identifier}-book-{i}", kind="book", title="b", status="published"
        )
        Citation.objects.create(
            publication=book, kind="note", number=i + 1, text="n", cited_document=doc, pages="1-2"
        )
    return f"/documents/{identifier}/"


def test_query_count_does_not_grow_with_texts_roles_and_citations(count_queries) -> None:
    one = count_queries(_rich_document("t-rec-one", 1))
    many = count_queries(_rich_document("t-rec-many", 6))
    assert one == many, (one, many)
    assert count_queries(f"/documents/{MEMCON}/") == many


def test_iiif_manifest_link_only_with_public_images(client: Client, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from documents.models import DigitalObject
    from tests.interchange.conftest import png

    settings.MEDIA_ROOT = tmp_path
    doc = make_document("t-rec-images")
    DigitalObject.objects.create(document=doc, key="draft", file=png(10, 10), status="draft")
    link = 'href="/iiif/t-rec-images/manifest"'
    assert link not in page(client, "t-rec-images")
    DigitalObject.objects.create(document=doc, key="leaf", file=png(10, 10), status="published")
    assert link in page(client, "t-rec-images")
    assert client.get("/iiif/t-rec-images/manifest").status_code == 200
