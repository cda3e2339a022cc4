"""Administrators (created from the command line, with a second factor) and permissions."""

from __future__ import annotations

import re

from sqlalchemy import select

from directory.accounts.models import User
from directory.extensions import db
from directory.practitioners.models import Claim, License, Practitioner
from tests.directory.account_helpers import (
    ADMIN,
    ADMIN_PASSWORD,
    admin_client,
    code_for,
    csrf,
    login,
    post,
    registered,
)
from tests.factories import make_record


def test_create_admin_refuses_a_weak_password(runner):
    result = runner.invoke(args=["directory", "create-admin", ADMIN, "--password", "short"])
    assert result.exit_code != 0 and "at least 12" in result.output


def test_an_administrator_needs_the_second_factor(app, admin_key):
    secret, codes = admin_key
    client = app.test_client()
    r = login(client, ADMIN, ADMIN_PASSWORD)
    assert r.headers["Location"].startswith("/account/two-factor")
    assert client.get("/admin/").status_code == 302  # not logged in yet
    assert post(client, "/account/two-factor", code="000000").status_code == 400
    assert post(client, "/account/two-factor", code=code_for(secret)).status_code == 303
    assert client.get("/admin/").status_code == 200


def test_a_code_works_once_and_recovery_codes_once(app, admin_key):
    secret, codes = admin_key
    code = code_for(secret)
    first = app.test_client()
    login(first, ADMIN, ADMIN_PASSWORD)
    assert post(first, "/account/two-factor", code=code).status_code == 303
    second = app.test_client()
    login(second, ADMIN, ADMIN_PASSWORD)
    assert post(second, "/account/two-factor", code=code).status_code == 400  # replayed
    assert post(second, "/account/two-factor", code=codes[0]).status_code == 303
    third = app.test_client()
    login(third, ADMIN, ADMIN_PASSWORD)
    assert post(third, "/account/two-factor", code=codes[0]).status_code == 400


def test_practitioners_may_turn_on_a_second_factor(app, client):
    registered(app, client)
    login(client)
    page = client.get("/account/two-factor/setup").text
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    r = post(client, "/account/two-factor/setup", code=code_for(secret))
    assert r.status_code == 200 and "only time they are shown" in r.text
    assert len(re.findall(r"<code>[0-9a-f]{6}-[0-9a-f]{6}</code>", r.text)) == 10
    other = app.test_client()
    assert login(other).headers["Location"].startswith("/account/two-factor")


def test_verify_and_reject_licenses(app, add, admin_key):
    add(make_record(name="Pending Pat", license={"status": "pending", "verified_on": None}),
        make_record(name="Pending Quin", license={"status": "pending", "verified_on": None,
                                                  "number": "LISW 2"}))  # fmt: skip
    admin = admin_client(app, admin_key[0])
    html = admin.get("/admin/").text
    assert "Pending Pat" in html and "Pending Quin" in html
    with app.app_context():
        pat, quin = db.session.scalars(select(License).order_by(License.id)).all()
        pat_id, quin_id = pat.id, quin.id
    post(admin, f"/admin/licenses/{pat_id}/verify", form_page="/admin/")
    r = post(admin, f"/admin/licenses/{quin_id}/reject", form_page="/admin/", reason="")
    assert r.status_code == 303
    post(admin, f"/admin/licenses/{quin_id}/reject", form_page="/admin/",
         reason="No such number on the Ohio board's lookup")  # fmt: skip
    with app.app_context():
        pat, quin = db.session.get(License, pat_id), db.session.get(License, quin_id)
        admin_id = db.session.scalar(select(User.id).where(User.email == ADMIN))
        assert (pat.status, pat.verified_on.isoformat(), pat.verified_by_id) == (
            "verified", "2026-11-01", admin_id)  # fmt: skip
        assert (quin.status, quin.rejection_reason) == (
            "rejected", "No such number on the Ohio board's lookup")  # fmt: skip
    body = admin.get("/api/v1/practitioners?verified=1").json
    assert [x["name"] for x in body["results"]] == ["Pending Pat"]


def test_approving_a_claim_hands_over_the_profile(app, add, admin_key):
    add(make_record(name="Imported Iris"))
    claimant = app.test_client()
    registered(app, claimant, "iris@example.org")
    login(claimant, "iris@example.org")
    with app.app_context():
        slug = db.session.scalar(select(Practitioner.slug))
    post(claimant, f"/account/claim/{slug}", message="It's me")
    admin = admin_client(app, admin_key[0])
    with app.app_context():
        claim_id = db.session.scalar(select(Claim.id))
    post(admin, f"/admin/claims/{claim_id}/approve", form_page="/admin/")
    assert "Imported Iris" in claimant.get("/account/profile").text


