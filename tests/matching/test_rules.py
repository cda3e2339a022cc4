"""Every hard requirement of the matching engine, with the reason it reports."""

import pytest

from tests.factories import authority
from tests.matching.helpers import candidate, counselor, prefs, psychologist, run


def outcome(p, c):
    result = run(p, c)
    if result.matches:
        return "shown"
    (reason,) = result.excluded
    return reason


def test_a_license_in_the_state_is_required():
    assert outcome(prefs(state="OH"), candidate()) == "shown"
    assert outcome(prefs(state="KY"), candidate()) == "license"


@pytest.mark.parametrize(
    ("license", "expected"),
    [
        ({"expires_on": "2026-10-31"}, "license"),
        ({"status": "rejected", "verified_on": None}, "license"),
        ({"status": "pending", "verified_on": None}, "shown"),
    ],
)
def test_expired_and_rejected_licenses_never_count(license, expected):
    assert outcome(prefs(), candidate(license=license)) == expected


def test_psypact_lets_a_psychologist_see_clients_in_member_states_by_telehealth():
    c = candidate(
        licenses=[psychologist("OH")], authorities=[authority("psypact_apit")], credentials="PsyD"
    )
    assert outcome(prefs(state="TX", format="telehealth"), c) == "shown"
    assert outcome(prefs(state="TX", format="either"), c) == "shown"
    # PSYPACT covers telehealth only, and only between member states.
    assert outcome(prefs(state="TX", format="in_person"), c) == "format"
    assert outcome(prefs(state="CA", format="telehealth"), c) == "license"


def test_psypact_needs_the_home_license_in_a_member_state_and_valid():
    in_california = candidate(
        licenses=[psychologist("CA")], authorities=[authority("psypact_apit")], state="CA",
        zip="94103", city="San Francisco",
    )  # fmt: skip
    assert outcome(prefs(state="TX", format="telehealth"), in_california) == "license"
    expired = candidate(
        licenses=[psychologist("OH", expires_on="2026-01-01")],
        authorities=[authority("psypact_apit")],
    )
    assert outcome(prefs(state="TX", format="telehealth"), expired) == "license"


def test_psypact_apit_is_not_for_supervised_associates():
    c = candidate(
        licenses=[psychologist("OH", supervised=True, supervisor_name="Dr. Vale",
                               supervisor_license="PSY 9")],
        authorities=[authority("psypact_apit")],
    )  # fmt: skip
    assert outcome(prefs(state="TX", format="telehealth"), c) == "license"


def test_counseling_compact_privilege_is_per_state_and_only_between_issuing_states():
    c = candidate(licenses=[counselor("OH")], credentials="LPCC",
                  authorities=[authority("counseling_privilege", "AZ"),
                               authority("counseling_privilege", "KY")])  # fmt: skip
    assert outcome(prefs(state="AZ", format="telehealth"), c) == "shown"
    assert outcome(prefs(state="TN", format="telehealth"), c) == "license"
    # Kentucky has enacted the compact but does not issue privileges yet.
    assert outcome(prefs(state="KY", format="telehealth"), c) == "license"
    # The office is in Ohio, so seeing them in person means being in Ohio.
    assert outcome(prefs(state="AZ", format="in_person"), c) == "format"


def test_a_self_declared_authority_reaches_nowhere_until_it_is_verified():
    pending = authority("psypact_apit", status="pending", verified_on=None)
    c = candidate(licenses=[psychologist("OH")], authorities=[pending], credentials="PsyD")
    assert outcome(prefs(state="TX", format="telehealth"), c) == "license"
    assert outcome(prefs(state="OH", format="telehealth"), c) == "shown"


def test_associates_only_when_the_person_accepts_them():
    c = candidate(
        license={"supervised": True, "supervisor_name": "Robin Vale",
                 "supervisor_license": "LISW 42"},
    )  # fmt: skip
    assert outcome(prefs(allow_associates=True), c) == "shown"
    assert outcome(prefs(allow_associates=False), c) == "associate"
    (match,) = run(prefs(), c).matches
    assert "Associate under the supervision of Robin Vale (LISW 42)" in match.caveats


@pytest.mark.parametrize(
    ("asked", "in_person", "telehealth", "expected"),
    [
        ("telehealth", True, False, "format"),
        ("telehealth", False, True, "shown"),
        ("in_person", False, True, "format"),
        ("in_person", True, False, "shown"),
        ("either", True, False, "shown"),
        ("either", False, True, "shown"),
    ],
)
def test_format(asked, in_person, telehealth, expected):
    c = candidate(in_person=in_person, telehealth=telehealth)
    assert outcome(prefs(format=asked), c) == expected


