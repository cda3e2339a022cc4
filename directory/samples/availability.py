"""How fictional practitioners work and can be reached: pace and frequency, availability and
contact details. Each is drawn from a generator of its own (seeded by the record), so adding
one never changes the rest of a record."""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import date, timedelta
from typing import Any

import zipcodes

from directory.core.contact import check_phone


def pace_and_frequency(rng: random.Random, style: int) -> dict[str, Any]:
    """Return a fictional practitioner's usual pace (in keeping with their style) and how
    often they meet; drawn from their own generator so the rest of the record is unchanged."""
    paces = {1: "brisk", 2: "brisk", 3: "steady", 4: "gentle", 5: "gentle"}
    pace = "" if rng.random() < 0.15 else paces[style]
    if pace and rng.random() < 0.2:
        pace = "steady" if pace != "steady" else rng.choice(("gentle", "brisk"))
    roll = rng.random()
    frequencies = (
        [] if roll < 0.1 else ["weekly"] if roll < 0.5
        else ["weekly", "every_other_week"] if roll < 0.85 else ["every_other_week"]
    )  # fmt: skip
    return {"pace": pace, "session_frequencies": frequencies}


def availability(rng: random.Random, accepting: bool, today: date) -> dict[str, Any]:
    """Return when "accepting" was last confirmed (mostly in the last five weeks, a few stale:
    as a directory whose practitioners get reminders would look), a waitlist and the next
    opening for some of those not accepting."""
    if accepting:
        roll = rng.random()
        days = (
            rng.randint(0, 35)
            if roll < 0.82
            else rng.randint(36, 60)
            if roll < 0.94
            else (rng.randint(61, 150))
        )
        return {"accepting_confirmed_on": (today - timedelta(days=days)).isoformat(),
                "waitlist": False, "next_opening": None}  # fmt: skip
    waitlist = rng.random() < 0.4
    opening = today + timedelta(days=rng.randint(7, 75)) if rng.random() < 0.35 else None
    return {"accepting_confirmed_on": None, "waitlist": waitlist,
            "next_opening": opening.isoformat() if opening else None}  # fmt: skip


HOURS = ("Weekdays 9-5; replies within a day", "Mon-Thu 10-6", "Replies within two working days",
         "Weekdays and Saturday mornings", "")  # fmt: skip


def contact_details(rng: random.Random, name: str, zip_code: str) -> dict[str, Any]:
    """Return fictional contact details that reach no one: a 555-01xx number in the office's
    area code, example.org addresses; drawn from their own generator."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = [w for w in re.split(r"[^a-z]+", ascii_name.lower()) if w]
    handle = f"{words[0]}.{words[-1]}" if len(words) > 1 else (words or ["sample"])[0]
    found = zipcodes.matching(zip_code)
    area_codes = [a for a in (found[0].get("area_codes") or []) if a] if found else []
    phone, problem = check_phone(f"({area_codes[0] if area_codes else '614'}) 555-01"
                                 f"{rng.randint(0, 99):02d}")  # fmt: skip
    details: dict[str, Any] = {
        "phone": phone if not problem and rng.random() < 0.85 else "",
        "public_email": f"{handle}@example.org" if rng.random() < 0.8 else "",
        "website": f"https://{handle.replace('.', '-')}.example.org" if rng.random() < 0.5 else "",
        "booking_url": (
            f"https://booking.example.org/{handle.replace('.', '-')}" if rng.random() < 0.3 else ""
        ),
        "contact_hours": rng.choice(HOURS),
        "consultation_requests": True,
    }
    given = [k for k in ("phone", "public_email", "website", "booking_url") if details[k]]
    details["contact_preferred"] = rng.choice(given) if given and rng.random() < 0.7 else ""
    return details
