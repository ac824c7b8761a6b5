"""Agent pages (names by script, offices, relations both ways with evidence, documents by
role, the relation graph) and publication pages (byline, journal, notes linked to records)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from documents.models import Citation, Publication
from people.models import Agent, AgentRelation, AgentRelationType, AgentRole, Position

from .conftest import KHRUSHCHEV, MEMCON, SAITO, make_agent, make_document

pytestmark = pytest.mark.django_db


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def test_khrushchev_names_are_grouped_by_script(client: Client) -> None:
    names = section(page(client, f"/people/{KHRUSHCHEV}/"), "names")
    groups = re.findall(r"<dt>([^<]+)</dt>", names)
    assert groups == ["Latin", "Cyrillic"]
    latin, cyrillic = names.split("<dt>Cyrillic</dt>")
    assert '<li lang="ru">Никита Хрущёв <span' in cyrillic
    assert "Khrushchov" in latin
    assert "Никита" not in latin
    # the authorized form leads its group
    assert latin.index("Nikita Khrushchev") < latin.index("Khrushchov")


def test_offices_as_a_dated_list(client: Client) -> None:
    offices = section(page(client, f"/people/{KHRUSHCHEV}/"), "positions")
    assert re.search(
        r'<time datetime="1956-10-13">13–19 October 1956</time></span><span>Plenipotentiary, '
        r'<a href="/people/soviet-delegation-moscow-1956-10/">',
        offices,
    )


def test_relations_both_ways_with_inverse_labels_dates_and_evidence(client: Client) -> None:
    relations = section(page(client, f"/people/{KHRUSHCHEV}/"), "relations")
    # Khrushchev → Stalin is read forwards, Molotov → Khrushchev with the inverse label
    assert re.search(r'Critic of</span> <a href="/people/stalin-joseph/">', relations)
    assert re.search(
        r'Criticized by</span> <a href="/people/molotov-vyacheslav/">Vyacheslav Molotov</a> '
        r'<span class="meta">\(1955 – 1956\)</span>',
        relations,
    )
    assert 'Evidence: <a href="/documents/publications/saito-' in relations
    # and the graph: one link per related agent, drawn on the server
    graph = relations.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'href="/people/molotov-vyacheslav/"' in graph
    assert graph.count('<a class="node"') == len(set(re.findall(r'href="(/people/[^"]+)"', graph)))
    molotov = page(client, "/people/molotov-vyacheslav/")
    assert re.search(r'Critic of</span> <a href="/people/khrushchev-nikita/">', molotov)


def test_documents_grouped_by_role(client: Client) -> None:
    documents = section(page(client, f"/people/{KHRUSHCHEV}/"), "documents")
    assert re.search(r"<h3>Participant <span class=\"meta\">\(5\)</span></h3>", documents)
    assert f'href="/documents/{MEMCON}/"' in documents


def test_hidden_agents_relations_and_documents_are_left_out(client: Client) -> None:
    khrushchev = Agent.objects.get(identifier=KHRUSHCHEV)
    rel_type = AgentRelationType.objects.get(code="critic-of")
    draft_agent = make_agent("t-rec-draft-agent", name="Zqx Draft Person", status="draft")
    AgentRelation.objects.create(
        source=draft_agent, relation_type=rel_type, target=khrushchev, status="published"
    )
    public_agent = make_agent("t-rec-public-agent", name="Zqx Public Person")
    AgentRelation.objects.create(
        source=public_agent, relation_type=rel_type, target=khrushchev, status="review"
    )
    hidden_doc = make_document("t-rec-hidden-doc", title="Zqx hidden document", status="draft")
    AgentRole.objects.create(document=hidden_doc, agent=khrushchev, role="author")
    html = page(client, f"/people/{KHRUSHCHEV}/")
    assert "Zqx" not in html
    assert client.get("/people/t-rec-draft-agent/").status_code == 404
    assert client.get("/people/t-rec-draft-agent/?format=jsonld").status_code == 404


def _agent_with(identifier: str, n: int) -> str:
    agent = make_agent(identifier, date_edtf="1900/1970")
    rel_type = AgentRelationType.objects.get(code="critic-of")
    for i in range(n):
        other = make_agent(f"{identifier}-other-{i}")
        AgentRelation.objects.create(
            source=agent, relation_type=rel_type, target=other, status="published", date_edtf="1950"
        )
        back = AgentRelation.objects.create(
            source=other, relation_type=rel_type, target=agent, status="published"
        )
        back.supporting_documents.add(make_document(f"{identifier}-evidence-{i}"))
        Position.objects.create(
            agent=agent, title=f"Office {i}", organization=other, date_edtf=f"19{50 + i}"
        )
        doc = make_document(f"{identifier}-doc-{i}", date_edtf="1956")
        AgentRole.objects.create(document=doc, agent=agent, role="author" if i % 2 else "sender")
    return f"/people/{identifier}/"


def test_agent_page_query_count_is_constant(count_queries) -> None:  # type: ignore[no-untyped-def]
    one = count_queries(_agent_with("t-rec-one-agent", 1))
    many = count_queries(_agent_with("t-rec-many-agent", 8))
    assert one == many, (one, many)


def test_publication_page_links_notes_to_the_records_they_cite(client: Client) -> None:
    html = page(client, f"/documents/publications/{SAITO}/")
    assert re.search(r'class="byline"><a href="/people/saito-motohide/">', html)
    note = re.search(r'<li value="40" id="note-40">(.*?)</li>', html, re.S)
    assert note
    assert f'→ <a href="/documents/{MEMCON}/">' in note.group(1)
    assert "(pp. 116-129)" in note.group(1)
    one_page = re.search(r'<li value="1" id="note-1">(.*?)</li>', html, re.S)
    assert one_page
    assert "(p. 276)" in one_page.group(1)


def test_publication_page_shows_the_journal(client: Client) -> None:
    html = page(client, "/documents/publications/adyrhaev-1990-kono-ichiro-shi-to-bulganin/")
    assert re.search(r"<dt>Journal</dt><dd><cite>Kyokuto no Shomondai</cite>, vol. 19, no. 3", html)


def test_publication_hides_links_to_unpublished_records(client: Client) -> None:
    secret = make_document("t-rec-cited-secret", title="Zqx cited secret", status="review")
    publication = Publication.objects.create(
        identifier="t-rec-pub", kind="article", title="Article", status="published"
    )
    Citation.objects.create(
        publication=publication, kind="note", number=1, text="See archive.", cited_document=secret
    )
    html = page(client, "/documents/publications/t-rec-pub/")
    assert "See archive." in html
    assert "Zqx" not in html
    assert (
        "t-rec-cited-secret"
        not in client.get("/documents/publications/t-rec-pub/?format=jsonld").content.decode()
    )
    publication.status = "draft"
    publication.save()
    assert client.get("/documents/publications/t-rec-pub/").status_code == 404


def test_publication_query_count_is_constant(count_queries) -> None:  # type: ignore[no-untyped-def]
    counts = []
    for n in (1, 7):
        publication = Publication.objects.create(
            identifier=f"t-rec-pub-{n}", kind="article", title="A", status="published"
        )
        for i in range(n):
            Citation.objects.create(
                publication=publication,
                kind="note",
                number=i + 1,
                text="n",
                cited_document=make_document(f"t-rec-c-{n}-{i}"),
            )
        counts.append(count_queries(f"/documents/publications/t-rec-pub-{n}/"))
    assert counts[0] == counts[1], counts


def test_a_prolific_agents_page_lists_the_first_documents_of_each_role_and_links_to_all(
    client: Client,
) -> None:
    """The page lists the first ``DOCUMENTS_PER_ROLE`` of a role's documents in date order,
    says how many there are, and links to the list of documents filtered by the agent and the
    role, which has them all (the most prolific agent of a million documents has 103,185)."""
    from people.views import DOCUMENTS_PER_ROLE

    agent = make_agent("t-rec-prolific")
    for i in range(DOCUMENTS_PER_ROLE + 5):
        doc = make_document(f"t-rec-prolific-{i:02d}", date_edtf=f"{1990 - i}")
        AgentRole.objects.create(document=doc, agent=agent, role="author")
    doc = make_document("t-rec-prolific-sent", date_edtf="1956")
    AgentRole.objects.create(document=doc, agent=agent, role="sender")
    documents = section(page(client, "/people/t-rec-prolific/"), "documents")
    author, sender = documents.split("<h3>", 2)[1:]
    assert f'<span class="meta">({DOCUMENTS_PER_ROLE + 5})</span>' in author
    listed = re.findall(r'href="/documents/(t-rec-prolific-\d+)/"', author)
    # the earliest first: the last made are the earliest dated
    expected = [f"t-rec-prolific-{i:02d}" for i in range(DOCUMENTS_PER_ROLE + 4, 4, -1)]
    assert listed == expected
    link = re.search(r'<a href="(/documents/\?agent=t-rec-prolific&amp;role=author)">', author)
    assert link, author
    assert f"All {DOCUMENTS_PER_ROLE + 5} documents" in author
    browse = client.get(link.group(1).replace("&amp;", "&"))
    assert browse.context["page"].paginator.count == DOCUMENTS_PER_ROLE + 5
    # a role with no more than the page shows has no link
    assert "(1)" in sender
    assert "role=sender" not in sender
