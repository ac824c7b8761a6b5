"""The curator admin for events: the workflow's stale-save protection and its inlines."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.models import User
from django.forms.models import model_to_dict
from django.test import Client, RequestFactory

from documents.models import Event
from tests.events.conftest import Scene


def form_data(event: Event, **changes: Any) -> dict[str, Any]:
    fields = ["identifier", "title", "kind", "date_edtf", "time_start", "time_end", "place"]
    fields += ["venue", "parent", "summary", "source", "status", "restricted"]
    data = {k: ("" if v is None else v) for k, v in model_to_dict(event, fields=fields).items()}
    return {**data, **changes}


def test_a_save_based_on_an_older_version_is_refused(scene: Scene, rf: RequestFactory) -> None:
    request = rf.get("/")
    request.user = User.objects.create_superuser("t-ev-admin", "a@example.org", "pw")
    model_admin = admin.site._registry[Event]
    form_class = model_admin.get_form(request, scene.session)
    scene.session.title = "Zq changed meanwhile"
    scene.session.save()  # version 2 now
    form = form_class(
        form_data(scene.session, title="Zq my edit", base_version=1), instance=scene.session
    )
    assert not form.is_valid()
    assert "version" in str(form.errors).lower()
    scene.session.refresh_from_db()
    assert scene.session.title == "Zq changed meanwhile"
    fresh = form_class(
        form_data(scene.session, title="Zq my edit", base_version=2), instance=scene.session
    )
    assert fresh.is_valid(), fresh.errors


def test_change_page_shows_participants_documents_and_sessions(
    client: Client, scene: Scene
) -> None:
    client.force_login(User.objects.create_superuser("t-ev-admin2", "b@example.org", "pw"))
    page = client.get(f"/admin/documents/event/{scene.talks.pk}/change/").content.decode()
    assert "Participants in events" in page
    assert "Documents of events" in page
    assert "Zq first session" in page  # a session, listed on its negotiation
