"""Site-wide pages: home, search, timeline, repositories and the collection trees."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext

from archive import search
from archive.browse import (
    DEFAULT_PAGE_SIZE,
    DOCUMENT_TITLES,
    MAX_PAGE_SIZE,
    Browse,
    document_facets,
)
from archive.facets import facet_counts, kept_total
from archive.filters import in_subtree_q
from archive.models import Collection, Repository, SearchKind
from documents.chronology import timeline_decades, timeline_entries
from documents.filters import DocumentFilterSet
from documents.models import Document
from documents.views import browse_documents, list_rows
from people.models import Agent


def home(request: HttpRequest) -> HttpResponse:
    """What the archive holds: counts by repository, form and decade, recent and featured
    records, and a search box. A fixed number of queries."""
    documents = Document.objects.public()
    # the browse page's own facet counts, kept as records change (archive.facet_tallies) and
    # cached with the catalogue: grouping the public documents took 1.6 s at a million
    nothing = QueryDict()
    counts = facet_counts(
        DocumentFilterSet, nothing, ["repository", "form", "decade"], documents, shared="public"
    )
    total = kept_total(DocumentFilterSet, nothing)
    context = {
        "document_count": documents.count() if total is None else total,
        "agent_count": Agent.objects.public().count(),
        "by_repository": counts["repository"],
        "by_form": counts["form"],
        "by_decade": sorted(counts["decade"], key=lambda row: row["value"]),
        # the newest and the featured public records, with what their list rows show; the
        # newest by key, which follows the order records were added in and is read from the
        # key's index (by ``created_at``, a million documents were sorted: 2.3 s)
        "recent": list_rows(documents.order_by("-id"))[:6],
        "featured": list_rows(documents.filter(featured=True).order_by("date_start", "id"))[:6],
    }
    return render(request, "archive/home.html", context)


class HitList:
    """Search hits as a sequence a :class:`~django.core.paginator.Paginator` can page: the
    total from one counting query, each page from one ranked query. The index holds public
    records only and each hit links by its identifier, so no record is loaded."""

    def __init__(self, query: search.Query, kinds: list[str], total: int) -> None:
        self.query, self.kinds, self.total = query, kinds, total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list[search.Hit]:
        start, stop = window.start or 0, window.stop or self.total
        return search.search(self.query, self.kinds, limit=stop - start, offset=start)


SEARCH_PARAMS = {"q", "kind", "page", "page_size"}


def search_page(request: HttpRequest) -> HttpResponse:
    """Full-text search across documents, agents, collections and publications.

    Ranked by relevance with highlighted snippets; ``kind`` (repeatable) limits the kinds of
    record. The document facets of the same query sit beside the hits and lead to the
    documents' browse page with the query kept.
    """
    errors: dict[str, list[str]] = {}
    for name in sorted(set(request.GET) - SEARCH_PARAMS):
        errors[name] = [
            gettext("Unknown parameter. This page understands: %(allowed)s.")
            % {"allowed": ", ".join(sorted(SEARCH_PARAMS))}
        ]
    kinds = [kind for raw in request.GET.getlist("kind") for kind in raw.split(",") if kind]
    unknown = [kind for kind in kinds if kind not in SearchKind.values]
    if unknown:
        errors["kind"] = [
            gettext("Unknown kind(s): %(unknown)s. Choose from: %(allowed)s.")
            % {"unknown": ", ".join(unknown), "allowed": ", ".join(SearchKind.values)}
        ]
    raw_size = request.GET.get("page_size", "")
    page_size = DEFAULT_PAGE_SIZE
    if raw_size:
        if raw_size.isdigit() and 1 <= int(raw_size) <= MAX_PAGE_SIZE:
            page_size = int(raw_size)
        else:
            errors["page_size"] = [
                gettext("Enter a whole number from 1 to %(max)s.") % {"max": MAX_PAGE_SIZE}
            ]
    text = request.GET.get("q", "").strip()
    context: dict[str, Any] = {"q": text, "errors": errors, "kinds": kinds}
    if errors or not text:
        status = 400 if errors else 200
        return render(request, "archive/search.html", context, status=status)
    query = search.parse_query(text)
    counts = search.count_by_kind(query)
    chosen = kinds or list(SearchKind.values)
    total = sum(counts.get(kind, 0) for kind in chosen)
    page = Paginator(HitList(query, chosen, total), page_size).get_page(request.GET.get("page"))
    prefix = QueryDict(mutable=True)
    prefix.setlist("q", [text])
    prefix.setlist("kind", kinds)
    if raw_size:
        prefix["page_size"] = str(page_size)
    facet_params = QueryDict(mutable=True)
    facet_params["q"] = text
    browse = Browse(
        request,
        DocumentFilterSet,
        Document.objects.public(),
        document_facets(),
        titles=DOCUMENT_TITLES,
        params=facet_params,
        shared_counts=True,
    )
    context.update(
        {
            "page": page,
            "page_prefix": "?" + prefix.urlencode() + "&",
            "kind_counts": [
                (kind, label, counts.get(kind, 0), kind in kinds)
                for kind, label in SearchKind.choices
            ],
            "browse": browse,
            "documents_url": reverse("documents:list"),
        }
    )
    return render(request, "archive/search.html", context)


def timeline(request: HttpRequest) -> HttpResponse:
    """Dated public events and documents in date order, a decade a page, with year anchors.

    ``?decade=1950`` picks the decade (the earliest one by default); the decades and years
    with their counts form the navigation. Five queries whatever the number of records: the
    decades (events, documents), the decade's events, its documents and their languages.
    """
    decades = timeline_decades()
    raw = request.GET.get("decade", "")
    error = ""
    chosen = decades[0]["decade"] if decades else None
    if raw:
        if raw.isdigit() and int(raw) % 10 == 0:
            chosen = int(raw)
        else:
            error = gettext("decade: enter the first year of a decade, such as 1950.")
    entries = [] if chosen is None or error else timeline_entries(chosen, chosen + 9)
    years = Counter(entry.date_start.year for entry in entries)
    context = {
        "decades": decades,
        "decade": chosen,
        "years": sorted(years.items()),
        "entries": entries,
        "error": error,
    }
    return render(request, "archive/timeline.html", context, status=400 if error else 200)


def collection_list(request: HttpRequest) -> HttpResponse:
    """Repositories with their public collection trees."""
    units = (
        Collection.objects.public()
        .select_related("level")
        .annotate(document_count=Count("documents", filter=Document.public_q("documents__")))
    )
    repositories = (
        Repository.objects.public()
        # one query for all units of all repositories, in tree order
        .prefetch_related(Prefetch("collections", queryset=units, to_attr="units"))
    )
    return render(request, "archive/collection_list.html", {"repositories": repositories})


def collection_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    unit = get_object_or_404(
        Collection.objects.public().select_related("repository", "level", "creator"),
        identifier=identifier,
    )
    lineage = unit.lineage()
    # the whole public tree below the unit, in arrangement order, with document counts
    tree = (
        Collection.objects.public()
        .filter(in_subtree_q([unit.identifier], request.user, request=request))
        .exclude(pk=unit.pk)
        .select_related("level")
        .annotate(document_count=Count("documents", filter=Document.public_q("documents__")))
        .order_by("tree_path")
    )
    documents = Document.objects.public().filter(
        in_subtree_q([unit.identifier], request.user, prefix="collection__", request=request)
    )
    browse, context = browse_documents(
        request, documents, document_facets(exclude=frozenset({"repository"}))
    )
    context.update(
        {
            "unit": unit,
            "lineage": [u for u in lineage if u.is_public],
            "reference": unit.repository and _unit_reference(unit, lineage),
            "tree": tree,
        }
    )
    return render(
        request,
        "archive/collection_detail.html",
        context,
        status=400 if browse.errors else 200,
    )


def _unit_reference(unit: Collection, lineage: list[Collection]) -> str:
    from archive.references import format_reference

    return format_reference(unit, lineage=lineage)


def repository_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    repository = get_object_or_404(Repository.objects.public(), identifier=identifier)
    top_units = repository.collections.public().filter(parent__isnull=True).select_related("level")
    return render(
        request,
        "archive/repository_detail.html",
        {"repository": repository, "top_units": top_units},
    )
