"""Full archival references are written from structured data in each repository's style."""

import pytest

from archive.models import Collection, ReferenceLevel, Repository
from archive.references import format_reference, render_template
from documents.models import Document, DocumentType


def make_repository(identifier: str, template: str, levels: list[tuple], **extra) -> Repository:
    repository = Repository.objects.create(
        identifier=identifier,
        name=extra.pop("name", identifier),
        reference_template=template,
        **extra,
    )
    for rank, (code, label, separator) in enumerate(levels, start=1):
        ReferenceLevel.objects.create(
            repository=repository,
            code=code,
            name=code,
            rank=rank,
            label=label,
            separator=separator,
        )
    return repository


def level(repository: Repository, code: str) -> ReferenceLevel:
    return repository.levels.get(code=code)


def unit(
    repository: Repository, identifier: str, code: str, segment: str = "", parent=None, **extra
) -> Collection:
    return Collection.objects.create(
        identifier=identifier,
        repository=repository,
        level=level(repository, code),
        reference_segment=segment,
        parent=parent,
        title=extra.pop("title", identifier),
        **extra,
    )


@pytest.fixture
def letter(db) -> DocumentType:
    return DocumentType.objects.get_or_create(code="test-letter", defaults={"name": "letter"})[0]


def document(identifier: str, doc_type: DocumentType, **fields) -> Document:
    doc = Document(identifier=identifier, title=identifier, document_type=doc_type, **fields)
    doc.full_clean()
    doc.save()
    return doc


def test_fond_opis_delo_with_leaves(letter: DocumentType) -> None:
    archive = make_repository(
        "t-rgani",
        "{repository_short}, {reference}[, {locator}]",
        [("fond", "f. ", ", "), ("opis", "op. ", ", "), ("delo", "d. ", ", ")],
        short_name="RGANI",
    )
    fond = unit(archive, "t-f52", "fond", "52")
    opis = unit(archive, "t-f52-1", "opis", "1", parent=fond)
    delo = unit(archive, "t-f52-1-596", "delo", "596", parent=opis)
    memo = document("t-memo", letter, collection=delo, locator="ll. 61-66")
    assert memo.reference() == "RGANI, f. 52, op. 1, d. 596, ll. 61-66"
    # without a locator the optional part disappears with its comma
    assert (
        document("t-memo-2", letter, collection=delo).reference() == "RGANI, f. 52, op. 1, d. 596"
    )


@pytest.fixture
def ndl(db) -> Repository:
    return make_repository(
        "t-ndl",
        "{fonds_title}[, {reference}][, {locator}], {repository}[ ({custody})]",
        [("papers", "", ""), ("item", "#", ", "), ("branch", "", "-")],
        name="National Diet Library",
    )


def test_named_papers_with_item_number(ndl: Repository, letter: DocumentType) -> None:
    papers = unit(
        ndl, "t-nomura", "papers", title="Papers of NOMURA Kichisaburo", custody_status="owned"
    )
    memo = document(
        "t-921",
        letter,
        collection=papers,
        reference_level=level(ndl, "item"),
        reference_segment="921",
    )
    assert memo.reference() == "Papers of NOMURA Kichisaburo, #921, National Diet Library"


def test_branch_number_and_custody_from_the_fonds(ndl: Repository, letter: DocumentType) -> None:
    papers = unit(
        ndl, "t-hayashi", "papers", title="Papers of HAYASHI Joji", custody_status="entrusted"
    )
    item = unit(ndl, "t-hayashi-34", "item", "34", parent=papers)
    letter_doc = document(
        "t-34-15",
        letter,
        collection=item,
        reference_level=level(ndl, "branch"),
        reference_segment="15",
    )
    assert letter_doc.reference() == (
        "Papers of HAYASHI Joji, #34-15, National Diet Library (entrusted)"
    )
    # the papers themselves are cited by title alone, with no empty reference part
    assert format_reference(papers) == "Papers of HAYASHI Joji, National Diet Library (entrusted)"


def test_department_series_piece_convention(letter: DocumentType) -> None:
    """A fourth house style: The National Archives (UK), FO 371/121040, with a folio."""
    tna = make_repository(
        "t-tna",
        "{repository} ({repository_short}), {reference}[, {locator}]",
        [("department", "", ""), ("series", "", " "), ("piece", "", "/")],
        name="The National Archives",
        short_name="TNA",
    )
    fo = unit(tna, "t-fo", "department", "FO", title="Foreign Office")
    series = unit(tna, "t-fo-371", "series", "371", parent=fo, title="Political Departments")
    piece = unit(tna, "t-fo-371-121040", "piece", "121040", parent=series, title="Japan 1956")
    telegram = document("t-telegram", letter, collection=piece, locator="f. 12")
    assert telegram.reference() == "The National Archives (TNA), FO 371/121040, f. 12"


def test_moving_a_unit_carries_its_subtree(ndl: Repository, letter: DocumentType) -> None:
    first = unit(ndl, "t-a", "papers", title="Papers of A")
    second = unit(ndl, "t-b", "papers", title="Papers of B")
    item = unit(ndl, "t-a-1", "item", "1", parent=first)
    child = document(
        "t-a-1-2",
        letter,
        collection=item,
        reference_level=level(ndl, "branch"),
        reference_segment="2",
    )
    item.parent = second
    item.save()
    child.refresh_from_db()
    assert child.reference() == "Papers of B, #1-2, National Diet Library"
    item.refresh_from_db()
    assert item.tree_path == f"/{second.pk}/{item.pk}/"
    assert list(second.descendants()) == [item]
    assert not first.descendants().exists()


def test_template_optional_parts() -> None:
    template = "{a}[, {b}][ ({c})]"
    assert render_template(template, {"a": "A", "b": "B", "c": ""}) == "A, B"
    assert render_template(template, {"a": "A", "b": "", "c": "C"}) == "A (C)"
    # values are inserted as text, never re-parsed as template syntax
    assert render_template(template, {"a": "{b}", "b": "[x]"}) == "{b}, [x]"
