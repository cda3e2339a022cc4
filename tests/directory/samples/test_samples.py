"""The sample generator: valid, deterministic, varied, and the shipped file is its output."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from directory.core import vocabulary as v
from directory.core.compacts import load_compacts
from directory.core.records import parse_record, profile_to_record
from directory.samples import DEFAULT_SEED, DEFAULT_TODAY, generate_records, write_samples

SHIPPED = Path(__file__).resolve().parents[3] / "data" / "sample_practitioners.json"
TODAY = DEFAULT_TODAY.isoformat()
PHONE_RE = re.compile(r"\d{3}[-. )]+\d{3}[-. ]\d{4}")


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return list(generate_records(1000))


@pytest.fixture(scope="module")
def shipped() -> list[dict[str, Any]]:
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


def test_every_record_parses_and_round_trips(records: list[dict[str, Any]]) -> None:
    for record in records:
        profile = parse_record(record)
        assert profile_to_record(profile) == record


def test_records_from_another_seed_parse() -> None:
    for record in generate_records(300, seed=7, today=date(2031, 2, 28)):
        assert profile_to_record(parse_record(record)) == record


def test_same_arguments_give_the_same_records() -> None:
    assert list(generate_records(40, seed=3)) == list(generate_records(40, seed=3))
    assert list(generate_records(40, seed=3)) != list(generate_records(40, seed=4))


def test_record_i_does_not_depend_on_count() -> None:
    assert list(generate_records(50))[:10] == list(generate_records(10))


def test_shipped_file_is_the_generator_output(tmp_path: Path) -> None:
    out = tmp_path / "samples.json"
    assert write_samples(out, 1000, seed=DEFAULT_SEED, today=DEFAULT_TODAY) == 1000
    assert out.read_bytes() == SHIPPED.read_bytes()


def test_shipped_file_equals_generated_records(
    shipped: list[dict[str, Any]], records: list[dict[str, Any]]
) -> None:
    assert shipped == records
    assert [r["external_id"] for r in shipped] == [f"sample-{i:06d}" for i in range(1000)]


def test_every_state_and_license_kind_appears(shipped: list[dict[str, Any]]) -> None:
    assert {r["state"] for r in shipped} == set(v.STATES)
    licenses = [lic for r in shipped for lic in r["licenses"]]
    assert {lic["kind"] for lic in licenses} == set(v.LICENSE_KINDS)
    assert {lic["status"] for lic in licenses} == set(v.LICENSE_STATUSES)
    assert any(lic["supervised"] for lic in licenses)
    assert any(lic["expires_on"] < TODAY for lic in licenses)
    assert any(len(r["licenses"]) > 1 for r in shipped)


def test_compacts_appear_only_where_todays_rules_allow(shipped: list[dict[str, Any]]) -> None:
    compacts = load_compacts()
    psypact = compacts["psypact"].issuing_states(DEFAULT_TODAY)
    counseling = compacts["counseling"].issuing_states(DEFAULT_TODAY)
    held = [(r, a) for r in shipped for a in r["authorities"]]
    apit = [(r, a) for r, a in held if a["kind"] == "psypact_apit"]
    privileges = [(r, a) for r, a in held if a["kind"] == "counseling_privilege"]
    assert apit and privileges
    for r, _ in apit:
        home = r["licenses"][0]
        assert home["kind"] == "psychologist" and home["state"] == r["home_state"] in psypact
    for r, a in privileges:
        home = r["licenses"][0]
        assert home["kind"] == "professional_counselor" and not home["supervised"]
        assert r["home_state"] in counseling and a["state"] in counseling
        assert a["state"] not in {lic["state"] for lic in r["licenses"]}
    # Few counselors hold privileges: only six states issue them.
    counselors = [r for r in shipped if r["licenses"][0]["kind"] == "professional_counselor"]
    assert len({id(r) for r, _ in privileges}) < 0.1 * len(counselors)
    assert all(a["number"].startswith("SAMPLE-") for _, a in held)


def test_license_numbers_cannot_be_real(shipped: list[dict[str, Any]]) -> None:
    assert all(lic["number"].startswith("SAMPLE-") for r in shipped for lic in r["licenses"])


def test_titles_follow_each_states_board(shipped: list[dict[str, Any]]) -> None:
    by_state = {r["state"]: r for r in shipped}  # one of each state among the first 51
    titles = {(r["state"], r["licenses"][0]["kind"], r["licenses"][0]["supervised"]):
              r["credentials"] for r in shipped}  # fmt: skip
    assert len(by_state) == 51
    for (state, kind, supervised), credentials in titles.items():
        if (state, kind, supervised) == ("MD", "clinical_social_worker", False):
            assert credentials.endswith("LCSW-C")
        if (state, kind, supervised) == ("MI", "clinical_social_worker", False):
            assert credentials.endswith("LMSW") and "LCSW" not in credentials
        if (state, kind, supervised) == ("OH", "marriage_family_therapist", False):
            assert credentials.endswith("IMFT")


def test_flags_fees_and_languages(shipped: list[dict[str, Any]]) -> None:
    assert all(r["sample"] is True and r["published"] is True for r in shipped)
    assert all(60 <= r["fee"] <= 275 for r in shipped)
    assert all(r["fee"] % 5 == 0 for r in shipped)
    for r in shipped:
        if r["sliding_scale_min"] is not None:
            assert r["sliding_scale_min"] <= r["fee"]
    assert all(r["languages"][0] == "en" for r in shipped)
    assert sum("es" in r["languages"] for r in shipped) >= 0.05 * len(shipped)


def test_associates_are_supervised_and_new(shipped: list[dict[str, Any]]) -> None:
    associates = [r for r in shipped if r["licenses"][0]["supervised"]]
    assert associates
    for r in associates:
        lic = r["licenses"][0]
        assert lic["supervisor_name"] and lic["supervisor_license"]
        assert r["supervision"] is True
        assert r["years_in_practice"] <= 3


def test_text_is_plain_and_within_limits(shipped: list[dict[str, Any]]) -> None:
    for r in shipped:
        assert len(r["headline"]) <= 160
        assert 300 <= len(r["bio"]) <= 1500
        for marker in ("http", "www.", "@", ".com"):
            assert marker not in r["bio"]
        assert not PHONE_RE.search(r["bio"])
    assert len({r["bio"] for r in shipped}) == len(shipped)
