"""The research tools in a real browser, on the founding collection: the identifier concordance,
scholars' notes matched to records, the network of people and names across scripts."""

import re

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Page, expect

from archive.models import IdentifierScheme
from archive.workflow import REVIEWER
from documents.models import Citation, Document, Identifier
from people.models import Agent, NameForm, Transliteration

from .conftest import screenshot

pytestmark = [pytest.mark.browser]

MEMCON = "memcon-khrushchev-kono-1956-10-18"
MEMCON_TITLE = "Memorandum of Conversation between N.S. Khrushchev and Kono on October 18, 1956"
SAITO = "saito-negotiations-normalize-japan-soviet-relations"
SAITO_TITLE = "Negotiations to Normalize Japan-Soviet Diplomatic Relations"
BULGANIN_LINE = "decision-council-of-ministers-bulganin-line-1956-03-21"


def log_in_as_reviewer(page: Page, base: str) -> None:
    user = User.objects.create_user("rita", password="correct horse battery", is_staff=True)
    user.groups.add(Group.objects.get(name=REVIEWER))
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Site administration")).to_be_visible()


def look_up(page: Page, identifier: str) -> None:
    page.get_by_label("Identifier", exact=True).fill(identifier)
    page.get_by_role("button", name="Look up").click()


def test_any_identifier_finds_the_document_and_where_it_is_held(
    live_archive: str, page: Page
) -> None:
    document = Document.objects.get(identifier=MEMCON)
    doi = IdentifierScheme.objects.get(code="doi")
    Identifier.objects.create(document=document, scheme=doi, value="10.1234/Kiroku.5678")

    # from the home page, with the reference as a footnote gives it
    page.goto(f"{live_archive}/")
    page.get_by_label("Find a document by a reference or identifier").fill(
        "RGANI, f. 52, op. 1, d. 596, ll. 61-66"
    )
    screenshot(page, "home-identifier-lookup")
    page.get_by_role("button", name="Look up").click()
    expect(page.get_by_role("heading", name="Find a document by any identifier")).to_be_visible()
    expect(page.get_by_role("heading", name="1 document found")).to_be_visible()
    found = page.locator("article.concordance")
    expect(found.get_by_role("heading", level=3)).to_have_text(MEMCON_TITLE)
    expect(found.locator(".matched")).to_have_text(
        "Matched: RGANI archival reference — RGANI, f. 52, op. 1, d. 596, ll. 61-66"
    )
    held = found.locator("h4:text-is('Held and published') + ul > li")
    expect(held.filter(has_text="Original")).to_contain_text("Russian State Archive")
    translation = held.filter(has_text="Published translation")
    expect(translation).to_contain_text("Wilson Center Digital Archive")
    expect(translation.get_by_role("link", name="208807")).to_have_attribute(
        "href", "https://digitalarchive.wilsoncenter.org/document/208807"
    )
    expect(found.locator("h4:text-is('Identifiers') + ul")).to_contain_text(
        "DOI: 10.1234/Kiroku.5678"
    )
    screenshot(page, "resolve-rgani-reference")

    # other spellings of the same document's identifiers
    for spelling, matched in [
        ("rgani f.52 op.1 d.596 ll.61–66", "Matched: RGANI archival reference"),
        ("208807", "Matched: Wilson Center Digital Archive record ID — 208807"),
        (
            "https://digitalarchive.wilsoncenter.org/document/208807",
            "Matched: Wilson Center Digital Archive record ID — 208807",
        ),
        ("doi:10.1234/KIROKU.5678", "Matched: DOI — 10.1234/Kiroku.5678"),
        ("https://doi.org/10.1234/kiroku.5678", "Matched: DOI — 10.1234/Kiroku.5678"),
    ]:
        look_up(page, spelling)
        expect(page.get_by_label("Identifier", exact=True)).to_have_value(spelling)
        expect(found).to_have_count(1)
        expect(found.get_by_role("heading", level=3)).to_have_text(MEMCON_TITLE)
        expect(found.locator(".matched")).to_contain_text(matched)

    # a reference without its leaves, with or without the archive's name, is a partial match
    for partial in ("RGANI, f. 52, op. 1, d. 596", "f. 52, op. 1, d. 596"):
        look_up(page, partial)
        expect(found).to_have_count(1)
        expect(found.locator(".matched")).to_have_text(
            re.compile(r"^Partly matched: .* — RGANI, f\. 52, op\. 1, d\. 596, ll\. 61-66$")
        )
    screenshot(page, "resolve-partial-reference")

    # an identifier nobody holds, and one that is no identifier at all
    look_up(page, "RGANI, f. 5, op. 30, d. 1234")
    expect(page.get_by_role("heading", name="0 documents found")).to_be_visible()
    expect(
        page.get_by_text("No public document has the identifier “RGANI, f. 5, op. 30")
    ).to_be_visible()
    screenshot(page, "resolve-unknown")
    look_up(page, "--//--")
    expect(page.get_by_role("alert")).to_have_text(
        "Identifier: An identifier needs at least one letter or digit."
    )
    expect(page.get_by_label("Identifier", exact=True)).to_have_attribute("aria-invalid", "true")
    screenshot(page, "resolve-error")

    # and on to the document itself
    look_up(page, "208807")
    found.get_by_role("link", name=MEMCON_TITLE).click()
    expect(page).to_have_url(f"{live_archive}/documents/{MEMCON}/")
    expect(page.get_by_role("heading", name=MEMCON_TITLE, level=1)).to_be_visible()


