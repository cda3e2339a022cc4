"""Every coefficient of the engine, pinned by a case worked out by hand.

The expected values below are computed on paper from the numbers in the comments, never read
from ``matching.coefficients``: changing a coefficient there fails one of these cases until
its expected values are worked out again. The last test checks that this is so for every
coefficient the module defines.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from directory.core.geography import haversine_miles, zip_location
from matching import coefficients
from matching.components import COMPONENT_FUNCTIONS
from matching.engine import table_of
from matching.rules import fit
from tests.matching.helpers import COMPACTS, TODAY, candidate, prefs, run


def part(key, p, c):
    """Return a component's unrounded score for one candidate (a table of one row)."""
    table = table_of([c], p.state, TODAY, COMPACTS)[0]
    return float(COMPONENT_FUNCTIONS[key](p, table, fit(p, table)).score[0])


def close(value, expected):
    assert value == pytest.approx(expected, abs=1e-12), (value, expected)


def case_liked_approach_and_a_single_family():
    # Liked DBT at workshop level (credit 0.6): 0.6 * 0.6 best + 0.4 * 1 coverage = 0.76,
    # weighed 0.6. "Not sure" wants a mix: DBT alone is one family (0.6); style 3 is the target
    # 3: 0.75 * 0.6 + 0.25 * 1 = 0.70, weighed 0.4. (0.76 * 0.6 + 0.70 * 0.4) / 1 = 0.736.
    c = candidate(approaches={"dbt": "workshop"}, style=3)
    close(part("approach", prefs(approaches_liked=["dbt"]), c), 0.736)


def case_structured_with_an_avoided_approach():
    # Structured: the best credit in CBT/DBT is intensive (0.8); style 3 against the target 1.5
    # over the span 4: 1 - 1.5 / 4 = 0.625. 0.75 * 0.8 + 0.25 * 0.625 = 0.75625, less 0.25 for
    # the avoided EFT: 0.50625.
    c = candidate(approaches={"dbt": "intensive", "eft": "certified"}, style=3)
    p = prefs(approach_preference="structured", approaches_avoided=["eft"])
    close(part("approach", p, c), 0.50625)
    # A style fit of 0.875 (style 2) reads "as you prefer"; 0.625 (style 3) does not.
    (match,) = run(p, candidate(approaches={"dbt": "intensive"}, style=2)).matches
    assert match.components[0].reason == (
        "Offers DBT and describes their work as leaning structured, as you prefer structured work."
    )
    (match,) = run(p, c).matches
    assert match.components[0].reason.startswith(
        "Offers DBT but describes their work as a mix; you prefer structured work"
    )


def case_exploratory():
    # Attachment certified (credit 1.0); style 5 against the target 4.5: 1 - 0.5 / 4 = 0.875.
    # 0.75 * 1.0 + 0.25 * 0.875 = 0.96875.
    c = candidate(approaches={"attachment": "certified"}, style=5)
    close(part("approach", prefs(approach_preference="exploratory"), c), 0.96875)


def case_a_mix_with_a_trainer():
    # Liked DBT (trainer, credit 1.0) and IFS (not offered): 0.6 * 1.0 + 0.4 * 0.5 = 0.8,
    # weighed 0.6. A mix: DBT and EFT are both families (1.0); style 3 is the target 3:
    # 0.75 + 0.25 = 1.0, weighed 0.4. 0.8 * 0.6 + 1.0 * 0.4 = 0.88.
    c = candidate(approaches={"dbt": "trainer", "eft": "workshop"}, style=3)
    p = prefs(approach_preference="mix", approaches_liked=["dbt", "ifs"])
    close(part("approach", p, c), 0.88)


def case_pace():
    # Not sure (a mix): DBT alone is one family (0.6), style 3 on target: 0.75 * 0.6 + 0.25 =
    # 0.7, weighed 1; the pace part weighs 0.4. Gentle wanted: gentle 1.0, steady (one step)
    # 0.5, brisk (two steps) 0.0, unstated 0.5.
    p = prefs(pace="gentle")
    for pace, expected in (("gentle", 1.0), ("steady", 0.5), ("brisk", 0.0), ("", 0.5)):
        c = candidate(approaches={"dbt": "workshop"}, style=3, pace=pace)
        close(part("approach", p, c), (0.7 * 1 + expected * 0.4) / 1.4)


