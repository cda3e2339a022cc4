"""Plain-words explanations of what a match excluded and how to widen it."""

from __future__ import annotations

from directory.core import vocabulary as v
from matching.preferences import Preferences

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
    if reason == "cost":
        return (
            f"{n} not shown because they cost more than ${prefs.max_fee:,} a session, with no "
            "sliding scale or insurance that brings it within your limit."
        )
    if reason == "avoided_approach":
        return f"{n} not shown because they use an approach you asked to exclude."
    return f"{n} not shown ({reason})."


def relax_advice(reason: str, prefs: Preferences) -> str:
    """Return what to change so that the requirement excluding the most people relaxes."""
    return {
        "license": "Choose telehealth or either format: psychologists with a PSYPACT authority "
        "and counselors with a Counseling Compact privilege can see clients across states.",
        "associate": "Allow pre-licensed associates: they practise under a licensed supervisor "
        "and often cost less.",
        "format": "Choose either format, so both in-person and telehealth practitioners count.",
        "distance": "Allow a longer distance, or choose either format to include telehealth.",
        "accepting": "There is nothing to relax here: check back later, or ask a practitioner "
        "about their waitlist.",
        "language": 'Untick "a language I chose is required" so it counts as a preference.',
        "cost": 'Untick "cost is a firm limit", or tick "I need a sliding scale" and look '
        "for sliding scales in the results.",
        "avoided_approach": "Untick \"don't show anyone who uses an approach I'd avoid\": it "
        "will then only lower their score.",
    }.get(reason, "Try relaxing one of your requirements.")
