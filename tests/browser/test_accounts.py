"""A practitioner registers, confirms, logs in, writes a profile and finds it in search."""

from __future__ import annotations

import email
import re
from email.policy import default
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.helpers import check_accessibility, fits_the_viewport

expect.set_options(timeout=10_000)
PASSWORD = "amber canal footbridge"


def latest_link(live_app, kind: str) -> str:
    folder = Path(live_app.config["MAIL_FOLDER"])
    newest = max(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    body = email.message_from_string(newest.read_text(), policy=default).get_content()
    return re.search(rf"http://[^/]+(/account/{kind}/\S+)", body).group(1)


def test_register_log_in_write_a_profile_and_find_it(page, live_app):
    page.goto("/")
    page.get_by_role("link", name="Practitioners").click()
    check_accessibility(page, "login")
    page.get_by_role("link", name="Create a practitioner account").click()
    check_accessibility(page, "register")
    page.get_by_label("Email").fill("kestrel@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    page.goto(latest_link(live_app, "verify"))
    expect(page.get_by_text("Your email address is confirmed")).to_be_visible()
    page.get_by_label("Email").fill("kestrel@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    check_accessibility(page, "account")

    page.get_by_role("link", name="Create your profile").click()
    check_accessibility(page, "profile form")
    page.get_by_label("Name", exact=True).fill("Kestrel Moorland")
    page.get_by_label("Credentials").fill("LMFT")
    page.get_by_label("Headline").fill("Quietly unhurried couples work in Portland")
    page.get_by_label("About you").fill("I help couples hear each other again.")
    page.locator("#licenses-0-kind").select_option("marriage_family_therapist")
    page.locator("#licenses-0-state").select_option("OR")
    page.locator("#licenses-0-number").fill("T1234")
    page.locator("#licenses-0-expires_on").fill("2028-05-31")
    page.get_by_label("Telehealth", exact=True).check()
    page.get_by_label("City").fill("Portland")
    page.locator("#state").select_option("OR")
    page.get_by_label("ZIP code").fill("97205")
    page.get_by_label("Fee per session ($)").fill("140")
    page.locator("input[name=languages][value=en]").check()
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview (not saved yet)")).to_be_visible()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your profile is saved")).to_be_visible()
    page.get_by_role("button", name="Publish my profile").click()
    expect(page.locator(".flashes")).to_contain_text("Your profile is published")

    page.goto("/therapists?q=unhurried")
    expect(page.locator("li.result h3")).to_contain_text("Kestrel Moorland")


def test_account_pages_fit_a_phone_and_pass_axe(phone):
    for path in ("/account/login", "/account/register", "/account/reset"):
        phone.goto(path)
        assert fits_the_viewport(phone), path
        check_accessibility(phone, path)