def test_in_person_needs_the_office_within_the_travel_distance():
    columbus = candidate(telehealth=False)  # office in 43215
    near = prefs(format="in_person", zip="43201", max_distance_miles=10)
    far = prefs(format="in_person", zip="44114", max_distance_miles=25)  # Cleveland
    assert outcome(near, columbus) == "shown"
    assert outcome(far, columbus) == "distance"
    assert outcome(prefs(format="either", zip="44114"), columbus) == "distance"
    # With telehealth offered too, a far office still leaves telehealth.
    assert outcome(prefs(format="either", zip="44114"), candidate()) == "shown"


def test_accepting_new_clients_is_required():
    c = candidate(accepting_new_clients=False, accepting_confirmed_on=None)
    assert outcome(prefs(), c) == "accepting"


def test_a_required_language_is_required():
    english = candidate(languages=["en"])
    assert outcome(prefs(languages=["es"], language_required=True), english) == "language"
    assert outcome(prefs(languages=["es"], language_required=False), english) == "shown"
    assert outcome(prefs(languages=["es", "en"], language_required=True), english) == "shown"


@pytest.mark.parametrize(
    ("fee", "sliding", "insurance", "expected"),
    [
        (100, None, [], "shown"),
        (140, None, [], "cost"),
        (140, 90, [], "shown"),  # sliding-scale minimum within budget
        (140, 110, [], "cost"),
        (140, None, ["aetna"], "shown"),  # the person's plan is accepted
    ],
)
def test_cost_as_a_firm_limit(fee, sliding, insurance, expected):
    c = candidate(fee=fee, sliding_scale_min=sliding, insurance=insurance)
    p = prefs(max_fee=100, cost_is_firm_limit=True, insurance="aetna")
    assert outcome(p, c) == expected
    assert outcome(prefs(max_fee=100, cost_is_firm_limit=False), c) == "shown"


def test_an_avoided_approach_excludes_only_when_asked():
    c = candidate(approaches={"cbt_schema": "certified", "attachment": "workshop"})
    assert outcome(prefs(approaches_avoided=["cbt_schema"], exclude_avoided=True), c) == (
        "avoided_approach"
    )
    (match,) = run(prefs(approaches_avoided=["cbt_schema"]), c).matches
    approach = next(x for x in match.components if x.key == "approach")
    assert "which you'd avoid" in approach.reason


def test_each_excluded_practitioner_counts_once_under_the_first_reason():
    people = [
        candidate(),
        candidate(accepting_new_clients=False, accepting_confirmed_on=None, languages=["fr"]),
        candidate(languages=["fr"]),
        candidate(license={"state": "KY"}, state="KY", zip="40202", city="Louisville"),
    ]
    result = run(prefs(languages=["en"], language_required=True), *people)
    assert len(result.matches) == 1
    assert result.excluded == {"accepting": 1, "language": 1, "license": 1}
    assert result.considered == 4


def test_a_pending_in_state_license_still_allows_in_person_beside_psypact():
    # A verified PSYPACT authority (home license in PA) covers Ohio by telehealth only; the
    # pending Ohio license is what allows sessions at the Ohio office.
    c = candidate(
        licenses=[psychologist("OH", status="pending", verified_on=None),
                  psychologist("PA", number="PSY 2")],
        home_state="PA", authorities=[authority("psypact_apit")], credentials="PsyD",
    )  # fmt: skip
    assert outcome(prefs(format="in_person"), c) == "shown"
    (match,) = run(prefs(format="in_person"), c).matches
    assert "Telehealth only, through a PSYPACT authority" not in match.caveats
    assert "License not yet verified" in match.caveats
    (match,) = run(prefs(format="telehealth"), c).matches
    assert "License not yet verified" not in match.caveats


def test_an_associate_with_psypact_elsewhere_can_still_see_clients_at_their_office():
    c = candidate(
        licenses=[psychologist("OH", supervised=True, supervisor_name="Dr. Vale",
                               supervisor_license="PSY 9"),
                  psychologist("PA", number="PSY 2")],
        home_state="PA", authorities=[authority("psypact_apit")],
    )  # fmt: skip
    assert outcome(prefs(format="in_person", allow_associates=True), c) == "shown"
    assert outcome(prefs(format="telehealth", allow_associates=False), c) == "shown"
    assert outcome(prefs(format="in_person", allow_associates=False), c) == "format"
