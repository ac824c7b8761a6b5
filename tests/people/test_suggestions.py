"""The admin suggests agents whose names a document's text mentions, and links them on click."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from archive.models import Language
from documents.models import Document, DocumentText, DocumentType
from people.models import Agent, AgentRole, NameForm
from people.suggestions import candidate_names, suggest_agents

pytestmark = pytest.mark.django_db


def test_candidates_cover_word_runs_and_japanese_without_spaces() -> None:
    candidates = candidate_names("Nikita Khrushchev met 河野一郎と鳩山")
    assert {"nikita khrushchev", "khrushchev", "河野一郎", "河野", "鳩山"} <= candidates


@pytest.fixture
def named_document() -> Document:
    en, ja = (Language.objects.get_or_create(code=c, defaults={"name": c})[0] for c in ("en", "ja"))
    kind = DocumentType.objects.create(code="t-sg", name="memo")
    doc = Document.objects.create(identifier="t-sg-doc", title="Talks", document_type=kind)
    DocumentText.objects.create(
        document=doc,
        key="en",
        kind="transcript",
        language=en,
        body="Kono. We accept.\nKhrushchov. Very good. 河野一郎と話した。",
    )
    people = {
        "t-sg-kono": (
            "Ichiro Kono",
            [("河野一郎", ja, "河野", "一郎"), ("Ichiro Kono", en, "Kono", "Ichiro")],
        ),
        "t-sg-khrushchev": ("Nikita Khrushchev", [("Khrushchov", en, "", "")]),
        "t-sg-other": ("Someone Else", [("Someone Else", en, "Else", "Someone")]),
    }
    for identifier, (name, forms) in people.items():
        agent = Agent.objects.create(identifier=identifier, kind="person", name=name)
        for form, language, family, given in forms:
            NameForm.objects.create(
                agent=agent,
                name=form,
                language=language,
                script="Latn",
                kind="variant",
                family_name=family,
                given_name=given,
            )
    return doc


def test_suggests_named_agents_once_each(named_document: Document) -> None:
    found = {
        s.agent.identifier: s.matched
        for s in suggest_agents(named_document)
        if s.agent.identifier.startswith("t-sg-")  # the founding collection has a Kono too
    }
    assert set(found) == {"t-sg-kono", "t-sg-khrushchev"}
    assert set(found["t-sg-kono"]) == {"河野一郎", "Kono"}
    assert found["t-sg-khrushchev"] == ["Khrushchov"]


def test_one_click_links_the_agent_and_the_suggestion_goes_away(named_document: Document) -> None:
    client = Client()
    client.force_login(User.objects.create_superuser("t-sg-admin", "a@example.org", "pw"))
    url = f"/admin/documents/document/{named_document.pk}/change/"
    page = client.get(url).content.decode()
    kono = Agent.objects.get(identifier="t-sg-kono")
    assert f'name="agent" value="{kono.pk}"' in page
    response = client.post(url.replace("change/", "link-agent/"), {"agent": kono.pk})
    assert response.status_code == 302
    assert AgentRole.objects.filter(document=named_document, agent=kono, role="mentioned").exists()
    assert "t-sg-kono" not in {s.agent.identifier for s in suggest_agents(named_document)}


@pytest.mark.parametrize(("path", "agent"), [("{pk}", "Kono"), ("{pk}", ""), ("abc", "1")])
def test_a_malformed_click_is_refused_not_an_error(
    named_document: Document, path: str, agent: str
) -> None:
    client = Client()
    client.force_login(User.objects.create_superuser("t-sg-admin", "a@example.org", "pw"))
    url = f"/admin/documents/document/{path.format(pk=named_document.pk)}/link-agent/"
    response = client.post(url, {"agent": agent}, follow=True)
    assert response.status_code == 200
    assert not AgentRole.objects.filter(document=named_document, role="mentioned").exists()
