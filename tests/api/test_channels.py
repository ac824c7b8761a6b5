"""Nothing lost across channels: the admin and the API edit the same record, in both orders,
and the stale write is refused each time, leaving exactly one history entry per saved write."""

from __future__ import annotations

from django.test import Client

from documents.models import Document
from tests.api.conftest import Curators, World
from tests.api.test_writes import send
from tests.archive.test_admin_editing import change_form_data, curator


def fresh_document(world: World) -> Document:
    """A draft with no parts yet, so the admin form is submitted as a browser would."""
    return Document.objects.create(
        identifier="t-api-channels", title="Original", document_type=world.letter
    )


def test_api_write_after_an_admin_save_is_refused(
    client: Client, world: World, curators: Curators
) -> None:
    document = fresh_document(world)
    api_url = f"/api/v1/documents/{document.identifier}/"
    admin_url = f"/admin/documents/document/{document.pk}/change/"
    etag = client.get(api_url, **curators.reviewer)["ETag"]  # the API client reads first
    admin = curator("t-api-admin-editor")
    saved = admin.post(admin_url, {**change_form_data(admin, admin_url), "title": "Admin title"})
    assert saved.status_code == 302
    response = send(
        client, "PATCH", api_url, {"title": "API title"}, HTTP_IF_MATCH=etag, **curators.reviewer
    )
    assert response.status_code == 412
    document.refresh_from_db()
    assert document.title == "Admin title"
    assert document.history.count() == 2  # created, then the admin's save


def test_admin_save_after_an_api_write_is_refused(
    client: Client, world: World, curators: Curators
) -> None:
    document = fresh_document(world)
    api_url = f"/api/v1/documents/{document.identifier}/"
    admin_url = f"/admin/documents/document/{document.pk}/change/"
    admin = curator("t-api-admin-editor")
    form = change_form_data(admin, admin_url)  # the admin opens the form first
    etag = client.get(api_url, **curators.reviewer)["ETag"]
    response = send(
        client, "PATCH", api_url, {"title": "API title"}, HTTP_IF_MATCH=etag, **curators.reviewer
    )
    assert response.status_code == 200
    refused = admin.post(admin_url, {**form, "title": "Admin title"})
    assert refused.status_code == 200  # the form comes back with the reason, nothing saved
    assert "after you opened it" in refused.content.decode()
    document.refresh_from_db()
    assert document.title == "API title"
    assert document.history.count() == 2  # created, then the API's write
