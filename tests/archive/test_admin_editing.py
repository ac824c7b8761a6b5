"""Curators never lose an edit: a save based on an older version is refused; history is kept."""

import html
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from documents.models import Document, DocumentType

pytestmark = pytest.mark.django_db


def curator(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser(username, f"{username}@example.org", "pw"))
    return client


def change_form_data(client: Client, url: str) -> dict[str, str]:
    """The change form as a browser would submit it unchanged (fields and inline management)."""
    response = client.get(url)
    assert 'name="base_version"' in response.content.decode()
    form = response.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data = {k: v.pk if hasattr(v, "pk") else v for k, v in data.items()}
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{management.prefix}-{name}"] = management[name].value()
    data.pop("languages", None), data.pop("subjects", None), data.pop("places", None)
    return {k: str(v) for k, v in data.items()}


def test_the_second_of_two_concurrent_saves_is_refused() -> None:
    kind = DocumentType.objects.create(code="t-kind", name="kind")
    doc = Document.objects.create(identifier="t-doc", title="Original title", document_type=kind)
    url = f"/admin/documents/document/{doc.pk}/change/"
    alice, bob = curator("alice"), curator("bob")
    alice_form = change_form_data(alice, url)
    bob_form = change_form_data(bob, url)  # both opened version 1
    assert alice_form["base_version"] == bob_form["base_version"] == "1"

    response = alice.post(url, {**alice_form, "title": "Alice's title"})
    assert response.status_code == 302, response.context["adminform"].form.errors

    response = bob.post(url, {**bob_form, "title": "Bob's title"})
    assert response.status_code == 200  # the form comes back instead of saving
    message = html.unescape(
        re.sub(r"<[^>]+>", " ", str(response.context["adminform"].form.non_field_errors()))
    )
    assert "changed by alice" in message
    assert "(version 2) after you opened it (version 1)" in message
    assert "title: “Original title” → “Alice's title”" in message
    doc.refresh_from_db()
    assert (doc.title, doc.version) == ("Alice's title", 2)


def test_every_admin_save_is_kept_in_history_with_its_author() -> None:
    kind = DocumentType.objects.create(code="t-kind", name="kind")
    doc = Document.objects.create(identifier="t-doc", title="One", document_type=kind)
    url = f"/admin/documents/document/{doc.pk}/change/"
    alice = curator("alice")
    alice.post(url, {**change_form_data(alice, url), "title": "Two"})
    latest, first = doc.history.order_by("-history_date")[:2]
    assert (latest.title, latest.history_user.username, first.title) == ("Two", "alice", "One")
    assert alice.get(f"/admin/documents/document/{doc.pk}/history/").status_code == 200
