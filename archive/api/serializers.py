"""Serializers shared by the partner API, and those of the holdings (repositories, collections).

Every representation lists its ``fields`` explicitly. Related records appear in a *brief* form
(identifier, title or name, API url) and only when the requester may see them: a brief of a
hidden record is ``null``, and lists of related records are prefetched already filtered by each
model's ``public_q`` (see the viewsets' ``get_queryset``).

Expandable parts (``?expand=texts,agents``) are named in ``Meta.expandable``; a serializer
drops those not asked for when the view says which were (``context["expand"]``).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.utils.http import RFC3986_SUBDELIMS
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from archive.converters import IDENTIFIER_PATTERN
from archive.dates import DateError, normalize_date
from archive.models import Collection, Language, ReferenceLevel, Repository
from archive.models.base import sees_everything
from archive.references import format_reference


def can_see(instance: Any, context: dict[str, Any]) -> bool:
    """Whether the requester may see ``instance`` (staff see everything, the public what is
    public); records without a publication status are always visible."""
    if not hasattr(instance, "is_public") or instance.is_public:
        return True
    return sees_everything(getattr(context.get("request"), "user", None))


class ModelSerializer(serializers.ModelSerializer):
    """DRF's ``ModelSerializer``, its fields worked out from the model once per class.

    DRF builds a model serializer's fields from the model's metadata (types, lengths,
    validators) each time a serializer is made: per request, once for every serializer nested
    in the response, a fifth of a document's detail response. What it builds depends on the
    class alone, so here it is built once, and each serializer gets its own copies of the
    fields. DRF copies a field by making it anew from its arguments. A read-only field that
    holds no other field needs less: binding sets its own attributes, and reading changes
    nothing else. That takes in a nested serializer, whose fields are made when it is first
    used (not a list of them, which holds its child, nor a list of links), so a shallow copy
    serves and costs a fraction as much. It relies on the fields kept here never being used
    themselves, only copied; a test checks they stay unbound and without fields of their own.
    Subclasses choose which fields to copy (:meth:`includes`), never change the fields built.
    """

    def get_fields(self) -> dict[str, serializers.Field]:
        built = _built_fields.get(type(self))
        if built is None:
            built = _built_fields[type(self)] = [
                (name, field, _copy_of(field)) for name, field in super().get_fields().items()
            ]
        return {name: copier(field) for name, field, copier in built if self.includes(name)}

    def includes(self, name: str) -> bool:
        """Whether this serializer (for its context) has the field ``name``."""
        return True


def _copy_of(field: serializers.Field) -> Callable[[serializers.Field], serializers.Field]:
    """How to copy ``field`` for a serializer: shallow if it is read-only and holds no field."""
    holds = any(isinstance(value, serializers.Field) for value in vars(field).values())
    return copy.copy if field.read_only and not holds else copy.deepcopy


#: each model serializer class's fields as DRF builds them, each with how to copy it
_built_fields: dict[type[ModelSerializer], list[tuple[str, serializers.Field, Callable]]] = {}


class ExpandableSerializer(ModelSerializer):
    """Drops the ``Meta.expandable`` fields the request did not ask for."""

    def includes(self, name: str) -> bool:
        expand = self.context.get("expand")
        return expand is None or name in expand or name not in getattr(self.Meta, "expandable", ())


class BriefSerializer(ModelSerializer):
    """A related record in brief; ``null`` when the requester may not see it."""

    def to_representation(self, instance: Any) -> Any:
        if not can_see(instance, self.context):
            return None
        return super().to_representation(instance)


class HtmlUrlField(serializers.Field):
    """The absolute address of the record's public page."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        url = value.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


extend_schema_field(OpenApiTypes.URI)(HtmlUrlField)


class IdentifierLinkField(serializers.HyperlinkedIdentityField):
    """A record's API address by its identifier, without reversing the route for each record.

    ``reverse()`` with ``build_absolute_uri()`` costs DRF about a tenth of a millisecond, and a
    list page makes one call per record and per related record (some 140 for twenty documents).
    The address is reversed once per request and route with a stand-in identifier; each
    record's identifier is quoted into it as ``reverse()`` quotes it. An identifier the route
    would not take goes through ``reverse()``, to fail as it always did.
    """

    def __init__(self, view_name: str, **kwargs: Any) -> None:
        super().__init__(view_name=view_name, lookup_field="identifier", **kwargs)

    def get_url(self, obj: Any, view_name: str, request: Any, format: str | None) -> str | None:
        value = getattr(obj, "identifier", None)
        if format or request is None or not isinstance(value, str) or not _ROUTABLE(value):
            return super().get_url(obj, view_name, request, format)
        templates = request.__dict__.setdefault("_kiroku_link_templates", {})
        template = templates.get(view_name)
        if template is None:
            kwargs = {self.lookup_url_kwarg: _STAND_IN}
            url = self.reverse(view_name, kwargs=kwargs, request=request)
            template = templates[view_name] = url.split(_STAND_IN, 1)
        return quote(value, safe=_REVERSE_SAFE).join(template)


