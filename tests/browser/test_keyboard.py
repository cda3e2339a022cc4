"""Every journey with the keyboard alone: Tab, Shift+Tab, Enter, Space and arrow keys."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import focus_is_visible, follow, tab_to

expect.set_options(timeout=10_000)


def test_skip_link_is_first_and_visible_on_focus(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    assert focus_is_visible(page)
    assert skip.bounding_box()["y"] >= 0  # shown on screen, not left off it
    page.keyboard.press("Enter")  # an in-page link: no navigation
    expect(page).to_have_url(re.compile(r"#main$"))


def test_questionnaire_to_results_compare_and_kit_by_keyboard(page):
    page.goto("/")
    tab_to(page, "nav a[href='/match']")
    follow(page)
    expect(page.get_by_role("heading", name="Find your fit")).to_be_visible()
    tab_to(page, "#state")
    page.keyboard.type("Ohio")
    expect(page.locator("#state")).to_have_value("OH")
    # Radio groups move with the arrow keys; Space ticks a checkbox.
    tab_to(page, "input[name=format]:checked")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("input[name=format][value=telehealth]")).to_be_checked()
    tab_to(page, "#max_fee")
    page.keyboard.type("90")
    tab_to(page, "#needs_sliding_scale")
    page.keyboard.press("Space")
    expect(page.locator("#needs_sliding_scale")).to_be_checked()
    tab_to(page, "button[type=submit]")
    follow(page)
    expect(page).to_have_url(re.compile(r"/match/results$"))

    # Add two practitioners to compare, then open the comparison and the kit.
    for _ in range(2):
        tab_to(page, "li.match button", "Add to compare")
        follow(page)
    tab_to(page, "a[href='/compare']", "Compare 2")
    follow(page)
    expect(page.locator("table.compare thead th")).to_have_count(2)
    tab_to(page, "a", "Print a consultation kit")
    follow(page)
    expect(page.locator(".kit-person")).to_have_count(2)
    # And back with Shift+Tab to the navigation.
    tab_to(page, "nav a[href='/therapists']", backwards=True)


def test_directory_search_suggestion_filter_and_paging_by_keyboard(page):
    page.goto("/therapists")
    tab_to(page, "#q")
    page.keyboard.type("attachmnet")
    follow(page)
    tab_to(page, ".suggestion a")
    follow(page)
    expect(page.locator(".result-count")).to_contain_text("for “attachment”")
    tab_to(page, "#approach-dbt")
    page.keyboard.press("Space")
    tab_to(page, "button", "Apply filters")
    follow(page)
    expect(page.locator(".chips")).to_contain_text("Dialectical Behavior Therapy")
    tab_to(page, "a[rel=next]")
    follow(page)
    expect(page.locator(".pagination")).to_contain_text("Page 2 of")
    tab_to(page, "li.result h3 a")
    follow(page)
    expect(page.get_by_role("heading", name="License receipt")).to_be_visible()
    tab_to(page, "button", "Add to compare")
    follow(page)
    expect(page.get_by_role("button", name="Remove from compare")).to_be_visible()


def test_a_consultation_request_by_keyboard(page):
    page.goto("/therapists?q=attachment")
    tab_to(page, "li.result h3 a")
    follow(page)
    tab_to(page, "a", "Request a consultation")
    follow(page)
    tab_to(page, "#name")
    page.keyboard.type("Kim Keys")
    page.keyboard.press("Tab")
    page.keyboard.type("kim.keys@example.net")
    page.keyboard.press("Tab")
    page.keyboard.type("A first conversation, please.")
    tab_to(page, "button", "Send the request")
    follow(page)
    expect(page.get_by_role("heading", name="Your request was sent")).to_be_visible()
