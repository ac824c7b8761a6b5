"""How the API's serializers get their fields and related rows: built once, copied per use."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework import serializers

import documents.api.serializers  # noqa: F401 (every model serializer of the API is defined)
import people.api.serializers  # noqa: F401
from archive.api.base import related_rows
from archive.api.serializers import ModelSerializer
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
