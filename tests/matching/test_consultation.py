"""Request a consultation (issue 12, item 2): emailed at once with Reply-To the person, nothing
of it stored, a count per practitioner per day, and the abuse limits."""

from __future__ import annotations

import email
import logging
import re
from email.policy import default
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from directory.extensions import db
from directory.practitioners.models import ConsultationCount, Practitioner
from tests.directory.account_helpers import csrf, login, registered
from tests.directory.practitioners.test_profile_edit import save
from tests.factories import make_record

SECRET_NAME = "Zebulon Quixotic"
SECRET_MESSAGE = "My distinctive worry is Flibbertigibbet season"


@pytest.fixture
def owned(app, client):
    """A published profile owned by ash@example.org; returns its slug."""
    registered(app, client)
    login(client)
    save(client, consultation_requests="y")
    with app.app_context():
        p = db.session.scalar(select(Practitioner))
        assert p.consultation_requests
        p.published = True
        db.session.commit()
        return p.slug


def mail_files(app) -> list:
    folder = Path(app.config["MAIL_FOLDER"])
    files = (
        sorted(folder.glob("*.eml"), key=lambda f: f.stat().st_mtime_ns) if folder.exists() else []
    )
    return [email.message_from_string(f.read_text(), policy=default) for f in files]


def send(client, slug, ip="10.0.0.1", **changes):
    path = f"/therapists/{slug}/contact"
    data = {"name": SECRET_NAME, "email": "zeb@example.net", "message": SECRET_MESSAGE,
            "times": "Tuesday evenings", "csrf_token": csrf(client, path), **changes}  # fmt: skip
    return client.post(path, data=data, environ_base={"REMOTE_ADDR": ip})


def test_a_request_is_emailed_to_the_account_with_reply_to_the_person(app, owned):
    visitor = app.test_client()
    before = len(mail_files(app))
    r = send(visitor, owned)
    assert r.status_code == 303 and r.headers["Location"] == f"/therapists/{owned}/contact/sent"
    assert "Your request was sent" in visitor.get(r.headers["Location"]).text
    (message,) = mail_files(app)[before:]
    assert message["To"] == "ash@example.org" and message["Reply-To"] == "zeb@example.net"
    body = message.get_content()
    assert SECRET_NAME in body and SECRET_MESSAGE in body and "Tuesday evenings" in body
    with app.app_context():
        (row,) = db.session.scalars(select(ConsultationCount)).all()
        assert row.count == 1
    send(visitor, owned, email="other@example.net")
    owner = app.test_client()
    login(owner)
    assert "2 today" in owner.get("/account/").text


def test_nothing_of_a_request_is_stored_logged_or_put_in_a_url(app, owned, caplog):
    caplog.set_level(logging.DEBUG)
    visitor = app.test_client()
    r = send(visitor, owned)
    assert r.status_code == 303
    page = visitor.get(r.headers["Location"])
    urls = [r.headers["Location"], *re.findall(r'(?:href|action|src)="([^"]*)"', page.text)]
    assert not any("Zebulon" in u or "Flibbertigibbet" in u or "zeb%40" in u for u in urls)
    logged = "\n".join(rec.getMessage() for rec in caplog.records) + caplog.text
    assert "Zebulon" not in logged and "Flibbertigibbet" not in logged
    assert "zeb@example.net" not in logged
    with app.app_context():
        for table in inspect(db.engine).get_table_names():
            for row in db.session.execute(text(f'SELECT * FROM "{table}"')):
                joined = " ".join(map(str, row))
                assert "Zebulon" not in joined and "Flibbertigibbet" not in joined, table
                assert "zeb@example.net" not in joined, table


def test_a_failed_send_says_so_and_keeps_everything_typed(app, owned, monkeypatch):
    def broken(message):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr(app.extensions["mailer"], "send", broken)
    r = send(app.test_client(), owned)
    assert r.status_code == 503 and "could not be sent" in r.text and "was sent" not in r.text
    assert SECRET_NAME in r.text and SECRET_MESSAGE in r.text and "Tuesday evenings" in r.text
    with app.app_context():
        assert db.session.scalars(select(ConsultationCount)).all() == []


