"""The network of people: the relation graph and the shortest connection between two agents.

On the founding collection: Hatoyama and Khrushchev never have a recorded relation, but both have
roles in documents of the 1956 negotiations; Hatoyama is Yoshida's rival.
"""

import re
from datetime import date

import pytest
from django.test import Client

from archive.models import PublicationStatus
from documents.models import Document
from people.models import Agent, AgentRelation, AgentRelationType, AgentRole
from people.network import MAX_NODES, WIDTH, connection, layout, network
from people.network_views import LABEL_ROOM

pytestmark = pytest.mark.django_db


def agent(identifier: str) -> Agent:
    return Agent.objects.get(identifier=identifier)


def test_the_graph_holds_every_public_relation_between_public_agents() -> None:
    graph = network()
    public = AgentRelation.objects.filter(AgentRelation.public_q())
    assert len(graph.edges) == public.count() or graph.truncated
    drawn = {edge.relation.pk for edge in graph.edges}
    hidden = AgentRelation.objects.exclude(pk__in=public.values("pk"))
    assert hidden.exists()  # the founding collection has a draft and an in-review relation
    assert drawn.isdisjoint(hidden.values_list("pk", flat=True))
    for edge in graph.edges:
        assert all(document.is_public for document in edge.documents)
    assert set(graph.positions) == set(graph.agents)


def test_relation_type_and_period_filters() -> None:
    some = AgentRelation.objects.filter(AgentRelation.public_q()).first()
    graph = network([some.relation_type.code])
    assert graph.edges
    assert {e.relation.relation_type.code for e in graph.edges} == {some.relation_type.code}

    graph = network(date_from=date(1956, 1, 1), date_to=date(1956, 12, 31))
    for edge in graph.edges:
        relation = edge.relation
        assert relation.date_start is not None or relation.date_end is not None
        assert relation.date_end is None or relation.date_end >= date(1956, 1, 1)
        assert relation.date_start is None or relation.date_start <= date(1956, 12, 31)


def test_layout_is_deterministic_and_on_the_canvas() -> None:
    nodes, links = [1, 2, 3, 4], [(1, 2), (2, 3), (3, 4)]
    first = layout(nodes, links)
    assert first == layout(nodes, links)
    assert all(0 <= x <= 960 and 0 <= y <= 640 for x, y in first.values())


def test_a_big_network_is_cut_to_the_best_connected() -> None:
    assert MAX_NODES >= 50
    graph = network()
    assert len(graph.agents) <= MAX_NODES


def test_shared_documents_connect_people_without_a_relation() -> None:
    steps = connection(agent("hatoyama-ichiro"), agent("khrushchev-nikita"))
    assert steps is not None
    assert steps[0].source.identifier == "hatoyama-ichiro"
    assert steps[-1].target.identifier == "khrushchev-nikita"
    for step in steps:
        assert step.documents
        if step.relation is None:  # both have a role in each document named
            for document in step.documents:
                roles = set(document.agent_roles.values_list("agent_id", flat=True))
                assert {step.source.pk, step.target.pk} <= roles


def test_a_relation_is_preferred_to_a_shared_document() -> None:
    a, b = agent("hatoyama-ichiro"), agent("yoshida-shigeru")
    [step] = connection(a, b)
    assert step.relation is not None
    assert step.relation.relation_type.label


def test_no_connection_through_unpublished_records() -> None:
    lonely = Agent.objects.create(
        identifier="t-nw-lonely", kind="person", name="Lonely", status=PublicationStatus.PUBLISHED
    )
    hidden = Agent.objects.create(
        identifier="t-nw-hidden", kind="person", name="Hidden", status=PublicationStatus.DRAFT
    )
    kind = AgentRelationType.objects.first()
    AgentRelation.objects.create(
        source=lonely, target=hidden, relation_type=kind, status=PublicationStatus.PUBLISHED
    )
    AgentRelation.objects.create(
        source=hidden,
        target=agent("hatoyama-ichiro"),
        relation_type=kind,
        status=PublicationStatus.PUBLISHED,
    )
    draft = Document.objects.exclude(Document.public_q()).first()
    AgentRole.objects.create(document=draft, agent=lonely, role="mentioned")
    assert connection(lonely, agent("hatoyama-ichiro")) is None


