"""A realistic synthetic archive, deterministic for a seed, written through the bulk paths.

``generate(documents=N, agents=M, seed=S)`` adds to the current database:

* repositories (a few dominate), each with a six-level reference system (fond, opis, sub-series,
  delo, sub-file; documents are numbered as items), and collection trees up to five levels deep:
  one fonds holding a tenth of the documents (100,000 descendants at a million documents) and
  one unit with a fiftieth of them as direct children (20,000 at a million);
* agents (persons in Latin, Cyrillic and Japanese names with their name forms, organizations,
  families), several of them linked to every document in roles, chosen with a Zipf skew;
* documents with skewed facet values: a few languages and forms dominate, thousands of subjects
  with a long tail, a tenth undated, texts in Latin, Cyrillic and Japanese script;
* marker words planted in known numbers of public documents (10, 100, ... 100,000, as far as N
  allows), and in a few unpublished ones that search must not find; see :class:`Marker`.

Everything is written with plain ``INSERT``s in batches (:class:`archive.bulk.BulkWriter`,
the imports' write path), with primary keys assigned here (so trees, links and history need no
read-back), one history entry per record (as an import writes), and derived fields set as the
models' save path would set them (date bounds from :func:`archive.dates.date_bounds`, tree
paths and depths). Bulk writes send no signals, so the search index is written explicitly,
batch by batch, by the search module's own ``reindex``.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import os
import random
import time
import traceback
from array import array
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import connection, connections, models, transaction
from django.utils import timezone

from archive import search
from archive.bulk import BulkWriter, collector_paused
from archive.dates import date_bounds
from archive.models import Collection, Language, PublicationStatus, ReferenceLevel, Repository
from archive.models.search import SearchKind
from archive.search import indexing
from bench import words
from documents.models import Document, DocumentText, DocumentType, Place, Subject, TextKind
from people.models import Agent, AgentKind, AgentRole, DocumentRole, NameForm, NameKind

#: documents written (and indexed) per transaction
BATCH = 2000
#: the most agents linked to one document (keys of roles are numbered from the document's)
MAX_ROLES = 5
#: nominal marker frequencies (documents that contain the word); those above N are left out
MARKER_FREQUENCIES = (10, 100, 1_000, 10_000, 100_000)
#: share of the documents under the one large fonds, and directly in the one large unit
BIG_FONDS_SHARE = 0.10
BIG_UNIT_SHARE = 0.02
#: documents per leaf unit on average (files of an ordinary fonds)
LEAF_DOCUMENTS = 40
#: unit levels of every synthetic repository (rank 1..5) and the item level documents use (6)
LEVELS = (
    ("fond", "fond", "f. ", ", "),
    ("opis", "opis", "op. ", ", "),
    ("subseries", "sub-series", "ss. ", ", "),
    ("delo", "delo", "d. ", ", "),
    ("subfile", "sub-file", "sf. ", ", "),
    ("item", "item", "no. ", ", "),
)
MAX_UNIT_RANK = 5

LANGUAGES = (  # code, name, native name, share of documents, script of its words
    ("ja", "Japanese", "日本語", 38, "ja"),
    ("ru", "Russian", "русский", 27, "ru"),
    ("en", "English", "English", 20, "en"),
    ("de", "German", "Deutsch", 5, "en"),
    ("fr", "French", "français", 4, "en"),
    ("zh", "Chinese", "中文", 2, "ja"),
    ("ko", "Korean", "한국어", 1.5, "en"),
    ("uk", "Ukrainian", "українська", 1, "ru"),
    ("it", "Italian", "italiano", 0.6, "en"),
    ("es", "Spanish", "español", 0.4, "en"),
    ("pl", "Polish", "polski", 0.3, "en"),
    ("mn", "Mongolian", "монгол", 0.2, "ru"),
)
FORMS = (  # code, name, share
    ("letter", "Letter", 30),
    ("telegram", "Telegram", 18),
    ("memorandum-of-conversation", "Memorandum of conversation", 14),
    ("report", "Report", 10),
    ("minutes", "Minutes", 8),
    ("note-verbale", "Note verbale", 6),
    ("draft", "Draft", 4),
    ("declaration", "Declaration", 3),
    ("communique", "Communiqué", 2),
    ("photograph", "Photograph", 2),
    ("article", "Article", 2),
    ("map", "Map", 1),
)
ROLES = (  # role, share
    (DocumentRole.AUTHOR, 30),
    (DocumentRole.RECIPIENT, 22),
    (DocumentRole.MENTIONED, 20),
    (DocumentRole.PARTICIPANT, 12),
    (DocumentRole.SIGNATORY, 6),
    (DocumentRole.RECORDER, 4),
    (DocumentRole.TRANSLATOR, 3),
    (DocumentRole.ISSUER, 3),
)
SCRIPT_WORDS = {"en": words.LATIN, "ru": words.CYRILLIC, "ja": words.JAPANESE}


@dataclass
class Marker:
    """A word planted in a known number of documents: ``expected`` public ones are found."""

    word: str
    script: str
    expected: int  # public documents that contain it: the search's result size
    hidden: int  # unpublished or restricted documents that contain it too (never found)


@dataclass
class Manifest:
    """What was generated, for tests and the benchmark (written as JSON)."""

    seed: int
    prefix: str
    documents: int
    agents: int
    public_documents: int
    undated_documents: int
    repositories: list[dict[str, Any]]
    collections: int
    big_fonds: str
    big_fonds_descendants: int  # units and documents below it
    big_unit: str
    big_unit_children: int  # documents directly in it
    max_depth: int
    subjects: int
    markers: list[Marker]
    seconds: float = 0.0
    documents_per_second: float = 0.0
    #: processor time of this process and its workers (the database server's not included)
    cpu_seconds: float = 0.0
    workers: int = 1
    phases: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class GeneratorError(ValueError):
    """Arguments the generator cannot work with; the message names the option."""


@dataclass
class _Unit:
    pk: int
    parent: _Unit | None
    repository: int  # index into the repositories
    rank: int
    segment: str
    documents: int  # documents directly in the unit
    path: str = ""
    children: int = 0  # direct child units


def _zipf(count: int, exponent: float = 1.0) -> list[float]:
    """Cumulative Zipf weights for ``random.choices(cum_weights=...)``."""
    return list(itertools.accumulate(1.0 / (rank**exponent) for rank in range(1, count + 1)))


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` split into at most ``parts`` positive random shares."""
    parts = max(1, min(parts, total))
    weights = [rng.random() + 0.25 for _ in range(parts)]
    scale = total / sum(weights)
    shares = [max(1, int(weight * scale)) for weight in weights]
    shares[-1] += total - sum(shares)
    while shares[-1] < 1:  # rounding took too much from the last share
        donor = max(range(len(shares)), key=shares.__getitem__)
        shares[donor] -= 1
        shares[-1] += 1
    return shares


