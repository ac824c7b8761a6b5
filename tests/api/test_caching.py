"""Validators and conditional GET: ETag and Last-Modified on every answer, 304 when unchanged."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils.http import http_date

from documents.models import Document
from tests.api.conftest import Curators, World

LIST = "/api/v1/documents/?collection=t-api-fonds"


def detail(world: World) -> str:
    return f"/api/v1/documents/{world.doc1.identifier}/"


def test_detail_carries_version_etag_and_last_modified(client: Client, world: World) -> None:
    response = client.get(detail(world))
    assert response.status_code == 200
    world.doc1.refresh_from_db()
    assert response["ETag"].startswith(f'"{world.doc1.version}-')
    assert response["Last-Modified"] == http_date(world.doc1.updated_at.timestamp())
    assert "no-cache" in response["Cache-Control"]
    assert {"Accept", "Authorization", "Cookie"} <= {
        part.strip() for part in response["Vary"].split(",")
    }


def test_detail_answers_304_to_if_none_match(client: Client, world: World) -> None:
    etag = client.get(detail(world))["ETag"]
    response = client.get(detail(world), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    # a weak copy of the tag, or the tag among others, matches too (weak comparison)
    assert client.get(detail(world), HTTP_IF_NONE_MATCH=f'"x", W/{etag}').status_code == 304
    assert client.head(detail(world), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(detail(world), HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_detail_answers_304_to_if_modified_since(client: Client, world: World) -> None:
    last_modified = client.get(detail(world))["Last-Modified"]
    assert client.get(detail(world), HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    earlier = http_date((world.doc1.updated_at - timedelta(seconds=5)).timestamp())
    assert client.get(detail(world), HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_a_save_changes_the_validators(client: Client, world: World) -> None:
    before = client.get(detail(world))
    document = Document.objects.get(pk=world.doc1.pk)
    document.summary = "A new summary"
    document.save()
    after = client.get(detail(world), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"].startswith(f'"{document.version}-')
    assert after["ETag"] != before["ETag"]


def test_a_related_change_changes_the_etag(client: Client, world: World) -> None:
    """The ETag digests the body, so renaming a related record (shown in brief) is noticed
    although the document's own version did not move."""
    before = client.get(detail(world))["ETag"]
    world.hatoyama.name = "Hatoyama Ichirō (renamed)"
    world.hatoyama.save()
    after = client.get(detail(world), HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert after["ETag"].split("-")[0] == before.split("-")[0]  # same document version


def test_variants_have_their_own_etags(client: Client, world: World, curators: Curators) -> None:
    public = client.get(detail(world))["ETag"]
    assert client.get(detail(world) + "?expand=texts")["ETag"] != public
    assert client.get(detail(world) + "?format=api")["ETag"] != public
    # a curator sees the draft parts too: a public copy's tag does not validate theirs
    curator = client.get(detail(world), HTTP_IF_NONE_MATCH=public, **curators.contributor)
    assert curator.status_code == 200
    assert curator["ETag"] != public


def test_list_carries_a_weak_etag_and_answers_304(client: Client, world: World) -> None:
    response = client.get(LIST)
    assert response.status_code == 200
    assert response["ETag"].startswith('W/"')
    newest = max(
        Document.objects.public()
        .filter(collection__tree_path__startswith=world.fonds.tree_path)
        .values_list("updated_at", flat=True)
    )
    assert response["Last-Modified"] == http_date(newest.timestamp())
    assert client.get(LIST, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.get(LIST + "&page_size=1", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == (
        200
    )


def test_list_etag_changes_when_a_row_leaves(client: Client, world: World) -> None:
    response = client.get(LIST)
    document = Document.objects.get(pk=world.doc2.pk)
    document.status = "withdrawn"
    document.save()
    again = client.get(LIST, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 200
    assert world.doc2.identifier not in again.content.decode()


def test_list_ignores_if_modified_since(client: Client, world: World) -> None:
    """A list's newest row cannot tell that a row left it: a full answer, never a wrong 304."""
    last_modified = client.get(LIST)["Last-Modified"]
    assert client.get(LIST, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 200


def test_errors_carry_no_etag(client: Client, world: World) -> None:
    response = client.get("/api/v1/documents/t-api-draft/")
    assert response.status_code == 404
    assert "ETag" not in response
