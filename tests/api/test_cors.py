"""CORS: any site may read /api/ from a browser; writes and the rest of the site are not open."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.test import Client

from tests.api.conftest import World

ORIGIN = "https://partner.example.org"


def test_api_reads_are_open_to_any_origin(client: Client, world: World) -> None:
    response = client.get("/api/v1/documents/", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    exposed = {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert {"etag", "last-modified", "retry-after"} <= exposed
    assert "Access-Control-Allow-Credentials" not in response


def test_preflight_allows_reads_only(client: Client, world: World) -> None:
    def preflight(method: str) -> dict[str, str]:
        response = client.options(
            "/api/v1/documents/t-api-doc-1/",
            HTTP_ORIGIN=ORIGIN,
            HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match, x-api-key",
        )
        assert response.status_code == 200
        return response.headers

    headers = preflight("GET")
    methods = {m.strip() for m in headers["Access-Control-Allow-Methods"].split(",")}
    assert methods == {"GET", "HEAD", "OPTIONS"}
    assert "if-none-match" in headers["Access-Control-Allow-Headers"]
    assert "x-api-key" in headers["Access-Control-Allow-Headers"]
    # a browser checks the method against this list and does not send the PUT
    assert "PUT" not in preflight("PUT")["Access-Control-Allow-Methods"]


def test_site_pages_send_no_cors_headers(client: Client, world: World) -> None:
    for url in ("/", "/documents/", "/oai?verb=Identify"):
        response = client.get(url, HTTP_ORIGIN=ORIGIN)
        assert "Access-Control-Allow-Origin" not in response, url


def test_writes_can_be_opened_by_environment_variable() -> None:
    code = "from django.conf import settings; print(','.join(settings.CORS_ALLOW_METHODS))"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "archive.settings"}

    def methods(**extra: str) -> set[str]:
        result = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=True,
            cwd=settings.BASE_DIR,
        )
        return set(result.stdout.strip().split(","))

    env.pop("KIROKU_API_CORS_WRITES", None)
    assert methods() == {"GET", "HEAD", "OPTIONS"}
    assert methods(KIROKU_API_CORS_WRITES="1") == {
        "GET",
        "HEAD",
        "OPTIONS",
        "POST",
        "PUT",
        "PATCH",
        "DELETE",
    }
