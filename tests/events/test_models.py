"""Rules of events, their participants and documents: validation, constraints, history."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from documents.models import Event, EventParticipant
from tests.events.conftest import Scene


def test_dates_are_derived_and_times_shown(scene: Scene) -> None:
    scene.session.refresh_from_db()
    assert str(scene.session.date_start) == str(scene.session.date_end) == "1957-01-10"
    assert scene.session.time_display == "10:00–12:30"
    assert scene.talks.date_display
    assert scene.talks.time_display == ""


def test_bad_date_is_refused_naming_the_field(scene: Scene) -> None:
    event = Event(identifier="t-ev-bad", title="Bad", kind="meeting", date_edtf="not a date")
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "date_edtf" in error.value.message_dict


def test_ending_time_before_starting_time_is_refused(scene: Scene) -> None:
    scene.session.time_end = "09:00"
    with pytest.raises(ValidationError) as error:
        scene.session.full_clean()
    assert "time_end" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=scene.session.pk).update(time_end="09:00")


def test_ending_time_needs_a_starting_time(scene: Scene) -> None:
    event = Event(identifier="t-ev-t", title="T", kind="meeting", time_end="10:00")
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "time_start" in error.value.message_dict


def test_an_event_cannot_be_part_of_its_own_parts(scene: Scene) -> None:
    scene.talks.parent = scene.session
    with pytest.raises(ValidationError) as error:
        scene.talks.full_clean()
    assert "parent" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=scene.talks.pk).update(parent=scene.talks.pk)


def test_a_participant_is_unique_per_role_and_not_its_own_side(scene: Scene) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        EventParticipant.objects.create(event=scene.session, agent=scene.envoy, role="head")
    participant = EventParticipant(
        event=scene.session, agent=scene.japan, role="host", side=scene.japan
    )
    with pytest.raises(ValidationError) as error:
        participant.full_clean()
    assert "side" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        participant.save()


def test_natural_keys_and_history(scene: Scene) -> None:
    participant = EventParticipant.objects.get(event=scene.session, agent=scene.envoy)
    assert EventParticipant.objects.get_by_natural_key(*participant.natural_key()) == participant
    assert Event.objects.get_by_natural_key("t-ev-session") == scene.session
    scene.session.title = "Zq first session, renamed"
    scene.session.save()
    assert scene.session.history.count() == 2
    assert scene.session.version == 2


def test_public_scopes(scene: Scene) -> None:
    public = set(Event.objects.public().values_list("identifier", flat=True))
    assert {"t-ev-talks", "t-ev-session"} <= public
    assert "t-ev-draft" not in public
    shown = EventParticipant.objects.filter(EventParticipant.public_q(), event=scene.session)
    assert [p.agent for p in shown] == [scene.envoy]  # the draft agent is not public
