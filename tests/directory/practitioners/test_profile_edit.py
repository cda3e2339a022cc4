"""Practitioners keep their own profiles: create, validate, preview, publish, lock, history."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from directory.extensions import db
from directory.practitioners.models import Claim, License, Practitioner, ProfileChange
from tests.directory.account_helpers import csrf, login, registered
from tests.factories import make_record

FORM = {
    "name": "Robin Alder",
    "pronouns": "she/her",
    "credentials": "LCSW",
    "headline": "Attachment-focused therapy in Columbus",
    "bio": "I help adults name feelings that were overlooked growing up.",
    "licenses-0-kind": "clinical_social_worker",
    "licenses-0-state": "OH",
    "licenses-0-number": "LISW 555",
    "licenses-0-expires_on": "2028-01-31",
    "approach_attachment": "certified",
    "approach_dbt": "workshop",
    "attachment_training": "y",
    "emotion_regulation_training": "y",
    "concerns": ["self_criticism"],
    "neglect_experience": "y",
    "years_in_practice": "8",
    "style": "4",
    "collaborative_goals": "y",
    "progress_tracking": ["goals"],
    "supervision": "y",
    "ce_hours_2y": "30",
    "confidentiality_discussed": "y",
    "in_person": "y",
    "telehealth": "y",
    "city": "Columbus",
    "state": "OH",
    "zip": "43215",
    "fee": "130",
    "sliding_scale_min": "70",
    "languages": ["en", "es"],
    "accommodations": ["wheelchair"],
    "accepting_new_clients": "y",
}


def save(client, version="", action="save", **changes):
    data = {**FORM, **changes, "version": version, "action": action,
            "csrf_token": csrf(client, "/account/profile")}  # fmt: skip
    return client.post("/account/profile", data={k: v for k, v in data.items() if v is not None})


@pytest.fixture
def practitioner(app, client):
    registered(app, client)
    login(client)
    return client


def mine(app) -> Practitioner:
    with app.app_context():
        p = db.session.scalar(select(Practitioner).options(selectinload(Practitioner.licenses)))
        db.session.expunge_all()
        return p


def search_names(client, q=""):
    return {x["name"] for x in client.get(f"/api/v1/practitioners?q={q}").json["results"]}


def test_the_profile_pages_need_a_login(client):
    for path in ("/account/profile", "/account/profile/history", "/account/"):
        r = client.get(path)
        assert r.status_code == 302 and r.headers["Location"].startswith("/account/login")


def test_create_preview_save_and_publish(app, practitioner):
    client = practitioner
    assert "Create your profile" in client.get("/account/profile").text
    preview = save(client, action="preview")
    assert preview.status_code == 200 and "Preview (not saved yet)" in preview.text
    # The license waits for an administrator: not met, and not "not met" either.
    assert "Meets 7 of 8 of the guide" in preview.text and "(1 not yet verified)" in preview.text
    assert mine(app) is None
    r = save(client)
    assert r.status_code == 303
    p = mine(app)
    assert (p.name, p.published, p.sample, p.fee) == ("Robin Alder", False, False, 130)
    assert p.licenses[0].status == "pending"
    assert "Robin Alder" not in search_names(client)  # saved, not yet published
    client.post(
        "/account/profile/publish",
        data={"action": "publish", "csrf_token": csrf(client, "/account/profile")},
    )
    assert "Robin Alder" in search_names(client)  # the index reflects it at once
    with app.app_context():
        assert db.session.scalar(select(func.count(ProfileChange.id))) == 2


def test_edits_are_validated_field_by_field_and_nothing_is_lost(app, practitioner):
    client = practitioner
    save(client)
    version = str(mine(app).version)
    r = save(client, version, zip="00000", fee="-4", bio="x" * 2100,
             **{"licenses-0-number": "<b>1</b>"})  # fmt: skip
    assert r.status_code == 400
    assert "00000 is not a US ZIP code" in r.text
    assert "Use a number from 0 to 2000." in r.text
    assert "only letters, digits" in r.text
    assert "at most 2000 characters" in r.text
    assert 'value="&lt;b&gt;1&lt;/b&gt;"' in r.text  # kept, and shown as text
    assert mine(app).zip == "43215"


def test_changing_a_license_number_sends_it_back_for_verification(app, practitioner):
    client = practitioner
    save(client)
    with app.app_context():
        lic = db.session.scalar(select(License))
        lic.status, lic.verified_on = "verified", __import__("datetime").date(2026, 10, 1)
        db.session.commit()
    p = mine(app)
    save(client, str(p.version), headline="A new headline")
    assert mine(app).licenses[0].status == "verified"  # unchanged license keeps its status
    save(client, str(mine(app).version), **{"licenses-0-number": "LISW 556"})
    lic = mine(app).licenses[0]
    assert (lic.number, lic.status, lic.verified_on) == ("LISW 556", "pending", None)


def test_two_tabs_the_second_save_is_told_and_sees_both(app, practitioner):
    client = practitioner
    save(client)
    opened = str(mine(app).version)
    assert save(client, opened, headline="First tab's headline").status_code == 303
    r = save(client, opened, headline="Second tab's headline")
    assert r.status_code == 409
    assert "Someone saved this profile after you opened it" in r.text
    assert "First tab&#39;s headline" in r.text and "Second tab&#39;s headline" in r.text
    assert mine(app).headline == "First tab's headline"  # nothing silently overwritten
    newer = re.search(r'name="version" type="hidden" value="(\d+)"', r.text).group(1)
    assert save(client, newer, headline="Second tab's headline").status_code == 303
    assert mine(app).headline == "Second tab's headline"


def test_history_records_who_when_and_old_and_new_values(app, practitioner):
    client = practitioner
    save(client)
    save(client, str(mine(app).version), fee="150")
    html = client.get("/account/profile/history").text
    assert '<th scope="row">Fee per session ($)</th><td>130</td><td>150</td>' in html
    with app.app_context():
        change = db.session.scalars(select(ProfileChange).order_by(ProfileChange.id)).all()[-1]
        assert change.changes == {"fee": [130, 150]} and change.user_id is not None


def test_one_click_confirms_accepting_new_clients(app, practitioner):
    client = practitioner
    save(client)
    with app.app_context():
        p = db.session.scalar(select(Practitioner))
        p.accepting_confirmed_on = __import__("datetime").date(2026, 8, 1)
        db.session.commit()
    assert "not confirmed recently" in client.get("/account/").text
    client.post("/account/profile/accepting", data={"csrf_token": csrf(client, "/account/")})
    assert mine(app).accepting_confirmed_on.isoformat() == "2026-11-01"


def test_another_practitioner_cannot_reach_my_profile(app, practitioner):
    save(practitioner)
    mallory = app.test_client()
    registered(app, mallory, "mallory@example.org")
    login(mallory, "mallory@example.org")
    # Mallory's own profile page is blank: there is no id in any address to change.
    assert "Create your profile" in mallory.get("/account/profile").text
    assert mallory.get("/account/profile/history").status_code == 404
    r = mallory.post(
        "/account/profile/publish",
        data={"action": "publish", "csrf_token": csrf(mallory, "/account/")},
    )
    assert r.status_code == 404
    assert mine(app).published is False


def test_claiming_an_imported_profile_waits_for_an_administrator(app, practitioner, add):
    add(make_record(name="Imported Iris"))
    with app.app_context():
        slug = db.session.scalar(select(Practitioner.slug))
    page = practitioner.get(f"/account/claim/{slug}")
    assert page.status_code == 200
    practitioner.post(f"/account/claim/{slug}",
                      data={"message": "LISW 10001 is mine", "csrf_token": csrf(
                          practitioner, f"/account/claim/{slug}")})  # fmt: skip
    with app.app_context():
        claim = db.session.scalar(select(Claim))
        assert (claim.status, claim.message) == ("pending", "LISW 10001 is mine")
        assert db.session.scalar(select(Practitioner.owner_id)) is None  # never automatic


def test_a_saved_edit_of_a_published_profile_is_searchable_at_once(app, practitioner):
    client = practitioner
    save(client)
    client.post(
        "/account/profile/publish",
        data={"action": "publish", "csrf_token": csrf(client, "/account/profile")},
    )
    assert search_names(client, "lighthouse") == set()
    save(client, str(mine(app).version), headline="Therapy near the old lighthouse")
    assert search_names(client, "lighthouse") == {"Robin Alder"}


def test_history_shows_labels_and_readable_values_never_field_names_or_reprs(app, practitioner):
    client = practitioner
    save(client)
    save(client, str(mine(app).version), telehealth=None, style="2", languages=["en", "fr"],
         approach_dbt="certified", **{"licenses-0-expires_on": "2029-03-31"})  # fmt: skip
    html = client.get("/account/profile/history").text
    latest = html.split('class="card history-entry"')[1]
    found = re.findall(r'<th scope="row">([^<]+)</th><td>([^<]*)</td><td>([^<]*)</td>', latest)
    rows = {label: (before, after) for label, before, after in found}
    assert rows["Telehealth"] == ("Yes", "No")
    assert rows["How you work"] == ("Leaning exploratory", "Leaning structured")
    assert rows["Languages"] == ("English, Spanish", "English, French")
    assert "Dialectical Behavior Therapy (DBT) (certified)" in rows["Approaches and training"][1]
    before, after = rows["Licenses"]
    assert "Clinical social worker, Ohio, number LISW 555, expires 2028-01-31" in before
    assert "expires 2029-03-31, pending verification" in after
    # No field names, no Python values.
    assert not {"telehealth", "style", "languages", "licenses", "approaches"} & set(rows)
    assert not re.search(r"<td>[^<]*(True|False|None|\{|\[)[^<]*</td>", latest)
