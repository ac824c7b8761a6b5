"""Public pages for documents and publications: the record, text comparison, citations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from archive import search
from archive.browse import DOCUMENT_TITLES, Browse, FacetSpec, document_facets, place_map
from archive.interchange.records import public_images
from archive.jsonld import negotiated, permalink
from archive.models import SearchEntry
from documents import citations
from documents.compare import compare
from documents.filters import DocumentFilterSet
from documents.models import (
    Citation,
    Copy,
    Document,
    DocumentRelation,
    DocumentText,
    Identifier,
    Place,
    Publication,
    PublicationCreator,
    TextLineage,
)


def list_rows(rows: QuerySet) -> QuerySet:
    """What a row of a document list shows, loaded for the whole page at once."""
    return (
        # form, and the repository that decides whether the date shows its Japanese era year
        rows.select_related("document_type", "collection__repository")
        # languages: the other half of the era rule
        .prefetch_related("languages")
    )


def browse_documents(
    request: HttpRequest,
    queryset: QuerySet,
    facets: list[FacetSpec],
    *,
    shared_counts: bool = False,
) -> tuple[Browse, dict[str, Any]]:
    """The document browse state and template context, for ``/documents/`` and a collection.

    Fixed cost: the count and the page, at most one query per facet, the rows' languages, the
    places' coordinates and (under a search) the snippets, whatever the page size.
    """
    browse = Browse(
        request,
        DocumentFilterSet,
        queryset,
        facets,
        titles=DOCUMENT_TITLES,
        prepare=list_rows,
        shared_counts=shared_counts,
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
    browse, context = browse_documents(
        request, Document.objects.public(), document_facets(), shared_counts=True
    )
    status = 400 if browse.errors else 200
    return render(request, "documents/document_list.html", context, status=status)


def document_queryset() -> QuerySet[Document]:
    """Public documents with everything their page and JSON-LD show, in a fixed number of
    queries whatever the number of texts, roles, copies or citations."""
    return citations.citable_documents().prefetch_related(
        # place of creation and places mentioned, with coordinates for the JSON-LD
        "place",
        "places",
        # public texts in reading order, with their language and the side that wrote them
        Prefetch(
            "texts",
            DocumentText.objects.public()
            .select_related("language", "side", "lineage")
            .order_by("order", "key"),
            "public_texts",
        ),
        # public copies with the holder, the edition and the language each one names
        Prefetch(
            "copies",
            Copy.objects.public().select_related("holder", "publication", "language"),
            "public_copies",
        ),
        # identifiers of the document and of its public copies, with their scheme
        Prefetch(
            "identifiers",
            Identifier.objects.filter(Identifier.public_q()).select_related("scheme", "copy"),
            "public_identifiers",
        ),
        # links to and from other public documents, with what their dates read (the holder's
        # era setting and the languages)
        Prefetch(
            "relations_out",
            DocumentRelation.objects.filter(DocumentRelation.public_q())
            .select_related("target__collection__repository")
            .prefetch_related("target__languages"),
            "public_relations_out",
        ),
        Prefetch(
            "relations_in",
            DocumentRelation.objects.filter(DocumentRelation.public_q())
            .select_related("source__collection__repository")
            .prefetch_related("source__languages"),
            "public_relations_in",
        ),
        # notes and references of public publications that cite it, by publication
        Prefetch(
            "citations",
            Citation.objects.filter(Citation.public_q())
            .select_related("publication")
            .order_by("publication__date_start", "publication__title", "kind", "number", "part"),
            "public_citations",
        ),
        # whether there are public images, as the IIIF manifest counts them (for its link)
        Prefetch("digital_objects", public_images(), "images"),
    )


@dataclass
class TextGroup:
    """The texts of one language and kind: one tab on the document page."""

    slug: str
    language: object
    kind: str
    texts: list[DocumentText]


def text_groups(texts: list[DocumentText]) -> list[TextGroup]:
    """Texts grouped by language and kind, in the order of their first text."""
    groups: dict[tuple[int, str], TextGroup] = {}
    for text in texts:
        key = (text.language_id, text.kind)
        if key not in groups:
            slug = f"{text.language.code}-{text.kind}"
            groups[key] = TextGroup(slug, text.language, text.get_kind_display(), [])
        groups[key].texts.append(text)
    return list(groups.values())


@negotiated(document_queryset)
def document_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    document = get_object_or_404(document_queryset(), identifier=identifier)
    record = citations.record_for(document)
    # written once: the JSON-LD in the page's head reads it too (see archive.jsonld)
    document.formatted_reference = record.reference
    choices = comparable_texts(document)
    context = {
        "document": document,
        "reference": record.reference,
        "text_groups": text_groups(document.public_texts),
        "roles": document.public_roles,
        "citing": _citing_publications(document.public_citations),
        "cite_text": citations.chicago(record),
        "cite_meta": citations.meta_tags(record),
        "compare_form": CompareForm(texts=choices, document=document) if len(choices) > 1 else None,
    }
    return render(request, "documents/document_detail.html", context)


def _citing_publications(rows: list[Citation]) -> list[tuple[Publication, list[Citation]]]:
    """Citations grouped by the publication that makes them, in date order."""
    grouped: dict[int, tuple[Publication, list[Citation]]] = {}
    for citation in rows:
        grouped.setdefault(citation.publication_id, (citation.publication, []))[1].append(citation)
    return list(grouped.values())


# -- citations --------------------------------------------------------------------------------


def document_citation(request: HttpRequest, identifier: str, suffix: str) -> HttpResponse:
    """``cite.bib``, ``cite.ris`` or ``cite.json``: the document's citation as a download."""
    if suffix not in citations.SUFFIXES:
        raise Http404(f"No citation format “{suffix}”.")
    document = get_object_or_404(citations.citable_documents(), identifier=identifier)
    name = citations.SUFFIXES[suffix]
    record = citations.record_for(document, accessed=date.today())
    response = HttpResponse(
        citations.RENDERERS[name](record),
        content_type=citations.MEDIA_TYPES[name] + "; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{document.identifier}.{suffix}"'
    return response


# -- comparison -------------------------------------------------------------------------------


def text_reference(text: DocumentText, document: Document | None = None) -> str:
    """How a text is named in a comparison URL: its key in its own ``document``, else (and
    always without a document, as on a genealogy's page) ``<document identifier>:<key>``."""
    if document is not None and text.document_id == document.pk:
        return text.key
    return f"{text.document.identifier}:{text.key}"


def comparable_texts(document: Document) -> dict[str, DocumentText]:
    """The texts a document's texts can be compared with, by their URL reference: its own
    public texts and the public texts (of public documents) in the public genealogies its
    texts belong to."""
    own = list(document.public_texts)
    lineages = TextLineage.objects.public().filter(
        texts__in=DocumentText.objects.public().filter(document=document)
    )
    others = (
        DocumentText.objects.public()
        .filter(lineage__in=lineages)
        .exclude(document=document)
        .select_related("document", "language", "lineage", "side")
        .order_by("lineage", "lineage_position")
    )
    return {text_reference(text, document): text for text in [*own, *others]}


def default_pair(texts: dict[str, DocumentText], document: Document | None) -> tuple[str, str]:
    """The two texts offered first: the document's first text in a genealogy with the next
    step of that genealogy (or the step before it), else its first two texts (without a
    document: the first two, which on a genealogy's page are its first two steps)."""
    refs = list(texts)
    steps = sorted(
        (ref for ref in refs if texts[ref].lineage_id),
        key=lambda ref: (texts[ref].lineage_id, texts[ref].lineage_position),
    )
    for ref in steps:
        if document is None or texts[ref].document_id != document.pk:
            continue
        same = [r for r in steps if texts[r].lineage_id == texts[ref].lineage_id]
        j = same.index(ref)
        if j + 1 < len(same):
            return ref, same[j + 1]
        if j > 0:
            return same[j - 1], ref
    return refs[0], refs[1]


class CompareForm(forms.Form):
    """Two texts to compare, chosen among a document's comparable texts (``texts``, by their
    :func:`text_reference`)."""

    a = forms.ChoiceField(label="Earlier text")
    b = forms.ChoiceField(label="Later text")
    invalid_choice = "“%(value)s” is not a text of this document or of a text genealogy it is in."

    def __init__(
        self,
        data: object = None,
        *,
        texts: dict[str, DocumentText],
        document: Document | None = None,
    ) -> None:
        super().__init__(data)
        options = [(ref, self.option_label(text, document)) for ref, text in texts.items()]
        for name in ("a", "b"):
            self.fields[name].choices = options
            self.fields[name].error_messages["invalid_choice"] = self.invalid_choice
        if not self.is_bound and len(options) > 1:
            self.initial = dict(zip("ab", default_pair(texts, document), strict=True))

    @staticmethod
    def option_label(text: DocumentText, document: Document | None) -> str:
        label = text.label or text.get_kind_display()
        where = "" if document and text.document_id == document.pk else f" — {text.document.title}"
        return f"{label} ({text.language.name}){where}"

    def clean(self) -> dict:
        data = super().clean()
        if data.get("a") and data.get("a") == data.get("b"):
            self.add_error("b", "Choose a text different from the earlier one.")
        return data


def document_compare(request: HttpRequest, identifier: str) -> HttpResponse:
    """Two texts side by side, words removed from the first and added in the second marked."""
    document = get_object_or_404(
        Document.objects.public().prefetch_related(
            Prefetch(
                "texts",
                DocumentText.objects.public()
                .select_related("language", "lineage", "document", "side")
                .order_by("order", "key"),
                "public_texts",
            )
        ),
        identifier=identifier,
    )
    choices = comparable_texts(document)
    bound = "a" in request.GET or "b" in request.GET
    form = CompareForm(request.GET if bound else None, texts=choices, document=document)
    comparison = left = right = None
    status = 200
    if bound:
        if form.is_valid():
            left, right = choices[form.cleaned_data["a"]], choices[form.cleaned_data["b"]]
            comparison = compare(left.body, right.body)
        else:
            status = 400
    context = {
        "document": document,
        "form": form,
        "left": left,
        "right": right,
        "comparison": comparison,
        "canonical": permalink(document)
        + "compare/"
        + (
            "?" + urlencode({"a": form.cleaned_data["a"], "b": form.cleaned_data["b"]})
            if comparison
            else ""
        ),
        "sides": comparison and [("a", left, comparison.left), ("b", right, comparison.right)],
    }
    return render(request, "documents/document_compare.html", context, status=status)


# -- publications -----------------------------------------------------------------------------


def publication_queryset() -> QuerySet[Publication]:
    return (
        Publication.objects.public()
        .select_related("language", "container")
        .prefetch_related(
            # the byline, with each creator's agent (shown as a link only when public)
            Prefetch(
                "creators",
                PublicationCreator.objects.select_related("agent").order_by("order"),
            ),
            # notes and references with the records they cite (linked only when public)
            Prefetch(
                "citations",
                Citation.objects.select_related("cited_document", "cited_publication").order_by(
                    "kind", "number", "part"
                ),
            ),
        )
    )


@negotiated(publication_queryset)
def publication_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    publication = get_object_or_404(publication_queryset(), identifier=identifier)
    citations_by_kind: dict[str, list[Citation]] = {}
    for citation in publication.citations.all():
        citations_by_kind.setdefault(citation.get_kind_display(), []).append(citation)
    return render(
        request,
        "documents/publication_detail.html",
        {"publication": publication, "citations_by_kind": citations_by_kind},
    )
