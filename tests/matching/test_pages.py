"""The questionnaire, results, compare, kit and explanation pages, and answer privacy."""

import json
import logging
import re

import pytest
from sqlalchemy import inspect, text

from directory.extensions import db
from matching import coefficients

# The same API and page tests on each search backend (on PostgreSQL runs).
pytestmark = pytest.mark.both_backends

ANSWERS = {
    "state": "CA",
    "format": "either",
    "concerns": ["self_criticism", "naming_emotions"],
    "approach_preference": "mix",
    "approaches_liked": ["dbt"],
    "max_fee": "150",
    "needs_sliding_scale": "y",
    "insurance": "",
    "max_distance_miles": "25",
    "allow_associates": "yes",
    "therapist_gender": "",
    "importance_cost": "2",
}


def csrf_token(client, path="/match"):
    html = client.get(path).text
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def submit(client, **changes):
    data = {**ANSWERS, **changes, "csrf_token": csrf_token(client)}
    return client.post("/match", data={k: v for k, v in data.items() if v is not None})


@pytest.fixture
def client(sample_app):
    return sample_app.test_client()


def test_the_questionnaire_page(client):
    html = client.get("/match").text
    for text_ in ("Where you'll be", "What brings you", "How you'd like to work", "Cost",
                  "Culture and identity", "Scheduling", "How much each area matters",
                  "Dialectical Behavior Therapy (DBT)", "distress tolerance",
                  "never saved to our"):  # fmt: skip
        assert text_ in html
    assert 'method="post"' in html


def test_an_invalid_submission_keeps_the_answers_and_says_what_is_wrong(client):
    r = submit(client, state="", max_fee="-5", therapist_background="Somewhere Special")
    assert r.status_code == 400
    assert "Choose the state you&#39;ll be in during sessions." in r.text
    assert "Enter an amount from $0 to $10,000." in r.text
    assert 'value="Somewhere Special"' in r.text
    assert re.search(r'value="dbt"[^>]*checked|checked[^>]*value="dbt"', r.text)


def test_engine_problems_go_back_onto_the_fields(client):
    r = submit(client, zip="10001")
    assert r.status_code == 400
    assert "10001 is in New York, but you said you" in r.text


def test_a_valid_submission_redirects_to_results_without_answers_in_the_url(client):
    r = submit(client)
    assert r.status_code == 303
    assert r.headers["Location"] == "/match/results"
    page = client.get("/match/results")
    assert page.status_code == 200
    html = page.text
    assert "Your matches" in html and "<meter" in html
    assert "can&#39;t legally see clients in California" in html
    assert "Why this score" in html and "/100" in html
    # The bars are drawn, and the numbers and reasons are text too.
    assert re.search(r"<span class=\"pct\">\d+%</span>", html)


def test_results_without_answers_send_you_to_the_questionnaire(client):
    r = client.get("/match/results")
    assert r.status_code == 302 and r.headers["Location"] == "/match"


def test_an_empty_result_says_what_to_relax(client):
    submit(client, state="WY", format="in_person", zip="82001", max_distance_miles="5",
           languages=["ja"], language_required="y")  # fmt: skip
    html = client.get("/match/results").text
    assert "No one meets every requirement" in html
    assert "not shown because" in html


def test_forget_my_answers_clears_them(client):
    submit(client)
    assert client.get("/match/results").status_code == 200
    r = client.post("/match/forget", data={"csrf_token": csrf_token(client)})
    assert r.status_code == 303
    assert client.get("/match/results").status_code == 302
    with client.session_transaction() as session:
        assert "answers" not in session


def test_the_form_shows_earlier_answers_again(client):
    submit(client, therapist_background="Quietly Remembered")
    assert 'value="Quietly Remembered"' in client.get("/match").text


def shortlist(client, slug, action="add", next_="/compare"):
    return client.post("/shortlist", data={"slug": slug, "action": action, "next": next_,
                                           "csrf_token": csrf_token(client)})  # fmt: skip


