"""Nothing hidden leaks through any public door.

The suite walks the URL resolver, so every public route is covered, including routes added
later: a route with parameters the suite does not know how to fill fails
``test_every_public_route_is_covered`` with its name, and must be added to ``FILLERS`` (or to
``SKIPPED`` with the reason it is not public). Each route is requested with the identifiers of
public records (the ``t-vis-`` world of ``conftest.py`` and a few founding records), with query
strings that search for the markers and ask for every facet, and the pages they link to are
followed. The crawl runs first as a curator (who sees everything), then anonymously; every
anonymous answer is scanned for every hidden marker word and hidden identifier.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.db.models import F, Model
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from lxml import etree

from archive.filters import KirokuFilterSet
from archive.models import Collection, Publishable, Repository
from archive.oai.protocol import repository_domain
from archive.sitemaps import SITEMAPS
from archive.workflow import REVIEWER
from documents.models import Document, Event, Place, Publication, Subject, TextLineage
from people.models import Agent, AgentRelation
from tests.trust.conftest import HIDDEN_STATES, VisWorld, staff_client

pytestmark = pytest.mark.django_db

OAI_NS = {"oai": "http://www.openarchives.org/OAI/2.0/"}
MISSING = "t-vis-missing-record"
#: the fields no public caller may filter or order on
NON_PUBLIC_FIELDS = ("status", "restricted", "version")


@dataclass(frozen=True)
class Fill:
    """How to fill a route's one parameter: a model's public key, or a fixed list."""

    param: str
    model: type[Model] | None = None
    kind: str = ""  # the world's kind of hidden record of this model
    values: tuple[str, ...] = ()
    key: str = "identifier"
    #: fixed values of the route's other parameters (a citation's file suffix)
    extra: tuple[tuple[str, str], ...] = ()

    def kwargs(self, value: str) -> dict[str, str]:
        return {self.param: value, **dict(self.extra)}


#: every public route with parameters, by route name
FILLERS: dict[str, Fill] = {
    "archive:collection": Fill("identifier", Collection, "collection"),
    "archive:repository": Fill("identifier", Repository, "repository"),
    "documents:detail": Fill("identifier", Document, "document"),
    "documents:publication": Fill("identifier", Publication, "publication"),
    "people:detail": Fill("identifier", Agent, "agent"),
    "api:document-detail": Fill("identifier", Document, "document"),
    "api:agent-detail": Fill("identifier", Agent, "agent"),
    "api:collection-detail": Fill("identifier", Collection, "collection"),
    "api:repository-detail": Fill("identifier", Repository, "repository"),
    "api:publication-detail": Fill("identifier", Publication, "publication"),
    "api:agentrelation-detail": Fill("pk", AgentRelation, "relation", key="pk"),
    "api:subject-detail": Fill("identifier", Subject),
    "api:place-detail": Fill("identifier", Place),
    "events:detail": Fill("identifier", Event),
    "api:event-detail": Fill("identifier", Event),
    "people:chronology": Fill("identifier", Agent, "agent"),
    "sitemap-section": Fill("section", values=tuple(SITEMAPS)),
    "iiif-manifest": Fill("identifier", Document, "document"),
    "collection-ead": Fill("identifier", Collection, "collection"),
    "agent-eac": Fill("identifier", Agent, "agent"),
    "documents:compare": Fill("identifier", Document, "document"),
    "documents:citation": Fill("identifier", Document, "document", extra=(("suffix", "ris"),)),
    "api:document-citation": Fill("identifier", Document, "document"),
    "genealogies:detail": Fill("identifier", TextLineage, "genealogy"),
    "api:genealogy-detail": Fill("identifier", TextLineage, "genealogy"),
    "api:genealogy-compare": Fill("identifier", TextLineage, "genealogy"),
}
#: routes the public crawl leaves out, with the reason
SKIPPED: dict[str, str] = {}
#: namespaces that are not public doors (their own tests cover them)
PRIVATE_NAMESPACES = ("admin",)
#: HTML detail routes where a withdrawn record answers with its tombstone (410)
TOMBSTONE_ROUTES = frozenset(
    {
        "archive:collection",
        "archive:repository",
        "documents:detail",
        "documents:publication",
        "people:detail",
    }
)


@dataclass(frozen=True)
class Route:
    name: str
    params: tuple[str, ...]
    callback: Callable[..., Any]

    @property
    def filterset(self) -> type[KirokuFilterSet] | None:
        view_class = getattr(self.callback, "cls", None)
        return getattr(view_class, "filterset_class", None)

    @property
    def is_api_list(self) -> bool:
        return self.name.startswith("api:") and self.name.endswith("-list")


def public_routes() -> list[Route]:
    """Every route of the URL resolver outside the private namespaces."""
    found: list[Route] = []

    def walk(patterns: list[Any], namespace: str, params: tuple[str, ...]) -> None:
        for pattern in patterns:
            names = params + tuple(pattern.pattern.regex.groupindex)
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                if inner in PRIVATE_NAMESPACES:
                    continue
                walk(
                    pattern.url_patterns,
                    ":".join(part for part in (namespace, inner) if part),
                    names,
                )
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found.append(Route(name or str(pattern.pattern), names, pattern.callback))

    walk(get_resolver().url_patterns, "", ())
    return found


def test_every_public_route_is_covered() -> None:
    """A public route with parameters must have a filler, else the suite cannot crawl it."""
    routes = public_routes()
    unknown = sorted(
        route.name
        for route in routes
        if route.params and route.name not in FILLERS and route.name not in SKIPPED
    )
    assert not unknown, f"public routes the visibility suite cannot fill: {unknown}"
    # and every route is reversible under its name (unnamed routes cannot be crawled)
    for route in routes:
        if not route.params and route.name not in SKIPPED:
            reverse(route.name)


# --- building the crawl ----------------------------------------------------------------------


def public_keys(fill: Fill, world: VisWorld) -> list[str]:
    """Keys of public records to fill ``fill`` with: the world's own and a few founding ones."""
    if fill.values:
        return list(fill.values)
    assert fill.model is not None
    manager = fill.model._default_manager
    rows = manager.public() if issubclass(fill.model, Publishable) else manager.all()
    mine = rows.filter(**{f"{fill.key}__startswith": "t-vis"}) if fill.key != "pk" else rows.none()
    if fill.model is AgentRelation:
        mine = rows.filter(source=world.agent)
    others = rows.exclude(pk__in=mine.values("pk")).order_by("pk")[:2]
    return [str(getattr(row, fill.key)) for row in [*mine, *others]]