def case_course_frequency_and_access():
    # A few months (1-20 weeks): 12 weeks fits (1), 30 does not (0.3), none given (0.5).
    p = prefs(course_length="few_months")
    for weeks, expected in ((1, 1.0), (20, 1.0), (21, 0.3), (None, 0.5)):
        close(part("logistics", p, candidate(typical_course_weeks=weeks)), expected)
    # Longer is 21-60 weeks; open-ended is 40 weeks or more.
    longer = prefs(course_length="longer")
    for weeks, expected in ((20, 0.3), (21, 1.0), (60, 1.0), (61, 0.3)):
        close(part("logistics", longer, candidate(typical_course_weeks=weeks)), expected)
    p = prefs(course_length="open_ended")
    close(part("logistics", p, candidate(typical_course_weeks=39)), 0.3)
    close(part("logistics", p, candidate(typical_course_weeks=40)), 1)
    # Every other week: offered 1, only weekly 0, not stated 0.5.
    p = prefs(frequency="every_other_week")
    for offered, expected in ((["weekly", "every_other_week"], 1.0), (["weekly"], 0.0), ([], 0.5)):
        close(part("logistics", p, candidate(session_frequencies=offered)), expected)
    # One of two access needs listed, and evenings asked and offered: (0.5 + 1) / 2.
    p = prefs(access_needs=["wheelchair", "captioning"], evenings=True)
    c = candidate(accommodations=["wheelchair"], evening_hours=True)
    close(part("logistics", p, c), 0.75)


def case_concerns():
    # One of two concerns (0.8 * 0.5) and neglect experience (0.2): 0.6.
    p = prefs(concerns=["self_criticism", "people_pleasing"])
    close(part("concerns", p, candidate(concerns=["self_criticism"])), 0.6)
    # No concerns named: 0.5, and 0.5 more with neglect experience.
    close(part("concerns", prefs(), candidate(neglect_experience=False)), 0.5)
    close(part("concerns", prefs(), candidate(neglect_experience=True)), 1.0)


def case_cost():
    # $140 within $200: 0.7 + 0.3 * (1 - 140 / 200) = 0.79.
    close(part("cost", prefs(max_fee=200), candidate(fee=140, sliding_scale_min=None)), 0.79)
    # $140 over $100, but a sliding scale from $80: 0.6.
    close(part("cost", prefs(max_fee=100), candidate(fee=140, sliding_scale_min=80)), 0.6)
    # $120 over $100: 0.5 - 20 / 100 = 0.3.
    close(part("cost", prefs(max_fee=100), candidate(fee=120, sliding_scale_min=None)), 0.3)
    # Insurance asked for, not taken, and no budget: 0.5.
    close(part("cost", prefs(insurance="cigna"), candidate(insurance=[])), 0.5)
    # A sliding scale needed where the list fee is over the budget and there is none:
    # (0.5 - 20 / 100) * 0.6 = 0.18; within the budget at the list fee none is needed: 0.79.
    p = prefs(max_fee=100, needs_sliding_scale=True)
    close(part("cost", p, candidate(fee=120, sliding_scale_min=None)), 0.18)
    p = prefs(max_fee=200, needs_sliding_scale=True)
    close(part("cost", p, candidate(fee=140, sliding_scale_min=None)), 0.79)
    # With no budget, only the sliding scale itself: 0.5, or 0.5 * 0.6 = 0.3 without one.
    close(part("cost", prefs(needs_sliding_scale=True), candidate(sliding_scale_min=80)), 0.5)
    close(part("cost", prefs(needs_sliding_scale=True), candidate(sliding_scale_min=None)), 0.3)


def case_culture():
    # Spanish offered (1, weighed 1) and one of two communities (0.5, weighed 0.5):
    # (1 * 1 + 0.5 * 0.5) / 1.5 = 0.8333...
    p = prefs(languages=["es"], communities=["lgbtq", "veterans"])
    c = candidate(languages=["en", "es"], communities=["lgbtq"])
    close(part("culture", p, c), 1.25 / 1.5)


