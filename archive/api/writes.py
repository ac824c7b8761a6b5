"""Curators' writes through the partner API: the admin's rules, one history entry, no lost update.

A viewset that mixes in :class:`WritableMixin` accepts POST (create), PUT and PATCH (update)
and DELETE from curators who authenticate with a token (or an admin session):

* **Permissions** are the admin's: a staff user with the model's ``add``/``change``/``delete``
  permission (:class:`CuratorWritePermission`); contributors edit only drafts and records in
  review and may give a record only those statuses, and only reviewers (the ``publish_<model>``
  permission) publish, withdraw or restrict (:mod:`archive.workflow`). Partner keys read only.
* **Validation** is the model's: ``full_clean()`` runs before every save, and every error is a
  400 naming the field: ``{"detail": "Invalid field(s): title.", "errors": {"title": [...]}}``.
* **History**: each write saves once, with the acting user and a change reason, so it leaves
  exactly one django-simple-history entry (many-to-many sets are not historical fields).
* **No lost update**: PUT, PATCH and DELETE need ``If-Match`` with the ETag from the client's
  last read (428 without it). Inside the write's transaction the row is locked and its version
  compared; a stale version is refused with 412 and nothing is written.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Model, ProtectedError
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from archive.admin_base import current_version
from archive.api.conditional import Validators, if_match_versions
from archive.api.errors import BadQuery
from archive.models import PartnerKey, PublicationStatus, Publishable
from archive.workflow import CONTRIBUTOR_STATUSES, can_publish, may_edit

ACTION_PERMISSION = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


class PreconditionRequired(APIException):
    status_code = 428
    default_code = "precondition_required"
    default_detail = (
        "Send If-Match with the ETag of the version you edited (from a GET of the record), "
        "so that a newer version is never overwritten."
    )


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class InvalidFields(BadQuery):
    """A 400 naming each field whose value was refused."""

    default_code = "invalid"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors, summary="Invalid field(s)")


class WorkflowDenied(PermissionDenied):
    """A 403 naming the field the curator may not set (status, restricted)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__({"detail": message, "errors": {field: [message]}})


def flatten_errors(errors: Any) -> list[str]:
    """Serializer errors (strings, lists, nested dicts for list items) as plain messages."""
    if isinstance(errors, dict):
        return [f"{key}: {m}" for key, value in errors.items() for m in flatten_errors(value)]
    if isinstance(errors, list | tuple):
        return [message for item in errors for message in flatten_errors(item)]
    return [str(errors)]


class CuratorWritePermission(BasePermission):
    """Reads for everyone; writes for active staff with the model's permission, as in the admin.

    Object level: contributors may change only drafts and records in review (``may_edit``).
    """

    message = "Curators only: writing needs a staff account with permission for this record."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if isinstance(request.auth, PartnerKey):
            self.message = "Partner API keys read only; writes need a curator's token."
            return False
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        opts = view.write_model._meta
        action = ACTION_PERMISSION.get(request.method)
        if action is None or not user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
            self.message = (
                f"You may not {action or request.method.lower()} "
                f"{opts.verbose_name_plural} (permission {opts.app_label}.{action}_"
                f"{opts.model_name})."
            )
            return False
        return True

    def has_object_permission(self, request: Request, view: Any, obj: Model) -> bool:
        if request.method in SAFE_METHODS or not isinstance(obj, Publishable):
            return True
        if may_edit(request.user, obj):
            return True
        self.message = (
            f"This record is {obj.get_status_display().lower()}: only a reviewer may change it."
        )
        return False


class RawFormBrowsableAPIRenderer(BrowsableAPIRenderer):
    """The browsable API with the raw JSON form only: the HTML form would render every
    collection, subject and place as a choice list (DRF's unbounded-choices problem)."""

    def get_rendered_html_form(self, data: Any, view: Any, method: str, request: Any) -> None:
        return None