def test_the_honeypot_bad_input_and_csrf(app, owned):
    visitor = app.test_client()
    before = len(mail_files(app))
    assert send(visitor, owned, website="http://spam.example").status_code == 400
    r = send(visitor, owned, email="not-an-address", message="x" * 2001)
    assert r.status_code == 400 and "Enter an email address" in r.text
    assert "x" * 2001 in r.text  # kept
    r = visitor.post(f"/therapists/{owned}/contact", data={"name": "a", "email": "a@b.org",
                                                          "message": "hi"})  # fmt: skip
    assert r.status_code == 400
    assert len(mail_files(app)) == before  # nothing sent


def test_rate_limits_per_address_and_per_practitioner(app, owned):
    visitor = app.test_client()
    # Typos and junk don't count against anyone: only requests actually sent do.
    junk = [send(visitor, owned, ip=f"10.0.9.{i}", message="").status_code for i in range(25)]
    assert set(junk) == {400}
    codes = [send(visitor, owned, email=f"p{i}@example.net").status_code for i in range(6)]
    assert codes == [303] * 5 + [429]  # five an hour from one network address
    codes = [send(visitor, owned, ip=f"10.0.1.{i}").status_code for i in range(6)]
    assert codes == [303] * 5 + [429]  # five an hour from one typed address
    more = [send(visitor, owned, ip=f"10.0.2.{i}", email=f"q{i}@example.net").status_code
            for i in range(12)]  # fmt: skip
    assert more == [303] * 10 + [429] * 2  # twenty a day to one practitioner


def test_no_form_when_turned_off_unpublished_or_unreachable(app, owned, add):
    with app.app_context():
        p = db.session.scalar(select(Practitioner))
        p.consultation_requests = False
        db.session.commit()
    r = app.test_client().get(f"/therapists/{owned}/contact")
    assert r.status_code == 404 and "doesn't take requests" in r.text
    assert "Request a consultation</a>" not in app.test_client().get(f"/therapists/{owned}").text
    with app.app_context():
        p = db.session.scalar(select(Practitioner))
        p.consultation_requests, p.published = True, False
        db.session.commit()
    assert app.test_client().get(f"/therapists/{owned}/contact").status_code == 404
    add(make_record(name="Imported Nobody", sample=False))  # no account to deliver to
    with app.app_context():
        slug = db.session.scalar(select(Practitioner.slug).where(Practitioner.owner_id.is_(None)))
    assert app.test_client().get(f"/therapists/{slug}/contact").status_code == 404


def test_a_sample_profile_says_so_and_delivers_only_to_the_file_mailer(app, add):
    add(make_record(name="Sample Person", sample=True))
    with app.app_context():
        slug = db.session.scalar(select(Practitioner.slug))
    visitor = app.test_client()
    assert "fictional sample profile" in visitor.get(f"/therapists/{slug}/contact").text
    send(visitor, slug)
    assert mail_files(app)[-1]["To"] == f"sample-{slug}@example.org"
    # With a real mail server, a sample's request is neither sent nor written anywhere.
    before = len(mail_files(app))
    app.config["MAIL_SERVER"] = "smtp.invalid"
    try:
        r = send(visitor, slug, email="second@example.net")
    finally:
        app.config["MAIL_SERVER"] = ""
    assert r.status_code == 303 and len(mail_files(app)) == before


def test_reply_to_is_an_address_every_mail_program_can_use(app, owned):
    visitor = app.test_client()
    send(visitor, owned, email="zeb@bücher.example")
    assert mail_files(app)[-1]["Reply-To"] == "zeb@xn--bcher-kva.example"
    r = send(visitor, owned, email="jöhn@example.org")  # needs SMTPUTF8: refused plainly
    assert r.status_code == 400 and "Enter an email address" in r.text


def test_the_kit_and_a_summary_of_the_answers_go_only_if_asked(app, owned):
    from tests.matching.test_pages import submit

    visitor = app.test_client()
    submit(visitor, state="OH", concerns=["self_criticism"], max_fee="120")
    form = visitor.get(f"/therapists/{owned}/contact").text
    # Offered, never ticked for them: health answers go only if the person chooses.
    assert '<input id="include_kit" name="include_kit" type="checkbox" value="y">' in form
    assert "You answered the questionnaire" in form
    send(visitor, owned, include_kit="y")
    body = mail_files(app)[-1].get_content()
    assert "Questions they'd like to ask:" in body and "Most I can pay: $120" in body
    send(visitor, owned, email="again@example.net")
    assert "Most I can pay" not in mail_files(app)[-1].get_content()