def test_a_publications_notes_lead_to_the_records_and_back(live_archive: str, page: Page) -> None:
    page.goto(f"{live_archive}/documents/publications/{SAITO}/")
    expect(page.get_by_role("heading", name=SAITO_TITLE, level=1)).to_be_visible()
    notes = page.locator("section", has=page.get_by_role("heading", name="Notes"))
    note = notes.locator("#note-40")
    expect(note).to_have_attribute("value", "40")  # the list shows the note's own number
    expect(note).to_contain_text("Источник, No.6 (1996), с.116-129")
    expect(note.locator(".meta")).to_have_text("(pp. 116-129)")
    single_page = notes.locator("#note-1 .meta")
    expect(single_page).to_have_text("(p. 276)")
    expect(note.get_by_role("link", name=MEMCON_TITLE)).to_be_visible()
    screenshot(page, "publication-notes")

    note.get_by_role("link", name=MEMCON_TITLE).click()
    expect(page.get_by_role("heading", name=MEMCON_TITLE, level=1)).to_be_visible()
    cited_in = page.locator("ul.citing > li", has_text=SAITO_TITLE)
    expect(cited_in).to_contain_text("note 40, pp. 116-129")
    screenshot(page, "document-cited-in")

    cited_in.get_by_role("link", name="note 40").click()
    expect(page).to_have_url(f"{live_archive}/documents/publications/{SAITO}/#note-40")
    expect(page.locator("#note-40")).to_be_in_viewport()


def test_a_curator_matches_a_note_to_a_suggested_record(live_archive: str, page: Page) -> None:
    # the Izvestia note, unlinked as though it had just been imported
    citation = Citation.objects.get(publication__identifier=SAITO, kind="note", number=24)
    assert citation.cited_document.identifier == BULGANIN_LINE
    Citation.objects.filter(pk=citation.pk).update(cited_document=None, cited_publication=None)

    log_in_as_reviewer(page, live_archive)
    page.goto(f"{live_archive}/admin/documents/citation/")
    page.locator("#changelist-filter").get_by_role("link", name="Not yet matched").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    screenshot(page, "admin-citations-unmatched")
    page.locator("#result_list tbody tr").get_by_role("link", name="note 24").click()

    suggestions = page.locator(".field-suggested_documents")
    expect(suggestions).to_contain_text("dated the same date (1956-03-21)")
    screenshot(page, "admin-citation-suggestions")

    # Enter in another field saves the citation; it does not accept a suggestion
    page.locator("#id_label").fill("Izvestia")
    page.locator("#id_label").press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    citation.refresh_from_db()
    assert citation.label == "Izvestia"
    assert citation.cited_document is None

    page.locator("#result_list tbody tr").get_by_role("link", name="note 24").click()
    suggestion = page.locator(".field-suggested_documents p", has_text="1956-03-21")
    suggestion.get_by_role("button", name="Cites this").click()
    expect(page.locator(".messagelist")).to_contain_text("now cites “Decision of the USSR")
    citation.refresh_from_db()
    assert citation.cited_document.identifier == BULGANIN_LINE
    expect(page.locator(".field-cited_document")).to_contain_text("Bulganin Line")
    screenshot(page, "admin-citation-matched")

    page.get_by_role("link", name="History").click()
    expect(page.locator("#change-history")).to_contain_text("Matched to a suggested document")
    assert citation.history.filter(
        history_change_reason="Matched to a suggested document", history_user__username="rita"
    ).exists()

    # the public page of the note now links the record
    page.goto(f"{live_archive}/documents/publications/{SAITO}/#note-24")
    expect(
        page.locator("#note-24").get_by_role("link", name=re.compile("Bulganin Line"))
    ).to_be_visible()


