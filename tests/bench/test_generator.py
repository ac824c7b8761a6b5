"""The synthetic archive generator: deterministic, complete, searchable, browsable."""

from __future__ import annotations

import hashlib
import json
import random
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, Max

from archive import facet_tallies, search
from archive.models import Collection, Repository, SearchEntry
from archive.search.text import fold, normalize, segments
from bench import words
from bench.generator import ArchiveGenerator, Manifest, generate
from documents.models import Document, DocumentText
from people.models import Agent, AgentRole, NameForm
from tests.bench.conftest import AGENTS, DOCUMENTS

pytestmark = pytest.mark.django_db


def _digest(prefix: str) -> str:
    """A fingerprint of everything generated under ``prefix`` (not of ids or timestamps)."""
    mine = {"identifier__startswith": f"{prefix}-"}
    parts: list[Any] = [
        list(
            Document.objects.filter(**mine)
            .order_by("identifier")
            .values_list(
                "identifier",
                "title",
                "title_original",
                "summary",
                "date_edtf",
                "status",
                "restricted",
                "document_type__code",
                "collection__identifier",
                "reference_segment",
                "locator",
            )
        ),
        sorted(
            Document.languages.through.objects.filter(
                document__identifier__startswith=prefix
            ).values_list("document__identifier", "language__code")
        ),
        sorted(
            Document.subjects.through.objects.filter(
                document__identifier__startswith=prefix
            ).values_list("document__identifier", "subject__identifier")
        ),
        sorted(
            AgentRole.objects.filter(document__identifier__startswith=prefix).values_list(
                "document__identifier", "agent__identifier", "role", "order"
            )
        ),
        sorted(
            DocumentText.objects.filter(document__identifier__startswith=prefix).values_list(
                "document__identifier", "key", "body"
            )
        ),
        list(
            Collection.objects.filter(**mine)
            .order_by("identifier")
            .values_list("identifier", "parent__identifier", "depth", "title", "reference_segment")
        ),
        list(
            Agent.objects.filter(**mine)
            .order_by("identifier")
            .values_list("identifier", "kind", "name", "status")
        ),
        sorted(
            NameForm.objects.filter(agent__identifier__startswith=prefix).values_list(
                "agent__identifier", "name", "kana_reading"
            )
        ),
    ]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def _generate_and_digest(seed: int) -> tuple[Manifest, str]:
    with transaction.atomic():
        manifest = generate(120, 20, seed)
        digest = _digest(manifest.prefix)
        transaction.set_rollback(True)
    return manifest, digest


def test_the_same_seed_gives_the_same_archive() -> None:
    first, digest = _generate_and_digest(3)
    again, digest_again = _generate_and_digest(3)
    other, other_digest = _generate_and_digest(4)
    assert digest == digest_again
    assert [m.expected for m in first.markers] == [m.expected for m in again.markers]
    assert digest != other_digest
    assert first.public_documents != 0
    assert other.prefix == "g4"


def test_counts_are_as_requested(generated: Manifest) -> None:
    documents = Document.objects.filter(identifier__startswith="g7-")
    assert documents.count() == DOCUMENTS == generated.documents
    assert Agent.objects.filter(identifier__startswith="g7-").count() == AGENTS
    assert documents.public().count() == generated.public_documents
    assert 0.85 * DOCUMENTS <= generated.public_documents < DOCUMENTS
    # about a tenth undated
    assert documents.filter(date_start__isnull=True).count() == generated.undated_documents
    assert 0.04 * DOCUMENTS <= generated.undated_documents <= 0.18 * DOCUMENTS
    # several agents per document, and every document has at least one
    roles = AgentRole.objects.filter(document__identifier__startswith="g7-")
    assert documents.filter(agent_roles__isnull=True).count() == 0
    assert roles.count() >= 2 * DOCUMENTS
    # one history entry per generated record
    assert Document.history.filter(identifier__startswith="g7-").count() == DOCUMENTS
    assert sum(row["documents"] for row in generated.repositories) == DOCUMENTS


def test_facet_values_are_skewed(generated: Manifest) -> None:
    documents = Document.objects.filter(identifier__startswith="g7-")
    by_language = list(
        documents.values("languages__code").annotate(n=Count("id")).order_by("-n")[:3]
    )
    assert by_language[0]["languages__code"] == "ja"
    assert by_language[0]["n"] > 0.25 * DOCUMENTS
    shares = [row["documents"] for row in generated.repositories]
    assert shares[0] > 2 * shares[-1]
    subjects = Document.subjects.through.objects.filter(document__identifier__startswith="g7-")
    per_subject = sorted(
        subjects.values("subject_id").annotate(n=Count("id")).values_list("n", flat=True),
        reverse=True,
    )
    assert per_subject[0] >= 10 * per_subject[-1]  # a head and a long tail
    scripts = {form.script for form in NameForm.objects.filter(agent__identifier__startswith="g7-")}
    assert {"Latn", "Cyrl", "Jpan"} <= scripts


