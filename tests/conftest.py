"""Shared test set-up: the founding collection is loaded once into the test database.

Tests run inside transactions that roll back, so every test sees the founding collection as
loaded and may add records of its own (with identifiers that do not clash with it).
"""

from typing import Any

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        call_command("load_founding_collection", verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def plain_static_storage():  # type: ignore[no-untyped-def]
    """Serve static files from the apps during tests (no collectstatic manifest to read)."""
    from django.conf import settings
    from django.test import override_settings

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, WHITENOISE_USE_FINDERS=True):
        yield


@pytest.fixture(autouse=True)
def empty_catalogue_cache() -> None:
    """Start every test with no cached counts: a test's data is rolled back at its end without
    a commit, so nothing moves the stored catalogue version between tests."""
    from django.conf import settings
    from django.core.cache import caches

    caches[settings.CATALOGUE_CACHE].clear()


@pytest.fixture
def uncached(settings: Any) -> None:
    """Compute every count on every request, as the first reader after a change does (the
    query-count tests measure that; a cached page runs fewer queries)."""
    settings.CACHES = {
        **settings.CACHES,
        settings.CATALOGUE_CACHE: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
