"""The consultation kit's questions, tailored to a practitioner and the person's answers."""

from directory.core.records import parse_record
from matching.kit import GENERAL_QUESTIONS, questions_for
from tests.factories import make_record
from tests.matching.helpers import prefs


def test_general_questions_follow_the_guides_considerations():
    text = " ".join(GENERAL_QUESTIONS)
    for topic in ("structured skills", "track progress", "sliding scale", "confidentiality",
                  "supervision", "typical length"):  # fmt: skip
        assert topic in text


def test_questions_follow_the_profile_and_the_answers():
    profile = parse_record(make_record(
        fee=180, sliding_scale_min=None, evening_hours=False, neglect_experience=False,
        progress_tracking=["goals"], approaches={"ifs": "certified"},
    ))  # fmt: skip
    asked = questions_for(profile, prefs(max_fee=120, evenings=True, insurance="cigna",
                                         approaches_liked=["dbt"],
                                         progress_tracking=["mood_scales"]))  # fmt: skip
    text = " ".join(asked)
    assert "You list Internal Family Systems (IFS)" in text
    assert "doesn't mention emotional neglect" in text
    assert "Your fee is $180: is there any way to lower it?" in text
    assert "superbill for Cigna" in text
    assert "Dialectical Behavior Therapy (DBT)" in text
    assert "evening appointments" in text
    assert "mood scales" in text


def test_without_answers_only_the_profile_shapes_the_questions():
    profile = parse_record(make_record())
    text = " ".join(questions_for(profile, None))
    assert "sliding scale starts at $80" in text and "superbill" not in text
