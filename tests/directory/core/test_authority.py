"""Where a practitioner may see clients: licenses and interstate compacts."""

from datetime import date

from directory.core.authority import Authority, best_authority, practice_authorities
from directory.core.compacts import load_compacts
from directory.core.records import parse_record
from tests.factories import make_record

TODAY = date(2026, 11, 1)
COMPACTS = load_compacts()


def authorities(**overrides):
    return practice_authorities(parse_record(make_record(**overrides)), TODAY, COMPACTS)


def psychologist(state="OH", **license):
    return {
        "kind": "psychologist",
        "state": state,
        "number": "PSY 1",
        "expires_on": "2028-01-01",
        "status": "verified",
        "verified_on": "2026-01-01",
        **license,
    }


def test_compact_lists_carry_the_date_they_were_checked():
    assert COMPACTS.psypact_checked_on.year >= 2025
    assert {"OH", "TX", "DC"} <= COMPACTS.psypact
    assert "CA" not in COMPACTS.psypact
    assert "OH" in COMPACTS.counseling


def test_a_license_authorizes_its_own_state_only():
    assert set(authorities()) == {"OH"}


def test_expired_or_rejected_licenses_never_count():
    assert authorities(license={"expires_on": "2026-10-01"}) == {}
    assert authorities(license={"status": "rejected", "verified_on": None}) == {}


def test_a_pending_license_counts_but_is_not_verified():
    found = authorities(license={"status": "pending", "verified_on": None})
    assert found["OH"].verified is False


def test_psypact_apit_reaches_member_states_by_telehealth_only():
    found = authorities(licenses=[psychologist("OH")], psypact_apit=True, credentials="PhD")
    assert set(found) == COMPACTS.psypact
    assert found["TX"].basis == "psypact" and found["TX"].telehealth_only
    assert found["OH"].basis == "license" and not found["OH"].telehealth_only
    assert "CA" not in found


def test_psypact_needs_a_license_in_a_member_state():
    found = authorities(
        licenses=[psychologist("CA")], psypact_apit=True, state="CA", zip="94103", city="SF"
    )
    assert set(found) == {"CA"}


def test_psypact_does_not_extend_to_supervised_associates():
    lic = psychologist(
        "OH", supervised=True, supervisor_name="Dr. Vale", supervisor_license="PSY 2"
    )
    assert set(authorities(licenses=[lic], psypact_apit=True)) == {"OH"}


def test_counseling_privileges_are_per_state_and_need_a_member_home_state():
    counselor = {
        "kind": "professional_counselor",
        "state": "OH",
        "number": "LPCC 5",
        "expires_on": "2028-01-01",
        "status": "verified",
        "verified_on": "2026-01-01",
    }
    found = authorities(licenses=[counselor], counseling_privileges=["KY", "CA"])
    # California is not a compact member: a listed privilege there is ignored.
    assert set(found) == {"OH", "KY"}
    assert found["KY"].basis == "counseling"


def test_accepting_claims_older_than_45_days_are_not_confirmed():
    p = parse_record(make_record(accepting_confirmed_on="2026-09-17"))
    assert p.accepting_confirmed(TODAY) is True  # 45 days
    p = parse_record(make_record(accepting_confirmed_on="2026-09-16"))
    assert p.accepting_confirmed(TODAY) is False  # 46 days


def test_a_state_is_telehealth_only_when_every_authority_there_is():
    found = authorities(
        licenses=[psychologist("OH", status="pending", verified_on=None),
                  psychologist("PA", number="PSY 2")],
        psypact_apit=True,
    )  # fmt: skip
    assert found["OH"].telehealth_only is False
    assert found["OH"].verified is True  # through PSYPACT
    assert found["TX"].telehealth_only is True


def test_asking_about_one_state_gives_what_the_full_map_says_for_it():
    from directory.core.authority import authorities_by_state

    profile = parse_record(make_record(licenses=[psychologist("OH")], psypact_apit=True))
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
