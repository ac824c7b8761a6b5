"""The agent admin's proposed romanizations of Japanese and Russian name forms, each added as a
name form with one click after the curator has read it."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from archive.admin_one_click import one_click_button, one_click_record, posted_id
from people.models import Agent, NameForm
from people.romanization import add_romanization, missing_romanizations


class RomanizationMixin:
    """Adds a read-only ``proposed_romanizations`` field and the URL its buttons post to."""

    def get_urls(self) -> list:
        return [
            path(
                "<int:object_id>/add-romanization/",
                self.admin_site.admin_view(self.add_romanization_view),
                name="people_agent_add_romanization",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="proposed romanizations")
    def proposed_romanizations(self, obj: Agent | None) -> str:
        if obj is None or obj.pk is None:
            return "Save the agent with its Japanese (with kana reading) or Russian name forms."
        proposals = missing_romanizations(list(obj.name_forms.all()))
        if not proposals:
            return "Every Japanese and Russian name form has its standard romanizations."
        action = reverse("admin:people_agent_add_romanization", args=[obj.pk])
        return format_html_join(
            "",
            '<p><strong lang="{}">{}</strong> <span class="quiet">({}, from {})</span> {}</p>',
            (
                (
                    "und-Latn",
                    p.name,
                    p.scheme_label,
                    p.source.name,
                    one_click_button(
                        action, "proposal", f"{p.source.pk}|{p.scheme}", "Add as a name form"
                    ),
                )
                for p in proposals
            ),
        )

    def add_romanization_view(self, request: HttpRequest, object_id: int) -> HttpResponseRedirect:
        agent, back = one_click_record(self, request, Agent, object_id)
        raw_source, _, scheme = request.POST.get("proposal", "").partition("|")
        source_pk = posted_id(self, request, "proposal", raw_source, "a proposal")
        if source_pk is None:
            return back
        source = get_object_or_404(NameForm, pk=source_pk, agent=agent)
        proposal = next(
            (
                p
                for p in missing_romanizations(list(agent.name_forms.all()))
                if p.source.pk == source.pk and p.scheme == scheme
            ),
            None,
        )
        if proposal is None:
            self.message_user(request, "That romanization is already a name form.", messages.INFO)
        else:
            add_romanization(proposal)
            self.message_user(
                request,
                format_html("Added “{}” ({}).", proposal.name, proposal.scheme_label),
                messages.SUCCESS,
            )
        return back
