"""One engine: a whole state as one table, and each candidate alone as a table of one row,
fail the same requirements and get the same scores and order."""

from __future__ import annotations

from datetime import date
from functools import cache

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from directory.core import vocabulary as v
from directory.core.checklist import evaluate
from matching.answers import parse_answers
from matching.engine import best, evaluate_table, rank, table_of
from matching.features import FeatureStore, StateTable
from matching.rules import PASSED, RULES
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
def test_a_whole_state_and_each_candidate_alone_are_judged_alike(data):
    prefs = parse_answers(data)
    judged = evaluate_table(prefs, table_for(prefs.state))
    for i, cand in enumerate(candidates()):
        alone = evaluate_table(prefs, table_of([cand], prefs.state, TODAY, COMPACTS)[0])
        assert judged.failed[i] == alone.failed[0], (cand.slug, RULES[alone.failed[0]])
        if alone.failed[0] == PASSED:
            assert judged.raw[i] == alone.raw[0], cand.slug
            for key, scores in alone.scores.items():
                assert judged.scores[key][i] == scores[0], (cand.slug, key)
    ranked = rank(prefs, candidates(), TODAY, COMPACTS)
    assert judged.excluded() == ranked.excluded
    assert judged.passed == len(ranked.matches)
    top = [int(judged.table["id"][i]) for i in best(judged, 10)]
    assert top == [m.candidate.id for m in ranked.matches[:10]]
    keys = [(m.candidate.profile.accepting_known(TODAY), m.raw) for m in ranked.matches]
    assert keys == sorted(keys, reverse=True)  # unconfirmed in 90 days: after the confirmed


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
    assert best(judged, 5) == []
