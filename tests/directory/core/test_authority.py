"""Where a practitioner may see clients: licenses, and compacts only where their rules hold."""

from datetime import date

import pytest

from directory.core.authority import (
    Authority,
    authorities_by_state,
    best_authority,
    lapses_on,
    practice_authorities,
)
from directory.core.compacts import load_compacts, parse_compacts
from directory.core.records import parse_record
from tests.factories import make_record

TODAY = date(2026, 11, 1)
COMPACTS = load_compacts()


def authorities(**overrides):
    return practice_authorities(parse_record(make_record(**overrides)), TODAY, COMPACTS)


def psychologist(state="OH", **license):
    return {"kind": "psychologist", "state": state, "number": "PSY 1",
            "expires_on": "2028-01-01", "status": "verified", "verified_on": "2026-01-01",
            **license}  # fmt: skip


def counselor(state="OH", **license):
    return {**psychologist(state, **license), "kind": "professional_counselor",
            "number": license.get("number", "LPCC 5")}  # fmt: skip


def held(kind, state=None, **values):
    found = {"kind": kind, "number": "SAMPLE-1", "expires_on": "2027-06-30",
             "status": "verified", "verified_on": "2026-06-01", **values}  # fmt: skip
    if state:
        found["state"] = state
    return found


def where(place):
    """The office fields of a state: (state, city, zip)."""
    return dict(zip(("state", "city", "zip"), place, strict=True))


OHIO = ("OH", "Columbus", "43215")
CALIFORNIA = ("CA", "San Francisco", "94103")
FLORIDA = ("FL", "Miami", "33130")
KENTUCKY = ("KY", "Louisville", "40202")


def test_the_compact_table_is_dated_and_distinguishes_enacted_from_issuing():
    assert COMPACTS.checked_on.year >= 2026 and COMPACTS.age_days(TODAY) < 365
    psypact, counseling = COMPACTS["psypact"], COMPACTS["counseling"]
    assert {"OH", "TX", "DC", "MT"} <= psypact.issuing_states(TODAY)
    assert "CA" not in psypact.enacted_states()
    # 38 states and DC enacted the Counseling Compact; six issue privileges.
    assert {"KY", "DC"} <= counseling.enacted_states()
    assert counseling.issuing_states(TODAY) == {"AZ", "MN", "OH", "LA", "GA", "IN"}
    assert counseling.issuing("GA", TODAY) and not counseling.issuing("GA", date(2026, 6, 1))
    assert COMPACTS["social_work"].issuing_states(TODAY) == frozenset()
    assert "marriage_family_therapist" in COMPACTS.no_compact


def test_a_license_authorizes_its_own_state_only():
    assert set(authorities()) == {"OH"}


def test_expired_or_rejected_licenses_never_count():
    assert authorities(license={"expires_on": "2026-10-01"}) == {}
    assert authorities(license={"status": "rejected", "verified_on": None}) == {}


def test_a_pending_license_counts_but_is_not_verified():
    found = authorities(license={"status": "pending", "verified_on": None})
    assert found["OH"].verified is False


RULES = [
    # (what, record overrides, state asked about, reached, basis there)
    ("PSYPACT APIT from a member home state", dict(licenses=[psychologist()],
     authorities=[held("psypact_apit")]), "TX", True, "psypact"),
    ("PSYPACT APIT from a non-member home state", dict(licenses=[psychologist("CA")],
     authorities=[held("psypact_apit")], **where(CALIFORNIA)), "TX", False, None),
    ("PSYPACT APIT held from a home state without a license there", dict(
     licenses=[psychologist("PA")], authorities=[held("psypact_apit")]), "TX", False, None),
    ("PSYPACT APIT into a non-member state", dict(licenses=[psychologist()],
     authorities=[held("psypact_apit")]), "CA", False, None),
    ("an expired APIT", dict(licenses=[psychologist()], authorities=[held(
     "psypact_apit", expires_on="2026-10-31")]), "TX", False, None),
    ("a TAP (temporary in-person) alone", dict(licenses=[psychologist()],
     authorities=[held("psypact_tap")]), "TX", False, None),
    ("a self-declared (pending) APIT", dict(licenses=[psychologist()], authorities=[held(
     "psypact_apit", status="pending", verified_on=None)]), "TX", False, None),
    ("an APIT checked before it expired", dict(licenses=[psychologist()], authorities=[held(
     "psypact_apit", verified_on="2025-09-01", expires_on="2026-09-30")]), "TX", False, None),
    ("an APIT of a supervised psychologist", dict(licenses=[psychologist(supervised=True,
     supervisor_name="Dr. Vale", supervisor_license="PSY 9")],
     authorities=[held("psypact_apit")]), "TX", False, None),
    ("a counseling privilege between two issuing states", dict(licenses=[counselor()],
     authorities=[held("counseling_privilege", "AZ")]), "AZ", True, "counseling"),
    ("a counseling privilege from an enacted-only home state", dict(
     licenses=[counselor("KY")], authorities=[held("counseling_privilege", "OH")],
     **where(KENTUCKY)), "OH", False, None),
    ("a counseling privilege into an enacted-only state", dict(licenses=[counselor()],
     authorities=[held("counseling_privilege", "KY")]), "KY", False, None),
    ("a pending counseling privilege", dict(licenses=[counselor()], authorities=[held(
     "counseling_privilege", "AZ", status="pending", verified_on=None)]), "AZ", False, None),
    ("a privilege held by a psychologist", dict(licenses=[psychologist()],
     authorities=[held("counseling_privilege", "AZ")]), "AZ", False, None),
    ("the office state, with its license expired, through PSYPACT from another home state",
     dict(licenses=[psychologist("FL", expires_on="2026-01-01"),
                    psychologist("AL", status="pending", verified_on=None, number="PSY 2")],
          home_state="AL", authorities=[held("psypact_apit")], **where(FLORIDA)),
     "FL", False, None),
    ("the office state, with its license expired, home there", dict(
     licenses=[psychologist("FL", expires_on="2026-01-01"),
               psychologist("AL", status="pending", verified_on=None, number="PSY 2")],
     authorities=[held("psypact_apit")], **where(FLORIDA)), "FL", False, None),
    ("a Social Work Compact multistate license while no state issues", dict(licenses=[
     {**counselor(), "kind": "clinical_social_worker"}], authorities=[held(
     "social_work_multistate")]), "KY", False, None),
]  # fmt: skip


