"""Properties that hold for any answers: scores in range, hard requirements never broken."""

import json
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from directory.core import vocabulary as v
from directory.core.authority import practice_authorities
from directory.core.geography import haversine_miles, zip_location
from directory.core.records import parse_record
from matching.answers import parse_answers
from matching.engine import Candidate
from matching.preferences import COMPONENTS
from tests.matching.helpers import COMPACTS, TODAY, run

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "sample_practitioners.json"
BUSY_STATES = ["CA", "TX", "NY", "FL", "OH", "PA", "IL", "WY", "VT"]
ZIPS = {"CA": "94103", "TX": "77002", "NY": "10001", "FL": "33130", "OH": "43215",
        "PA": "19103", "IL": "60601", "WY": "82001", "VT": "05401"}  # fmt: skip


@cache
def candidates() -> tuple[Candidate, ...]:
    records = json.loads(SAMPLES.read_text(encoding="utf-8"))[:400]
    out = []
    for i, record in enumerate(records):
        profile = parse_record(record)
        located = zip_location(profile.zip)
        out.append(Candidate(i, f"s-{i}", profile, (located[1], located[2])))
    return tuple(out)


def keys(vocab):
    return st.lists(st.sampled_from(sorted(vocab)), unique=True, max_size=3)


@st.composite
def answers(draw):
    state = draw(st.sampled_from(BUSY_STATES))
    data = {
        "state": state,
        "format": draw(st.sampled_from(["in_person", "telehealth", "either"])),
        "concerns": draw(keys(v.CONCERNS)),
        "approach_preference": draw(
            st.sampled_from(["structured", "exploratory", "mix", "unsure"])
        ),
        "approaches_liked": draw(keys(v.APPROACHES)),
        "languages": draw(
            st.lists(st.sampled_from(["en", "es", "zh", "vi"]), unique=True, max_size=2)
        ),
        "language_required": draw(st.booleans()),
        "needs_sliding_scale": draw(st.booleans()),
        "cost_is_firm_limit": draw(st.booleans()),
        "max_fee": draw(st.integers(40, 300)),
        "evenings": draw(st.booleans()),
        "weekends": draw(st.booleans()),
        "free_consultation": draw(st.booleans()),
        "allow_associates": draw(st.booleans()),
        "exclude_avoided": draw(st.booleans()),
        "therapist_gender": draw(st.sampled_from([None, "woman", "man", "non_binary"])),
        "progress_tracking": draw(keys(v.PROGRESS_METHODS)),
        "importance": {k: draw(st.integers(0, 2)) for k in COMPONENTS},
    }
    avoided = [k for k in draw(keys(v.APPROACHES)) if k not in data["approaches_liked"]]
    data["approaches_avoided"] = avoided
    if draw(st.booleans()):
        data["insurance"] = draw(st.sampled_from(sorted(v.INSURANCE_PLANS)))
    if draw(st.booleans()):
        data["zip"] = ZIPS[state]
        data["max_distance_miles"] = draw(st.sampled_from([5, 25, 100]))
    if data["language_required"] and not data["languages"]:
        data["language_required"] = False
    return {k: val for k, val in data.items() if val is not None}


