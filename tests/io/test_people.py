"""Importing agents with their name forms, and relations between agents."""

from __future__ import annotations

import json

import pytest

from people.models import Agent, AgentRelation, NameForm
from tests.io.conftest import Holdings, csv_bytes, messages, run, snapshot

pytestmark = pytest.mark.django_db

HATOYAMA = {
    "identifier": "t-io-hatoyama",
    "kind": "person",
    "name": "Ichiro Hatoyama",
    "date_edtf": "1883/1959",
    "nationality": "JP",
    "status": "draft",
    "name_forms": [
        {"name": "Ichiro Hatoyama", "language": "en", "script": "Latn", "kind": "authorized"},
        {
            "name": "鳩山一郎",
            "language": "ja",
            "script": "Jpan",
            "kind": "original",
            "name_order": "family-first",
            "kana_reading": "はとやま いちろう",
        },
    ],
}


def agents_json(*records: dict) -> bytes:
    return json.dumps(list(records), ensure_ascii=False).encode("utf-8")


def test_agents_are_created_with_nested_name_forms(holdings: Holdings) -> None:
    result = run(agents_json(HATOYAMA), filename="agents.json")
    assert result.written, messages(result)
    agent = Agent.objects.get(identifier="t-io-hatoyama")
    assert agent.sort_name == "Ichiro Hatoyama"  # derived, as on a save
    assert str(agent.date_start) == "1883-01-01"
    forms = {(f.name, f.language.code, f.kana_reading) for f in agent.name_forms.all()}
    assert forms == {("Ichiro Hatoyama", "en", ""), ("鳩山一郎", "ja", "はとやま いちろう")}
    assert agent.history.count() == 1
    assert all(form.history.count() == 1 for form in agent.name_forms.all())


def test_name_forms_are_matched_updated_added_and_removed(holdings: Holdings) -> None:
    run(agents_json(HATOYAMA), filename="agents.json")
    kanji = NameForm.objects.get(name="鳩山一郎", agent__identifier="t-io-hatoyama")
    edited = {
        **HATOYAMA,
        "name_forms": [
            {**HATOYAMA["name_forms"][1], "given_name": "一郎"},
            {"name": "Hatoyama Ichirō", "language": "ja", "script": "Latn", "kind": "variant"},
        ],
    }
    result = run(agents_json(edited), filename="agents.json")
    assert result.rows[0].action == "update"
    assert [change.field for change in result.rows[0].changes] == ["name_forms"]
    agent = Agent.objects.get(identifier="t-io-hatoyama")
    assert sorted(agent.name_forms.values_list("name", flat=True)) == [
        "Hatoyama Ichirō",
        "鳩山一郎",
    ]
    assert NameForm.objects.get(pk=kanji.pk).given_name == "一郎"  # updated in place
    assert kanji.history.count() == 2
    english = NameForm.history.filter(name="Ichiro Hatoyama", agent__identifier="t-io-hatoyama")
    assert list(english.values_list("history_type", flat=True)) == ["-", "+"]
    assert agent.history.count() == 2  # the agent row: one entry for this import
    assert run(agents_json(edited), filename="agents.json").rows[0].action == "unchanged"


def test_name_forms_in_csv_use_the_compact_encoding(holdings: Holdings) -> None:
    row = {
        "identifier": "t-io-kono",
        "kind": "person",
        "name": "Ichiro Kono",
        "name_forms": "Ichiro Kono|en|Latn|authorized ; 河野一郎|ja|Jpan|original||family-first",
    }
    assert run(csv_bytes([row]), filename="agents.csv").written
    form = NameForm.objects.get(name="河野一郎", agent__identifier="t-io-kono")
    assert (form.language.code, form.script, form.kind, form.name_order) == (
        "ja",
        "Jpan",
        "original",
        "family-first",
    )


@pytest.mark.parametrize(
    ("forms", "expected"),
    [
        (
            "Kono|xx|Latn|authorized",
            "Row 2, name_forms: name form 1 (“Kono”), language: unknown language “xx”",
        ),
        (
            "Kono|en|Latn|famous",
            "Row 2, name_forms: name form 1 (“Kono”), kind: Value 'famous' is not a valid choice.",
        ),
        (
            "Kono|en|Latn|authorized ; Kono|en|Latn|variant",
            "Row 2, name_forms: name form 2 (“Kono”): the same name and language as name form 1",
        ),
        (
            "河野|ja|Jpan|original|||||kono",
            "Row 2, name_forms: name form 1 (“河野”), kana_reading: Use hiragana or katakana only.",
        ),
    ],
)
def test_name_form_errors_name_the_form_and_field(
    holdings: Holdings, forms: str, expected: str
) -> None:
    before = snapshot()
    row = {"identifier": "t-io-kono", "kind": "person", "name": "Kono", "name_forms": forms}
    assert messages(run(csv_bytes([row]), filename="agents.csv")) == [expected]
    assert snapshot() == before


def test_relations_are_matched_by_their_natural_key(holdings: Holdings) -> None:
    run(
        agents_json(
            HATOYAMA, {**HATOYAMA, "identifier": "t-io-kono", "name": "Kono", "name_forms": []}
        ),
        filename="agents.json",
    )
    relation = {
        "source": "t-io-kono",
        "relation_type": "t-io-advises",
        "target": "t-io-hatoyama",
        "date_edtf": "Showa 31",
        "description": "Minister of Agriculture in his cabinet",
    }
    assert run(csv_bytes([relation]), filename="relations.csv").written
    stored = AgentRelation.objects.get(source__identifier="t-io-kono")
    assert stored.date_edtf == "1956"
    again = run(csv_bytes([{**relation, "date_edtf": "1956", "description": "Edited"}]))
    assert again.record_type == "relations"
    assert [(row.key, row.action) for row in again.rows] == [
        ("t-io-kono t-io-advises t-io-hatoyama (1956)", "update")
    ]
    assert AgentRelation.objects.get(pk=stored.pk).description == "Edited"
    assert AgentRelation.objects.filter(source__identifier="t-io-kono").count() == 1


def test_relation_errors(holdings: Holdings) -> None:
    run(agents_json(HATOYAMA), filename="agents.json")
    rows = [
        {"source": "t-io-hatoyama", "relation_type": "t-io-advises", "target": "t-io-nobody"},
        {"source": "t-io-hatoyama", "relation_type": "t-io-advises", "target": "t-io-hatoyama"},
        {"source": "t-io-hatoyama", "relation_type": "t-io-advises", "target": "t-io-nobody"},
    ]
    assert messages(run(csv_bytes(rows), filename="relations.csv")) == [
        "Row 2, target: unknown agent “t-io-nobody”",
        "Row 3, target: An agent cannot be related to itself.",
        "Row 4, row: the same relation (t-io-hatoyama t-io-advises t-io-nobody) is also on row 2",
        "Row 4, target: unknown agent “t-io-nobody”",
    ]
