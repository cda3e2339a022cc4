"""The search box reads places and intent, and says plainly what no profile mentions (issue 13,
item 6): "Columbus, OH", "columbus ohio", "43210", "near me", distance and its sort, and a
"did you mean" that only offers the directory's words and searches with results."""

from __future__ import annotations

import pytest

from directory.core.places import find_place
from tests.directory.search.test_search import PEOPLE, names
from tests.factories import make_record

# The same API and page tests on each search backend (on PostgreSQL runs).
pytestmark = pytest.mark.both_backends


@pytest.fixture
def people(add):
    add(*PEOPLE.values())
    return PEOPLE


def api(client, query):
    r = client.get(f"/api/v1/practitioners?per_page=100&{query}")
    assert r.status_code == 200, r.json
    return r.json


@pytest.mark.parametrize(
    ("text", "words", "label", "state"),
    [
        ("Columbus, OH", "", "Columbus, OH", "OH"),
        ("columbus ohio", "", "Columbus, OH", "OH"),
        ("43210", "", "43210 (Columbus, OH)", "OH"),
        ("DBT in Columbus, OH", "DBT", "Columbus, OH", "OH"),
        ("san francisco ca parts work", "parts work", "San Francisco, CA", "CA"),
        ("St. Louis, MO", "", "Saint Louis, MO", "MO"),
        ("New York, New York", "", "New York, NY", "NY"),
        ("inner critic 94103-1234", "inner critic", "94103 (San Francisco, CA)", "CA"),
    ],
)
def test_places_in_the_search_text(text, words, label, state):
    found = find_place(text)
    assert (found.words, found.place.label, found.place.state) == (words, label, state)
    assert not found.near_me


@pytest.mark.parametrize(
    "text", ["Jordan Ash", "critic, shame", "therapy in", "Ohio", "00000", "Sam Fir"]
)
def test_words_that_are_no_place_stay_as_typed(text):
    found = find_place(text)
    assert found.place is None and found.words == text


def test_near_me_is_taken_out_and_noted():
    found = find_place("DBT near me")
    assert (found.words, found.place, found.near_me) == ("DBT", None, True)


def test_a_zip_in_the_box_is_the_location_filter(client, people):
    body = api(client, "q=94103")
    assert {x["name"] for x in body["results"]} == {"Casey Birch", "Morgan Dale", "Sam Fir"}
    assert body["place"] == {"zip": "94103", "radius": 25}
    assert body["notes"] == ["Searching near 94103 (San Francisco, CA)."]
    assert names(client, "q=94103&radius=5") == {"Casey Birch", "Morgan Dale"}


def test_a_city_and_words_search_the_words_near_the_city(client, people):
    body = api(client, "q=critic San Francisco, CA")
    assert {x["name"] for x in body["results"]} == {"Casey Birch", "Morgan Dale"}
    assert body["notes"] == ["Searching near San Francisco, CA."]
    page = client.get("/therapists?q=critic+San+Francisco,+CA").text
    assert "Searching near San Francisco, CA." in page
    assert "within 25 miles of" in page and "(San Francisco, CA)" in page
    assert "office 1 mile away" in page or "miles away" in page


def test_near_me_searches_the_rest_and_asks_for_a_zip(client, people):
    body = api(client, "q=DBT near me")
    assert {x["name"] for x in body["results"]} == {"Casey Birch"}
    assert "doesn't know where you are" in body["notes"][0]
    assert body["suggestion"] is None


def test_a_zip_in_another_state_than_the_state_filter_is_not_used(client, people):
    body = api(client, "q=94103&state=TX")
    assert body["place"] is None
    assert body["notes"] == [
        "94103 (San Francisco, CA) is in California, but you're searching for Texas: it was "
        "not used as a place."
    ]
    assert {x["name"] for x in body["results"]} == names(client, "state=TX")


def test_results_show_distance_and_sort_nearest_first(client, people):
    body = api(client, "q=94612&radius=50&sort=distance")
    results = body["results"]
    assert [x["name"] for x in results][0] == "Sam Fir"  # the Oakland office itself
    miles = [x["distance_miles"] for x in results]
    assert miles == sorted(miles) and miles[0] < 1
    assert api(client, "q=critic")["results"][0].get("distance_miles") is None
    r = client.get("/api/v1/practitioners?sort=distance")
    assert r.status_code == 400 and "ZIP code or a city" in r.json["errors"]["sort"][0]


@pytest.mark.parametrize("word", ["EMDR", "ADHD", "trauma"])
def test_a_word_no_profile_mentions_is_said_plainly_with_the_nearest_guide_terms(
    client, people, word
):
    body = api(client, f"q={word}")
    assert body["total"] == 0 and body["suggestion"] is None
    (said,) = body["unmentioned"]
    assert said["word"] == word and (said["concerns"] or said["approaches"])
    page = client.get(f"/therapists?q={word}").text
    assert f"No profile mentions “{word}”" in page
    assert "The nearest the guide names" in page
    assert "concern=" in page or "approach=" in page


def test_did_you_mean_only_offers_the_directorys_words_with_results(client, people, add):
    add(make_record(name="Jenny Emma Stone", bio="Old patterns faded with warm, steady work."))
    # The reported cases: "EMDR" suggested "emma" and "ADHD" "faded" (two letters away).
    for word in ("EMDR", "ADHD"):
        assert api(client, f"q={word}")["suggestion"] is None
    # "Jenkns" is two letters from "jenny", a name: no suggestion, and said to be unmentioned.
    body = api(client, "q=Jenkns")
    assert body["suggestion"] is None and body["unmentioned"][0]["word"] == "Jenkns"
    add(make_record(name="Avery Jenkins", bio="Warm, steady work."))
    assert api(client, "q=Jenkns")["suggestion"] == "jenkins"
    # A correction whose search would have no results is not offered.
    assert api(client, "q=attachmnet")["suggestion"] == "attachment"
    assert api(client, "q=attachmnet&state=NY")["suggestion"] is None
