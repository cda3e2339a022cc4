"""Practitioner accounts: registration, login, sessions that really end, password resets."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from directory.accounts.models import EmailToken, User, UserSession
from directory.accounts.passwords import password_problem
from directory.accounts.sessions import RedactTokens
from directory.extensions import db
from tests.directory.account_helpers import (
    NEW_PASSWORD,
    PASSWORD,
    age,
    csrf,
    link_in,
    login,
    mails,
    post,
    register,
    registered,
)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "at least 12"),
        ("password1234", "too common"),
        ("baseballbaseball", "too common"),
        ("Qwertyuiop!!!", "too common"),
        ("aaaaaaaaaaaaaaa", "too common"),
        ("ashtree-ashtree-99", None),
        ("x" * 300, "at most 256"),
    ],
)
def test_password_policy(password, message):
    problem = password_problem(password, "someone@example.org")
    assert (problem is None) if message is None else (message in problem)


def test_long_passphrases_are_welcome():
    phrase = "the heron waits by the mill race while the lantern boats drift past at dusk"
    assert len(phrase) > 64 and password_problem(phrase, "x@example.org") is None


def test_a_password_built_from_the_email_is_refused():
    assert "email" in password_problem("jordan.ash-2026-xyz", "jordan.ash@example.org")


def test_register_confirm_and_log_in(app, client):
    r = register(client)
    assert r.status_code == 303 and r.headers["Location"] == "/account/check-email"
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "ash@example.org"
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
    assert login(client).status_code == 400  # not confirmed yet
    r = client.get(link_in(mails(app)[0], "verify"))
    assert r.status_code == 303
    r = login(client)
    assert r.status_code == 303 and r.headers["Location"] == "/account/"
    assert "ash@example.org" in client.get("/account/").text


def test_registering_a_taken_address_looks_the_same(app, client):
    first = register(client)
    second = register(client.application.test_client())
    assert (first.status_code, first.headers["Location"]) == (
        second.status_code,
        second.headers["Location"],
    )
    messages = mails(app)
    assert len(messages) == 2 and "already has one" in messages[1]
    with app.app_context():
        assert db.session.scalar(select(db.func.count(User.id))) == 1


def test_wrong_password_and_unknown_email_get_the_same_answer(app, client):
    registered(app, client)
    wrong = login(client, password="not the right one at all")
    unknown = login(client, email="nobody@example.org")
    assert wrong.status_code == unknown.status_code == 400
    assert "The email or the password is not right." in wrong.text
    assert "The email or the password is not right." in unknown.text


def test_bad_registration_input_is_explained_and_kept(client):
    r = post(client, "/account/register", email="not-an-email", password="short", confirm="x")
    assert r.status_code == 400
    assert "Enter an email address like" in r.text and "at least 12" in r.text
    assert 'value="not-an-email"' in r.text


def test_session_id_changes_at_login_and_logout_really_ends_it(app, client):
    registered(app, client)
    with client.session_transaction() as s:
        s["before"] = "kept?"
    login(client)
    with client.session_transaction() as s:
        assert "before" not in s and s["sid"]
        stolen = dict(s)
    thief = app.test_client()
    with thief.session_transaction() as s:
        s.update(stolen)
    assert thief.get("/account/").status_code == 200  # a copied cookie works while logged in
    post(client, "/account/logout", form_page="/account/")
    assert client.get("/account/").status_code == 302
    # The copied cookie is refused after logout, though its signature is still valid.
    assert thief.get("/account/").status_code == 302


def test_idle_and_absolute_timeouts(app, client):
    registered(app, client)
    login(client)
    age(app, UserSession, last_seen_at=timedelta(minutes=31))
    assert client.get("/account/").status_code == 302
    login(client)
    assert client.get("/account/").status_code == 200
    age(app, UserSession, created_at=timedelta(hours=13))
    assert client.get("/account/").status_code == 302


def test_changing_the_password_ends_the_other_sessions(app, client):
    registered(app, client)
    login(client)
    other = app.test_client()
    login(other)
    r = post(client, "/account/password", current=PASSWORD, password=NEW_PASSWORD,
             confirm=NEW_PASSWORD)  # fmt: skip
    assert r.status_code == 303
    assert client.get("/account/").status_code == 200
    assert other.get("/account/").status_code == 302
    assert login(other, password=NEW_PASSWORD).status_code == 303


def test_password_reset_is_single_use_and_expires(app, client):
    registered(app, client)
    login(client)
    r = post(client.application.test_client(), "/account/reset", email="ash@example.org")
    assert r.status_code == 303
    link = link_in(mails(app)[-1], "reset")
    other = app.test_client()
    r = post(other, link, password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    assert r.status_code == 303
    assert client.get("/account/").status_code == 302  # every session ended
    assert login(other, password=PASSWORD).status_code == 400
    assert login(other, password=NEW_PASSWORD).status_code == 303
    # Used once: the link is dead.
    assert app.test_client().get(link).status_code == 400

    post(app.test_client(), "/account/reset", email="ash@example.org")
    expired = link_in(mails(app)[-1], "reset")
    age(app, EmailToken, expires_at=timedelta(hours=2))
    assert app.test_client().get(expired).status_code == 400
    assert app.test_client().get("/account/reset/made-up-token").status_code == 400


def test_resetting_an_unknown_address_looks_the_same_and_sends_nothing(app, client):
    r = post(client, "/account/reset", email="nobody@example.org")
    assert r.status_code == 303 and r.headers["Location"] == "/account/check-email"
    assert mails(app) == []


def test_login_is_rate_limited_per_account_and_per_address(app):
    registered(app, app.test_client())
    attacker = app.test_client()
    codes = [login(attacker, password=f"guess number {i:03d}").status_code for i in range(7)]
    assert codes[:5] == [400] * 5 and codes[5:] == [429, 429]
    # Even the right password is refused while the account is locked out.
    assert login(attacker).status_code == 429
    assert "Too many tries" in login(app.test_client()).text
    # Other accounts from the same address still get their own tries.
    assert login(attacker, email="someone@example.org").status_code == 400


def test_redirect_after_login_only_to_this_site(app, client):
    registered(app, client)
    for target, expected in [("/account/password", "/account/password"),
                             ("https://evil.example/", "/account/"),
                             ("//evil.example/", "/account/"),
                             ("/\\evil.example", "/account/")]:  # fmt: skip
        c = app.test_client()
        r = c.post(f"/account/login?next={target}",
                   data={"email": "ash@example.org", "password": PASSWORD,
                         "csrf_token": csrf(c, "/account/login")})  # fmt: skip
        assert r.headers["Location"] == expected, target


def test_forms_refuse_a_forged_csrf_token(app, client):
    r = client.post("/account/login", data={"email": "a@example.org", "password": PASSWORD,
                                            "csrf_token": "forged"})  # fmt: skip
    assert r.status_code == 400
    registered(app, client)
    login(client)
    assert client.post("/account/logout", data={"csrf_token": "forged"}).status_code == 400


def test_no_password_or_token_reaches_a_log_line(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    registered(app, client)
    login(client)
    post(app.test_client(), "/account/reset", email="ash@example.org")
    token = link_in(mails(app)[-1], "reset").rsplit("/", 1)[1]
    logged = caplog.text
    assert PASSWORD not in logged and token not in logged
    # Access-log lines carry the link's path: the filter takes the token out.
    line = '"GET /account/reset/%s HTTP/1.1" 200 -'
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, line, (token,), None)
    RedactTokens().filter(record)
    assert token not in record.getMessage() and "[redacted]" in record.getMessage()


def test_account_pages_are_not_cached_and_cookies_are_httponly_lax(app, client):
    registered(app, client)
    r = login(client)
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/account/").headers["Cache-Control"] == "no-store"


def test_secure_cookies_outside_development(tmp_path):
    from app import create_app

    app = create_app({"SECRET_KEY": "x" * 32, "SEARCH_INDEX_DIR": str(tmp_path / "ix"),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/s.db",
                      "DRAIN_OUTBOX_ON_START": False})  # fmt: skip
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_registration_is_rate_limited_per_account(app):
    codes = [register(app.test_client(), "flood@example.org").status_code for _ in range(6)]
    assert codes[:5] == [303] * 5 and codes[5] == 429


def test_an_oversized_request_is_refused_with_413(app, client):
    r = client.post("/account/login", data={"email": "a@example.org", "password": "x" * 2_000_000})
    assert r.status_code == 413 and "That was too large" in r.text
