"""People browse, timeline, home, collection pages, the language switch, and the API's q."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext

from archive.filters import in_subtree_q
from archive.models import Collection
from documents.models import Document
from people.models import Agent, AgentRole, DocumentRole

pytestmark = pytest.mark.django_db


def test_people_facets_count_public_agents(client: Client) -> None:
    response = client.get("/people/?page_size=100")
    assert response.status_code == 200
    browse = response.context["browse"]
    public = Agent.objects.public()
    assert browse.page.paginator.count == public.count()
    kinds = {v.value: v.count for v in browse.group("kind").values}
    assert kinds == {k: public.filter(kind=k).count() for k in kinds}
    nationalities = {v.value: v.label for v in browse.group("nationality").values}
    assert nationalities["JP"] == "Japan"
    roles = {v.value: v.count for v in browse.group("role").values}
    for role, count in roles.items():
        with_role = AgentRole.objects.filter(AgentRole.public_q(), role=role)
        assert count == public.filter(pk__in=with_role.values("agent_id")).count(), role


@pytest.mark.parametrize("query", ["", "kind=person", "nationality=SU", "q=hatoyama"])
def test_people_role_facet_counts_roles_in_public_documents_only(
    client: Client, query: str
) -> None:
    """Each role counts the listed agents with that role in a public document: a role in a
    withdrawn document, or a hidden agent's, counts nothing."""
    document = Document.objects.public().order_by("pk").first()
    Document.objects.filter(pk=document.pk).update(status="draft")
    agent = Agent.objects.public().get(identifier="khrushchev-nikita")
    AgentRole.objects.create(document=document, agent=agent, role="donor")
    hidden = Agent.objects.exclude(Agent.public_q()).first()
    if hidden is not None:
        public_document = Document.objects.public().first()
        AgentRole.objects.create(document=public_document, agent=hidden, role="interpreter")
    response = client.get(f"/people/?{query}")
    assert response.status_code == 200
    browse = response.context["browse"]
    listed = response.context["browse"].filterset.qs
    roles = {v.value: v.count for v in browse.group("role").values}
    expected = {}
    for role in DocumentRole.values:
        with_role = AgentRole.objects.filter(AgentRole.public_q(), role=role)
        count = listed.filter(pk__in=with_role.values("agent_id")).count()
        if count:
            expected[role] = count
    assert roles == expected
    # the draft's role would have counted the agent once more
    assert not AgentRole.objects.filter(AgentRole.public_q(), agent=agent, role="donor").exists()


def test_people_filters_and_period(client: Client) -> None:
    response = client.get("/people/?kind=person&nationality=SU&page_size=100")
    listed = {agent.identifier for agent in response.context["page"]}
    expected = Agent.objects.public().filter(kind="person", nationality="SU")
    assert listed == set(expected.values_list("identifier", flat=True))
    periods = client.get("/people/").context["browse"].group("decade").values
    period = next(v for v in periods if v.value == "1950")
    assert period.label == "1950s"
    chosen = client.get(f"/people/{period.url}&page_size=100").context["browse"]
    expected = (
        Agent.objects.public()
        .filter(
            Q(date_start__year__lte=1959) | Q(date_start__isnull=True),
            Q(date_end__year__gte=1950) | Q(date_end__isnull=True),
        )
        .exclude(date_start__isnull=True, date_end__isnull=True)
    )
    assert chosen.page.paginator.count == expected.count()
    assert period.count <= expected.count()  # born in the decade, or living through it
    assert client.get("/people/?kind=robot").status_code == 400


def test_people_query_count_does_not_grow_with_page_size(
    client: Client, django_assert_num_queries: object, uncached: None
) -> None:
    # the catalogue's version is read twice: for the number of matches, then for the facets;
    # the page is read as its keys, then its rows
    with django_assert_num_queries(9):  # type: ignore[operator]
        client.get("/people/?page_size=3")
    with django_assert_num_queries(9):  # type: ignore[operator]
        client.get("/people/?page_size=100")


