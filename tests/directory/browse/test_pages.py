"""Pages a visitor reads: home, profile, error pages, and what every page shows."""

import re

import pytest

from directory.extensions import db
from directory.practitioners.models import Practitioner
from tests.factories import make_record

# The same API and page tests on each search backend (on PostgreSQL runs).
pytestmark = pytest.mark.both_backends


def slug_of(app, name):
    with app.app_context():
        return db.session.scalar(db.select(Practitioner.slug).filter_by(name=name))


def test_home_shows_both_ways_in_urgent_help_and_the_disclaimer(client):
    html = client.get("/").text
    assert "Find your fit" in html and 'href="/match"' in html
    assert "Browse the directory" in html and 'href="/therapists"' in html
    assert "988" in html and "911" in html
    assert "not a substitute for professional medical advice" in html


@pytest.mark.parametrize("path", ["/", "/therapists", "/therapists?q=x", "/nowhere"])
def test_every_page_has_urgent_help_disclaimer_skip_link_and_no_third_party(client, path):
    html = client.get(path).text
    assert 'href="tel:988"' in html and 'href="tel:911"' in html
    assert "Not medical advice" in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert '<meta name="viewport"' in html
    # Everything is served by the site itself: no other host in any src, href or action.
    assert not re.search(r'(src|href|action)="(https?:)?//', html)


def test_profile_shows_checklist_license_receipt_and_sample_notice(app, client, add):
    add(make_record(name="Jordan Ash"))
    html = client.get(f"/therapists/{slug_of(app, 'Jordan Ash')}").text
    assert "Meets 8 of 8 of the guide&#39;s criteria" in html
    assert "Fictional sample profile" in html
    assert "License receipt" in html
    for text in ("Clinical social worker", "Ohio", "LISW 10001", "2027-06-30",
                 "Verified 2026-03-01"):  # fmt: skip
        assert text in html
    assert "confirmed 2026-10-20" in html


@pytest.mark.parametrize(
    ("license", "shown", "never"),
    [
        ({"status": "pending", "verified_on": None}, "Not yet verified", "Verified 20"),
        ({"status": "rejected", "verified_on": None}, "Could not be verified", "Verified 20"),
        ({"expires_on": "2026-10-01"}, "Expired: not valid", "Verified 2026-03-01"),
    ],
)
def test_profile_never_shows_verified_for_unverified_or_expired(
    app, client, add, license, shown, never
):
    add(make_record(name="Pat Rowan", license=license))
    slug = slug_of(app, "Pat Rowan")
    html = client.get(f"/therapists/{slug}").text
    assert shown in html
    assert never not in html
    data = client.get(f"/api/v1/practitioners/{slug}").json
    assert data["licenses"][0]["status"] != "verified"
    assert data["licenses"][0]["verified_on"] is None


def test_an_old_accepting_claim_is_shown_as_not_confirmed(app, client, add):
    add(make_record(name="Old Claim", accepting_confirmed_on="2026-08-20"))
    html = client.get(f"/therapists/{slug_of(app, 'Old Claim')}").text
    assert "not confirmed recently" in html
    data = client.get(f"/api/v1/practitioners/{slug_of(app, 'Old Claim')}").json
    assert data["accepting_confirmed_recently"] is False


def test_a_real_profile_has_no_sample_notice(app, client, add):
    add(make_record(name="Real Person", sample=False))
    html = client.get(f"/therapists/{slug_of(app, 'Real Person')}").text
    assert "Fictional sample profile" not in html


def test_associate_receipt_names_the_supervisor(app, client, add):
    add(
        make_record(
            name="New Associate",
            license={"supervised": True, "supervisor_name": "Robin Vale",
                     "supervisor_license": "LISW 42"},
        )
    )  # fmt: skip
    html = client.get(f"/therapists/{slug_of(app, 'New Associate')}").text
    assert "Robin Vale (LISW 42)" in html
    assert "associate, under supervision" in html


def test_profile_json_is_the_whole_public_profile_with_the_checklist(app, client, add):
    add(make_record(name="Jordan Ash"))
    data = client.get(f"/api/v1/practitioners/{slug_of(app, 'Jordan Ash')}").json
    assert data["checklist"]["met"] == 8 and len(data["checklist"]["criteria"]) == 8
    assert data["bio"].startswith("I help adults")
    assert data["practice_states"] == {
        "OH": {"basis": "license", "telehealth_only": False, "supervised": False,
               "verified": True,
               "through": [{"basis": "license", "kind": "license", "home_state": None,
                            "telehealth_only": False, "verified": True,
                            "expires_on": "2027-06-30",
                            "reason": "own license, until 2027-06-30"}]}
    }  # fmt: skip
    assert [c["status"] for c in data["checklist"]["criteria"]] == ["met"] * 8
    assert data["sample"] is True


XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "{{ 7*7 }}",
]


@pytest.mark.parametrize("payload", XSS)
def test_markup_in_text_fields_is_shown_as_text(app, client, add, payload):
    add(
        make_record(
            name=f"Ann {payload}"[:120],
            headline=payload,
            bio=f"critic {payload} end",
            pronouns=payload[:40],
            cultural_background=payload,
        )
    )
    with app.app_context():
        slug = db.session.scalar(db.select(Practitioner.slug))
    for path in (f"/therapists/{slug}", "/therapists?q=critic", "/therapists"):
        html = client.get(path).text
        if "<" in payload:
            assert payload not in html, path
        assert 'href="javascript:' not in html
        if payload == "{{ 7*7 }}":
            assert "Ann {{ 7*7 }}" in html  # shown literally, never evaluated
    data = client.get(f"/api/v1/practitioners/{slug}").json
    assert data["headline"] == payload


def test_unknown_and_unpublished_profiles_are_404(app, client, add):
    add(make_record(name="Gone Away", published=False))
    for path in ("/therapists/nobody-here", f"/therapists/{slug_of(app, 'Gone Away')}"):
        r = client.get(path)
        assert r.status_code == 404
        assert "We couldn&#39;t find that page" in r.text
    r = client.get("/api/v1/practitioners/nobody-here")
    assert r.status_code == 404 and r.is_json


def test_a_server_error_shows_the_friendly_page(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    r = app.test_client().get("/boom")
    assert r.status_code == 500
    assert "Something went wrong on our side" in r.text
    assert "kaboom" not in r.text


def test_a_bad_request_shows_the_friendly_page(app, client):
    from flask import abort

    @app.get("/bad")
    def bad():
        abort(400)

    r = client.get("/bad")
    assert r.status_code == 400 and "didn&#39;t make sense" in r.text


def test_static_css_is_served_locally(client):
    with client.get("/static/css/site.css") as r:
        assert r.status_code == 200 and "max-width" in r.text
        assert "@import" not in r.text and "url(" not in r.text


@pytest.mark.parametrize("path", ["/", "/therapists", "/match", "/nowhere", "/static/css/site.css"])
def test_security_headers_on_every_response(client, path):
    with client.get(path) as r:
        csp = r.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in csp
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in r.headers  # testing: no HSTS


def test_pages_with_answers_are_never_cached(client):
    assert client.get("/match").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/therapists").headers.get("Cache-Control", "")


def test_hsts_outside_development(tmp_path):
    from app import create_app

    app = create_app(
        {
            "SECRET_KEY": "x" * 32,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/h.db",
            "SEARCH_INDEX_DIR": str(tmp_path / "ix"),
            "DRAIN_OUTBOX_ON_START": False,
        }
    )
    r = app.test_client().get("/")
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")
