"""The array engine agrees with the definition in scoring.py, candidate by candidate."""

from __future__ import annotations

from datetime import date
from functools import cache

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from directory.core import vocabulary as v
from directory.core.authority import authorities_by_state
from directory.core.checklist import evaluate
from matching.answers import parse_answers
from matching.scoring import HARD_RULES, failed_requirement, rank, score_candidate
from matching.table import PASSED, FeatureStore, StateTable, best, evaluate_table
from tests.matching.helpers import COMPACTS, TODAY
from tests.matching.test_properties import answers, candidates

BACKGROUNDS = [None, "Latina", "Korean American", "Black", "Irish Catholic"]
FAITHS = [None, "Jewish", "Muslim", "Christian", "Buddhist"]


@st.composite
def fuller_answers(draw):
    data = draw(answers())
    data["communities"] = draw(st.lists(st.sampled_from(sorted(v.COMMUNITIES)), unique=True,
                                        max_size=2))  # fmt: skip
    for key, options in (("therapist_background", BACKGROUNDS), ("therapist_faith", FAITHS)):
        choice = draw(st.sampled_from(options))
        if choice:
            data[key] = choice
    data["therapist_lgbtq"] = draw(st.booleans())
    return data


@cache
def store() -> FeatureStore:
    found = FeatureStore(capacity=16)  # small, so that the test also makes it grow
    for c in candidates():
        found.add(c.id, 1, c.slug, c.profile, c.location, evaluate(c.profile, TODAY), TODAY,
                  COMPACTS)  # fmt: skip
    return found


def table_for(state: str) -> StateTable:
    return store().table(state, np.array([c.id for c in candidates()]))


@settings(max_examples=60, deadline=None)
@given(fuller_answers())
def test_both_engines_fail_the_same_requirement_and_give_the_same_score(data):
    prefs = parse_answers(data)
    table = table_for(prefs.state)
    judged = evaluate_table(prefs, table)
    rules = list(HARD_RULES)
    for i, cand in enumerate(candidates()):
        authorities = authorities_by_state(cand.profile, TODAY, COMPACTS, only=prefs.state)
        reason, fit = failed_requirement(prefs, cand, authorities)
        expected = PASSED if reason is None else rules.index(reason)
        assert judged.failed[i] == expected, (cand.slug, reason, rules[judged.failed[i]])
        if reason is None:
            raw, _ = score_candidate(prefs, cand, fit, evaluate(cand.profile, TODAY))
            assert abs(judged.raw[i] - raw) < 1e-9, cand.slug
    exact = rank(prefs, candidates(), TODAY, COMPACTS)
    assert judged.excluded() == exact.excluded
    assert judged.passed == len(exact.matches)
    assert best(table, judged, 10) == [m.candidate.id for m in exact.matches[:10]]


def test_the_store_replaces_stale_rows_and_reports_them():
    fresh = FeatureStore()
    first, second = candidates()[:2]
    for c in (first, second):
        fresh.add(c.id, 1, c.slug, c.profile, c.location, evaluate(c.profile, TODAY), TODAY,
                  COMPACTS)  # fmt: skip
    ids = np.array([first.id, second.id, 999_999])
    assert fresh.stale(ids, np.array([1, 2, 1]), TODAY) == [second.id, 999_999]
    assert fresh.stale(ids[:1], np.array([1]), date(2026, 11, 2)) == [first.id]
    fresh.add(second.id, 2, second.slug, second.profile, second.location,
              evaluate(second.profile, TODAY), TODAY, COMPACTS)  # fmt: skip
    assert fresh.size == 2
    assert fresh.stale(ids[:2], np.array([1, 2]), TODAY) == []
    assert fresh.table("CA", ids).count == 2


def test_a_state_table_without_candidates_judges_nobody():
    table = FeatureStore().table("WY", np.zeros(0, dtype=np.int64))
    judged = evaluate_table(parse_answers({"state": "WY", "zip": "82001"}), table)
    assert judged.passed == 0 and judged.excluded() == {}
    assert best(table, judged, 5) == []
