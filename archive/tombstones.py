"""Identifiers are never reused: renamed records redirect, withdrawn records leave a tombstone.

* **Renamed.** When a record that has been public changes its ``identifier``, the old one is
  kept as a :class:`~archive.models.RetiredIdentifier`; the old URL of every route in
  :data:`ROUTES` answers ``301`` to the same route under the current identifier.
* **Deleted.** A deleted record that had been public retires its identifier too; its old URLs
  answer ``410 Gone``.
* **Withdrawn.** A withdrawn record (and not restricted: a restricted one stays hidden, as in
  OAI-PMH, where it is reported ``deleted``) answers ``410`` with a tombstone page on its HTML
  routes instead of ``404``.
* **Never reused.** :func:`retired_identifier_error` refuses an identifier another record of
  the model gave up; the admin form calls it.

The views stay as they are: :class:`TombstoneMiddleware` looks only at ``404`` answers of the
routes below, so a record the public may see never pays for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q
from django.db.models.signals import post_delete, pre_save
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from archive.models import IdentifiedModel, PublicationStatus, RetiredIdentifier


@dataclass(frozen=True)
class Route:
    """A route that shows one record by its ``identifier``."""

    model: str  # "app_label.ModelName"
    tombstone: bool  # whether a withdrawn record answers 410 here (HTML pages)


#: the routes that follow renames, by URL name; other apps add theirs here
ROUTES: dict[str, Route] = {
    "archive:collection": Route("archive.Collection", tombstone=True),
    "archive:repository": Route("archive.Repository", tombstone=True),
    "documents:detail": Route("documents.Document", tombstone=True),
    "documents:publication": Route("documents.Publication", tombstone=True),
    "people:detail": Route("people.Agent", tombstone=True),
    "api:document-detail": Route("documents.Document", tombstone=False),
    "api:agent-detail": Route("people.Agent", tombstone=False),
    "api:collection-detail": Route("archive.Collection", tombstone=False),
    "api:repository-detail": Route("archive.Repository", tombstone=False),
    "api:publication-detail": Route("documents.Publication", tombstone=False),
    "iiif-manifest": Route("documents.Document", tombstone=False),
    "collection-ead": Route("archive.Collection", tombstone=False),
    "agent-eac": Route("people.Agent", tombstone=False),
}


def was_public(record: Model) -> bool:
    """Whether the record is or has ever been public (published or withdrawn)."""
    if record.status in (PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN):
        return True
    return record.history.filter(status=PublicationStatus.PUBLISHED).exists()


def retired_identifier_error(model: type[Model], identifier: str, pk: Any) -> str | None:
    """The reason ``identifier`` may not be used by record ``pk`` of ``model``, if any."""
    retired = RetiredIdentifier.objects.filter(
        content_type=ContentType.objects.get_for_model(model), identifier=identifier
    ).first()
    if retired is None or (pk is not None and retired.object_id == pk):
        return None
    return (
        f"“{identifier}” was the identifier of another {model._meta.verbose_name} "
        "and is never reused (its old links still point there). Choose another."
    )


def retire_renamed_identifier(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if instance.pk is None or kwargs.get("raw"):
        return
    previous = sender._default_manager.filter(pk=instance.pk).values_list("identifier", flat=True)
    old = previous.first()
    if old is None or old == instance.identifier:
        return
    content_type = ContentType.objects.get_for_model(sender)
    # taking back one of its own old identifiers: that one is current again
    RetiredIdentifier.objects.filter(
        content_type=content_type, identifier=instance.identifier, object_id=instance.pk
    ).delete()
    if was_public(instance):
        RetiredIdentifier.objects.update_or_create(
            content_type=content_type, identifier=old, defaults={"object_id": instance.pk}
        )


def retire_deleted_identifier(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if not was_public(instance):
        return
    content_type = ContentType.objects.get_for_model(sender)
    RetiredIdentifier.objects.filter(content_type=content_type, object_id=instance.pk).update(
        object_id=None
    )
    RetiredIdentifier.objects.update_or_create(
        content_type=content_type, identifier=instance.identifier, defaults={"object_id": None}
    )


def connect_receivers() -> None:
    """Listen for renames and deletions of identified records only (called once the models
    are loaded).

    A ``post_delete`` receiver without a sender would stop Django from deleting rows of any
    model without loading them first (``QuerySet.delete()`` can skip loading only where no
    signal is listened to): search entries and many-to-many links would pay for it.
    """
    for model in apps.get_models():
        if issubclass(model, IdentifiedModel):
            label = model._meta.label_lower
            pre_save.connect(
                retire_renamed_identifier,
                sender=model,
                dispatch_uid=f"kiroku-retire-renamed-identifier-{label}",
            )
            post_delete.connect(
                retire_deleted_identifier,
                sender=model,
                dispatch_uid=f"kiroku-retire-deleted-identifier-{label}",
            )


def tombstone(request: HttpRequest, identifier: str, model: type[Model]) -> HttpResponse:
    return render(
        request,
        "archive/tombstone.html",
        {"identifier": identifier, "kind": model._meta.verbose_name},
        status=410,
    )


class TombstoneMiddleware:
    """Turns the 404 of a renamed, deleted or withdrawn record into a 301 or a 410."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if response.status_code != 404 or match is None or match.view_name not in ROUTES:
            return response
        identifier = match.kwargs.get("identifier")
        if not identifier:
            return response
        route = ROUTES[match.view_name]
        model = apps.get_model(route.model)
        answer = self.renamed(request, match, model, identifier)
        if answer is None and route.tombstone:
            withdrawn = model._default_manager.filter(
                identifier=identifier, status=PublicationStatus.WITHDRAWN, restricted=False
            )
            if withdrawn.exists():
                answer = tombstone(request, identifier, model)
        return answer or response

    def renamed(
        self, request: HttpRequest, match: Any, model: type[Model], identifier: str
    ) -> HttpResponse | None:
        retired = RetiredIdentifier.objects.filter(
            content_type=ContentType.objects.get_for_model(model), identifier=identifier
        ).first()
        if retired is None:
            return None
        if retired.object_id is None:
            return tombstone(request, identifier, model)
        # only to a record the public may see (or its tombstone): else the old URL is a 404
        shown = model.public_q() | Q(status=PublicationStatus.WITHDRAWN, restricted=False)
        current = model._default_manager.filter(shown, pk=retired.object_id).first()
        if current is None or current.identifier == identifier:
            return None
        try:
            kwargs = {**match.kwargs, "identifier": current.identifier}
            url = reverse(match.view_name, kwargs=kwargs)
        except NoReverseMatch:
            return None
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