def case_logistics():
    # Evenings yes, weekends no, and an office 1.94 miles away of the 10 the person would
    # travel: (1 + 0 + (1 - 0.5 * miles / 10)) / 3.
    office, home = zip_location("43215"), zip_location("43201")
    miles = haversine_miles(office[1:], home[1:])
    p = prefs(format="in_person", zip="43201", max_distance_miles=10, evenings=True,
              weekends=True)  # fmt: skip
    c = candidate(evening_hours=True, weekend_hours=False, telehealth=False)
    close(part("logistics", p, c), (1 + 0 + (1 - 0.5 * miles / 10)) / 3)
    # Either format, a ZIP given, and the office out of reach: telehealth instead, 0.4.
    p = prefs(format="either", zip="43201", max_distance_miles=1)
    close(part("logistics", p, candidate(telehealth=True)), 0.4)


def case_progress():
    # One of two wanted methods (0.7 * 0.5) and goals set together (0.3): 0.65.
    p = prefs(progress_tracking=["mood_scales", "relationship_metrics"])
    c = candidate(progress_tracking=["goals", "mood_scales"], collaborative_goals=True)
    close(part("progress", p, c), 0.65)
    # Nothing asked: any tracking counts 0.5, goals set together 0.5.
    c = candidate(progress_tracking=["goals"], collaborative_goals=False)
    close(part("progress", prefs(), c), 0.5)
    c = candidate(progress_tracking=[], collaborative_goals=True)
    close(part("progress", prefs(), c), 0.5)


def case_weights():
    # Research weights 1, 1, 1, 1, 1.25, 0.75, 0.75, times 0 / 1 / 2 for the importance.
    p = prefs(max_fee=200, languages=["es"], evenings=True,
              importance={"approach": 0, "cost": 2})  # fmt: skip
    (match,) = run(p, candidate()).matches
    weights = {c.key: c.weight for c in match.components}
    assert weights == {"approach": 0.0, "concerns": 1.0, "qualifications": 1.0, "cost": 2.0,
                       "culture": 1.25, "logistics": 0.75, "progress": 0.75}  # fmt: skip
    expected = sum(c.score * c.weight for c in match.components) / 6.75
    close(match.raw, expected)
    (match,) = run(prefs(), candidate()).matches
    assert match.components[0].key == "approach" and match.components[0].weight == 1.0


def case_expiry_warning():
    # A license expiring in 60 days is mentioned; in 61 days it is not.
    for days, shown in ((60, True), (61, False)):
        expiry = (TODAY + timedelta(days=days)).isoformat()
        (match,) = run(prefs(), candidate(license={"expires_on": expiry})).matches
        assert (f"License expires {expiry}" in match.caveats) is shown, days


CASES = [value for name, value in sorted(globals().items()) if name.startswith("case_")]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_hand_computed_case(case):
    case()


def _changed(value):
    """Return values clearly different from ``value`` (each entry, for a dict)."""
    if isinstance(value, dict):
        return [{**value, key: _changed(inner)[0]} for key, inner in value.items()]
    if isinstance(value, tuple):
        return [(*value[:i], _changed(x)[0], *value[i + 1 :]) for i, x in enumerate(value)]
    if isinstance(value, bool):
        raise TypeError("no flags among the coefficients")
    return [value * 1.5 + 0.25 if isinstance(value, float) else value + 7]


NAMES = sorted(n for n in vars(coefficients) if n.isupper())


def _failing_cases() -> list[str]:
    failing = []
    for case in CASES:
        try:
            case()
        except AssertionError:
            failing.append(case.__name__)
    return failing


@pytest.mark.parametrize("name", NAMES)
def test_changing_any_coefficient_fails_a_case(name, monkeypatch):
    assert _failing_cases() == []
    for changed in _changed(getattr(coefficients, name)):
        with monkeypatch.context() as patch:
            patch.setattr(coefficients, name, changed)
            assert _failing_cases(), f"no case notices a change of {name} to {changed!r}"
