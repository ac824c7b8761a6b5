"""How the API's serializers get their fields and related rows: built once, copied per use."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework import serializers

import documents.api.serializers  # noqa: F401 (every model serializer of the API is defined)
import people.api.serializers  # noqa: F401
from archive.api.base import related_rows
from archive.api.serializers import ModelSerializer, _built_fields
from documents.api.serializers import DocumentSerializer
from documents.models import Copy, DocumentText, Identifier
from people.models import AgentRole
from tests.api.conftest import World, get_json


def _subclasses(cls: type) -> list[type]:
    """Every serializer class below ``cls`` that names a model (the bases name none)."""
    found = []
    for sub in cls.__subclasses__():
        found += [sub] if hasattr(sub, "Meta") else []
        found += _subclasses(sub)
    return found


@pytest.mark.parametrize("serializer_class", _subclasses(ModelSerializer), ids=lambda c: c.__name__)
def test_fields_are_the_ones_drf_builds(serializer_class: type[ModelSerializer]) -> None:
    """Built once per class, the fields are still DRF's own: same names, kinds and sources."""
    for _ in range(2):  # the first builds and keeps them, the second copies
        serializer = serializer_class(context={})
        built = serializers.ModelSerializer.get_fields(serializer)
        fields = serializer.get_fields()
        assert list(fields) == list(built)
        for name, field in fields.items():
            assert type(field) is type(built[name])
            assert field.source == built[name].source
            assert field.read_only == built[name].read_only


def test_each_serializer_has_fields_of_its_own() -> None:
    """Two serializers of one class share no field, and what one leaves out (an expansion
    not asked for) the other still has."""
    lean = DocumentSerializer(context={"expand": set()})
    full = DocumentSerializer(context={"expand": {"texts", "agents", "copies"}})
    assert "texts" not in lean.fields
    assert {"texts", "agents", "copies"} <= set(full.fields)
    assert not {id(f) for f in lean.fields.values()} & {id(f) for f in full.fields.values()}
    assert all(field.parent is lean for field in lean.fields.values())
    assert all(field.parent is full for field in full.fields.values())
    assert "texts" in DocumentSerializer(context={}).fields  # no expand given: everything


def test_related_rows_are_built_once_and_never_run(
    client: Client, world: World, django_user_model: type
) -> None:
    """The related rows' queries kept for reuse are only ever copied: they hold no rows, so no
    request sees another's (and staff rows never reach the public)."""
    related_rows.cache_clear()
    get_json(client, "/api/v1/documents/t-api-doc-1/")
    get_json(client, "/api/v1/documents/?form=t-api-letter&expand=texts,agents,copies")
    kept = related_rows.cache_info()
    assert kept.currsize == 4  # identifiers, texts, roles and copies, for the public
    assert kept.hits == 4  # the list reused what the detail built
    staff = django_user_model.objects.create_user("t-api-rows", is_staff=True, is_superuser=True)
    client.force_login(staff)
    body = get_json(client, "/api/v1/documents/t-api-doc-3/")
    assert [t["key"] for t in body["texts"]]  # its draft text, which the public never sees
    assert related_rows.cache_info().currsize == 8  # a second set, for staff
    public = [
        (Identifier, ("scheme",), ()),
        (DocumentText, ("language", "side"), ()),
        (AgentRole, ("agent",), ("order", "role")),
        (Copy, ("holder", "publication", "language"), ()),
    ]
    for model, related, order_by in public:
        for everything in (False, True):
            assert related_rows(model, related, order_by, everything)._result_cache is None
    assert related_rows.cache_info().currsize == 8  # the same eight: nothing built anew


def _walk(field: serializers.Field) -> list[serializers.Field]:
    """``field`` and every field inside it: a serializer's fields, a list's child."""
    inner = list(field.fields.values()) if isinstance(field, serializers.Serializer) else []
    inner += [
        v for k, v in vars(field).items() if k != "parent" and isinstance(v, serializers.Field)
    ]
    return [field, *(f for sub in inner for f in _walk(sub))]


@pytest.mark.parametrize("serializer_class", _subclasses(ModelSerializer), ids=lambda c: c.__name__)
def test_every_field_inside_is_bound_to_its_own_serializer(
    serializer_class: type[ModelSerializer],
) -> None:
    """However deep (a list of briefs in a copy in a document), each field's parent chain
    leads to the serializer it was made for, so it reads that request's context."""
    one, other = serializer_class(context={"n": 1}), serializer_class(context={"n": 2})
    first, second = _walk(one)[1:], _walk(other)[1:]
    assert first
    assert not {id(f) for f in first} & {id(f) for f in second}
    assert all(field.root is one and field.context == {"n": 1} for field in first)
    assert all(field.root is other for field in second)


def test_the_fields_kept_for_copying_are_never_used(client: Client, world: World) -> None:
    """After requests that read every kind of record, the kept fields are as DRF made them:
    unbound, and no nested serializer among them has made its own fields (a shallow copy of
    one that had would share them)."""
    for url in ("/api/v1/documents/t-api-doc-1/", "/api/v1/documents/?expand=texts,agents"):
        get_json(client, url)
    assert _built_fields
    for built in _built_fields.values():
        for _name, field, _copier in built:
            assert field.parent is None if hasattr(field, "parent") else True
            assert not hasattr(field, "field_name") or field.field_name is None
            assert "fields" not in vars(field)
