"""Public pages for documents and publications."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from archive import search
from archive.browse import DOCUMENT_TITLES, Browse, FacetSpec, document_facets, place_map
from archive.models import SearchEntry
from documents.filters import DocumentFilterSet
from documents.models import (
    Citation,
    Copy,
    Document,
    DocumentRelation,
    DocumentText,
    Place,
    Publication,
)
from people.models import AgentRole


def list_rows(rows: QuerySet) -> QuerySet:
    """What a row of a document list shows, loaded for the whole page at once."""
    return (
        # form, and the repository that decides whether the date shows its Japanese era year
        rows.select_related("document_type", "collection__repository")
        # languages: the other half of the era rule
        .prefetch_related("languages")
    )


def browse_documents(
    request: HttpRequest, queryset: QuerySet, facets: list[FacetSpec]
) -> tuple[Browse, dict[str, Any]]:
    """The document browse state and template context, for ``/documents/`` and a collection.

    Fixed cost: the count and the page, one query per facet, the rows' languages, the places'
    coordinates and (under a search) the snippets, whatever the page size.
    """
    browse = Browse(
        request, DocumentFilterSet, queryset, facets, titles=DOCUMENT_TITLES, prepare=list_rows
    )
    context: dict[str, Any] = {"browse": browse, "page": browse.page}
    if browse.errors:
        return browse, context
    places = browse.group("place")
    coordinates = {
        identifier: (lat, lon)
        for identifier, lat, lon in Place.objects.filter(
            identifier__in=[value.value for value in places.values] if places else [],
            latitude__isnull=False,
        ).values_list("identifier", "latitude", "longitude")
    }
    context["place_map"] = place_map(places, coordinates)
    context["histogram"] = browse.histogram()
    query = browse.filterset.form.cleaned_data.get("q", "").strip()
    if query and browse.page is not None:
        parsed = search.parse_query(query)
        ids = [document.pk for document in browse.page]
        entries = SearchEntry.objects.filter(kind="document", object_id__in=ids).only(
            "object_id", "display_text"
        )
        snippets = {
            entry.object_id: search.snippet(entry.display_text, parsed) for entry in entries
        }
        for document in browse.page:
            document.snippet = snippets.get(document.pk, "")
            document.title_html = search.highlight(document.title, parsed)
    return browse, context


def document_list(request: HttpRequest) -> HttpResponse:
    """Public documents, filtered, faceted and sorted by the documents' FilterSet."""
    browse, context = browse_documents(request, Document.objects.public(), document_facets())
    status = 400 if browse.errors else 200
    return render(request, "documents/document_list.html", context, status=status)


def document_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    document = get_object_or_404(
        Document.objects.public()
        .select_related("document_type", "place", "collection__repository", "reference_level")
        .prefetch_related(
            "languages",
            "subjects",
            "places",
            # texts, copies and roles are only shown where they are public themselves
            Prefetch(
                "texts", DocumentText.objects.public().select_related("language"), "public_texts"
            ),
            Prefetch(
                "copies",
                Copy.objects.public().select_related("holder", "publication", "language"),
                "public_copies",
            ),
            Prefetch(
                "agent_roles",
                AgentRole.objects.filter(AgentRole.public_q()).select_related("agent"),
                "public_roles",
            ),
            Prefetch(
                "relations_out",
                DocumentRelation.objects.filter(DocumentRelation.public_q()).select_related(
                    "target"
                ),
                "public_relations_out",
            ),
            Prefetch(
                "relations_in",
                DocumentRelation.objects.filter(DocumentRelation.public_q()).select_related(
                    "source"
                ),
                "public_relations_in",
            ),
            Prefetch(
                "citations",
                Citation.objects.filter(Citation.public_q()).select_related("publication"),
                "public_citations",
            ),
            "identifiers__scheme",
        ),
        identifier=identifier,
    )
    return render(request, "documents/document_detail.html", {"document": document})


def publication_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    publication = get_object_or_404(
        Publication.objects.public().prefetch_related(
            "creators__agent",
            Prefetch(
                "citations",
                Citation.objects.select_related("cited_document", "cited_publication"),
            ),
        ),
        identifier=identifier,
    )
    return render(request, "documents/publication_detail.html", {"publication": publication})