def test_pages_and_api(client: Client) -> None:
    page = client.get("/people/network/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html
    assert 'href="/people/hatoyama-ichiro/"' in html
    found = client.get(
        "/people/network/connection/", {"source": "Ichiro Hatoyama", "target": "Никита Хрущёв"}
    )
    assert found.status_code == 200
    assert "Connected in" in found.content.decode()
    body = client.get(
        "/api/v1/network/connection/", {"source": "hatoyama-ichiro", "target": "khrushchev-nikita"}
    ).json()
    assert body["found"] is True
    assert body["steps"][0]["source"]["url"] == "http://testserver/people/hatoyama-ichiro/"
    graph = client.get("/api/v1/network/", {"date_from": "1956-01-01"}).json()
    assert graph["relations"]
    assert all("documents" in r for r in graph["relations"])


def test_names_near_the_right_edge_are_drawn_left_of_their_dots(client: Client) -> None:
    html = client.get("/people/network/").content.decode()
    labels = re.findall(r'<text x="([\d.]+)" y="[\d.]+" (dx="[^"]+"(?: text-anchor="end")?)', html)
    leftward = [float(x) for x, attributes in labels if 'text-anchor="end"' in attributes]
    rightward = [float(x) for x, attributes in labels if 'text-anchor="end"' not in attributes]
    assert leftward
    assert rightward
    assert min(leftward) > WIDTH - LABEL_ROOM >= max(rightward)


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/api/v1/network/", {"date_from": "1957", "date_to": "1950"}, "date_to"),
        ("/api/v1/network/", {"date_from": "last year"}, "date_from"),
        ("/api/v1/network/", {"relation_type": "no-such-type"}, "relation_type"),
        ("/api/v1/network/connection/", {"source": "nobody at all", "target": "x"}, "source"),
        ("/api/v1/network/connection/", {"source": "hatoyama-ichiro"}, "target"),
    ],
)
def test_bad_parameters_are_refused_by_name(
    client: Client, url: str, params: dict, field: str
) -> None:
    response = client.get(url, params)
    assert response.status_code == 400
    assert field in response.json()
    page = client.get(url.replace("/api/v1/", "/people/"), params)
    assert page.status_code == 400


def test_the_page_marks_the_field_in_error(client: Client) -> None:
    html = client.get("/people/network/", {"date_from": "19x6"}).content.decode()
    assert re.search(r'<div class="error" id="network-errors" role="alert">.*From: ', html)
    [date_from] = re.findall(r'<input [^>]*name="date_from"[^>]*>', html)
    assert 'aria-invalid="true" aria-describedby="network-errors"' in date_from
    [date_to] = re.findall(r'<input [^>]*name="date_to"[^>]*>', html)
    assert "aria-invalid" not in date_to


def test_an_ambiguous_name_lists_the_candidates(client: Client) -> None:
    for identifier in ("t-nw-twin-1", "t-nw-twin-2"):
        Agent.objects.create(
            identifier=identifier, kind="person", name="Test Twin", status="published"
        )
    body = client.get(
        "/api/v1/network/connection/", {"source": "test twin", "target": "hatoyama-ichiro"}
    )
    assert body.status_code == 400
    [message] = body.json()["source"]
    assert "t-nw-twin-1" in message
    assert "t-nw-twin-2" in message


def test_errors_name_the_field_in_the_readers_language(client: Client) -> None:
    params = {"date_from": "1957", "date_to": "1956"}
    html = client.get("/people/network/", params, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "終了: 期間の終わりが始まりより前です。" in html
    found = client.get(
        "/people/network/connection/",
        {"source": "Ichiro Hatoyama", "target": "Nobody Atall"},
        HTTP_ACCEPT_LANGUAGE="ja",
    ).content.decode()
    assert "終了: 「Nobody Atall」という名の公開された人物・組織はありません。" in found
