"""The public events pages and a person's chronology: content, visibility, query counts."""

from typing import Any

from django.test import Client

from documents.chronology import agent_chronology, timeline_entries
from tests.events.conftest import Scene, add_events


def test_event_page_shows_public_participants_and_documents(client: Client, scene: Scene) -> None:
    response = client.get("/events/t-ev-session/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Zq first session" in page
    assert "10:00–12:30" in page
    assert "Zq Palace" in page
    assert "Zq Envoy" in page and "head of delegation" in page  # noqa: PT018
    assert "Zq Japan" in page  # the side represented
    assert "Zq memo of the session" in page
    assert 'href="/events/t-ev-talks/"' in page  # the negotiation it is part of
    # unpublished agents and documents never appear
    assert "Zq Hidden Person" not in page
    assert "Zq secret memo" not in page


def test_negotiation_page_lists_its_public_sessions(client: Client, scene: Scene) -> None:
    page = client.get("/events/t-ev-talks/").content.decode()
    assert 'href="/events/t-ev-session/"' in page


def test_unpublished_event_answers_like_a_missing_one(client: Client, scene: Scene) -> None:
    hidden = client.get("/events/t-ev-draft/")
    missing = client.get("/events/t-ev-no-such-event/")
    assert hidden.status_code == missing.status_code == 404
    assert "Zq unpublished meeting" not in client.get("/events/?year=1957").content.decode()


def test_event_list_by_year_in_date_order(client: Client, scene: Scene) -> None:
    response = client.get("/events/?year=1957")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h2 id="year-1957">1957</h2>' in page
    assert page.index("Zq talks") < page.index("Zq first session")


def test_event_list_refuses_bad_filters_naming_them(client: Client, scene: Scene) -> None:
    response = client.get("/events/?kind=banquet")
    assert response.status_code == 400
    assert "kind" in response.content.decode()
    assert "banquet" in response.content.decode()


def test_event_list_filters_by_agent(client: Client, scene: Scene) -> None:
    page = client.get("/events/?agent=t-ev-envoy").content.decode()
    assert "Zq first session" in page
    assert "Zq talks" not in page
    # a hidden agent's identifier finds nothing
    assert "Zq first session" not in client.get("/events/?agent=t-ev-hidden").content.decode()


def test_person_chronology_merges_events_and_documents(client: Client, scene: Scene) -> None:
    from people.models import AgentRole

    AgentRole.objects.create(document=scene.memo, agent=scene.envoy, role="author")
    AgentRole.objects.create(document=scene.hidden_memo, agent=scene.envoy, role="author")
    response = client.get("/people/t-ev-envoy/chronology/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Zq first session" in page and "head of delegation" in page  # noqa: PT018
    assert "Zq memo of the session" in page and "author" in page  # noqa: PT018
    assert "Zq unpublished meeting" not in page
    assert "Zq secret memo" not in page
    entries = agent_chronology(scene.envoy)
    # on the same day the event comes before the document about it
    assert [entry.kind for entry in entries] == ["event", "document"]


def test_chronology_of_an_unpublished_agent_is_a_404(client: Client, scene: Scene) -> None:
    assert client.get("/people/t-ev-hidden/chronology/").status_code == 404
    assert client.get("/people/t-ev-nobody/chronology/").status_code == 404


def test_timeline_entries_are_public_and_dated(scene: Scene) -> None:
    entries = timeline_entries(1957)
    identifiers = [entry.record.identifier for entry in entries]
    assert identifiers == ["t-ev-talks", "t-ev-session", "t-ev-memo"]
    assert entries[1].time_display == "10:00–12:30"
    assert entries[2].type_label == "memo"


def test_list_and_chronology_query_counts_do_not_grow(
    client: Client, scene: Scene, django_assert_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    add_events(scene, 3)
    with CaptureQueriesContext(connection) as few:
        client.get("/events/?year=1957")
    with CaptureQueriesContext(connection) as few_chronology:
        client.get("/people/t-ev-envoy/chronology/")
    with CaptureQueriesContext(connection) as few_detail:
        client.get("/events/t-ev-talks/")
    add_events(scene, 20, prefix="t-ev-more")
    with django_assert_num_queries(len(few)):
        assert client.get("/events/?year=1957").content.decode().count("Zq bulk session") == 23
    with django_assert_num_queries(len(few_chronology)):
        client.get("/people/t-ev-envoy/chronology/")
    with django_assert_num_queries(len(few_detail)):
        client.get("/events/t-ev-talks/")
    with CaptureQueriesContext(connection) as timeline:
        assert len(timeline_entries(1957)) == 26
    assert len(timeline) == 3  # events, documents, their languages