#: what ``django.urls.reverse`` leaves unquoted in a path argument
_REVERSE_SAFE = RFC3986_SUBDELIMS + "/~:@"
_STAND_IN = "kirokuIdentifierStandIn"
_ROUTABLE = re.compile(IDENTIFIER_PATTERN).fullmatch


class LinkField(serializers.URLField):
    """A URL, or ``null`` where none is recorded (never an empty string)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str | None:
        return value or None


class DateSerializer(serializers.Serializer):
    """A date statement: the EDTF text, its earliest and latest day, and a readable form."""

    edtf = serializers.CharField(source="date_edtf", allow_null=True)
    start = serializers.DateField(source="date_start", allow_null=True)
    end = serializers.DateField(source="date_end", allow_null=True)
    display = serializers.CharField(source="date_display")

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["edtf"] = data["edtf"] or None
        return data


class LanguageSerializer(ModelSerializer):
    class Meta:
        model = Language
        fields = ["code", "name"]


class RepositoryBriefSerializer(BriefSerializer):
    url = IdentifierLinkField("api:repository-detail")

    class Meta:
        model = Repository
        fields = ["identifier", "name", "url"]


class CollectionBriefSerializer(BriefSerializer):
    url = IdentifierLinkField("api:collection-detail")

    class Meta:
        model = Collection
        fields = ["identifier", "title", "url"]


class ReferenceLevelSerializer(ModelSerializer):
    class Meta:
        model = ReferenceLevel
        fields = ["code", "name", "rank", "label", "separator"]


class RepositorySerializer(ModelSerializer):
    url = IdentifierLinkField("api:repository-detail")
    html_url = HtmlUrlField()
    website = LinkField(source="url")
    levels = ReferenceLevelSerializer(many=True, read_only=True)
    modified = serializers.DateTimeField(source="updated_at")

    class Meta:
        model = Repository
        fields = [
            "identifier",
            "url",
            "html_url",
            "name",
            "short_name",
            "name_original",
            "kind",
            "country",
            "location",
            "website",
            "description",
            "reference_template",
            "show_japanese_era",
            "levels",
            "modified",
        ]


class CollectionSerializer(ModelSerializer):
    """An archival unit. Its ``reference`` and ``custody`` need the unit's lineage, which the
    viewset loads for a whole page in one query (``lineages`` in the context)."""

    url = IdentifierLinkField("api:collection-detail")
    html_url = HtmlUrlField()
    repository = RepositoryBriefSerializer(read_only=True, allow_null=True)
    parent = CollectionBriefSerializer(read_only=True, allow_null=True)
    level = serializers.CharField(source="level.name")
    reference = serializers.SerializerMethodField()
    custody = serializers.SerializerMethodField()
    date = DateSerializer(source="*", read_only=True)
    creator = serializers.SerializerMethodField()
    languages = LanguageSerializer(many=True, read_only=True)
    document_count = serializers.IntegerField(read_only=True)
    modified = serializers.DateTimeField(source="updated_at")

    class Meta:
        model = Collection
        fields = [
            "identifier",
            "url",
            "html_url",
            "title",
            "repository",
            "parent",
            "level",
            "reference_segment",
            "reference",
            "custody",
            "depth",
            "date",
            "creator",
            "extent",
            "administrative_history",
            "custodial_history",
            "acquisition",
            "scope_and_content",
            "arrangement",
            "access_conditions",
            "reproduction_conditions",
            "languages",
            "finding_aids",
            "notes",
            "document_count",
            "modified",
        ]

    def _lineage(self, unit: Collection) -> list[Collection]:
        lineages = self.context.get("lineages") or {}
        return lineages.get(unit.pk) or unit.lineage()

    def get_reference(self, unit: Collection) -> str:
        return format_reference(unit, lineage=self._lineage(unit))

    def get_custody(self, unit: Collection) -> str:
        return unit.effective_custody(self._lineage(unit))

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "identifier": {"type": "string"},
                "name": {"type": "string"},
                "url": {"type": "string", "format": "uri"},
            },
        }
    )
    def get_creator(self, unit: Collection) -> dict[str, Any] | None:
        from people.api.serializers import AgentBriefSerializer

        if unit.creator is None:
            return None
        return AgentBriefSerializer(context=self.context).to_representation(unit.creator)


class DateStatementMixin:
    """Checks ``date_edtf`` with the other fields, so one answer names every bad field (the
    model's ``clean`` would otherwise report it only once the rest is valid)."""

    def validate_date_edtf(self, value: str) -> str:
        try:
            return normalize_date(value)
        except DateError as exc:
            raise serializers.ValidationError(str(exc)) from exc


class SlugReferenceField(serializers.SlugRelatedField):
    """A related record by its identifier or code, refusing values no record can have before
    querying (PostgreSQL rejects a NUL character in a query with an error, not a miss)."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)