def slugs(sample_app, n):
    with sample_app.app_context():
        return list(db.session.scalars(text("SELECT slug FROM practitioner ORDER BY id LIMIT :n"),
                                       {"n": n}))  # fmt: skip


def test_compare_two_to_four_side_by_side_and_print_the_kit(sample_app, client):
    a, b, c, d, e = slugs(sample_app, 5)
    assert "Add two or more" in client.get("/compare").text
    for slug in (a, b):
        assert shortlist(client, slug).status_code == 303
    html = client.get("/compare").text
    for label in ("Licenses", "The guide's checklist", "Approaches", "Fees and insurance",
                  "Formats", "Availability"):  # fmt: skip
        assert label in html
    assert html.count('scope="col"><a href="/therapists/') == 2
    for slug in (c, d, e):
        shortlist(client, slug)
    assert client.get("/compare").text.count('scope="col"><a href="/therapists/') == 4
    submit(client)
    kit = client.get("/match/kit").text
    assert "Questions for everyone" in kit and kit.count('class="kit-person"') == 4
    shortlist(client, a, action="remove")
    assert client.get("/compare").text.count('scope="col"><a href="/therapists/') == 3


def test_the_shortlist_refuses_unknown_profiles_and_foreign_redirects(sample_app, client):
    (a,) = slugs(sample_app, 1)
    assert shortlist(client, "no-such-person").status_code == 404
    r = shortlist(client, a, next_="https://evil.example/")
    assert r.headers["Location"] == "/compare"
    r = shortlist(client, a, next_="//evil.example/")
    assert r.headers["Location"] == "/compare"


def test_forms_need_a_csrf_token(client):
    assert client.post("/match", data=ANSWERS).status_code == 400
    assert client.post("/match/forget").status_code == 400


def test_the_questionnaire_offers_the_identity_vocabulary(client):
    page = client.get("/match").text
    assert 'list="background-terms"' in page and '<option value="Korean American">' in page
    assert 'list="faith-terms"' in page and '<option value="Catholic">' in page


def test_every_area_unimportant_shows_not_weighted_never_100(client):
    from matching.preferences import COMPONENTS

    r = submit(client, **{f"importance_{key}": "0" for key in COMPONENTS})
    page = client.get(r.headers["Location"]).text
    assert "Not weighted" in page and "ordered by the guide's checklist" in page
    assert "/100" not in page


def test_how_matching_works_shows_weights_and_rules(client):
    html = client.get("/match/how-it-works").text
    assert "Hard requirements" in html and "Culture and identity" in html
    assert "1.25" in html and "PSYPACT" in html


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [("AVOIDED_PENALTY", 0.37, "takes 0.37 off"), ("EXPIRY_WARNING_DAYS", 44, "within 44 days"),
     ("BASE_WEIGHTS", {**coefficients.BASE_WEIGHTS, "culture": 1.75}, "<td>1.75</td>")],
)  # fmt: skip
def test_how_matching_works_reads_the_engines_own_numbers(client, monkeypatch, name, value,
                                                          shown):  # fmt: skip
    assert shown not in client.get("/match/how-it-works").text
    monkeypatch.setattr(coefficients, name, value)
    assert shown in client.get("/match/how-it-works").text


