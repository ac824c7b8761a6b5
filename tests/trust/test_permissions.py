"""The permission matrix: who may open which admin view and run which action.

Every cell is written out below, so a permission that widens (or narrows) by accident fails the
build, and a model registered in the admin without a row here fails too.

Codes: ``L`` redirected to the login page, ``F`` forbidden (403), ``O`` allowed (200); for the
change view ``E`` editable and ``R`` read-only (both 200). Views are, in order: changelist, add,
change, delete, history. The object of each model is a published record where the model has a
status (a contributor may then only read it).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from archive.models import Publishable, RetiredIdentifier
from archive.workflow import ADMINISTRATOR, CONTRIBUTOR, REVIEWER
from documents.models import DigitalObject, Document, DocumentType

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "contributor", "reviewer", "administrator")
VIEWS = ("changelist", "add", "change", "delete", "history")

# Staff of every group may read every record of the archive; contributors add and edit drafts
# but not published records and delete nothing; reviewers and administrators do everything.
# Only administrators manage users and groups; nobody but a superuser sees django-axes' logs.
ARCHIVE = ("LLLLL", "OORFO", "OOEOO", "OOEOO")
VOCABULARY = ("LLLLL", "OOEFO", "OOEOO", "OOEOO")  # no status: contributors may edit them
MATRIX: dict[str, tuple[str, str, str, str]] = {
    # model                       anonymous  contributor  reviewer  administrator
    "auth.group": ("LLLLL", "FFFFF", "FFFFF", "OOEOO"),
    "auth.user": ("LLLLL", "FFFFF", "FFFFF", "OOEOO"),
    # API access: only administrators issue partner keys (revoked, never deleted) and tokens
    "archive.partnerkey": ("LLLLL", "FFFFF", "FFFFF", "OOEFO"),
    "authtoken.tokenproxy": ("LLLLL", "FFFFF", "FFFFF", "OOEOO"),
    "axes.accessattempt": ("LLLLL", "FFFFF", "FFFFF", "FFFFF"),
    "axes.accesslog": ("LLLLL", "FFFFF", "FFFFF", "FFFFF"),
    "axes.accessfailurelog": ("LLLLL", "FFFFF", "FFFFF", "FFFFF"),
    "archive.repository": ARCHIVE,
    "archive.referencelevel": VOCABULARY,
    "archive.collection": ARCHIVE,
    "archive.identifierscheme": VOCABULARY,
    "archive.language": VOCABULARY,
    # written by renames and deletions only; deleting one frees the identifier (reviewers)
    "archive.retiredidentifier": ("LLLLL", "OFRFO", "OFROO", "OFROO"),
    "documents.document": ARCHIVE,
    "documents.documenttype": VOCABULARY,
    "documents.subject": VOCABULARY,
    "documents.place": VOCABULARY,
    "documents.textlineage": ARCHIVE,
    "documents.documenttext": ARCHIVE,
    "documents.documentrelation": VOCABULARY,
    "documents.copy": ARCHIVE,
    "documents.identifier": VOCABULARY,
    "documents.digitalobject": ARCHIVE,
    "documents.publication": ARCHIVE,
    "documents.publicationcreator": VOCABULARY,
    "documents.citation": VOCABULARY,
    "documents.event": ARCHIVE,
    "documents.eventparticipant": VOCABULARY,
    "documents.eventdocument": VOCABULARY,
    "people.agent": ARCHIVE,
    "people.nameform": VOCABULARY,
    "people.position": VOCABULARY,
    "people.agentrelationtype": VOCABULARY,
    "people.agentrelation": ARCHIVE,
    "people.agentrole": VOCABULARY,
    "people.authorityidentifier": VOCABULARY,
}

# Actions on a record, by the status it starts in; the cell says whether the action took effect
# (``O``), was refused (``F``) or sent to the login page (``L``).
ACTIONS: dict[str, tuple[str, str, str, str]] = {
    # action (start status)          anonymous contributor reviewer administrator
    "submit_for_review (draft)": ("L", "O", "O", "O"),
    "publish (review)": ("L", "F", "O", "O"),
    "withdraw (published)": ("L", "F", "O", "O"),
    "send_back (review)": ("L", "F", "O", "O"),
    "delete_selected (draft)": ("L", "F", "O", "O"),
    "import (form)": ("L", "O", "O", "O"),
    "import (publishing rows)": ("L", "F", "O", "O"),
    "revert (draft)": ("L", "O", "O", "O"),
    "revert (published)": ("L", "F", "O", "O"),
}
EXPECTED_STATUS = {
    "submit_for_review": "review",
    "publish": "published",
    "withdraw": "withdrawn",
    "send_back": "draft",
}


def client_for(role: str) -> Client:
    client = Client()
    if role == "anonymous":
        return client
    group = {"contributor": CONTRIBUTOR, "reviewer": REVIEWER, "administrator": ADMINISTRATOR}
    user = User.objects.create_user(f"matrix-{role}", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group[role]))
    client.force_login(user)
    return client


def sample(model: type[Model]) -> Model:
    rows = model._default_manager.order_by("pk")
    if issubclass(model, Publishable):
        rows = rows.filter(status="published")
    obj = rows.first()
    if obj is None and model is RetiredIdentifier:
        doc = Document.objects.public().order_by("pk").first()
        old = doc.identifier
        doc.identifier = f"{old}-renamed"
        doc.save()
        obj = RetiredIdentifier.objects.get(identifier=old)
    if obj is None and model._meta.label_lower == "archive.partnerkey":
        obj = model._default_manager.issue(name="Matrix", contact="m@example.org")[0]
    if obj is None and model._meta.label_lower == "authtoken.tokenproxy":
        from rest_framework.authtoken.models import Token

        owner = User.objects.create_user("t-matrix-token", password="pw")
        obj = model._default_manager.get(pk=Token.objects.create(user=owner).pk)
    if obj is None and model is User:
        obj = User.objects.create_user("t-matrix-someone", password="pw")
    if obj is None and model is DigitalObject:
        obj = DigitalObject.objects.create(
            document=Document.objects.public().first(),
            key="t-matrix-scan",
            file="documents/t-matrix/scan.jpg",
            sha256="0" * 64,
            status="published",
        )
    if obj is None and model._meta.app_label == "axes":
        pytest.skip(f"no {model._meta.label} row to open")  # pragma: no cover
    assert obj is not None, model
    return obj


def view_code(client: Client, url: str, view: str) -> str:
    response = client.get(url)
    if response.status_code == 302 and "/admin/login/" in response["Location"]:
        return "L"
    if response.status_code == 403:
        return "F"
    assert response.status_code == 200, (url, response.status_code)
    if view == "change":
        return "E" if response.context["has_change_permission"] else "R"
    return "O"


def test_every_admin_model_has_a_row() -> None:
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(MATRIX), registered ^ set(MATRIX)


@pytest.mark.parametrize("role", ROLES)
def test_admin_view_matrix(role: str) -> None:
    from axes.models import AccessLog

    AccessLog.objects.get_or_create(
        username="x", ip_address="192.0.2.1", defaults={"user_agent": "test"}
    )
    client = client_for(role)
    column = ROLES.index(role)
    actual: dict[str, str] = {}
    for model in admin.site._registry:
        label = model._meta.label_lower
        info = (model._meta.app_label, model._meta.model_name)
        if model._meta.app_label == "axes" and not model._default_manager.exists():
            from axes.models import AccessAttempt, AccessFailureLog

            if model is AccessAttempt:
                AccessAttempt.objects.create(
                    username="x", ip_address="192.0.2.1", failures_since_start=1
                )
            elif model is AccessFailureLog:
                AccessFailureLog.objects.create(username="x", ip_address="192.0.2.1")
        obj = sample(model)
        urls = {
            "changelist": reverse("admin:{}_{}_changelist".format(*info)),
            "add": reverse("admin:{}_{}_add".format(*info)),
            "change": reverse("admin:{}_{}_change".format(*info), args=[obj.pk]),
            "delete": reverse("admin:{}_{}_delete".format(*info), args=[obj.pk]),
            "history": reverse("admin:{}_{}_history".format(*info), args=[obj.pk]),
        }
        actual[label] = "".join(view_code(client, urls[view], view) for view in VIEWS)
    expected = {label: cells[column] for label, cells in MATRIX.items()}
    assert actual == expected
    print(f"{role}: {len(actual) * len(VIEWS)} admin view cells")


# --- actions --------------------------------------------------------------------------------------


@pytest.fixture
def form() -> DocumentType:
    return DocumentType.objects.create(code="t-matrix", name="Matrix test form")


def run_action(client: Client, doc: Document, action: str) -> Any:
    data: dict[str, Any] = {"action": action, "_selected_action": [doc.pk], "index": 0}
    if action == "send_back":
        data["comment"] = "Check the date."
    if action == "delete_selected":
        data["post"] = "yes"
    return client.post("/admin/documents/document/", data)


def action_code(client: Client, number: int, name: str, form: DocumentType) -> str:
    action, _, start = name.partition(" (")
    start = start.rstrip(")")
    if action == "import":
        return import_code(client, start, form)
    doc = Document.objects.create(
        identifier=f"t-matrix-{number}",
        title="Matrix",
        document_type=form,
        status=start,
    )
    if action == "revert":
        return revert_code(client, doc)
    response = run_action(client, doc, action)
    if response.status_code == 302 and "/admin/login/" in response["Location"]:
        return "L"
    if action == "delete_selected":
        return "F" if Document.objects.filter(pk=doc.pk).exists() else "O"
    doc.refresh_from_db()
    return "O" if doc.status == EXPECTED_STATUS[action] else "F"


def revert_code(client: Client, doc: Document) -> str:
    oldest = doc.history.earliest()
    doc.title = "Matrix changed"
    doc.save()
    url = f"/admin/documents/document/{doc.pk}/history/{oldest.history_id}/"
    page = client.get(url)
    if page.status_code == 302 and "/admin/login/" in page["Location"]:
        return "L"
    if page.status_code == 403:
        return "F"
    assert page.status_code == 200
    data = {
        "identifier": doc.identifier,
        "title": "Matrix",
        "document_type": doc.document_type_id,
        "status": doc.status,
        "base_version": page.context["adminform"].form.initial["base_version"],
    }
    answer = client.post(url, data)
    doc.refresh_from_db()
    assert answer.status_code in (200, 302)
    return "O" if doc.title == "Matrix" else "F"


def import_code(client: Client, start: str, form: DocumentType) -> str:
    url = "/admin/documents/document/import/"
    page = client.get(url)
    if page.status_code == 302 and "/admin/login/" in page["Location"]:
        return "L"
    if page.status_code == 403:
        return "F"
    if start == "form":
        return "O"
    body = (
        f"identifier,title,document_type,status\nt-matrix-imported,Imported,{form.code},published\n"
    )
    upload = SimpleUploadedFile("docs.csv", body.encode(), content_type="text/csv")
    preview = client.post(url, {"file": upload, "format": ""})
    result = preview.context["result"]
    if not result.ok:
        return "F"
    client.post(url, {"token": preview.context["token"]})
    return "O" if Document.objects.filter(identifier="t-matrix-imported").exists() else "F"


@pytest.mark.parametrize("role", ROLES)
def test_action_matrix(role: str, form: DocumentType) -> None:
    column = ROLES.index(role)
    client = client_for(role)
    actual = {name: action_code(client, number, name, form) for number, name in enumerate(ACTIONS)}
    assert actual == {name: cells[column] for name, cells in ACTIONS.items()}


# A partner API key reads the API faster and does nothing else: every admin view sends it to the
# login page, every action too, and every API write is refused.
PARTNER_KEY_VIEWS = "LLLLL"
PARTNER_KEY_WRITES = {
    "POST": (401, 403),
    "PUT": (401, 403),
    "PATCH": (401, 403),
    "DELETE": (401, 403),
}


def partner_client() -> Client:
    from archive.models.api_keys import PartnerKey

    _, secret = PartnerKey.objects.issue(name="Matrix partner", contact="p@example.org")
    return Client(HTTP_X_API_KEY=secret)


def test_partner_api_key_column() -> None:
    client = partner_client()
    assert client.get("/api/v1/documents/").status_code == 200  # the key itself works
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        url = reverse("admin:{}_{}_changelist".format(*info))
        codes = view_code(client, url, "changelist")
        for view in ("add",):
            codes += view_code(client, reverse("admin:{}_{}_{}".format(*info, view)), view)
        assert codes == PARTNER_KEY_VIEWS[:2], (model, codes)
    doc = Document.objects.public().order_by("pk").first()
    detail = f"/api/v1/documents/{doc.identifier}/"
    before = doc.title
    for method, allowed in PARTNER_KEY_WRITES.items():
        url = "/api/v1/documents/" if method == "POST" else detail
        answer = client.generic(
            method, url, '{"title": "Partner edit"}', content_type="application/json"
        )
        assert answer.status_code in allowed, (method, answer.status_code)
    doc.refresh_from_db()
    assert doc.title == before
    assert run_action(client, doc, "withdraw").status_code == 302
    doc.refresh_from_db()
    assert doc.status == "published"
