"""EAC-CPF export of agents: valid, every name form, public relations only, bounded queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from lxml import etree

from archive.models import IdentifierScheme, Language, PublicationStatus
from documents.models import Document, DocumentType
from people.models import (
    Agent,
    AgentRelation,
    AgentRelationType,
    AgentRole,
    AuthorityIdentifier,
    NameForm,
    Position,
)
from tests.interchange.conftest import EAC, XLINK, XML_LANG, Schemas

PUBLISHED = {"status": PublicationStatus.PUBLISHED}


def export(identifier: str) -> etree._Element:
    response = Client().get(f"/people/{identifier}/eac.xml")
    assert response.status_code == 200, response.content[:300]
    return etree.fromstring(response.content)


@pytest.fixture
def agents(db: None) -> dict[str, Any]:
    """A public person with name forms, an office, relations and roles, public and not."""
    person = Agent.objects.create(
        identifier="t-eac-person",
        kind="person",
        name="Taro Test",
        date_edtf="1894/1971-09-11",
        biography="Born in Tokyo.\n\nDied in Moscow.",
        functions="diplomat; negotiator",
        sources="Saito, ch. 1; NDL exhibition 3",
        **PUBLISHED,
    )
    ja, _ = Language.objects.get_or_create(code="ja", defaults={"name": "Japanese"})
    en, _ = Language.objects.get_or_create(code="en", defaults={"name": "English"})
    NameForm.objects.create(
        agent=person, name="Taro Test", language=en, script="Latn", kind="authorized"
    )
    NameForm.objects.create(
        agent=person,
        name="試験太郎",
        language=ja,
        script="Jpan",
        kind="original",
        family_name="試験",
        given_name="太郎",
        name_order="family-first",
    )
    ministry = Agent.objects.create(
        identifier="t-eac-ministry", kind="organization", name="Test Ministry", **PUBLISHED
    )
    secret_org = Agent.objects.create(
        identifier="t-eac-secret-org", kind="organization", name="Secret Bureau"
    )
    Position.objects.create(
        agent=person, title="Minister", organization=ministry, date_edtf="1955/1956"
    )
    Position.objects.create(agent=person, title="Agent", organization=secret_org)
    friend = Agent.objects.create(
        identifier="t-eac-friend", kind="person", name="Friend Person", **PUBLISHED
    )
    hidden = Agent.objects.create(identifier="t-eac-hidden", kind="person", name="Hidden Person")
    adviser, _ = AgentRelationType.objects.get_or_create(
        code="t-eac-adviser",
        defaults={"label": "adviser to", "inverse_label": "advised by", "category": "associative"},
    )
    superior, _ = AgentRelationType.objects.get_or_create(
        code="t-eac-superior",
        defaults={
            "label": "superior of",
            "inverse_label": "subordinate of",
            "category": "hierarchical",
        },
    )
    AgentRelation.objects.create(
        source=person, relation_type=adviser, target=friend, date_edtf="1956", **PUBLISHED
    )
    AgentRelation.objects.create(
        source=ministry, relation_type=superior, target=person, **PUBLISHED
    )
    AgentRelation.objects.create(source=person, relation_type=adviser, target=hidden, **PUBLISHED)
    AgentRelation.objects.create(source=friend, relation_type=superior, target=person)  # draft
    doc_type, _ = DocumentType.objects.get_or_create(
        code="t-eac-letter", defaults={"name": "letter"}
    )
    letter = Document.objects.create(
        identifier="t-eac-letter",
        title="Letter by Taro",
        document_type=doc_type,
        date_edtf="1956-10-19",
        **PUBLISHED,
    )
    mention = Document.objects.create(
        identifier="t-eac-mention", title="Report on Taro", document_type=doc_type, **PUBLISHED
    )
    draft = Document.objects.create(
        identifier="t-eac-draft-doc", title="Draft memo", document_type=doc_type
    )
    AgentRole.objects.create(document=letter, agent=person, role="author")
    AgentRole.objects.create(document=mention, agent=person, role="mentioned")
    AgentRole.objects.create(document=draft, agent=person, role="author")
    scheme, _ = IdentifierScheme.objects.get_or_create(
        code="t-eac-wikidata",
        defaults={
            "name": "Wikidata (test)",
            "url_template": "https://www.wikidata.org/wiki/{value}",
        },
    )
    AuthorityIdentifier.objects.create(agent=person, scheme=scheme, value="Q999999001")
    return {"person": person, "friend": friend, "hidden": hidden, "doc_type": doc_type}


def test_every_founding_agent_exports_valid_eac_cpf(db: None, schemas: Schemas) -> None:
    identifiers = list(Agent.objects.public().values_list("identifier", flat=True))
    assert len(identifiers) > 100
    client = Client()
    for identifier in identifiers:
        response = client.get(f"/people/{identifier}/eac.xml")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/xml; charset=utf-8"
        assert response["Content-Disposition"] == f'attachment; filename="{identifier}-eac.xml"'
        schemas.eac.validate(etree.fromstring(response.content))


def test_khrushchev_has_his_cyrillic_and_latin_names(db: None) -> None:
    eac = export("khrushchev-nikita")
    entries = eac.findall(f"{EAC}cpfDescription/{EAC}identity/{EAC}nameEntry")
    forms = {
        ("".join(part.text for part in entry.findall(f"{EAC}part")), entry.get(XML_LANG)): entry
        for entry in entries
    }
    cyrillic = forms[("ХрущёвНикита", "ru")]
    assert cyrillic.get("scriptCode") == "Cyrl"
    assert cyrillic.find(f"{EAC}alternativeForm") is not None
    latin = entries[0]  # the heading comes first
    assert latin.get("scriptCode") == "Latn"
    assert [p.get("localType") for p in latin.findall(f"{EAC}part")] == ["familyName", "givenName"]
    assert [p.text for p in latin.findall(f"{EAC}part")] == ["Khrushchev", "Nikita"]
    assert latin.find(f"{EAC}authorizedForm").text == "local"
    assert ("Khrushchov", "en") in forms
    assert forms[("Nikita Khrushchëv", "ru")].get("transliteration") == "ala-lc"
    assert eac.findtext(f"{EAC}cpfDescription/{EAC}identity/{EAC}entityType") == "person"
    relations = eac.find(f"{EAC}cpfDescription/{EAC}relations")
    documents = relations.findall(f"{EAC}resourceRelation")
    assert any(
        link.get(f"{XLINK}href").endswith("/documents/memcon-khrushchev-kono-1956-10-18/")
        for link in documents
    )


def test_identity_description_and_control(agents: dict[str, Any], schemas: Schemas) -> None:
    eac = export("t-eac-person")
    schemas.eac.validate(eac)
    control = eac.find(f"{EAC}control")
    assert control.findtext(f"{EAC}recordId") == "t-eac-person"
    other = control.find(f"{EAC}otherRecordId")
    assert (other.text, other.get("localType")) == ("Q999999001", "t-eac-wikidata")
    events = control.findall(f"{EAC}maintenanceHistory/{EAC}maintenanceEvent")
    assert events[0].findtext(f"{EAC}eventType") == "created"
    assert [s.text for s in control.iter(f"{EAC}sourceEntry")] == [
        "Saito, ch. 1",
        "NDL exhibition 3",
    ]
    identity = eac.find(f"{EAC}cpfDescription/{EAC}identity")
    assert identity.findtext(f"{EAC}entityId") == "https://www.wikidata.org/wiki/Q999999001"
    japanese = identity.findall(f"{EAC}nameEntry")[1]
    assert japanese.get(XML_LANG) == "ja"
    assert japanese.get("scriptCode") == "Jpan"
    assert [p.text for p in japanese.findall(f"{EAC}part")] == ["試験", "太郎"]
    description = eac.find(f"{EAC}cpfDescription/{EAC}description")
    dates = description.find(f"{EAC}existDates/{EAC}dateRange")
    assert dates.find(f"{EAC}fromDate").get("standardDate") == "1894"
    assert dates.find(f"{EAC}toDate").get("standardDate") == "1971-09-11"
    functions = description.findall(f"{EAC}functions/{EAC}function/{EAC}term")
    assert [t.text for t in functions] == ["diplomat", "negotiator"]
    occupations = {
        o.findtext(f"{EAC}term"): o
        for o in description.findall(f"{EAC}occupations/{EAC}occupation")
    }
    minister, spy = occupations["Minister"], occupations["Agent"]
    assert minister.find(f"{EAC}dateRange/{EAC}fromDate").get("standardDate") == "1955"
    assert minister.findtext(f"{EAC}descriptiveNote/{EAC}p") == "Test Ministry"
    assert spy.find(f"{EAC}descriptiveNote") is None  # the draft organization is not named
    assert [p.text for p in description.findall(f"{EAC}biogHist/{EAC}p")] == [
        "Born in Tokyo.",
        "Died in Moscow.",
    ]


def test_relations_are_public_only(agents: dict[str, Any]) -> None:
    eac = export("t-eac-person")
    relations = eac.find(f"{EAC}cpfDescription/{EAC}relations")
    agents_related = {
        r.findtext(f"{EAC}relationEntry"): r for r in relations.findall(f"{EAC}cpfRelation")
    }
    assert set(agents_related) == {"Friend Person", "Test Ministry"}
    friend = agents_related["Friend Person"]
    assert friend.get("cpfRelationType") == "associative"
    assert friend.get(f"{XLINK}href") == "https://archive.example.org/people/t-eac-friend/"
    assert friend.find(f"{EAC}date").get("standardDate") == "1956"
    assert friend.findtext(f"{EAC}descriptiveNote/{EAC}p") == "adviser to"
    ministry = agents_related["Test Ministry"]
    assert ministry.get("cpfRelationType") == "hierarchical"
    assert ministry.findtext(f"{EAC}descriptiveNote/{EAC}p") == "subordinate of"
    resources = {
        r.findtext(f"{EAC}relationEntry"): r.get("resourceRelationType")
        for r in relations.findall(f"{EAC}resourceRelation")
    }
    assert resources == {"Letter by Taro": "creatorOf", "Report on Taro": "subjectOf"}
    text = etree.tostring(eac, encoding="unicode")
    for hidden in ["Hidden Person", "Draft memo", "Secret Bureau"]:
        assert hidden not in text


def test_unpublished_agents_answer_404(agents: dict[str, Any]) -> None:
    client = Client()
    assert client.get("/people/t-eac-hidden/eac.xml").status_code == 404
    Agent.objects.filter(pk=agents["friend"].pk).update(restricted=True)
    assert client.get("/people/t-eac-friend/eac.xml").status_code == 404
    assert client.get("/people/nobody-at-all/eac.xml").status_code == 404


def test_query_count_does_not_grow_with_relations(agents: dict[str, Any]) -> None:
    client = Client()

    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/people/t-eac-person/eac.xml").status_code == 200
        return len(captured), "\n\n".join(q["sql"] for q in captured.captured_queries)

    small, _ = count()
    person = agents["person"]
    relation_type = AgentRelationType.objects.get(code="t-eac-adviser")
    for number in range(8):
        other = Agent.objects.create(
            identifier=f"t-eac-more-{number}", kind="person", name=f"More {number}", **PUBLISHED
        )
        AgentRelation.objects.create(
            source=other, relation_type=relation_type, target=person, **PUBLISHED
        )
        document = Document.objects.create(
            identifier=f"t-eac-doc-{number}",
            title=f"Doc {number}",
            document_type=agents["doc_type"],
            **PUBLISHED,
        )
        AgentRole.objects.create(document=document, agent=person, role="recipient")
        Position.objects.create(agent=person, title=f"Office {number}", organization=other)
    large, sql = count()
    assert large == small, sql
    assert large == 10, sql  # agent, eight prefetches, history