@settings(max_examples=80, deadline=None)
@given(answers())
def test_scores_stay_in_range_and_no_match_breaks_a_hard_requirement(data):
    p = parse_answers(data)
    result = run(p, *candidates())
    assert result.considered == len(candidates())
    for m in result.matches:
        prof = m.candidate.profile
        assert 0 <= m.score <= 100
        assert all(0 <= c.score <= 1 and c.weight >= 0 for c in m.components)
        auth = practice_authorities(prof, TODAY, COMPACTS).get(p.state)
        assert auth is not None, "may practise where the person will be"
        assert p.allow_associates or not auth.supervised
        assert prof.accepting_new_clients
        in_person_ok = (
            prof.in_person and prof.state == p.state and not auth.telehealth_only
            and (p.origin is None
                 or haversine_miles(p.origin, m.candidate.location) <= p.distance_limit)
        )  # fmt: skip
        if p.format == "telehealth":
            assert prof.telehealth
        elif p.format == "in_person":
            assert in_person_ok
        else:
            assert prof.telehealth or in_person_ok
        if p.language_required:
            assert set(p.languages) & set(prof.languages)
        if p.cost_is_firm_limit:
            assert prof.lowest_fee <= p.max_fee or (p.insurance in prof.insurance)
        if p.exclude_avoided:
            assert not set(p.approaches_avoided) & set(prof.approach_keys)
    # Best first, except that "accepting" unconfirmed in 90 days comes after every confirmed one.
    keys = [(m.candidate.profile.accepting_known(TODAY), m.raw) for m in result.matches]
    assert keys == sorted(keys, reverse=True)


@settings(max_examples=60, deadline=None)
@given(answers())
def test_every_number_a_reason_shows_is_the_profiles_or_the_persons(data):
    """Dollars are the fee, the sliding-scale minimum or the person's budget; miles are the
    office's distance; counts of criteria are the checklist's."""
    import re

    p = parse_answers(data)
    for m in run(p, *candidates()).matches:
        prof = m.candidate.profile
        reasons = {c.key: c.reason for c in m.components}
        dollars = {int(d.replace(",", "")) for d in re.findall(r"\$([\d,]+)", reasons["cost"])}
        allowed = {prof.fee, prof.lowest_fee, p.max_fee}
        if prof.sliding_scale_min is not None:
            allowed.add(prof.sliding_scale_min)
        assert dollars <= allowed, (reasons["cost"], allowed)
        miles = {int(n) for n in re.findall(r"(\d+) miles? away", reasons["logistics"])}
        if miles:
            assert m.distance_miles is not None
            assert miles == {round(m.distance_miles)}, (reasons["logistics"], m.distance_miles)
        met = re.search(r"Meets (\d+) of (\d+)", reasons["qualifications"])
        if met:
            assert (int(met[1]), int(met[2])) == (m.checklist.met, m.checklist.total)
        for c in m.components:
            if c.weight == 0 and p.importance_of(c.key) > 0:
                # A dash only when the person gave nothing for it; never for a question answered.
                assert not (c.key == "culture" and (p.languages or p.therapist_gender))
                assert not (c.key == "cost" and (p.max_fee is not None or p.insurance))


@settings(max_examples=40, deadline=None)
@given(
    fee=st.integers(20, 300),
    budget=st.integers(20, 300),
    sliding=st.integers(10, 300),
    needs_scale=st.booleans(),
)
def test_within_budget_beats_a_sliding_scale_which_beats_over_budget(fee, budget, sliding,
                                                                     needs_scale):  # fmt: skip
    from tests.matching.helpers import candidate, prefs

    p = prefs(max_fee=budget, needs_sliding_scale=needs_scale)

    def cost(**kw):
        (m,) = run(p, candidate(**kw)).matches
        return next(c.score for c in m.components if c.key == "cost")

    within = cost(fee=min(fee, budget), sliding_scale_min=None)
    on_scale = cost(fee=budget + 50, sliding_scale_min=min(sliding, budget))
    over = cost(fee=budget + 50, sliding_scale_min=None)
    assert within > on_scale > over


@settings(max_examples=30, deadline=None)
@given(near=st.sampled_from(["43215", "43201", "43085"]), far=st.sampled_from(["44113", "45202"]))
def test_with_a_zip_and_either_format_an_office_nearby_ranks_above_an_equal_one_far_away(near, far):
    from tests.matching.helpers import candidate, prefs

    p = prefs(format="either", zip="43215", max_distance_miles=25)
    close = candidate(name="Close", zip=near)
    distant = candidate(name="Distant", zip=far)
    names = [m.candidate.profile.name for m in run(p, distant, close).matches]
    assert names == ["Close", "Distant"]
