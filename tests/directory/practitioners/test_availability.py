"""Availability that stays true (issue 12, item 3): a reminder before "accepting" goes stale,
a one-click link that reconfirms without logging in, and the 45- and 90-day rules."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from directory.accounts.models import EmailToken
from directory.cli import moved_to
from directory.core.records import parse_record
from directory.extensions import db
from directory.practitioners.models import Practitioner, ProfileChange
from tests.directory.account_helpers import login, mails, registered
from tests.directory.practitioners.test_profile_edit import save
from tests.factories import make_record
from tests.matching.helpers import candidate, prefs, run

TODAY = date(2026, 11, 1)  # the test apps' DIRECTORY_TODAY


def ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def published_profile(app, client, confirmed_days_ago):
    registered(app, client)
    login(client)
    save(client)
    with app.app_context():
        p = db.session.scalar(select(Practitioner))
        p.published = True
        p.accepting_confirmed_on = TODAY - timedelta(days=confirmed_days_ago)
        db.session.commit()


def remind(app) -> str:
    result = app.test_cli_runner().invoke(args=["directory", "remind"], catch_exceptions=False)
    return result.output


def reminder_link(app) -> str:
    found = re.search(r"https?://[^/\s]+(/availability/[A-Za-z0-9_\-]+)", mails(app)[-1])
    return found.group(1)


def test_a_reminder_goes_out_at_40_days_once(app, client):
    published_profile(app, client, confirmed_days_ago=39)
    before = len(mails(app))
    assert "Sent 0 reminders" in remind(app)  # not due
    with app.app_context():
        db.session.scalar(select(Practitioner)).accepting_confirmed_on = TODAY - timedelta(40)
        db.session.commit()
    assert "Sent 1 reminders" in remind(app)
    assert "Sent 0 reminders" in remind(app)  # twice in a row: nothing twice
    sent = mails(app)[before:]
    assert len(sent) == 1 and "One click keeps it true" in sent[0]


def test_the_link_reconfirms_once_without_logging_in(app, client):
    published_profile(app, client, confirmed_days_ago=50)
    remind(app)
    link = reminder_link(app)
    visitor = app.test_client()  # not logged in
    page = visitor.get(link)
    assert page.status_code == 200 and "Still accepting new clients?" in page.text
    with app.app_context():  # opening the link (a mail scanner would) changes nothing
        assert db.session.scalar(select(Practitioner)).accepting_confirmed_on == TODAY - timedelta(
            50
        )
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    r = visitor.post(link, data={"csrf_token": token, "still": "1"})
    assert r.status_code == 303
    with app.app_context():
        p = db.session.scalar(select(Practitioner))
        assert p.accepting_confirmed_on == TODAY and p.accepting_new_clients
        change = db.session.scalars(select(ProfileChange).order_by(ProfileChange.id.desc())).first()
        assert change.user_id == p.owner_id and "accepting_confirmed_on" in change.changes
    again = visitor.post(link, data={"csrf_token": token, "still": "1"})
    assert again.status_code == 400 and "each link works once" in again.text
    assert visitor.get(link).status_code == 400


def test_an_expired_or_tampered_link_does_nothing(app, client):
    published_profile(app, client, confirmed_days_ago=60)
    remind(app)
    link = reminder_link(app)
    tampered = link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb")
    assert app.test_client().get(tampered).status_code == 400
    with app.app_context():
        for row in db.session.scalars(select(EmailToken).where(EmailToken.purpose == "accepting")):
            row.expires_at = row.expires_at - timedelta(days=60)
        db.session.commit()
    r = app.test_client().get(link)
    assert r.status_code == 400 and "That link doesn't work" in r.text


def test_the_link_can_also_say_no_longer_accepting(app, client):
    published_profile(app, client, confirmed_days_ago=41)
    remind(app)
    link = reminder_link(app)
    visitor = app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', visitor.get(link).text).group(1)
    visitor.post(link, data={"csrf_token": token, "no_longer": "1"})
    with app.app_context():
        p = db.session.scalar(select(Practitioner))
        assert not p.accepting_new_clients and p.accepting_confirmed_on is None


def test_past_90_days_matching_lists_them_below_those_who_confirmed():
    stale = candidate(name="Alex Stale", accepting_confirmed_on=ago(91),
                      evening_hours=True)  # fmt: skip
    fresh = candidate(name="Blair Fresh", accepting_confirmed_on=ago(10),
                      evening_hours=False)  # fmt: skip
    result = run(prefs(evenings=True, importance={"logistics": 2}), stale, fresh)
    first, second = result.matches
    assert first.raw < second.raw  # the stale one scores higher, yet is listed second
    assert [m.candidate.id for m in result.matches] == [fresh.id, stale.id]
    assert any(c.startswith("Accepting new clients unknown") for c in second.caveats)
    recent = candidate(accepting_confirmed_on=ago(60))
    (match,) = run(prefs(), recent).matches
    assert "Accepting new clients not confirmed recently" in match.caveats


def test_past_90_days_search_leaves_them_out_of_accepting(client, add):
    add(
        make_record(name="Alex Stale", accepting_confirmed_on=ago(91)),
        make_record(name="Blair Fresh", accepting_confirmed_on=ago(89)),
    )
    names = {x["name"] for x in client.get("/api/v1/practitioners?accepting=1").json["results"]}
    assert names == {"Blair Fresh"}
    page = client.get("/therapists").text
    assert "Accepting new clients: unknown (not confirmed in 90 days)" in page


def test_waitlist_and_next_opening_are_shown(client, add):
    add(make_record(name="Casey Wait", accepting_new_clients=False, accepting_confirmed_on=None,
                    waitlist=True, next_opening="2026-12-15"))  # fmt: skip
    item = client.get("/api/v1/practitioners").json["results"][0]
    page = client.get(f"/therapists/{item['slug']}").text
    assert "keeps a waitlist" in page and "next opening 2026-12-15" in page
    assert "Waitlist" in client.get("/therapists").text


def test_samples_are_mostly_fresh_once_loaded_on_any_day():
    from directory.samples import generate_records

    profiles = [parse_record(r) for r in generate_records(300)]
    load_day = date(2027, 3, 9)
    moved = moved_to(profiles, load_day)
    ages = [(load_day - p.accepting_confirmed_on).days for p in moved if p.accepting_confirmed_on]
    assert max(p.accepting_confirmed_on for p in moved if p.accepting_confirmed_on) == load_day
    fresh = sum(a <= 45 for a in ages) / len(ages)
    assert 0.8 <= fresh < 1 and any(a > 90 for a in ages)


def test_a_reminder_that_cannot_be_sent_is_logged_and_never_sent_twice(app, client, monkeypatch):
    published_profile(app, client, confirmed_days_ago=41)

    def refused(message):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr(app.extensions["mailer"], "send", refused)
    assert "Sent 0 reminders" in remind(app)  # the command carries on, and says what it sent
    monkeypatch.undo()
    # Recorded before sending: a crash or a refusal loses one, never sends one twice.
    assert "Sent 0 reminders" in remind(app)
