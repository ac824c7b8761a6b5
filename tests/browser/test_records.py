"""Record pages in a real browser: text tabs, comparing two texts, downloading a citation,
and a person page with its relation graph."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import screenshot

pytestmark = [pytest.mark.browser]

MEMCON = "memcon-khrushchev-kono-1956-10-18"


def test_document_tabs_compare_and_cite(live_archive: str, page: Page, tmp_path: Path) -> None:
    page.goto(f"{live_archive}/documents/{MEMCON}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Memorandum of Conversation")

    # the texts are tabs: one panel shown at a time, switched by click and by arrow keys
    tabs = page.get_by_role("tab")
    expect(tabs).to_have_count(3)
    translation = page.locator("#texts-en-translation")
    draft = page.locator("#texts-en-draft")
    expect(translation).to_be_visible()
    expect(draft).to_be_hidden()
    page.get_by_role("tab", name="English · Draft").click()
    expect(draft).to_be_visible()
    expect(translation).to_be_hidden()
    expect(page.get_by_role("tab", name="English · Draft")).to_have_attribute(
        "aria-selected", "true"
    )
    page.keyboard.press("ArrowRight")
    expect(page.locator("#texts-en-agreed")).to_be_visible()
    expect(page.get_by_role("tab", name="English · Agreed text")).to_be_focused()
    screenshot(page, "document-memcon")

    # a link to one text opens its tab
    page.goto(f"{live_archive}/documents/{MEMCON}/#text-kono-draft-article-9-en")
    expect(page.locator("#text-kono-draft-article-9-en")).to_be_visible()
    expect(translation).to_be_hidden()

    # compare: the form starts with neighbouring steps of the Article 9 genealogy; choose the
    # signed text of the Joint Declaration as the later one
    page.get_by_label("Later text").select_option("joint-declaration-1956:article-9-en")
    page.get_by_role("button", name="Compare").click()
    expect(page).to_have_url(
        f"{live_archive}/documents/{MEMCON}/compare/"
        "?a=kono-draft-article-9-en&b=joint-declaration-1956%3Aarticle-9-en"
    )
    expect(page.locator(".diff-side del").first).to_be_visible()
    expect(page.locator(".diff-side").nth(0).locator("del")).to_contain_text(
        ["including the territorial question"]
    )
    expect(page.locator(".diff-side").nth(1).locator("ins").first).to_be_visible()
    screenshot(page, "document-compare")

    # download the BibTeX citation
    page.goto(f"{live_archive}/documents/{MEMCON}/")
    with page.expect_download() as info:
        page.locator(".cite").get_by_role("link", name="BibTeX").click()
    download = info.value
    assert download.suggested_filename == f"{MEMCON}.bib"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    text = target.read_text(encoding="utf-8")
    assert text.startswith(f"@unpublished{{{MEMCON},")
    assert "RGANI, f. 52, op. 1, d. 596, ll. 61-66" in text


def test_document_texts_without_javascript(live_archive: str, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_archive}/documents/{MEMCON}/")
    # every text is shown, and the tab list is a list of links to them
    for key in ("transcript-en", "kono-draft-article-9-en", "agreed-article-9-en"):
        expect(page.locator(f"#text-{key}")).to_be_visible()
    page.get_by_role("link", name="English · Draft").click()
    expect(page).to_have_url(f"{live_archive}/documents/{MEMCON}/#texts-en-draft")
    context.close()


def test_person_page(live_archive: str, page: Page) -> None:
    page.goto(f"{live_archive}/people/khrushchev-nikita/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nikita Khrushchev")
    expect(page.locator("li[lang=ru]", has_text="Никита Хрущёв")).to_be_visible()
    graph = page.locator("svg.graph")
    expect(graph).to_be_visible()
    screenshot(page, "person-khrushchev")
    graph.locator("a[href='/people/molotov-vyacheslav/']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vyacheslav Molotov")
