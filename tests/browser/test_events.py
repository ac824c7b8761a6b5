"""Events in a real browser: the events list by year, an event page, a person's chronology,
and the timeline that merges events and documents."""

import pytest
from playwright.sync_api import Page, expect

from .conftest import screenshot

pytestmark = [pytest.mark.browser]


def test_events_list_event_page_and_chronology(live_archive: str, page: Page) -> None:
    page.goto(f"{live_archive}/events/")
    expect(page.get_by_role("heading", name="Events", level=1)).to_be_visible()
    for year in ("1954", "1955", "1956"):
        expect(page.get_by_role("heading", name=year, level=2)).to_be_visible()
    expect(page.get_by_text("The Khabarovsk incident")).to_have_count(0)  # a draft
    screenshot(page, "events-list")

    page.get_by_role("link", name="Conversation between Khrushchev and Kono", exact=True).click()
    expect(
        page.get_by_role("heading", name="Conversation between Khrushchev and Kono")
    ).to_be_visible()
    expect(page.get_by_text("18 October 1956, 16:15–16:55")).to_be_visible()
    participants = page.get_by_role("table")
    expect(participants.get_by_role("row", name="A. Rozhetskin recorder")).to_be_visible()
    expect(page.get_by_role("link", name="Kono-Khrushchev talks", exact=True)).to_be_visible()
    screenshot(page, "event-detail")

    page.get_by_role("link", name="Ichiro Kono").first.click()
    page.get_by_role("link", name="Events and documents in date order").click()
    expect(page.get_by_role("heading", name="Chronology of Ichiro Kono")).to_be_visible()
    rows = page.locator("table.chronology tbody tr")
    expect(rows.filter(has_text="Signing of the Japan-Soviet Joint Declaration")).to_contain_text(
        "signatory"
    )
    screenshot(page, "person-chronology")


def test_timeline_merges_events_and_documents(live_archive: str, page: Page) -> None:
    page.goto(live_archive)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Timeline").click()
    expect(page.get_by_role("heading", name="Timeline", level=1)).to_be_visible()
    page.get_by_role("navigation", name="Decades").get_by_role("link", name="1950s").click()
    page.get_by_role("navigation", name="Years").get_by_role("link", name="1956").click()
    year = page.locator("section#y1956")
    # the signing (an event) and the declaration it produced (a document), in one year
    signing = year.locator("li.event", has_text="Signing of the Japan-Soviet Joint Declaration")
    expect(signing).to_be_visible()
    expect(year.locator("li.record:not(.event)").first).to_be_visible()
    screenshot(page, "timeline-1956")
    signing.get_by_role("link").click()
    expect(
        page.get_by_role("heading", name="Signing of the Japan-Soviet Joint Declaration")
    ).to_be_visible()
