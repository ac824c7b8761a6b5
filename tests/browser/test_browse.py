"""The public site in a real browser: facets, chips, the date histogram, search in three scripts."""

import re

import pytest
from playwright.sync_api import Page, expect

from documents.models import Document
from people.models import Agent

from .conftest import screenshot

pytestmark = [pytest.mark.browser]


def result_count(page: Page) -> int:
    text = page.locator("#results-title").inner_text()
    return int(re.match(r"\d+", text).group())


def facet_link(page: Page, facet: str, label: str):  # type: ignore[no-untyped-def]
    return page.locator(
        f"#facet-{facet} a.facet-value", has_text=re.compile(rf"^.?{label}\b", re.I)
    )


def test_browse_select_and_remove_facets(live_archive: str, page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_archive}/documents/")
    public = Document.objects.public()
    assert result_count(page) == public.count()
    letters_before = facet_link(page, "form", "letter").locator(".count").inner_text().split()[0]

    facet_link(page, "language", "Japanese").click()
    japanese = public.filter(languages__code="ja").count()
    expect(page.locator("#results-title")).to_contain_text(f"{japanese} result")
    expect(page.get_by_role("link", name=re.compile("Language: Japanese"))).to_be_visible()
    # the form counts now count Japanese documents only
    letters = public.filter(languages__code="ja", document_type__code="letter").count()
    expect(facet_link(page, "form", "letter").locator(".count")).to_have_text(
        re.compile(rf"^{letters}\b")
    )
    assert str(letters) != letters_before

    # a second language widens (OR), a form narrows (AND)
    facet_link(page, "language", "Russian").click()
    either = public.filter(languages__code__in=["ja", "ru"]).distinct().count()
    expect(page.locator("#results-title")).to_contain_text(f"{either} result")
    facet_link(page, "form", "letter").click()
    both = (
        public.filter(languages__code__in=["ja", "ru"], document_type__code="letter")
        .distinct()
        .count()
    )
    expect(page.locator("#results-title")).to_contain_text(f"{both} result")
    screenshot(page, "browse-documents-filtered")

    # remove the chips one by one
    page.get_by_role("link", name=re.compile("Documentary form: letter")).click()
    expect(page.locator("#results-title")).to_contain_text(f"{either} result")
    page.get_by_role("link", name="Clear all").click()
    expect(page.locator("#results-title")).to_contain_text(f"{public.count()} result")
    screenshot(page, "browse-documents")


def test_histogram_click_and_brush_set_the_date_range(live_archive: str, page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_archive}/documents/")
    page.locator('svg.bars a[data-year="1956"]').click()
    expect(page).to_have_url(re.compile(r"date_from=1956&date_to=1956"))
    expect(page.get_by_role("link", name=re.compile("From: 1956"))).to_be_visible()
    # drag across the histogram: a range of years
    box = page.locator("svg.bars").bounding_box()
    y = box["y"] + box["height"] * 0.5
    page.mouse.move(box["x"] + 2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, y, steps=5)
    page.mouse.move(box["x"] + box["width"] - 2, y, steps=5)
    page.mouse.up()
    expect(page).to_have_url(re.compile(r"date_from=\d{4}&date_to=\d{4}"))
    expect(page.locator("#date-from")).not_to_have_value("")
    assert page.locator("#date-from").input_value() < page.locator("#date-to").input_value()


def test_search_in_latin_cyrillic_and_japanese(live_archive: str, page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_archive}/")
    screenshot(page, "home")
    khrushchev = Agent.objects.get(identifier="khrushchev-nikita").name
    kono = Agent.objects.get(identifier="kono-ichiro").name
    for query, name in (("Хрущёв", khrushchev), ("Khrushchov", khrushchev), ("河野", kono)):
        page.goto(f"{live_archive}/")
        page.get_by_label(re.compile("Search documents, texts")).fill(query)
        page.get_by_label(re.compile("Search documents, texts")).press("Enter")
        expect(page).to_have_url(re.compile(r"/search/\?q="))
        expect(page.locator(".hits").get_by_role("link", name=name)).to_be_visible()
        expect(page.locator(".hits mark").first).to_be_visible()
    page.goto(f"{live_archive}/search/?q=Kono")
    expect(page.locator(".hits").get_by_role("link", name=kono)).to_be_visible()
    screenshot(page, "search")
    # the search page's facets lead to the browse page with the query kept
    page.locator("#facet-language a.facet-value").first.click()
    expect(page).to_have_url(re.compile(r"/documents/\?q=Kono&language="))
    expect(page.locator(".records .snippet").first).to_be_visible()


def test_people_browse_and_small_screen(live_archive: str, page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_archive}/people/")
    facet_link(page, "kind", "person").click()
    persons = Agent.objects.public().filter(kind="person").count()
    expect(page.locator("#results-title")).to_contain_text(f"{persons} result")
    screenshot(page, "people-mobile")
    page.goto(f"{live_archive}/")
    screenshot(page, "home-mobile")
