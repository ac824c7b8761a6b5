"""History has no holes: every mutation through every channel leaves exactly one history row.

Each test counts the rows of every history table before and after one mutation and compares
the difference, table by table, with the records the mutation changed — so a channel that
writes no history, or two rows for one change, fails.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from archive.importers import import_file
from archive.models import Language
from archive.workflow import REVIEWER
from documents.models import Document, DocumentText, DocumentType
from people.models import Agent, NameForm
from tests.trust.conftest import staff_client

pytestmark = pytest.mark.django_db


def history_rows() -> Counter[str]:
    counts: Counter[str] = Counter()
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and hasattr(model, "instance_type"):
            counts[model.instance_type._meta.label] = model._default_manager.count()
    return counts


def delta(action: Callable[[], Any]) -> dict[str, int]:
    before = history_rows()
    action()
    after = history_rows()
    return {label: after[label] - before[label] for label in after if after[label] != before[label]}


@pytest.fixture
def form() -> DocumentType:
    return DocumentType.objects.create(code="t-hist", name="History test")


@pytest.fixture
def reviewer() -> Client:
    return staff_client(REVIEWER, "hist-reviewer")


def empty_inlines(page: Any) -> dict[str, str]:
    data = {}
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.management_form.prefix
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def test_admin_add_change_delete(form: DocumentType, reviewer: Client) -> None:
    url = "/admin/documents/document/add/"
    page = reviewer.get(url)
    data = {
        "identifier": "t-hist-admin",
        "title": "Added",
        "document_type": form.pk,
        "status": "draft",
        **empty_inlines(page),
    }
    assert delta(lambda: reviewer.post(url, data)) == {"documents.Document": 1}
    doc = Document.objects.get(identifier="t-hist-admin")
    change = f"/admin/documents/document/{doc.pk}/change/"
    page = reviewer.get(change)
    data |= {"title": "Changed", "base_version": 1, **empty_inlines(page)}
    assert delta(lambda: reviewer.post(change, data)) == {"documents.Document": 1}
    assert doc.history.latest().history_user.username == "hist-reviewer"
    delete = f"/admin/documents/document/{doc.pk}/delete/"
    assert delta(lambda: reviewer.post(delete, {"post": "yes"})) == {"documents.Document": 1}
    assert doc.history.latest().history_type == "-"


def test_admin_inline_edit(form: DocumentType, reviewer: Client) -> None:
    doc = Document.objects.create(identifier="t-hist-inline", title="T", document_type=form)
    english = Language.objects.get_or_create(code="en", defaults={"name": "English"})[0]
    text = DocumentText.objects.create(
        document=doc, key="en-1", kind="transcript", language=english, body="Old"
    )
    change = f"/admin/documents/document/{doc.pk}/change/"
    page = reviewer.get(change)
    data: dict[str, Any] = {
        "identifier": doc.identifier,
        "title": "T",
        "document_type": form.pk,
        "status": "draft",
        "base_version": doc.version,
    }
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        prefix = management.prefix
        data |= {f"{prefix}-{k}": v for k, v in management.initial.items() if v is not None}
        for number, inline in enumerate(formset.formset.forms):
            for name, field in inline.fields.items():
                value = inline.initial.get(name, field.initial)
                if value is not None:
                    data[f"{prefix}-{number}-{name}"] = getattr(value, "pk", value)
    text_prefix = next(
        f.formset.prefix
        for f in page.context["inline_admin_formsets"]
        if f.formset.model is DocumentText
    )
    data[f"{text_prefix}-0-body"] = "New"
    data[f"{text_prefix}-0-id"] = text.pk
    data[f"{text_prefix}-0-document"] = doc.pk
    result = delta(lambda: reviewer.post(change, data))
    text.refresh_from_db()
    assert text.body == "New"
    assert result == {"documents.Document": 1, "documents.DocumentText": 1}


def test_bulk_actions_write_one_row_per_record(form: DocumentType, reviewer: Client) -> None:
    docs = [
        Document.objects.create(
            identifier=f"t-hist-bulk-{n}", title="T", document_type=form, status="review"
        )
        for n in range(4)
    ]
    ids = [doc.pk for doc in docs]

    def act(action: str, **extra: str) -> None:
        reviewer.post(
            "/admin/documents/document/",
            {"action": action, "_selected_action": ids, "index": 0, **extra},
        )

    assert delta(lambda: act("publish")) == {"documents.Document": 4}
    assert delta(lambda: act("withdraw")) == {"documents.Document": 4}
    assert delta(lambda: act("publish")) == {"documents.Document": 4}
    assert delta(lambda: act("send_back", comment="Check it")) == {"documents.Document": 4}
    assert delta(lambda: act("submit_for_review")) == {"documents.Document": 4}
    # an action that changes nothing writes nothing
    assert delta(lambda: act("submit_for_review")) == {}


def test_bulk_action_on_a_searched_changelist(reviewer: Client) -> None:
    """A search across name forms makes the changelist DISTINCT; the action must still lock."""
    agents = [
        Agent.objects.create(identifier=f"t-hist-searched-{n}", kind="person", name=f"Searched {n}")
        for n in range(2)
    ]
    english = Language.objects.get_or_create(code="en", defaults={"name": "English"})[0]
    for agent in agents:
        NameForm.objects.create(
            agent=agent, name="Alias", language=english, script="Latn", kind="variant"
        )
    ids = [agent.pk for agent in agents]
    response = reviewer.post(
        "/admin/people/agent/?q=t-hist-searched",
        {"action": "submit_for_review", "_selected_action": ids, "index": 0},
    )
    assert response.status_code == 302
    assert set(Agent.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"review"}


def test_revert_writes_one_row(form: DocumentType, reviewer: Client) -> None:
    doc = Document.objects.create(identifier="t-hist-revert", title="First", document_type=form)
    doc.title = "Second"
    doc.save()
    oldest = doc.history.earliest()
    url = f"/admin/documents/document/{doc.pk}/history/{oldest.history_id}/"
    page = reviewer.get(url)
    data = {
        "identifier": doc.identifier,
        "title": "First",
        "document_type": form.pk,
        "status": "draft",
        "base_version": page.context["adminform"].form.initial["base_version"],
    }
    assert delta(lambda: reviewer.post(url, data)) == {"documents.Document": 1}
    doc.refresh_from_db()
    assert doc.title == "First"


def test_imports_write_one_row_per_changed_record(form: DocumentType) -> None:
    header = "identifier,title,document_type\n"
    rows = "".join(f"t-hist-imp-{n},Title {n},{form.code}\n" for n in range(5))

    def run(body: str) -> None:
        result = import_file(body.encode(), filename="documents.csv", record_type="documents")
        assert result.ok, result.errors

    assert delta(lambda: run(header + rows)) == {"documents.Document": 5}
    assert delta(lambda: run(header + rows)) == {}  # unchanged: nothing written
    edited = rows.replace("Title 0", "Edited 0").replace("Title 3", "Edited 3")
    assert delta(lambda: run(header + edited)) == {"documents.Document": 2}


def test_agent_import_name_forms_each_leave_one_row() -> None:
    ja = Language.objects.get_or_create(code="ja", defaults={"name": "Japanese"})[0]
    Language.objects.get_or_create(code="en", defaults={"name": "English"})
    agent = Agent.objects.create(identifier="t-hist-agent", kind="person", name="Taro")
    NameForm.objects.create(agent=agent, name="太郎", language=ja, script="Jpan", kind="original")
    NameForm.objects.create(agent=agent, name="たろう", language=ja, script="Hira", kind="variant")
    # keep one form, drop one, add one: the agent is updated (its list of names changed)
    body = (
        "identifier,kind,name,name_forms\n"
        "t-hist-agent,person,Taro,太郎|ja|Jpan|original ; Taro|en|Latn|authorized\n"
    )

    def run() -> None:
        result = import_file(body.encode(), filename="agents.csv", record_type="agents")
        assert result.ok, result.errors

    # one row for the agent, one for the deleted form, one for the created one
    assert delta(run) == {"people.Agent": 1, "people.NameForm": 2}
    assert delta(run) == {}  # the same file again changes nothing
    assert set(agent.name_forms.values_list("name", flat=True)) == {"太郎", "Taro"}
