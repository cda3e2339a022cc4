"""Plain-words explanations of what a match excluded and how to widen it."""

from __future__ import annotations

from collections.abc import Mapping

from directory.core import vocabulary as v
from matching.preferences import Preferences
from matching.rules import FARTHER_MILES
from matching.wording import join

FORMAT_NAMES = {"in_person": "in-person sessions", "telehealth": "telehealth",
                "either": "in-person sessions or telehealth"}  # fmt: skip


def _people(n: int) -> str:
    return f"{n:,} {'was' if n == 1 else 'were'}"


def exclusion_message(reason: str, count: int, prefs: Preferences) -> str:
    """Return why ``count`` practitioners were not shown, in a sentence."""
    state = v.state_name(prefs.state)
    n = _people(count)
    if reason == "license":
        return f"{n} not shown because they can't legally see clients in {state}."
    if reason == "associate":
        return f"{n} not shown because they are pre-licensed associates."
    if reason == "format":
        return f"{n} not shown because they don't offer {FORMAT_NAMES[prefs.format]} in {state}."
    if reason == "distance":
        return (
            f"{n} not shown because their office is more than {prefs.distance_limit} miles "
            "from your ZIP code."
        )
    if reason == "accepting":
        return f"{n} not shown because they aren't accepting new clients."
    if reason == "language":
        names = " or ".join(v.LANGUAGES[c] for c in prefs.languages)
        return f"{n} not shown because they don't offer sessions in {names}."
    if reason == "access":
        names = join([v.ACCOMMODATIONS[k].name.lower() for k in prefs.access_needs])
        return f"{n} not shown because they don't list all of: {names}."
    if reason == "cost":
        return (
            f"{n} not shown because they cost more than ${prefs.max_fee:,} a session, with no "
            "sliding scale or insurance that brings it within your limit."
        )
    if reason == "avoided_approach":
        return f"{n} not shown because they use an approach you asked to exclude."
    return f"{n} not shown ({reason})."


def _relaxed_text(key: str, prefs: Preferences) -> str:
    if key == "either_format":
        other = "telehealth" if prefs.format == "in_person" else "in-person sessions"
        return f"if you accept {other} too"
    if key == "farther":
        return f"if you would travel up to {FARTHER_MILES} miles"
    if key == "associates":
        return "if you allow pre-licensed associates (they practise under a licensed supervisor)"
    if key == "language_preferred":
        names = " or ".join(v.LANGUAGES[c] for c in prefs.languages)
        return f"if {names} were preferred, not required"
    if key == "access_preferred":
        return "if your access needs were preferred, not required (ask each practitioner too)"
    if key == "cost_flexible":
        return f"if ${prefs.max_fee:,} were a preference, not a firm limit"
    return "if approaches you'd avoid only lowered a score instead of ruling people out"


def _more(n: int) -> str:
    return f"{n:,} more"


def relax_advice(relaxed: Mapping[str, int], excluded: Mapping[str, int], prefs: Preferences,
                 shown: int) -> str | None:  # fmt: skip
    """Name the answer that, relaxed alone, would bring back the most people, and how many.

    Only answers the person gave are suggested (never what they already chose); when none
    would help, the sentence says so and names what ruled most people out.
    """
    helpful = sorted(((n, key) for key, n in relaxed.items() if n > 0), key=lambda x: -x[0])
    if helpful:
        n, key = helpful[0]
        text = f"{_more(n)} would be shown {_relaxed_text(key, prefs)}."
        others = [f"{_more(m)} {_relaxed_text(k, prefs)}" for m, k in helpful[1:3]]
        if others:
            text += " Otherwise: " + "; ".join(others) + "."
        return text
    if shown or not excluded:
        return None
    reason = max(excluded.items(), key=lambda kv: kv[1])[0]
    if reason == "license":
        return (
            f"No single answer you could change would bring anyone back: most can't legally "
            f"see clients in {v.state_name(prefs.state)}, where you'll be."
        )
    if reason == "accepting":
        return (
            "No single answer you could change would bring anyone back: most aren't accepting "
            "new clients. Check back later, or ask a practitioner about their waitlist."
        )
    return "No single answer you could change alone would bring anyone back."