def test_timeline_by_decade_with_year_anchors(client: Client) -> None:
    response = client.get("/timeline/?decade=1950")
    assert response.status_code == 200
    html = response.content.decode()
    entries = response.context["entries"]
    assert {entry.kind for entry in entries} == {"event", "document"}
    assert all(1950 <= entry.date_start.year <= 1959 for entry in entries)
    starts = [entry.date_start for entry in entries]
    assert starts == sorted(starts)
    # the decade's count in the navigation is the number of entries shown
    decade = next(row for row in response.context["decades"] if row["decade"] == 1950)
    assert decade["n"] == len(entries)
    # events and the documents about them, on one page
    assert "Signing of the Japan-Soviet Joint Declaration" in html
    assert "/events/" in html
    assert 'href="#y1956"' in html
    assert 'id="y1956"' in html
    assert client.get("/timeline/?decade=19x").status_code == 400


def test_home_counts(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    decades = {row["value"]: row["count"] for row in response.context["by_decade"]}
    public = Document.objects.public()
    assert decades[1950] == public.filter(date_start__year__range=(1950, 1959)).count()
    assert list(decades) == sorted(decades)
    # the browse page's kept counts, as the database counts them
    assert response.context["document_count"] == public.count()
    forms = {row["value"]: row["count"] for row in response.context["by_form"]}
    assert forms == {
        code: public.filter(document_type__code=code).count()
        for code in public.values_list("document_type__code", flat=True)
    }
    repositories = {row["value"]: row["count"] for row in response.context["by_repository"]}
    assert repositories
    for identifier, count in repositories.items():
        assert count == public.filter(collection__repository__identifier=identifier).count()
    recent = [document.pk for document in response.context["recent"]]
    assert recent == list(public.order_by("-id").values_list("pk", flat=True)[:6])
    html = response.content.decode()
    assert 'action="/search/"' in html
    assert "/documents/?decade=1950" in html


def test_collection_page_has_the_browse_facets(client: Client) -> None:
    unit = Collection.objects.public().filter(parent__isnull=True).first()
    response = client.get(f"{unit.get_absolute_url()}?page_size=100")
    assert response.status_code == 200
    inside = Document.objects.public().filter(
        in_subtree_q([unit.identifier], prefix="collection__")
    )
    browse = response.context["browse"]
    assert browse.page.paginator.count == inside.count()
    assert browse.group("repository") is None
    assert browse.group("language") is not None
    assert client.get(f"{unit.get_absolute_url()}?language=ja&colour=1").status_code == 400


def test_language_switch_to_japanese(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "ja", "next": "/documents/"})
    assert response.status_code == 302
    html = client.get("/documents/?language=ja").content.decode()
    assert '<html lang="ja">' in html
    assert "本文へ移動" in html  # skip link
    assert "絞り込み" in html  # facets heading
    assert "言語: Japanese" in html  # chip: translated facet title
    assert "日付（新しい順）" in html  # a sort order defined in code
    nationality = client.get("/people/").context["browse"].group("nationality").values
    assert "日本" in {value.label for value in nationality}  # country names too


def test_api_q_uses_the_search_index(client: Client) -> None:
    by_name = client.get("/api/v1/agents/?q=Хрущёв").json()
    assert "khrushchev-nikita" in [row["identifier"] for row in by_name["results"]]
    ranked = client.get("/api/v1/documents/?q=Kono&page_size=5").json()
    assert ranked["count"] is not None  # ranked lists page by number
    second = client.get("/api/v1/documents/?q=Kono&page_size=5&page=2").json()
    first_ids = [row["identifier"] for row in ranked["results"]]
    assert not set(first_ids) & {row["identifier"] for row in second["results"]}


def test_collection_home_and_timeline_query_counts_are_fixed(
    client: Client, django_assert_num_queries: object
) -> None:
    unit = Collection.objects.public().filter(parent__isnull=True).first()
    url = unit.get_absolute_url()
    with CaptureQueriesContext(connection) as small:
        client.get(f"{url}?page_size=1")
    with django_assert_num_queries(len(small)):  # type: ignore[operator]
        client.get(f"{url}?page_size=100")
    with django_assert_num_queries(9):  # type: ignore[operator]
        client.get("/")
    with django_assert_num_queries(5):  # type: ignore[operator]
        client.get("/timeline/?decade=1950")
