"""The verification queue: licenses and authorities to check, paged, filtered, dated, told."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import select

from directory.accounts.models import User
from directory.admin.queue import PAGE_SIZE, recheck_date
from directory.extensions import db
from directory.practitioners.models import CompactAuthority, License, Practitioner
from tests.apps import make_app
from tests.directory.account_helpers import admin_client, login, mails, post, registered
from tests.factories import authority, make_record

PENDING = {"status": "pending", "verified_on": None}


def owned(app, add, client, record, email="owner@example.org"):
    """Import a record and give it to a logged-in practitioner (so mail reaches someone)."""
    add(record)
    registered(app, client, email)
    login(client, email)
    with app.app_context():
        p = db.session.scalar(select(Practitioner).where(Practitioner.name == record["name"]))
        p.owner_id = db.session.scalar(select(User.id).where(User.email == email))
        db.session.commit()


def test_pending_licenses_and_authorities_wait_together_with_where_to_check_them(
    app, add, admin_key
):
    add(make_record(name="Lic Pending", license=PENDING),
        make_record(name="Apit Pending", licenses=[{**make_record()["licenses"][0],
                    "kind": "psychologist", "number": "PSY 77"}], credentials="PhD",
                    authorities=[authority("psypact_apit", **PENDING)]),
        make_record(name="All Verified"))  # fmt: skip
    admin = admin_client(app, admin_key[0])
    html = admin.get("/admin/").text
    assert "Lic Pending" in html and "Apit Pending" in html and "All Verified" not in html
    assert "Licenses and compact authorities waiting (2)" in html
    # Each links to where it is checked: Ohio's board lookup, PSYPACT's registry.
    assert "https://elicense.ohio.gov/oh_verifylicense" in html
    assert "https://directory.psypact.gov/" in html
    assert html.count("Unpublish<span") == 2


def test_the_queue_pages_sorts_filters_and_searches(app, add, admin_key):
    records = [make_record(name=f"Person {i:02d}", license={**PENDING, "number": f"LISW {i}"})
               for i in range(PAGE_SIZE + 3)]  # fmt: skip
    records.append(make_record(name="Kentucky Kim", state="KY", city="Louisville", zip="40202",
                               license={**PENDING, "state": "KY", "number": "KY 9"}))  # fmt: skip
    add(*records)
    admin = admin_client(app, admin_key[0])
    first = admin.get("/admin/").text
    assert "Person 00" in first and f"Person {PAGE_SIZE:02d}" not in first
    assert "Page 1 of 2" in first
    second = admin.get("/admin/?page=2").text
    assert f"Person {PAGE_SIZE:02d}" in second and "Kentucky Kim" in second
    newest = admin.get("/admin/?sort=newest").text
    assert newest.index("Kentucky Kim") < newest.index(f"Person {PAGE_SIZE + 2:02d}")
    only_ky = admin.get("/admin/?state=KY").text
    assert "Kentucky Kim" in only_ky and "Person 00" not in only_ky
    found = admin.get("/admin/?q=lisw 7").text
    assert "Person 07" in found and "Person 08" not in found
    assert "Kentucky Kim" in admin.get("/admin/?q=kentucky").text
    assert "Person 00" not in admin.get("/admin/?kind=psychologist").text
    for bad in ("state=ZZ", "kind=wizard", "sort=sideways", "page=0", "page=x"):
        assert admin.get(f"/admin/?{bad}").status_code == 400, bad


def test_verifying_an_expired_license_asks_first(app, add, admin_key):
    add(make_record(name="Lapsed Lee", license={**PENDING, "expires_on": "2026-10-01"}))
    with app.app_context():
        lic_id = db.session.scalar(select(License.id))
    admin = admin_client(app, admin_key[0])
    assert "(expired)" in admin.get("/admin/").text
    asked = post(admin, f"/admin/licenses/{lic_id}/verify", form_page="/admin/")
    assert asked.status_code == 200 and "Verify an expired license?" in asked.text
    with app.app_context():
        assert db.session.get(License, lic_id).status == "pending"
    done = post(admin, f"/admin/licenses/{lic_id}/verify", form_page="/admin/",
                confirm_expired="yes")  # fmt: skip
    assert done.status_code == 303
    with app.app_context():
        assert db.session.get(License, lic_id).status == "verified"
    body = admin.get("/api/v1/practitioners?verified=1").json
    assert body["total"] == 0  # verified, but expired: it never counts


def test_a_verified_item_gets_a_recheck_date_and_comes_back_for_it(app, add, admin_key):
    add(make_record(name="Soon Sam", license={**PENDING, "expires_on": "2027-01-15"}))
    with app.app_context():
        lic_id = db.session.scalar(select(License.id))
    admin = admin_client(app, admin_key[0])
    post(admin, f"/admin/licenses/{lic_id}/verify", form_page="/admin/")
    with app.app_context():
        lic = db.session.get(License, lic_id)
        # Thirty days before it expires (within a year of the check).
        assert (lic.status, lic.recheck_on) == ("verified", date(2026, 12, 16))
    assert "Soon Sam" not in admin.get("/admin/").text
    assert recheck_date(date(2026, 11, 1), date(2030, 1, 1)) == date(2027, 11, 1)
    assert recheck_date(date(2026, 11, 1), None) == date(2027, 11, 1)
    with app.app_context():
        db.session.get(License, lic_id).recheck_on = date(2026, 11, 1)
        db.session.commit()
    html = admin.get("/admin/").text
    assert "Soon Sam" in html and "Re-check" in html


def test_authorities_are_verified_and_rejected_like_licenses_and_owners_are_told(
    app, add, client, admin_key
):
    counselor = {**make_record()["licenses"][0], "kind": "professional_counselor"}
    owned(app, add, client, make_record(
        name="Priv Pat", licenses=[counselor], credentials="LPCC",
        authorities=[authority("counseling_privilege", "AZ", **PENDING),
                     authority("counseling_privilege", "GA", **PENDING)],
    ))  # fmt: skip
    with app.app_context():
        first, second = db.session.scalars(
            select(CompactAuthority.id).order_by(CompactAuthority.id)
        ).all()
    admin = admin_client(app, admin_key[0])
    arizona = admin.post("/api/v1/match", json={"state": "AZ"}).json
    assert arizona["results"] == []  # pending: reaches nowhere yet
    r = post(admin, f"/admin/authorities/{first}/verify", form_page="/admin/")
    assert r.status_code == 303, r.text[:2000]
    post(admin, f"/admin/authorities/{second}/reject", form_page="/admin/",
         reason="No privilege with that number in CompactConnect")  # fmt: skip
    with app.app_context():
        a, b = db.session.get(CompactAuthority, first), db.session.get(CompactAuthority, second)
        assert (a.status, a.verified_on, b.status) == ("verified", date(2026, 11, 1), "rejected")
    told = mails(app)[-2:]
    assert "marked it verified on 2026-11-01" in told[0] and "AZ" in told[0]
    assert "No privilege with that number in CompactConnect" in told[1]
    arizona = admin.post("/api/v1/match", json={"state": "AZ", "format": "telehealth"}).json
    assert [r["name"] for r in arizona["results"]] == ["Priv Pat"]
    assert "Practises in this state through a Counseling Compact privilege" in (
        arizona["results"][0]["caveats"])  # fmt: skip


def test_expiry_notices_go_once_to_owners_of_verified_items_about_to_expire(
    app, add, client, runner
):
    owned(app, add, client, make_record(name="Ending Em", license={"expires_on": "2026-11-20"}))
    result = runner.invoke(args=["directory", "expiry-notices"])
    assert result.exit_code == 0 and "Sent 1 expiry notices" in result.output
    notice = mails(app)[-1]
    assert "expires on 2026-11-20" in notice and "http://127.0.0.1:5000/account/profile" in notice
    again = runner.invoke(args=["directory", "expiry-notices"])
    assert "Sent 0 expiry notices" in again.output


def test_the_compacts_command_prints_the_table_and_its_age(runner):
    result = runner.invoke(args=["directory", "compacts"])
    assert result.exit_code == 0
    assert "Counseling Compact (checked 2026-12-01): 39 enacted, 6 issuing today" in result.output
    assert "* Ohio" in result.output and "Kentucky" in result.output
    assert "No interstate compact exists for marriage and family therapists" in result.output


def test_the_admin_page_warns_when_the_compact_table_is_old(app, admin_key):
    admin = admin_client(app, admin_key[0])
    assert "The compact table was last checked" not in admin.get("/admin/").text
    app.config["DIRECTORY_TODAY"] = "2027-06-01"
    assert "The compact table was last checked 182 days ago" in admin.get("/admin/").text


def test_operators_are_warned_when_the_compact_table_is_old(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    with make_app(tmp_path, DIRECTORY_TODAY="2027-06-01") as app:
        assert "was checked 182 days ago" in caplog.text
        result = app.test_cli_runner().invoke(args=["directory", "compacts"])
        assert "Warning: that is more than 90 days" in result.output
    caplog.clear()
    (tmp_path / "fresh").mkdir()
    with make_app(tmp_path / "fresh"):
        assert "compact table" not in caplog.text
