"""A full curator flow in a real browser: a contributor drafts, a reviewer publishes."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Page, expect

from archive.workflow import CONTRIBUTOR, REVIEWER
from people.models import Agent, AgentRelationType

from .conftest import screenshot

pytestmark = [pytest.mark.browser]


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Site administration")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()


def choose(page: Page, select_id: str, text: str) -> None:
    """Pick ``text`` in the autocomplete (select2) widget that replaces ``<select id=...>``."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def staff(username: str, group: str) -> None:
    user = User.objects.create_user(username, password="correct horse battery", is_staff=True)
    user.groups.add(Group.objects.get(name=group))


def test_draft_submit_publish_and_see_it_public(live_archive: str, page: Page) -> None:
    staff("carol", CONTRIBUTOR)
    staff("rita", REVIEWER)
    Agent.objects.create(
        identifier="t-br-mentor", kind="person", name="Mentor Person", status="published"
    )
    AgentRelationType.objects.get_or_create(
        code="t-br-adviser-to", defaults={"label": "adviser to", "inverse_label": "advised by"}
    )

    # the contributor describes a new person, with a name form and a relation, as a draft
    log_in(page, live_archive, "carol")
    page.goto(f"{live_archive}/admin/people/agent/add/")
    page.locator("#id_identifier").fill("t-br-new-person")
    page.locator("#id_kind").select_option("person")
    page.locator("#id_name").fill("Test Newperson")
    page.get_by_text("Add another Name form").click()
    page.locator("#id_name_forms-0-name").fill("テスト")
    choose(page, "id_name_forms-0-language", "Japanese")
    page.locator("#id_name_forms-0-script").select_option("Jpan")
    page.locator("#id_name_forms-0-kind").select_option("original")
    page.get_by_text("Add another Agent relation").click()
    choose(page, "id_relations_out-0-relation_type", "adviser to")
    choose(page, "id_relations_out-0-target", "Mentor Person")
    page.locator("#id_relations_out-0-date_edtf").fill("Showa 31")
    status_options = page.locator("#id_status option").all_inner_texts()
    assert status_options == ["Draft", "In review"]  # a contributor cannot publish
    screenshot(page, "admin-agent-draft")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    # ... and submits it for review
    page.goto(f"{live_archive}/admin/people/agent/?q=t-br-new-person")
    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option("submit_for_review")
    page.get_by_role("button", name="Run").click()
    expect(page.locator(".messagelist")).to_contain_text("now in review")
    assert page.request.get(f"{live_archive}/people/t-br-new-person/").status == 404
    log_out(page)

    # the reviewer publishes the person and the relation
    log_in(page, live_archive, "rita")
    for changelist in ("people/agent/?q=t-br-new-person", "people/agentrelation/?q=Newperson"):
        page.goto(f"{live_archive}/admin/{changelist}")
        page.locator("#action-toggle").check()
        page.locator("select[name=action]").select_option("publish")
        page.get_by_role("button", name="Run").click()
        expect(page.locator(".messagelist")).to_contain_text("now published")

    # the public sees it, with its name form and the relation
    page.goto(f"{live_archive}/people/t-br-new-person/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Test Newperson")
    expect(page.locator("li[lang=ja]")).to_contain_text("テスト")
    expect(page.get_by_role("link", name="Mentor Person")).to_be_visible()
    screenshot(page, "public-person-published")
