"""The guide's checklist: each criterion, its evidence, and the license rules."""

from dataclasses import replace
from datetime import date

import pytest

from directory.core.checklist import evaluate
from directory.core.records import parse_record
from tests.factories import make_record

TODAY = date(2026, 11, 1)


def profile(**overrides):
    return parse_record(make_record(**overrides))


def criterion(p, key):
    return next(c for c in evaluate(p, TODAY).criteria if c.key == key)


def test_a_complete_profile_meets_all_eight_with_evidence():
    result = evaluate(profile(), TODAY)
    assert result.total == 8
    assert result.met == 8
    assert result.summary == "Meets 8 of 8 of the guide's criteria"
    assert all(c.evidence for c in result.criteria)


def test_a_bare_profile_meets_only_the_license():
    p = profile(
        attachment_training=False,
        emotion_regulation_training=False,
        approaches={"somatic": "workshop"},
        neglect_experience=False,
        collaborative_goals=False,
        progress_tracking=[],
        supervision=False,
        ce_hours_2y=0,
        confidentiality_discussed=False,
    )
    result = evaluate(p, TODAY)
    assert [c.key for c in result.criteria if c.met] == ["licensed"]
    assert result.summary == "Meets 1 of 8 of the guide's criteria"


@pytest.mark.parametrize(
    ("license", "status", "evidence"),
    [
        ({"status": "verified"}, "met", "verified 2026-03-01"),
        # Waiting for an administrator is its own state, never "not met".
        ({"status": "pending", "verified_on": None}, "unverified", "not yet checked"),
        ({"status": "rejected", "verified_on": None}, "not_met", "could not be verified"),
        ({"expires_on": "2026-10-31"}, "not_met", "expired 2026-10-31"),
        ({"status": "pending", "verified_on": None, "expires_on": "2026-10-31"}, "not_met",
         "expired 2026-10-31"),
    ],
)  # fmt: skip
def test_licensed_needs_a_verified_unexpired_license(license, status, evidence):
    c = criterion(profile(license=license), "licensed")
    assert c.status == status and c.met is (status == "met")
    assert evidence in c.evidence


def test_a_pending_license_is_counted_apart_in_the_summary():
    result = evaluate(profile(license={"status": "pending", "verified_on": None}), TODAY)
    assert result.met == 7 and result.unverified == 1
    assert result.summary == "Meets 7 of 8 of the guide's criteria (1 not yet verified)"
    assert criterion(profile(license={"status": "pending", "verified_on": None}),
                     "licensed").status_name == "Not yet verified"  # fmt: skip


@pytest.mark.parametrize(
    ("approaches", "key"),
    [({"attachment": "workshop"}, "attachment"), ({"dbt": "workshop"}, "regulation"),
     ({"eft": "certified"}, "regulation")],
)  # fmt: skip
def test_a_listed_approach_counts_as_the_training_it_is(approaches, key):
    bare = profile(attachment_training=False, emotion_regulation_training=False,
                   approaches={"ifs": "workshop"})  # fmt: skip
    assert not criterion(bare, key).met
    trained = profile(attachment_training=False, emotion_regulation_training=False,
                      approaches=approaches)  # fmt: skip
    assert criterion(trained, key).met and "Trained in" in criterion(trained, key).evidence


def test_telehealth_is_a_format_not_an_accommodation():
    online = profile(in_person=False, telehealth=True, accommodations=[])
    assert not criterion(online, "respect").met
    assert "lists no accommodations" in criterion(online, "respect").evidence
    captioned = profile(in_person=False, telehealth=True, accommodations=["captioning"])
    assert criterion(captioned, "respect").met


def test_a_license_expiring_today_still_counts():
    assert criterion(profile(license={"expires_on": "2026-11-01"}), "licensed").met


def test_an_associate_is_not_a_licensed_clinician_and_names_the_supervisor():
    p = profile(
        license={
            "supervised": True,
            "supervisor_name": "Robin Vale",
            "supervisor_license": "LISW 9",
        }
    )
    c = criterion(p, "licensed")
    assert not c.met
    assert "Robin Vale" in c.evidence


@pytest.mark.parametrize(
    ("approaches", "met"),
    [
        ({"eft": "workshop"}, True),
        ({"cbt_schema": "certified"}, True),
        ({"dbt": "trainer"}, True),
        ({"ifs": "intensive"}, True),
        ({"psychodynamic": "workshop"}, True),
        ({"attachment": "trainer", "somatic": "certified"}, False),
        ({}, False),
    ],
)
def test_modality_needs_one_of_the_five_named_approaches(approaches, met):
    c = criterion(profile(approaches=approaches), "modality")
    assert c.met is met


def test_modality_evidence_names_approach_and_level():
    c = criterion(profile(approaches={"ifs": "certified"}), "modality")
    assert c.evidence == "Offers Internal Family Systems (IFS) (certified)."


def test_collaboration_needs_shared_goals_and_a_way_to_track_progress():
    assert not criterion(profile(progress_tracking=[]), "collaborative").met
    assert not criterion(profile(collaborative_goals=False), "collaborative").met
    c = criterion(profile(progress_tracking=["relationship_metrics"]), "collaborative")
    assert c.met and "relationship measures" in c.evidence


def test_supervision_needs_consultation_and_continuing_education():
    assert not criterion(profile(ce_hours_2y=0), "supervision").met
    assert not criterion(profile(supervision=False), "supervision").met
    assert "40 hours" in criterion(profile(), "supervision").evidence


def test_respect_needs_confidentiality_discussed_and_shows_languages():
    assert not criterion(profile(confidentiality_discussed=False), "respect").met
    c = criterion(profile(languages=["en", "es"]), "respect")
    assert c.met and "English and Spanish" in c.evidence


def test_respect_needs_both_a_language_and_a_way_in():
    # Languages but no access: an office that isn't wheelchair accessible, and no telehealth.
    no_access = profile(accommodations=[])
    assert not criterion(no_access, "respect").met
    # Access but no language listed (a profile built directly; records require one).
    no_language = replace(profile(), languages=())
    assert not criterion(no_language, "respect").met
    assert criterion(profile(), "respect").met


def test_checklist_is_pure_and_repeatable():
    p = profile()
    assert evaluate(p, TODAY) == evaluate(replace(p), TODAY)
