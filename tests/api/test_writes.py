"""Curators' writes: the admin's permissions and validation, one history entry per write, and
no lost update (ETag on read, If-Match required on write, 428 when missing, 412 when stale)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from archive.models import PartnerKey
from documents.models import Document
from people.models import Agent, AgentRelation
from tests.api.conftest import Curators, World

DOCS = "/api/v1/documents/"
AGENTS = "/api/v1/agents/"


def send(client: Client, method: str, url: str, body: Any = None, **headers: str) -> Any:
    kwargs: dict[str, Any] = {"content_type": "application/json", **headers}
    if body is not None:
        kwargs["data"] = json.dumps(body)
    return getattr(client, method.lower())(url, **kwargs)


def new_document(**fields: Any) -> dict[str, Any]:
    return {
        "identifier": "t-api-new-doc",
        "title": "A new letter",
        "form": "t-api-letter",
        "date_edtf": "1956-10-19",
        "languages": ["ja"],
        "collection": "t-api-series",
        "subjects": ["t-api-sub-a"],
        **fields,
    }


def history_count(record: Any) -> int:
    return type(record).history.filter(id=record.pk).count()


# -- who may write ----------------------------------------------------------------------------


def test_anonymous_write_is_refused_with_401(client: Client, world: World) -> None:
    response = send(client, "POST", DOCS, new_document())
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert not Document.objects.filter(identifier="t-api-new-doc").exists()


def test_partner_key_cannot_write(client: Client, world: World) -> None:
    _, raw = PartnerKey.objects.issue(name="Aggregator", contact="a@example.org")
    response = send(client, "POST", DOCS, new_document(), HTTP_X_API_KEY=raw)
    assert response.status_code == 403
    assert "read only" in response.json()["detail"]
    assert not Document.objects.filter(identifier="t-api-new-doc").exists()


@pytest.mark.parametrize("who", ["staff_without_group", "not_staff"])
def test_users_without_the_admin_rights_cannot_write(
    client: Client, world: World, curators: Curators, who: str
) -> None:
    response = send(client, "POST", DOCS, new_document(), **getattr(curators, who))
    assert response.status_code == 403
    assert not Document.objects.filter(identifier="t-api-new-doc").exists()


def test_contributor_creates_a_draft_with_one_history_entry(
    client: Client, world: World, curators: Curators
) -> None:
    response = send(client, "POST", DOCS, new_document(), **curators.contributor)
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"] == body["url"]
    assert type(response["Location"]) is str  # WSGI servers refuse str subclasses
    assert body["identifier"] == "t-api-new-doc"
    assert body["form"]["code"] == "t-api-letter"
    assert body["collection"]["identifier"] == "t-api-series"
    assert [s["identifier"] for s in body["subjects"]] == ["t-api-sub-a"]
    assert [lang["code"] for lang in body["languages"]] == ["ja"]
    document = Document.objects.get(identifier="t-api-new-doc")
    assert document.status == "draft"
    assert response["ETag"].startswith(f'"{document.version}-')
    entries = list(document.history.all())
    assert len(entries) == 1
    assert entries[0].history_type == "+"
    assert entries[0].history_user == curators.contributor_user
    assert entries[0].history_change_reason == "Created through the API"
    # still unpublished: the public and partners do not see it
    assert client.get(f"{DOCS}t-api-new-doc/").status_code == 404
    assert client.get(f"{DOCS}t-api-new-doc/", **curators.contributor).status_code == 200


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"status": "published"}, "status"), ({"restricted": True}, "restricted")],
)
def test_contributor_cannot_publish_or_restrict(
    client: Client, world: World, curators: Curators, fields: dict, field: str
) -> None:
    response = send(client, "POST", DOCS, new_document(**fields), **curators.contributor)
    assert response.status_code == 403
    assert list(response.json()["errors"]) == [field]
    assert not Document.objects.filter(identifier="t-api-new-doc").exists()


def test_reviewer_publishes(client: Client, world: World, curators: Curators) -> None:
    response = send(client, "POST", DOCS, new_document(status="published"), **curators.reviewer)
    assert response.status_code == 201, response.content
    assert client.get(f"{DOCS}t-api-new-doc/").status_code == 200


def test_contributor_may_not_change_a_published_record(
    client: Client, world: World, curators: Curators
) -> None:
    url = f"{DOCS}{world.doc1.identifier}/"
    etag = client.get(url, **curators.contributor)["ETag"]
    response = send(
        client, "PATCH", url, {"title": "Changed"}, HTTP_IF_MATCH=etag, **curators.contributor
    )
    assert response.status_code == 403
    assert "reviewer" in response.json()["detail"]
    world.doc1.refresh_from_db()
    assert world.doc1.title != "Changed"


def test_only_reviewers_delete(client: Client, world: World, curators: Curators) -> None:
    url = f"{DOCS}{world.draft_doc.identifier}/"
    etag = client.get(url, **curators.reviewer)["ETag"]
    assert send(client, "DELETE", url, HTTP_IF_MATCH=etag, **curators.contributor).status_code == (
        403
    )
    assert send(client, "DELETE", url, **curators.reviewer).status_code == 428
    response = send(client, "DELETE", url, HTTP_IF_MATCH=etag, **curators.reviewer)
    assert response.status_code == 204
    assert not Document.objects.filter(pk=world.draft_doc.pk).exists()
    deletion = Document.history.filter(id=world.draft_doc.pk).latest("history_date")
    assert deletion.history_type == "-"
    assert deletion.history_user == curators.reviewer_user
    assert Document.history.filter(id=world.draft_doc.pk, history_type="-").count() == 1


def test_hidden_records_stay_404_for_partners_and_visible_to_curators(
    client: Client, world: World, curators: Curators
) -> None:
    _, raw = PartnerKey.objects.issue(name="Aggregator", contact="a@example.org")
    for identifier in (world.draft_doc.identifier, world.restricted_doc.identifier):
        url = f"{DOCS}{identifier}/"
        assert client.get(url).status_code == 404
        assert client.get(url, HTTP_X_API_KEY=raw).status_code == 404
        assert client.get(url, **curators.contributor).status_code == 200


# -- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"form": "no-such-form"}, "form"),
        ({"date_edtf": "the thirty-first of Octember"}, "date_edtf"),
        ({"identifier": "Not An Identifier"}, "identifier"),
        ({"identifier": "t-api-doc-1"}, "identifier"),
        ({"languages": ["xx-none"]}, "languages"),
        ({"collection": "no-such-unit"}, "collection"),
        ({"reference_level": "delo", "reference_segment": ""}, "reference_segment"),
        ({"reference_level": "nope", "reference_segment": "3"}, "reference_level"),
        ({"reference_level": "fond", "reference_segment": "3"}, "reference_level"),
        ({"license_url": "not a url"}, "license_url"),
        ({"status": "lost"}, "status"),
    ],
)
def test_invalid_fields_are_named_and_nothing_is_written(
    client: Client, world: World, curators: Curators, fields: dict, field: str
) -> None:
    before = Document.objects.count(), Document.history.count()
    response = send(client, "POST", DOCS, new_document(**fields), **curators.reviewer)
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body["errors"], body
    assert field in body["detail"]
    assert (Document.objects.count(), Document.history.count()) == before


def test_a_numbered_document_is_placed_in_its_unit(
    client: Client, world: World, curators: Curators
) -> None:
    body = new_document(reference_level="delo", reference_segment="596", locator="ll. 61-66")
    response = send(client, "POST", DOCS, body, **curators.reviewer)
    assert response.status_code == 201, response.content
    assert response.json()["reference"] == "TA, f. 52, op. 1, d. 596, ll. 61-66"


def test_every_bad_field_is_named_in_one_answer(
    client: Client, world: World, curators: Curators
) -> None:
    body = new_document(identifier="x y", title="", form="nope", date_edtf="31 Octember")
    response = send(client, "POST", DOCS, body, **curators.reviewer)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"identifier", "title", "form", "date_edtf"}


def test_body_must_be_an_object(client: Client, world: World, curators: Curators) -> None:
    response = send(client, "POST", DOCS, ["not", "an", "object"], **curators.reviewer)
    assert response.status_code == 400
    assert "non_field_errors" in response.json()["errors"]


# -- no lost update ---------------------------------------------------------------------------


def draft(world: World, curators: Curators, client: Client) -> tuple[str, Document]:
    response = send(client, "POST", DOCS, new_document(), **curators.contributor)
    assert response.status_code == 201
    return f"{DOCS}t-api-new-doc/", Document.objects.get(identifier="t-api-new-doc")


def test_update_needs_if_match(client: Client, world: World, curators: Curators) -> None:
    url, document = draft(world, curators, client)
    for method in ("PUT", "PATCH", "DELETE"):
        response = send(client, method, url, new_document(title="X"), **curators.reviewer)
        assert response.status_code == 428, method
        assert "If-Match" in response.json()["detail"]
    document.refresh_from_db()
    assert document.title == "A new letter"
    assert history_count(document) == 1


@pytest.mark.parametrize("tag", ["*", 'W/"1-abc"', '"banana"', "1"])
def test_if_match_must_name_a_version(
    client: Client, world: World, curators: Curators, tag: str
) -> None:
    url, document = draft(world, curators, client)
    response = send(client, "PATCH", url, {"title": "X"}, HTTP_IF_MATCH=tag, **curators.reviewer)
    assert response.status_code == 412
    assert history_count(document) == 1


def test_write_with_current_etag_saves_once(
    client: Client, world: World, curators: Curators
) -> None:
    url, document = draft(world, curators, client)
    etag = client.get(url, **curators.contributor)["ETag"]
    response = send(
        client,
        "PATCH",
        url,
        {"title": "A revised letter", "subjects": ["t-api-sub-a", "t-api-sub-b"]},
        HTTP_IF_MATCH=etag,
        **curators.contributor,
    )
    assert response.status_code == 200, response.content
    document.refresh_from_db()
    assert document.title == "A revised letter"
    assert document.version == 2
    assert sorted(document.subjects.values_list("identifier", flat=True)) == [
        "t-api-sub-a",
        "t-api-sub-b",
    ]
    assert history_count(document) == 2
    latest = document.history.latest("history_date")
    assert latest.history_change_reason == "Changed through the API"
    assert latest.history_user == curators.contributor_user
    # the answer's ETag is the one a GET now gives: the client can write again with it
    assert response["ETag"].startswith('"2-')
    assert client.get(url, **curators.contributor)["ETag"] == response["ETag"]


def test_put_replaces_the_record(client: Client, world: World, curators: Curators) -> None:
    url, document = draft(world, curators, client)
    etag = client.get(url, **curators.contributor)["ETag"]
    replacement = new_document(title="Replaced", subjects=[], languages=["ru"], date_edtf="")
    response = send(client, "PUT", url, replacement, HTTP_IF_MATCH=etag, **curators.contributor)
    assert response.status_code == 200, response.content
    document.refresh_from_db()
    assert (document.title, document.date_edtf) == ("Replaced", "")
    assert list(document.subjects.all()) == []
    assert list(document.languages.values_list("code", flat=True)) == ["ru"]
    assert history_count(document) == 2


@pytest.mark.parametrize("first", ["alice", "bob"])
def test_two_clients_the_stale_write_is_refused(
    client: Client, world: World, curators: Curators, first: str
) -> None:
    """Alice (contributor) and Bob (reviewer) read the same version and both write: whoever
    comes second gets 412 and changes nothing, in either order."""
    url, document = draft(world, curators, client)
    headers = {"alice": curators.contributor, "bob": curators.reviewer}
    alice, bob = Client(), Client()
    clients = {"alice": alice, "bob": bob}
    etags = {name: clients[name].get(url, **headers[name])["ETag"] for name in clients}
    assert etags["alice"].split("-")[0] == etags["bob"].split("-")[0]
    second = "bob" if first == "alice" else "alice"

    won = send(
        clients[first],
        "PATCH",
        url,
        {"title": f"{first}'s title"},
        HTTP_IF_MATCH=etags[first],
        **headers[first],
    )
    assert won.status_code == 200
    lost = send(
        clients[second],
        "PATCH",
        url,
        {"title": f"{second}'s title"},
        HTTP_IF_MATCH=etags[second],
        **headers[second],
    )
    assert lost.status_code == 412
    assert "version 1" in lost.json()["detail"]
    assert "now version 2" in lost.json()["detail"]
    document.refresh_from_db()
    assert document.title == f"{first}'s title"
    assert history_count(document) == 2
    # after reading again, the second writer succeeds
    fresh = clients[second].get(url, **headers[second])["ETag"]
    retry = send(
        clients[second],
        "PATCH",
        url,
        {"title": f"{second}'s title"},
        HTTP_IF_MATCH=fresh,
        **headers[second],
    )
    assert retry.status_code == 200
    assert history_count(document) == 3


def test_a_stale_delete_is_refused(client: Client, world: World, curators: Curators) -> None:
    url, document = draft(world, curators, client)
    etag = client.get(url, **curators.reviewer)["ETag"]
    patched = send(
        client, "PATCH", url, {"title": "Newer"}, HTTP_IF_MATCH=etag, **curators.contributor
    )
    assert patched.status_code == 200
    assert send(client, "DELETE", url, HTTP_IF_MATCH=etag, **curators.reviewer).status_code == 412
    assert Document.objects.filter(pk=document.pk).exists()


# -- agents -----------------------------------------------------------------------------------


def test_agents_are_written_the_same_way(client: Client, world: World, curators: Curators) -> None:
    body = {
        "identifier": "t-api-new-agent",
        "kind": "person",
        "name": "Matsumoto Shunichi",
        "nationality": "JP",
        "date_edtf": "1897/1987",
        "places": ["t-api-tokyo"],
    }
    created = send(client, "POST", AGENTS, body, **curators.contributor)
    assert created.status_code == 201, created.content
    agent = Agent.objects.get(identifier="t-api-new-agent")
    assert (agent.sort_name, agent.status) == ("Matsumoto Shunichi", "draft")
    url = f"{AGENTS}t-api-new-agent/"
    bad = send(
        client, "PATCH", url, {"kind": "robot"}, HTTP_IF_MATCH=created["ETag"], **curators.reviewer
    )
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["kind"]
    published = send(
        client,
        "PATCH",
        url,
        {"status": "published"},
        HTTP_IF_MATCH=created["ETag"],
        **curators.reviewer,
    )
    assert published.status_code == 200
    assert client.get(url).json()["name"] == "Matsumoto Shunichi"
    assert history_count(agent) == 2


def test_read_only_endpoints_refuse_writes(client: Client, world: World, curators: Curators):
    response = send(client, "POST", "/api/v1/collections/", {"title": "x"}, **curators.reviewer)
    assert response.status_code == 405


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"identifier": "a\x00b"}, "identifier"),
        ({"form": "t-\x00letter"}, "form"),
        ({"languages": ["\x00"]}, "languages"),
        ({"collection": 7}, "collection"),
        ({"date_edtf": "\x00"}, "date_edtf"),
    ],
)
def test_values_no_record_can_hold_are_refused_before_querying(
    client: Client, world: World, curators: Curators, fields: dict, field: str
) -> None:
    """A NUL character makes PostgreSQL fail the query; the API answers 400 first."""
    response = send(client, "POST", DOCS, new_document(**fields), **curators.reviewer)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_nul_in_an_identifier_is_a_404(client: Client, world: World, curators: Curators) -> None:
    assert client.get(f"{DOCS}a%00b/", **curators.reviewer).status_code == 404


# -- relations --------------------------------------------------------------------------------

RELATIONS = "/api/v1/agent-relations/"


def new_relation(**fields: Any) -> dict[str, Any]:
    return {
        "source": "t-api-hatoyama",
        "relation_type": "t-api-counterpart",
        "target": "t-api-khrushchev",
        "date_edtf": "1956-10",
        "supporting_documents": ["t-api-doc-1"],
        **fields,
    }


def test_relations_are_written_the_same_way(
    client: Client, world: World, curators: Curators
) -> None:
    created = send(client, "POST", RELATIONS, new_relation(), **curators.contributor)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["source"]["identifier"], body["target"]["identifier"]) == (
        "t-api-hatoyama",
        "t-api-khrushchev",
    )
    relation = AgentRelation.objects.get(pk=body["id"])
    assert relation.status == "draft"
    assert history_count(relation) == 1
    url = f"{RELATIONS}{relation.pk}/"
    changed = send(
        client,
        "PATCH",
        url,
        {"description": "Met in Moscow."},
        HTTP_IF_MATCH=created["ETag"],
        **curators.contributor,
    )
    assert changed.status_code == 200
    assert history_count(relation) == 2
    assert (
        send(
            client,
            "PATCH",
            url,
            {"description": "x"},
            HTTP_IF_MATCH=created["ETag"],
            **curators.reviewer,
        ).status_code
        == 412
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"target": "t-api-hatoyama"}, "target"),  # a relation to itself
        ({"date_edtf": "1956"}, "non_field_errors"),  # the same relation as the fixture's
        ({"source": "nobody"}, "source"),
        ({"relation_type": "t-api-enemy"}, "relation_type"),
        ({"supporting_documents": ["no-such-doc"]}, "supporting_documents"),
    ],
)
def test_invalid_relations_are_refused_by_field(
    client: Client, world: World, curators: Curators, fields: dict, field: str
) -> None:
    before = AgentRelation.objects.count()
    response = send(client, "POST", RELATIONS, new_relation(**fields), **curators.reviewer)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert AgentRelation.objects.count() == before
