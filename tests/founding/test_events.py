"""The events of the founding collection, checked against the seed texts.

The chronology (fixtures/50_events.yaml) runs from Hatoyama's appointment as Prime Minister on
7 December 1954 to the arrival of the last repatriation ship on 26 December 1956 (Saito, ch. 3,
sections 1 and 9). Expected values are quoted from the seeds in /work/shared/seeds.
"""

import datetime

import pytest

from archive.models import PublicationStatus
from documents.chronology import agent_chronology, timeline_entries
from documents.models import Event, EventDocument, EventParticipant
from people.models import Agent

pytestmark = pytest.mark.django_db


def participants(identifier: str) -> set[tuple[str, str]]:
    return set(
        EventParticipant.objects.filter(event__identifier=identifier).values_list(
            "agent__identifier", "role"
        )
    )


def test_the_chronology_starts_with_hatoyamas_appointment() -> None:
    first = Event.objects.public().order_by("date_start", "time_start").first()
    assert first.identifier == "hatoyama-appointed-prime-minister-1954-12-07"
    assert first.date_start == datetime.date(1954, 12, 7)  # "On December 7, 1954"
    assert ("hatoyama-ichiro", "participant") in participants(first.identifier)


def test_the_chronology_ends_with_the_last_repatriation_ship() -> None:
    last = Event.objects.public().order_by("-date_start", "-time_start").first()
    assert last.identifier == "last-repatriation-ship-1956-12-26"
    assert last.date_start == last.date_end == datetime.date(1956, 12, 26)
    assert last.kind == "repatriation"
    assert last.place.identifier == "maizuru"
    assert "Koan Maru" in last.title
    assert "1,025 internees" in last.summary


def test_every_event_lies_within_the_founding_period() -> None:
    for event in Event.objects.all():
        assert event.date_start >= datetime.date(1954, 12, 7), event.identifier
        assert event.date_end <= datetime.date(1956, 12, 31), event.identifier
        assert event.source, f"{event.identifier} does not say where it is stated"


@pytest.mark.parametrize(
    ("identifier", "date"),
    [
        ("hatoyama-press-conference-1954-12-10", "1954-12-10"),
        ("shigemitsu-foreign-policy-message-1954-12-11", "1954-12-11"),
        ("molotov-statement-1954-12-16", "1954-12-16"),
        ("domnitsky-visit-1955-01-07", "1955-01-07"),
        ("bulganin-becomes-premier-1955-02-08", "1955-02-08"),
        ("london-talks-first-meeting-1955-06-01", "1955-06-01"),
        ("london-talks-session-3-1955-06-14", "1955-06-14"),
        ("london-talks-lawn-meeting-1955-08-04", "1955-08-04"),
        ("london-talks-session-23-1956-03-20", "1956-03-20"),
        ("fisheries-signing-1956-05-15", "1956-05-15"),
        ("moscow-talks-first-meeting-1956-07-31", "1956-07-31"),
        ("matsumoto-gromyko-letters-1956-09-29", "1956-09-29"),
        ("hatoyama-delegation-departs-1956-10-07", "1956-10-07"),
        ("signing-joint-declaration-1956-10-19", "1956-10-19"),
        ("house-of-representatives-adopts-1956-11-27", "1956-11-27"),
        ("house-of-councillors-passes-1956-12-05", "1956-12-05"),
        ("joint-declaration-ratified-1956-12-07", "1956-12-07"),
        ("exchange-of-ratifications-1956-12-12", "1956-12-12"),
        ("amnesty-decree-1956-12-23", "1956-12-23"),
    ],
)
def test_key_dates_are_those_the_seeds_give(identifier: str, date: str) -> None:
    event = Event.objects.get(identifier=identifier)
    assert event.date_edtf == date
    assert event.date_start == event.date_end == datetime.date.fromisoformat(date)


def test_the_london_talks_and_their_sessions() -> None:
    london = Event.objects.get(identifier="london-talks-1955-1956")
    assert (london.date_start, london.date_end) == (
        datetime.date(1955, 6, 1),
        datetime.date(1956, 3, 20),
    )
    assert {("matsumoto-shunichi", "head"), ("malik-yakov", "head")} <= participants(
        london.identifier
    )
    assert ("adyrkhaev-nikolai", "interpreter") in participants(london.identifier)
    sessions = london.children.order_by("date_start").values_list("date_start", flat=True)
    assert sessions[0] == datetime.date(1955, 6, 1)
    assert sessions.reverse()[0] == datetime.date(1956, 3, 20)
    assert all(child.place.identifier == "london" for child in london.children.all())


