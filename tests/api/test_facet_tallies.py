"""Kept facet counts: the counts read from tallies and from the values kept per record equal
the counts the records give.

Every write below is one a curator or an import makes; after each, every facet's kept counts
are compared with the same facet counted by grouping the public records (``_count``, what a
curator's page and a search still run), over every public record and under filters. A kept
count or value that drifted would show here as a difference.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext

from archive import facet_tallies, facets
from archive.facets import FilteredKeptCounts, KeptCounts, _count, _own_filter_removed
from archive.importers import import_file
from archive.models import Collection, FacetTally, Language, RecordFacets, Repository
from archive.search.indexing import public_ids
from documents.filters import DocumentFilterSet
from documents.models import DigitalObject, Document, DocumentText, Place, Subject
from people.models import Agent, AgentRole
from tests.api.conftest import PUBLIC, World, get_json, make_document

NAMES = list(DocumentFilterSet.facets)


def counted(name: str) -> list[dict[str, Any]]:
    """A facet's counts over every public document, grouped from the records."""
    return _count(DocumentFilterSet, QueryDict(""), name, Document.objects.public(), None)


def kept(name: str) -> list[dict[str, Any]]:
    counts = KeptCounts(DocumentFilterSet, [name]).counts(name)
    assert counts is not None
    return counts


def in_order(rows: list[dict[str, Any]]) -> list[tuple[Any, str, int]]:
    """Rows as (value, label, count), ties in value order: the database's collation may order
    identifiers differently from Python's, and only the order among equal counts differs."""
    return sorted(
        ((row["value"], row["label"], row["count"]) for row in rows), key=lambda r: (-r[2], r[0])
    )


def param(value: Any) -> str:
    """A facet's value as a filter's parameter (a yes/no facet's ``True`` as ``true``)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def assert_kept_equal_counted() -> None:
    for name in NAMES:
        assert in_order(kept(name)) == in_order(counted(name)), name
    assert facet_tallies.total("document") == Document.objects.public().count()
    # under a filter by the largest value of each facet (with the first language, two)
    language = kept("language")[:1]
    for name in NAMES:
        for row in kept(name)[:1]:
            params = QueryDict(mutable=True)
            params[name] = param(row["value"])
            assert_filtered_equal_counted(params)
            if language and name != "language":
                params["language"] = language[0]["value"]
                assert_filtered_equal_counted(params)


def assert_filtered_equal_counted(params: QueryDict) -> None:
    """Every facet counted under ``params`` (each under all filters but its own) from the
    values kept per record equals the facet grouped from the matching records."""
    public = Document.objects.public()
    for name in NAMES:
        under = _own_filter_removed(DocumentFilterSet, params, name)
        if not under:
            continue
        found = FilteredKeptCounts(DocumentFilterSet, [name], under, public, None).counts(name)
        assert found is not None
        grouped = _count(DocumentFilterSet, under, name, public, None)
        assert in_order(found) == in_order(grouped), (params.urlencode(), name)


@pytest.fixture(params=[False, True], ids=["every value passed over", "values kept in scopes"])
def scopes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Run a test twice: as the test archive is (no value has enough records for the counts
    under it to be kept), and with the counts under every value that can have them kept, so a
    filter by one value reads them once the first reader has started keeping them."""
    if request.param:
        monkeypatch.setattr(facet_tallies, "SCOPE_RECORDS", 1)
    return request.param


def kept_scopes() -> set[str]:
    return set(
        FacetTally.objects.filter(facet="", value="")
        .exclude(scope="")
        .values_list("scope", flat=True)
    )


def test_every_facet_of_documents_is_kept() -> None:
    assert set(facet_tallies.kept_facets(DocumentFilterSet)) == set(NAMES)
    # values that are records are kept by key and shown by their identifier and label, read
    # when counted; where the facet shows public records only, that rule is applied then too
    by_key = {
        name: (kept.model.__name__, kept.public_at_read)
        for name, kept in facet_tallies.kept_facets(DocumentFilterSet).items()
        if kept.model is not None
    }
    assert by_key == {
        "form": ("DocumentType", False),
        "language": ("Language", False),
        "repository": ("Repository", True),
        "collection": ("Collection", True),
        "subject": ("Subject", False),
        "agent": ("Agent", True),
    }


