"""The partner API's events: list and detail, filters, visibility, query counts."""

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from documents.filters import EventFilterSet
from tests.events.conftest import Scene, add_events


def get_json(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.content
    return json.loads(response.content)


def identifiers(body: dict) -> list[str]:
    return [row["identifier"] for row in body["results"]]


def test_event_detail(client: Client, scene: Scene) -> None:
    body = get_json(client, "/api/v1/events/t-ev-session/")
    assert body["title"] == "Zq first session"
    assert body["kind"] == "round"
    assert body["date"]["start"] == body["date"]["end"] == "1957-01-10"
    assert (body["time_start"], body["time_end"]) == ("10:00", "12:30")
    assert body["place"]["identifier"] == "t-ev-city"
    assert body["part_of"]["identifier"] == "t-ev-talks"
    assert body["html_url"].endswith("/events/t-ev-session/")
    assert body["participants"] == [
        {
            "role": "head",
            "agent": {
                "identifier": "t-ev-envoy",
                "name": "Zq Envoy",
                "url": "http://testserver/api/v1/agents/t-ev-envoy/",
            },
            "side": {
                "identifier": "t-ev-japan",
                "name": "Zq Japan",
                "url": "http://testserver/api/v1/agents/t-ev-japan/",
            },
            "note": "",
        }
    ]
    assert [d["document"]["identifier"] for d in body["documents"]] == ["t-ev-memo"]
    assert body["documents"][0]["relation"] == "record"
    assert body["documents"][0]["side"]["identifier"] == "t-ev-ussr"


def test_unpublished_event_is_404_for_the_public_and_visible_to_staff(
    client: Client, scene: Scene
) -> None:
    get_json(client, "/api/v1/events/t-ev-draft/", status=404)
    get_json(client, "/api/v1/events/t-ev-nothing/", status=404)
    assert "t-ev-draft" not in identifiers(get_json(client, "/api/v1/events/?year=1957"))
    client.force_login(User.objects.create_user("t-ev-staff", is_staff=True))
    body = get_json(client, "/api/v1/events/t-ev-session/")
    assert {p["agent"]["identifier"] for p in body["participants"]} == {
        "t-ev-envoy",
        "t-ev-hidden",
    }
    get_json(client, "/api/v1/events/t-ev-draft/")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=round", ["t-ev-session"]),
        ("kind=negotiation,round", ["t-ev-talks", "t-ev-session"]),
        ("place=t-ev-city", ["t-ev-talks", "t-ev-session"]),
        ("agent=t-ev-envoy", ["t-ev-session"]),
        ("agent=t-ev-envoy&role=host", []),
        ("role=head", ["t-ev-session"]),
        ("agent=t-ev-hidden", []),  # a hidden agent's identifier finds nothing
        ("parent=t-ev-talks", ["t-ev-session"]),
        ("date_from=1957-01-11", ["t-ev-talks"]),
        ("date_to=1957-01-10", ["t-ev-talks", "t-ev-session"]),
        ("year=1957", ["t-ev-talks", "t-ev-session"]),
        ("q=first session", ["t-ev-session"]),
        ("ordering=-date", ["t-ev-session", "t-ev-talks"]),
        ("ordering=title", ["t-ev-session", "t-ev-talks"]),
        ("ordering=identifier", ["t-ev-session", "t-ev-talks"]),
    ],
)
def test_filters(client: Client, scene: Scene, query: str, expected: list[str]) -> None:
    body = get_json(client, f"/api/v1/events/?year=1957&{query}")
    assert identifiers(body) == expected


def test_every_filter_is_tested() -> None:
    tested = {"kind", "place", "agent", "role", "parent", "date_from", "date_to", "year", "q"}
    assert set(EventFilterSet.base_filters) - {"ordering"} == tested


@pytest.mark.parametrize(
    ("query", "field"),
    [("kind=banquet", "kind"), ("date_from=soon", "date_from"), ("kinds=round", "kinds")],
)
def test_bad_parameters_are_400_naming_them(
    client: Client, scene: Scene, query: str, field: str
) -> None:
    body = get_json(client, f"/api/v1/events/?{query}", status=400)
    assert field in body["errors"]


def test_facets(client: Client, scene: Scene) -> None:
    body = get_json(client, "/api/v1/events/?year=1957&facets=kind,place")
    kinds = {row["value"]: row["count"] for row in body["facets"]["kind"]}
    assert kinds == {"negotiation": 1, "round": 1}


def test_list_query_count_is_the_same_at_two_page_sizes(client: Client, scene: Scene) -> None:
    add_events(scene, 25)
    url = "/api/v1/events/?year=1957"
    with CaptureQueriesContext(connection) as small:
        assert len(get_json(client, url + "&page_size=3")["results"]) == 3
    with CaptureQueriesContext(connection) as large:
        assert len(get_json(client, url + "&page_size=25")["results"]) == 25
    sql = "\n".join(q["sql"] for q in large.captured_queries)
    assert len(small) == len(large), sql
    # the catalogue's version, the page's keys, events with place and parent, participants,
    # documents
    assert len(large) == 5, sql
