"""The searches reported against the 1,000 fictional samples, each as it was typed (issue 13)."""

from __future__ import annotations

import pytest

from tests.apps import make_app


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with make_app(tmp_path_factory.mktemp("samples"), samples=True) as app:
        yield app.test_client()


def search(client, q, **extra):
    r = client.get("/api/v1/practitioners", query_string={"q": q, "per_page": 100, **extra})
    assert r.status_code == 200, r.json
    return r.json


@pytest.mark.parametrize("q", ["Columbus, OH", "columbus ohio", "43210"])
def test_a_place_finds_offices_near_it(client, q):
    body = search(client, q)
    assert body["total"] > 0 and body["place"]["radius"] == 25
    assert all(item["distance_miles"] <= 25 for item in body["results"])
    assert body["suggestion"] is None and body["unmentioned"] == []


def test_dbt_near_me_finds_dbt_and_asks_for_a_place(client):
    body = search(client, "DBT near me")
    assert body["total"] > 0 and body["suggestion"] is None
    assert "Enter a ZIP code" in body["notes"][0]
    assert all("dbt" in {a["key"] for a in item["approaches"]} for item in body["results"])


@pytest.mark.parametrize("q", ["EMDR", "ADHD", "trauma"])
def test_a_word_no_profile_has_gets_no_nonsense_suggestion(client, q):
    body = search(client, q)
    assert body["suggestion"] is None
    assert [u["word"] for u in body["unmentioned"]] == [q] or body["total"] > 0


def test_sorted_by_distance_from_a_city(client):
    body = search(client, "Columbus, OH", sort="distance", radius=50)
    miles = [item["distance_miles"] for item in body["results"]]
    assert miles and miles == sorted(miles)