def start_urls(world: VisWorld) -> list[str]:
    urls: list[str] = []
    for route in public_routes():
        if route.name in SKIPPED:
            continue
        if route.params:
            fill = FILLERS[route.name]
            urls += [reverse(route.name, kwargs=fill.kwargs(k)) for k in public_keys(fill, world)]
            continue
        url = reverse(route.name)
        if route.name == "oai":
            continue  # harvested by its own test, every verb
        urls.append(url)
        filterset = route.filterset
        if filterset is not None:
            facets = ",".join(sorted(filterset.facets))
            urls.append(f"{url}?{urlencode({'page': 1, 'facets': facets} if facets else {})}")
            urls.append(f"{url}?q=vismark*")
            urls.append(f"{url}?q=vismark")
        elif not route.is_api_list:
            urls.append(f"{url}?q=vismark")
    return urls


LINK = re.compile(r"""(?:href|src)=["']([^"'#]+)""")


def links(body: str) -> Iterator[str]:
    for href in LINK.findall(body):
        parts = urlsplit(href.replace("&amp;", "&"))
        if parts.netloc and parts.netloc not in {"testserver", "127.0.0.1:8000"}:
            continue
        path = parts.path
        if not path.startswith("/") or path.startswith(("/admin", "/static", "/media")):
            continue
        yield path + (f"?{parts.query}" if parts.query else "")


def crawl(client: Client, seeds: list[str], limit: int = 700) -> dict[str, Any]:
    """GET every seed and the site pages they link to; returns the answers by URL."""
    answers: dict[str, Any] = {}
    queue = list(dict.fromkeys(seeds))
    while queue and len(answers) < limit:
        url = queue.pop(0)
        if url in answers:
            continue
        response = client.get(url)
        answers[url] = response
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            queue += [link for link in links(response.content.decode()) if link not in answers]
    return answers


