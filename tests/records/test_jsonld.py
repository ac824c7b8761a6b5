"""JSON-LD: embedded in every record page, served by content negotiation and ?format=jsonld,
expanding with pyld to schema.org terms with the permalink as @id."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from pyld import jsonld

from archive.models import Collection, IdentifierScheme
from people.models import Agent, AuthorityIdentifier

from .conftest import KHRUSHCHEV, MEMCON, SAITO

pytestmark = pytest.mark.django_db

BASE = "https://archive.example.org"
SCHEMA = "https://schema.org/"

RECORDS = [
    (f"/documents/{MEMCON}/", "ArchiveComponent"),
    (f"/people/{KHRUSHCHEV}/", "Person"),
    ("/people/cpsu-central-committee/", "Organization"),
    ("/collections/rgani-f52-op1/", "ArchiveComponent"),
    ("/repositories/rgani/", "ArchiveOrganization"),
    (f"/documents/publications/{SAITO}/", "Chapter"),
]


@pytest.fixture(autouse=True)
def base_url(settings) -> None:  # type: ignore[no-untyped-def]
    settings.KIROKU_BASE_URL = BASE


def expanded(data: dict) -> dict:
    (node,) = jsonld.expand(data)
    return node


@pytest.mark.parametrize(("path", "kind"), RECORDS)
def test_format_jsonld_expands_with_the_permalink_as_id(
    client: Client, path: str, kind: str
) -> None:
    response = client.get(path + "?format=jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    assert "Accept" in response["Vary"]
    node = expanded(json.loads(response.content))
    assert node["@id"] == BASE + path
    assert node["@type"] == [SCHEMA + kind]
    assert node[SCHEMA + "url"] == [{"@id": BASE + path}]


@pytest.mark.parametrize(("path", "kind"), RECORDS)
def test_accept_header_gets_the_same_document_as_the_page_embeds(
    client: Client, path: str, kind: str
) -> None:
    negotiated = client.get(path, HTTP_ACCEPT="application/ld+json")
    assert negotiated["Content-Type"].startswith("application/ld+json")
    page = client.get(path, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    embedded = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert embedded
    assert json.loads(embedded.group(1)) == json.loads(negotiated.content)
    assert f'<link rel="canonical" href="{BASE}{path}">' in html


def test_document_description(client: Client) -> None:
    node = expanded(client.get(f"/documents/{MEMCON}/?format=jsonld").json())
    holder = node[SCHEMA + "holdingArchive"][0]
    assert holder["@id"] == f"{BASE}/repositories/rgani/"
    assert node[SCHEMA + "itemLocation"] == [{"@value": "RGANI, f. 52, op. 1, d. 596, ll. 61-66"}]
    assert node[SCHEMA + "isPartOf"][0]["@id"] == f"{BASE}/collections/rgani-f52-op1-d596/"
    contributors = {c["@id"] for c in node[SCHEMA + "contributor"]}
    assert f"{BASE}/people/{KHRUSHCHEV}/" in contributors
    assert node[SCHEMA + "translator"][0]["@id"] == f"{BASE}/people/smith-allison/"
    assert {"@id": "https://digitalarchive.wilsoncenter.org/document/208807"} in node[
        SCHEMA + "sameAs"
    ]
    assert node[SCHEMA + "dateCreated"] == [{"@value": "1956-10-18"}]


def test_agent_same_as_links_to_authority_files(client: Client) -> None:
    agent = Agent.objects.get(identifier=KHRUSHCHEV)
    AuthorityIdentifier.objects.create(
        agent=agent, scheme=IdentifierScheme.objects.get(code="wikidata"), value="Q35314"
    )
    AuthorityIdentifier.objects.create(
        agent=agent, scheme=IdentifierScheme.objects.get(code="viaf"), value="59083484"
    )
    node = expanded(client.get(f"/people/{KHRUSHCHEV}/?format=jsonld").json())
    assert {s["@id"] for s in node[SCHEMA + "sameAs"]} == {
        "https://www.wikidata.org/wiki/Q35314",
        "https://viaf.org/viaf/59083484",
    }
    names = node[SCHEMA + "alternateName"]
    assert {"@value": "Никита Хрущёв", "@language": "ru"} in names
    roles = node[SCHEMA + "memberOf"]
    assert any(r[SCHEMA + "roleName"] == [{"@value": "Plenipotentiary"}] for r in roles)


def test_publication_cites_public_records(client: Client) -> None:
    node = expanded(client.get(f"/documents/publications/{SAITO}/?format=jsonld").json())
    cited = {c["@id"] for c in node[SCHEMA + "citation"]}
    assert f"{BASE}/documents/{MEMCON}/" in cited
    assert node[SCHEMA + "author"][0]["@id"] == f"{BASE}/people/saito-motohide/"


def test_unknown_format_is_refused_naming_the_parameter(client: Client) -> None:
    response = client.get(f"/documents/{MEMCON}/?format=xml")
    assert response.status_code == 400
    assert response.content.decode().startswith("format: unknown format “xml”")


def test_unpublished_collection_is_404_in_jsonld_too(client: Client) -> None:
    unit = Collection.objects.get(identifier="rgani-f52-op1")
    unit.status = "draft"
    unit.save()
    for accept in ("application/ld+json", "text/html"):
        assert client.get("/collections/rgani-f52-op1/", HTTP_ACCEPT=accept).status_code == 404
    # and the unit it contains no longer names it as its parent
    child = client.get("/collections/rgani-f52-op1-d596/?format=jsonld").json()
    assert "isPartOf" not in child
    parent = client.get("/collections/rgani-f52/?format=jsonld").json()
    assert "hasPart" not in parent


def test_hidden_agents_are_left_out_of_a_document(client: Client) -> None:
    agent = Agent.objects.get(identifier="smith-allison")
    agent.restricted = True
    agent.save()
    data = client.get(f"/documents/{MEMCON}/?format=jsonld").json()
    assert "smith-allison" not in json.dumps(data)
