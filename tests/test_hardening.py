"""The attack table's defects, each with the test that would have caught it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.practitioners.models import Practitioner
from tests.apps import make_app
from tests.directory.account_helpers import PASSWORD, admin_client, csrf, mails, post, register
from tests.factories import make_record


def register_then_reset(app, host: str) -> None:
    """Register ash@example.org, then ask for a reset with this Host header (CSRF off)."""
    client = app.test_client()
    client.post("/account/register", data={"email": "ash@example.org", "password": PASSWORD,
                                            "confirm": PASSWORD})  # fmt: skip
    r = client.post("/account/reset", data={"email": "ash@example.org"}, headers={"Host": host})
    assert r.status_code == 303


def test_mailed_links_never_follow_the_requests_host(tmp_path):
    # Even a host the site was told to trust does not end up in a link: links come from
    # SITE_URL only.
    # (CSRF is off here only because the test client keeps its cookies for localhost.)
    with make_app(tmp_path, TRUSTED_HOSTS=["evil.example", "localhost"], WTF_CSRF_ENABLED=False,
                  SITE_URL="https://directory.example.org") as app:  # fmt: skip
        register_then_reset(app, host="evil.example")
        sent = mails(app)
        assert len(sent) == 2 and all("evil.example" not in m for m in sent)
        assert "https://directory.example.org/account/reset/" in sent[-1]


def test_without_site_url_links_use_flasks_server_name_and_scheme(tmp_path):
    with make_app(tmp_path, SITE_URL=None, SERVER_NAME="directory.example.org",
                  PREFERRED_URL_SCHEME="https", WTF_CSRF_ENABLED=False) as app:  # fmt: skip
        assert app.config["SITE_URL"] == "https://directory.example.org"
        assert "directory.example.org" in app.config["TRUSTED_HOSTS"]
        register_then_reset(app, host="127.0.0.1")
        assert "https://directory.example.org/account/reset/" in mails(app)[-1]


def test_a_forged_host_is_refused_before_anything_is_mailed(app, client):
    register(client)
    before = len(mails(app))
    token = csrf(client, "/account/reset")
    r = client.post("/account/reset", data={"email": "ash@example.org", "csrf_token": token},
                    headers={"Host": "evil.example"})  # fmt: skip
    assert r.status_code == 400 and len(mails(app)) == before


@pytest.mark.parametrize("host", ["evil.example", "a" * 70 + ".example", "x" * 300])
def test_an_unknown_host_gets_400_with_the_security_headers(client, host):
    for path in ("/", "/therapists", "/api/v1/practitioners", "/account/login"):
        r = client.get(path, headers={"Host": host})
        assert r.status_code == 400, (host, path)
        assert "Content-Security-Policy" in r.headers


def test_the_api_builds_its_urls_from_the_site_address(client, add):
    add(make_record(name="Url Person"))
    body = client.get("/api/v1/practitioners").json
    assert body["results"][0]["url"].startswith("http://127.0.0.1:5000/therapists/")
    matched = client.post("/api/v1/match", json={"state": "OH"}).json
    assert matched["results"][0]["url"].startswith("http://127.0.0.1:5000/therapists/")


@pytest.mark.parametrize("name", ["language", "license", "format", "insurance", "approach",
                                  "concern", "state"])  # fmt: skip
def test_a_blank_filter_value_filters_on_nothing(client, add, name):
    add(make_record(name="Blank Person"))
    assert client.get(f"/therapists?{name}=%20").status_code == 200
    body = client.get(f"/api/v1/practitioners?{name}=%20").json
    assert body["total"] == 1


def test_not_is_honoured_after_and(client, add):
    add(make_record(name="Both Ways", bio="Attachment and somatic work.",
                    approaches={"attachment": "certified", "somatic": "workshop"}),
        make_record(name="Attachment Only", bio="Attachment work.",
                    approaches={"attachment": "certified"}))  # fmt: skip
    for q in ("attachment AND NOT somatic", "attachment NOT somatic"):
        found = client.get("/api/v1/practitioners", query_string={"q": q}).json["results"]
        assert [x["name"] for x in found] == ["Attachment Only"], q


def test_head_is_answered_like_get(client):
    assert client.head("/match").status_code == 200
    assert client.head("/therapists").status_code == 200


def test_ids_past_sqlites_integers_are_404_not_500(app, client):
    for path in ("/admin/claims/9223372036854775808/approve",
                 "/admin/licenses/99999999999999999999/verify"):  # fmt: skip
        assert client.post(path).status_code in (302, 404), path


def test_an_unknown_style_is_a_field_error_not_a_500(app, client):
    from tests.directory.account_helpers import login, registered
    from tests.directory.practitioners.test_profile_edit import FORM, save

    registered(app, client)
    login(client)
    r = save(client, style="abc")
    assert r.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Practitioner)) is None
    assert FORM  # the profile form the test above filled in


def test_an_administrators_hold_is_sticky_until_an_administrator_lifts_it(app, client, add,
                                                                          admin_key):  # fmt: skip
    from tests.directory.account_helpers import login, registered

    add(make_record(name="Held Hal"))
    registered(app, client, "hal@example.org")
    login(client, "hal@example.org")
    with app.app_context():
        from directory.accounts.models import User

        p = db.session.scalar(select(Practitioner))
        p.owner_id = db.session.scalar(select(User.id).where(User.email == "hal@example.org"))
        slug = p.slug
        db.session.commit()
    admin = admin_client(app, admin_key[0])
    refused = post(admin, f"/admin/practitioners/{slug}/unpublish", form_page="/account/login")
    assert refused.status_code == 303 and client.get(f"/therapists/{slug}").status_code == 200
    post(admin, f"/admin/practitioners/{slug}/unpublish", form_page="/account/login",
         reason="A complaint is being looked into.")  # fmt: skip
    post(client, "/account/profile/publish", form_page="/account/profile", action="publish")
    assert client.get(f"/therapists/{slug}").status_code == 404  # the practitioner can't undo it
    page = client.get("/account/profile").text
    assert "A complaint is being looked into." in page and "Publish my profile" not in page
    add(make_record(name="Held Hal", external_id=_external_id(app)))  # re-importing can't either
    assert client.get(f"/therapists/{slug}").status_code == 404
    assert "Held Hal" in admin.get("/admin/").text
    post(admin, f"/admin/practitioners/{slug}/release", form_page="/account/login")
    post(client, "/account/profile/publish", form_page="/account/profile", action="publish")
    assert client.get(f"/therapists/{slug}").status_code == 200


def _external_id(app):
    with app.app_context():
        return db.session.scalar(select(Practitioner.external_id))


def test_create_admin_ends_the_accounts_earlier_sessions(app, client, runner):
    from tests.directory.account_helpers import login, registered

    registered(app, client, "promoted@example.org")
    login(client, "promoted@example.org")
    assert client.get("/account/").status_code == 200
    result = runner.invoke(args=["directory", "create-admin", "promoted@example.org",
                                 "--password", "north lighthouse keeper"])  # fmt: skip
    assert result.exit_code == 0 and "1 earlier sessions ended" in result.output
    assert client.get("/account/").status_code == 302  # logged out
    assert client.get("/admin/").status_code == 302


def test_a_password_only_session_never_gets_admin_pages(app, client):
    from directory.accounts.models import User
    from tests.directory.account_helpers import login, registered

    registered(app, client, "sneaky@example.org")
    login(client, "sneaky@example.org")
    with app.app_context():  # made an administrator behind the login's back
        user = db.session.scalar(select(User))
        user.role = "admin"
        db.session.commit()
    assert client.get("/admin/").status_code == 403


def test_registering_a_taken_address_hashes_the_password_too(client, monkeypatch):
    from directory.accounts import views

    hashed = []
    real = views.hash_password
    monkeypatch.setattr(views, "hash_password", lambda *a: hashed.append(1) or real(*a))
    register(client)
    register(client)  # the same address again: it must cost the same
    assert len(hashed) == 2


def test_the_zip_cache_keeps_only_real_zip_codes(client):
    from directory.core.geography import _lookup

    before = _lookup.cache_info().currsize
    for i in range(50):
        r = client.post("/api/v1/match", json={"state": "OH", "zip": f"{i:05d}" * 2000})
        assert r.status_code == 400
        client.get("/api/v1/practitioners", query_string={"zip": "9" * 10_000 + str(i)})
    assert _lookup.cache_info().currsize == before


def test_did_you_mean_corrects_a_bounded_number_of_words_and_remembers_the_answer(
    app, add, monkeypatch
):
    from directory.search import suggest as module
    from directory.search.sync import search_index

    add(make_record(name="Spell Person", bio="Attachment work with people pleasing patterns."))
    # The bound in words is what is tested here; the one in time (50 ms) would cut a loaded
    # machine's run short and count fewer words.
    monkeypatch.setattr(module, "SUGGEST_SECONDS", 60.0)
    calls = []
    with app.app_context(), search_index().searching() as searcher:
        real = searcher.s.corrector

        def counting(fieldname):
            corrector = real(fieldname)
            suggest = corrector.suggest
            corrector.suggest = lambda *a, **k: calls.append(1) or suggest(*a, **k)
            return corrector

        monkeypatch.setattr(searcher.s, "corrector", counting)
        hostile = " ".join(f"q{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(50))
        searcher.suggest(hostile)
        assert len(calls) == module.SUGGEST_WORDS
        searcher.suggest(hostile)
        assert len(calls) == module.SUGGEST_WORDS  # the answer was kept
        assert searcher.suggest("atachment")[0] == "attachment"


def test_claims_are_rate_limited_per_account(app, client, add):
    from tests.directory.account_helpers import login, registered

    add(*[make_record(name=f"Claimable {i}") for i in range(7)])
    registered(app, client)
    login(client)
    with app.app_context():
        slugs = db.session.scalars(select(Practitioner.slug)).all()
    codes = [post(client, f"/account/claim/{slug}", message="mine").status_code for slug in slugs]
    assert codes[:5] == [303] * 5 and 429 in codes[5:]


@pytest.mark.parametrize("body", [False, [1, 2], 7, "text", {"email": {"nested": 1}}])
def test_a_json_body_sent_to_a_pages_form_is_not_a_500(client, body):
    # Found by the route fuzzer: Flask-WTF filled forms from JSON, and ``false`` broke it.
    token = csrf(client, "/account/register")
    r = client.post("/account/register", json=body, headers={"X-CSRFToken": token})
    # The form is shown again, empty, with its errors: the JSON filled nothing in.
    assert r.status_code in (200, 400) and 'name="email"' in r.text
    assert "This field is required" in r.text or "required" in r.text.lower()


def test_a_nul_character_anywhere_is_a_400_on_every_database(client):
    # PostgreSQL's text cannot hold one (a 500 before); SQLite stored it silently.
    for path in ("/therapists?q=anx%00iety", "/therapists/some%00one", "/therapists?state%00=OH"):
        r = client.get(path)
        assert r.status_code == 400, path
    r = client.post("/account/login", data={"email": "a\x00@example.org", "password": "x"})
    assert r.status_code == 400
    assert (
        client.get("/api/v1/practitioners?q=a%00")
        .json["message"]
        .startswith("The request contains a NUL")
    )