def leaks(text: str, forbidden: set[str]) -> list[str]:
    lowered = text.lower()
    return sorted(word for word in forbidden if word in lowered)


def test_public_crawl_shows_nothing_hidden(vis_world: VisWorld) -> None:
    seeds = start_urls(vis_world)
    # a curator first: whatever a cached curator view might keep must not reach the public
    curator = staff_client(REVIEWER, "vis-curator")
    curator_answers = crawl(curator, seeds)
    # the markers are findable when visible: curators see drafts through the API
    curator_text = b" ".join(r.content for r in curator_answers.values()).decode(errors="replace")
    assert leaks(curator_text, set(vis_world.markers.values())), "the markers cannot be seen"
    answers = crawl(Client(), seeds)
    forbidden = vis_world.forbidden()
    problems = {}
    for url, response in answers.items():
        assert response.status_code < 500, (url, response.status_code)
        body = response.content.decode(errors="replace")
        found = leaks(body, forbidden)
        if found:
            problems[url] = found
    assert not problems, f"hidden records visible: {problems}"
    pages = {url for url, r in answers.items() if r.status_code == 200}
    assert len(pages) >= 60, sorted(pages)
    print(f"visibility crawl: {len(answers)} anonymous requests, {len(pages)} pages answered 200")


# --- hidden answers like missing ---------------------------------------------------------------


def hidden_cases(world: VisWorld) -> Iterator[tuple[str, str, str, str]]:
    """(route, state, hidden url, missing url) for every identified route and hidden record."""
    for route in public_routes():
        fill = FILLERS.get(route.name)
        if not route.params or fill is None or not fill.kind:
            continue
        for state in HIDDEN_STATES:
            record = world.hidden[(state, fill.kind)]
            key = str(getattr(record, fill.key))
            missing = "999999999" if fill.key == "pk" else MISSING
            yield (
                route.name,
                state,
                reverse(route.name, kwargs=fill.kwargs(key)),
                reverse(route.name, kwargs=fill.kwargs(missing)),
            )


def normalised(response: Any, *replace: tuple[str, str]) -> str:
    body = response.content.decode(errors="replace")
    for old, new in replace:
        body = body.replace(old, new)
    return body


def test_hidden_records_answer_like_missing_ones(vis_world: VisWorld) -> None:
    client = Client()
    checked = 0
    for route, state, hidden_url, missing_url in hidden_cases(vis_world):
        hidden, missing = client.get(hidden_url), client.get(missing_url)
        assert missing.status_code == 404, missing_url
        if state == "withdrawn" and route in TOMBSTONE_ROUTES:
            assert hidden.status_code == 410, (hidden_url, hidden.status_code)
            assert not leaks(hidden.content.decode(), set(vis_world.markers.values()))
            checked += 1
            continue
        assert hidden.status_code == 404, (hidden_url, hidden.status_code)
        key = hidden_url.rstrip("/").rsplit("/", 1)[-1]
        other = missing_url.rstrip("/").rsplit("/", 1)[-1]
        assert normalised(hidden, (key, other)) == normalised(missing), hidden_url
        assert hidden.get("Content-Type") == missing.get("Content-Type")
        checked += 1
    assert checked >= 44


#: list filters that take an identifier of a publishable record: (route, parameter, kind)
IDENTIFIER_FILTERS = [
    ("api:document-list", "agent", "agent"),
    ("api:document-list", "collection", "collection"),
    ("api:document-list", "repository", "repository"),
    ("api:collection-list", "repository", "repository"),
    ("api:collection-list", "parent", "collection"),
    ("api:collection-list", "within", "collection"),
    ("api:agentrelation-list", "agent", "agent"),
    ("api:agentrelation-list", "source", "agent"),
    ("api:publication-list", "agent", "agent"),
]


@pytest.mark.parametrize(("route", "param", "kind"), IDENTIFIER_FILTERS)
def test_filtering_by_a_hidden_identifier_answers_like_a_missing_one(
    vis_world: VisWorld, route: str, param: str, kind: str
) -> None:
    client = Client()
    url = reverse(route)
    missing = client.get(url, {param: MISSING, "page": 1})
    for state in HIDDEN_STATES:
        identifier = vis_world.identifiers[(state, kind)]
        hidden = client.get(url, {param: identifier, "page": 1})
        assert hidden.status_code == missing.status_code, (param, identifier)
        assert normalised(hidden, (identifier, MISSING)) == normalised(missing)


