"""The citation admin's matching aids: an "unmatched" filter and suggested documents, each
accepted with one click (the change is saved through the model, so history records it)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from archive.admin_one_click import one_click_button, one_click_record, posted_id
from documents.citation_matching import suggest_documents
from documents.models import Citation, Document


class MatchedFilter(admin.SimpleListFilter):
    """Whether a citation is linked to the record it cites."""

    title = "matched to a record"
    parameter_name = "matched"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("no", "Not yet matched"), ("yes", "Matched")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        unmatched = {"cited_document__isnull": True, "cited_publication__isnull": True}
        if self.value() == "no":
            return queryset.filter(**unmatched)
        if self.value() == "yes":
            return queryset.exclude(**unmatched)
        return queryset


class CitationMatchingMixin:
    """Adds a read-only ``suggested_documents`` field and the URL its buttons post to."""

    def get_urls(self) -> list:
        return [
            path(
                "<int:object_id>/cite-document/",
                self.admin_site.admin_view(self.cite_document_view),
                name="documents_citation_cite_document",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="documents it may cite")
    def suggested_documents(self, obj: Citation | None) -> str:
        if obj is None or obj.pk is None:
            return "—"
        suggestions = suggest_documents(obj)
        if not suggestions:
            return "No document found: match it by hand with “cites document”."
        action = reverse("admin:documents_citation_cite_document", args=[obj.pk])
        return format_html_join(
            "",
            '<p><a href="{}">{}</a> <span class="quiet">({})</span> {}</p>',
            (
                (
                    reverse("admin:documents_document_change", args=[s.document.pk]),
                    s.document.title,
                    "; ".join(s.reasons),
                    one_click_button(action, "document", s.document.pk, "Cites this"),
                )
                for s in suggestions
            ),
        )

    def cite_document_view(self, request: HttpRequest, object_id: int) -> HttpResponseRedirect:
        citation, back = one_click_record(self, request, Citation, object_id)
        document_pk = posted_id(
            self, request, "document", request.POST.get("document", ""), "a suggestion"
        )
        if document_pk is None:
            return back
        document = get_object_or_404(Document, pk=document_pk)
        citation.cited_document = document
        citation._change_reason = "Matched to a suggested document"
        citation.save()
        self.message_user(
            request,
            format_html("{} now cites “{}”.", citation, document.title),
            messages.SUCCESS,
        )
        return back
