"""The admin's lists stay fast on a large archive: they read a page from an index, by keys.

At a million documents a list page that sorts the table takes seconds. Every curator list is
therefore ordered by its own table's columns with the primary key last (so an index can give
the order), the largest tables have an index in exactly that order, and a page is read as its
keys first (so the database walks that index rather than starting from a joined table).
"""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from archive.admin_base import CuratorAdmin
from documents.models import Document, DocumentType
from people.models import Agent

pytestmark = pytest.mark.django_db


def _changelist(model: type, user: User, query: str = ""):  # type: ignore[no-untyped-def]
    request = RequestFactory().get(f"/admin/?{query}")
    request.user = user
    return admin.site._registry[model].get_changelist_instance(request)


@pytest.fixture
def superuser() -> User:
    return User.objects.create_superuser("t-lists", "lists@example.org", "pw")


def _order_by(sql: str) -> str:
    return sql[sql.rindex("ORDER BY") :]


def test_every_curator_list_orders_by_its_own_columns_with_the_key_last(
    superuser: User,
) -> None:
    curator_models = [m for m, a in admin.site._registry.items() if isinstance(a, CuratorAdmin)]
    assert len(curator_models) > 20
    for model in curator_models:
        table = model._meta.db_table
        order_by = _order_by(str(_changelist(model, superuser).queryset.query))
        tables = set(re.findall(r'"(\w+)"\."\w+"', order_by))
        # a foreign key in the model's order is its key column, not a join to the related
        # model's own order
        assert tables == {table}, (model.__name__, order_by)
        assert order_by.endswith(f'"{table}"."{model._meta.pk.column}" ASC'), order_by


@pytest.mark.parametrize("model", [Document, Agent])
def test_the_largest_lists_have_an_index_in_their_order(model: type, superuser: User) -> None:
    sql = str(_changelist(model, superuser).queryset.query)
    ordering = re.findall(r'"\w+"\."(\w+)" ASC', _order_by(sql))
    indexed = [
        [model._meta.get_field(name).column for name in index.fields]
        for index in model._meta.indexes
    ]
    assert ordering in indexed


def test_a_page_is_read_by_its_keys_first_and_keeps_the_list_order(
    client: Client, superuser: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    kind = DocumentType.objects.create(code="t-kind", name="kind")
    for n, (date, title) in enumerate(
        [("1956-10-19", "B"), ("1956-10-19", "A"), ("1955-06-01", "C"), (None, "D"), ("1957", "E")]
    ):
        Document.objects.create(
            identifier=f"t-list-{n}", title=title, document_type=kind, date_edtf=date or ""
        )
    Document.objects.create(
        identifier="t-list-tie", title="A", document_type=kind, date_edtf="1956-10-19"
    )
    monkeypatch.setattr(admin.site._registry[Document], "list_per_page", 2)
    client.force_login(superuser)
    expected = list(
        Document.objects.order_by("date_start", "title", "pk").values_list("identifier", flat=True)
    )
    shown = []
    for page in (1, 2, 3):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/admin/documents/document/?p={page}")
        assert response.status_code == 200
        shown += [d.identifier for d in response.context["cl"].result_list]
        selects = [q["sql"] for q in captured.captured_queries if "documents_document" in q["sql"]]
        keys = [sql for sql in selects if "LIMIT" in sql and "documents_documenttype" not in sql]
        assert keys, selects
        assert re.match(r'SELECT "documents_document"\."id"( AS "pk")? FROM', keys[0]), keys[0]
    assert len(shown) == 6
    assert shown == expected[:6]
