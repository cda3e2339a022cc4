"""Every number the matching engine uses, named once, with the reason it has its value.

The components (``components.py``), the explanations (``reasons.py``) and the page that explains
the ranking (``/match/how-it-works``) all read these; nothing else in the engine holds a number
that changes a score. ``tests/matching/test_coefficients.py`` pins each one through a
hand-computed case, so changing one fails a test until the expected values are worked out again.
"""

from __future__ import annotations

# Why each soft component weighs what it does, before the person's own importance answers:
# accommodating a client's preferences (approach, format, therapist traits) improves outcomes
# (d = .28) and halves dropout (Swift et al. 2018); culture matters more still to clients
# (matching preferred d = .63; client-rated cultural competence r = .38 with outcome), while
# fine-grained style matching showed no effect on outcome (2021), so style is only a small
# part of "approach". Routine progress monitoring helps clients not on track (g = .36-.53).
BASE_WEIGHTS: dict[str, float] = {
    "approach": 1.0,
    "concerns": 1.0,
    "qualifications": 1.0,
    "cost": 1.0,
    "culture": 1.25,
    "logistics": 0.75,
    "progress": 0.75,
}
# The person's importance answer (0 not important, 1 somewhat, 2 very) multiplies the weight.
IMPORTANCE_MULTIPLIERS: dict[int, float] = {0: 0.0, 1: 1.0, 2: 2.0}

# Approach. Training in an approach the person likes counts by its level; a certificate or
# more counts fully.
TRAINING_CREDIT: dict[str, float] = {
    "workshop": 0.6,
    "intensive": 0.8,
    "certified": 1.0,
    "trainer": 1.0,
}
# Of the liked-approaches part: the best training among them, and how many of them are offered.
LIKED_BEST_SHARE = 0.6
LIKED_COVERAGE_SHARE = 0.4
# How the liked-approaches part and the way-of-working part are weighed when both apply (the
# way of working alone weighs 1 when the person named no approach).
LIKED_PART_WEIGHT = 0.6
STYLE_PART_WEIGHT = 0.4
# Of the way-of-working part: the approach family (structured or exploratory) against the
# practitioner's own 1-5 style. Style matching showed no effect on outcome, so it counts little.
FAMILY_SHARE = 0.75
STYLE_SHARE = 0.25
# Where on the 1-5 style scale each preference sits, and the scale's span (5 - 1).
STYLE_TARGETS: dict[str, float] = {"structured": 1.5, "exploratory": 4.5, "mix": 3.0, "unsure": 3.0}
STYLE_SPAN = 4.0
# "Some mix of both often works best" (the guide): for "a mix" and "not sure", offering both
# structured and exploratory work counts fully, one family alone this much.
ONE_FAMILY_ONLY = 0.6
# Each approach the person would avoid takes this much off the approach score.
AVOIDED_PENALTY = 0.25
# A style fit at least this good reads "..., as you prefer structured/exploratory work": styles 1-2
# for structured (fit 0.875 or more), 4-5 for exploratory; the middle (0.625) does not.
STYLE_FIT_AS_PREFERRED = 0.7

# Pace, part of the way of working: the same pace fits fully, one step away (gentle and steady,
# steady and brisk) half, the opposite pace not at all; a profile that doesn't say scores half.
PACE_FIT_BY_STEPS: dict[int, float] = {0: 1.0, 1: 0.5, 2: 0.0}
PACE_UNSTATED = 0.5
# How the pace part is weighed beside the liked-approaches and way-of-working parts.
PACE_PART_WEIGHT = 0.4

# Concerns. The share of the person's concerns listed, and experience with emotional neglect
# (the guide's core theme); with no concerns named, neglect experience alone moves the score.
CONCERNS_SHARE = 0.8
NEGLECT_SHARE = 0.2
NO_CONCERNS_BASE = 0.5
NO_CONCERNS_NEGLECT = 0.5

# Cost. A fee within the budget scores from WITHIN_BUDGET up to 1 (free); a sliding scale that
# reaches the budget scores SLIDING_WITHIN_BUDGET; above the budget, OVER_BUDGET_START falls by
# the share of the budget the lowest fee goes over. Insurance accepted scores 1.
WITHIN_BUDGET = 0.7
WITHIN_BUDGET_ROOM = 0.3
SLIDING_WITHIN_BUDGET = 0.6
OVER_BUDGET_START = 0.5
# Insurance asked for but no budget given, and not accepted: the fee can't be judged.
NO_BUDGET = 0.5
# Needing a sliding scale where there is none multiplies the cost score by this (only where the
# list fee is over the budget, or no budget was given: a fee within it needs no sliding scale).
NO_SLIDING_SCALE = 0.6

# Culture. A self-applied community tag is weak evidence (therapists' self-rated cultural
# competence barely predicts outcome), so communities count for half of what a language, a
# gender, a background, a faith or LGBTQ+ identity counts.
CULTURE_PART_WEIGHT = 1.0
COMMUNITY_PART_WEIGHT = 0.5

# Logistics. An office at the edge of the travel distance still scores 1 - this.
DISTANCE_PENALTY = 0.5
# Someone who gave a ZIP code and either format, met by telehealth only (no office within the
# travel distance): fine, but below any office within it (which scores at least 0.5).
TELEHEALTH_INSTEAD = 0.4

# Course length, frequency and access, each one more item of logistics. The weeks of a typical
# course each expectation covers (inclusive); a course outside them scores COURSE_OUTSIDE, a
# profile that gives no typical course (or no frequency) scores UNSTATED.
COURSE_WEEKS: dict[str, tuple[int, int]] = {
    "few_months": (1, 20),
    "longer": (21, 60),
    "open_ended": (40, 520),
}
COURSE_OUTSIDE = 0.3
UNSTATED = 0.5

# Progress tracking. The share of the ways the person wants that are used, and goals set
# together; when the person didn't say, any tracking and shared goals count half each.
METHODS_SHARE = 0.7
COLLABORATION_SHARE = 0.3
ANY_TRACKING = 0.5
SHARED_GOALS = 0.5

# Caveats. A license expiring within this many days is mentioned beside the match.
EXPIRY_WARNING_DAYS = 60
