"""One engine: a whole state as one table, and each candidate alone as a table of one row,
fail the same requirements and get the same scores and order."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from directory.core import vocabulary as v
from directory.core.features import FeatureSet, empty, feature_row
from directory.core.featureview import Features
from matching.answers import parse_answers
from matching.engine import best, evaluate_table, rank, round3, table_of
from matching.features import StateTable
from matching.rules import PASSED, RULES
from tests.matching.helpers import COMPACTS, TODAY, candidate, psychologist
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


# Removed when the test process ends (the cached store below maps its files until then).
_SAVED = tempfile.TemporaryDirectory(prefix="features-")


@cache
def store(folder: str = "") -> Features:
    rows = [feature_row(c.id, 1, c.slug, c.profile, c.location, TODAY, COMPACTS)
            for c in candidates()]  # fmt: skip
    saved = Path(_SAVED.name) / "base"
    FeatureSet.from_rows(rows).save(saved)
    return Features(FeatureSet.load(saved))  # as a worker maps them


def table_for(state: str, day: date = TODAY) -> StateTable:
    return StateTable(store().of([c.id for c in candidates()], state, day), state)


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


@settings(max_examples=40, deadline=None)
@given(fuller_answers(), st.integers(min_value=0, max_value=900))
def test_features_built_on_one_day_judge_any_later_day_as_features_built_that_day(data, days):
    # Licenses and authorities lapse, compact states begin issuing, "accepting" turns
    # unconfirmed: the epochs carry every change, so nothing is rebuilt when the day moves on.
    prefs = parse_answers(data)
    later = TODAY + timedelta(days=days)
    ahead = evaluate_table(prefs, table_for(prefs.state, later))
    fresh = evaluate_table(prefs, table_of(candidates(), prefs.state, later, COMPACTS)[0])
    assert ahead.failed.tolist() == fresh.failed.tolist()
    assert ahead.raw.tolist() == fresh.raw.tolist()
    assert best(ahead, 10) == best(fresh, 10)


def test_a_license_counts_through_its_last_day_and_not_after():
    lapsing = candidate(licenses=[psychologist("OH", expires_on="2027-03-31")])
    rows = [feature_row(lapsing.id, 1, lapsing.slug, lapsing.profile, lapsing.location, TODAY,
                        COMPACTS)]  # fmt: skip
    features = Features(FeatureSet.from_rows(rows))
    assert features.in_state("OH", date(2027, 3, 31)).count == 1
    assert features.in_state("OH", date(2027, 4, 1)).count == 0
    assert features.count() == 1


def test_the_overlay_replaces_and_removes_rows_of_the_base():
    first, second, third = candidates()[:3]
    row = {c.id: feature_row(c.id, 1, c.slug, c.profile, c.location, TODAY, COMPACTS)
           for c in (first, second, third)}  # fmt: skip
    base = FeatureSet.from_rows([row[first.id], row[second.id]])
    changed = feature_row(second.id, 2, "renamed", second.profile, second.location, TODAY,
                          COMPACTS)  # fmt: skip
    features = Features(base, [changed, row[third.id]], deleted={first.id})
    assert features.count() == 2
    picked = features.of([third.id, first.id, second.id], second.profile.state, TODAY)
    assert picked.columns["id"].tolist() == [third.id, second.id]
    assert picked.columns["version"].tolist() == [1, 2]
    assert picked.text("slug", [0, 1]) == [third.slug, "renamed"]


def test_the_features_of_rows_taken_and_joined_are_those_rows():
    rows = [feature_row(c.id, 1, c.slug, c.profile, c.location, TODAY, COMPACTS)
            for c in candidates()[:30]]  # fmt: skip
    whole = FeatureSet.from_rows(rows)
    picked = np.array([29, 3, 3, 17, 0])
    joined = FeatureSet.concat([whole.take(picked[:2]), FeatureSet.from_rows([]),
                                whole.take(picked[2:])])  # fmt: skip
    expected = FeatureSet.from_rows([rows[i] for i in picked])
    for key, array in expected.arrays.items():
        assert np.array_equal(joined.arrays[key], array, equal_nan=True), key
    assert [joined.text("name_key", i) for i in range(5)] == [rows[i].texts[0] for i in picked]


def test_a_saved_set_reads_its_cards_from_the_file_as_the_set_in_memory_holds_them(tmp_path):
    rows = [feature_row(c.id, 1, c.slug, c.profile, c.location, TODAY, COMPACTS)
            for c in candidates()[:20]]  # fmt: skip
    saved = tmp_path / "base"
    FeatureSet.from_rows(rows).save(saved)
    loaded = FeatureSet.load(saved)
    assert "card" in loaded.files  # read with pread, not through the mapping
    assert [loaded.profile(i) for i in range(20)] == [c.profile for c in candidates()[:20]]
    assert [loaded.raw("card", i) for i in range(20)] == [
        bytes(loaded.arrays["t.card"][loaded.arrays["o.card"][i] : loaded.arrays["o.card"][i + 1]])
        for i in range(20)
    ]


def test_a_state_table_without_candidates_judges_nobody():
    table = StateTable(Features(empty()).in_state("WY", TODAY), "WY")
    judged = evaluate_table(parse_answers({"state": "WY", "zip": "82001"}), table)
    assert judged.passed == 0 and judged.excluded() == {}
    assert best(judged, 5) == []


# Halfway cases in thousandths (k / 2000), sixteenths and plain floats, repeated as scores are.
ROUNDABLE = st.one_of(
    st.integers(0, 2000).map(lambda k: k / 2000),
    st.integers(0, 16).map(lambda k: k / 16),
    st.floats(0, 1, allow_nan=False),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(ROUNDABLE, max_size=60), st.integers(1, 4))
def test_scores_round_to_three_places_exactly_as_python_rounds(values, repeat):
    array = np.array(values * repeat, dtype=np.float64)
    assert round3(array).tolist() == [round(x, 3) for x in values * repeat]


def test_a_state_table_is_kept_with_the_features_for_its_day_only(app, add):
    from directory.search import sync
    from matching import services
    from tests.factories import make_record

    add(make_record(state="OH", zip="43215", city="Columbus"))
    with app.app_context():
        features = sync.search_index(app).features()
        if features is None:
            pytest.skip("the PostgreSQL backend keeps no features: nothing is kept")
        first = services._table("OH", TODAY)[0]
        assert features.state_counts(TODAY)["OH"] == first.count == 1
        assert services._table("OH", TODAY)[0] is first
        assert services._table("OH", TODAY + timedelta(days=1))[0] is not first
        with pytest.raises(ValueError, match="read-only"):
            first["fee"][0] = 1  # shared by every match: nobody may change it
    add(make_record(state="OH", zip="43215", city="Columbus", name="Dana Drain"))
    with app.app_context():
        after = services._table("OH", TODAY)[0]
    assert after is not first and after.count == first.count + 1


def test_derived_values_are_kept_by_count_and_by_size(monkeypatch):
    from directory.core import featureview
    from directory.core.features import empty

    monkeypatch.setattr(featureview, "DERIVED_BYTES", 100)
    features = featureview.Features(empty())
    made = []

    def make(name, size):
        return features.derived(name, lambda: made.append(name) or name, size=lambda _: size)

    make("a", 40), make("b", 40), make("a", 40)  # "a" kept, then used again
    assert made == ["a", "b"]
    make("c", 40)  # 120 > 100: the least recently used ("b") goes
    make("a", 40), make("b", 40)
    assert made == ["a", "b", "c", "b"]
    make("huge", 500)  # over the budget alone: kept until the next one
    assert make("huge", 500) == "huge" and made.count("huge") == 1
    for i in range(featureview.DERIVED_KEPT):  # eight, "huge" the ninth: it goes
        make(i, 0)
    make(0, 0), make("huge", 500)  # 0 used again; "huge" made again, 1 goes
    make(1, 0)
    assert made.count(0) == 1 and made.count("huge") == 2 and made.count(1) == 2
