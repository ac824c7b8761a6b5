"""One-click buttons on an admin change page ("Cites this", "Add as a name form", "Link as
mentioned"): what the three mixins that offer them share.

A button submits the change page's side form ``#one-click`` (``templates/admin/change_form.html``)
to a view of its own, so Enter in one of the record's fields saves the record and never presses
a button. The view takes POST only, checks the change permission on the record, and returns to
its change page; a malformed value is refused with a message naming the field.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString


def one_click_button(action: str, name: str, value: Any, label: str) -> SafeString:
    """A button posting ``name=value`` to ``action`` through the page's one-click form."""
    return format_html(
        '<button type="submit" class="button" form="one-click" formaction="{}" name="{}" '
        'value="{}">{}</button>',
        action,
        name,
        value,
        label,
    )


def one_click_record(
    model_admin: admin.ModelAdmin, request: HttpRequest, model: type[Model], object_id: int
) -> tuple[Any, HttpResponseRedirect]:
    """The record a one-click view acts on, and the redirect back to its change page."""
    if request.method != "POST":
        raise PermissionDenied
    record = get_object_or_404(model, pk=object_id)
    if not model_admin.has_change_permission(request, record):
        raise PermissionDenied
    opts = model._meta
    back = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id])
    return record, HttpResponseRedirect(back)


def posted_id(
    model_admin: admin.ModelAdmin, request: HttpRequest, field: str, raw: str, what: str
) -> int | None:
    """``raw`` (posted as ``field``) as a record id, or None after telling the curator that it
    is not ``what`` of this page."""
    if raw.isdigit():
        return int(raw)
    model_admin.message_user(request, f"{field}: not {what} of this page.", messages.ERROR)
    return None
