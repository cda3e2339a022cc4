"""An empty or short result names the answer that, relaxed alone, brings back the most people."""

from __future__ import annotations

from dataclasses import replace

import pytest

from directory.core import vocabulary as v
from matching.answers import parse_answers
from matching.explain import relax_advice
from matching.rules import FARTHER_MILES, RELAXATIONS
from matching.services import find_matches

# Each relaxation, as the answers it changes (to re-run the match with).
CHANGED = {
    "either_format": {"format": "either"},
    "farther": {"max_distance_miles": FARTHER_MILES},
    "associates": {"allow_associates": True},
    "language_preferred": {"language_required": False},
    "access_preferred": {"access_required": False},
    "cost_flexible": {"cost_is_firm_limit": False},
    "avoided_allowed": {"exclude_avoided": False},
}


def count(app, answers) -> int:
    with app.test_request_context():
        return find_matches(parse_answers(answers), limit=1).count


@pytest.mark.parametrize("fmt", ["telehealth", "either", "in_person"])
def test_in_every_state_the_numbers_are_real_and_nothing_chosen_is_suggested(sample_app, fmt):
    for state in v.STATES:
        answers = {"state": state, "format": fmt, "languages": ["ja"], "language_required": True,
                   "allow_associates": False}  # fmt: skip
        if fmt == "in_person":
            answers["zip"] = None
        answers = {k: x for k, x in answers.items() if x is not None}
        with sample_app.test_request_context():
            prefs = parse_answers(answers)
            result = find_matches(prefs, limit=5)
        if result.count >= 5:
            assert result.relaxed == {}
            continue
        assert set(result.relaxed) <= set(RELAXATIONS)
        if fmt == "either":
            assert "either_format" not in result.relaxed  # already chosen
        assert "associates" in result.relaxed and "language_preferred" in result.relaxed
        for key, more in result.relaxed.items():
            # Each figure is what re-running the match with that one answer changed gives.
            assert count(sample_app, {**answers, **CHANGED[key]}) - result.count == more, (
                state, fmt, key)  # fmt: skip
        advice = relax_advice(result.relaxed, result.excluded, prefs, result.count)
        best = max(result.relaxed.values(), default=0)
        if best > 0:
            assert advice.startswith(f"{best:,} more would be shown if ")
        if fmt == "telehealth" or fmt == "either":
            assert "accept telehealth" not in (advice or "")


def test_a_required_language_named_as_the_blocker_not_licensing(sample_app):
    # The reported case: telehealth chosen, a language required; licensing excludes the most,
    # but relaxing the language is what would bring people back.
    answers = {"state": "OH", "format": "telehealth", "languages": ["ja"],
               "language_required": True}  # fmt: skip
    with sample_app.test_request_context():
        prefs = parse_answers(answers)
        result = find_matches(prefs)
    assert result.count == 0
    assert max(result.excluded, key=result.excluded.get) == "license"
    advice = relax_advice(result.relaxed, result.excluded, prefs, result.count)
    more = result.relaxed["language_preferred"]
    assert more > 0 and advice.startswith(
        f"{more:,} more would be shown if Japanese were preferred, not required."
    )
    assert "telehealth" not in advice
    page = sample_app.test_client()
    r = page.post("/api/v1/match", json=answers)
    assert r.json["more_if_relaxed"]["language_preferred"] == more


def test_when_nothing_the_person_set_would_help_it_says_so():
    prefs = replace(parse_answers({"state": "WY"}), format="either")
    advice = relax_advice({}, {"license": 40, "accepting": 2}, prefs, 0)
    assert advice == (
        "No single answer you could change would bring anyone back: most can't legally see "
        "clients in Wyoming, where you'll be."
    )
    assert relax_advice({"associates": 0}, {"license": 3}, prefs, 2) is None
