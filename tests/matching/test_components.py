"""The soft components: each scores 0-1 with a reason, weighted by importance."""

import pytest

from tests.matching.helpers import candidate, prefs, psychologist, run


def component(p, c, key):
    (match,) = run(p, c).matches
    return next(x for x in match.components if x.key == key)


def score(p, c):
    return run(p, c).matches[0].raw


def test_liked_approaches_count_with_training_level():
    p = prefs(approaches_liked=["dbt"])
    certified = component(p, candidate(approaches={"dbt": "certified"}), "approach")
    workshop = component(p, candidate(approaches={"dbt": "workshop"}), "approach")
    none = component(p, candidate(approaches={"ifs": "certified"}), "approach")
    assert certified.score > workshop.score > none.score
    assert "DBT (certified), which you'd like" in certified.reason
    assert "none of the approaches you'd like" in none.reason


def test_structured_preference_favours_structured_work():
    p = prefs(approach_preference="structured")
    skills = component(p, candidate(approaches={"dbt": "certified"}, style=1), "approach")
    talk = component(p, candidate(approaches={"psychodynamic": "certified"}, style=5), "approach")
    assert skills.score > talk.score
    assert "as you prefer structured work" in skills.reason
    assert talk.reason == (
        "Offers no structured approach and describes their work as mostly exploratory; you "
        "prefer structured work."
    )


def test_not_sure_values_a_mix_as_the_guide_suggests():
    p = prefs(approach_preference="unsure")
    mix = component(p, candidate(approaches={"dbt": "certified", "eft": "certified"}, style=3),
                    "approach")  # fmt: skip
    one = component(p, candidate(approaches={"dbt": "certified"}, style=3), "approach")
    assert mix.score > one.score
    assert mix.reason == "Blends structured skills (DBT) with exploratory work (EFT)."
    assert one.reason == "Offers structured approaches (DBT) but no exploratory ones, not a mix."
    # A practitioner at one end of the scale does not "blend", whatever they are trained in.
    end = component(p, candidate(approaches={"dbt": "certified", "eft": "certified"}, style=5),
                    "approach")  # fmt: skip
    assert end.reason == (
        "Offers structured (DBT) and exploratory (EFT) approaches but describes their work as "
        "mostly exploratory."
    )
    # Parts and body-based work belong to neither family, and the card says so.
    between = component(p, candidate(approaches={"ifs": "certified", "somatic": "workshop"},
                                     style=3), "approach")  # fmt: skip
    assert between.reason == (
        "Offers IFS and mindfulness- and body-based approaches, between structured skills and "
        "exploratory relational work; describes their work as a mix."
    )
    asked_mix = component(
        prefs(approach_preference="mix"),
        candidate(approaches={"dbt": "certified"}, style=3),
        "approach",
    )
    assert asked_mix.reason.endswith("no exploratory ones, not the mix you'd like.")


def test_concerns_overlap_and_neglect_experience():
    p = prefs(concerns=["self_criticism", "people_pleasing"])
    both = component(p, candidate(concerns=["self_criticism", "people_pleasing"]), "concerns")
    one = component(p, candidate(concerns=["self_criticism"], neglect_experience=False),
                    "concerns")  # fmt: skip
    assert both.score == 1.0
    assert one.score == 0.4
    assert both.reason == (
        "Works with both concerns you named (self-criticism and low self-worth; people-pleasing, "
        "perfectionism and boundaries) and with emotional neglect."
    )
    assert one.reason == (
        "Works with 1 of the 2 concerns you named (self-criticism and low self-worth)."
    )


def test_no_shared_concern_reads_as_a_sentence_with_or_without_neglect_experience():
    p = prefs(concerns=["self_criticism"])
    with_neglect = component(
        p, candidate(concerns=["relationships"], neglect_experience=True), "concerns"
    )
    without = component(
        p, candidate(concerns=["relationships"], neglect_experience=False), "concerns"
    )
    assert with_neglect.reason == (
        "Lists none of the concerns you named, but is experienced with emotional neglect."
    )
    assert without.reason == "Lists none of the concerns you named."


