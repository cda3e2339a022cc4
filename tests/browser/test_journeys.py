"""End-to-end journeys in a real browser, as a person would make them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

expect.set_options(timeout=10_000)


def fill_questionnaire(page, persona: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Find your fit").first.click()
    expect(page.get_by_role("heading", name="Find your fit")).to_be_visible()
    if persona == "ohio":
        page.get_by_label("The state you'll be in during sessions").select_option("OH")
        page.get_by_label("Telehealth (video)").check()
        page.get_by_label("The most you can pay per session ($)").fill("80")
        page.get_by_label("I need a sliding scale").check()
        page.get_by_label("Cost is a firm limit").check()
    elif persona == "san_francisco":
        page.get_by_label("The state you'll be in during sessions").select_option("CA")
        page.get_by_label("In person", exact=True).check()
        page.get_by_label("Your ZIP code").fill("94103")
        page.get_by_text("Approaches you'd like or avoid").click()
        page.locator("input[name=approaches_liked][value=dbt]").check()
        page.get_by_label("Evening hours").check()
    elif persona == "spanish":
        page.get_by_label("The state you'll be in during sessions").select_option("TX")
        page.get_by_text("Languages", exact=True).click()
        page.locator("input[name=languages][value=es]").check()
        page.get_by_label("A language I chose is required").check()
    page.get_by_role("button", name="Show my matches").click()
    expect(page).to_have_url(re.compile(r"/match/results$"))


@pytest.mark.parametrize("persona", ["ohio", "san_francisco", "spanish"])
def test_three_people_find_their_fit(page, persona, screenshot):
    fill_questionnaire(page, persona)
    expect(page.get_by_role("heading", name="Your matches")).to_be_visible()
    cards = page.locator("li.match")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 2
    # The explanation is there as text, not only as bars.
    first = cards.first
    expect(first.locator("table.components")).to_contain_text("Cost")
    expect(first.locator(".score .num")).to_have_text(re.compile(r"^\d{1,3}$"))
    expect(page.locator("#excluded-heading")).to_be_visible()
    text = first.inner_text()
    if persona == "ohio":
        assert "sliding scale" in text
        expect(page.locator(".excluded")).to_contain_text("legally see clients in Ohio")
    elif persona == "san_francisco":
        assert "DBT" in text and re.search(r"\d+ miles? away", text)
    else:
        assert "Spanish" in first.locator("table.components").inner_text()
    if persona == "ohio":
        screenshot(page, "results-desktop")

    # Open a profile, come back, add two to compare, and print the kit.
    name = first.locator("h2 a").inner_text()
    first.locator("h2 a").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    page.go_back()
    cards.nth(0).get_by_role("button", name="Add to compare").click()
    page.locator("li.match").nth(1).get_by_role("button", name="Add to compare").click()
    page.get_by_role("link", name=re.compile(r"^Compare 2 practitioners")).click()
    expect(page.locator("table.compare thead th")).to_have_count(2)
    page.get_by_role("link", name="Print a consultation kit").click()
    expect(page.locator(".kit-person")).to_have_count(2)
    page.emulate_media(media="print")
    assert page.locator(".site-header nav").is_hidden()
    assert page.locator(".urgent").is_hidden()
    expect(page.locator(".kit-person").first).to_be_visible()
    page.emulate_media(media="screen")


def test_directory_search_with_a_typo_filters_sort_and_pages(page, screenshot):
    page.goto("/therapists")
    screenshot(page, "directory-desktop")
    page.get_by_label("Search", exact=True).fill("attachmnet")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".suggestion")).to_contain_text("Did you mean attachment?")
    page.locator(".suggestion a").click()
    count = page.locator(".result-count")
    expect(count).to_contain_text("for “attachment”")
    total = int(count.inner_text().split()[0].replace(",", ""))
    assert total > 20

    # A facet count says how many a filter would leave; applying it agrees.
    dbt = page.locator("label[for=approach-dbt] .count")
    promised = int(dbt.inner_text().strip("()"))
    page.locator("#approach-dbt").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(count).to_contain_text(f"{promised:,} practitioner")
    chip = page.get_by_role("link", name=re.compile("Remove filter: Dialectical"))
    expect(chip).to_be_visible()
    chip.click()
    expect(count).to_contain_text(f"{total:,} practitioners")

    page.get_by_label("Sort by").select_option("fee")
    page.get_by_role("button", name="Apply filters").click()
    fees = [int(re.search(r"\$(\d[\d,]*) per session", t).group(1).replace(",", ""))
            for t in page.locator("li.result .facts").all_inner_texts()]  # fmt: skip
    assert fees == sorted(fees)
    page.get_by_role("link", name="Next →").click()
    expect(page.locator(".pagination")).to_contain_text("Page 2 of")


def test_a_profile_shows_checklist_receipt_and_sample_notice(page, screenshot):
    page.goto("/therapists?q=attachment")
    page.locator("li.result h3 a").first.click()
    expect(page.get_by_role("heading", name=re.compile(r"Meets \d of 8"))).to_be_visible()
    expect(page.get_by_role("heading", name="License receipt")).to_be_visible()
    expect(page.locator(".receipt-lines").first).to_contain_text("Status")
    expect(page.locator(".notice.sample")).to_contain_text("Fictional sample profile")
    screenshot(page, "profile-desktop")


def test_home_and_questionnaire_screenshots(page, screenshot):
    page.goto("/")
    screenshot(page, "home-desktop")
    page.goto("/match")
    screenshot(page, "questionnaire-desktop")


def test_from_the_questionnaire_to_a_sent_consultation_request(page):
    fill_questionnaire(page, "ohio")
    page.locator("li.match").first.get_by_role("link", name="Request a consultation").click()
    expect(page.get_by_role("heading", name=re.compile("^Request a consultation"))).to_be_visible()
    expect(page.get_by_text("fictional sample profile")).to_be_visible()
    # Answered the questionnaire: the kit and a summary are offered, never ticked for them.
    include = page.get_by_label(re.compile("Include the questions from my consultation kit"))
    expect(include).not_to_be_checked()
    include.check()
    page.get_by_label("Your name").fill("Sam Journey")
    page.get_by_label("Your email").fill("sam.journey@example.net")
    page.get_by_label("Your message").fill("I'd like to talk about working together.")
    page.get_by_label("Times that suit you (optional)").fill("Weekday evenings")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("heading", name="Your request was sent")).to_be_visible()
    assert "Sam Journey" not in page.url and "example.net" not in page.url
