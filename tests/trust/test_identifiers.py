"""Identifiers are never reused: renamed records redirect (301), withdrawn ones leave a 410
tombstone and an OAI-PMH ``deleted`` header, deleted ones answer 410."""

from __future__ import annotations

import pytest
from django.test import Client
from lxml import etree

from archive.models import RetiredIdentifier
from archive.oai.protocol import repository_domain
from archive.workflow import REVIEWER
from documents.models import Document, DocumentType
from people.models import Agent
from tests.trust.conftest import staff_client

pytestmark = pytest.mark.django_db
OAI = {"oai": "http://www.openarchives.org/OAI/2.0/"}


@pytest.fixture
def form() -> DocumentType:
    return DocumentType.objects.create(code="t-id-letter", name="Identifier test letter")


def document(form: DocumentType, identifier: str, status: str = "published") -> Document:
    return Document.objects.create(
        identifier=identifier, title=f"Letter {identifier}", document_type=form, status=status
    )


def test_renamed_record_redirects_from_every_old_url(form: DocumentType) -> None:
    doc = document(form, "t-id-old")
    doc.identifier = "t-id-middle"
    doc.save()
    doc.identifier = "t-id-new"
    doc.save()
    client = Client()
    for old in ("t-id-old", "t-id-middle"):
        page = client.get(f"/documents/{old}/?lang=ja")
        assert page.status_code == 301
        assert page["Location"] == "/documents/t-id-new/?lang=ja"
        api = client.get(f"/api/v1/documents/{old}/")
        assert api.status_code == 301
        assert api["Location"] == "/api/v1/documents/t-id-new/"
    assert client.get("/documents/t-id-new/").status_code == 200


def test_renaming_back_makes_the_old_identifier_current_again(form: DocumentType) -> None:
    doc = document(form, "t-id-a")
    doc.identifier = "t-id-b"
    doc.save()
    doc.identifier = "t-id-a"
    doc.save()
    client = Client()
    assert client.get("/documents/t-id-a/").status_code == 200
    assert client.get("/documents/t-id-b/")["Location"] == "/documents/t-id-a/"


def test_a_draft_renamed_before_publication_leaves_no_redirect(form: DocumentType) -> None:
    doc = document(form, "t-id-typo", status="draft")
    doc.identifier = "t-id-fixed"
    doc.save()
    assert not RetiredIdentifier.objects.filter(identifier="t-id-typo").exists()
    doc.status = "published"
    doc.save()
    assert Client().get("/documents/t-id-typo/").status_code == 404


def test_redirect_to_a_record_no_longer_public_is_a_404(form: DocumentType) -> None:
    doc = document(form, "t-id-was")
    doc.identifier = "t-id-now"
    doc.status = "draft"
    doc.save()
    answer = Client().get("/documents/t-id-was/")
    assert answer.status_code == 404
    assert b"t-id-now" not in answer.content


def test_admin_refuses_a_retired_identifier(form: DocumentType) -> None:
    doc = document(form, "t-id-taken")
    doc.identifier = "t-id-renamed"
    doc.save()
    client = staff_client(REVIEWER, "id-reviewer")
    page = client.get("/admin/documents/document/add/")
    data = {
        "identifier": "t-id-taken",
        "title": "Someone else",
        "document_type": form.pk,
        "status": "draft",
    }
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.management_form.prefix
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    answer = client.post("/admin/documents/document/add/", data)
    assert answer.status_code == 200
    errors = answer.context["adminform"].form.errors
    assert "never reused" in str(errors["identifier"])
    assert not Document.objects.filter(title="Someone else").exists()


def test_deleted_record_answers_410(form: DocumentType) -> None:
    agent = Agent.objects.create(
        identifier="t-id-gone-agent", kind="person", name="Gone", status="published"
    )
    agent.delete()
    answer = Client().get("/people/t-id-gone-agent/")
    assert answer.status_code == 410
    assert b"t-id-gone-agent" in answer.content
    draft = Agent.objects.create(identifier="t-id-never", kind="person", name="Never")
    draft.delete()
    assert Client().get("/people/t-id-never/").status_code == 404


def harvest_headers(client: Client) -> dict[str, str | None]:
    """Every document header of a full ListIdentifiers: identifier -> status."""
    headers: dict[str, str | None] = {}
    params = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}
    while True:
        root = etree.fromstring(client.get("/oai", params).content)
        for header in root.iterfind(".//oai:header", OAI):
            headers[header.findtext("oai:identifier", namespaces=OAI)] = header.get("status")
        token = root.find(".//oai:resumptionToken", OAI)
        if token is None or not token.text:
            return headers
        params = {"verb": "ListIdentifiers", "resumptionToken": token.text}


def test_publish_harvest_withdraw_harvest(form: DocumentType) -> None:
    """The life of a record as a harvester and a reader see it."""
    doc = document(form, "t-id-life", status="review")
    reviewer = staff_client(REVIEWER, "id-life-reviewer")
    public = Client()
    oai_id = f"oai:{repository_domain()}:document/t-id-life"

    def act(action: str) -> None:
        answer = reviewer.post(
            "/admin/documents/document/",
            {"action": action, "_selected_action": [doc.pk], "index": 0},
        )
        assert answer.status_code == 302

    assert oai_id not in harvest_headers(public)
    act("publish")
    assert harvest_headers(public)[oai_id] is None  # a live record
    assert public.get("/documents/t-id-life/").status_code == 200
    act("withdraw")
    assert harvest_headers(public)[oai_id] == "deleted"
    record = public.get(
        "/oai", {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": oai_id}
    )
    assert b'status="deleted"' in record.content
    assert b"<metadata>" not in record.content
    tombstone = public.get("/documents/t-id-life/")
    assert tombstone.status_code == 410
    assert b"withdrawn" in tombstone.content
    assert b"Letter t-id-life" not in tombstone.content  # the title is not shown
    assert public.get("/api/v1/documents/t-id-life/").status_code == 404
    # restricted as well: hidden altogether, like a record that never existed
    doc.refresh_from_db()
    doc.restricted = True
    doc.save()
    assert public.get("/documents/t-id-life/").status_code == 404
    assert oai_id not in harvest_headers(public)
