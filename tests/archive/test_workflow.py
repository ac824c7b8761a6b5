"""The editorial workflow in the admin: groups, status rules, bulk actions, history, revert."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from archive.workflow import ADMINISTRATOR, CONTRIBUTOR, REVIEWER
from documents.models import Document, DocumentType

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/documents/document/"


def member_of(group: str, username: str) -> Client:
    user = User.objects.create_user(username, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def kind() -> DocumentType:
    return DocumentType.objects.create(code="t-wf", name="workflow test")


def make(kind: DocumentType, identifier: str, status: str) -> Document:
    return Document.objects.create(
        identifier=identifier, title=identifier, document_type=kind, status=status
    )


def test_groups_carry_their_permissions() -> None:
    def perms(name: str) -> set[str]:
        group = Group.objects.get(name=name)
        return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}

    contributor, reviewer, administrator = perms(CONTRIBUTOR), perms(REVIEWER), perms(ADMINISTRATOR)
    assert {"documents.change_document", "people.add_agent"} <= contributor
    assert not {"documents.publish_document", "documents.delete_document"} & contributor
    assert {"documents.publish_document", "documents.delete_document"} <= reviewer
    assert contributor < reviewer < administrator
    assert {"auth.add_user", "auth.change_group"} <= administrator


def test_contributor_cannot_publish_through_the_form(kind: DocumentType) -> None:
    doc = make(kind, "t-wf-draft", "draft")
    client = member_of(CONTRIBUTOR, "carol")
    url = f"{CHANGELIST}{doc.pk}/change/"
    page = client.get(url)
    choices = [value for value, _ in page.context["adminform"].form.fields["status"].choices]
    assert choices == ["draft", "review"]
    assert "restricted" in page.context["adminform"].readonly_fields
    response = client.post(
        url,
        {
            "identifier": doc.identifier,
            "title": "t",
            "document_type": kind.pk,
            "status": "published",
            "base_version": 1,
            **empty_inlines(page),
        },
    )
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    doc.refresh_from_db()
    assert doc.status == "draft"


def empty_inlines(page) -> dict[str, str]:
    data = {}
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.management_form.prefix
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def test_contributor_cannot_change_a_published_record(kind: DocumentType) -> None:
    doc = make(kind, "t-wf-live", "published")
    client = member_of(CONTRIBUTOR, "carol")
    url = f"{CHANGELIST}{doc.pk}/change/"
    assert client.get(url).context["has_change_permission"] is False  # read-only view
    assert client.post(url, {"title": "vandalised"}).status_code == 403
    doc.refresh_from_db()
    assert doc.title == "t-wf-live"


def test_contributor_cannot_use_reviewer_actions(kind: DocumentType) -> None:
    doc = make(kind, "t-wf-draft", "draft")
    client = member_of(CONTRIBUTOR, "carol")
    actions = client.get(CHANGELIST).context["action_form"].fields["action"].choices
    names = {name for name, _ in actions}
    assert "submit_for_review" in names
    assert not {"publish", "withdraw", "send_back", "delete_selected"} & names
    client.post(CHANGELIST, {"action": "publish", "_selected_action": [doc.pk]})
    doc.refresh_from_db()
    assert doc.status == "draft"


def test_submit_then_publish_then_withdraw(kind: DocumentType) -> None:
    docs = [make(kind, f"t-wf-{n}", "draft") for n in range(3)]
    ids = [d.pk for d in docs]
    contributor, reviewer = member_of(CONTRIBUTOR, "carol"), member_of(REVIEWER, "rita")
    contributor.post(CHANGELIST, {"action": "submit_for_review", "_selected_action": ids})
    assert set(Document.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"review"}
    reviewer.post(CHANGELIST, {"action": "publish", "_selected_action": ids})
    assert Document.objects.public().filter(pk__in=ids).count() == 3
    reviewer.post(CHANGELIST, {"action": "withdraw", "_selected_action": ids[:1]})
    assert Document.objects.get(pk=ids[0]).status == "withdrawn"
    # each record: created, submitted, published (+ withdrawn), one history entry per change
    history = docs[0].history.order_by("history_date")
    assert [h.status for h in history] == ["draft", "review", "published", "withdrawn"]
    assert [h.history_user.username if h.history_user else None for h in history][1:] == [
        "carol",
        "rita",
        "rita",
    ]
    assert docs[1].history.count() == 3


def test_send_back_needs_a_comment_and_keeps_it(kind: DocumentType) -> None:
    doc = make(kind, "t-wf-review", "review")
    reviewer = member_of(REVIEWER, "rita")
    ask = reviewer.post(CHANGELIST, {"action": "send_back", "_selected_action": [doc.pk]})
    assert ask.status_code == 200
    assert "Comment for the contributor" in ask.content.decode()
    reviewer.post(
        CHANGELIST,
        {"action": "send_back", "_selected_action": [doc.pk], "comment": "Check the date."},
    )
    doc.refresh_from_db()
    assert doc.status == "draft"
    assert doc.history.latest().history_change_reason == "Sent back: Check the date."


def test_compare_any_two_versions_and_revert(kind: DocumentType) -> None:
    doc = make(kind, "t-wf-v", "draft")
    for title in ("Second", "Third"):
        doc.title = title
        doc.save()
    reviewer = member_of(REVIEWER, "rita")
    oldest, newest = doc.history.earliest(), doc.history.latest()
    page = reviewer.get(
        f"{CHANGELIST}{doc.pk}/history/compare/",
        {"old": oldest.history_id, "new": newest.history_id},
    )
    assert ("title", "t-wf-v", "Third") in page.context["changes"]
    # revert to the first version: a new version (4) whose content is the first one
    url = f"{CHANGELIST}{doc.pk}/history/{oldest.history_id}/"
    form = reviewer.get(url).context["adminform"].form
    assert form.initial["base_version"] == 3
    data = {
        "identifier": doc.identifier,
        "title": "t-wf-v",
        "document_type": kind.pk,
        "status": "draft",
        "base_version": 3,
    }
    response = reviewer.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    doc.refresh_from_db()
    assert (doc.title, doc.version, doc.history.count()) == ("t-wf-v", 4, 4)