def test_qualifications_are_the_guides_checklist():
    full = component(prefs(), candidate(), "qualifications")
    assert full.score == 1.0 and full.reason == "Meets all 8 of the guide's criteria."
    fewer = component(
        prefs(),
        candidate(supervision=False, neglect_experience=False, collaborative_goals=False),
        "qualifications",
    )
    assert fewer.score == 5 / 8
    # Every criterion missed is named (none left out), each as one item.
    assert fewer.reason == (
        "Meets 5 of the guide's 8 criteria. Missing: experience with neglect-related patterns; "
        "collaborative and transparent about goals and progress; ongoing supervision or "
        "consultation and continuing education."
    )


def test_cost_is_scored_by_how_comfortably_it_fits():
    p = prefs(max_fee=150)
    cheap = component(p, candidate(fee=60, sliding_scale_min=None), "cost")
    edge = component(p, candidate(fee=150, sliding_scale_min=None), "cost")
    sliding = component(p, candidate(fee=200, sliding_scale_min=120), "cost")
    over = component(p, candidate(fee=250, sliding_scale_min=None), "cost")
    assert cheap.score > edge.score > sliding.score > over.score
    assert "within your $150" in edge.reason and "more than your $150" in over.reason
    insured = component(prefs(insurance="aetna"), candidate(insurance=["aetna"]), "cost")
    assert insured.score == 1.0 and "Takes your insurance (Aetna)" in insured.reason


def test_needing_a_sliding_scale_lowers_those_without_one():
    p = prefs(max_fee=100, needs_sliding_scale=True)
    with_scale = component(p, candidate(fee=140, sliding_scale_min=80), "cost")
    without = component(p, candidate(fee=140, sliding_scale_min=None), "cost")
    assert with_scale.score > without.score
    assert "no sliding scale" in without.reason


@pytest.mark.parametrize("needs_sliding_scale", [False, True])
def test_within_budget_beats_a_sliding_scale_which_beats_over_budget(needs_sliding_scale):
    # Ohio, $80, a sliding scale needed, cost very important (the reported case).
    p = prefs(max_fee=80, needs_sliding_scale=needs_sliding_scale, importance={"cost": 2})
    flat = component(p, candidate(fee=80, sliding_scale_min=None), "cost")
    sliding = component(p, candidate(fee=155, sliding_scale_min=80), "cost")
    over = component(p, candidate(fee=215, sliding_scale_min=None), "cost")
    assert flat.score > sliding.score > over.score
    needed = "; no sliding scale needed at this fee" if needs_sliding_scale else ""
    assert flat.reason == f"$80 a session, within your $80{needed}."
    assert sliding.reason == (
        "$155 a session; their sliding scale from $80 fits your $80 (places at sliding-scale "
        "rates are often limited)."
    )
    assert over.reason.startswith("$215 a session, more than your $80")
    above = component(p, candidate(fee=215, sliding_scale_min=100), "cost")
    assert above.reason.startswith("$100 at the least on their sliding scale, more than your $80")


def test_medicaid_counts_only_from_an_office_in_the_persons_state():
    # Medicaid is run by each state: an Ohio client of a Pennsylvania office (by PSYPACT) is
    # not covered by the Pennsylvania practitioner taking Medicaid.
    from tests.factories import authority
    from tests.matching.helpers import psychologist as psy

    p = prefs(insurance="medicaid", format="telehealth")
    here = component(p, candidate(insurance=["medicaid"]), "cost")
    away = candidate(insurance=["medicaid"], state="PA", city="Philadelphia", zip="19103",
                     licenses=[psy("PA")], authorities=[authority("psypact_apit")],
                     home_state="PA", fee=160)  # fmt: skip
    (match,) = run(p, away).matches
    cost = next(x for x in match.components if x.key == "cost")
    assert here.reason == "Takes your insurance (Medicaid)." and here.score == 1.0
    assert cost.score < 1.0
    assert cost.reason == (
        "$160 a session; takes Medicaid only in Pennsylvania, where their office is."
    )


def test_insurance_not_taken_is_said_whatever_the_budget():
    p = prefs(insurance="medicaid", max_fee=120, cost_is_firm_limit=True)
    within = component(p, candidate(fee=100, insurance=[]), "cost")
    assert within.reason == "$100 a session, within your $120; doesn't take Medicaid."


