"""Searching public records across scripts, ranking, snippets, visibility, and freshness.

Every test creates its own records (``t-search-``) on top of the founding collection and
asserts about those, so the founding records may change without breaking these tests.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive import search
from archive.models import SearchEntry
from documents.models import Document, DocumentType, Subject
from people.models import NameForm
from tests.search.conftest import add_role, add_text, make_agent, make_document

pytestmark = pytest.mark.django_db


def found(query: str, kind: str = "document") -> set[int]:
    return set(search.matching_ids(query, kind).values_list("object_id", flat=True))


def documents(query: str) -> set[str]:
    ids = search.matching_ids(query, "document")
    return set(Document.objects.filter(pk__in=ids).values_list("identifier", flat=True))


# Normalisation at work


def test_kono_finds_kono_with_macron(form: DocumentType) -> None:
    doc = make_document(form, "kono", title="Minister Kōno in Moscow")
    assert doc.pk in found("Kono")
    assert doc.pk in found("KŌNO")
    assert doc.pk in found("kono")


def test_a_person_is_found_by_any_name_form_in_any_script(form: DocumentType) -> None:
    doc = make_document(form, "talks", title="Record of a conversation on fishing rights")
    agent = make_agent(
        "khrushchev",
        "Nikita Khrushchev",
        [("Никита Хрущёв", "ru", "Cyrl"), ("Khrushchov", "en", "Latn")],
    )
    add_role(doc, agent)
    for query in ("Хрущёв", "Хрущев", "ХРУЩЁВ", "Khrushchov", "Khrushchev"):
        assert doc.pk in found(query), query
    assert doc.pk in found('"Никита Хрущев"')
    # and the agent itself
    assert agent.pk in found("Хрущев", "agent")


def test_japanese_without_spaces(form: DocumentType) -> None:
    doc = make_document(form, "ja", title="Japanese minutes")
    add_text(doc, "ja-1", "河野一郎と鳩山一郎はモスクワへ向かった。", lang="ja")
    assert doc.pk in found("河野")
    assert doc.pk in found("鳩山一郎")
    assert doc.pk in found("モスクワ")
    assert doc.pk in found("郎")  # one character: matched inside the text
    assert doc.pk not in found("河野鳩山")  # not a substring of the text
    [hit] = [h for h in search.search("河野", ["document"], limit=100) if h.object_id == doc.pk]
    assert "<mark>河野</mark>一郎と鳩山一郎" in hit.snippet


def test_phrases_keep_word_order(form: DocumentType) -> None:
    doc = make_document(form, "phrase", title="Trade note")
    add_text(doc, "en-1", "The delegates discussed the salmon quota before the tariff.")
    assert doc.pk in found('"salmon quota"')
    assert doc.pk not in found('"quota salmon"')
    assert doc.pk in found("quota salmon")  # words in any order
    assert doc.pk in found("salm*")


def test_every_word_must_match(form: DocumentType) -> None:
    doc = make_document(form, "and", title="Zephyrine report", summary="on the Quillback affair")
    assert doc.pk in found("zephyrine quillback")  # across title and summary
    assert doc.pk not in found("zephyrine nonexistentword")


def test_title_match_ranks_above_a_passing_mention(form: DocumentType) -> None:
    title = make_document(form, "rank-title", title="Quokkafield agreement")
    mention = make_document(form, "rank-body", title="General correspondence")
    add_text(mention, "en-1", "Many matters. " * 40 + "Also Quokkafield. " + "Other matters. " * 40)
    hits = [h.object_id for h in search.search("quokkafield", ["document"])]
    assert hits.index(title.pk) < hits.index(mention.pk)
    ranked = search.with_relevance(Document.objects.all(), "quokkafield", "document")
    ranked = ranked.order_by("-search_rank")
    assert [d.pk for d in ranked] == [title.pk, mention.pk]
    assert ranked[0].search_rank > ranked[1].search_rank > 0


def test_hits_carry_highlighted_title_snippet_and_url(form: DocumentType) -> None:
    doc = make_document(form, "hit", title="Kōno <visit>", summary="Kono went & came back.")
    [hit] = [
        h for h in search.search("kono", load_objects=True, limit=100) if h.object_id == doc.pk
    ]
    assert hit.kind == "document"
    assert hit.object == doc
    assert hit.title_html == "<mark>Kōno</mark> &lt;visit&gt;"
    assert hit.snippet == "<mark>Kono</mark> went &amp; came back."
    assert hit.url == doc.get_absolute_url()


def test_counts_by_kind(form: DocumentType) -> None:
    make_document(form, "count-1", title="Vorticellid one")
    make_document(form, "count-2", title="Vorticellid two")
    make_agent("count", "Vorticellid Person", [])
    assert search.count_by_kind("vorticellid") == {"document": 2, "agent": 1}
    assert search.count_by_kind("vorticellid", ["agent"]) == {"agent": 1}


# Visibility: nothing unpublished is ever found or shown


def test_unpublished_documents_are_never_found(form: DocumentType) -> None:
    draft = make_document(form, "draft", title="Hiddenword draft", status="draft")
    restricted = make_document(form, "restr", title="Hiddenword restricted", restricted=True)
    assert not found("hiddenword")
    assert not SearchEntry.objects.filter(object_id__in=[draft.pk, restricted.pk], kind="document")


def test_draft_texts_and_draft_agents_stay_out_of_hits_and_snippets(form: DocumentType) -> None:
    doc = make_document(form, "parts", title="Published visibleword record")
    add_text(doc, "en-1", "Public text with visibleword.")
    add_text(doc, "en-2", "Draft text with secretword visibleword.", status="draft")
    agent = make_agent(
        "draft-agent", "Zzyzxagent Person", [("Зызыкс", "ru", "Cyrl")], status="draft"
    )
    add_role(doc, agent)
    assert doc.pk in found("visibleword")
    for secret in ("secretword", "zzyzxagent", "Зызыкс"):
        assert doc.pk not in found(secret), secret
        assert not search.search(secret, limit=100) or all(
            h.object_id != doc.pk for h in search.search(secret, limit=100)
        )
    entry = SearchEntry.objects.get(kind="document", object_id=doc.pk)
    assert "secretword" not in entry.search_text + entry.display_text
    assert "Zzyzxagent" not in entry.display_text
    assert agent.pk not in found("zzyzxagent", "agent")
    for hit in search.search("visibleword", limit=100):
        assert "secretword" not in hit.snippet
        assert "Zzyzxagent" not in hit.snippet


# Freshness: the index follows every change


def test_an_edit_reindexes(form: DocumentType) -> None:
    doc = make_document(form, "edit", title="Oldtitleword memorandum")
    assert doc.pk in found("oldtitleword")
    doc.title = "Newtitleword memorandum"
    doc.save()
    assert doc.pk not in found("oldtitleword")
    assert doc.pk in found("newtitleword")


def test_publishing_and_unpublishing(form: DocumentType) -> None:
    doc = make_document(form, "publish", title="Flipflopword", status="draft")
    assert doc.pk not in found("flipflopword")
    doc.status = "published"
    doc.save()
    assert doc.pk in found("flipflopword")
    doc.restricted = True
    doc.save()
    assert doc.pk not in found("flipflopword")


def test_delete_removes(form: DocumentType) -> None:
    doc = make_document(form, "delete", title="Deletableword")
    add_text(doc, "en-1", "text")
    assert doc.pk in found("deletableword")
    pk = doc.pk
    doc.delete()
    assert pk not in found("deletableword")
    assert not SearchEntry.objects.filter(kind="document", object_id=pk).exists()


def test_parts_reindex_their_document(form: DocumentType) -> None:
    doc = make_document(form, "parts-edit", title="Container")
    add_text(doc, "en-1", "Laterdraftword", status="draft")
    assert doc.pk not in found("laterdraftword")
    text = doc.texts.get()
    text.status = "published"
    text.save()
    assert doc.pk in found("laterdraftword")
    agent = make_agent("renamed", "Firstname Oldsurname", [])
    add_role(doc, agent)
    assert doc.pk in found("oldsurname")
    NameForm.objects.create(
        agent=agent, name="Новфамилия", language=agent_language(), script="Cyrl", kind="variant"
    )
    assert doc.pk in found("новфамилия")
    agent.name = "Firstname Newsurname"
    agent.save()
    assert doc.pk in found("newsurname")
    assert doc.pk not in found("oldsurname")
    agent.status = "draft"
    agent.save()
    assert doc.pk not in found("newsurname")
    subject = Subject.objects.create(identifier="t-search-subject", name="Zanzibarology")
    doc.subjects.add(subject)
    assert doc.pk in found("zanzibarology")
    subject.name = "Xanthology"
    subject.save()
    assert doc.pk in found("xanthology")
    assert doc.pk not in found("zanzibarology")
    subject.delete()
    assert doc.pk not in found("xanthology")


def agent_language():  # type: ignore[no-untyped-def]
    from tests.search.conftest import language

    return language("ru")


def test_batch_reindexes_once_at_the_end(form: DocumentType) -> None:
    with search.batch():
        doc = make_document(form, "batch", title="Batchedword")
        for i in range(5):
            add_text(doc, f"en-{i}", f"text {i}")
        assert doc.pk not in found("batchedword")
    assert doc.pk in found("batchedword")


# Cost: a fixed number of queries whatever the number of hits


@pytest.mark.parametrize("rows", [1, 6])
def test_query_count_does_not_grow_with_hits(form: DocumentType, rows: int) -> None:
    for i in range(rows):
        doc = make_document(form, f"qc-{i}", title=f"Numbatword {i}", summary="Numbatword.")
        add_text(doc, "en-1", "Numbatword " * 30)
    with CaptureQueriesContext(connection) as plain:
        hits = search.search("numbatword")
    assert len(hits) == rows
    assert len(plain.captured_queries) == 1, plain.captured_queries
    with CaptureQueriesContext(connection) as loaded:
        search.search("numbatword", load_objects=True)
        search.count_by_kind("numbatword")
    assert len(loaded.captured_queries) == 3, loaded.captured_queries
    with CaptureQueriesContext(connection) as filtered:
        ids = search.matching_ids("numbatword", "document")
        filtered_list = list(Document.objects.filter(pk__in=ids, status="published"))
        ranked = search.with_relevance(
            Document.objects.filter(status="published"), "numbatword", "document"
        )
        ranked_list = list(ranked.order_by("-search_rank"))
    assert len(filtered_list) == len(ranked_list) == rows
    assert len(filtered.captured_queries) == 2, filtered.captured_queries


def test_a_query_without_words_matches_nothing() -> None:
    assert not found("!!!")
    assert search.search("!!!") == []
    assert search.count_by_kind("") == {}


def test_relevance_composes_with_filters_and_facet_counts(form: DocumentType) -> None:
    from django.db.models import Count

    first = make_document(form, "rel-a", title="Wombatword one", featured=True)
    make_document(form, "rel-b", title="Other", summary="wombatword")
    make_document(form, "rel-c", title="Unrelated")
    ours = Document.objects.filter(identifier__startswith="t-search-rel-")
    ranked = search.with_relevance(ours, "wombatword", "document")
    assert ranked.count() == 2
    facet = ranked.order_by().values_list("featured").annotate(n=Count("id"))
    assert dict(facet) == {True: 1, False: 1}
    assert list(ranked.filter(featured=True)) == [first]
    assert ranked.order_by("-search_rank")[0] == first
    assert search.with_relevance(ours, "*ombatwor*", "document").count() == 2
    assert not search.with_relevance(ours, "...", "document").exists()