def test_the_founding_collection_is_counted_as_the_records_count(db: None) -> None:
    assert facet_tallies.complete("document")
    assert_kept_equal_counted()
    marker = FacetTally.objects.get(kind="document", facet="", value="")
    assert marker.records == Document.objects.public().count()


def test_kept_counts_follow_every_kind_of_change(world: World, scopes: bool) -> None:
    assert_kept_equal_counted()
    # with scopes, one kept for the largest value of each facet that can have them
    assert len(kept_scopes()) == (len(DocumentFilterSet.scoped_facets) if scopes else 0)
    ja = Language.objects.get(code="ja")
    subject = Subject.objects.create(identifier="t-tally-subject", name="Tally subject")
    place = Place.objects.create(identifier="t-tally-place", name="Tally place")
    # a new public document, with everything a facet counts
    new = make_document(
        "t-tally-doc",
        world.letter,
        collection=world.series,
        date_edtf="1957-03-01",
        languages=[ja],
        subjects=[subject],
        places=[place],
        **PUBLIC,
    )
    AgentRole.objects.create(document=new, agent=world.hatoyama, role="author")
    DocumentText.objects.create(
        document=new, key="t", kind="original", language=ja, body="text", **PUBLIC
    )
    scan = DigitalObject.objects.create(
        document=new, key="scan", file=ContentFile(b"x", name="scan.txt"), **PUBLIC
    )
    assert_kept_equal_counted()
    assert {"value": "t-tally-subject", "label": "Tally subject", "count": 1} in kept("subject")

    # parts change: a file withdrawn, a text turned into a translation, a language removed,
    # a subject taken off from the subject's side, an agent's role changed
    scan.status = "draft"
    scan.save()
    text = new.texts.get()
    text.kind = "translation"
    text.save()
    new.languages.remove(ja)
    subject.documents.clear()
    AgentRole.objects.filter(document=new).update(role="recipient")  # no signal ...
    AgentRole.objects.get(document=new).save()  # ... until a save re-indexes the document
    assert_kept_equal_counted()

    # the records they name change: an agent renamed and re-identified, then restricted; a
    # unit withdrawn; a repository withdrawn; a unit moved to another repository
    hatoyama = Agent.objects.get(pk=world.hatoyama.pk)
    hatoyama.identifier, hatoyama.name = "t-tally-hatoyama", "Hatoyama (renamed)"
    hatoyama.save()
    assert_kept_equal_counted()
    hatoyama.restricted = True
    hatoyama.save()
    assert_kept_equal_counted()
    Collection.objects.filter(pk=world.series.pk).update(status="draft")
    Repository.objects.filter(pk=world.repo.pk).update(status="draft")
    assert_kept_equal_counted()  # shown or not as they are when counted: no re-index needed
    other = Repository.objects.create(identifier="t-tally-repo", name="Other archive", **PUBLIC)
    series = Collection.objects.get(pk=world.series.pk)
    series.repository = other
    series.save()
    assert_kept_equal_counted()
    assert "t-tally-repo" in {row["value"] for row in kept("repository")}

    # the document itself: withdrawn, published again, deleted
    new.status = "draft"
    new.save()
    assert_kept_equal_counted()
    new.status = "published"
    new.save()
    assert_kept_equal_counted()
    place.delete()
    Document.objects.get(pk=world.doc1.pk).delete()
    new.delete()
    assert_kept_equal_counted()


