"""The base of every curator admin: workflow permissions, history, and no lost updates.

* **Workflow.** Contributors edit drafts and records in review and may only give a record one
  of those statuses; publishing, withdrawing and restricting need the model's ``publish``
  permission (see :mod:`archive.workflow`). The same rule applies to the change form, to the
  inlines, and to the bulk actions, which change records one by one so each change is
  checked and leaves its own history entry.
* **History.** django-simple-history keeps every saved state with who and when; the history
  page can compare any two versions field by field and revert (a revert is a new version).
* **No lost updates.** The change form carries the version the curator started from. On save
  the current version is read with a row lock inside the admin's transaction; if it moved on,
  the save is refused with who changed it, when, and what they changed, and nothing is written.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Model, QuerySet
from django.db.models.options import Options
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from archive.catalogue_cache import CachedCountPaginator
from archive.models import PublicationStatus, Publishable
from archive.paging import KeysFirstPaginator
from archive.tombstones import retired_identifier_error
from archive.workflow import CONTRIBUTOR_STATUSES, can_publish, may_edit


class VersionCheckedForm(forms.ModelForm):
    """A model form that refuses to save over a newer version of its record."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # the version in the database now, which is also right for a revert form, whose
            # instance is an old version
            self.initial.setdefault("base_version", current_version(self.instance))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("identifier"):
            reused = retired_identifier_error(
                self._meta.model, cleaned["identifier"], self.instance.pk
            )
            if reused:
                self.add_error("identifier", reused)
        base = cleaned.get("base_version")
        if self.instance.pk is None or base is None:
            return cleaned
        # The row lock lasts until the admin's transaction commits, so no save can slip in
        # between this check and ours (on SQLite, BEGIN IMMEDIATE serialises writers instead).
        current = current_version(self.instance, lock=True)
        if current is not None and current != base:
            raise ValidationError(stale_edit_message(self.instance, base, current))
        return cleaned


def current_version(instance: Model, *, lock: bool = False) -> int | None:
    rows = type(instance)._default_manager.filter(pk=instance.pk)
    if lock:
        rows = rows.select_for_update()
    return rows.values_list("version", flat=True).first()


def field_changes(newer: Any, older: Any) -> list[tuple[str, Any, Any]]:
    """Field-by-field differences between two historical records (bookkeeping left out)."""
    return [
        (change.field, change.old, change.new)
        for change in newer.diff_against(older).changes
        if change.field not in {"version", "updated_at", "created_at"}
    ]


def stale_edit_message(instance: Model, base: int, current: int) -> str:
    """Who changed the record since version ``base``, when, and what they changed."""
    history = instance.history.order_by("-history_date")
    latest = history.first()
    started_from = history.filter(version=base).first()
    who = getattr(latest, "history_user", None) if latest else None
    when = latest.history_date.strftime("%Y-%m-%d %H:%M:%S %Z") if latest else "unknown time"
    changes = field_changes(latest, started_from) if latest and started_from else []
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


class WorkflowFieldsMixin:
    """Limits the status field and the restricted flag to what the user may set."""

    def formfield_for_choice_field(
        self, db_field: models.Field, request: HttpRequest, **kwargs: Any
    ) -> forms.Field:
        if db_field.name == "status" and not can_publish(request.user, db_field.model):
            kwargs["choices"] = [
                (value, label)
                for value, label in PublicationStatus.choices
                if value in CONTRIBUTOR_STATUSES
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if issubclass(self.model, Publishable) and not can_publish(request.user, self.model):
            fields.append("restricted")
        return fields


class CuratorInline(WorkflowFieldsMixin, admin.options.InlineModelAdmin):
    """Marker base for inlines of publishable parts (texts, copies, relations, files)."""

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (
            obj is None or not isinstance(obj, Publishable) or may_edit(request.user, obj)
        )


class CuratorTabularInline(CuratorInline, admin.TabularInline):
    pass


class CuratorStackedInline(CuratorInline, admin.StackedInline):
    pass


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label="Comment for the contributor",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Say what needs changing; it is kept in each record's history.",
    )


def _own_column(opts: Options, name: Any) -> Any:
    """An ordering entry naming a foreign key (``"-document"``) as its column
    (``"-document_id"``): by the key itself, not through the related model's ordering."""
    if not isinstance(name, str):
        return name  # an expression
    try:
        field = opts.get_field(name.lstrip("-"))
    except FieldDoesNotExist:
        return name  # ``pk``, ``?`` or a lookup across relations
    if not (field.is_relation and field.concrete):
        return name
    return ("-" if name.startswith("-") else "") + field.attname


class CuratorPaginator(KeysFirstPaginator, CachedCountPaginator):
    """The admin lists' paginator: a page read by its keys first, the count cached."""