def test_an_administrator_can_unpublish_a_profile(app, add, admin_key):
    add(make_record(name="Taken Down"))
    with app.app_context():
        slug = db.session.scalar(select(Practitioner.slug))
    admin = admin_client(app, admin_key[0])
    post(admin, f"/admin/practitioners/{slug}/unpublish", form_page="/account/login",
         reason="Misleading claims about training")  # fmt: skip
    assert admin.get(f"/therapists/{slug}").status_code == 404
    assert admin.get("/api/v1/practitioners").json["total"] == 0


# Every route, and who may use it. A new route fails the test until it is added here.
PUBLIC, LOGIN, ADMIN_ONLY = "public", "login", "admin"
ROUTES = {
    "directory.index": PUBLIC, "directory.search": PUBLIC, "directory.profile": PUBLIC,
    "directory.api_search": PUBLIC, "directory.api_profile": PUBLIC,
    "matching.questionnaire": PUBLIC, "matching.results": PUBLIC, "matching.forget": PUBLIC,
    "matching.change_shortlist": PUBLIC, "matching.compare": PUBLIC, "matching.kit": PUBLIC,
    "matching.how_it_works": PUBLIC, "matching.api_match": PUBLIC,
    "account.register": PUBLIC, "account.check_email": PUBLIC, "account.verify": PUBLIC,
    "account.login": PUBLIC, "account.two_factor": PUBLIC, "account.logout": PUBLIC,
    "account.reset_request": PUBLIC, "account.reset": PUBLIC, "availability.confirm": PUBLIC,
    "consultation.request_consultation": PUBLIC, "consultation.sent": PUBLIC,
    "directory.healthz": PUBLIC,
    "account.dashboard": LOGIN, "account.change_password": LOGIN,
    "account.two_factor_setup": LOGIN, "practitioners.edit_profile": LOGIN,
    "practitioners.publish": LOGIN, "practitioners.confirm_accepting": LOGIN,
    "practitioners.history": LOGIN, "practitioners.claim": LOGIN,
    "admin.queue": ADMIN_ONLY, "admin.verify": ADMIN_ONLY,
    "admin.reject": ADMIN_ONLY, "admin.approve_claim": ADMIN_ONLY,
    "admin.refuse_claim": ADMIN_ONLY, "admin.unpublish": ADMIN_ONLY,
    "admin.release": ADMIN_ONLY,
}  # fmt: skip


def test_every_route_is_in_the_permission_table(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint != "static"}
    assert endpoints == set(ROUTES), "add new routes to ROUTES with who may use them"


def test_every_route_answers_each_role_as_the_table_says(app, add, admin_key):
    add(make_record(name="Some One", license={"status": "pending", "verified_on": None}))
    with app.app_context():
        slug = db.session.scalar(select(Practitioner.slug))
        license_id = db.session.scalar(select(License.id))
    owner = app.test_client()
    registered(app, owner, "owner@example.org")
    login(owner, "owner@example.org")
    other = app.test_client()
    registered(app, other, "other@example.org")
    login(other, "other@example.org")
    post(other, f"/account/claim/{slug}", message="mine")
    with app.app_context():
        claim_id = db.session.scalar(select(Claim.id))
    clients = {"anonymous": app.test_client(), "owner": owner, "other": other,
               "admin": admin_client(app, admin_key[0])}  # fmt: skip
    values = {"slug": slug, "license_id": license_id, "claim_id": claim_id, "token": "x" * 20,
              "listed": "licenses", "item_id": license_id}  # fmt: skip
    # Logging out last, so that every other route is tried while each role is logged in.
    rules = sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint == "account.logout")
    for rule in rules:
        if rule.endpoint == "static":
            continue
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<{name}>", str(values[name]))
            path = re.sub(rf"<[^>]*:{name}>", str(values[name]), path)
        need = ROUTES[rule.endpoint]
        for role, client in clients.items():
            if "GET" in rule.methods:
                r = client.get(path)
            else:
                r = client.post(path, data={"csrf_token": csrf(client, "/account/login")})
            code = r.status_code
            if need == PUBLIC or (need == LOGIN and role != "anonymous") or role == "admin":
                assert code not in (401, 403), (rule.rule, role, code)
                assert code < 500, (rule.rule, role, code)
            elif role == "anonymous":
                assert code == 302 and "/account/login" in r.headers["Location"], (path, role)
            else:
                assert code == 403, (rule.rule, role, code)
