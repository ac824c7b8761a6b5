"""Text genealogies in a real browser: the list, the Article 9 chain, two steps compared."""

import pytest
from playwright.sync_api import Page, expect

from .conftest import screenshot

pytestmark = [pytest.mark.browser]

ARTICLE_9 = "Article 9 of the Japan–Soviet Joint Declaration"
MEMCON = "memcon-khrushchev-kono-1956-10-18"


def test_genealogy_list_chain_and_comparison(live_archive: str, page: Page) -> None:
    page.goto(f"{live_archive}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Genealogies").click()
    expect(page.get_by_role("heading", name="Text genealogies", level=1)).to_be_visible()
    row = page.get_by_role("row", name=ARTICLE_9)
    expect(row).to_contain_text("4")
    expect(row).to_contain_text("17–19 October 1956")
    screenshot(page, "genealogy-list")

    row.get_by_role("link", name=ARTICLE_9).click()
    expect(page.get_by_role("heading", name=ARTICLE_9, level=1)).to_be_visible()
    steps = page.locator("table.genealogy-steps tbody tr")
    expect(steps).to_have_count(4)
    expect(steps.nth(0)).to_contain_text("Government of the USSR")
    expect(steps.nth(1)).to_contain_text("Counter-draft")
    expect(steps.nth(3)).to_contain_text("Signed")
    # the first two steps are compared to begin with
    expect(page.locator(".diff-side")).to_have_count(2)
    screenshot(page, "genealogy-chain")

    # choose Kono's counter-draft and the wording agreed on 18 October
    page.get_by_label("Earlier text").select_option(f"{MEMCON}:kono-draft-article-9-en")
    page.get_by_label("Later text").select_option(f"{MEMCON}:agreed-article-9-en")
    page.get_by_role("button", name="Compare").click()
    expect(page).to_have_url(
        f"{live_archive}/genealogies/joint-declaration-1956-article-9/"
        f"?a={MEMCON}%3Akono-draft-article-9-en&b={MEMCON}%3Aagreed-article-9-en#comparison"
    )
    expect(page.get_by_role("status")).to_have_text("4 words removed, 0 words added. removed added")
    removed = page.locator(".diff-side").nth(0).locator("del")
    expect(removed).to_have_text([", including the territorial question,"])
    expect(removed).to_be_in_viewport()
    expect(page.locator(".diff-side").nth(1).locator("ins")).to_have_count(0)
    screenshot(page, "genealogy-compare")

    # "compare with the next step" from the agreed wording: the signed text rewords it
    steps.nth(2).get_by_role("link", name="Compare with the next step").click()
    expect(page.locator(".diff-side").nth(1).locator("ins").first).to_be_visible()
    expect(page.locator(".diff-side").nth(1)).to_contain_text("Union of Soviet Socialist Republics")
    screenshot(page, "genealogy-next-step")

    # from a step's document back to the genealogy
    page.goto(f"{live_archive}/documents/{MEMCON}/#text-kono-draft-article-9-en")
    page.locator("#text-kono-draft-article-9-en").get_by_role("link", name=ARTICLE_9).click()
    expect(page.get_by_role("heading", name=ARTICLE_9, level=1)).to_be_visible()