def test_the_khrushchev_kono_conversation_of_18_october_with_its_times() -> None:
    talk = Event.objects.get(identifier="kono-khrushchev-talk-1956-10-18")
    # "The conversation started at 16:15 and ended at 16:55"
    assert talk.time_display == "16:15–16:55"
    assert talk.kind == "conversation"
    assert talk.parent.identifier == "kono-khrushchev-talks-1956-10"
    assert talk.parent.parent.identifier == "moscow-talks-1956-10"
    assert participants(talk.identifier) == {
        ("kono-ichiro", "head"),
        ("khrushchev-nikita", "head"),
        ("rozhetskin-a", "recorder"),  # "A. Rozhetskin recorded [the conversation]"
    }
    record = EventDocument.objects.get(event=talk, relation="record")
    assert record.document.identifier == "memcon-khrushchev-kono-1956-10-18"
    follow_up = Event.objects.get(identifier="kono-khrushchev-follow-up-1956-10-18")
    assert follow_up.time_display == "18:00"  # "Took place at 18:00"


def test_the_signing_of_the_joint_declaration() -> None:
    signing = Event.objects.get(identifier="signing-joint-declaration-1956-10-19")
    assert signing.place.identifier == "kremlin"
    signatories = EventParticipant.objects.filter(event=signing, role="signatory")
    by_side = {(p.agent.identifier, p.side.identifier) for p in signatories}
    # "Premier Bulganin and Foreign Minister Shepilov signed, representing the Soviet side, and
    # Prime Minister Hatoyama, ... Kono, and Plenipotentiary Matsumoto signed for the Japanese"
    assert by_side == {
        ("bulganin-nikolai", "government-of-the-ussr"),
        ("shepilov-dmitri", "government-of-the-ussr"),
        ("hatoyama-ichiro", "government-of-japan"),
        ("kono-ichiro", "government-of-japan"),
        ("matsumoto-shunichi", "government-of-japan"),
    }
    results = set(
        EventDocument.objects.filter(event=signing, relation="result").values_list(
            "document__identifier", flat=True
        )
    )
    assert results == {"joint-declaration-1956", "protocol-japan-ussr-trade-1956-10-19"}


def test_the_kono_bulganin_talks_had_an_interpreter() -> None:
    # "Nikolai Adyrkhaev ... was in charge of interpreting" (9 May 1956)
    assert ("adyrkhaev-nikolai", "interpreter") in participants("kono-bulganin-talks-1956-05-09")


def test_the_ratification_steps() -> None:
    steps = Event.objects.filter(kind="ratification").order_by("date_start")
    assert [step.date_start for step in steps] == [
        datetime.date(1956, 11, 27),
        datetime.date(1956, 12, 5),
        datetime.date(1956, 12, 7),
        datetime.date(1956, 12, 12),
    ]
    exchange = steps.last()
    assert exchange.place.identifier == "tokyo"  # "took place on December 12, 1956, in Tokyo"


def test_visibility_material() -> None:
    assert Event.objects.get(identifier="khabarovsk-incident-1955-1956").status == (
        PublicationStatus.DRAFT
    )
    link = EventDocument.objects.get(document__identifier="instruction-molotov-domnitsky-1954-12")
    assert not link.document.is_public
    assert link.event.is_public


def test_kono_chronology_runs_from_the_fisheries_talks_to_the_signing() -> None:
    entries = agent_chronology(Agent.objects.get(identifier="kono-ichiro"))
    events = [entry for entry in entries if entry.kind == "event"]
    dates = [entry.date_start for entry in entries if entry.date_start]
    assert dates == sorted(dates)
    titles = [entry.title for entry in events]
    assert "Kono's talks with Bulganin in the Kremlin" in titles
    signing = next(e for e in events if e.record.identifier.startswith("signing-joint"))
    assert signing.roles == ["signatory"]
    # the conversation of 16:15 comes before the follow-up at 18:00 on the same day
    same_day = [e.record.identifier for e in events if e.date_start == datetime.date(1956, 10, 18)]
    assert same_day.index("kono-khrushchev-talk-1956-10-18") < same_day.index(
        "kono-khrushchev-follow-up-1956-10-18"
    )
    assert any(entry.kind == "document" for entry in entries)


def test_the_timeline_of_1956_merges_events_and_documents() -> None:
    entries = timeline_entries(1956)
    kinds = {entry.kind for entry in entries}
    assert kinds == {"event", "document"}
    identifiers = [entry.record.identifier for entry in entries]
    assert "last-repatriation-ship-1956-12-26" in identifiers
    assert "joint-declaration-1956" in identifiers
    assert "khabarovsk-incident-1955-1956" not in identifiers  # a draft
    assert "letter-bulganin-hatoyama-repatriation-1956" not in identifiers  # a draft document
