"""Directory search through the JSON API and the page: text, filters, facets and the rest."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.search.text import plain_words
from tests.factories import authority, make_record

# The same API and page tests on each search backend (on PostgreSQL runs).
pytestmark = pytest.mark.both_backends


def psychologist(state, number="PSY 1", status="verified"):
    return {
        "kind": "psychologist",
        "state": state,
        "number": number,
        "expires_on": "2028-01-01",
        "status": status,
        "verified_on": "2026-02-02" if status == "verified" else None,
    }


PEOPLE = {
    "ash": make_record(
        name="Jordan Ash",
        bio="I help people quiet a harsh inner critic and learn to name emotions.",
    ),
    "birch": make_record(
        name="Casey Birch",
        bio="Skills for regulating big feelings, with warmth. Critic voices welcome.",
        approaches={"dbt": "certified"},
        concerns=["people_pleasing"],
        languages=["en", "es"],
        state="CA",
        city="San Francisco",
        zip="94103",
        license={"state": "CA", "number": "LCSW 77"},
        telehealth=False,
        fee=200,
        sliding_scale_min=None,
        insurance=["bcbs"],
        free_consultation=False,
        evening_hours=True,
        accommodations=["wheelchair", "captioning"],
    ),
    "cedar": make_record(
        name="Riley Cedar",
        credentials="PsyD",
        bio="Schema work on the core beliefs that keep people pleasing others.",
        approaches={"cbt_schema": "trainer"},
        concerns=["attachment_trust"],
        languages=["es", "en"],
        licenses=[psychologist("TX", status="pending")],
        authorities=[authority("psypact_apit")],
        state="TX",
        city="Houston",
        zip="77002",
        in_person=False,
        fee=250,
        sliding_scale_min=120,
        insurance=[],
        accommodations=[],
    ),
    "dale": make_record(
        name="Morgan Dale",
        bio="Parts work for the inner critic and the caretaker in you.",
        approaches={"ifs": "intensive"},
        concerns=["relationships"],
        state="CA",
        city="San Francisco",
        zip="94110",
        license={"state": "CA", "number": "LMFT 12", "kind": "marriage_family_therapist"},
        telehealth=False,
        fee=90,
        sliding_scale_min=None,
        insurance=[],
        accepting_new_clients=False,
        accepting_confirmed_on=None,
    ),
    "elm": make_record(
        name="Quinn Elm",
        bio="Psychodynamic exploration of how early relationships echo today.",
        approaches={"psychodynamic": "certified"},
        concerns=["relational_mood"],
        state="NY",
        city="New York",
        zip="10001",
        license={
            "state": "NY",
            "number": "LMHC 3",
            "kind": "professional_counselor",
            "status": "rejected",
            "verified_on": None,
        },
        in_person=False,
        fee=275,
        sliding_scale_min=None,
        insurance=["aetna", "cigna"],
    ),
    "fir": make_record(
        name="Sam Fir",
        bio="Body-based grounding and attachment repair in Oakland.",
        approaches={"somatic": "workshop", "attachment": "workshop"},
        concerns=["attachment_trust"],
        state="CA",
        city="Oakland",
        zip="94612",
        license={"state": "CA", "number": "LCSW 99"},
        telehealth=False,
        fee=150,
        sliding_scale_min=None,
        insurance=[],
    ),
    "hidden": make_record(name="Hidden Fern", published=False, bio="Unpublished attachment."),
}


@pytest.fixture
def people(add):
    add(*PEOPLE.values())
    return PEOPLE


def names(client, query=""):
    r = client.get(f"/api/v1/practitioners?per_page=100&{query}")
    assert r.status_code == 200, r.json
    return {item["name"] for item in r.json["results"]}


def test_no_query_lists_every_published_practitioner_by_name(client, people):
    r = client.get("/api/v1/practitioners")
    body = r.json
    assert body["total"] == 6
    listed = [x["name"] for x in body["results"]]
    assert listed == sorted(listed, key=str.casefold)
    assert "Hidden Fern" not in listed


def test_result_carries_the_public_summary(client, people):
    item = client.get("/api/v1/practitioners?q=Birch").json["results"][0]
    for key in (
        "slug", "name", "credentials", "licenses", "approaches", "concerns", "languages",
        "formats", "city", "state", "zip", "fee", "sliding_scale_min", "insurance",
        "accepting_new_clients", "sample",
    ):  # fmt: skip
        assert key in item
    assert item["licenses"] == [
        {"kind": "clinical_social_worker", "state": "CA", "status": "verified",
         "supervised": False}
    ]  # fmt: skip
    assert item["formats"] == ["in_person"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("dialectical", {"Casey Birch"}),  # the human name of DBT
        ("welcoming", {"Casey Birch"}),  # stemming: "welcome"
        ("Internal Family Systems", {"Morgan Dale"}),
        ("critic", {"Jordan Ash", "Casey Birch", "Morgan Dale"}),
        ('"inner critic"', {"Jordan Ash", "Morgan Dale"}),
        ("critic NOT parts", {"Jordan Ash", "Casey Birch"}),
        ("(schema OR psychodynamic)", {"Riley Cedar", "Quinn Elm"}),
        ("perfectionism", {"Casey Birch"}),  # a concern's description
        ("Unpublished", set()),
    ],
)
def test_free_text(client, people, q, expected):
    assert names(client, f"q={q}") == expected


@pytest.mark.parametrize(
    "q",
    ['"inner critic', "(critic", "critic)", "AND", "critic AND", "OR OR critic", "NOT",
     "critic ((", '""', "AND critic"],
)  # fmt: skip
def test_malformed_syntax_never_errors_and_falls_back_to_words(client, people, q):
    r = client.get("/api/v1/practitioners", query_string={"q": q})
    assert r.status_code == 200
    found = {x["name"] for x in r.json["results"]}
    assert found == names(client, "q=" + " ".join(plain_words(q)))
    page = client.get("/therapists", query_string={"q": q})
    assert page.status_code == 200


@pytest.mark.parametrize("q", ["fee:[0 TO 999]", "states:CA", "crit*", "name:Ash^5"])
def test_field_range_and_wildcard_syntax_reach_nothing_private(client, people, q):
    r = client.get("/api/v1/practitioners", query_string={"q": q})
    assert r.status_code == 200
    assert r.json["total"] < 6


@pytest.mark.parametrize(
    ("q", "as_filter"),
    [("states:CA", "state=CA"), ("flags:verified", "verified=1"),
     ("insurance:aetna", "insurance=aetna"), ("license:psychologist", "license=psychologist")],
)  # fmt: skip
def test_a_visitors_field_syntax_is_plain_words_never_a_field_query(client, people, q, as_filter):
    found = names(client, "q=" + q)
    assert found == names(client, "q=" + " ".join(plain_words(q)))
    assert names(client, as_filter), as_filter  # the field does hold matching documents
    assert found != names(client, as_filter)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Ohio: Ash's license there, and Cedar's PSYPACT telehealth authority (TX -> OH).
        ("state=OH", {"Jordan Ash", "Riley Cedar"}),
        ("state=CA", {"Casey Birch", "Morgan Dale", "Sam Fir"}),
        # Elm's only license was rejected: nowhere to practise.
        ("state=NY", set()),
        ("zip=94103&radius=5", {"Casey Birch", "Morgan Dale"}),
        ("zip=94103&radius=25", {"Casey Birch", "Morgan Dale", "Sam Fir"}),
        ("zip=94103", {"Casey Birch", "Morgan Dale", "Sam Fir"}),  # 25 miles by default
        ("zip=10001&radius=100", set()),  # Elm sees clients by telehealth only
        ("license=psychologist", {"Riley Cedar"}),
        ("license=marriage_family_therapist", {"Morgan Dale"}),
        ("approach=attachment", {"Jordan Ash", "Sam Fir"}),
        ("approach=attachment&approach=somatic", {"Sam Fir"}),
        ("concern=people_pleasing", {"Casey Birch"}),
        ("language=es", {"Casey Birch", "Riley Cedar"}),
        ("format=telehealth", {"Jordan Ash", "Riley Cedar", "Quinn Elm"}),
        ("format=in_person", {"Jordan Ash", "Casey Birch", "Morgan Dale", "Sam Fir"}),
        ("accepting=1", {"Jordan Ash", "Casey Birch", "Riley Cedar", "Quinn Elm", "Sam Fir"}),
        # A sliding-scale minimum at or under the budget counts (Ash 80, Cedar 120).
        ("max_fee=120", {"Jordan Ash", "Morgan Dale", "Riley Cedar"}),
        ("max_fee=100", {"Jordan Ash", "Morgan Dale"}),
        ("insurance=aetna", {"Jordan Ash", "Quinn Elm"}),
        ("free_consultation=1", {"Jordan Ash", "Riley Cedar", "Quinn Elm", "Morgan Dale",
                                 "Sam Fir"}),
        ("verified=1", {"Jordan Ash", "Casey Birch", "Morgan Dale", "Sam Fir"}),
        ("verified=0", {"Jordan Ash", "Casey Birch", "Riley Cedar", "Morgan Dale",
                        "Quinn Elm", "Sam Fir"}),
        ("q=critic&state=CA&format=in_person", {"Casey Birch", "Morgan Dale"}),
        # The accessibility filter: every accommodation chosen must be listed.
        ("access=wheelchair", {"Jordan Ash", "Casey Birch", "Morgan Dale", "Quinn Elm",
                               "Sam Fir"}),
        ("access=captioning", {"Casey Birch"}),
        ("access=wheelchair&access=captioning", {"Casey Birch"}),
    ],
)  # fmt: skip
def test_filters(client, people, query, expected):
    assert names(client, query) == expected


@pytest.mark.parametrize("q", ["*", "*:*", "?"])
def test_bare_wildcards_are_not_queries(client, people, q):
    assert names(client, f"q={q}") == names(client)


def test_facet_counts_agree_with_the_results_they_lead_to(client, people):
    base = "state=CA"
    facets = client.get(f"/api/v1/practitioners?{base}").json["facets"]
    assert set(facets) == {"approach", "license", "language", "format"}
    for facet, counts in facets.items():
        for value, count in counts.items():
            assert len(names(client, f"{base}&{facet}={value}")) == count, (facet, value)
    assert facets["approach"]["dbt"] == 1
    assert facets["language"]["en"] == 3


def test_highlights_mark_the_matched_words_of_the_bio(client, people):
    item = client.get("/api/v1/practitioners?q=Ash critic").json["results"][0]
    pieces = [p for fragment in item["highlights"] for p in fragment]
    assert {"text": "critic", "match": True} in pieces
    assert "".join(p["text"] for p in pieces).startswith("I help people")
    html = client.get("/therapists?q=Ash+critic").text
    assert "<mark>critic</mark>" in html


def test_html_in_a_bio_is_shown_as_text_in_highlights(client, add):
    add(make_record(name="Tess Ivy", bio="A critic <script>alert(1)</script> <b>bold</b> end"))
    html = client.get("/therapists?q=critic").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<mark>critic</mark>" in html


def test_did_you_mean_for_a_misspelled_word(client, people):
    body = client.get("/api/v1/practitioners?q=attachmnet").json
    assert body["total"] == 0
    assert body["suggestion"] == "attachment"
    assert names(client, f"q={body['suggestion']}")
    page = client.get("/therapists?q=attachmnet").text
    assert "Did you mean" in page and 'href="/therapists?q=attachment"' in page


def test_no_suggestion_for_correct_words(client, people):
    assert client.get("/api/v1/practitioners?q=critic").json["suggestion"] is None


def test_sort_by_fee_and_by_name(client, people):
    by_fee = client.get("/api/v1/practitioners?sort=fee").json["results"]
    assert [x["fee"] for x in by_fee] == sorted(x["fee"] for x in by_fee)
    by_name = client.get("/api/v1/practitioners?sort=name&q=critic").json["results"]
    assert [x["name"] for x in by_name] == ["Casey Birch", "Jordan Ash", "Morgan Dale"]


def test_browsing_pages_are_kept_but_follow_every_change(client, people, add):
    def browse(sort, page):
        query = f"sort={sort}&per_page=2&page={page}"
        return [x["name"] for x in client.get(f"/api/v1/practitioners?{query}").json["results"]]

    every = [x["name"] for x in client.get("/api/v1/practitioners?sort=name").json["results"]]
    pages = {(sort, n): browse(sort, n) for sort in ("name", "fee") for n in (1, 2, 3)}
    assert [name for n in (1, 2, 3) for name in pages["name", n]] == every[:6]
    assert all(browse(sort, n) == shown for (sort, n), shown in pages.items())  # kept alike
    add(make_record(name="Aaron Aardvark", fee=1, sliding_scale_min=None))  # first both ways
    for sort in ("name", "fee"):
        assert browse(sort, 1) == ["Aaron Aardvark", pages[sort, 1][0]]
        assert browse(sort, 2) == [pages[sort, 1][1], pages[sort, 2][0]]


def test_relevance_ranks_name_matches_first(client, people):
    results = client.get("/api/v1/practitioners?q=Dale critic").json["results"]
    assert results[0]["name"] == "Morgan Dale"
    assert results[0]["score"] > 0


def test_pagination(client, people):
    first = client.get("/api/v1/practitioners?per_page=4").json
    second = client.get("/api/v1/practitioners?per_page=4&page=2").json
    assert (first["total"], first["page"], first["per_page"]) == (6, 1, 4)
    assert len(first["results"]) == 4 and len(second["results"]) == 2
    assert not {x["slug"] for x in first["results"]} & {x["slug"] for x in second["results"]}
    beyond = client.get("/api/v1/practitioners?per_page=4&page=9").json
    assert beyond["results"] == [] and beyond["total"] == 6
    html = client.get("/therapists?per_page=4").text
    assert "Page 1 of 2" in html and 'rel="next"' in html


def test_an_empty_result_says_which_filter_to_remove(client, people):
    body = client.get("/api/v1/practitioners?state=OH&language=es&format=in_person").json
    assert body["total"] == 0
    relax = {r["label"]: r["total"] for r in body["relax"]}
    assert relax["Spanish"] == 1  # Ash
    html = client.get("/therapists?state=OH&language=es&format=in_person").text
    assert "No one matches all of these" in html


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("state=ZZ", "state"),
        ("max_fee=-5", "max_fee"),
        ("max_fee=cheap", "max_fee"),
        ("page=0", "page"),
        ("radius=10", "radius"),
        ("zip=00000", "zip"),
        ("zip=abc", "zip"),
        ("per_page=1000", "per_page"),
        ("sort=random", "sort"),
        ("approach=reiki", "approach"),
        ("access=ramp", "access"),
        ("license=wizard", "license"),
        ("format=carrier_pigeon", "format"),
        ("colour=blue", "colour"),
    ],
)
def test_bad_parameters_get_a_400_naming_the_parameter(client, people, query, param):
    r = client.get(f"/api/v1/practitioners?{query}")
    assert r.status_code == 400
    assert r.is_json
    assert r.json["message"].startswith(f"{param}:")
    assert param in r.json["errors"]


def test_bad_parameters_on_the_page_re_render_the_form_with_a_400(client, people):
    r = client.get("/therapists?state=ZZ&q=critic&max_fee=-1")
    assert r.status_code == 400
    assert "Unknown state" in r.text
    assert 'value="critic"' in r.text  # nothing the visitor typed is lost
    assert 'aria-invalid="true"' in r.text


def test_index_reflects_edits_and_unpublishing(app, client, people, add):
    add(make_record(name="Late Larch", approaches={"dbt": "workshop"}))
    assert "Late Larch" in names(client, "q=dialectical")
    from directory.extensions import db
    from directory.practitioners.models import Practitioner

    with app.app_context():
        larch = db.session.scalar(db.select(Practitioner).filter_by(name="Late Larch"))
        larch.published = False
        db.session.commit()
    assert "Late Larch" not in names(client, "q=dialectical")


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(q=st.text(max_size=60) | st.lists(st.sampled_from(
    ['"', "(", ")", "AND", "OR", "NOT", "critic", "*", ":", "^", "[", "]", "~", "\x00", "é"]
), max_size=8).map(" ".join))  # fmt: skip
def test_any_text_is_answered_without_error(client, people, q):
    r = client.get("/api/v1/practitioners", query_string={"q": q})
    if "\x00" in q:  # refused at the door, the same on every database
        assert r.status_code == 400 and "NUL character" in r.json["message"]
        return
    assert r.status_code == 200
    assert 0 <= r.json["total"] <= 6


def test_search_never_shows_an_expired_license_as_verified(client, add):
    add(make_record(name="Lapsed Lee", license={"expires_on": "2026-09-30"}))
    item = client.get("/api/v1/practitioners?q=Lapsed").json["results"][0]
    assert item["licenses"][0]["status"] == "expired"


def test_an_old_accepting_claim_is_not_shown_as_fact_in_results(client, add):
    add(make_record(name="Stale Claim", accepting_confirmed_on="2026-08-20"),
        make_record(name="Fresh Claim", accepting_confirmed_on="2026-10-25"))  # fmt: skip
    html = client.get("/therapists?q=Stale").text
    assert "Accepting new clients: not confirmed recently" in html
    body = client.get("/api/v1/practitioners?q=Claim").json
    recent = {x["name"]: x["accepting_confirmed_recently"] for x in body["results"]}
    assert recent == {"Stale Claim": False, "Fresh Claim": True}


def test_the_search_form_submits_cleanly_as_rendered(client, people):
    """Submitting the page's own form unchanged must never produce a 400."""
    html = client.get("/therapists").text
    form = html[html.index('<form class="search-form"') : html.index("</form>")]
    args = []
    for select in re.finditer(r'<select[^>]*name="(\w+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(2))
        first = re.search(r'<option value="([^"]*)"', select.group(2))
        args.append((select.group(1), (chosen or first).group(1)))
    for radio in re.finditer(r'<input type="radio" name="(\w+)" value="([^"]*)"[^>]*checked', form):
        args.append(radio.groups())
    r = client.get("/therapists", query_string=args)
    assert r.status_code == 200, args


@pytest.mark.parametrize("zip_code", ["١٢٣٤٥", "１２３４５"])
def test_a_zip_in_other_digits_is_a_400(client, people, zip_code):
    r = client.get("/api/v1/practitioners", query_string={"zip": zip_code})
    assert r.status_code == 400 and r.json["message"].startswith("zip:")