def test_the_pages_read_kept_counts_without_grouping_the_records(
    client: Client, world: World, uncached: None
) -> None:
    names = ",".join(NAMES)
    with CaptureQueriesContext(connection) as queries:
        body = get_json(client, f"/api/v1/documents/?facets={names}")
    for name in NAMES:
        assert in_order(body["facets"][name]) == in_order(counted(name)), name
    grouped = [query["sql"] for query in queries if "GROUP BY" in query["sql"].upper()]
    assert grouped == []
    # filtered, each facet but the filter's own is counted from the matching records' kept
    # values, read in one query, and the filter's own from the tallies
    with CaptureQueriesContext(connection) as queries:
        body = get_json(client, f"/api/v1/documents/?language=ja&facets={names}")
    assert in_order(body["facets"]["language"]) == in_order(counted("language"))
    under = QueryDict("language=ja")
    public = Document.objects.public()
    for name in NAMES:
        if name != "language":
            grouped = _count(DocumentFilterSet, under, name, public, None)
            assert in_order(body["facets"][name]) == in_order(grouped), name
    grouped = [query["sql"] for query in queries if "GROUP BY" in query["sql"].upper()]
    assert grouped == []
    read = [query["sql"] for query in queries if "archive_recordfacets" in query["sql"]]
    assert len(read) == 1
    # under a search, the facets a document has one value of are grouped from the matches
    # (archive.facets.SharedPass), the others read from their kept values, in one pass
    with CaptureQueriesContext(connection) as queries:
        body = get_json(client, f"/api/v1/documents/?q=hatoyama&facets={names}")
    read = [query["sql"] for query in queries if "archive_recordfacets" in query["sql"]]
    assert len(read) == 1
    under = QueryDict("q=hatoyama")
    for name in NAMES:
        grouped = _count(DocumentFilterSet, under, name, public, None)
        assert grouped
        assert in_order(body["facets"][name]) == in_order(grouped), name


def test_the_unfiltered_browse_page_reads_its_total_from_the_tallies(
    client: Client, world: World, uncached: None
) -> None:
    """The number of public documents is the number the tallies count: the unfiltered page
    (any page of it, in any order) reads it instead of counting every document."""
    public = Document.objects.public().count()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/documents/?ordering=-date&page=2&page_size=1")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == public
    counts = [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()]
    assert counts == []
    # filtered, the matching documents are counted
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/documents/?language=ja")
    assert response.context["page"].paginator.count == (
        Document.objects.public().filter(languages__code="ja").count()
    )
    assert any("COUNT(" in query["sql"].upper() for query in queries)


def test_the_apis_numbered_pages_read_their_total_from_the_tallies(
    client: Client, admin_client: Client, world: World, uncached: None
) -> None:
    public = Document.objects.public()
    for query in ("page=2&page_size=1&ordering=-date", "page=1&facets=form&expand=texts"):
        with CaptureQueriesContext(connection) as queries:
            body = get_json(client, f"/api/v1/documents/?{query}")
        assert body["count"] == public.count()
        assert not [q for q in queries if "COUNT(" in q["sql"].upper()], query
    # filtered, searched, or for a curator (who sees unpublished documents too): counted
    expected = {
        "language=ja": public.filter(languages__code="ja").count(),
        "q=hatoyama": len(
            get_json(client, "/api/v1/documents/?q=hatoyama&page_size=100")["results"]
        ),
    }
    for query, count in expected.items():
        with CaptureQueriesContext(connection) as queries:
            body = get_json(client, f"/api/v1/documents/?{query}&page=1")
        assert body["count"] == count
        assert any("COUNT(" in q["sql"].upper() for q in queries), query
    body = admin_client.get("/api/v1/documents/?page=1").json()
    assert body["count"] == Document.objects.count() > public.count()


