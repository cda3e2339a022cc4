"""One rule everywhere: search's state filter, the match and the profile's JSON agree on who may
see a client where, case by case (the cases of tests/directory/core/test_authority.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.practitioners.models import Practitioner
from tests.directory.core.test_authority import RULES
from tests.factories import make_record


@pytest.mark.parametrize(("what", "overrides", "state", "reached", "basis"), RULES,
                         ids=[r[0] for r in RULES])  # fmt: skip
def test_search_match_and_profile_agree(app, client, add, what, overrides, state, reached, basis):
    add(make_record(name="Case Person", **overrides))
    with app.app_context():
        slug = db.session.scalar(select(Practitioner.slug))
    listed = client.get(f"/api/v1/practitioners?state={state}").json
    assert (listed["total"] == 1) is reached, ("search", what)
    matched = client.post("/api/v1/match", json={"state": state, "format": "telehealth"}).json
    assert ([r["name"] for r in matched["results"]] == ["Case Person"]) is reached, ("match", what)
    profile = client.get(f"/api/v1/practitioners/{slug}").json
    assert (state in profile["practice_states"]) is reached, ("profile", what)
    if reached:
        assert profile["practice_states"][state]["basis"] == basis
        page = client.get(f"/therapists/{slug}").text
        assert profile["practice_states"][state]["through"][0]["reason"] in page
