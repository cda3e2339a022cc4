"""Practitioner records as JSON: validate a dict into a Profile, and turn a Profile back into one.

The import file format is a JSON array of these records; the sample generator writes it and
``flask --app app directory import`` reads it. Every problem is reported with its field name so
that an operator can fix a file in one pass.
"""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date
from typing import Any

from directory.core import vocabulary as v
from directory.core.geography import zip_location
from directory.core.profile import License, Profile

MAX_BIO = 2000
MAX_FEE = 2000
EXTERNAL_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
LICENSE_NUMBER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./-]{1,29}$")


class RecordError(ValueError):
    """A record failed validation; ``problems`` lists (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))
        self.problems = problems


class _Reader:
    """Reads typed fields out of a raw dict, collecting every problem instead of stopping."""

    def __init__(self, data: dict[str, Any], prefix: str = ""):
        self.data = data
        self.prefix = prefix
        self.problems: list[tuple[str, str]] = []

    def fail(self, name: str, message: str) -> None:
        self.problems.append((self.prefix + name, message))

    def text(self, name: str, *, required: bool = False, max_len: int = 200) -> str:
        value = self.data.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(name, "must be text")
            return ""
        value = value.strip()
        if required and not value:
            self.fail(name, "is required")
        if len(value) > max_len:
            self.fail(name, f"must be at most {max_len} characters (has {len(value)})")
        return value

    def boolean(self, name: str, *, optional: bool = False) -> Any:
        value = self.data.get(name)
        if value is None:
            return None if optional else False
        if not isinstance(value, bool):
            self.fail(name, "must be true or false")
            return False
        return value

    def integer(self, name: str, low: int, high: int, *, optional: bool = False) -> Any:
        value = self.data.get(name)
        if value is None:
            if not optional:
                self.fail(name, "is required")
                return low
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(name, "must be a whole number")
            return low
        if not low <= value <= high:
            self.fail(name, f"must be between {low} and {high}")
        return value

    def day(self, name: str, *, optional: bool = False) -> Any:
        value = self.data.get(name)
        if value is None:
            if not optional:
                self.fail(name, "is required")
            return None
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(name, "must be a date written YYYY-MM-DD")
            return None

    def keys(self, name: str, allowed: dict[str, Any], *, what: str) -> tuple[str, ...]:
        value = self.data.get(name) or []
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            self.fail(name, "must be a list of keys")
            return ()
        unknown = [x for x in value if x not in allowed]
        if unknown:
            self.fail(name, f"unknown {what}: {', '.join(unknown)}")
        return tuple(dict.fromkeys(x for x in value if x in allowed))

    def choice(self, name: str, allowed: dict[str, Any], *, what: str) -> str:
        value = self.data.get(name)
        if not isinstance(value, str) or value not in allowed:
            self.fail(name, f"unknown {what}: {value!r}")
            return next(iter(allowed))
        return value


def _license(raw: Any, position: int, problems: list[tuple[str, str]]) -> License | None:
    if not isinstance(raw, dict):
        problems.append((f"licenses[{position}]", "must be an object"))
        return None
    r = _Reader(raw, f"licenses[{position}].")
    kind = r.choice("kind", v.LICENSE_KINDS, what="license kind")
    state = r.choice("state", v.STATES, what="state")
    number = r.text("number", required=True, max_len=30)
    if number and not LICENSE_NUMBER_RE.match(number):
        r.fail("number", "may hold only letters, digits, spaces, dots, slashes and dashes")
    expires_on = r.day("expires_on")
    status = r.choice("status", v.LICENSE_STATUSES, what="verification status")
    verified_on = r.day("verified_on", optional=True)
    if status == "verified" and verified_on is None:
        r.fail("verified_on", "is required when the license is verified")
    if status != "verified" and verified_on is not None:
        r.fail("verified_on", "is only given for a verified license")
    supervised = r.boolean("supervised")
    supervisor_name = r.text("supervisor_name", max_len=120) or None
    supervisor_license = r.text("supervisor_license", max_len=60) or None
    if supervised and not (supervisor_name and supervisor_license):
        r.fail("supervisor_name", "an associate must name the supervisor and their license")
    problems.extend(r.problems)
    if r.problems:
        return None
    return License(
        kind=kind,
        state=state,
        number=number,
        expires_on=expires_on,
        status=status,
        verified_on=verified_on,
        supervised=supervised,
        supervisor_name=supervisor_name if supervised else None,
        supervisor_license=supervisor_license if supervised else None,
    )


def parse_record(data: Any) -> Profile:
    """Validate one raw record and return it as a Profile, or raise RecordError."""
    if not isinstance(data, dict):
        raise RecordError([("record", "must be a JSON object")])
    known = {f.name for f in fields(Profile)} - {"slug"}
    r = _Reader(data)
    for name in sorted(set(data) - known):
        r.fail(name, "is not a known field")

    external_id = r.text("external_id", required=True, max_len=64)
    if external_id and not EXTERNAL_ID_RE.match(external_id):
        r.fail("external_id", "may hold only letters, digits, '.', '_', ':' and '-'")

    raw_licenses = data.get("licenses")
    licenses: list[License] = []
    if not isinstance(raw_licenses, list) or not raw_licenses:
        r.fail("licenses", "at least one license is required")
    else:
        for i, raw in enumerate(raw_licenses):
            lic = _license(raw, i, r.problems)
            if lic:
                licenses.append(lic)

    raw_approaches = data.get("approaches") or {}
    approaches: list[tuple[str, str]] = []
    if not isinstance(raw_approaches, dict):
        r.fail("approaches", "must map approach keys to training levels")
    else:
        for key, level in raw_approaches.items():
            if key not in v.APPROACHES:
                r.fail("approaches", f"unknown approach: {key}")
            elif not isinstance(level, str) or level not in v.TRAINING_LEVELS:
                r.fail(f"approaches.{key}", f"unknown training level: {level!r}")
            else:
                approaches.append((key, level))

    in_person = r.boolean("in_person")
    telehealth = r.boolean("telehealth")
    if not (in_person or telehealth):
        r.fail("telehealth", "offer in-person sessions, telehealth, or both")
    state = r.choice("state", v.STATES, what="state")
    zip_code = r.text("zip", required=True, max_len=5)
    if zip_code:
        located = zip_location(zip_code)
        if located is None:
            r.fail("zip", f"{zip_code} is not a US ZIP code")
        elif located[0] != state:
            r.fail("zip", f"{zip_code} is in {located[0]}, not {state}")

    fee = r.integer("fee", 0, MAX_FEE)
    sliding = r.integer("sliding_scale_min", 0, MAX_FEE, optional=True)
    if sliding is not None and isinstance(fee, int) and sliding > fee:
        r.fail("sliding_scale_min", "must not be more than the fee")
    accepting = r.boolean("accepting_new_clients")
    confirmed = r.day("accepting_confirmed_on", optional=True)
    languages = r.keys("languages", v.LANGUAGES, what="language code")
    if not languages and not any(p[0] == "languages" for p in r.problems):
        r.fail("languages", "at least one language is required")
    privileges = r.keys("counseling_privileges", v.STATES, what="state")

    profile = Profile(
        external_id=external_id,
        name=r.text("name", required=True, max_len=120),
        credentials=r.text("credentials", required=True, max_len=60),
        headline=r.text("headline", max_len=160),
        bio=r.text("bio", max_len=MAX_BIO),
        pronouns=r.text("pronouns", max_len=40),
        gender_identity=r.text("gender_identity", max_len=60),
        cultural_background=r.text("cultural_background", max_len=120),
        faith=r.text("faith", max_len=60),
        lgbtq=r.boolean("lgbtq", optional=True),
        licenses=tuple(licenses),
        psypact_apit=r.boolean("psypact_apit"),
        counseling_privileges=privileges,
        approaches=tuple(approaches),
        attachment_training=r.boolean("attachment_training"),
        emotion_regulation_training=r.boolean("emotion_regulation_training"),
        concerns=r.keys("concerns", v.CONCERNS, what="concern"),
        neglect_experience=r.boolean("neglect_experience"),
        years_in_practice=r.integer("years_in_practice", 0, 70),
        style=r.integer("style", 1, 5),
        collaborative_goals=r.boolean("collaborative_goals"),
        progress_tracking=r.keys("progress_tracking", v.PROGRESS_METHODS, what="progress method"),
        supervision=r.boolean("supervision"),
        ce_hours_2y=r.integer("ce_hours_2y", 0, 2000),
        confidentiality_discussed=r.boolean("confidentiality_discussed"),
        typical_course_weeks=r.integer("typical_course_weeks", 1, 520, optional=True),
        booster_sessions=r.boolean("booster_sessions"),
        in_person=in_person,
        telehealth=telehealth,
        city=r.text("city", required=True, max_len=80),
        state=state,
        zip=zip_code,
        wheelchair_accessible=r.boolean("wheelchair_accessible"),
        fee=fee,
        sliding_scale_min=sliding,
        insurance=r.keys("insurance", v.INSURANCE_PLANS, what="insurance plan"),
        free_consultation=r.boolean("free_consultation"),
        languages=languages,
        communities=r.keys("communities", v.COMMUNITIES, what="community"),
        evening_hours=r.boolean("evening_hours"),
        weekend_hours=r.boolean("weekend_hours"),
        accepting_new_clients=accepting,
        accepting_confirmed_on=confirmed if accepting else None,
        sample=r.boolean("sample"),
        published=r.boolean("published", optional=True) is not False,
    )
    if r.problems:
        raise RecordError(r.problems)
    return profile


def profile_to_record(profile: Profile) -> dict[str, Any]:
    """Return a Profile as a JSON-ready record that ``parse_record`` reads back unchanged."""
    record: dict[str, Any] = {}
    for f in fields(Profile):
        if f.name == "slug":
            continue
        value = getattr(profile, f.name)
        if f.name == "licenses":
            value = [_license_to_record(lic) for lic in value]
        elif f.name == "approaches":
            value = dict(value)
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, date):
            value = value.isoformat()
        record[f.name] = value
    return record


def _license_to_record(lic: License) -> dict[str, Any]:
    return {
        "kind": lic.kind,
        "state": lic.state,
        "number": lic.number,
        "expires_on": lic.expires_on.isoformat(),
        "status": lic.status,
        "verified_on": lic.verified_on.isoformat() if lic.verified_on else None,
        "supervised": lic.supervised,
        "supervisor_name": lic.supervisor_name,
        "supervisor_license": lic.supervisor_license,
    }
