"""Security settings: deploy checks, headers, Content Security Policy, login throttling."""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client, RequestFactory, override_settings
from rest_framework import serializers

from archive.security import client_ip
from documents.models import Document
from tests.trust.conftest import staff_client

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "SECRET_KEY": "x7#Qp2!vL9zR4mT8wK1nB6cF3hJ5dS0aG-yU_eI+oP=lZ&xC@vN*mQ^",
    "ALLOWED_HOSTS": "archive.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://archive.example.org",
    "DATABASE_URL": "",
}


def manage(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process with only the given settings variables."""
    # a process environment as a server would have it: nothing inherited from the test run
    # (which may set DJANGO_ALLOW_ASYNC_UNSAFE, DEBUG, ...) beyond what finds Python
    keep = ("PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV")
    clean = {k: os.environ[k] for k in keep if k in os.environ}
    clean |= {"KIROKU_VAR_DIR": str(tmp_path)} | {k: v for k, v in env.items() if v}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_under_production_settings(tmp_path: Path) -> None:
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_fails_when_https_is_turned_off(tmp_path: Path) -> None:
    """The check above can fail: plain HTTP in production is reported."""
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=PRODUCTION_ENV | {"HTTPS": "0"},
        tmp_path=tmp_path,
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS


def test_production_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    result = manage("check", env=PRODUCTION_ENV | {"SECRET_KEY": ""}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


# --- headers --------------------------------------------------------------------------------------

PAGES = [
    "/",
    "/documents/",
    "/collections/",
    "/api/v1/documents/",
    "/api/docs/",
    "/oai?verb=Identify",
]


@pytest.mark.parametrize("url", PAGES)
def test_security_headers_on_public_answers(url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    # drf-spectacular opens Swagger UI to OAuth2 pop-ups (unused here) with "unsafe-none"
    coop = "unsafe-none" if url == "/api/docs/" else "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == coop
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31_536_000)
def test_https_redirect_and_hsts() -> None:
    client = Client()
    plain = client.get("/documents/")
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    secure = client.get("/documents/", secure=True)
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


def test_production_cookie_settings() -> None:
    """With HTTPS (the production default) cookies are secure; always HTTP-only sessions."""
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    code = (ROOT / "archive" / "settings.py").read_text()
    assert 'HTTPS = env_bool("HTTPS", not DEBUG)' in code
    assert 'CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS)' in code


# --- Content Security Policy: the pages that need inline code carry the nonce -------------------

INLINE = re.compile(r"<(script|style)\b([^>]*)>", re.IGNORECASE)


def check_inline_code_has_nonce(response) -> int:  # type: ignore[no-untyped-def]
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    body = response.content.decode()
    inline = 0
    for tag, attrs in INLINE.findall(body):
        if tag.lower() == "script" and "src=" in attrs:
            continue
        inline += 1
        assert nonce, f"inline <{tag}> but no nonce in the policy"
        assert f'nonce="{nonce.group(1)}"' in attrs, f"<{tag}{attrs}> lacks the nonce"
    assert not re.search(r"\sstyle=\"", body), "style attributes are refused by the policy"
    assert not re.search(r"\son[a-z]+=\"", body), "inline event handlers are refused"
    return inline


def test_admin_pages_work_under_the_policy() -> None:
    client = staff_client(None, "csp-admin", superuser=True)
    document = Document.objects.public().first()
    urls = [
        "/admin/",
        "/admin/documents/document/",
        f"/admin/documents/document/{document.pk}/change/",
        f"/admin/documents/document/{document.pk}/history/",
        "/admin/documents/document/add/",
        "/admin/people/agent/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        check_inline_code_has_nonce(response)
    login = Client().get("/admin/login/")
    check_inline_code_has_nonce(login)


def test_swagger_ui_works_under_the_policy() -> None:
    response = Client().get("/api/docs/")
    assert check_inline_code_has_nonce(response) >= 1


@pytest.mark.parametrize("url", ["/", "/documents/", "/collections/", "/people/"])
def test_public_pages_need_no_inline_code(url: str) -> None:
    assert check_inline_code_has_nonce(Client().get(url)) == 0


# --- login throttling -----------------------------------------------------------------------------


def failed_login(client: Client, username: str, **headers: str) -> int:
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": "wrong"},
        **headers,
    )
    return response.status_code


def test_admin_login_locks_after_repeated_failures() -> None:
    User.objects.create_superuser("lockme", password="right-password-1956")
    client = Client(REMOTE_ADDR="203.0.113.7")
    limit = settings.AXES_FAILURE_LIMIT
    # each attempt claims another client address: the forged header changes nothing
    statuses = [
        failed_login(client, "lockme", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}") for n in range(limit)
    ]
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert statuses[-1] == 429
    # now even the right password is refused, from this address, whatever the header says
    response = client.post(
        "/admin/login/",
        {"username": "lockme", "password": "right-password-1956"},
        HTTP_X_FORWARDED_FOR="192.0.2.1",
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_follows_the_user_name_across_addresses() -> None:
    User.objects.create_superuser("target", password="right-password-1956")
    limit = settings.AXES_FAILURE_LIMIT
    for n in range(limit):
        failed_login(Client(REMOTE_ADDR=f"203.0.113.{n + 10}"), "target")
    other = Client(REMOTE_ADDR="203.0.113.200")
    right = {"username": "target", "password": "right-password-1956"}
    response = other.post("/admin/login/", right)
    assert response.status_code == 429


def test_a_successful_login_below_the_limit_works() -> None:
    User.objects.create_superuser("fine", password="right-password-1956")
    client = Client(REMOTE_ADDR="203.0.113.99")
    assert failed_login(client, "fine") == 200
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "fine", "password": "right-password-1956"}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "10.0.0.5"),  # no proxy: the header is ignored
        (1, "198.51.100.1", "198.51.100.1"),  # one proxy: its entry
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the forged left part is ignored
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.9", "198.51.100.1"),
        (2, "198.51.100.1", "10.0.0.5"),  # fewer entries than proxies: the socket
    ],
)
def test_client_ip_trusts_only_the_configured_proxies(
    proxies: int, forwarded: str, expected: str
) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(KIROKU_PROXY_COUNT=proxies):
        assert client_ip(request) == expected


# --- serializers ----------------------------------------------------------------------------------


def project_serializers() -> list[type[serializers.Serializer]]:
    """Every serializer class defined in the apps' ``api`` packages."""
    found = []
    for app in ("archive", "documents", "people"):
        package = importlib.import_module(f"{app}.api")
        for module_info in pkgutil.walk_packages(package.__path__, f"{app}.api."):
            module = importlib.import_module(module_info.name)
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, serializers.BaseSerializer)
                    and value.__module__ == module.__name__
                ):
                    found.append(value)
    return found


def test_no_serializer_takes_every_field() -> None:
    """``fields = "__all__"`` (or ``exclude``) would expose, and on writes accept, any field
    added to a model later, ``status`` and ``restricted`` included."""
    found = project_serializers()
    assert len(found) >= 10
    for serializer in found:
        meta = getattr(serializer, "Meta", None)
        if meta is None:
            continue
        assert getattr(meta, "fields", None) != "__all__", serializer
        assert not hasattr(meta, "exclude"), serializer
    for path in ROOT.glob("*/api/**/*.py"):
        assert '"__all__"' not in path.read_text() or path.name == "__init__.py", path