def test_markers_have_the_planted_number_of_hits(generated: Manifest) -> None:
    assert [marker.word for marker in generated.markers] == [
        "kmark10",
        "kmark100",
        "кметка",
        "鵺鶫",
    ]
    for marker in generated.markers:
        assert marker.hidden >= 1  # also planted where search must not find it
        assert search.count_by_kind(marker.word).get("document", 0) == marker.expected
        found = Document.objects.filter(pk__in=search.matching_ids(marker.word, "document"))
        assert found.count() == marker.expected, marker.word
        word = marker.word + "(?![0-9])"  # kmark10 is not kmark100
        planted = Document.objects.filter(identifier__startswith="g7-").filter(
            summary__regex=word
        ) | Document.objects.filter(texts__body__regex=word)
        assert planted.distinct().count() == marker.expected + marker.hidden


def test_trees_have_the_requested_shape(generated: Manifest) -> None:
    units = Collection.objects.filter(identifier__startswith="g7-")
    assert units.count() == generated.collections
    assert units.aggregate(deepest=Max("depth"))["deepest"] == generated.max_depth == 4
    fonds = units.get(identifier=generated.big_fonds)
    assert fonds.parent_id is None
    below = fonds.descendants()
    documents_below = Document.objects.filter(collection__tree_path__startswith=fonds.tree_path)
    assert below.count() + documents_below.count() == generated.big_fonds_descendants
    assert documents_below.count() == round(DOCUMENTS * 0.10)
    unit = units.get(identifier=generated.big_unit)
    assert unit.documents.count() == generated.big_unit_children == round(DOCUMENTS * 0.02)
    for sample in units.filter(depth=4)[:5]:
        lineage = sample.lineage()
        assert len(lineage) == 5
        assert [u.level.rank for u in lineage] == sorted(u.level.rank for u in lineage)
    # references are written in the repository's style from the tree
    document = Document.objects.filter(collection=unit).first()
    assert document.reference().startswith(f"{unit.repository.short_name}, f. ")


def test_search_index_holds_the_public_records_only(generated: Manifest) -> None:
    entries = SearchEntry.objects.filter(identifier__startswith="g7-")
    assert entries.filter(kind="document").count() == generated.public_documents
    assert (
        entries.filter(kind="agent").count()
        == Agent.objects.filter(identifier__startswith="g7-").public().count()
    )


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/documents/",
        "/documents/?page=5",
        "/collections/",
        "/api/v1/documents/?facets=form,language,repository,subject,place,agent,role,year,decade",
        "/api/v1/documents/?q=kmark100&facets=language,form",
        "/api/v1/collections/?within={fonds}",
    ],
)
def test_public_pages_render_on_generated_data(client: Any, generated: Manifest, path: str) -> None:
    response = client.get(path.format(fonds=generated.big_fonds))
    assert response.status_code == 200


def test_record_pages_render_on_generated_data(client: Any, generated: Manifest) -> None:
    document = Document.objects.public().filter(identifier__startswith="g7-").first()
    agent = Agent.objects.public().filter(identifier__startswith="g7-").first()
    repository = Repository.objects.filter(identifier__startswith="g7-").first()
    for url in (
        document.get_absolute_url(),
        agent.get_absolute_url(),
        repository.get_absolute_url(),
        Collection.objects.get(identifier=generated.big_fonds).get_absolute_url(),
        f"/api/v1/documents/{document.identifier}/",
    ):
        assert client.get(url).status_code == 200, url
    hidden = Document.objects.filter(identifier__startswith="g7-", status="draft").first()
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_a_batch_of_documents_is_the_same_whoever_writes_it_and_when() -> None:
    # generate_archive writes the batches in several processes, each taking every n-th one:
    # a batch's rows must not depend on the batches written before it, nor their keys collide
    with transaction.atomic():
        generator = ArchiveGenerator(120, 20, 5)
        for phase in ("vocabularies", "repositories", "agents", "collections", "plan_visibility"):
            getattr(generator, phase)()
        generator.document_pk0, generator.text_pk0, generator.role_pk0 = 1000, 5000, 9000
        starts = (0, 40, 80)
        in_order = [generator._document_batch(start, start + 40) for start in starts]
        reversed_order = [generator._document_batch(start, start + 40) for start in starts[::-1]]
        transaction.set_rollback(True)
    assert in_order == reversed_order[::-1]
    for model in (Document, DocumentText, AgentRole):
        keys = [row["id"] for batch in in_order for row in batch[model]]
        assert len(keys) == len(set(keys)) > 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner and statistics")