@pytest.mark.parametrize(("what", "overrides", "state", "reached", "basis"), RULES,
                         ids=[r[0] for r in RULES])  # fmt: skip
def test_each_compact_rule(what, overrides, state, reached, basis):
    found = authorities(**overrides)
    assert (state in found) is reached, (what, sorted(found))
    if reached:
        assert found[state].basis == basis and found[state].verified


def test_a_psypact_apit_is_telehealth_only_and_says_where_it_is_held_from():
    found = authorities(licenses=[psychologist()], authorities=[held("psypact_apit")])
    texas = found["TX"]
    assert texas.telehealth_only and texas.best.home_state == "OH"
    assert (
        texas.best.describe(COMPACTS) == "PSYPACT APIT (telepsychology) from Ohio, until 2027-06-30"
    )
    assert found["OH"].basis == "license" and not found["OH"].telehealth_only


def test_a_state_beginning_to_issue_is_a_change_of_data_not_of_code():
    raw = {"compacts": {"social_work": {
        "name": "Social Work Licensure Compact", "license_kind": "clinical_social_worker",
        "checked_on": "2026-12-01", "authorities": {"social_work_multistate": {
            "name": "multistate license", "reach": "members", "telehealth_only": False}},
        "states": {"OH": {"issuing": "2026-10-01"}, "KY": {"issuing": "2026-10-01"},
                   "TN": {"enacted": "2024-05-01"}}}}}  # fmt: skip
    compacts = parse_compacts(raw)
    profile = parse_record(make_record(
        licenses=[{**counselor(), "kind": "clinical_social_worker"}],
        authorities=[held("social_work_multistate")],
    ))  # fmt: skip
    found = practice_authorities(profile, TODAY, compacts)
    assert set(found) == {"OH", "KY"} and found["KY"].basis == "social_work"
    assert not found["KY"].telehealth_only
    assert set(practice_authorities(profile, date(2026, 9, 30), compacts)) == {"OH"}


def test_states_are_listed_by_name():
    found = authorities(licenses=[psychologist(), psychologist("IA", number="PSY 3"),
                                  psychologist("AK", number="PSY 4")])  # fmt: skip
    assert list(found) == ["AK", "IA", "OH"]  # Alaska, Iowa, Ohio


def test_what_may_be_done_changes_on_the_first_expiry():
    profile = parse_record(make_record(
        licenses=[psychologist(expires_on="2027-03-01")],
        authorities=[held("psypact_apit", expires_on="2027-01-15")],
    ))  # fmt: skip
    assert lapses_on(profile, TODAY, COMPACTS) == date(2027, 1, 15)


def test_accepting_claims_older_than_45_days_are_not_confirmed():
    p = parse_record(make_record(accepting_confirmed_on="2026-09-17"))
    assert p.accepting_confirmed(TODAY) is True  # 45 days
    p = parse_record(make_record(accepting_confirmed_on="2026-09-16"))
    assert p.accepting_confirmed(TODAY) is False  # 46 days


def test_a_state_is_telehealth_only_when_every_authority_there_is():
    found = authorities(
        licenses=[psychologist("OH", status="pending", verified_on=None),
                  psychologist("PA", number="PSY 2")],
        home_state="PA", authorities=[held("psypact_apit")],
    )  # fmt: skip
    assert found["OH"].telehealth_only is False
    assert found["OH"].verified is True  # beside the pending office license, through PSYPACT
    assert found["TX"].telehealth_only is True and found["TX"].verified


def test_asking_about_one_state_gives_what_the_full_map_says_for_it():
    profile = parse_record(
        make_record(licenses=[psychologist("OH")], authorities=[held("psypact_apit")])
    )
    everything = authorities_by_state(profile, TODAY, COMPACTS)
    for state in ("OH", "TX", "CA", "DC"):
        one = authorities_by_state(profile, TODAY, COMPACTS, only=state)
        assert one.get(state, []) == everything.get(state, [])
        assert set(one) <= {state}


def test_the_strongest_authority_is_verified_first_then_independent_then_in_person():
    pending_office = Authority("OH", "license", False, False, False)
    verified_telehealth = Authority("OH", "psypact", True, False, True)
    assert best_authority([pending_office, verified_telehealth]) is verified_telehealth
    assert best_authority([verified_telehealth, pending_office]) is verified_telehealth
    supervised = Authority("OH", "license", False, True, True)
    independent = Authority("OH", "license", True, False, True)
    assert best_authority([supervised, independent]) is independent
    office = Authority("OH", "license", False, False, True)
    assert best_authority([independent, office]) is office
