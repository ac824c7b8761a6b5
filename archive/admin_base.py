"""The base of every curator admin: history, and no lost updates.

Two curators may open the same record; whoever saves second must not silently overwrite the
first. The change form carries the version the curator started from (a hidden field). On save
the current version is read with a row lock inside the admin's transaction; if it moved on, the
save is refused with who changed it, when, and what they changed, and nothing is written.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from archive.models import Publishable


class VersionCheckedForm(forms.ModelForm):
    """A model form that refuses to save over a newer version of its record."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("base_version", self.instance.version)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        base = cleaned.get("base_version")
        if self.instance.pk is None or base is None:
            return cleaned
        model = type(self.instance)
        # The row lock lasts until the admin's transaction commits, so no save can slip in
        # between this check and ours (on SQLite, BEGIN IMMEDIATE serialises writers instead).
        current = (
            model._default_manager.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if current is not None and current != base:
            raise ValidationError(stale_edit_message(self.instance, base, current))
        return cleaned


def stale_edit_message(instance: Model, base: int, current: int) -> str:
    """Who changed the record since version ``base``, when, and what they changed."""
    history = instance.history.order_by("-history_date")
    latest = history.first()
    started_from = history.filter(version=base).first()
    who = getattr(latest, "history_user", None) if latest else None
    when = latest.history_date.strftime("%Y-%m-%d %H:%M:%S %Z") if latest else "unknown time"
    changes = []
    if latest is not None and started_from is not None:
        changes = [
            (change.field, change.old, change.new)
            for change in latest.diff_against(started_from).changes
            if change.field not in {"version", "updated_at"}
        ]
    diff = format_html_join("", "<li>{}: “{}” → “{}”</li>", changes)
    return format_html(
        "This record was changed by {} at {} (version {}) after you opened it (version {}). "
        "Your changes were not saved; reload the page to edit the current version.{}",
        who or "another curator",
        when,
        current,
        base,
        format_html("<ul>{}</ul>", diff) if changes else "",
    )


class CuratorAdmin(SimpleHistoryAdmin):
    """Base admin: history views for every record, version checks for publishable ones."""

    def get_form(self, request: Any, obj: Model | None = None, **kwargs: Any) -> type:
        if issubclass(self.model, Publishable):
            kwargs.setdefault("form", VersionCheckedForm)
        return super().get_form(request, obj, **kwargs)