class ArchiveGenerator:
    """Plans and writes one synthetic archive; see the module docstring."""

    def __init__(
        self,
        documents: int,
        agents: int,
        seed: int = 1,
        *,
        history: bool = True,
        workers: int = 1,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> None:
        if workers < 1:
            raise GeneratorError("--workers: give at least 1 process.")
        if documents < 1:
            raise GeneratorError("--documents: give at least 1 document.")
        if agents < 1:
            raise GeneratorError("--agents: give at least 1 agent.")
        if seed < 0:
            raise GeneratorError("--seed: give a non-negative integer.")
        self.n = documents
        self.m = agents
        self.seed = seed
        self.prefix = f"g{seed}"
        self.history = history
        self.workers = workers
        self.progress = progress or (lambda phase, done, total: None)
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.phases: dict[str, float] = {}
        self.writer = BulkWriter(now=self.now, reason=f"Generated (seed {seed})")

    # -- helpers -----------------------------------------------------------------------------

    def _next_pk(self, model: type[models.Model]) -> int:
        return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1

    def _write(self, model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
        """Insert ``rows`` (attribute values by name) into ``model``'s table, and give each
        record its one history entry ("created")."""
        if not rows:
            return
        if self.history:
            self.writer.insert(model, rows)
        else:
            self.writer.table(model).insert(rows)

    def _text(self, script: str, low: int, high: int) -> str:
        pool = SCRIPT_WORDS[script]
        chosen = self.rng.choices(pool, k=self.rng.randint(low, high))
        if script != "ja":
            return " ".join(chosen)
        # Japanese is written without spaces, in sentences ending with 。
        return "".join(
            "".join(chosen[start : start + 6]) + "。" for start in range(0, len(chosen), 6)
        )

    def _title(self, script: str) -> str:
        text = self._text(script, 3, 8)
        return text[:1].upper() + text[1:]

    def _date(self) -> str:
        """An EDTF statement; a tenth of the documents are undated."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.10:
            return ""
        year = min(2010, max(1850, int(rng.gauss(1952, 18))))
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        if roll < 0.55:
            return f"{year}-{month:02d}-{day:02d}"
        if roll < 0.75:
            return f"{year}-{month:02d}"
        if roll < 0.87:
            return str(year)
        if roll < 0.95:
            end = min(12, month + rng.randint(0, 3))
            return f"{year}-{month:02d}-{day:02d}/{year}-{end:02d}-28"
        return f"{year}~"

    # -- vocabularies, repositories, agents ----------------------------------------------------

    def vocabularies(self) -> None:
        for code, name, native, _share, _script in LANGUAGES:
            Language.objects.get_or_create(
                code=code, defaults={"name": name, "native_name": native}
            )
        self.languages = {language.code: language.pk for language in Language.objects.all()}
        self.language_codes = [row[0] for row in LANGUAGES]
        self.language_weights = list(itertools.accumulate(row[3] for row in LANGUAGES))
        self.language_script = {row[0]: row[4] for row in LANGUAGES}
        for code, name, _share in FORMS:
            DocumentType.objects.get_or_create(code=code, defaults={"name": name})
        types = dict(DocumentType.objects.values_list("code", "pk"))
        self.forms = [types[code] for code, _name, _share in FORMS]
        self.form_weights = list(itertools.accumulate(row[2] for row in FORMS))

        rng = self.rng
        count = min(5000, max(100, self.n // 10))
        pk = self._next_pk(Subject)
        subjects: list[dict[str, Any]] = []
        for index in range(count):
            english = " ".join(rng.choices(words.LATIN, k=2)).capitalize()
            subjects.append(
                {
                    "id": pk + index,
                    "identifier": f"{self.prefix}-s{index + 1:05d}",
                    "name": f"{english} {index + 1}",
                    "name_ja": "".join(rng.choices(words.JAPANESE, k=2)),
                    "name_ru": " ".join(rng.choices(words.CYRILLIC, k=2)),
                }
            )
        self._write(Subject, subjects)
        self.subjects = [subject["id"] for subject in subjects]
        self.subject_weights = _zipf(count, 1.1)

        count = min(500, max(20, self.n // 100))
        pk = self._next_pk(Place)
        places: list[dict[str, Any]] = []
        for index in range(count):
            places.append(
                {
                    "id": pk + index,
                    "identifier": f"{self.prefix}-p{index + 1:04d}",
                    "name": f"{rng.choice(words.FAMILY_LATIN)}ville {index + 1}",
                    "name_ja": rng.choice(words.JAPANESE),
                    "kind": rng.choice(("city", "port", "island", "region")),
                    "country": rng.choice(("JP", "RU", "US", "GB", "FR", "DE")),
                    "latitude": round(rng.uniform(-60, 70), 6),
                    "longitude": round(rng.uniform(-170, 170), 6),
                }
            )
        self._write(Place, places)
        self.places = [place["id"] for place in places]
        self.place_weights = _zipf(count, 1.0)

    def repositories(self) -> None:
        count = 3 if self.n < 1000 else 6 if self.n < 20_000 else 12
        pk = self._next_pk(Repository)
        level_pk = self._next_pk(ReferenceLevel)
        repositories: list[dict[str, Any]] = []
        levels: list[dict[str, Any]] = []
        self.level_pks: list[dict[int, int]] = []
        for index in range(count):
            repositories.append(
                {
                    "id": pk + index,
                    "identifier": f"{self.prefix}-r{index + 1:02d}",
                    "name": f"Synthetic Archive {index + 1} (seed {self.seed})",
                    "short_name": f"SA{index + 1}",
                    "country": ("JP", "RU", "US", "GB")[index % 4],
                    "reference_template": "{repository_short}, {reference}[, {locator}]",
                    "show_japanese_era": index % 4 == 0,
                    "status": PublicationStatus.PUBLISHED,
                }
            )
            ranks = {}
            for rank, (code, name, label, separator) in enumerate(LEVELS, start=1):
                levels.append(
                    {
                        "id": level_pk,
                        "repository_id": pk + index,
                        "code": code,
                        "name": name,
                        "rank": rank,
                        "label": label,
                        "separator": separator,
                    }
                )
                ranks[rank] = level_pk
                level_pk += 1
            self.level_pks.append(ranks)
        self._write(Repository, repositories)
        self._write(ReferenceLevel, levels)
        self.repository_pks = [repository["id"] for repository in repositories]
        self.repository_ids = [repository["identifier"] for repository in repositories]

    def _agent(self, pk: int, index: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """An agent's row and the rows of its name forms (without their primary keys)."""
        rng = self.rng
        roll = rng.random()
        status = PublicationStatus.PUBLISHED if rng.random() < 0.95 else PublicationStatus.DRAFT
        langs = self.languages
        forms: list[dict[str, Any]] = []
        date_edtf = ""
        if roll < 0.80:  # a person, in one of three naming traditions
            tradition = rng.random()
            if tradition < 0.40:
                (family, family_kana, family_en) = rng.choice(words.FAMILY_JA)
                (given, given_kana, given_en) = rng.choice(words.GIVEN_JA)
                name, sort_name = f"{given_en} {family_en}", f"{family_en}, {given_en}"
                nationality = "JP"
                forms = [
                    {
                        "name": f"{family}{given}",
                        "language_id": langs["ja"],
                        "script": "Jpan",
                        "kind": NameKind.ORIGINAL,
                        "name_order": "family-first",
                        "family_name": family,
                        "given_name": given,
                        "kana_reading": f"{family_kana} {given_kana}",
                    },
                    {
                        "name": f"{family_en.upper()} {given_en}",
                        "language_id": langs["en"],
                        "script": "Latn",
                        "kind": NameKind.TRANSLITERATION,
                        "transliteration": "hepburn-plain",
                        "name_order": "family-first",
                    },
                ]
            elif tradition < 0.75:
                (family, family_en) = rng.choice(words.FAMILY_RU)
                (given, given_en) = rng.choice(words.GIVEN_RU)
                name, sort_name = f"{given_en} {family_en}", f"{family_en}, {given_en}"
                nationality = "SU"
                forms = [
                    {
                        "name": f"{given} {family}",
                        "language_id": langs["ru"],
                        "script": "Cyrl",
                        "kind": NameKind.ORIGINAL,
                        "name_order": "given-first",
                        "family_name": family,
                        "given_name": given,
                    }
                ]
            else:
                family, given = rng.choice(words.FAMILY_LATIN), rng.choice(words.GIVEN_LATIN)
                name, sort_name = f"{given} {family}", f"{family}, {given}"
                nationality = rng.choice(("US", "GB", "FR", "DE"))
            born = rng.randint(1860, 1950)
            date_edtf = f"{born}/{born + rng.randint(30, 90)}"
            agent = {
                "kind": AgentKind.PERSON,
                "name": f"{name} ({index + 1})",
                "sort_name": f"{sort_name} ({index + 1})",
                "nationality": nationality,
            }
        elif roll < 0.95:
            topic = rng.choice(words.ORGANIZATION_TOPICS)
            name = f"{rng.choice(words.ORGANIZATION_HEADS)} {topic} ({index + 1})"
            agent = {
                "kind": AgentKind.ORGANIZATION,
                "name": name,
                "sort_name": name,
                "nationality": rng.choice(("JP", "SU", "US", "GB")),
            }
        else:
            name = f"{rng.choice(words.FAMILY_LATIN)} family ({index + 1})"
            agent = {"kind": AgentKind.FAMILY, "name": name, "sort_name": name}
        date_start, date_end = date_bounds(date_edtf)
        agent.update(
            id=pk,
            identifier=f"{self.prefix}-a{index + 1:07d}",
            status=status,
            biography=self._text("en", 8, 25),
            date_edtf=date_edtf,
            date_start=date_start,
            date_end=date_end,
        )
        forms.insert(
            0,
            {
                "name": agent["name"],
                "language_id": langs["en"],
                "script": "Latn",
                "kind": NameKind.AUTHORIZED,
            },
        )
        for form in forms:
            form["agent_id"] = pk
        return agent, forms

    def agents(self) -> None:
        pk = self._next_pk(Agent)
        form_pk = self._next_pk(NameForm)
        self.agent_pks = array("q")
        done = 0
        while done < self.m:
            upto = min(self.m, done + BATCH * 2)
            agents, forms = [], []
            for index in range(done, upto):
                agent, agent_forms = self._agent(pk + index, index)
                agents.append(agent)
                for form in agent_forms:
                    form["id"] = form_pk
                    form_pk += 1
                forms.extend(agent_forms)
            with transaction.atomic():
                self._write(Agent, agents)
                self._write(NameForm, forms)
            with transaction.atomic():
                search.reindex(SearchKind.AGENT, [agent["id"] for agent in agents])
            self.agent_pks.extend(agent["id"] for agent in agents)
            done = upto
            self.progress("agents", done, self.m)
        self.agent_weights = _zipf(self.m, 0.9)

    # -- collections ---------------------------------------------------------------------------

    def _tree(
        self,
        units: list[_Unit],
        parent: _Unit | None,
        repository: int,
        budget: int,
        deepest: int,
        *,
        full_depth: bool = False,
    ) -> None:
        """Units below ``parent`` holding ``budget`` documents, down to rank ``deepest``
        (every branch that deep with ``full_depth``; else small budgets stop early)."""
        rank = parent.rank + 1 if parent else 1
        unit = _Unit(0, parent, repository, rank, "", 0)
        units.append(unit)
        if parent:
            parent.children += 1
            unit.segment = str(parent.children)
        if rank >= deepest or (not full_depth and budget <= LEAF_DOCUMENTS * 1.5):
            unit.documents = budget
            return
        children = self.rng.randint(2, 8) if budget > LEAF_DOCUMENTS else self.rng.randint(1, 2)
        for share in _split(self.rng, budget, children):
            self._tree(units, unit, repository, share, deepest, full_depth=full_depth)

    def collections(self) -> None:
        rng = self.rng
        n = self.n
        repository_share = _split_weighted(n, len(self.repository_pks), exponent=1.2)
        units: list[_Unit] = []
        # the large fonds (first repository) and the large unit (second, or the first again)
        big_fonds_budget = max(1, round(n * BIG_FONDS_SHARE))
        big_unit_budget = max(1, round(n * BIG_UNIT_SHARE))
        repository_share[0] -= big_fonds_budget
        second = 1 if len(repository_share) > 1 else 0
        repository_share[second] -= big_unit_budget
        self._tree(units, None, 0, big_fonds_budget, MAX_UNIT_RANK, full_depth=True)
        big_fonds = units[0]
        # the large unit: a delo (rank 4) under a fonds and an opis, with all its documents
        holder = _Unit(0, None, second, 1, "", 0)
        series = _Unit(0, holder, second, 2, "1", 0)
        big_unit = _Unit(0, series, second, 4, "1", big_unit_budget)
        holder.children, series.children = 1, 1
        units += [holder, series, big_unit]
        for repository, share in enumerate(repository_share):
            remaining = max(0, share)
            while remaining > 0:
                size = min(remaining, max(1, int(rng.paretovariate(1.2) * LEAF_DOCUMENTS * 5)))
                self._tree(units, None, repository, size, rng.randint(2, MAX_UNIT_RANK))
                remaining -= size
        # primary keys and paths, parents first (units are listed in depth-first order)
        pk = self._next_pk(Collection)
        roots = 0
        for offset, unit in enumerate(units):
            unit.pk = pk + offset
            unit.path = f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"
            if unit.parent is None:
                roots += 1
                unit.segment = str(roots)
        objects = []
        for unit in units:
            repository = unit.repository
            title_script = ("ja", "ru", "en", "en")[repository % 4]
            depth = unit.path.count("/") - 2
            objects.append(
                {
                    "id": unit.pk,
                    "identifier": f"{self.prefix}-u{unit.pk - pk + 1:06d}",
                    "repository_id": self.repository_pks[repository],
                    "parent_id": unit.parent.pk if unit.parent else None,
                    "level_id": self.level_pks[repository][unit.rank],
                    "reference_segment": unit.segment,
                    "title": self._title(title_script)[:400],
                    "scope_and_content": self._text("en", 10, 30),
                    "status": PublicationStatus.PUBLISHED,
                    "tree_path": unit.path,
                    "depth": depth,
                }
            )
        for start in range(0, len(objects), BATCH * 5):
            with transaction.atomic():
                self._write(Collection, objects[start : start + BATCH * 5])
            self.progress("collections", min(len(objects), start + BATCH * 5), len(objects))
        with transaction.atomic():
            search.reindex(SearchKind.COLLECTION, [unit.pk for unit in units])
        # documents in the leaves, unit by unit (a unit's documents are catalogued together)
        self.doc_unit = array("q")
        self.doc_segment = array("l")
        self.unit_repository: dict[int, int] = {}
        for unit in units:
            self.unit_repository[unit.pk] = unit.repository
            self.doc_unit.extend(itertools.repeat(unit.pk, unit.documents))
            self.doc_segment.extend(range(1, unit.documents + 1))
        assert len(self.doc_unit) == n, (len(self.doc_unit), n)
        self.units = units
        self.big_fonds = (
            f"{self.prefix}-u{big_fonds.pk - pk + 1:06d}",
            sum(1 for unit in units if unit.path.startswith(big_fonds.path)) - 1 + big_fonds_budget,
        )
        self.big_unit = (f"{self.prefix}-u{big_unit.pk - pk + 1:06d}", big_unit_budget)
        self.max_depth = max(unit.path.count("/") - 2 for unit in units)

    # -- documents -----------------------------------------------------------------------------

    def plan_visibility(self) -> None:
        """Each document's status, and the documents each marker is planted in."""
        rng = self.rng
        # 0 published, 1 published but restricted, 2 draft, 3 in review
        self.doc_state = array("b", (0,) * self.n)
        for index in range(self.n):
            roll = rng.random()
            if roll >= 0.90:
                self.doc_state[index] = 1 if roll < 0.93 else 2 if roll < 0.98 else 3
        public = [i for i in range(self.n) if self.doc_state[i] == 0]
        hidden = [i for i in range(self.n) if self.doc_state[i] != 0]
        self.public_count = len(public)
        specs = [(f"kmark{f}", "Latn", f) for f in MARKER_FREQUENCIES if f <= len(public)]
        specs.append(("кметка", "Cyrl", max(1, len(public) // 100)))
        specs.append(("鵺鶫", "Jpan", max(1, len(public) // 200)))
        self.markers: list[Marker] = []
        self.doc_markers: dict[int, list[str]] = {}
        for word, script, count in specs:
            hidden_count = min(len(hidden), max(1, count // 10)) if hidden else 0
            chosen = rng.sample(public, count) + rng.sample(hidden, hidden_count)
            for index in chosen:
                self.doc_markers.setdefault(index, []).append(word)
            self.markers.append(Marker(word, script, count, hidden_count))

    def _document_batch(self, start: int, end: int) -> dict[Any, list[dict[str, Any]]]:
        """The rows of documents ``start`` to ``end``: the same whichever process writes them,
        in whatever order (a random generator of the batch's own, keys from the index)."""
        self.rng = rng = random.Random(f"{self.seed}:documents:{start}")
        pk0 = self.document_pk0
        rows: dict[Any, list[dict[str, Any]]] = {
            Document: [],
            DocumentText: [],
            AgentRole: [],
            Document.languages.through: [],
            Document.subjects.through: [],
            Document.places.through: [],
        }
        languages, subjects, places = (
            rows[getattr(Document, name).through] for name in ("languages", "subjects", "places")
        )
        texts, agent_roles = rows[DocumentText], rows[AgentRole]
        states = (
            (PublicationStatus.PUBLISHED, False),
            (PublicationStatus.PUBLISHED, True),
            (PublicationStatus.DRAFT, False),
            (PublicationStatus.REVIEW, False),
        )
        roles = [role for role, _share in ROLES]
        role_weights = list(itertools.accumulate(share for _role, share in ROLES))
        for index in range(start, end):
            pk = pk0 + index
            language = rng.choices(self.language_codes, cum_weights=self.language_weights)[0]
            script = self.language_script[language]
            codes = [language]
            if language != "en" and rng.random() < 0.15:
                codes.append("en")
            status, restricted = states[self.doc_state[index]]
            unit = self.doc_unit[index]
            repository = self.unit_repository[unit]
            edtf = self._date()
            start_date, end_date = date_bounds(edtf) if edtf else (None, None)
            summary = self._text("en", 12, 30)
            markers = self.doc_markers.get(index)
            body_extra = ""
            if markers:
                summary += " " + " ".join(m for m in markers if m.startswith("kmark"))
                body_extra = " ".join(m for m in markers if not m.startswith("kmark"))
            document = {
                "id": pk,
                "identifier": f"{self.prefix}-d{index + 1:07d}",
                "title": self._title("en")[:480],
                "title_original": self._title(script)[:480] if script != "en" else "",
                "document_type_id": rng.choices(self.forms, cum_weights=self.form_weights)[0],
                "place_id": (
                    rng.choices(self.places, cum_weights=self.place_weights)[0]
                    if rng.random() < 0.7
                    else None
                ),
                "summary": summary,
                "collection_id": unit,
                "reference_level_id": self.level_pks[repository][6],
                "reference_segment": str(self.doc_segment[index]),
                "locator": f"ll. {rng.randint(1, 200)}" if rng.random() < 0.3 else "",
                "date_edtf": edtf,
                "date_start": start_date,
                "date_end": end_date,
                "status": status,
                "restricted": restricted,
                "featured": rng.random() < 0.001,
            }
            rows[Document].append(document)
            for code in codes:
                languages.append({"document_id": pk, "language_id": self.languages[code]})
            subject_count = rng.choices((0, 1, 2, 3, 4), cum_weights=(10, 45, 75, 92, 100))[0]
            for subject in set(
                rng.choices(self.subjects, cum_weights=self.subject_weights, k=subject_count)
            ):
                subjects.append({"document_id": pk, "subject_id": subject})
            if rng.random() < 0.3:
                place = rng.choices(self.places, cum_weights=self.place_weights)[0]
                places.append({"document_id": pk, "place_id": place})
            role_count = rng.choices(range(1, MAX_ROLES + 1), cum_weights=(30, 60, 80, 92, 100))[0]
            agents = rng.choices(self.agent_pks, cum_weights=self.agent_weights, k=role_count)
            for order, agent in enumerate(dict.fromkeys(agents)):
                role = rng.choices(roles, cum_weights=role_weights)[0]
                agent_roles.append(
                    {
                        "id": self.role_pk0 + index * MAX_ROLES + order,
                        "document_id": pk,
                        "agent_id": agent,
                        "role": role,
                        "order": order,
                    }
                )
            if rng.random() < 0.7 or body_extra:
                body = self._text(script, 25, 70)
                if body_extra:
                    body += " " + body_extra
                texts.append(
                    {
                        "id": self.text_pk0 + index * 2,
                        "document_id": pk,
                        "key": "original",
                        "kind": TextKind.ORIGINAL if rng.random() < 0.8 else TextKind.TRANSCRIPT,
                        "language_id": self.languages[language],
                        "body": body,
                        "status": PublicationStatus.PUBLISHED,
                    }
                )
                if language != "en" and rng.random() < 0.25:
                    texts.append(
                        {
                            "id": self.text_pk0 + index * 2 + 1,
                            "document_id": pk,
                            "key": "en-1",
                            "kind": TextKind.TRANSLATION,
                            "language_id": self.languages["en"],
                            "body": self._text("en", 25, 70),
                            "status": PublicationStatus.PUBLISHED,
                            "order": 1,
                        }
                    )
        return rows

    def documents(self) -> None:
        """Write the documents in batches, in :attr:`workers` processes where it can.

        Each process writes every ``workers``-th batch: its rows in one short transaction,
        then their search entries, built outside any transaction (building only reads) and
        written in another, so one process builds while the other holds SQLite's write lock.
        A batch's rows do not depend on which process writes it or when.
        """
        self.document_pk0 = self._next_pk(Document)
        self.text_pk0 = self._next_pk(DocumentText)
        self.role_pk0 = self._next_pk(AgentRole)
        starts = range(0, self.n, BATCH)
        with _indexes_built_after(Document):
            # a test's transaction (or an in-memory database) cannot be shared with processes
            if self.workers < 2 or connection.in_atomic_block or len(starts) < 2:
                for start in starts:
                    self._write_documents(start)
                    self.progress("documents", min(self.n, start + BATCH), self.n)
            else:
                self._in_processes(starts)

    def _write_documents(self, start: int) -> None:
        end = min(self.n, start + BATCH)
        rows = self._document_batch(start, end)
        with transaction.atomic():
            for model, model_rows in rows.items():
                self._write(model, model_rows)
        ids = range(self.document_pk0 + start, self.document_pk0 + end)
        entries = indexing.build(SearchKind.DOCUMENT, ids)
        indexing.replace(SearchKind.DOCUMENT, ids, entries)

    def _in_processes(self, starts: range) -> None:
        """Fork :attr:`workers` processes to write the batches; progress from their count."""
        context = multiprocessing.get_context("fork")
        written = context.Value("q", 0)
        connections.close_all()  # each process opens its own connection
        processes = [
            context.Process(target=self._worker, args=(starts[rank :: self.workers], written))
            for rank in range(self.workers)
        ]
        for process in processes:
            process.start()
        while any(process.is_alive() for process in processes):
            time.sleep(0.5)
            self.progress("documents", min(self.n, written.value), self.n)
        failed = [process.exitcode for process in processes if process.exitcode]
        if failed:
            raise GeneratorError(
                f"a process writing documents failed (exit codes {failed}); see its traceback "
                "above. The batches written before it stay in the database."
            )
        self.progress("documents", self.n, self.n)

    def _worker(self, starts: range, written: Any) -> None:
        """One writing process: its batches, then a clean exit (or a traceback and code 1)."""
        try:
            with _bulk_load_settings():
                for start in starts:
                    self._write_documents(start)
                    with written.get_lock():
                        written.value += min(self.n, start + BATCH) - start
            connections.close_all()
        except BaseException:
            traceback.print_exc()
            os._exit(1)
        os._exit(0)

    def analyze_written(self) -> None:
        """``ANALYZE`` the tables the documents' batches join to, all written by now (the
        agents, the units, the repositories and the vocabularies), not those the batches fill.

        Without them, SQLite's planner takes an equality on an index's columns to be
        selective: the role facet's kept values (each batch's documents joined to their roles
        and to the agents, public ones only) were read from every public agent, probing the
        roles for each of the batch's documents, 100 s a batch by 150,000 documents (the run
        had written 174,000 documents in 47 minutes); given the agents' statistics, from the
        batch's documents, 0.08 s. (The tables the batches fill are analysed at the end:
        statistics taken while they are small mislead the planner the other way, see
        :func:`_refresh_statistics`.)"""
        tables = [
            model._meta.db_table
            for model in (Agent, Collection, Repository, Language, DocumentType, Subject, Place)
        ]
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

    # -- the whole run -------------------------------------------------------------------------

    def run(self) -> Manifest:
        if Repository.objects.filter(identifier__startswith=f"{self.prefix}-").exists():
            raise GeneratorError(
                f"--seed: this database already holds an archive generated with seed "
                f"{self.seed} (identifiers “{self.prefix}-…”); use another seed or a fresh "
                "database."
            )
        began, cpu_began = time.perf_counter(), _processor_time()
        with _bulk_load_settings(), collector_paused():
            for phase in (
                self.vocabularies,
                self.repositories,
                self.agents,
                self.collections,
                self.plan_visibility,
                self.analyze_written,
                self.documents,
            ):
                tick = time.perf_counter()
                phase()
                self.phases[phase.__name__] = round(time.perf_counter() - tick, 2)
            _reset_sequences()
            tick = time.perf_counter()
            _refresh_statistics()
            self.phases["statistics"] = round(time.perf_counter() - tick, 2)
        seconds = time.perf_counter() - began
        cpu_seconds = _processor_time() - cpu_began
        return Manifest(
            seed=self.seed,
            prefix=self.prefix,
            documents=self.n,
            agents=self.m,
            public_documents=self.public_count,
            undated_documents=Document.objects.filter(
                identifier__startswith=f"{self.prefix}-", date_start__isnull=True
            ).count(),
            repositories=[
                {"identifier": identifier, "documents": count}
                for identifier, count in self._documents_per_repository()
            ],
            collections=len(self.units),
            big_fonds=self.big_fonds[0],
            big_fonds_descendants=self.big_fonds[1],
            big_unit=self.big_unit[0],
            big_unit_children=self.big_unit[1],
            max_depth=self.max_depth,
            subjects=len(self.subjects),
            markers=self.markers,
            seconds=round(seconds, 2),
            documents_per_second=round(self.n / seconds, 1) if seconds else 0.0,
            cpu_seconds=round(cpu_seconds, 2),
            workers=self.workers,
            phases=self.phases,
        )

    def _documents_per_repository(self) -> list[tuple[str, int]]:
        counts = [0] * len(self.repository_pks)
        for unit in self.units:
            counts[unit.repository] += unit.documents
        return list(zip(self.repository_ids, counts, strict=True))


def _processor_time() -> float:
    """Processor time of this process and of the worker processes it has waited for."""
    user, system, children_user, children_system, _elapsed = os.times()
    return user + system + children_user + children_system


def _split_weighted(total: int, parts: int, exponent: float) -> list[int]:
    """``total`` split by Zipf weights (the first part largest)."""
    weights = [1.0 / (rank**exponent) for rank in range(1, parts + 1)]
    scale = total / sum(weights)
    shares = [math.floor(weight * scale) for weight in weights]
    shares[0] += total - sum(shares)
    return shares


class _bulk_load_settings:
    """SQLite PRAGMAs for a bulk load, restored afterwards (nothing to do on PostgreSQL).

    ``synchronous=OFF`` skips the fsync per commit (an OS crash during the load can lose the
    last batches, never corrupt what committed before with WAL); a larger page cache and
    in-memory temporary tables speed up index maintenance. Not applied inside a transaction
    (tests), where SQLite refuses to change ``synchronous``.
    """

    PRAGMAS = ("synchronous=OFF", "cache_size=-262144", "temp_store=MEMORY")
    RESTORE = ("synchronous=NORMAL", "cache_size=-2000", "temp_store=DEFAULT")

    def __enter__(self) -> None:
        self.active = connection.vendor == "sqlite" and not connection.in_atomic_block
        if self.active:
            with connection.cursor() as cursor:
                for pragma in self.PRAGMAS:
                    cursor.execute(f"PRAGMA {pragma}")

    def __exit__(self, *exc: object) -> None:
        if self.active:
            with connection.cursor() as cursor:
                for pragma in self.RESTORE:
                    cursor.execute(f"PRAGMA {pragma}")


@contextmanager
def _indexes_built_after(model: type[models.Model]) -> Iterator[None]:
    """Drop ``model``'s indexes (its ``Meta.indexes``: the sort orders', the facets' and the
    periods') while its rows are written, and build them again afterwards, as both databases'
    manuals advise for a bulk load. Each batch inserted into eleven more indexes of a table of
    a million rows was most of a batch's time (a 20,000-document run into the 1M archive:
    documents 27.4 s with them, 20.8 s without; building them again 44.5 s, SQLite). The keys
    and the indexes of the relations, which the batches read by, stay."""
    # the statements only: SQLite's schema editor refuses to open inside a transaction (tests)
    editor = connection.schema_editor()
    with connection.cursor() as cursor:
        for index in model._meta.indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(index.name)}")
    try:
        yield
    finally:
        if connection.in_atomic_block:
            # the checks a transaction defers are made now: PostgreSQL builds no index on a
            # table with checks pending (outside a transaction, each batch's committed them)
            connection.check_constraints(table_names=[model._meta.db_table])
        with connection.cursor() as cursor:
            for index in model._meta.indexes:
                cursor.execute(str(index.create_sql(model, editor)))


def _refresh_statistics() -> None:
    """``ANALYZE`` the database, as any bulk load should end.

    Without statistics SQLite's planner guesses, and after a load it can guess disastrously:
    at 100,000 documents the agent facet under ``?language=ja`` probed the roles once per
    agent and document (97 s instead of 0.6 s). Not during the load, though: statistics taken
    early say the tables are small, and at 300,000 documents SQLite scanned the texts table for
    each batch's texts rather than read them by document. PostgreSQL's autovacuum analyzes
    eventually, but not before the first pages are asked for.

    On PostgreSQL ``VACUUM (ANALYZE)``, as its manual's advice on populating a database ends:
    it also marks the loaded pages all-visible, without which an index-only scan (the facets'
    covering indexes) visits the table for each row, and sets the rows' hint bits, which the
    first reads would otherwise write. At a million documents, before it, a search's facets
    visited the table for 15,507 of 100,000 matches, and the browse with all facets took 9.7 s
    in the benchmark run before it, 7.3 s in the run after. (SQLite's ``VACUUM`` rewrites the
    whole file and changes nothing a query reads; and no ``VACUUM`` runs inside a transaction,
    as in the tests, where ``ANALYZE`` alone does.)
    """
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")


def _reset_sequences() -> None:
    """Move PostgreSQL's id sequences past the primary keys assigned here."""
    models_written = [
        Subject,
        Place,
        Repository,
        ReferenceLevel,
        Agent,
        NameForm,
        Collection,
        Document,
        DocumentText,
        AgentRole,
        Document.languages.through,
        Document.subjects.through,
        Document.places.through,
    ]
    statements = connection.ops.sequence_reset_sql(no_style(), models_written)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def generate(
    documents: int,
    agents: int,
    seed: int = 1,
    *,
    history: bool = True,
    workers: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
) -> Manifest:
    """Generate a synthetic archive in the default database; see the module docstring."""
    return ArchiveGenerator(
        documents, agents, seed, history=history, workers=workers, progress=progress
    ).run()


def estimate_seconds(manifest: Manifest, documents: int) -> float:
    """Linear estimate of the time to generate ``documents`` at the measured rate."""
    return manifest.seconds * documents / manifest.documents if manifest.documents else 0.0
