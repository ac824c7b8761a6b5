"""Validation, constraints and the one visibility rule."""

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from archive.models import Collection, Language, PublicationStatus, ReferenceLevel, Repository
from documents.models import Document, DocumentText, DocumentType, Place, Publication
from people.models import Agent, AgentRelation, AgentRelationType

pytestmark = pytest.mark.django_db


@pytest.fixture
def repo() -> Repository:
    repository = Repository.objects.create(identifier="t-repo", name="Test Archive")
    for rank, code in enumerate(["fonds", "series", "file"], start=1):
        ReferenceLevel.objects.create(repository=repository, code=code, name=code, rank=rank)
    return repository


@pytest.fixture
def other_repo() -> Repository:
    repository = Repository.objects.create(identifier="t-other", name="Other Archive")
    ReferenceLevel.objects.create(repository=repository, code="fonds", name="fonds", rank=1)
    return repository


def make_unit(repo: Repository, identifier: str, level: str, parent=None) -> Collection:
    return Collection.objects.create(
        identifier=identifier,
        repository=repo,
        level=repo.levels.get(code=level),
        parent=parent,
        title=identifier,
    )


@pytest.fixture
def doc_type() -> DocumentType:
    return DocumentType.objects.create(code="t-memo", name="memo")


def errors_of(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    return excinfo.value.message_dict


def test_cycle_in_collection_tree_is_refused(repo: Repository) -> None:
    fonds = make_unit(repo, "t-f", "fonds")
    series = make_unit(repo, "t-s", "series", parent=fonds)
    file = make_unit(repo, "t-file", "file", parent=series)
    fonds.parent = file
    assert "cycle" in errors_of(fonds)["parent"][0]


def test_unit_level_must_rank_below_its_parent(repo: Repository) -> None:
    series = make_unit(repo, "t-s", "series")
    unit = Collection(
        identifier="t-x",
        repository=repo,
        parent=series,
        title="x",
        level=repo.levels.get(code="fonds"),
    )
    assert "cannot sit below a series" in errors_of(unit)["level"][0]


def test_level_from_another_repository_is_refused(repo: Repository, other_repo: Repository) -> None:
    unit = Collection(
        identifier="t-x", repository=repo, title="x", level=other_repo.levels.get(code="fonds")
    )
    assert "another repository" in errors_of(unit)["level"][0]


def test_document_reference_segment_on_the_wrong_level(repo: Repository, doc_type) -> None:
    series = make_unit(repo, "t-s", "series")
    doc = Document(
        identifier="t-d",
        title="d",
        document_type=doc_type,
        collection=series,
        reference_level=repo.levels.get(code="fonds"),
        reference_segment="3",
    )
    assert "cannot sit in a series" in errors_of(doc)["reference_level"][0]
    doc.reference_level = None
    assert "Choose the level" in errors_of(doc)["reference_level"][0]


def test_unparseable_date_names_the_field(doc_type) -> None:
    doc = Document(identifier="t-d", title="d", document_type=doc_type, date_edtf="next Tuesday")
    assert errors_of(doc)["date_edtf"] == ["“next Tuesday” is not a valid EDTF date."]


def test_era_input_is_stored_as_edtf_with_bounds(doc_type) -> None:
    doc = Document(
        identifier="t-d", title="d", document_type=doc_type, date_edtf="昭和31年10月19日"
    )
    doc.full_clean()
    doc.save()
    doc.refresh_from_db()
    assert (doc.date_edtf, str(doc.date_start), str(doc.date_end)) == (
        "1956-10-19",
        "1956-10-19",
        "1956-10-19",
    )


@pytest.fixture
def two_agents() -> tuple[Agent, Agent]:
    return (
        Agent.objects.create(identifier="t-a", kind="person", name="A", status="published"),
        Agent.objects.create(identifier="t-b", kind="person", name="B", status="published"),
    )


@pytest.fixture
def rival() -> AgentRelationType:
    return AgentRelationType.objects.create(
        code="t-rival", label="rival of", inverse_label="rival of", symmetric=True
    )


def test_relation_of_an_agent_to_itself(two_agents, rival) -> None:
    a, _ = two_agents
    relation = AgentRelation(source=a, target=a, relation_type=rival)
    assert errors_of(relation)["target"] == ["An agent cannot be related to itself."]
    with pytest.raises(IntegrityError), transaction.atomic():
        relation.save()  # the database refuses it too


def test_symmetric_relation_type_reads_the_same_both_ways() -> None:
    kind = AgentRelationType(
        code="t-x", label="rival of", inverse_label="rivalled by", symmetric=True
    )
    assert "symmetric" in errors_of(kind)["inverse_label"][0]


def test_identifier_must_be_a_clean_slug_and_unique(doc_type) -> None:
    doc = Document(identifier="Bad ID!", title="d", document_type=doc_type)
    assert "lower-case letters" in errors_of(doc)["identifier"][0]
    Document.objects.create(identifier="t-same", title="d", document_type=doc_type)
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(identifier="t-same", title="e", document_type=doc_type)


def test_coordinates_come_in_pairs() -> None:
    place = Place(identifier="t-p", name="p", latitude=43.7)
    assert errors_of(place)["longitude"] == ["Give both latitude and longitude, or neither."]


def test_issn_check_digit() -> None:
    publication = Publication(identifier="t-pub", kind="article", title="t", issn_print="2658-6445")
    assert "check digit" in errors_of(publication)["issn_print"][0]


@pytest.fixture
def documents_in_every_state(doc_type) -> dict[str, Document]:
    states = {
        "draft": {"status": PublicationStatus.DRAFT},
        "review": {"status": PublicationStatus.REVIEW},
        "published": {"status": PublicationStatus.PUBLISHED},
        "withdrawn": {"status": PublicationStatus.WITHDRAWN},
        "restricted": {"status": PublicationStatus.PUBLISHED, "restricted": True},
    }
    return {
        name: Document.objects.create(
            identifier=f"t-vis-{name}", title=name, document_type=doc_type, **fields
        )
        for name, fields in states.items()
    }


def test_public_shows_only_published_unrestricted(documents_in_every_state) -> None:
    visible = set(
        Document.objects.public()
        .filter(identifier__startswith="t-vis-")
        .values_list("title", flat=True)
    )
    assert visible == {"published"}


def test_curators_see_everything_the_public_does_not(documents_in_every_state) -> None:
    staff = User.objects.create_user("t-staff", is_staff=True)
    mine = Document.objects.filter(identifier__startswith="t-vis-")
    assert mine.visible_to(staff).count() == 5
    assert mine.visible_to(AnonymousUser()).count() == 1
    assert mine.visible_to(None).count() == 1


def english() -> Language:
    return Language.objects.get_or_create(code="en", defaults={"name": "English"})[0]


def test_parts_of_a_hidden_document_are_hidden(documents_in_every_state) -> None:
    texts = [
        DocumentText.objects.create(
            document=doc,
            key="t",
            kind="original",
            language_id=1,
            body=name,
            status=PublicationStatus.PUBLISHED,
        )
        for name, doc in documents_in_every_state.items()
    ]
    public_bodies = set(
        DocumentText.objects.public()
        .filter(pk__in=[t.pk for t in texts])
        .values_list("body", flat=True)
    )
    assert public_bodies == {"published"}


def test_relation_to_an_unpublished_agent_is_hidden(two_agents, rival) -> None:
    a, b = two_agents
    relation = AgentRelation.objects.create(
        source=a, target=b, relation_type=rival, status=PublicationStatus.PUBLISHED
    )
    assert AgentRelation.objects.public().filter(pk=relation.pk).exists()
    b.status = PublicationStatus.DRAFT
    b.save()
    assert not AgentRelation.objects.public().filter(pk=relation.pk).exists()


def test_every_save_counts_a_version(two_agents) -> None:
    a, _ = two_agents
    assert a.version == 1
    a.name = "A."
    a.save()
    a.refresh_from_db()
    assert a.version == 2
