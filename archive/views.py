"""Site-wide pages: home, repositories and the collection trees."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from archive.models import Collection, Repository
from documents.models import Document
from people.models import Agent


def home(request: HttpRequest) -> HttpResponse:
    """What the archive holds: counts by repository and form, and the latest records."""
    documents = Document.objects.public()
    context = {
        "document_count": documents.count(),
        "agent_count": Agent.objects.public().count(),
        "by_repository": documents.filter(collection__isnull=False)
        .values("collection__repository__identifier", "collection__repository__name")
        .annotate(n=Count("id"))
        .order_by("-n"),
        "by_form": documents.values("document_type__code", "document_type__name")
        .annotate(n=Count("id"))
        .order_by("-n"),
        # the newest public records, with what their list rows show
        "recent": documents.select_related("document_type").order_by("-created_at")[:8],
    }
    return render(request, "archive/home.html", context)


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
    children = unit.children.public().select_related("level").order_by("reference_segment", "title")
    documents = Paginator(
        unit.documents.public().select_related("document_type").order_by("date_start", "title"),
        50,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "archive/collection_detail.html",
        {
            "unit": unit,
            "lineage": [u for u in lineage if u.is_public],
            "reference": unit.repository and _unit_reference(unit, lineage),
            "children": children,
            "documents": documents,
        },
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