def test_the_network_its_filters_and_a_connection(live_archive: str, page: Page) -> None:
    page.goto(f"{live_archive}/people/")
    page.get_by_role("link", name="The whole network of people").click()
    expect(page.get_by_role("heading", name="Network of people", level=1)).to_be_visible()
    graph = page.locator("svg.network-graph")
    expect(graph).to_be_visible()
    all_edges = graph.locator("g.edges line").count()
    assert all_edges > 50
    figure = page.locator("figure.network").bounding_box()
    drawing = graph.bounding_box()
    assert figure is not None
    assert drawing is not None
    assert drawing["width"] <= figure["width"] + 1
    screenshot(page, "network")

    # negotiating counterparts in 1956 only
    page.get_by_label("negotiating counterpart of").check()
    page.get_by_label("From", exact=True).first.fill("1956")
    page.get_by_label("To", exact=True).first.fill("1956-12-31")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"relation_type=negotiating-counterpart-of"))
    rows = page.locator("table.relations tbody tr")
    count = rows.count()
    assert 0 < count < all_edges
    expect(graph.locator("g.edges line")).to_have_count(count)
    for relation in rows.locator("td:nth-child(2)").all_inner_texts():
        assert relation == "negotiating counterpart of"
    # each line links to a supporting document, or to the relation's row
    for link in graph.locator("g.edges > a").all():
        href = link.get_attribute("href") or ""
        assert href.startswith("/documents/") or page.locator(href).count() == 1, href
    first_document = graph.locator("g.edges > a[href^='/documents/']").first
    href = first_document.get_attribute("href")
    assert rows.locator(f"td:last-child a[href='{href}']").count() >= 1
    screenshot(page, "network-filtered")

    # a period that makes no sense: an error naming the field, no graph
    page.get_by_label("From", exact=True).first.fill("1957")
    page.get_by_label("To", exact=True).first.fill("1956")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_have_text("To: The end of the period is before its start.")
    expect(graph).to_have_count(0)
    page.get_by_label("From", exact=True).first.fill("19x6")
    page.get_by_label("To", exact=True).first.fill("")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_have_text("From: Enter a valid date.")
    expect(page.get_by_label("From", exact=True).first).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("To", exact=True).first).not_to_have_attribute("aria-invalid", "true")
    screenshot(page, "network-error")

    # from Hatoyama to Khrushchev, named in Cyrillic
    page.goto(f"{live_archive}/people/network/")
    finder = page.locator("form.connection-form")
    finder.get_by_label("From").fill("Ichiro Hatoyama")
    finder.get_by_label("To").fill("Никита Хрущёв")
    finder.get_by_role("button", name="Find").click()
    expect(
        page.get_by_role("heading", name="How are two people connected?", level=1)
    ).to_be_visible()
    expect(page.get_by_text("Connected in 1 step:")).to_be_visible()
    step = page.locator("ol.connection > li")
    expect(step).to_have_count(1)
    expect(step).to_contain_text("Ichiro Hatoyama appears with Nikita Khrushchev")
    expect(step.get_by_role("link", name=MEMCON_TITLE)).to_have_attribute(
        "href", f"/documents/{MEMCON}/"
    )
    screenshot(page, "network-connection")

    # someone the archive does not know
    page.get_by_label("To").fill("Nobody Atall")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("alert")).to_have_text(
        "To: No public person or organization is called “Nobody Atall”."
    )
    expect(page.get_by_label("To")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("From")).to_have_value("Ichiro Hatoyama")
    screenshot(page, "network-connection-error")


def test_a_curator_adds_proposed_romanizations(live_archive: str, page: Page) -> None:
    kono = Agent.objects.get(identifier="kono-ichiro")
    kono.name_forms.filter(transliteration=Transliteration.HEPBURN).delete()
    log_in_as_reviewer(page, live_archive)

    page.goto(f"{live_archive}/admin/people/agent/{kono.pk}/change/")
    proposals = page.locator(".field-proposed_romanizations")
    expect(page.get_by_role("heading", name="Names in other scripts")).to_be_visible()
    hepburn = proposals.locator("p", has_text="Kōno Ichirō")
    expect(hepburn).to_contain_text("Hepburn (with macrons), from 河野一郎")
    screenshot(page, "admin-romanization-japanese")

    # Enter in another field saves the agent; it does not add the proposal
    page.locator("#id_sort_name").press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert not kono.name_forms.filter(name="Kōno Ichirō").exists()

    page.goto(f"{live_archive}/admin/people/agent/{kono.pk}/change/")
    hepburn.get_by_role("button", name="Add as a name form").click()
    expect(page.locator(".messagelist")).to_contain_text("Added “Kōno Ichirō” (Hepburn")
    added = kono.name_forms.get(name="Kōno Ichirō")
    assert added.transliteration == Transliteration.HEPBURN
    assert added.source == "Romanized from “河野一郎” (Hepburn (with macrons))"
    expect(proposals).to_contain_text("Every Japanese and Russian name form has its standard")

    adyrkhaev = Agent.objects.get(identifier="adyrkhaev-nikolai")
    page.goto(f"{live_archive}/admin/people/agent/{adyrkhaev.pk}/change/")
    expect(proposals.locator("p")).to_have_count(2)
    expect(proposals.locator("p", has_text="ALA-LC")).to_contain_text("Nikolaĭ Adirkhaev")
    expect(proposals.locator("p", has_text="BGN/PCGN")).to_contain_text("Nikolay Adirkhayev")
    screenshot(page, "admin-romanization-russian")
    for scheme in ("ALA-LC", "BGN/PCGN"):
        proposals.locator("p", has_text=scheme).get_by_role("button").click()
        expect(page.locator(".messagelist")).to_contain_text(f"({scheme})")
    stored = NameForm.objects.filter(agent=adyrkhaev, source__contains="“Николай Адирхаев”")
    assert sorted(stored.values_list("name", "transliteration")) == [
        ("Nikolay Adirkhayev", Transliteration.BGN_PCGN),
        ("Nikolaĭ Adirkhaev", Transliteration.ALA_LC),
    ]