def test_a_batch_reads_its_roles_from_its_documents_on_a_database_without_statistics(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a new database (no ``ANALYZE`` yet), SQLite's planner took the public agents to be a
    few and read each batch's kept role values from every public agent, probing the roles for
    each of the batch's documents: at 150,000 documents, 100 s a batch. The generator analyses
    the tables the batches join to before writing them; the plan then starts from the batch."""
    plans: list[str] = []
    original = facet_tallies.KeptFacet.members

    def members(kept: facet_tallies.KeptFacet, rows: Any) -> Any:
        if kept.name == "role":
            read = rows.filter(kept.facet.restrict).values_list("pk", kept.facet.value)
            sql, params = read.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
                plans.append(str(cursor.fetchall()[0][3]))
        return original(kept, rows)

    monkeypatch.setattr(facet_tallies.KeptFacet, "members", members)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sqlite_stat1")
            cursor.execute("ANALYZE sqlite_schema")  # the planner reloads what is left
        # agents enough that starting from them costs more than starting from the batch
        generate(120, 2000, 5)
        transaction.set_rollback(True)
    assert plans
    assert all(plan.startswith("SEARCH documents_document") for plan in plans), plans


def test_command_writes_the_manifest_and_an_estimate(tmp_path: Any, capsys: Any) -> None:
    path = tmp_path / "manifest.json"
    call_command(
        "generate_archive", documents=30, agents=10, seed=21, manifest=str(path), no_progress=True
    )
    manifest = json.loads(path.read_text())
    assert manifest["documents"] == 30
    assert manifest["prefix"] == "g21"
    assert {marker["word"] for marker in manifest["markers"]} >= {"kmark10", "кметка"}
    out = capsys.readouterr().out
    assert "Generated 30 documents" in out
    assert "1,000,000 in about" in out
    with pytest.raises(CommandError, match="--seed: this database already holds"):
        call_command("generate_archive", documents=30, seed=21, no_progress=True)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"documents": 0}, "--documents"),
        ({"documents": 10, "agents": 0}, "--agents"),
        ({"documents": 10, "seed": -1}, "--seed"),
        ({"documents": 10, "workers": 0}, "--workers"),
    ],
)
def test_command_refuses_bad_arguments(options: dict[str, int], message: str) -> None:
    before = Document.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("generate_archive", no_progress=True, **options)
    assert Document.objects.count() == before


def test_chunked_normalisation_equals_the_reference() -> None:
    """``normalize`` caches whitespace/punctuation-separated chunks; the result is unchanged."""
    rng = random.Random(5)  # nosec B311 (test data, not security)
    alphabet = (
        "aÄéёЁй_-.,;:!?()[]\"'、。，．・「」『』（） \t\n\u3000\u00a0¨´0９ｱｶﾞ・ー々がΩßﬁ①㍻"
        + "".join(words.JAPANESE[:10])
        + "\u0301\u0308\u3099\u093f"
    )
    for _ in range(5000):
        text = "".join(rng.choices(alphabet, k=rng.randint(0, 30)))
        reference = " ".join(key for s in segments(fold(text)) for key in s.index_keys())
        assert normalize(text) == reference, repr(text)


def test_benchmark_measures_every_case_beside_its_raw_sql(
    generated: Manifest, admin_user: Any, tmp_path: Any
) -> None:
    """``bench.measure`` on the generated archive: every case answers, and its queries re-run."""
    from dataclasses import asdict

    from django.test import Client

    from bench.measure import cases, import_rate, measure_case

    public, staff = Client(), Client()
    staff.force_login(admin_user)
    listed = cases(asdict(generated))
    assert {case.group for case in listed} == {
        "browse",
        "deep",
        "search",
        "api-q",
        "api",
        "admin",
    }
    first_of_each_group = {case.group: case for case in reversed(listed)}.values()
    for case in first_of_each_group:
        result = measure_case(staff if case.staff else public, case, 2, tmp_path)
        assert result.status == 200, case.url
        assert result.queries > 0, case.name
        assert result.sql_p50_ms > 0, case.name
        assert (tmp_path / result.static_path.removeprefix("bench/")).stat().st_size == result.bytes
    before = Document.objects.count()
    rates = import_rate(asdict(generated), 20)
    assert rates["import_per_second"] > 0
    assert rates["raw_per_second"] > 0
    assert Document.objects.count() == before  # the import was rolled back