def test_a_component_with_nothing_to_compare_is_not_counted():
    cost = component(prefs(), candidate(), "cost")
    culture = component(prefs(), candidate(), "culture")
    assert cost.weight == 0 and culture.weight == 0


def test_culture_compares_only_what_the_person_asked_for():
    p = prefs(languages=["es"], therapist_gender="woman", therapist_lgbtq=True,
              therapist_background="Korean")  # fmt: skip
    match = component(
        p,
        candidate(languages=["en", "es"], gender_identity="Woman", lgbtq=True,
                  cultural_background="Korean American adoptee"),
        "culture",
    )  # fmt: skip
    miss = component(p, candidate(gender_identity="Man", lgbtq=None), "culture")
    assert match.score == 1.0 and miss.score == 0.0
    assert "Sessions in Spanish; describes their gender as “Woman”, as you asked" in match.reason
    assert miss.reason == (
        "Offers none of your languages; describes their gender as “Man”, not a woman; doesn't "
        "describe their background; doesn't say they're LGBTQ+."
    )


def test_background_by_meaning_the_reported_cases():
    p = prefs(therapist_background="Korean American")
    korean = component(p, candidate(cultural_background="Korean American adoptee"), "culture")
    white = component(p, candidate(cultural_background="White American"), "culture")
    assert korean.score == 1.0 and white.score == 0.0
    assert "Describes their background as \u201cKorean American adoptee\u201d" in korean.reason
    assert white.reason == (
        "Describes their background as \u201cWhite American\u201d, not as you asked."
    )
    black = prefs(therapist_background="Black")
    assert component(black, candidate(cultural_background="African American"),
                     "culture").score == 1.0  # fmt: skip


def test_non_binary_finds_genderqueer_and_they_them_therapists():
    p = prefs(therapist_gender="non_binary")
    for identity, pronouns in (("Genderqueer", "they/them"), ("", "they/them"),
                               ("Genderfluid", ""), ("Non-binary", "she/they")):  # fmt: skip
        found = component(p, candidate(gender_identity=identity, pronouns=pronouns), "culture")
        assert found.score == 1.0 and "as you asked" in found.reason, (identity, pronouns)
    woman = component(p, candidate(gender_identity="Woman", pronouns="she/her"), "culture")
    assert woman.score == 0.0


def test_a_required_language_is_counted_and_said_never_not_counted():
    p = prefs(state="OH", languages=["es"], language_required=True, importance={"culture": 2})
    part = component(p, candidate(languages=["en", "es"]), "culture")
    assert part.weight > 0 and part.reason == "Sessions in Spanish."


def test_woman_is_not_mistaken_for_man():
    p = prefs(therapist_gender="man")
    assert component(p, candidate(gender_identity="Woman"), "culture").score == 0.0
    assert component(p, candidate(gender_identity="Man"), "culture").score == 1.0


def test_logistics_hours_consultation_and_distance():
    p = prefs(evenings=True, weekends=True, free_consultation=True)
    all_three = component(p, candidate(evening_hours=True, weekend_hours=True), "logistics")
    none = component(p, candidate(evening_hours=False, free_consultation=False), "logistics")
    assert all_three.score == 1.0 and none.score == 0.0
    near = prefs(format="in_person", zip="43215", max_distance_miles=25)
    close = component(near, candidate(telehealth=False), "logistics")
    assert close.score > 0.95 and close.reason == "Office under a mile away."


def test_with_a_zip_and_either_format_an_office_nearby_beats_telehealth_from_far_away():
    # ZIP 78207 (San Antonio), 25 miles, either format (the reported case, in Texas).
    p = prefs(state="TX", format="either", zip="78207", max_distance_miles=25)
    near = candidate(name="Near Office", state="TX", zip="78205", city="San Antonio",
                     licenses=[psychologist("TX")])  # fmt: skip
    far = candidate(name="Far Telehealth", state="TX", zip="75201", city="Dallas",
                    licenses=[psychologist("TX")])  # fmt: skip
    result = run(p, near, far)
    assert [m.candidate.profile.name for m in result.matches] == ["Near Office", "Far Telehealth"]
    near_part, far_part = (next(x for x in m.components if x.key == "logistics")
                           for m in result.matches)  # fmt: skip
    assert near_part.weight > 0 and far_part.weight > 0  # distance counts for both
    assert near_part.score > far_part.score
    assert near_part.reason.startswith("Office ") and "miles away" in near_part.reason
    assert far_part.reason.startswith("Telehealth for you; their office is ")
    assert "You didn't ask about" not in far_part.reason


