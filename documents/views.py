"""Public pages for documents and publications."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from documents.models import Citation, Copy, Document, DocumentRelation, DocumentText, Publication
from people.models import AgentRole


def document_list(request: HttpRequest) -> HttpResponse:
    """Public documents in date order."""
    documents = (
        Document.objects.public()
        # the form, and what the date display reads (the repository's era setting, languages)
        .select_related("document_type", "collection__repository")
        .prefetch_related("languages")
        .order_by("date_start", "title")
    )
    page = Paginator(documents, 50).get_page(request.GET.get("page"))
    return render(request, "documents/document_list.html", {"page": page})


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
