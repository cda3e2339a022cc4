"""Every page type: accessibility (axe), phone layout, and working without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import check_accessibility, fits_the_viewport

expect.set_options(timeout=10_000)


def answer_questionnaire(page, state="CA", zip_code=None) -> None:
    page.goto("/match")
    page.get_by_label("The state you'll be in during sessions").select_option(state)
    if zip_code:
        page.get_by_label("Your ZIP code").fill(zip_code)
    page.get_by_role("button", name="Show my matches").click()
    expect(page).to_have_url(re.compile(r"/match/results$"))


def first_profile(page) -> str:
    page.goto("/therapists?q=attachment")
    return page.locator("li.result h3 a").first.get_attribute("href")


def page_types(page):
    """Yield (label, expected status) after navigating to each page type in turn."""
    for label, path, status in [
        ("home", "/", 200),
        ("directory", "/therapists", 200),
        ("directory search", "/therapists?q=attachment&state=CA", 200),
        ("empty search", "/therapists?q=zzzzqqq&language=ja&state=WY", 200),
        ("invalid search", "/therapists?state=ZZ&max_fee=-1", 400),
        ("how matching works", "/match/how-it-works", 200),
        ("not found", "/therapists/nobody-at-all", 404),
    ]:
        response = page.goto(path)
        assert response.status == status, label
        yield label
    profile = first_profile(page)
    page.goto(profile)
    yield "profile"
    page.goto(profile + "/contact")
    yield "consultation request"
    page.get_by_label("Your name").fill("Pat Example")
    page.get_by_label("Your email").fill(f"pat-{page.viewport_size['width']}@example.net")
    page.get_by_label("Your message").fill("I'd like a first conversation.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("heading", name="Your request was sent")).to_be_visible()
    yield "request sent"
    page.goto("/match")
    yield "questionnaire"
    page.get_by_label("Your ZIP code").fill("00000")
    page.get_by_role("button", name="Show my matches").click()
    expect(page.locator("#error-summary")).to_be_visible()
    yield "invalid questionnaire"
    answer_questionnaire(page)
    yield "results"
    for _ in range(2):
        with page.expect_navigation():
            page.locator("li.match button:has-text('Add to compare')").first.click()
    page.goto("/compare")
    yield "compare"
    page.goto("/match/kit")
    yield "consultation kit"
    page.goto("/match")
    page.get_by_label("The state you'll be in during sessions").select_option("WY")
    page.get_by_label("In person", exact=True).check()
    page.get_by_label("Your ZIP code").fill("82001")
    page.get_by_role("button", name="Show my matches").click()
    expect(page.get_by_text("No one meets every requirement")).to_be_visible()
    yield "empty results"


def test_every_page_type_passes_axe(page):
    seen = [check_accessibility(page, label) or label for label in page_types(page)]
    assert len(seen) == 16


def test_every_page_type_fits_a_phone(phone):
    narrow = [label for label in page_types(phone) if not fits_the_viewport(phone)]
    assert not narrow, f"sideways scrolling at 375 px on: {narrow}"


@pytest.mark.parametrize("name", ["home", "questionnaire", "results", "profile", "directory"])
def test_phone_screenshots(phone, name, screenshot):
    if name == "home":
        phone.goto("/")
    elif name == "questionnaire":
        phone.goto("/match")
    elif name == "results":
        answer_questionnaire(phone, "OH")
    elif name == "profile":
        phone.goto(first_profile(phone))
    else:
        phone.goto("/therapists?q=attachment")
    assert fits_the_viewport(phone)
    screenshot(phone, f"{name}-phone")


def test_everything_works_without_javascript(no_js):
    page = no_js
    page.goto("/therapists")
    page.get_by_label("Search", exact=True).fill("dialectical")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".result-count")).to_contain_text("for “dialectical”")
    page.locator("li.result h3 a").first.click()
    expect(page.get_by_role("heading", name="License receipt")).to_be_visible()
    page.get_by_role("button", name="Add to compare").click()
    answer_questionnaire(page, "CA", "94103")
    expect(page.locator("li.match").first).to_be_visible()
    page.locator("details.breakdown").nth(3).locator("summary").click()
    page.locator("li.match button:has-text('Add to compare')").first.click()
    page.goto("/compare")
    expect(page.locator("table.compare thead th")).to_have_count(2)
    page.goto("/match/kit")
    expect(page.locator(".kit-person")).to_have_count(2)
    page.goto("/match")
    page.get_by_role("button", name="Forget my answers").click()
    expect(page.get_by_text("Your answers and shortlist were cleared")).to_be_visible()
