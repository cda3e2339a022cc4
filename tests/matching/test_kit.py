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


def test_questions_follow_the_concerns_named_not_a_repeated_list():
    profile = parse_record(make_record(concerns=["self_criticism"]))
    asked = questions_for(profile, prefs(concerns=["self_criticism", "people_pleasing"]))
    assert (
        "You list self-criticism and low self-worth: what would working on it with you look like?"
        in asked
    )
    assert (
        "Your profile doesn't list people-pleasing, perfectionism and boundaries: have you "
        "worked with it?" in asked
    )
    assert not any("self-criticism" in q for q in questions_for(profile, prefs()))


def test_the_kit_page_is_a_plan_that_prints_with_the_crisis_line(sample_app):
    import re

    from tests.matching.test_pages import shortlist, slugs

    client = sample_app.test_client()
    for slug in slugs(sample_app, 2):
        shortlist(client, slug)
    html = client.get("/match/kit").text
    assert html.count("How to reach them") == 2
    assert html.count("free consultation") >= 2 or "Offers a free consultation" in html
    # The site's 988 line is hidden in print; the kit carries its own, outside header and footer.
    main = html[html.index("<main") : html.index("</main>")]
    assert re.search(r'<p class="crisis-line">.*988.*911', main, re.S)
    assert "Notes:" in html
