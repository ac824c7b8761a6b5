"""The admin Import page (upload → preview → confirm) and changelist export."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from documents.models import Document
from tests.io.conftest import Holdings, csv_bytes, document_row, snapshot

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/documents/document/import/"


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def staff(username: str, *codenames: str) -> User:
    user = User.objects.create_user(username, password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def upload(rows: list[dict[str, str]], name: str = "documents.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(rows), content_type="text/csv")


def test_upload_preview_confirm(holdings: Holdings) -> None:
    client = login(User.objects.create_superuser("t-io-admin", "a@example.org", "pw"))
    changelist = client.get("/admin/documents/document/")
    assert f'href="{IMPORT_URL}"' in changelist.content.decode()
    assert client.get(IMPORT_URL).status_code == 200

    before = snapshot()
    preview = client.post(IMPORT_URL, {"file": upload([document_row(1), document_row(2)])})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "t-io-doc-1" in page
    assert "t-io-doc-2" in page
    assert "Confirm import" in page
    assert [row.action for row in preview.context["result"].rows] == ["create", "create"]
    assert snapshot() == before  # the preview wrote nothing

    confirmed = client.post(IMPORT_URL, {"token": preview.context["token"]})
    assert confirmed.status_code == 302
    assert Document.objects.filter(identifier__startswith="t-io-doc").count() == 2
    entry = Document.objects.get(identifier="t-io-doc-1").history.get()
    assert entry.history_user.username == "t-io-admin"
    # the token is spent
    assert client.post(IMPORT_URL, {"token": preview.context["token"]}).status_code == 302
    assert Document.objects.filter(identifier__startswith="t-io-doc").count() == 2


def test_preview_lists_errors_and_offers_no_confirm(holdings: Holdings) -> None:
    client = login(User.objects.create_superuser("t-io-admin", "a@example.org", "pw"))
    rows = [document_row(1), document_row(2, collection="t-io-missing")]
    preview = client.post(IMPORT_URL, {"file": upload(rows)})
    page = preview.content.decode()
    assert "collection: unknown collection “t-io-missing”" in page
    assert "Confirm import" not in page
    assert "token" not in preview.context


def test_import_needs_add_and_change_permission(holdings: Holdings) -> None:
    viewer = login(staff("t-io-viewer", "view_document", "change_document"))
    assert viewer.get(IMPORT_URL).status_code == 403
    assert viewer.post(IMPORT_URL, {"file": upload([document_row(1)])}).status_code == 403
    assert (
        'href="/admin/documents/document/import/"'
        not in viewer.get("/admin/documents/document/").content.decode()
    )
    assert not Document.objects.filter(identifier="t-io-doc-1").exists()


def test_a_contributor_may_not_publish_through_an_import(holdings: Holdings) -> None:
    contributor = login(staff("t-io-contrib", "view_document", "add_document", "change_document"))
    preview = contributor.post(
        IMPORT_URL, {"file": upload([document_row(1), document_row(2, status="published")])}
    )
    assert [str(e) for e in preview.context["result"].errors] == [
        "Row 3, status: only a reviewer may set the status “published”"
    ]


def test_export_follows_the_changelist_filters(holdings: Holdings) -> None:
    Document.objects.create(identifier="t-io-doc-1", title="A draft", document_type=holdings.letter)
    Document.objects.create(
        identifier="t-io-doc-2", title="=cmd", document_type=holdings.letter, status="review"
    )
    client = login(User.objects.create_superuser("t-io-admin", "a@example.org", "pw"))
    response = client.get(
        "/admin/documents/document/export/json/", {"q": "t-io-doc", "status__exact": "review"}
    )
    assert response["Content-Disposition"].startswith('attachment; filename="documents-')
    records = json.loads(b"".join(response.streaming_content))
    assert [record["identifier"] for record in records] == ["t-io-doc-2"]
    response = client.get("/admin/documents/document/export/csv/", {"q": "t-io-doc"})
    text = b"".join(response.streaming_content).decode("utf-8")
    assert ",'=cmd," in text
    assert "A draft" in text


def test_export_selected_action(holdings: Holdings) -> None:
    document = Document.objects.create(
        identifier="t-io-doc-1", title="Chosen", document_type=holdings.letter
    )
    client = login(User.objects.create_superuser("t-io-admin", "a@example.org", "pw"))
    response = client.post(
        "/admin/documents/document/",
        {"action": "export_selected_csv", "_selected_action": [document.pk]},
    )
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.count("\r\n") == 2
    assert "t-io-doc-1,Chosen," in text


@pytest.mark.parametrize("url", ["/admin/people/agent/", "/admin/people/agentrelation/"])
def test_people_changelists_offer_import_and_export(url: str) -> None:
    client = login(User.objects.create_superuser("t-io-admin", "a@example.org", "pw"))
    page = client.get(url).content.decode()
    assert f'href="{url}import/"' in page
    assert f'href="{url}export/csv/"' in page
    assert client.get(f"{url}import/").status_code == 200


def test_large_files_are_sent_to_the_command(
    holdings: Holdings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("archive.admin_io.ADMIN_ROW_LIMIT", 1)
    client = login(User.objects.create_superuser("t-io-admin", "a@example.org", "pw"))
    preview = client.post(IMPORT_URL, {"file": upload([document_row(1), document_row(2)])})
    assert [str(e) for e in preview.context["result"].errors] == [
        "file: 2 rows; the admin imports at most 1 at a time: split the file or run "
        "manage.py import_records"
    ]
    assert "token" not in preview.context