# --- OAI-PMH, every verb ------------------------------------------------------------------------


def oai_requests(world: VisWorld) -> Iterator[dict[str, str]]:
    yield {"verb": "Identify"}
    yield {"verb": "ListMetadataFormats"}
    yield {"verb": "ListSets"}
    sets = [
        None,
        f"repository:{world.repo.identifier}",
        f"collection:{world.fonds.identifier}",
    ]
    for prefix in ("oai_dc", "ead"):
        for spec in sets:
            for verb in ("ListIdentifiers", "ListRecords"):
                yield {"verb": verb, "metadataPrefix": prefix} | ({"set": spec} if spec else {})
    domain = repository_domain()
    for kind in ("document", "collection"):
        for record in (world.doc, world.fonds):
            if record._meta.model_name == kind:
                ident = f"oai:{domain}:{kind}/{record.identifier}"
                yield {"verb": "ListMetadataFormats", "identifier": ident}
                for prefix in ("oai_dc", "ead"):
                    yield {"verb": "GetRecord", "metadataPrefix": prefix, "identifier": ident}


def harvest(client: Client, params: dict[str, str]) -> list[bytes]:
    """Every page of one OAI-PMH request, following resumption tokens."""
    pages = []
    response = client.get("/oai", params)
    while True:
        assert response.status_code == 200, params
        pages.append(response.content)
        token = etree.fromstring(response.content).find(".//oai:resumptionToken", OAI_NS)
        if token is None or not (token.text or "").strip():
            return pages
        response = client.get("/oai", {"verb": params["verb"], "resumptionToken": token.text})


def scrub_deleted(xml: bytes, world: VisWorld) -> str:
    """The response without its deleted headers (checked here: withdrawn records only) and
    without the ``request`` element that echoes our own parameters."""
    root = etree.fromstring(xml)
    withdrawn = {
        identifier for (state, _), identifier in world.identifiers.items() if state == "withdrawn"
    }
    for header in root.iterfind(".//oai:header[@status='deleted']", OAI_NS):
        identifier = header.findtext("oai:identifier", namespaces=OAI_NS)
        key = identifier.rsplit("/", 1)[-1]
        assert key in withdrawn or not key.startswith("t-vis"), identifier
        text = etree.tostring(header, encoding="unicode")
        assert not leaks(text, set(world.markers.values())), text
        record = header.getparent()
        if record.tag.endswith("}record"):
            record.getparent().remove(record)
        else:
            record.remove(header)
    for echo in root.iterfind("oai:request", OAI_NS):
        root.remove(echo)
    return etree.tostring(root, encoding="unicode")


@override_settings(KIROKU_OAI_PAGE_SIZE=40)
def test_oai_pmh_shows_nothing_hidden(vis_world: VisWorld) -> None:
    staff_client(REVIEWER, "vis-harvest-curator").get("/oai", {"verb": "ListSets"})
    client = Client()
    forbidden = vis_world.forbidden()
    count = 0
    for params in oai_requests(vis_world):
        for page in harvest(client, params):
            count += 1
            found = leaks(scrub_deleted(page, vis_world), forbidden)
            assert not found, (params, found)
    assert count >= 20


