"""Pace, course length and frequency, values, and access needs (issue 13, item 4).

Each reason is pinned word for word for a hand-built profile; the scores are pinned in
``test_coefficients.py``.
"""

from __future__ import annotations

import pytest

from directory.core.records import parse_record
from matching.engine import table_of
from matching.explain import exclusion_message, relax_advice
from matching.kit import questions_for
from matching.rules import RULES, relaxed_counts
from tests.factories import make_record
from tests.matching.helpers import COMPACTS, TODAY, candidate, prefs, run


def reason(p, c, key):
    (match,) = run(p, c).matches
    return next(x for x in match.components if x.key == key)


@pytest.mark.parametrize(
    ("wanted", "theirs", "said"),
    [
        ("gentle", "gentle", "works at a gentle pace, as you'd like"),
        ("gentle", "brisk", "works at a brisk pace; you'd like a gentle one"),
        ("brisk", "", "doesn't say what pace they work at"),
    ],
)  # fmt: skip
def test_the_pace_reason_names_both_paces(wanted, theirs, said):
    c = candidate(approaches={"dbt": "workshop"}, style=3, pace=theirs)
    assert said in reason(prefs(pace=wanted), c, "approach").reason


@pytest.mark.parametrize(
    ("answers", "profile", "sentence"),
    [
        ({"course_length": "few_months"}, {"typical_course_weeks": 12},
         "A typical course is about 12 weeks, in keeping with the few months you expect."),
        ({"course_length": "few_months"}, {"typical_course_weeks": 40},
         "A typical course is about 40 weeks; not the few months you expect."),
        ({"course_length": "open_ended"}, {"typical_course_weeks": None},
         "Doesn't give a typical course length."),
        ({"frequency": "weekly"}, {"session_frequencies": ["weekly", "every_other_week"]},
         "Sessions weekly, as you'd like."),
        ({"frequency": "weekly"}, {"session_frequencies": ["every_other_week"]},
         "Sessions every other week, not weekly."),
        ({"frequency": "every_other_week"}, {"session_frequencies": []},
         "Doesn't say how often sessions are."),
        ({"access_needs": ["wheelchair", "captioning"]}, {"accommodations": ["wheelchair"]},
         "Offers wheelchair-accessible office; doesn't list captioned video sessions."),
        # Met by telehealth only, an office's access doesn't apply; in person only, captions.
        ({"access_needs": ["wheelchair", "captioning"], "format": "telehealth"},
         {"accommodations": ["wheelchair", "captioning"]},
         "Offers captioned video sessions; wheelchair-accessible office not needed by "
         "telehealth."),
        ({"access_needs": ["captioning"], "format": "in_person"},
         {"accommodations": [], "telehealth": True},
         "Captioned video sessions not needed in person."),
        ({"access_needs": ["interpreters"], "evenings": True},
         {"accommodations": ["interpreters"], "evening_hours": False},
         "No evening hours; offers interpreters arranged."),
        ({"evenings": True, "free_consultation": True},
         {"evening_hours": True, "free_consultation": True},
         "Offers evening hours and a free consultation."),
    ],
)  # fmt: skip
def test_logistics_reasons_state_the_profiles_facts(answers, profile, sentence):
    assert reason(prefs(**answers), candidate(**profile), "logistics").reason == sentence


def test_asking_only_about_the_course_is_never_not_counted():
    part = reason(prefs(course_length="longer"), candidate(typical_course_weeks=30), "logistics")
    assert part.weight > 0 and part.score == 1.0
    assert "didn't ask" not in part.reason


def test_required_access_needs_are_a_hard_requirement_with_advice_to_relax():
    has = candidate(accommodations=["wheelchair", "captioning"])
    lacks = candidate(accommodations=["wheelchair"])
    p = prefs(access_needs=["wheelchair", "captioning"], access_required=True)
    result = run(p, has, lacks)
    assert [m.candidate.id for m in result.matches] == [has.id]
    assert result.excluded == {"access": 1}
    assert exclusion_message("access", 1, p) == (
        "1 was not shown because they don't list all of: wheelchair-accessible office and "
        "captioned video sessions."
    )
    table = table_of([has, lacks], "OH", TODAY, COMPACTS)[0]
    relaxed = relaxed_counts(p, table)
    assert relaxed["access_preferred"] == 1
    advice = relax_advice(relaxed, result.excluded, p, len(result.matches))
    assert advice.startswith("1 more would be shown if your access needs were preferred")
    # Not required: both are shown, the one with both needs first.
    preferred = run(prefs(access_needs=["wheelchair", "captioning"]), lacks, has)
    assert [m.candidate.id for m in preferred.matches] == [has.id, lacks.id]
    assert "access" in RULES
    # Required, and met by telehealth alone: the office's access doesn't apply.
    telehealth = prefs(access_needs=["wheelchair"], access_required=True, format="telehealth")
    assert len(run(telehealth, lacks, candidate(accommodations=[])).matches) == 2


def test_values_are_quoted_where_a_profile_mentions_them_and_never_scored():
    mentions = candidate(bio="I work with clients for whom faith and family come first.")
    silent = candidate(bio="I work with adults.")
    with_values = prefs(values="faith, family come first, stoicism")
    said = reason(with_values, mentions, "culture").reason
    assert said == (
        "Their profile mentions \u201cfaith\u201d and \u201cfamily come first\u201d (your "
        "values aren't scored: ask about them)."
    )
    assert "doesn't mention your words" in reason(with_values, silent, "culture").reason
    # Not scored: the ranking and every score are what they are without the values.
    for c in (mentions, silent):
        assert run(with_values, c).matches[0].raw == run(prefs(), c).matches[0].raw
    # Only whole phrases: "faith" inside "faithful" is no mention.
    other = candidate(bio="A faithful companion on the way.")
    assert "mentions" not in reason(prefs(values="faith"), other, "culture").reason


def test_the_kit_asks_about_pace_course_frequency_values_and_access():
    profile = parse_record(make_record(pace="brisk", session_frequencies=["weekly"],
                                       accommodations=["wheelchair"]))  # fmt: skip
    asked = " ".join(questions_for(profile, prefs(
        pace="gentle", course_length="open_ended", frequency="every_other_week",
        values="my faith", access_needs=["wheelchair", "sensory_friendly"],
    )))  # fmt: skip
    assert "I'd like a gentle and exploratory pace" in asked
    assert "How long I expect to come: open-ended." in asked
    assert "Could we meet every other week?" in asked
    assert "\u201cmy faith\u201d" in asked
    assert "doesn't list sensory-friendly space" in asked and "wheelchair" not in asked