def test_progress_tracking_the_way_the_person_wants():
    p = prefs(progress_tracking=["mood_scales"])
    yes = component(p, candidate(progress_tracking=["mood_scales"]), "progress")
    no = component(p, candidate(progress_tracking=["goals"]), "progress")
    assert yes.score > no.score
    assert "mood scales, as you'd like" in yes.reason


def test_importance_sets_the_weights():
    p = prefs(max_fee=100, importance={"cost": 2, "culture": 0})
    c = component(p, candidate(), "cost")
    assert c.weight == 2.0
    ignored = component(prefs(importance={"qualifications": 0}), candidate(), "qualifications")
    assert ignored.weight == 0


def test_what_matters_more_moves_the_ranking():
    cheap = candidate(name="Cheap Cara", fee=60, sliding_scale_min=None, evening_hours=False)
    evening = candidate(name="Evening Eli", fee=140, sliding_scale_min=None, evening_hours=True)
    money_first = prefs(max_fee=100, evenings=True, importance={"cost": 2, "logistics": 0})
    time_first = prefs(max_fee=100, evenings=True, importance={"cost": 0, "logistics": 2})
    first = run(money_first, cheap, evening).matches[0].candidate.profile.name
    second = run(time_first, cheap, evening).matches[0].candidate.profile.name
    assert (first, second) == ("Cheap Cara", "Evening Eli")


def test_everything_unimportant_falls_back_to_the_checklist():
    p = prefs(importance={k: 0 for k in ("approach", "concerns", "qualifications", "cost",
                                          "culture", "logistics", "progress")})  # fmt: skip
    strong = candidate(name="Strong")
    weak = candidate(name="Weak", supervision=False)
    result = run(p, weak, strong)
    assert [m.candidate.profile.name for m in result.matches] == ["Strong", "Weak"]
    assert result.matches[0].score == 100


def test_ties_break_deterministically_by_checklist_then_name():
    a = candidate(name="Bea Same")
    b = candidate(name="Abe Same")
    order = [m.candidate.profile.name for m in run(prefs(), a, b).matches]
    assert order == ["Abe Same", "Bea Same"]
    assert order == [m.candidate.profile.name for m in run(prefs(), b, a).matches]


def test_caveats_travel_with_each_result():
    c = candidate(
        license={"status": "pending", "verified_on": None, "expires_on": "2026-12-01"},
        accepting_confirmed_on="2026-08-20",
    )
    (match,) = run(prefs(), c).matches
    assert "License not yet verified" in match.caveats
    assert "Accepting new clients not confirmed recently" in match.caveats
    assert "License expires 2026-12-01" in match.caveats
    assert "Fictional sample profile" in match.caveats


def test_an_office_in_another_state_says_where_they_are_licensed():
    from tests.matching.helpers import psychologist as psy

    c = candidate(state="PA", city="Philadelphia", zip="19103", home_state="PA",
                  licenses=[psy("PA"), psy("OH", number="PSY 9")])  # fmt: skip
    (match,) = run(prefs(format="telehealth"), c).matches
    assert "Licensed in Ohio; their office is in Pennsylvania" in match.caveats
    (match,) = run(prefs(), candidate()).matches
    assert not any(x.startswith("Licensed in") for x in match.caveats)


def test_preferences_never_show_answers_in_repr():
    p = prefs(therapist_background="Distinctive Heritage", max_fee=123)
    assert "Distinctive" not in repr(p) and "123" not in repr(p)


def test_a_license_waiting_for_verification_is_not_called_missing():
    c = candidate(license={"status": "pending", "verified_on": None})
    reason = component(prefs(), c, "qualifications").reason
    assert reason == "Meets 7 of the guide's 8 criteria. Not yet verified: licensed clinician."