@pytest.mark.parametrize("kind", ["document", "collection"])
def test_oai_hidden_records_answer_like_missing_ones(vis_world: VisWorld, kind: str) -> None:
    client = Client()
    domain = repository_domain()
    missing_id = f"oai:{domain}:{kind}/{MISSING}"
    for state in ("draft", "review", "restricted"):
        hidden_id = f"oai:{domain}:{kind}/{vis_world.identifiers[(state, kind)]}"
        for params in (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc"},
            {"verb": "ListMetadataFormats"},
        ):
            hidden = client.get("/oai", {**params, "identifier": hidden_id})
            missing = client.get("/oai", {**params, "identifier": missing_id})
            date = re.compile(rb"<responseDate>[^<]*</responseDate>")
            assert date.sub(b"", hidden.content).replace(
                hidden_id.encode(), missing_id.encode()
            ) == date.sub(b"", missing.content)
    # hidden sets are unknown sets
    for state in HIDDEN_STATES:
        spec = f"{kind if kind == 'collection' else 'repository'}:"
        spec += vis_world.identifiers[(state, kind if kind == "collection" else "repository")]
        params = {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": spec}
        answer = client.get("/oai", params)
        assert b'code="badArgument"' in answer.content or b"noRecordsMatch" in answer.content
        assert vis_world.markers[(state, kind)].encode() not in answer.content


# --- counts -----------------------------------------------------------------------------------


def publishable_count(model: type[Model]) -> int:
    manager = model._default_manager
    return manager.public().count() if issubclass(model, Publishable) else manager.count()


def test_api_counts_equal_public_records(vis_world: VisWorld) -> None:
    client = Client()
    routes = [route for route in public_routes() if route.is_api_list and route.filterset]
    assert len(routes) >= 8
    for route in routes:
        model = route.filterset._meta.model
        body = client.get(reverse(route.name), {"page": 1, "page_size": 1}).json()
        assert body["count"] == publishable_count(model), route.name


def test_facet_counts_equal_public_records(vis_world: VisWorld) -> None:
    client = Client()
    for route in public_routes():
        filterset = route.filterset
        if not route.is_api_list or filterset is None or not filterset.facets:
            continue
        model = filterset._meta.model
        body = client.get(reverse(route.name), {"facets": ",".join(filterset.facets)}).json()
        public = (
            model._default_manager.public()
            if issubclass(model, Publishable)
            else model._default_manager.all()
        )
        for name, facet in filterset.facets.items():
            for row in body["facets"][name]:
                if facet.counter is not None:
                    # a facet that counts in its own way: the records its filter selects
                    param = facet.excludes[0]
                    selected = filterset(data={param: row["value"]}, queryset=public)
                    assert selected.is_valid(), (route.name, name, selected.errors)
                    expected = selected.filter_records().distinct()
                else:
                    rows = public.annotate(**facet.annotate) if facet.annotate else public
                    expected = rows.filter(facet.restrict, **{facet.value: row["value"]})
                    expected = expected.distinct()
                assert row["count"] == expected.count(), (route.name, name, row)


@override_settings(KIROKU_OAI_PAGE_SIZE=10)
def test_oai_complete_list_size_equals_public_and_deleted_records(vis_world: VisWorld) -> None:
    expected = 0
    for model in (Document, Collection):
        rows = model.objects.all()
        expected += rows.public().count()
        expected += rows.filter(status="withdrawn", restricted=False).count()
    page = Client().get("/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    token = etree.fromstring(page.content).find(".//oai:resumptionToken", OAI_NS)
    assert int(token.get("completeListSize")) == expected


def test_sitemaps_and_home_count_public_records(vis_world: VisWorld) -> None:
    client = Client()
    for section, sitemap in SITEMAPS.items():
        body = client.get(reverse("sitemap-section", kwargs={"section": section})).content
        assert body.count(b"<url>") == sitemap.model.objects.public().count(), section
    home = client.get("/")
    assert home.context["document_count"] == Document.objects.public().count()
    assert home.context["agent_count"] == Agent.objects.public().count()


# --- filters and orderings on non-public fields --------------------------------------------------


def test_no_filter_or_ordering_on_non_public_fields(vis_world: VisWorld) -> None:
    client = Client()
    for route in public_routes():
        filterset = route.filterset
        if not route.is_api_list or filterset is None:
            continue
        url = reverse(route.name)
        for field in NON_PUBLIC_FIELDS:
            answer = client.get(url, {field: "draft" if field == "status" else "1"})
            assert answer.status_code == 400, (route.name, field)
            assert field in answer.json()["errors"], answer.json()
            assert field not in filterset.base_filters
            if "ordering" in filterset.base_filters:
                for order in (field, f"-{field}"):
                    answer = client.get(url, {"ordering": order})
                    assert answer.status_code == 400, (route.name, order)
                    assert "ordering" in answer.json()["errors"]
        # the allow-list itself sorts on public fields only
        for key, ordering in filterset.orderings.items():
            used = {
                node.name
                for _, expr in ordering.keys
                for node in ([expr] if isinstance(expr, F) else expr.flatten())
                if isinstance(node, F)
            }
            assert not used & set(NON_PUBLIC_FIELDS), (route.name, key, used)
