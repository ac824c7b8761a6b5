"""Partner API keys (issued and revoked in the admin, stored as a hash) and rate limits."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.test import Client, override_settings

from archive.models import PartnerKey
from archive.models.api_keys import digest
from archive.workflow import ADMINISTRATOR, CONTRIBUTOR, REVIEWER
from tests.api.conftest import Curators, World

URL = "/api/v1/documents/"


def issue(name: str = "Aggregator") -> tuple[PartnerKey, str]:
    return PartnerKey.objects.issue(name=name, contact="Data team <data@example.org>")


# -- keys -------------------------------------------------------------------------------------


def test_key_is_stored_only_as_a_hash(db: None) -> None:
    key, raw = issue()
    prefix, secret = raw.split(".")
    assert key.prefix == prefix
    assert len(secret) == 32
    assert key.hashed_key == digest(raw)
    assert secret not in key.hashed_key
    assert PartnerKey.objects.filter(hashed_key__contains=secret).count() == 0


@pytest.mark.parametrize("style", ["authorization", "x-api-key"])
def test_key_is_accepted_in_either_header(client: Client, world: World, style: str) -> None:
    key, raw = issue()
    headers = (
        {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}
        if style == "authorization"
        else {"HTTP_X_API_KEY": raw}
    )
    response = client.get(URL, **headers)
    assert response.status_code == 200
    key.refresh_from_db()
    assert key.last_used_at is not None
    # a partner sees public records only
    assert client.get(f"{URL}t-api-draft/", **headers).status_code == 404


def test_last_used_is_written_at_most_once_a_minute(client: Client, world: World) -> None:
    key, raw = issue()
    client.get(URL, HTTP_X_API_KEY=raw)
    first = PartnerKey.objects.get(pk=key.pk).last_used_at
    client.get(URL, HTTP_X_API_KEY=raw)
    assert PartnerKey.objects.get(pk=key.pk).last_used_at == first


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("nodot", "Unknown API key"),
        ("abcdefgh.wrongsecret", "Unknown API key"),
        ("", None),  # an empty header is no key at all
    ],
)
def test_unknown_key_is_refused_with_401(
    client: Client, world: World, value: str, message: str | None
) -> None:
    response = client.get(URL, HTTP_X_API_KEY=value)
    if message is None:
        assert response.status_code == 200
        return
    assert response.status_code == 401
    assert message in response.json()["detail"]
    assert response["WWW-Authenticate"]


def test_right_prefix_wrong_secret_is_refused(client: Client, world: World) -> None:
    key, _ = issue()
    response = client.get(URL, HTTP_X_API_KEY=f"{key.prefix}.{'x' * 32}")
    assert response.status_code == 401
    assert "Unknown API key" in response.json()["detail"]


def test_revoked_key_is_refused_saying_so(client: Client, world: World) -> None:
    key, raw = issue()
    assert client.get(URL, HTTP_X_API_KEY=raw).status_code == 200
    assert key.revoke()
    assert not key.revoke()  # for good: a second revoke changes nothing
    response = client.get(URL, HTTP_X_API_KEY=raw)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    response = client.get(URL, HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert response.status_code == 401


def test_malformed_authorization_header(client: Client, world: World) -> None:
    response = client.get(URL, HTTP_AUTHORIZATION="Api-Key two parts")
    assert response.status_code == 401
    assert "Api-Key <key>" in response.json()["detail"]


# -- the admin --------------------------------------------------------------------------------


@pytest.fixture
def administrator(db: None) -> Client:
    user = User.objects.create_user("t-api-admin", is_staff=True)
    user.groups.add(Group.objects.get(name=ADMINISTRATOR))
    client = Client()
    client.force_login(user)
    return client


def test_admin_issues_a_key_and_shows_it_once(administrator: Client, world: World) -> None:
    response = administrator.post(
        "/admin/archive/partnerkey/add/",
        {"name": "Japan Search", "contact": "Ms Sato <sato@example.org>", "note": ""},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    raw = re.search(r"The API key for Japan Search is (\S+\.\S+) ", page).group(1)
    key = PartnerKey.objects.get(name="Japan Search")
    assert key.hashed_key == digest(raw)
    assert Client().get(URL, HTTP_X_API_KEY=raw).status_code == 200
    # the change page never shows it again
    change = administrator.get(f"/admin/archive/partnerkey/{key.pk}/change/").content.decode()
    assert raw not in change
    assert key.prefix in change


def test_admin_revokes_keys(administrator: Client, world: World) -> None:
    key, raw = issue()
    _, other_raw = issue("Other")
    response = administrator.post(
        "/admin/archive/partnerkey/",
        {"action": "revoke", "_selected_action": [key.pk]},
        follow=True,
    )
    assert "1 key(s) revoked" in response.content.decode()
    assert Client().get(URL, HTTP_X_API_KEY=raw).status_code == 401
    assert Client().get(URL, HTTP_X_API_KEY=other_raw).status_code == 200
    # keys are revoked, never deleted
    assert administrator.post(f"/admin/archive/partnerkey/{key.pk}/delete/").status_code == 403


@pytest.mark.parametrize("group", [CONTRIBUTOR, REVIEWER])
def test_only_administrators_manage_keys(db: None, group: str) -> None:
    user = User.objects.create_user(f"t-api-{group}", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    assert client.get("/admin/archive/partnerkey/").status_code == 403
    assert client.get("/admin/archive/partnerkey/add/").status_code == 403


# -- rate limits ------------------------------------------------------------------------------


@pytest.fixture
def low_rates() -> Iterator[None]:
    rates = {"anonymous": "3/minute", "partner": "6/minute", "curator": "5/minute"}
    config = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    cache.clear()
    with override_settings(REST_FRAMEWORK=config):
        yield
    cache.clear()


def allowed(client: Client, tries: int, **headers: Any) -> list[int]:
    return [client.get(URL + "?page_size=1", **headers).status_code for _ in range(tries)]


def test_anonymous_callers_get_429_with_retry_after(
    client: Client, world: World, low_rates: None
) -> None:
    assert allowed(client, 3) == [200, 200, 200]
    response = client.get(URL)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "throttled" in response.json()["detail"].lower()
    # a forged X-Forwarded-For does not make a new caller (no trusted proxy is configured)
    assert client.get(URL, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    # another address has its own allowance
    assert client.get(URL, REMOTE_ADDR="198.51.100.7").status_code == 200


def test_partner_keys_have_a_higher_rate_each(
    client: Client, world: World, low_rates: None
) -> None:
    _, raw = issue()
    _, other = issue("Other")
    assert allowed(client, 3) == [200] * 3
    assert client.get(URL).status_code == 429
    # the same address with a key: the key's own, higher allowance
    assert allowed(client, 7, HTTP_X_API_KEY=raw) == [200] * 6 + [429]
    assert allowed(client, 1, HTTP_X_API_KEY=other) == [200]


def test_curators_have_their_own_rate(
    client: Client, world: World, curators: Curators, low_rates: None
) -> None:
    assert allowed(client, 6, **curators.contributor) == [200] * 5 + [429]
    assert allowed(client, 1, **curators.reviewer) == [200]


def test_list_queries_stay_fixed_with_a_key(
    client: Client, world: World, django_assert_num_queries: Any, uncached: None
) -> None:
    from tests.api.test_protocol import _count, many_documents

    many_documents(world, 20)
    _, raw = issue()
    url = f"{URL}?form=t-api-bulk&expand=texts,agents,copies"
    client.get(url, HTTP_X_API_KEY=raw)  # the key's first use is recorded once a minute
    small = _count_with(client, url + "&page_size=3", raw)
    with django_assert_num_queries(small):
        body = client.get(url + "&page_size=20", HTTP_X_API_KEY=raw).json()
    assert len(body["results"]) == 20
    assert small == _count(client, url + "&page_size=3") + 1  # the key lookup


def _count_with(client: Client, url: str, raw: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url, HTTP_X_API_KEY=raw).status_code == 200
    return len(context)
