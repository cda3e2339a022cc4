"""Practitioner records as JSON: validate a dict into a Profile, and turn a Profile back into one.

The import file format is a JSON array of these records; the sample generator writes it and
``flask --app app directory import`` reads it. Each field is read by the ``Spec`` that
``Profile`` declares for it; the checks that span fields (ZIP and state, fee and sliding
scale, formats) follow. Every problem is reported with its field name so that an operator can
fix a file in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields
from datetime import date
from typing import Any

from directory.core import vocabulary as v
from directory.core.compacts import load_compacts
from directory.core.contact import CHECKS
from directory.core.geography import zip_location
from directory.core.profile import (
    AUTHORITY_FIELDS,
    LICENSE_FIELDS,
    RECORD_FIELDS,
    SPECS,
    CompactAuthority,
    License,
    Profile,
    Spec,
)

EXTERNAL_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
LICENSE_NUMBER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./-]{1,29}$")
Problems = list[tuple[str, str]]


class RecordError(ValueError):
    """A record failed validation; ``problems`` lists (field, message) pairs."""

    def __init__(self, problems: Problems):
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))
        self.problems = problems


class _Reader:
    """Reads typed fields out of a raw dict, collecting every problem instead of stopping."""

    def __init__(self, data: Mapping[str, Any], prefix: str = ""):
        self.data = data
        self.prefix = prefix
        self.problems: Problems = []

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

    def boolean(self, name: str, *, missing: bool | None = False) -> bool | None:
        value = self.data.get(name)
        if value is None:
            return missing
        if not isinstance(value, bool):
            self.fail(name, "must be true or false")
            return False
        return value

    def integer(self, name: str, low: int, high: int, *, optional: bool = False) -> int | None:
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

    def day(self, name: str, *, optional: bool = False) -> date | None:
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

    def keys(self, name: str, allowed: Mapping[str, object], *, what: str) -> tuple[str, ...]:
        value = self.data.get(name) or []
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            self.fail(name, "must be a list of keys")
            return ()
        unknown = [x for x in value if x not in allowed]
        if unknown:
            self.fail(name, f"unknown {what}: {_shown(', '.join(unknown))}")
        return tuple(dict.fromkeys(x for x in value if x in allowed))

    def choice(
        self, name: str, allowed: Mapping[str, object], *, what: str, optional: bool = False
    ) -> str:
        value = self.data.get(name)
        if optional and value in (None, ""):
            return ""
        if not isinstance(value, str) or value not in allowed:
            self.fail(name, f"unknown {what}: {_shown(value, quote=True)}")
            return next(iter(allowed))
        return value

    def field(self, name: str, spec: Spec, default: Any) -> Any:
        """Read one profile field by its spec."""
        if spec.kind == "text":
            value = self.text(name, required=spec.required, max_len=spec.max_len)
            if value and spec.format:
                checked, problem = CHECKS[spec.format](value)
                if problem:
                    self.fail(name, problem)
                    return ""
                return checked
            return value
        if spec.kind == "flag":
            return self.boolean(name, missing=default)
        if spec.kind == "maybe_flag":
            return self.boolean(name, missing=None)
        if spec.kind == "number":
            return self.integer(name, spec.low, spec.high, optional=spec.optional)
        if spec.kind == "day":
            return self.day(name, optional=spec.optional)
        if spec.vocabulary is None:
            raise TypeError(f"the profile field {name} declares no vocabulary")
        if spec.kind == "keys":
            return self.keys(name, spec.vocabulary, what=spec.what)
        return self.choice(name, spec.vocabulary, what=spec.what, optional=spec.optional)


def _verification(r: _Reader, what: str) -> tuple[str, date | None]:
    """Read an administrator's check of a license or authority: its status and date."""
    status = r.choice("status", v.LICENSE_STATUSES, what="verification status")
    verified_on = r.day("verified_on", optional=True)
    if status == "verified" and verified_on is None:
        r.fail("verified_on", f"is required when the {what} is verified")
    if status != "verified" and verified_on is not None:
        r.fail("verified_on", f"is only given for a verified {what}")
    return status, verified_on


def _license(raw: Any, position: int, problems: Problems) -> License | None:
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
    status, verified_on = _verification(r, "license")
    supervised = bool(r.boolean("supervised"))
    supervisor_name = r.text("supervisor_name", max_len=120) or None
    supervisor_license = r.text("supervisor_license", max_len=60) or None
    if supervised and not (supervisor_name and supervisor_license):
        r.fail("supervisor_name", "an associate must name the supervisor and their license")
    problems.extend(r.problems)
    if r.problems or expires_on is None:
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


def _licenses(r: _Reader) -> tuple[License, ...]:
    raw_licenses = r.data.get("licenses")
    if not isinstance(raw_licenses, list) or not raw_licenses:
        r.fail("licenses", "at least one license is required")
        return ()
    found = (_license(raw, i, r.problems) for i, raw in enumerate(raw_licenses))
    return tuple(lic for lic in found if lic)


