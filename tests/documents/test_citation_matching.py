"""Scholars' notes not yet matched to the archive's records: suggestions for curators.

Uses the founding collection: Saito's notes cite newspapers of the day and Soviet sources, and
the memorandum of the Khrushchev–Kono conversations has the RGANI reference
"RGANI, f. 52, op. 1, d. 596, ll. 61-66".
"""

from datetime import date

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from archive.workflow import CONTRIBUTOR
from documents.citation_matching import dates_in, suggest_documents
from documents.models import Citation, Publication
from tests.forms import default_button

pytestmark = pytest.mark.django_db

MEMCON = "memcon-khrushchev-kono-1956-10-18"


def note(text: str, number: int = 900) -> Citation:
    publication = Publication.objects.filter(citations__isnull=False).first()
    return Citation.objects.create(publication=publication, kind="note", number=number, text=text)


def suggested(citation: Citation) -> list[str]:
    return [s.document.identifier for s in suggest_documents(citation)]


def test_dates_are_read_in_the_forms_notes_use() -> None:
    assert dates_in("Asahi Shimbun, December 11, 1954.") == [date(1954, 12, 11)]
    assert dates_in("Pravda, 19 Oct. 1956, p. 1") == [date(1956, 10, 19)]
    assert dates_in("Известия, 1956. 3. 21.") == [date(1956, 3, 21)]
    assert dates_in("朝日新聞、1956年10月20日") == [date(1956, 10, 20)]
    assert dates_in("1956-02-30 and February 30, 1956") == []  # impossible dates are not dates


def test_a_reference_written_in_the_note_ranks_its_document_first() -> None:
    citation = note("Memorandum of conversation, RGANI, f. 52, op. 1, d. 596, ll. 61-66.")
    [best, *_] = suggest_documents(citation)
    assert best.document.identifier == MEMCON
    assert any("RGANI" in reason for reason in best.reasons)


def test_a_newspaper_note_suggests_what_happened_the_day_before() -> None:
    citation = note("Asahi Shimbun, December 11, 1954.")
    assert "statement-hatoyama-press-conference-1954-12-10" in suggested(citation)


def test_a_russian_dated_note_finds_the_decision_of_that_day() -> None:
    citation = note("Известия, 1956. 3. 21.")
    assert suggested(citation)[0] == "decision-council-of-ministers-bulganin-line-1956-03-21"


def test_a_note_with_no_evidence_gets_no_suggestion() -> None:
    assert suggested(note("Op. cit., p. 12.")) == []


def test_curators_list_unmatched_notes_and_accept_a_suggestion_with_one_click() -> None:
    citation = note("RGANI, f. 52, op. 1, d. 596, ll. 61-66.")
    user = User.objects.create_user("t-cm-carol", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=CONTRIBUTOR))
    client = Client()
    client.force_login(user)

    unmatched = client.get("/admin/documents/citation/?matched=no").content.decode()
    assert f"/admin/documents/citation/{citation.pk}/change/" in unmatched
    matched = client.get("/admin/documents/citation/?matched=yes").content.decode()
    assert f"/admin/documents/citation/{citation.pk}/change/" not in matched

    page = client.get(f"/admin/documents/citation/{citation.pk}/change/").content.decode()
    [best, *_] = suggest_documents(citation)
    assert f'name="document" value="{best.document.pk}"' in page
    # Enter in a field of the citation saves it: the suggestions' buttons are another form's
    assert default_button(page, "citation_form")["name"] == "_save"
    assert default_button(page, "one-click")["value"] == str(best.document.pk)

    history_before = citation.history.count()
    response = client.post(
        f"/admin/documents/citation/{citation.pk}/cite-document/", {"document": best.document.pk}
    )
    assert response.status_code == 302
    citation.refresh_from_db()
    assert citation.cited_document.identifier == MEMCON
    assert citation.history.count() == history_before + 1
    assert citation.history.first().history_user == user


def test_the_list_filters_by_the_publications_that_have_notes() -> None:
    client = Client()
    client.force_login(User.objects.create_superuser("t-cm-admin", "a@example.org", "pw"))
    page = client.get("/admin/documents/citation/").content.decode()
    citing = Publication.objects.filter(citations__isnull=False).distinct()
    uncited = Publication.objects.filter(citations__isnull=True).first()
    for publication in citing:
        assert f"?publication__id__exact={publication.pk}" in page
    assert f"?publication__id__exact={uncited.pk}" not in page


def test_accepting_needs_the_change_permission() -> None:
    citation = note("RGANI, f. 52, op. 1, d. 596, ll. 61-66.")
    client = Client()
    client.force_login(User.objects.create_user("t-cm-nobody", password="pw", is_staff=True))
    response = client.post(
        f"/admin/documents/citation/{citation.pk}/cite-document/", {"document": 1}
    )
    assert response.status_code == 403
    citation.refresh_from_db()
    assert citation.cited_document is None
    assert client.get(f"/admin/documents/citation/{citation.pk}/cite-document/").status_code == 403


@pytest.mark.parametrize(("path", "document"), [("{pk}", "abc"), ("{pk}", ""), ("abc", "1")])
def test_a_malformed_click_is_refused_not_an_error(path: str, document: str) -> None:
    citation = note("RGANI, f. 52, op. 1, d. 596, ll. 61-66.")
    client = Client()
    client.force_login(User.objects.create_superuser("t-cm-admin", "a@example.org", "pw"))
    url = f"/admin/documents/citation/{path.format(pk=citation.pk)}/cite-document/"
    response = client.post(url, {"document": document}, follow=True)
    assert response.status_code == 200
    citation.refresh_from_db()
    assert citation.cited_document is None
