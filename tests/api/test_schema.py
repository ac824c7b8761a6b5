"""The OpenAPI description: served, browsable without a CDN, and true to the API.

Schemathesis generates requests from ``/api/schema/`` (bounded examples per operation) and
checks that none fails with a server error and every response conforms to the schema: reads
as the public, writes as a reviewer (a curator with every write permission) holding a token.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.test import Client as WsgiClient

from tests.api.conftest import Curators, World

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


def test_schema_is_served_and_documents_the_filters(client: Client) -> None:
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    documents = schema["paths"]["/api/v1/documents/"]["get"]
    parameters = {p["name"] for p in documents["parameters"]}
    assert {
        "q",
        "language",
        "date_from",
        "has_transcript",
        "facets",
        "cursor",
        "page",
    } <= parameters
    assert "400" in documents["responses"]


@pytest.mark.django_db
def test_facet_values_of_every_kind_are_in_the_schema(client: Client) -> None:
    """A facet's values are codes and identifiers, years and decades, or yes and no (the
    ``has_…`` facets); the schema's facet value admits each kind a list returns."""
    schema = client.get("/api/schema/?format=json").json()
    page = schema["components"]["schemas"]["PaginatedDocumentList"]["properties"]
    value = page["facets"]["additionalProperties"]["items"]["properties"]["value"]
    allowed = {option["type"] for option in value["oneOf"]}
    body = client.get("/api/v1/documents/?facets=form,year,has_transcript").json()
    kinds = {bool: "boolean", int: "integer", str: "string"}
    returned = {kinds[type(row["value"])] for rows in body["facets"].values() for row in rows}
    assert returned == {"boolean", "integer", "string"}
    assert returned <= allowed


def test_swagger_ui_uses_local_assets(client: Client) -> None:
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "drf_spectacular_sidecar" in page
    assert "cdn.jsdelivr" not in page
    assert "unpkg.com" not in page


def test_schema_documents_auth_headers_and_writes(client: Client) -> None:
    schema = client.get("/api/schema/?format=json").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["partnerKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-Api-Key",
        "description": schemes["partnerKey"]["description"],
    }
    assert schemes["tokenAuth"]["type"] == "apiKey"
    document = schema["paths"]["/api/v1/documents/{identifier}/"]
    assert {} in document["get"]["security"]  # reads need no credentials
    assert {"ETag", "Last-Modified"} <= set(document["get"]["responses"]["200"]["headers"])
    assert {"304", "401", "404", "429"} <= set(document["get"]["responses"])
    for method in ("put", "patch", "delete"):
        headers = {p["name"]: p for p in document[method]["parameters"] if p["in"] == "header"}
        assert headers["If-Match"]["required"] is True
        assert {"403", "412", "428"} <= set(document[method]["responses"])
        assert {"tokenAuth": []} in document[method]["security"]
        assert {"partnerKey": []} not in document[method]["security"]
        assert {} not in document[method]["security"]
    create = schema["paths"]["/api/v1/documents/"]["post"]
    body = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/DocumentWrite")
    assert create["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/Document"
    )
    assert "/api/v1/collections/" in schema["paths"]
    assert "post" not in schema["paths"]["/api/v1/collections/"]


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    """Calls through the WSGI app start and end with signals whose handler closes a connection
    left outside autocommit: the test's transaction. Django's test client unhooks that handler
    around each request; do the same for schemathesis's direct WSGI calls."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.mark.django_db
def test_api_conforms_to_its_schema(
    world: World, curators: Curators, keep_test_connection: None
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    writer = {"Authorization": curators.reviewer["HTTP_AUTHORIZATION"]}
    tested, writes = 0, 0
    for result in schema.get_all_operations():
        operation = result.ok()
        headers = writer if operation.method.upper() != "GET" else {}
        writes += bool(headers)

        @given(case=operation.as_strategy())
        @settings(
            max_examples=20,
            # the same examples on every run: a suite that passes keeps passing
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)  # noqa: B023 - called in this iteration
            case.validate_response(response, checks=CHECKS)

        check()
        tested += 1
    # list and detail of ten endpoints (events and genealogies too), the identifier
    # concordance, the network (2), the writes of documents, agents and relations, the
    # citation files and the comparison of two steps of a genealogy
    assert tested == 37
    assert writes == 12


@pytest.mark.django_db
def test_api_call_sequences_conform_to_the_schema(
    world: World, curators: Curators, keep_test_connection: None
) -> None:
    """Stateful: schemathesis chains calls along the links it infers from the schema (a record
    created, then read, changed and deleted by the identifier the answer gave), as a careful
    client would: a token on writes, and on changes the ETag just read sent back as If-Match.
    Every answer must conform to the schema, and the chains must reach real records and change
    them, rather than only probe missing ones."""
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
    token = curators.reviewer["HTTP_AUTHORIZATION"]
    # the WSGI app called as schemathesis calls it (Django's test client would re-hook the
    # connection-closing signal handlers that keep_test_connection unhooks)
    reader = WsgiClient(app)
    outcomes: Counter[tuple[str, bool, int]] = Counter()

    class Sequences(schema.as_state_machine()):  # type: ignore[misc]
        # each scenario starts from the same data, so a replayed scenario behaves the same
        def setup(self) -> None:
            self.savepoint = transaction.savepoint_create()

        def teardown(self) -> None:
            transaction.savepoint_rollback(self.savepoint)

        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            method = case.method.upper()
            if method == "GET":
                return {}
            if method in {"PUT", "PATCH", "DELETE"}:
                current = reader.get(case.formatted_path, headers={"Authorization": token})
                if current.status_code == 200:
                    # in place of the If-Match the case drew (the stateless test fuzzes it)
                    case.headers = {**(case.headers or {}), "If-Match": current.headers["ETag"]}
            return {"headers": {"Authorization": token}}

        def after_call(self, response: Any, case: schemathesis.Case) -> None:
            on_record = bool(case.path_parameters)
            outcomes[(case.method.upper(), on_record, response.status_code)] += 1

        def validate_response(  # type: ignore[override]
            self, response: Any, case: schemathesis.Case, **kwargs: Any
        ) -> None:
            case.validate_response(response, checks=CHECKS)

    Sequences.run(
        settings=settings(
            max_examples=40,
            stateful_step_count=6,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    # the chains reached real records: reads by an identifier a previous answer gave, and
    # changes (with the ETag just read) that were accepted
    assert outcomes[("GET", True, 200)] > 0, outcomes
    assert any(
        method in {"PUT", "PATCH", "DELETE"} and 200 <= status < 300
        for method, _, status in outcomes
    ), outcomes
