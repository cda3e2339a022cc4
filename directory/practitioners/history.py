"""A profile's changes in words: each field by its label, each value as a person reads it.

Changes are kept as record values (``profile_to_record``): keys, booleans, lists and the
licenses' dicts. The history page and the two-tabs conflict page show them through
``describe_changes``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from directory.core import vocabulary as v
from directory.core.compacts import load_compacts
from directory.core.profile import Profile, spec_of
from directory.practitioners.forms import ProfileForm

NOTHING = "—"
# Fields whose label is not a field of the profile form (or reads better otherwise).
LABELS = {
    "licenses": "Licenses",
    "authorities": "Compact authorities",
    "approaches": "Approaches and training",
    "lgbtq": "LGBTQ+ affirming",
    "published": "Published",
    "accepting_confirmed_on": "Accepting new clients, confirmed on",
    "sample": "Sample profile",
    "home_state": "Home state",
    "state": "Office state",
}
STYLES = {1: "Structured skills", 2: "Leaning structured", 3: "A mix",
          4: "Leaning exploratory", 5: "Exploratory, relational"}  # fmt: skip
_SPECS = {f.name: spec for f in fields(Profile) if (spec := spec_of(f)) is not None}


def field_label(name: str) -> str:
    """Return what the profile form calls a record field."""
    if name in LABELS:
        return LABELS[name]
    unbound = getattr(ProfileForm, name, None)
    label = getattr(unbound, "args", None) or ()
    if label and isinstance(label[0], str):
        return label[0]
    return name.replace("_", " ").capitalize()


def _named(vocabulary: Mapping[str, object], key: str) -> str:
    term = vocabulary.get(key)
    if isinstance(term, v.Term):
        return term.name
    if isinstance(term, tuple):  # states: (name, FIPS code)
        return str(term[0])
    return str(term) if term is not None else key


def _license(held: Mapping[str, Any]) -> str:
    kinds: Mapping[str, object] = {**v.LICENSE_KINDS, **load_compacts().authority_kinds}
    kind = held.get("kind") or ""
    name = getattr(kinds.get(kind), "name", None) or _named(v.LICENSE_KINDS, kind)
    parts = [name]
    if held.get("state"):
        parts.append(_named(v.STATES, held["state"]))
    if held.get("number"):
        parts.append(f"number {held['number']}")
    if held.get("expires_on"):
        parts.append(f"expires {held['expires_on']}")
    if held.get("status"):
        parts.append(_named(v.LICENSE_STATUSES, held["status"]).lower())
    if held.get("supervised"):
        supervisor = held.get("supervisor_name")
        parts.append(f"supervised by {supervisor}" if supervisor else "supervised")
    return ", ".join(parts)


def readable(name: str, value: Any) -> str:
    """Return a record field's value as a person reads it."""
    if value is None or value == "" or value == [] or value == {}:
        return NOTHING
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if name in ("licenses", "authorities") and isinstance(value, list):
        return "; ".join(_license(held) for held in value if isinstance(held, Mapping))
    if name == "approaches" and isinstance(value, Mapping):
        return ", ".join(
            f"{_named(v.APPROACHES, key)} ({_named(v.TRAINING_LEVELS, level).lower()})"
            for key, level in value.items()
        )
    if name == "style" and value in STYLES:
        return STYLES[value]
    spec = _SPECS.get(name)
    vocabulary = spec.vocabulary if spec is not None else None
    if vocabulary is not None:
        keys = value if isinstance(value, list) else [value]
        return ", ".join(_named(vocabulary, str(key)) for key in keys)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def describe_changes(changes: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """Return (label, before, after) for each changed field, in the profile's field order."""
    order = {name: i for i, name in enumerate(_SPECS)}
    rows = []
    for name in sorted(changes, key=lambda n: (order.get(n, len(order)), n)):
        pair = changes[name]
        paired = isinstance(pair, list | tuple) and len(pair) == 2
        old, new = (pair[0], pair[1]) if paired else (None, pair)
        rows.append((field_label(name), readable(name, old), readable(name, new)))
    return rows
