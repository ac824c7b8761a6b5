"""A small archive of ``t-vis-`` records in every visibility state, with marker words.

Public anchors: a repository, a fonds, two documents, two agents, a publication. Around them,
for each hidden state (draft, in review, withdrawn, published-but-restricted): a document, an
agent, a collection, a repository and a publication of that state, and on the public anchors a
text, a copy, a file, an agent relation and a document relation of that state, plus roles and
published relations that point at the hidden records. A public text genealogy has a step in each
public document, the hidden texts and a public text of each hidden document as further steps;
each hidden state also has a genealogy of its own, with a public step. Every hidden record
carries a marker word (``vismark<state><kind>``) in its title, name or body, and a
``t-vis-<state>-<kind>`` identifier. No public door may show a marker, nor a hidden
identifier (withdrawn records may show theirs only in their own tombstone and in OAI-PMH
deleted headers).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.test import Client

from archive.models import Collection, Language, ReferenceLevel, Repository
from archive.workflow import ADMINISTRATOR, CONTRIBUTOR, REVIEWER
from documents.models import (
    Citation,
    Copy,
    DigitalObject,
    Document,
    DocumentRelation,
    DocumentText,
    DocumentType,
    Publication,
    Subject,
    TextLineage,
)
from people.models import Agent, AgentRelation, AgentRelationType, AgentRole

#: the hidden states, as (name, model field values)
HIDDEN_STATES: dict[str, dict[str, Any]] = {
    "draft": {"status": "draft"},
    "review": {"status": "review"},
    "withdrawn": {"status": "withdrawn"},
    "restricted": {"status": "published", "restricted": True},
}
PUBLIC = {"status": "published"}


def marker(state: str, kind: str) -> str:
    """The word only the hidden record ``kind`` in ``state`` carries."""
    return f"vismark{state}{kind}"


def hidden_id(state: str, kind: str) -> str:
    return f"t-vis-{state}-{kind}"


@dataclass
class VisWorld:
    repo: Repository
    fonds: Collection
    doc: Document
    doc2: Document
    agent: Agent
    agent2: Agent
    publication: Publication
    #: every marker word, by the (state, kind) it belongs to
    markers: dict[tuple[str, str], str] = field(default_factory=dict)
    #: hidden identifiers of identified records, by (state, kind)
    identifiers: dict[tuple[str, str], str] = field(default_factory=dict)
    #: the hidden records by (state, kind)
    hidden: dict[tuple[str, str], Any] = field(default_factory=dict)

    def forbidden(self, *, allow_withdrawn_ids: bool = False) -> set[str]:
        words = set(self.markers.values())
        for (state, _), identifier in self.identifiers.items():
            if not (allow_withdrawn_ids and state == "withdrawn"):
                words.add(identifier)
        return words


def build_world() -> VisWorld:
    ja = Language.objects.get_or_create(code="ja", defaults={"name": "Japanese"})[0]
    letter = DocumentType.objects.create(code="t-vis-letter", name="Visibility letter")
    subject = Subject.objects.create(identifier="t-vis-subject", name="Visibility subject")
    repo = Repository.objects.create(
        identifier="t-vis-repo", name="Visibility Archive", short_name="VA", **PUBLIC
    )
    fond = ReferenceLevel.objects.create(
        repository=repo, code="fond", name="fond", rank=1, label="f. "
    )
    fonds = Collection.objects.create(
        identifier="t-vis-fonds",
        repository=repo,
        level=fond,
        reference_segment="1",
        title="Visibility fonds",
        **PUBLIC,
    )

    def document(identifier: str, title: str, **values: Any) -> Document:
        doc = Document.objects.create(
            identifier=identifier,
            title=title,
            document_type=letter,
            collection=fonds,
            date_edtf="1956-10-19",
            **values,
        )
        doc.languages.add(ja)
        doc.subjects.add(subject)
        return doc

    doc = document("t-vis-public-doc", "Visibility public letter", **PUBLIC)
    doc2 = document("t-vis-public-doc2", "Visibility second letter", **PUBLIC)
    agent = Agent.objects.create(
        identifier="t-vis-public-agent", kind="person", name="Visibility Person", **PUBLIC
    )
    agent2 = Agent.objects.create(
        identifier="t-vis-public-agent2", kind="person", name="Visibility Other", **PUBLIC
    )
    AgentRole.objects.create(document=doc, agent=agent, role="author")
    publication = Publication.objects.create(
        identifier="t-vis-public-pub", kind="article", title="Visibility article", **PUBLIC
    )
    relation_type = AgentRelationType.objects.create(
        code="t-vis-knows", label="knows", inverse_label="known by"
    )
    world = VisWorld(repo, fonds, doc, doc2, agent, agent2, publication)
    # a public text genealogy with a public step in each public document; hidden steps join it
    # below, and each hidden state has a genealogy of its own with a public step
    lineage = TextLineage.objects.create(
        identifier="t-vis-public-lineage", title="Visibility genealogy", **PUBLIC
    )
    for position, record in enumerate((doc, doc2), start=1):
        DocumentText.objects.create(
            document=record,
            key="t-vis-step",
            kind="draft",
            language=ja,
            body=f"Visibility step {position}",
            lineage=lineage,
            lineage_position=position,
            **PUBLIC,
        )

    for number, (state, values) in enumerate(HIDDEN_STATES.items(), start=1):

        def mark(kind: str, state: str = state) -> str:
            world.markers[(state, kind)] = marker(state, kind)
            return marker(state, kind)

        def ident(kind: str, state: str = state) -> str:
            world.identifiers[(state, kind)] = hidden_id(state, kind)
            return hidden_id(state, kind)

        hidden: dict[str, Any] = {}
        hidden["document"] = document(
            ident("document"),
            f"Letter {mark('document')}",
            summary=f"Summary {mark('documentsummary')}",
            **values,
        )
        hidden["agent"] = Agent.objects.create(
            identifier=ident("agent"),
            kind="person",
            name=f"Person {mark('agent')}",
            biography=mark("agentbio"),
            **values,
        )
        hidden["collection"] = Collection.objects.create(
            identifier=ident("collection"),
            repository=repo,
            parent=fonds,
            level=fond,
            reference_segment=str(100 + number),
            title=f"Unit {mark('collection')}",
            **values,
        )
        hidden["repository"] = Repository.objects.create(
            identifier=ident("repository"), name=f"Archive {mark('repository')}", **values
        )
        hidden["publication"] = Publication.objects.create(
            identifier=ident("publication"),
            kind="book",
            title=f"Book {mark('publication')}",
            **values,
        )
        # parts of the public document in the hidden state
        hidden["text"] = DocumentText.objects.create(
            document=doc,
            key=f"t-vis-{state}-text",
            kind="transcript",
            language=ja,
            label=f"Text {mark('textlabel')}",
            body=f"Text {mark('text')}",
            lineage=lineage,
            lineage_position=10 + number,
            **values,
        )
        hidden["genealogy"] = TextLineage.objects.create(
            identifier=ident("genealogy"), title=f"Genealogy {mark('genealogy')}", **values
        )
        DocumentText.objects.create(
            document=doc2,
            key=f"t-vis-{state}-in-hidden-genealogy",
            kind="draft",
            language=ja,
            body="A public text in a hidden genealogy",
            lineage=hidden["genealogy"],
            lineage_position=1,
            **PUBLIC,
        )
        hidden["copy"] = Copy.objects.create(
            document=doc,
            key=f"t-vis-{state}-copy",
            kind="copy",
            holder=repo,
            citation=f"Copy {mark('copy')}",
            **values,
        )
        hidden["file"] = DigitalObject.objects.create(
            document=doc,
            key=f"t-vis-{state}-file",
            file=f"documents/t-vis-public-doc/{mark('file')}.jpg",
            label=mark("filelabel"),
            sha256="0" * 64,
            **values,
        )
        hidden["relation"] = AgentRelation.objects.create(
            source=agent,
            relation_type=relation_type,
            target=agent2,
            date_edtf=str(1950 + number),
            description=f"Relation {mark('relation')}",
            **values,
        )
        # public parts and links that point at hidden records: hidden on the public side too
        DocumentText.objects.create(
            document=hidden["document"],
            key="t-vis-step",
            kind="draft",
            language=ja,
            label=f"Step {mark('steplabel')}",
            body=f"Step {mark('step')}",
            lineage=lineage,
            lineage_position=20 + number,
            **PUBLIC,
        )
        AgentRole.objects.create(document=doc, agent=hidden["agent"], role="recipient")
        AgentRole.objects.create(document=hidden["document"], agent=agent, role="author")
        AgentRelation.objects.create(
            source=agent, relation_type=relation_type, target=hidden["agent"], **PUBLIC
        )
        DocumentRelation.objects.create(
            source=doc, relation_type="reply-to", target=hidden["document"]
        )
        Copy.objects.create(
            document=doc2,
            key=f"t-vis-{state}-held",
            kind="copy",
            holder=hidden["repository"],
            **PUBLIC,
        )
        Copy.objects.create(
            document=doc2,
            key=f"t-vis-{state}-printed",
            kind="edition",
            publication=hidden["publication"],
            **PUBLIC,
        )
        Citation.objects.create(
            publication=publication,
            kind="note",
            number=number,
            text="See the letter.",
            cited_document=hidden["document"],
            cited_publication=hidden["publication"],
        )
        for kind, record in hidden.items():
            world.hidden[(state, kind)] = record
    return world


@pytest.fixture(scope="module")
def module_vis_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[VisWorld]:
    """The records, made once per module in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def vis_world(module_vis_world: VisWorld, db: None) -> VisWorld:
    return module_vis_world


def staff_client(group: str | None, username: str, *, superuser: bool = False) -> Client:
    """A logged-in client for a staff member of ``group`` (or a superuser)."""
    if superuser:
        user = User.objects.create_superuser(username, password="pw")
    else:
        user = User.objects.create_user(username, password="pw", is_staff=True)
        if group:
            user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


GROUPS = {"contributor": CONTRIBUTOR, "reviewer": REVIEWER, "administrator": ADMINISTRATOR}
