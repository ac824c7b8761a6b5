"""Standard romanizations of Japanese and Russian names, proposed to curators for review.

- Japanese: modified Hepburn with macrons, from a name form's kana reading (kanji alone do not
  say how a name is read): ``はとやま いちろう`` → ``Hatoyama Ichirō``. Long vowels お+う, お+お,
  う+う, あ+あ, え+え and the katakana ー take a macron; ん before a vowel or y is ``n'``;
  っ doubles the next consonant (``tch`` before ち). A reading spans morphemes the kana do not
  mark, so a proposal is for a curator to confirm, never stored unseen.
- Russian (Cyrillic): ALA-LC (Library of Congress) and BGN/PCGN, from the ``iuliia`` library's
  published tables, with ё written ë as both standards do.
"""

from __future__ import annotations

from dataclasses import dataclass

import iuliia

from people.models import NameForm, NameKind, Script, Transliteration

_MONO = {
    **dict(zip("あいうえお", ["a", "i", "u", "e", "o"], strict=True)),
    **dict(zip("かきくけこ", ["ka", "ki", "ku", "ke", "ko"], strict=True)),
    **dict(zip("がぎぐげご", ["ga", "gi", "gu", "ge", "go"], strict=True)),
    **dict(zip("さしすせそ", ["sa", "shi", "su", "se", "so"], strict=True)),
    **dict(zip("ざじずぜぞ", ["za", "ji", "zu", "ze", "zo"], strict=True)),
    **dict(zip("たちつてと", ["ta", "chi", "tsu", "te", "to"], strict=True)),
    **dict(zip("だぢづでど", ["da", "ji", "zu", "de", "do"], strict=True)),
    **dict(zip("なにぬねの", ["na", "ni", "nu", "ne", "no"], strict=True)),
    **dict(zip("はひふへほ", ["ha", "hi", "fu", "he", "ho"], strict=True)),
    **dict(zip("ばびぶべぼ", ["ba", "bi", "bu", "be", "bo"], strict=True)),
    **dict(zip("ぱぴぷぺぽ", ["pa", "pi", "pu", "pe", "po"], strict=True)),
    **dict(zip("まみむめも", ["ma", "mi", "mu", "me", "mo"], strict=True)),
    **dict(zip("やゆよ", ["ya", "yu", "yo"], strict=True)),
    **dict(zip("らりるれろ", ["ra", "ri", "ru", "re", "ro"], strict=True)),
    **dict(zip("わゐゑを", ["wa", "i", "e", "o"], strict=True)),
    **dict(zip("ぁぃぅぇぉ", ["a", "i", "u", "e", "o"], strict=True)),
    "ゔ": "vu",
}
_SMALL_Y = {"ゃ": "a", "ゅ": "u", "ょ": "o"}
_MACRON = {"a": "ā", "i": "ī", "u": "ū", "e": "ē", "o": "ō"}
#: vowel pairs written as one long vowel (え+い and い+い stay as written in modified Hepburn)
_LONG = {("o", "u"), ("o", "o"), ("u", "u"), ("a", "a"), ("e", "e")}
_SEPARATORS = " 　・"


def _hiragana(text: str) -> str:
    """Katakana folded to hiragana (ー and separators kept)."""
    return "".join(chr(ord(ch) - 0x60) if "ァ" <= ch <= "ヶ" else ch for ch in text)


