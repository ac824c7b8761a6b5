"""A small archive of ``t-api-`` records for the partner API tests, public and hidden.

Public: one repository with a fonds and a series, two forms, three documents (1956 letter in
Japanese, 1955 memorandum in Russian, an undated letter in English and Japanese), two agents,
a relation, a publication. Hidden: a draft repository, unit, document, agent, relation and
publication, a restricted document, and draft texts and files on public documents. No test may
see a hidden record in a list, a count, a facet or a nested list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from archive.models import Collection, Language, ReferenceLevel, Repository
from documents.models import (
    Copy,
    DigitalObject,
    Document,
    DocumentText,
    DocumentType,
    Place,
    Publication,
    Subject,
)
from people.models import Agent, AgentRelation, AgentRelationType, AgentRole, NameForm

PUBLIC = {"status": "published"}
DRAFT = {"status": "draft"}


@dataclass
class World:
    repo: Repository
    fonds: Collection
    series: Collection
    hidden_unit: Collection
    letter: DocumentType
    memo: DocumentType
    doc1: Document
    doc2: Document
    doc3: Document
    draft_doc: Document
    restricted_doc: Document
    hatoyama: Agent
    khrushchev: Agent
    secret_agent: Agent
    relation: AgentRelation
    publication: Publication


def language(code: str, name: str) -> Language:
    return Language.objects.get_or_create(code=code, defaults={"name": name})[0]


def make_document(identifier: str, form: DocumentType, **fields: Any) -> Document:
    languages = fields.pop("languages", [])
    subjects = fields.pop("subjects", [])
    places = fields.pop("places", [])
    document = Document.objects.create(
        identifier=identifier, title=fields.pop("title", identifier), document_type=form, **fields
    )
    document.languages.set(languages)
    document.subjects.set(subjects)
    document.places.set(places)
    return document


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The records, made once per module inside a transaction rolled back at its end.

    Each test runs in a savepoint inside it (pytest-django's ``db``), like Django's
    ``setUpTestData``: tests may add records but must not change these.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(module_world: World, db: None) -> World:
    return module_world


def build_world() -> World:
    ja, ru, en = language("ja", "Japanese"), language("ru", "Russian"), language("en", "English")
    repo = Repository.objects.create(
        identifier="t-api-repo",
        name="Test Archive",
        short_name="TA",
        reference_template="{repository_short}, {reference}[, {locator}]",
        **PUBLIC,
    )
    hidden_repo = Repository.objects.create(identifier="t-api-repo-hidden", name="Hidden", **DRAFT)
    fond = ReferenceLevel.objects.create(
        repository=repo, code="fond", name="fond", rank=1, label="f. "
    )
    series_level = ReferenceLevel.objects.create(
        repository=repo, code="opis", name="opis", rank=2, label="op. "
    )
    item = ReferenceLevel.objects.create(
        repository=repo, code="delo", name="delo", rank=3, label="d. "
    )
    fonds = Collection.objects.create(
        identifier="t-api-fonds",
        repository=repo,
        level=fond,
        reference_segment="52",
        title="Test fonds",
        date_edtf="1950/1960",
        **PUBLIC,
    )
    series = Collection.objects.create(
        identifier="t-api-series",
        repository=repo,
        parent=fonds,
        level=series_level,
        reference_segment="1",
        title="Test series",
        **PUBLIC,
    )
    hidden_unit = Collection.objects.create(
        identifier="t-api-hidden-unit",
        repository=repo,
        parent=fonds,
        level=series_level,
        reference_segment="9",
        title="Hidden series",
        **DRAFT,
    )
    hidden_repo_level = ReferenceLevel.objects.create(
        repository=hidden_repo, code="fond", name="fond", rank=1
    )
    Collection.objects.create(
        identifier="t-api-hidden-fonds",
        repository=hidden_repo,
        level=hidden_repo_level,
        title="Hidden fonds",
        **PUBLIC,
    )
    letter = DocumentType.objects.create(code="t-api-letter", name="Test letter")
    memo = DocumentType.objects.create(code="t-api-memo", name="Test memorandum")
    sub_a = Subject.objects.create(identifier="t-api-sub-a", name="Test subject A")
    sub_b = Subject.objects.create(identifier="t-api-sub-b", name="Test subject B")
    tokyo = Place.objects.create(identifier="t-api-tokyo", name="Test Tokyo", country="JP")
    moscow = Place.objects.create(identifier="t-api-moscow", name="Test Moscow", country="RU")

    doc1 = make_document(
        "t-api-doc-1",
        letter,
        title="Letter on normalisation",
        date_edtf="1956-10-19",
        collection=series,
        reference_level=item,
        reference_segment="596",
        locator="ll. 61-66",
        place=tokyo,
        languages=[ja],
        subjects=[sub_a],
        **PUBLIC,
    )
    doc2 = make_document(
        "t-api-doc-2",
        memo,
        title="Memorandum of conversation",
        date_edtf="1955",
        collection=fonds,
        languages=[ru],
        subjects=[sub_b],
        places=[moscow],
        **PUBLIC,
    )
    doc3 = make_document(
        "t-api-doc-3", letter, title="Undated note", languages=[en, ja], subjects=[sub_a], **PUBLIC
    )
    draft_doc = make_document(
        "t-api-draft",
        letter,
        title="Draft letter",
        date_edtf="1956",
        collection=series,
        languages=[ja],
        subjects=[sub_a],
        places=[tokyo],
        **DRAFT,
    )
    restricted_doc = make_document(
        "t-api-restricted",
        memo,
        title="Restricted memo",
        date_edtf="1956",
        languages=[ru],
        restricted=True,
        **PUBLIC,
    )
    make_document(
        "t-api-in-hidden-unit", memo, title="In hidden unit", collection=hidden_unit, **PUBLIC
    )

    DocumentText.objects.create(
        document=doc1, key="ja-1", kind="original", language=ja, body="書簡", **PUBLIC
    )
    DocumentText.objects.create(
        document=doc2, key="en-1", kind="translation", language=en, body="Memo", **PUBLIC
    )
    DocumentText.objects.create(
        document=doc3, key="en-1", kind="transcript", language=en, body="Secret", **DRAFT
    )
    DigitalObject.objects.create(
        document=doc1,
        key="scan-1",
        file="documents/t-api-doc-1/scan.jpg",
        sha256="0" * 64,
        **PUBLIC,
    )
    DigitalObject.objects.create(
        document=doc2, key="scan-1", file="documents/t-api-doc-2/scan.jpg", sha256="0" * 64, **DRAFT
    )
    Copy.objects.create(document=doc1, key="orig", kind="original", holder=repo, **PUBLIC)
    Copy.objects.create(
        document=doc1, key="hidden-copy", kind="copy", holder=hidden_repo, citation="X", **DRAFT
    )

    hatoyama = Agent.objects.create(
        identifier="t-api-hatoyama",
        kind="person",
        name="Ichiro Hatoyama",
        nationality="JP",
        date_edtf="1883-01-01/1959-03-07",
        **PUBLIC,
    )
    NameForm.objects.create(
        agent=hatoyama, name="鳩山一郎", language=ja, script="Jpan", kind="original"
    )
    khrushchev = Agent.objects.create(
        identifier="t-api-khrushchev",
        kind="person",
        name="Nikita Khrushchev",
        nationality="SU",
        date_edtf="1894/1971",
        **PUBLIC,
    )
    NameForm.objects.create(
        agent=khrushchev, name="Хрущёв", language=ru, script="Cyrl", kind="original"
    )
    secret_agent = Agent.objects.create(
        identifier="t-api-secret-agent", kind="organization", name="Secret body", **DRAFT
    )
    AgentRole.objects.create(document=doc1, agent=hatoyama, role="author")
    AgentRole.objects.create(document=doc2, agent=khrushchev, role="signatory")
    AgentRole.objects.create(document=doc2, agent=hatoyama, role="recipient")
    AgentRole.objects.create(document=doc3, agent=secret_agent, role="author")
    AgentRole.objects.create(document=draft_doc, agent=khrushchev, role="author")

    counterpart = AgentRelationType.objects.create(
        code="t-api-counterpart", label="counterpart of", inverse_label="counterpart of"
    )
    relation = AgentRelation.objects.create(
        source=hatoyama, relation_type=counterpart, target=khrushchev, date_edtf="1956", **PUBLIC
    )
    relation.supporting_documents.set([doc1, draft_doc])
    AgentRelation.objects.create(
        source=hatoyama, relation_type=counterpart, target=secret_agent, **PUBLIC
    )
    AgentRelation.objects.create(
        source=khrushchev, relation_type=counterpart, target=hatoyama, date_edtf="1960", **DRAFT
    )
    publication = Publication.objects.create(
        identifier="t-api-pub", kind="article", title="Test article", date_edtf="1991", **PUBLIC
    )
    Publication.objects.create(
        identifier="t-api-pub-draft", kind="book", title="Draft book", date_edtf="1991", **DRAFT
    )
    return World(
        repo=repo,
        fonds=fonds,
        series=series,
        hidden_unit=hidden_unit,
        letter=letter,
        memo=memo,
        doc1=doc1,
        doc2=doc2,
        doc3=doc3,
        draft_doc=draft_doc,
        restricted_doc=restricted_doc,
        hatoyama=hatoyama,
        khrushchev=khrushchev,
        secret_agent=secret_agent,
        relation=relation,
        publication=publication,
    )


def get_json(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:500])
    return response.json()


def identifiers(body: dict[str, Any]) -> list[str]:
    return [row["identifier"] for row in body["results"]]


@dataclass
class Curators:
    """Token headers for each kind of caller that may try to write."""

    contributor: dict[str, str]
    reviewer: dict[str, str]
    staff_without_group: dict[str, str]
    not_staff: dict[str, str]
    contributor_user: Any
    reviewer_user: Any


def token_headers(user: Any) -> dict[str, str]:
    from rest_framework.authtoken.models import Token

    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


@pytest.fixture
def curators(db: None) -> Curators:
    """A contributor and a reviewer (the workflow's groups), and two users who may not write."""
    from django.contrib.auth.models import Group, User

    from archive.workflow import CONTRIBUTOR, REVIEWER

    def user(name: str, *, staff: bool = True, group: str | None = None) -> Any:
        person = User.objects.create_user(f"t-api-{name}", is_staff=staff)  # no password: tokens
        if group:
            person.groups.add(Group.objects.get(name=group))
        return person

    contributor = user("contributor", group=CONTRIBUTOR)
    reviewer = user("reviewer", group=REVIEWER)
    return Curators(
        contributor=token_headers(contributor),
        reviewer=token_headers(reviewer),
        staff_without_group=token_headers(user("staff")),
        not_staff=token_headers(user("outsider", staff=False, group=REVIEWER)),
        contributor_user=contributor,
        reviewer_user=reviewer,
    )
