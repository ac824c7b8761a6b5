"""The document admin's "people named in this document" suggestions, accepted with one click."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from archive.admin_one_click import one_click_button, one_click_record, posted_id
from documents.models import Document
from people.models import Agent
from people.suggestions import link_agent, suggest_agents


class AgentSuggestionMixin:
    """Adds a read-only ``suggested_people`` field and the URL its buttons post to."""

    def get_urls(self) -> list:
        return [
            path(
                "<int:object_id>/link-agent/",
                self.admin_site.admin_view(self.link_agent_view),
                name="documents_document_link_agent",
            ),
            *super().get_urls(),
        ]

    def suggested_people(self, obj: Document) -> str:
        if obj is None or obj.pk is None:
            return "—"
        suggestions = suggest_agents(obj)
        if not suggestions:
            return "No unlinked names found in the texts."
        action = reverse("admin:documents_document_link_agent", args=[obj.pk])
        return format_html_join(
            "",
            '<p>{} <span class="quiet">(found: {})</span> {}</p>',
            (
                (
                    s.agent.name,
                    ", ".join(s.matched),
                    one_click_button(action, "agent", s.agent.pk, "Link as mentioned"),
                )
                for s in suggestions
            ),
        )

    suggested_people.short_description = "people named in the texts, not yet linked"

    def link_agent_view(self, request: HttpRequest, object_id: int) -> HttpResponseRedirect:
        document, back = one_click_record(self, request, Document, object_id)
        agent_pk = posted_id(self, request, "agent", request.POST.get("agent", ""), "a suggestion")
        if agent_pk is None:
            return back
        agent = get_object_or_404(Agent, pk=agent_pk)
        link_agent(document, agent)
        self.message_user(
            request, format_html("Linked {} as mentioned.", agent.name), messages.SUCCESS
        )
        return back