def test_ties_at_the_limit_are_broken_by_value(
    world: World, monkeypatch: pytest.MonkeyPatch, scopes: bool
) -> None:
    """With more values than are shown, the last places go to the values first in order among
    those with the same count, as in the grouped query; tallies are read a few at a time."""
    for number in range(6):
        make_document(
            f"t-tally-tie-{number}",
            world.letter,
            subjects=[Subject.objects.create(identifier=f"t-tally-tie-{5 - number}", name="T")],
            **PUBLIC,
        )
    every = {name: in_order(counted(name)) for name in NAMES}
    monkeypatch.setattr(facets, "FACET_LIMIT", 4)
    monkeypatch.setattr(KeptCounts, "CHUNK", 2)
    for name in NAMES:
        assert in_order(kept(name)) == every[name][:4], name
    # the same from the values kept per record, under a filter all six documents match
    public = Document.objects.public()
    under = QueryDict(f"form={world.letter.code}")
    for name in NAMES:
        if name == "form":
            continue
        found = FilteredKeptCounts(DocumentFilterSet, [name], under, public, None).counts(name)
        assert found is not None
        grouped = in_order(_count(DocumentFilterSet, under, name, public, None))
        assert in_order(found) == grouped[:4], name
    # (with scopes, the first facet's pass started keeping the form's, which the others read)
    assert kept_scopes() == ({f"form\t[{world.letter.pk}]"} if scopes else set())


def test_incomplete_tallies_are_not_read_until_recounted(world: World) -> None:
    FacetTally.objects.filter(kind="document", facet="").delete()  # as before tallies existed
    assert KeptCounts(DocumentFilterSet, ["form"]).counts("form") is None
    public = Document.objects.public()
    under = QueryDict("language=ja")
    assert (
        FilteredKeptCounts(DocumentFilterSet, ["form"], under, public, None).counts("form") is None
    )
    FacetTally.objects.filter(kind="document").update(records=0)  # whatever they hold
    body = facets.facet_counts(
        DocumentFilterSet, QueryDict(""), ["form"], Document.objects.public(), shared="public"
    )
    assert in_order(body["form"]) == in_order(counted("form"))
    facet_tallies.recount("document", public_ids("document"))
    assert_kept_equal_counted()


def test_imports_and_rebuilds_keep_the_counts(
    world: World, django_capture_on_commit_callbacks: Any, scopes: bool
) -> None:
    call_command("rebuild_search_index", verbosity=0)
    assert_kept_equal_counted()
    rows = (
        "identifier,title,document_type,collection,date_edtf,languages,status",
        "t-tally-import-1,Imported one,t-api-letter,t-api-series,1958,ja;ru,published",
        "t-tally-import-2,Imported two,t-api-memo,t-api-fonds,,en,published",
    )
    # an import indexes its records once it has committed
    with django_capture_on_commit_callbacks(execute=True):
        result = import_file("\n".join(rows).encode(), filename="documents.csv")
    assert result.ok, result.errors
    assert Document.objects.filter(identifier__startswith="t-tally-import-").count() == 2
    assert_kept_equal_counted()


def test_a_scoped_facets_filter_selects_the_records_that_have_the_value(world: World) -> None:
    """What keeping counts under a filter rests on: for each facet in ``scoped_facets`` and
    each of its values, the documents the filter by that value gives are the public ones whose
    kept values include it (the scope's line)."""
    public = Document.objects.public()
    stored = {
        pk: set(text.split("\n"))
        for pk, text in RecordFacets.objects.values_list("object_id", "values")
    }
    assert set(stored) == set(public.values_list("pk", flat=True))
    for name in DocumentFilterSet.scoped_facets:
        values = [row["value"] for row in counted(name)]
        assert values, name
        for value in values:
            data = QueryDict(mutable=True)
            data[name] = param(value)
            scope = facet_tallies.scope_of(DocumentFilterSet, data)
            assert scope is not None, (name, value)
            filtered = DocumentFilterSet(data, queryset=public).qs.values_list("pk", flat=True)
            having = {pk for pk, lines in stored.items() if scope in lines}
            assert set(filtered) == having, (name, value)
    # no scope for several values, for two filters, or for a value that names nothing
    for query in ("language=ja,ru", "language=ja&form=t-api-letter", "subject=t-none", "q=x"):
        assert facet_tallies.scope_of(DocumentFilterSet, QueryDict(query)) is None, query