class CuratorAdmin(WorkflowFieldsMixin, SimpleHistoryAdmin):
    """Base admin for every archive model."""

    actions = ["submit_for_review", "publish", "withdraw", "send_back"]
    workflow_actions = frozenset(actions)
    # a filtered or searched list counts its matches only, not the whole table as well, and
    # that count is kept until the catalogue changes rather than recounted on every page
    show_full_result_count = False
    paginator = CuratorPaginator

    def get_ordering(self, request: HttpRequest) -> list[str]:
        """The model's order in this table's own columns, made total by the primary key.

        Django orders a list by a foreign key through the related model's ordering (for the
        agents in documents: the documents' dates and titles, a join and a sort of every row)
        and breaks ties with ``-pk``. An admin list orders by the key column itself and ends
        with ``pk`` ascending instead, so an index of the table (the foreign key's, or one
        declared for the list) yields the first page without sorting the table. Children of
        one record stay together, in their own order.
        """
        opts = self.model._meta
        given = super().get_ordering(request) or opts.ordering
        ordering = [_own_column(opts, name) for name in given]
        keys = {"pk", opts.pk.attname}
        if not any(isinstance(name, str) and name.lstrip("-") in keys for name in ordering):
            ordering.append("pk")
        return ordering

    # --- permissions ----------------------------------------------------------------------
    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        if obj is not None and isinstance(obj, Publishable):
            return allowed and may_edit(request.user, obj)
        return allowed

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return can_publish(request.user, self.model)

    def get_actions(
        self, request: HttpRequest, action_location: ActionLocation = ActionLocation.CHANGE_LIST
    ) -> dict[str, Any]:
        actions = super().get_actions(request, action_location)
        if not issubclass(self.model, Publishable):
            for name in self.workflow_actions:
                actions.pop(name, None)
        return actions

    def get_form(self, request: HttpRequest, obj: Model | None = None, **kwargs: Any) -> type:
        if issubclass(self.model, Publishable):
            kwargs.setdefault("form", VersionCheckedForm)
        return super().get_form(request, obj, **kwargs)

    # --- workflow actions -----------------------------------------------------------------
    def _transition(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        *,
        allowed_from: set[str],
        to: str,
        reason: str,
    ) -> None:
        """Move each selected record to ``to`` if it is in ``allowed_from``; one save each."""
        moved, skipped = 0, []
        # The changelist's queryset may be DISTINCT (a search across relations), which
        # PostgreSQL refuses to lock; lock the chosen rows by primary key instead.
        chosen = list(queryset.values_list("pk", flat=True))
        rows = self.model._default_manager.filter(pk__in=chosen).order_by("pk")
        with transaction.atomic():
            for obj in rows.select_for_update(of=("self",)):
                if obj.status not in allowed_from or not may_edit(request.user, obj):
                    skipped.append(str(obj))
                    continue
                obj.status = to
                obj._change_reason = reason
                obj.save()
                moved += 1
        label = PublicationStatus(to).label.lower()
        if moved:
            self.message_user(request, f"{moved} record(s) now {label}.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"Not changed (their status does not allow it): {', '.join(skipped)}.",
                messages.WARNING,
            )

    @admin.action(description="Submit selected for review", permissions=["change"])
    def submit_for_review(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._transition(
            request,
            queryset,
            allowed_from={PublicationStatus.DRAFT},
            to=PublicationStatus.REVIEW,
            reason="Submitted for review",
        )

    @admin.action(description="Publish selected", permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._transition(
            request,
            queryset,
            allowed_from={
                PublicationStatus.DRAFT,
                PublicationStatus.REVIEW,
                PublicationStatus.WITHDRAWN,
            },
            to=PublicationStatus.PUBLISHED,
            reason="Published",
        )

    @admin.action(description="Withdraw selected from public view", permissions=["publish"])
    def withdraw(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._transition(
            request,
            queryset,
            allowed_from={PublicationStatus.PUBLISHED},
            to=PublicationStatus.WITHDRAWN,
            reason="Withdrawn",
        )

    @admin.action(description="Send selected back to draft with a comment", permissions=["publish"])
    def send_back(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        form = SendBackForm(request.POST if "comment" in request.POST else None)
        if form.is_valid():
            self._transition(
                request,
                queryset,
                allowed_from={PublicationStatus.REVIEW, PublicationStatus.PUBLISHED},
                to=PublicationStatus.DRAFT,
                reason=f"Sent back: {form.cleaned_data['comment']}",
            )
            return None
        return render(
            request,
            "admin/kiroku/send_back.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "form": form,
                "queryset": queryset,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "title": "Send back to draft",
            },
        )

    # --- comparing versions ---------------------------------------------------------------
    def get_urls(self) -> list:
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="{}_{}_compare".format(*info),
            ),
            *super().get_urls(),
        ]

    def compare_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Field-by-field differences between any two saved versions of a record."""
        obj = get_object_or_404(self.model, pk=object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = list(obj.history.order_by("-history_date").select_related("history_user"))
        by_id = {str(v.history_id): v for v in versions}
        newer = by_id.get(request.GET.get("new", ""), versions[0] if versions else None)
        older = by_id.get(request.GET.get("old", ""), versions[1] if len(versions) > 1 else None)
        if newer and older and older.history_date > newer.history_date:
            newer, older = older, newer
        changes = field_changes(newer, older) if newer and older else []
        return render(
            request,
            "admin/kiroku/compare.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "object": obj,
                "versions": versions,
                "newer": newer,
                "older": older,
                "changes": changes,
                "title": f"Compare versions: {obj}",
            },
        )
