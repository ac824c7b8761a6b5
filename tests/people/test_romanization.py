"""Standard romanizations proposed for Japanese (from the kana reading) and Russian names."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from archive.models import Language
from archive.workflow import CONTRIBUTOR
from people.models import Agent, NameForm
from people.romanization import cyrillic, hepburn, missing_romanizations
from tests.forms import default_button


@pytest.mark.parametrize(
    ("kana", "expected"),
    [
        ("はとやま いちろう", "Hatoyama Ichirō"),
        ("こうの いちろう", "Kōno Ichirō"),
        ("おおの ばんぼく", "Ōno Banboku"),
        ("しげみつ まもる", "Shigemitsu Mamoru"),
        ("まつもと しゅんいち", "Matsumoto Shun'ichi"),  # syllabic n before a vowel
        ("きょうと", "Kyōto"),
        ("ほっかいどう", "Hokkaidō"),  # sokuon doubles the consonant
        ("まっちゃ", "Matcha"),  # ... and is t before ch
        ("しんぶん", "Shinbun"),
        ("ゆうき", "Yūki"),
        ("コーヒー", "Kōhī"),  # katakana and the long-vowel mark
        ("いいだ", "Iida"),  # i+i stays
        ("えいじ", "Eiji"),  # e+i stays
    ],
)
def test_hepburn_with_macrons(kana: str, expected: str) -> None:
    assert hepburn(kana) == expected


def test_hepburn_refuses_what_is_not_kana() -> None:
    with pytest.raises(ValueError, match="not kana"):
        hepburn("鳩山")


@pytest.mark.django_db
def test_hepburn_agrees_with_the_founding_collections_forms() -> None:
    """Every founding Japanese name with a reading whose words the reading separates."""
    checked = 0
    for form in NameForm.objects.exclude(kana_reading="").filter(kana_reading__contains=" "):
        stored = set(
            NameForm.objects.filter(agent=form.agent, transliteration="hepburn").values_list(
                "name", flat=True
            )
        )
        if stored:
            assert hepburn(form.kana_reading) in stored, form.kana_reading
            checked += 1
    assert checked >= 5


@pytest.mark.parametrize(
    ("name", "ala_lc", "bgn_pcgn"),
    [
        ("Николай Булганин", "Nikolaĭ Bulganin", "Nikolay Bulganin"),
        ("Никита Хрущёв", "Nikita Khrushchëv", "Nikita Khrushchëv"),
        ("Андрей Громыко", "Andreĭ Gromyko", "Andrey Gromyko"),
    ],
)
def test_russian_in_ala_lc_and_bgn_pcgn(name: str, ala_lc: str, bgn_pcgn: str) -> None:
    assert cyrillic(name, "ala-lc") == ala_lc
    assert cyrillic(name, "bgn-pcgn") == bgn_pcgn


@pytest.fixture
def agent(db: None) -> Agent:
    agent = Agent.objects.create(identifier="t-rm-person", kind="person", name="Test Person")
    NameForm.objects.create(
        agent=agent,
        name="河野一郎",
        language=Language.objects.get(code="ja"),
        script="Jpan",
        kind="original",
        kana_reading="こうの いちろう",
    )
    NameForm.objects.create(
        agent=agent,
        name="Ичиро Коно",
        language=Language.objects.get(code="ru"),
        script="Cyrl",
        kind="variant",
    )
    return agent


def test_proposals_leave_out_forms_already_there(agent: Agent) -> None:
    names = {p.name for p in missing_romanizations(list(agent.name_forms.all()))}
    assert names == {"Kōno Ichirō", "Ichiro Kono"}  # ALA-LC and BGN/PCGN agree here
    NameForm.objects.create(
        agent=agent,
        name="Kōno Ichirō",
        language=Language.objects.get(code="ja"),
        script="Latn",
        kind="transliteration",
        transliteration="hepburn",
    )
    names = {p.name for p in missing_romanizations(list(agent.name_forms.all()))}
    assert names == {"Ichiro Kono"}


def test_the_admin_proposes_and_adds_with_one_click(agent: Agent) -> None:
    user = User.objects.create_user("t-rm-carol", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=CONTRIBUTOR))
    client = Client()
    client.force_login(user)
    url = f"/admin/people/agent/{agent.pk}/change/"
    page = client.get(url).content.decode()
    assert "Kōno Ichirō" in page
    source = agent.name_forms.get(script="Jpan")
    value = f"{source.pk}|hepburn"
    assert f'value="{value}"' in page
    # Enter in a field of the agent saves it: the proposals' buttons are another form's
    assert default_button(page, "agent_form")["name"] == "_save"
    assert default_button(page, "one-click")["name"] == "proposal"
    response = client.post(url.replace("change/", "add-romanization/"), {"proposal": value})
    assert response.status_code == 302
    added = agent.name_forms.get(name="Kōno Ichirō")
    assert (added.script, added.kind) == ("Latn", "transliteration")
    assert added.transliteration == "hepburn"
    assert added.history.first().history_user == user
    # posting the same proposal again adds nothing
    client.post(url.replace("change/", "add-romanization/"), {"proposal": value})
    assert agent.name_forms.filter(name="Kōno Ichirō").count() == 1
    assert f'value="{value}"' not in client.get(url).content.decode()  # no longer proposed


def test_a_proposal_of_another_agent_is_refused(agent: Agent) -> None:
    other = Agent.objects.create(identifier="t-rm-other", kind="person", name="Other")
    client = Client()
    client.force_login(User.objects.create_superuser("t-rm-admin", "a@example.org", "pw"))
    source = agent.name_forms.get(script="Jpan")
    response = client.post(
        f"/admin/people/agent/{other.pk}/add-romanization/", {"proposal": f"{source.pk}|hepburn"}
    )
    assert response.status_code == 404
    assert not other.name_forms.exists()


@pytest.mark.django_db
def test_a_malformed_click_on_an_unknown_agent_is_refused_not_an_error() -> None:
    client = Client()
    client.force_login(User.objects.create_superuser("t-rm-admin", "a@example.org", "pw"))
    response = client.post("/admin/people/agent/abc/add-romanization/", {"proposal": "1|x"})
    assert response.status_code in (302, 404)