def test_answers_are_never_stored_logged_or_put_in_a_url(sample_app, caplog):
    caplog.set_level(logging.DEBUG)
    client = sample_app.test_client()
    secret_background = "Zyxwvutsrq Heritage"
    secret_faith = "Quokkaspiritism"
    secret_values = "Vexillological Steadfastness"
    r = submit(client, therapist_background=secret_background, therapist_faith=secret_faith,
               languages=["es"], max_fee="137", values=secret_values,
               access_needs=["captioning"], pace="gentle")  # fmt: skip
    assert r.status_code == 303
    pages = [client.get(path) for path in ("/match/results", "/match", "/match/kit",
                                            "/compare", "/match/how-it-works", "/")]  # fmt: skip
    api = client.post("/api/v1/match", json={"state": "CA", "therapist_faith": secret_faith})
    assert api.status_code == 200

    # No URL: neither a redirect nor any link, form action or resource on the pages.
    urls = [r.headers["Location"]]
    for page in pages:
        urls += re.findall(r'(?:href|action|src)="([^"]*)"', page.text)
    for url in urls:
        assert secret_background.split()[0] not in url and secret_faith not in url
        assert "Vexillological" not in url
        assert not re.search(r"(max_fee|therapist_\w+|languages|state|values|access_\w+)=", url)

    # No log line.
    logged = "\n".join(rec.getMessage() for rec in caplog.records) + caplog.text
    assert secret_background.split()[0] not in logged and secret_faith not in logged
    assert "Vexillological" not in logged

    # No database row, in any table.
    with sample_app.app_context():
        for table in inspect(db.engine).get_table_names():
            for row in db.session.execute(text(f'SELECT * FROM "{table}"')):
                joined = " ".join(map(str, row))
                assert secret_background.split()[0] not in joined, table
                assert secret_faith not in joined, table
                assert "Vexillological" not in joined, table

    # Only in the session, encrypted: the cookie itself, decoded, never shows them.
    cookie = client.get_cookie("session").value
    with sample_app.app_context():
        stored = sample_app.session_interface.get_signing_serializer(sample_app).loads(cookie)
    decoded = json.dumps(stored)
    # The answers are ciphertext alone (which may hold "137" by chance: checked without it).
    # Other values (the CSRF token, the session id) are hex and may hold the digits too: the fee
    # must not appear as a value of its own.
    assert set(stored["answers"]) == {"c", "k"}
    plain = json.dumps({**stored, "answers": None})
    assert secret_faith not in decoded
    assert not re.search(r"(?<![0-9a-fA-F])137(?![0-9a-fA-F])", plain), plain
    assert "Vexillological" not in decoded
    assert secret_faith in client.get("/match").text  # yet the form shows them again
    assert secret_values in client.get("/match").text

    # "Forget my answers" is final: a copy of the old cookie brings nothing back.
    client.post("/match/forget", data={"csrf_token": csrf_token(client)})
    with client.session_transaction() as session:
        assert "answers" not in session
    replay = sample_app.test_client()
    replay.set_cookie("session", cookie)
    assert replay.get("/match/results").status_code == 302
    assert secret_faith not in replay.get("/match").text


def test_a_profile_page_offers_add_to_compare(sample_app, client):
    (a,) = slugs(sample_app, 1)
    html = client.get(f"/therapists/{a}").text
    assert "Add to compare" in html
    r = shortlist(client, a, next_=f"/therapists/{a}")
    assert r.headers["Location"] == f"/therapists/{a}"
    assert "Remove from compare" in client.get(f"/therapists/{a}").text


def test_a_shortlisted_profile_unpublished_later_is_dropped_not_a_404(sample_app, client):
    a, b = slugs(sample_app, 2)
    shortlist(client, a)
    shortlist(client, b)
    with sample_app.app_context():
        db.session.execute(
            text("UPDATE practitioner SET published = false WHERE slug = :s"), {"s": a}
        )
        db.session.commit()
    try:
        r = client.get("/compare")
        assert r.status_code == 200 and a not in r.text and b in r.text
        assert client.get("/match/kit").status_code == 200
        assert shortlist(client, a, action="remove").status_code == 303
    finally:
        with sample_app.app_context():
            db.session.execute(text("UPDATE practitioner SET published = true WHERE slug = :s"),
                               {"s": a})  # fmt: skip
            db.session.commit()


def test_compare_by_address_with_an_unknown_slug_is_a_404(client):
    assert client.get("/compare?p=nobody-here").status_code == 404


def test_deeply_nested_json_is_a_400(sample_app):
    body = "[" * 100_000 + "]" * 100_000
    r = sample_app.test_client().post("/api/v1/match", data=body,
                                      content_type="application/json")  # fmt: skip
    assert r.status_code == 400