class WritableMixin:
    """Create, update and delete for a :class:`~archive.api.base.PartnerViewSet`."""

    renderer_classes = [JSONRenderer, RawFormBrowsableAPIRenderer]

    #: the serializer that reads request bodies (explicit ``fields``); responses use the
    #: viewset's read ``serializer_class``
    write_serializer_class: ClassVar[type[serializers.ModelSerializer]]

    @property
    def write_model(self) -> type[Model]:
        return self.write_serializer_class.Meta.model

    def get_permissions(self) -> list[BasePermission]:
        return [CuratorWritePermission()]

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.request is not None and self.request.method not in SAFE_METHODS:
            return self.write_serializer_class
        return super().get_serializer_class()

    # -- the actions -------------------------------------------------------------------------

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.write_serializer_class(data=request.data, context=self.write_context())
        with transaction.atomic():
            data = self.validated(serializer)
            self.check_workflow(data, None)
            record = self.save_record(serializer, self.write_model(), "Created through the API")
        response = self.written(record, status.HTTP_201_CREATED)
        response["Location"] = str(response.data["url"])  # DRF's Hyperlink is a str subclass
        return response

    def update(self, request: Request, *args: Any, partial: bool = False, **kwargs: Any):
        with transaction.atomic():
            record = self.get_object()
            self.check_if_match(record)
            serializer = self.write_serializer_class(
                record, data=request.data, partial=partial, context=self.write_context()
            )
            data = self.validated(serializer)
            self.check_workflow(data, record)
            record = self.save_record(serializer, record, "Changed through the API")
        return self.written(record, status.HTTP_200_OK)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            record = self.get_object()
            self.check_if_match(record)
            record._history_user = request.user
            record._change_reason = "Deleted through the API"
            try:
                record.delete()
            except ProtectedError as exc:
                used_by = sorted({str(obj._meta.verbose_name) for obj in exc.protected_objects})
                raise Conflict(
                    f"Not deleted: other records refer to this one ({', '.join(used_by)}). "
                    "Withdraw it instead, or remove those references first."
                ) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)

    # -- the steps ---------------------------------------------------------------------------

    def write_context(self) -> dict[str, Any]:
        return {"request": self.request, "view": self}

    def check_if_match(self, record: Model) -> None:
        """428 without If-Match, 412 unless it names the version now stored (row locked)."""
        header = self.request.headers.get("If-Match", "").strip()
        if not header:
            raise PreconditionRequired()
        wanted = if_match_versions(header)
        if wanted is None:
            raise PreconditionFailed(
                "If-Match must be the record's ETag from a GET (a quoted, strong tag such as "
                '"7-3f9c0a2b…"); “*” and weak tags cannot tell which version you edited.'
            )
        current = current_version(record, lock=True)
        if current not in wanted:
            raise PreconditionFailed(
                f"The record changed since you read it: you edited version "
                f"{', '.join(map(str, wanted))}, it is now version {current}. Nothing was "
                "written; GET it again, reapply your change, and send the new ETag."
            )

    def validated(self, serializer: serializers.Serializer) -> dict[str, Any]:
        if not serializer.is_valid():
            raise InvalidFields(
                {name: flatten_errors(errors) for name, errors in serializer.errors.items()}
            )
        return serializer.validated_data

    def check_workflow(self, data: dict[str, Any], record: Model | None) -> None:
        """Contributors give records only draft or review status and never restrict them."""
        model = self.write_model
        if not issubclass(model, Publishable) or can_publish(self.request.user, model):
            return
        if data.get("status", PublicationStatus.DRAFT) not in CONTRIBUTOR_STATUSES:
            raise WorkflowDenied(
                "status",
                "You may set the status to draft or review only; publishing and withdrawing "
                "need a reviewer's publish permission.",
            )
        current = record.restricted if record is not None else False
        if data.get("restricted", current) != current:
            raise WorkflowDenied("restricted", "Only a reviewer may restrict or unrestrict.")

    def save_record(self, serializer: serializers.Serializer, record: Model, reason: str) -> Model:
        """Apply the validated data, ``full_clean()``, save once with history, then the sets."""
        data = dict(serializer.validated_data)
        sets = {name: data.pop(name) for name in list(data) if self.is_many(record, name)}
        for name, value in data.items():
            setattr(record, name, value)
        try:
            record.full_clean()
        except ValidationError as exc:
            raise InvalidFields(self.field_errors(serializer, exc)) from exc
        record._history_user = self.request.user
        record._change_reason = reason
        record.save()
        for name, values in sets.items():
            getattr(record, name).set(values)
        return record

    @staticmethod
    def is_many(record: Model, name: str) -> bool:
        return record._meta.get_field(name).many_to_many

    @staticmethod
    def field_errors(serializer: serializers.Serializer, exc: ValidationError) -> dict:
        """The model's errors under the request's field names (``document_type`` → ``form``)."""
        names = {field.source: name for name, field in serializer.fields.items()}
        errors: dict[str, list[str]] = {}
        for field, messages in exc.message_dict.items():
            name = "non_field_errors" if field == NON_FIELD_ERRORS else names.get(field, field)
            errors.setdefault(name, []).extend(messages)
        return errors

    def written(self, record: Model, code: int) -> Response:
        """The record as a GET would show it (all expansions), with its new ETag."""
        self.expand = set(self.expansions)
        instance = self.get_queryset().get(pk=record.pk)
        context = {**self.get_serializer_context(), **self.prepare([instance])}
        data = self.serializer_class(instance, context=context).data
        self.validators = Validators(
            version=getattr(instance, "version", None),
            modified=getattr(instance, "updated_at", None),
        )
        return Response(data, status=code)