def test_a_filter_by_a_value_many_records_have_reads_its_kept_counts(
    client: Client, world: World, uncached: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first page filtered by a value that enough records have counts the matching
    records' values and starts keeping the counts under it; the pages after, until and after a
    change, read them instead, and every count equals the grouped one."""
    languages = kept("language")
    large, many = languages[0]["value"], languages[0]["count"]  # the most documents
    small, fewer = languages[-1]["value"], languages[-1]["count"]  # the fewest
    assert many > fewer
    monkeypatch.setattr(facet_tallies, "SCOPE_RECORDS", fewer + 1)
    names = ",".join(NAMES)
    public = Document.objects.public()

    def page(query: str) -> tuple[dict[str, Any], list[str]]:
        with CaptureQueriesContext(connection) as queries:
            body = get_json(client, f"/api/v1/documents/?{query}&facets={names}")
        under = QueryDict(query)
        for name in NAMES:
            if name != "language":
                grouped = _count(DocumentFilterSet, under, name, public, None)
                assert in_order(body["facets"][name]) == in_order(grouped), (query, name)
        return body, [q["sql"] for q in queries if "archive_recordfacets" in q["sql"]]

    _, passed = page(f"language={large}")
    assert len(passed) == 2  # the pass over the values, then the scope counted from them
    assert kept_scopes() == {f"language\t[{Language.objects.get(code=large).pk}]"}
    _, passed = page(f"language={large}")
    assert passed == []  # read from the scope's tallies
    # too few records: counted each time, not kept
    assert len(page(f"language={small}")[1]) == 1
    assert len(page(f"language={small}")[1]) == 1
    # changes to records in the scope and out of it: the tallies follow
    language = Language.objects.get(code=large)
    new = make_document("t-scope-doc", world.letter, languages=[language], **PUBLIC)
    AgentRole.objects.create(document=new, agent=world.hatoyama, role="author")
    assert page(f"language={large}")[1] == []
    new.languages.clear()
    assert page(f"language={large}")[1] == []
    Document.objects.get(pk=new.pk).delete()
    withdrawn = public.filter(languages=language).first()
    assert withdrawn is not None
    withdrawn.status = "draft"
    withdrawn.save()
    body, passed = page(f"language={large}")
    assert passed == []
    assert sum(row["count"] for row in body["facets"]["form"]) == many - 1
    # the lists' lengths are the scope's too, read instead of counted
    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"/documents/?language={large}")
        numbered = get_json(client, f"/api/v1/documents/?language={large}&page=1")
    assert html.context["page"].paginator.count == numbered["count"] == many - 1
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]
    # a recount starts over: the scope is kept again by the next reader
    facet_tallies.recount("document", public_ids("document"))
    assert kept_scopes() == set()
    assert len(page(f"language={large}")[1]) == 2


def test_a_filter_by_values_on_many_documents_tests_each_document(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Languages and subjects on a large part of the documents are filtered by testing each
    document (``EXISTS``), the others by the list of their documents (``IN``), as the kept
    tallies tell them apart (``DocumentFilterSet._linked``); both find the same documents."""
    public = Document.objects.public()
    for name, lookup in (("language", "languages__code"), ("subject", "subjects__identifier")):
        values = kept(name)
        (most, fewest) = values[0], values[-1]
        assert most["count"] > fewest["count"], name
        share = (most["count"] + fewest["count"]) / 2 / public.count()
        monkeypatch.setattr(DocumentFilterSet, "BROAD", share)
        for row, broad in ((most, True), (fewest, False)):
            rows = DocumentFilterSet(QueryDict(f"{name}={row['value']}"), queryset=public).qs
            assert ("EXISTS" in str(rows.query)) is broad, (name, row)
            expected = public.filter(**{lookup: row["value"]})
            assert sorted(rows.values_list("pk", flat=True)) == sorted(
                expected.values_list("pk", flat=True)
            )