def _authority(raw: Any, position: int, problems: Problems) -> CompactAuthority | None:
    if not isinstance(raw, dict):
        problems.append((f"authorities[{position}]", "must be an object"))
        return None
    r = _Reader(raw, f"authorities[{position}].")
    kinds = load_compacts().authority_kinds
    kind = r.choice("kind", kinds, what="authority kind")
    number = r.text("number", required=True, max_len=30)
    if number and not LICENSE_NUMBER_RE.match(number):
        r.fail("number", "may hold only letters, digits, spaces, dots, slashes and dashes")
    expires_on = r.day("expires_on")
    state: str | None = None
    if kind in kinds and kinds[kind].reach == "one_state":
        state = r.choice("state", v.STATES, what="state")
    elif raw.get("state") is not None:
        r.fail("state", f"is given only for an authority for one state, not a {kind}")
    status, verified_on = _verification(r, "authority")
    problems.extend(r.problems)
    if r.problems:
        return None
    return CompactAuthority(kind, number, expires_on, state, status, verified_on)


def _authorities(r: _Reader) -> tuple[CompactAuthority, ...]:
    raw = r.data.get("authorities") or []
    if not isinstance(raw, list):
        r.fail("authorities", "must be a list of authorities")
        return ()
    found = (_authority(item, i, r.problems) for i, item in enumerate(raw))
    return tuple(a for a in found if a)


def _shown(value: object, limit: int = 40, quote: bool = False) -> str:
    """A value as a message may quote it: cut short, so a huge value cannot flood the report."""
    text = repr(value) if quote or not isinstance(value, str) else value
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def _approaches(r: _Reader) -> tuple[tuple[str, str], ...]:
    raw_approaches = r.data.get("approaches") or {}
    if not isinstance(raw_approaches, dict):
        r.fail("approaches", "must map approach keys to training levels")
        return ()
    approaches: list[tuple[str, str]] = []
    for key, level in raw_approaches.items():
        if key not in v.APPROACHES:
            r.fail("approaches", f"unknown approach: {_shown(key)}")
        elif not isinstance(level, str) or level not in v.TRAINING_LEVELS:
            r.fail(f"approaches.{key}", f"unknown training level: {_shown(level, quote=True)}")
        else:
            approaches.append((key, level))
    return tuple(approaches)


def _check_across_fields(r: _Reader, values: dict[str, Any]) -> None:
    """The rules that span fields, after each field was read on its own."""
    if values["external_id"] and not EXTERNAL_ID_RE.match(values["external_id"]):
        r.fail("external_id", "may hold only letters, digits, '.', '_', ':' and '-'")
    if not (values["in_person"] or values["telehealth"]):
        r.fail("telehealth", "offer in-person sessions, telehealth, or both")
    zip_code, state = values["zip"], values["state"]
    if zip_code:
        located = zip_location(zip_code)
        if located is None:
            r.fail("zip", f"{_shown(zip_code)} is not a US ZIP code")
        elif located[0] != state:
            r.fail("zip", f"{zip_code} is in {located[0]}, not {state}")
    sliding, fee = values["sliding_scale_min"], values["fee"]
    if sliding is not None and isinstance(fee, int) and sliding > fee:
        r.fail("sliding_scale_min", "must not be more than the fee")
    if not values["languages"] and not any(p[0] == "languages" for p in r.problems):
        r.fail("languages", "at least one language is required")
    if not values["accepting_new_clients"]:
        values["accepting_confirmed_on"] = None
    if not values["home_state"]:
        values["home_state"] = state
    preferred = values["contact_preferred"]
    if preferred and not values.get(preferred):
        r.fail("contact_preferred", f"give the {v.CONTACT_METHODS[preferred].name.lower()} "
               "detail you'd like to be contacted by")  # fmt: skip


def parse_record(data: Any) -> Profile:
    """Validate one raw record and return it as a Profile, or raise RecordError."""
    if not isinstance(data, dict):
        raise RecordError([("record", "must be a JSON object")])
    r = _Reader(data)
    for name in sorted(set(data) - set(RECORD_FIELDS)):
        r.fail(name, "is not a known field")
    defaults = {f.name: f.default for f in fields(Profile)}
    values: dict[str, Any] = {}
    for name, spec in SPECS.items():
        if spec.kind == "licenses":
            values[name] = _licenses(r)
        elif spec.kind == "authorities":
            values[name] = _authorities(r)
        elif spec.kind == "approaches":
            values[name] = _approaches(r)
        else:
            values[name] = r.field(name, spec, defaults[name])
    _check_across_fields(r, values)
    if r.problems:
        raise RecordError(r.problems)
    return Profile(**values)


def profile_to_record(profile: Profile) -> dict[str, Any]:
    """Return a Profile as a JSON-ready record that ``parse_record`` reads back unchanged."""
    record: dict[str, Any] = {}
    for name in RECORD_FIELDS:
        value = getattr(profile, name)
        if name == "licenses":
            value = [license_to_record(lic) for lic in value]
        elif name == "authorities":
            value = [authority_to_record(a) for a in value]
        elif name == "approaches":
            value = dict(value)
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, date):
            value = value.isoformat()
        record[name] = value
    return record


def license_to_record(lic: License) -> dict[str, Any]:
    """Return a license as the record's JSON-ready dict."""
    return _dated({name: getattr(lic, name) for name in LICENSE_FIELDS})


def authority_to_record(authority: CompactAuthority) -> dict[str, Any]:
    """Return a compact authority as the record's JSON-ready dict (no state when it has none)."""
    out = _dated({name: getattr(authority, name) for name in AUTHORITY_FIELDS})
    if out["state"] is None:
        del out["state"]
    return out


def _dated(out: dict[str, Any]) -> dict[str, Any]:
    for name, value in out.items():
        if isinstance(value, date):
            out[name] = value.isoformat()
    return out
