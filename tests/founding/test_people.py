"""The people and organizations of the founding collection, checked against the seed texts.

These tests read the founding collection as loaded by ``tests/conftest.py`` (fixture
``fixtures/20_people.yaml``): the agents the seeds name, the forms of their names in each
source and script, the offices they held with their dates, and the relations between them,
each of which must cite the document or publication that states it.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from people.models import (
    Agent,
    AgentRelation,
    AgentRelationType,
    AuthorityIdentifier,
    NameForm,
    Position,
)

pytestmark = pytest.mark.django_db

SAITO = "saito-negotiations-normalize-japan-soviet-relations"

# Identifiers other fixture files and helpers rely on.
REQUIRED_AGENTS = [
    "hatoyama-ichiro",
    "khrushchev-nikita",
    "kono-ichiro",
    "matsumoto-shunichi",
    "gromyko-andrei",
    "bulganin-nikolai",
    "shigemitsu-mamoru",
    "yoshida-shigeru",
    "hayashi-joji",
    "nomura-kichisaburo",
    "molotov-vyacheslav",
    "malik-yakov",
    "domnitsky-andrei",
    "shepilov-dmitri",
    "fedorenko-nikolai",
    "ishkov-aleksandr",
    "sugihara-arata",
    "radchenko-sergey",
    "smith-allison",
    "saito-motohide",
    "rozhetskin-a",
    "panov-a-n",
    "government-of-japan",
    "government-of-the-ussr",
    "ministry-of-foreign-affairs-japan",
    "ministry-of-foreign-affairs-ussr",
    "liberal-democratic-party",
    "democratic-party-japan",
    "cpsu-central-committee",
    "blavatnik-family-foundation",
    "wilson-center-hppp",
    "hokuyo-fisheries",
    "kyodo-news",
    "mgimo-university",
    "isk-ran",
]


def agent_named(name: str, language: str | None = None) -> set[str]:
    """Identifiers of the agents that carry ``name`` as one of their name forms."""
    forms = NameForm.objects.filter(name=name)
    if language:
        forms = forms.filter(language__code=language)
    return set(forms.values_list("agent__identifier", flat=True))


def relation(source: str, code: str, target: str, **filters: object) -> AgentRelation | None:
    """The relation ``source -code-> target``, read in either direction when symmetric."""
    relations = AgentRelation.objects.filter(relation_type__code=code, **filters)
    found = relations.filter(source__identifier=source, target__identifier=target).first()
    if found is None and AgentRelationType.objects.get(code=code).symmetric:
        found = relations.filter(source__identifier=target, target__identifier=source).first()
    return found


# ------------------------------------------------------------------ agents


def test_required_agents_exist() -> None:
    present = set(Agent.objects.values_list("identifier", flat=True))
    missing = [identifier for identifier in REQUIRED_AGENTS if identifier not in present]
    assert not missing, f"agents other fixtures rely on are missing: {missing}"


def test_more_than_fifty_persons() -> None:
    persons = Agent.objects.filter(kind="person").count()
    assert persons > 50, f"the seeds name well over fifty people; only {persons} persons loaded"


def test_kinds_and_nationalities() -> None:
    assert Agent.objects.get(identifier="hatoyama-ichiro").nationality == "JP"
    assert Agent.objects.get(identifier="khrushchev-nikita").nationality == "SU"
    assert Agent.objects.get(identifier="adenauer-konrad").nationality == "DE"
    assert Agent.objects.get(identifier="liberal-democratic-party").kind == "organization"
    assert Agent.objects.get(identifier="hatoyama-family").kind == "family"
    organizations = Agent.objects.filter(kind="organization").count()
    assert organizations >= 30, f"only {organizations} organizations loaded"


def test_agents_are_published_with_biographies() -> None:
    unpublished = list(
        Agent.objects.exclude(status="published").values_list("identifier", flat=True)
    )
    assert not unpublished, f"agents not published: {unpublished}"
    no_biography = list(Agent.objects.filter(biography="").values_list("identifier", flat=True))
    assert not no_biography, f"agents without a biography: {no_biography}"


def test_preferred_and_sort_names() -> None:
    hatoyama = Agent.objects.get(identifier="hatoyama-ichiro")
    assert hatoyama.name == "Ichiro Hatoyama"
    assert hatoyama.sort_name == "Hatoyama, Ichiro"
    khrushchev = Agent.objects.get(identifier="khrushchev-nikita")
    assert khrushchev.name == "Nikita Khrushchev"
    assert khrushchev.sort_name == "Khrushchev, Nikita"


def test_dates_of_existence_only_where_stated() -> None:
    stalin = Agent.objects.get(identifier="stalin-joseph")
    assert stalin.date_end == datetime.date(1953, 12, 31), "the chapter says Stalin died in 1953"
    ldp = Agent.objects.get(identifier="liberal-democratic-party")
    assert ldp.date_start == datetime.date(1955, 11, 15), "the LDP was founded on 15 November 1955"
    assert Agent.objects.get(identifier="hatoyama-ichiro").date_edtf == ""


# ------------------------------------------------------------------ name forms


@pytest.mark.parametrize(
    ("name", "identifier"),
    [
        ("Никита Хрущёв", "khrushchev-nikita"),
        ("Khrushchov", "khrushchev-nikita"),
        ("Nikita Khruschov", "khrushchev-nikita"),
        ("Nikita Khrushchev", "khrushchev-nikita"),
        ("N.S. Khrushchev", "khrushchev-nikita"),
        ("HATOYAMA Ichiro", "hatoyama-ichiro"),
        ("Hatoyama Ichirō", "hatoyama-ichiro"),
        ("Kōno Ichirō", "kono-ichiro"),
        ("Kōno, I.", "kono-ichiro"),
        ("S. Matsumoto", "matsumoto-shunichi"),
        ("A.A. Gromyko", "gromyko-andrei"),
        ("Андрей Громыко", "gromyko-andrei"),
        ("Вячеслав Молотов", "molotov-vyacheslav"),
        ("Андрей Домницкий", "domnitsky-andrei"),
        ("NOMURA Kichisaburo", "nomura-kichisaburo"),
        ("HAYASHI Joji", "hayashi-joji"),
        ("YOSHIDA Shigeru", "yoshida-shigeru"),
        ("Совет Министров СССР", "council-of-ministers-ussr"),
        ("LDP", "liberal-democratic-party"),
    ],
)
def test_name_form_finds_agent(name: str, identifier: str) -> None:
    found = agent_named(name)
    assert found == {identifier}, f"name form {name!r} should find {identifier}, found {found}"


@pytest.mark.parametrize(
    ("kanji", "reading", "identifier"),
    [
        ("鳩山一郎", "はとやま いちろう", "hatoyama-ichiro"),
        ("河野一郎", "こうの いちろう", "kono-ichiro"),
        ("吉田茂", "よしだ しげる", "yoshida-shigeru"),
        ("重光葵", "しげみつ まもる", "shigemitsu-mamoru"),
        ("松本俊一", "まつもと しゅんいち", "matsumoto-shunichi"),
        ("野村吉三郎", "のむら きちさぶろう", "nomura-kichisaburo"),
        ("林譲治", "はやし じょうじ", "hayashi-joji"),
    ],
)
def test_japanese_names_with_readings(kanji: str, reading: str, identifier: str) -> None:
    form = NameForm.objects.filter(name=kanji, language__code="ja").first()
    assert form is not None, f"no Japanese name form {kanji}"
    assert form.agent.identifier == identifier
    assert form.kana_reading == reading, f"{kanji} should read {reading}, not {form.kana_reading}"
    assert form.script == "Jpan"
    assert form.name_order == "family-first"


def test_ndl_form_is_family_first_from_the_ndl_page() -> None:
    form = NameForm.objects.get(agent__identifier="hatoyama-ichiro", name="HATOYAMA Ichiro")
    assert form.name_order == "family-first"
    assert form.family_name == "HATOYAMA"
    assert form.given_name == "Ichiro"
    assert "NDL" in form.source


def test_hepburn_forms_have_macrons() -> None:
    kono = NameForm.objects.get(
        agent__identifier="kono-ichiro", transliteration="hepburn", language__code="ja"
    )
    assert kono.name == "Kōno Ichirō"
    assert kono.language.code == "ja"
    assert kono.name_order == "family-first"


def test_cyrillic_original_and_transliterations() -> None:
    khrushchev = NameForm.objects.get(agent__identifier="khrushchev-nikita", kind="original")
    assert khrushchev.name == "Никита Хрущёв"
    assert khrushchev.script == "Cyrl"
    assert khrushchev.language.code == "ru"
    bulganin = {
        form.transliteration: form.name
        for form in NameForm.objects.filter(
            agent__identifier="bulganin-nikolai", kind="transliteration"
        )
    }
    assert bulganin == {"ala-lc": "Nikolaĭ Bulganin", "bgn-pcgn": "Nikolay Bulganin"}


def test_every_agent_has_exactly_one_authorized_english_form() -> None:
    problems = []
    for agent in Agent.objects.all():
        authorized = list(agent.name_forms.filter(kind="authorized"))
        if len(authorized) != 1:
            problems.append(f"{agent.identifier}: {len(authorized)} authorized forms")
        elif authorized[0].language.code != "en" or authorized[0].name != agent.name:
            problems.append(f"{agent.identifier}: authorized form {authorized[0].name!r}")
    assert not problems, "; ".join(problems)


def test_kana_readings_only_on_japanese_forms() -> None:
    stray = NameForm.objects.exclude(kana_reading="").exclude(language__code="ja")
    assert not stray.exists(), f"kana readings on non-Japanese forms: {list(stray)}"


# ------------------------------------------------------------------ positions


def position(identifier: str, title: str) -> Position:
    positions = Position.objects.filter(agent__identifier=identifier, title=title)
    assert positions.count() == 1, f"{identifier} should hold {title!r} once"
    return positions.get()


def test_hatoyama_prime_minister_from_7_december_1954() -> None:
    prime_minister = position("hatoyama-ichiro", "Prime Minister of Japan")
    assert prime_minister.date_start == datetime.date(1954, 12, 7)
    assert prime_minister.organization.identifier == "government-of-japan"
    president = position("hatoyama-ichiro", "President of the Democratic Party")
    assert president.organization.identifier == "democratic-party-japan"


def test_yoshida_prime_minister_until_hatoyama() -> None:
    yoshida = position("yoshida-shigeru", "Prime Minister of Japan")
    assert yoshida.date_end == datetime.date(1954, 12, 7)


def test_bulganin_defence_then_premier_from_february_1955() -> None:
    defence = position("bulganin-nikolai", "Minister of Defence")
    premier = position(
        "bulganin-nikolai", "Chairman of the Council of Ministers of the USSR (Premier)"
    )
    assert defence.date_end == datetime.date(1955, 2, 8)
    assert premier.date_start == datetime.date(1955, 2, 8)
    assert premier.organization.identifier == "council-of-ministers-ussr"
    malenkov = position(
        "malenkov-georgy", "Chairman of the Council of Ministers of the USSR (Premier)"
    )
    assert malenkov.date_end == premier.date_start, "Bulganin took over from Malenkov"


def test_key_offices() -> None:
    expected = [
        ("kono-ichiro", "Minister of Agriculture, Forestry and Fisheries", "maff-japan"),
        ("matsumoto-shunichi", "Vice-Minister for Foreign Affairs", None),
        ("matsumoto-shunichi", "Ambassador of Japan to Britain", None),
        ("malik-yakov", "Soviet Ambassador to Britain", "soviet-embassy-london"),
        ("malik-yakov", "Soviet Ambassador to Japan", None),
        ("khrushchev-nikita", "First Secretary of the Central Committee", "cpsu-central-committee"),
        (
            "domnitsky-andrei",
            "Acting Chief of the former Soviet mission in Tokyo",
            "soviet-mission-tokyo",
        ),
        (
            "nomura-kichisaburo",
            "Chairman of the Liberal Democratic Party's caucus for House of Councillors members",
            "ldp-councillors-caucus",
        ),
        ("ishkov-aleksandr", "Minister of Fisheries", "ministry-of-fisheries-ussr"),
        ("shepilov-dmitri", "Editor-in-chief", "pravda"),
    ]
    for identifier, title, organization in expected:
        held = position(identifier, title)
        if organization:
            assert held.organization is not None, f"{identifier} {title}: no organization"
            assert held.organization.identifier == organization, f"{identifier} {title}"
    london = position("matsumoto-shunichi", "Plenipotentiary, London peace talks")
    assert london.date_start == datetime.date(1955, 6, 1), "the London talks opened on 1 June 1955"


def test_positions_cite_their_source() -> None:
    unsourced = list(Position.objects.filter(source="").values_list("agent__identifier", "title"))
    assert not unsourced, f"positions without a source: {unsourced}"


# ------------------------------------------------------------------ relations


def test_hatoyama_and_yoshida_are_rivals() -> None:
    rivals = relation("yoshida-shigeru", "rival-of", "hatoyama-ichiro")
    assert rivals is not None, "the chapter calls Yoshida Hatoyama's greatest political rival"
    assert AgentRelationType.objects.get(code="rival-of").symmetric


def test_matsumoto_and_malik_are_counterparts_in_london() -> None:
    counterparts = relation(
        "malik-yakov",
        "negotiating-counterpart-of",
        "matsumoto-shunichi",
        date_edtf__contains="1955",
    )
    assert counterparts is not None, "Matsumoto and Malik were the London plenipotentiaries"
    assert counterparts.date_start == datetime.date(1955, 6, 1)


def test_sugihara_advised_hatoyama() -> None:
    adviser = relation("sugihara-arata", "adviser-to", "hatoyama-ichiro")
    assert adviser is not None, "Sugihara was Hatoyama's private foreign-policy adviser"
    assert relation("hatoyama-ichiro", "adviser-to", "sugihara-arata") is None, (
        "adviser-to is directed: Hatoyama did not advise Sugihara"
    )


def test_domnitsky_channel() -> None:
    for intermediary in ("sugihara-arata", "majima-kan", "ogata-shoji", "hiratsuka-tsunejiro"):
        found = relation(intermediary, "intermediary-for", "domnitsky-andrei")
        assert found is not None, f"{intermediary} helped deliver the Domnitsky note"
        assert found.date_edtf == "1955-01"
    assert relation("domnitsky-andrei", "friend-of", "fujita-kazuo") is not None
    assert relation("domnitsky-andrei", "subordinate-of", "molotov-vyacheslav") is not None


def test_negotiating_counterparts() -> None:
    pairs = [
        ("kono-ichiro", "khrushchev-nikita"),
        ("kono-ichiro", "ishkov-aleksandr"),
        ("shigemitsu-mamoru", "shepilov-dmitri"),
        ("matsumoto-shunichi", "gromyko-andrei"),
    ]
    for one, other in pairs:
        assert relation(other, "negotiating-counterpart-of", one) is not None, (
            f"{one} and {other} should be negotiating counterparts"
        )


def test_kono_khrushchev_talks_cite_the_memorandum() -> None:
    talks = relation("kono-ichiro", "negotiating-counterpart-of", "khrushchev-nikita")
    documents = set(talks.supporting_documents.values_list("identifier", flat=True))
    assert "memcon-khrushchev-kono-1956-10-18" in documents


def test_signatories_of_the_joint_declaration() -> None:
    signed = AgentRelation.objects.filter(
        relation_type__code="signatory-for", date_edtf="1956-10-19"
    )
    by_side = {
        (r.source.identifier, r.target.identifier)
        for r in signed.select_related("source", "target")
    }
    assert by_side == {
        ("hatoyama-ichiro", "government-of-japan"),
        ("kono-ichiro", "government-of-japan"),
        ("matsumoto-shunichi", "government-of-japan"),
        ("bulganin-nikolai", "government-of-the-ussr"),
        ("shepilov-dmitri", "government-of-the-ussr"),
    }
    for signatory in signed:
        documents = set(signatory.supporting_documents.values_list("identifier", flat=True))
        assert "joint-declaration-1956" in documents, f"{signatory} should cite the declaration"


def test_every_relation_cites_evidence() -> None:
    uncited = [
        str(r)
        for r in AgentRelation.objects.all()
        if not r.supporting_documents.exists() and not r.supporting_publications.exists()
    ]
    assert not uncited, f"relations citing no document or publication: {uncited}"
    no_note = list(AgentRelation.objects.filter(source_note="").values_list("pk", flat=True))
    assert not no_note, f"relations without a source note: {no_note}"


def test_relations_cite_the_saito_chapter() -> None:
    citing = AgentRelation.objects.filter(supporting_publications__identifier=SAITO).count()
    assert citing >= 100, f"only {citing} relations cite Saito's chapter"


def test_work_in_progress_relations_are_not_public() -> None:
    statuses = set(AgentRelation.objects.values_list("status", flat=True))
    assert {"draft", "review", "published"} <= statuses
    hidden = AgentRelation.objects.exclude(pk__in=AgentRelation.objects.public())
    assert set(hidden.values_list("status", flat=True)) == {"draft", "review"}


def test_symmetric_types_read_the_same_both_ways() -> None:
    for relation_type in AgentRelationType.objects.all():
        if relation_type.symmetric:
            assert relation_type.label == relation_type.inverse_label, relation_type.code


# ------------------------------------------------------------------ authority identifiers


def test_authority_identifiers_belong_to_the_right_agents() -> None:
    for identifier in AuthorityIdentifier.objects.select_related("agent", "scheme"):
        assert identifier.scheme.code in {"wikidata", "viaf", "ndl-authority"}
        if identifier.scheme.code == "wikidata":
            assert identifier.value.startswith("Q"), identifier.value
    stalin = AuthorityIdentifier.objects.filter(scheme__code="wikidata", value="Q855").first()
    assert stalin is None or stalin.agent.identifier == "stalin-joseph"


# ------------------------------------------------------------------ validation


def test_every_record_passes_full_clean() -> None:
    errors = []
    for model in (Agent, NameForm, Position, AgentRelation, AgentRelationType):
        for obj in model.objects.all():
            try:
                obj.full_clean()
            except ValidationError as exc:
                errors.append(f"{model.__name__} {obj!r}: {exc}")
    assert not errors, "\n".join(errors)