def _syllables(word: str) -> list[str]:
    """The romanized syllables of one kana word, before long vowels are joined."""
    out: list[str] = []
    i = 0
    while i < len(word):
        ch = word[i]
        nxt = word[i + 1] if i + 1 < len(word) else ""
        if nxt in _SMALL_Y and ch in _MONO and _MONO[ch].endswith("i") and len(_MONO[ch]) > 1:
            base = _MONO[ch][:-1]
            # しゃ sha, ちゃ cha, じゃ ja (no y); きゃ kya, にゃ nya, ...
            out.append(
                base + _SMALL_Y[nxt] if base in ("sh", "ch", "j") else base + "y" + _SMALL_Y[nxt]
            )
            i += 2
        elif ch == "ー":
            if out and out[-1][-1] in _MACRON:
                out[-1] = out[-1][:-1] + _MACRON[out[-1][-1]]
            i += 1
        elif ch in ("っ", "ッ"):
            out.append("っ")  # resolved once the next syllable is known
            i += 1
        elif ch == "ん":
            out.append("n")
            i += 1
        elif ch in _MONO:
            out.append(_MONO[ch])
            i += 1
        else:
            raise ValueError(f"“{ch}” is not kana.")
    return out


def _join(syllables: list[str]) -> str:
    """Syllables joined with sokuon, syllabic n and long vowels written as Hepburn writes them."""
    result = ""
    for index, syllable in enumerate(syllables):
        following = syllables[index + 1] if index + 1 < len(syllables) else ""
        if syllable == "っ":
            if following.startswith("ch"):
                result += "t"
            elif following:
                result += following[0]
            continue
        if syllable == "n" and following and (following[0] in "aiueo" or following[0] == "y"):
            result += "n'"
            continue
        if result and syllable in _MACRON and (result[-1], syllable) in _LONG:
            result = result[:-1] + _MACRON[result[-1]]
            continue
        result += syllable
    return result


def hepburn(kana: str) -> str:
    """Modified Hepburn with macrons for a kana reading, word by word, capitalized."""
    words = "".join(" " if ch in _SEPARATORS else ch for ch in _hiragana(kana)).split()
    return " ".join(_join(_syllables(word)).capitalize() for word in words)


def cyrillic(name: str, scheme: str) -> str:
    """``name`` in ALA-LC (``ala-lc``) or BGN/PCGN (``bgn-pcgn``)."""
    table = {Transliteration.ALA_LC: iuliia.ALA_LC, Transliteration.BGN_PCGN: iuliia.BGN_PCGN}
    return table[scheme].translate(name).replace("ё", "ë").replace("Ё", "Ë")


@dataclass(frozen=True)
class Proposal:
    """A romanized form of ``source`` under ``scheme``."""

    source: NameForm
    scheme: str
    name: str

    @property
    def scheme_label(self) -> str:
        return Transliteration(self.scheme).label


def proposals_for(form: NameForm) -> list[Proposal]:
    """The standard romanizations of one name form (none for scripts without a standard here)."""
    if form.kana_reading:
        try:
            return [Proposal(form, Transliteration.HEPBURN, hepburn(form.kana_reading))]
        except ValueError:
            return []  # an invalid reading is reported by the form's own validation
    if form.script == Script.CYRILLIC:
        return [
            Proposal(form, scheme, cyrillic(form.name, scheme))
            for scheme in (Transliteration.ALA_LC, Transliteration.BGN_PCGN)
        ]
    return []


def missing_romanizations(forms: list[NameForm]) -> list[Proposal]:
    """Proposals for ``forms`` (an agent's name forms) that no form of the agent has yet."""
    present = {(f.name.casefold(), f.transliteration) for f in forms}
    names = {f.name.casefold() for f in forms}
    proposals = []
    for form in forms:
        for proposal in proposals_for(form):
            if (proposal.name.casefold(), proposal.scheme) in present:
                continue
            if proposal.name.casefold() in names:
                continue  # already there under another scheme label (e.g. conventional)
            proposals.append(proposal)
    return list(dict.fromkeys(proposals))


def add_romanization(proposal: Proposal) -> NameForm:
    """Store ``proposal`` as a name form of the same agent and language."""
    source = proposal.source
    return NameForm.objects.create(
        agent_id=source.agent_id,
        name=proposal.name,
        language_id=source.language_id,
        script=Script.LATIN,
        kind=NameKind.TRANSLITERATION,
        transliteration=proposal.scheme,
        name_order=source.name_order,
        source=f"Romanized from “{source.name}” ({proposal.scheme_label})",
    )
