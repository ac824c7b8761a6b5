"""Browser tests: Playwright driving Debian's Chromium against a live Kiroku server.

They run in their own pytest session (``make test`` runs ``-m browser`` after the rest),
because a live server needs committed data: each test's database is flushed afterwards, so
each one starts by loading the founding collection again (:func:`live_archive`).
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# in that thread are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("KIROKU_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` (it installs it).")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def live_archive(live_server, transactional_db) -> str:  # type: ignore[no-untyped-def]
    """The live server's URL, with the founding collection loaded."""
    call_command("load_founding_collection", verbosity=0)
    return live_server.url


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Save a full-page screenshot under test-artifacts/screenshots/ for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
