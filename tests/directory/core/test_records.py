"""Validating practitioner records and the vocabulary they use."""

import pytest

from directory.core import vocabulary as v
from directory.core.records import RecordError, parse_record, profile_to_record
from tests.factories import make_record


def problems(**overrides):
    with pytest.raises(RecordError) as info:
        parse_record(make_record(**overrides))
    return dict(info.value.problems)


def test_a_valid_record_round_trips():
    record = make_record()
    profile = parse_record(record)
    assert parse_record(profile_to_record(profile)) == profile
    assert profile_to_record(profile).items() >= record.items()


def test_vocabulary_keys_are_the_guides():
    assert set(v.APPROACHES) == {
        "attachment", "eft", "cbt_schema", "dbt", "ifs", "psychodynamic", "somatic"
    }  # fmt: skip
    assert set(v.CONCERNS) == {
        "self_criticism", "naming_emotions", "attachment_trust", "people_pleasing",
        "relational_mood", "relationships",
    }  # fmt: skip
    assert list(v.TRAINING_LEVELS) == ["workshop", "intensive", "certified", "trainer"]
    assert set(v.LICENSE_KINDS) == {
        "psychologist", "clinical_social_worker", "professional_counselor",
        "marriage_family_therapist",
    }  # fmt: skip
    assert len(v.STATES) == 51 and "DC" in v.STATES
    assert v.STRUCTURED_APPROACHES.isdisjoint(v.EXPLORATORY_APPROACHES)
    assert all(len(code) in (2, 3) for code in v.LANGUAGES)


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"name": ""}, "name", "required"),
        ({"bio": "x" * 2001}, "bio", "at most 2000"),
        ({"state": "ZZ"}, "state", "unknown state"),
        ({"zip": "00000"}, "zip", "not a US ZIP"),
        ({"zip": "10001"}, "zip", "is in NY, not OH"),
        ({"fee": -5}, "fee", "between 0"),
        ({"fee": "cheap"}, "fee", "whole number"),
        ({"sliding_scale_min": 200}, "sliding_scale_min", "not be more than the fee"),
        ({"approaches": {"reiki": "workshop"}}, "approaches", "unknown approach"),
        ({"approaches": {"dbt": "guru"}}, "approaches.dbt", "unknown training level"),
        ({"concerns": ["boredom"]}, "concerns", "unknown concern"),
        ({"languages": ["xx"]}, "languages", "unknown language"),
        ({"languages": []}, "languages", "at least one"),
        ({"style": 9}, "style", "between 1 and 5"),
        ({"in_person": False, "telehealth": False}, "telehealth", "in-person"),
        ({"licenses": []}, "licenses", "at least one"),
        ({"license": {"state": "XX"}}, "licenses[0].state", "unknown state"),
        ({"license": {"kind": "life_coach"}}, "licenses[0].kind", "unknown license kind"),
        ({"license": {"expires_on": "soon"}}, "licenses[0].expires_on", "YYYY-MM-DD"),
        ({"license": {"verified_on": None}}, "licenses[0].verified_on", "required"),
        ({"license": {"number": "<b>1</b>"}}, "licenses[0].number", "only letters"),
        ({"license": {"supervised": True}}, "licenses[0].supervisor_name", "supervisor"),
        ({"external_id": "has space"}, "external_id", "may hold only"),
        ({"favourite_colour": "green"}, "favourite_colour", "not a known field"),
    ],
)
def test_each_bad_field_is_named_with_a_clear_message(overrides, field, fragment):
    found = problems(**overrides)
    assert field in found, found
    assert fragment in found[field]


def test_every_problem_of_a_record_is_reported_at_once():
    found = problems(name="", fee=-1, state="ZZ")
    assert {"name", "fee", "state"} <= set(found)


def test_not_an_object():
    with pytest.raises(RecordError):
        parse_record(["a list"])


@pytest.mark.parametrize("zip_code", ["١٢٣٤٥", "１２３４５", "4321５"])
def test_zip_codes_in_other_digits_are_refused_not_crashed_on(zip_code):
    assert problems(zip=zip_code)["zip"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"state": ["OH"]}, "state"),
        ({"license": {"kind": {"a": 1}}}, "licenses[0].kind"),
        ({"approaches": {"dbt": ["x"]}}, "approaches.dbt"),
    ],
)
def test_wrong_types_are_reported_not_crashed_on(overrides, field):
    assert field in problems(**overrides)
