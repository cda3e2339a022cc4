"""A practitioner's profile as plain, frozen data, and the rules of where they may practise.

Nothing here knows Flask or SQLAlchemy: the models convert to and from these classes, and the
checklist, the search index and the matching engine all read them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# "A claim older than 45 days is shown as 'not confirmed recently', not as fact."
ACCEPTING_CONFIRMATION_DAYS = 45


def confirmed_recently(confirmed_on: date | None, today: date) -> bool:
    """Return whether a claim confirmed on ``confirmed_on`` may still be shown as fact."""
    if confirmed_on is None:
        return False
    return (today - confirmed_on).days <= ACCEPTING_CONFIRMATION_DAYS


@dataclass(frozen=True)
class License:
    """One state license, as the practitioner states it and as an administrator checked it."""

    kind: str
    state: str
    number: str
    expires_on: date
    status: str = "pending"
    verified_on: date | None = None
    supervised: bool = False
    supervisor_name: str | None = None
    supervisor_license: str | None = None

    def is_expired(self, today: date) -> bool:
        """Return whether the license has passed its expiry date."""
        return self.expires_on < today

    def is_valid(self, today: date) -> bool:
        """Return whether the license may be relied on at all: not rejected, not expired."""
        return self.status != "rejected" and not self.is_expired(today)

    def is_verified(self, today: date) -> bool:
        """Return whether an administrator verified the license and it has not expired."""
        return self.status == "verified" and not self.is_expired(today)


@dataclass(frozen=True)
class Compacts:
    """Member states of the interstate compacts, with the date the lists were checked."""

    psypact: frozenset[str]
    counseling: frozenset[str]
    psypact_checked_on: date
    counseling_checked_on: date


@cache
def load_compacts(path: Path | None = None) -> Compacts:
    """Read the compact member lists from the reference data in ``data/``."""
    raw = json.loads((path or DATA_DIR / "compacts.json").read_text(encoding="utf-8"))
    return Compacts(
        psypact=frozenset(raw["psypact"]["members"]),
        counseling=frozenset(raw["counseling"]["members"]),
        psypact_checked_on=date.fromisoformat(raw["psypact"]["checked_on"]),
        counseling_checked_on=date.fromisoformat(raw["counseling"]["checked_on"]),
    )


@dataclass(frozen=True)
class Profile:
    """Everything a practitioner's public profile says, in the guide's vocabulary."""

    external_id: str
    name: str
    credentials: str
    headline: str = ""
    bio: str = ""
    pronouns: str = ""
    # Self-described identity, shown and filtered on only because clients may choose to.
    gender_identity: str = ""
    cultural_background: str = ""
    faith: str = ""
    lgbtq: bool | None = None
    licenses: tuple[License, ...] = ()
    psypact_apit: bool = False
    counseling_privileges: tuple[str, ...] = ()
    # Approach key -> training level key.
    approaches: tuple[tuple[str, str], ...] = ()
    attachment_training: bool = False
    emotion_regulation_training: bool = False
    concerns: tuple[str, ...] = ()
    neglect_experience: bool = False
    years_in_practice: int = 0
    # 1 = structured skills work ... 5 = exploratory relational work.
    style: int = 3
    collaborative_goals: bool = False
    progress_tracking: tuple[str, ...] = ()
    supervision: bool = False
    ce_hours_2y: int = 0
    confidentiality_discussed: bool = False
    typical_course_weeks: int | None = None
    booster_sessions: bool = False
    in_person: bool = False
    telehealth: bool = False
    city: str = ""
    state: str = ""
    zip: str = ""
    wheelchair_accessible: bool = False
    fee: int = 0
    sliding_scale_min: int | None = None
    insurance: tuple[str, ...] = ()
    free_consultation: bool = False
    languages: tuple[str, ...] = ("en",)
    communities: tuple[str, ...] = ()
    evening_hours: bool = False
    weekend_hours: bool = False
    accepting_new_clients: bool = False
    accepting_confirmed_on: date | None = None
    sample: bool = False
    published: bool = True
    slug: str = field(default="", compare=False)

    @property
    def approach_keys(self) -> tuple[str, ...]:
        """Return the keys of the approaches the practitioner offers."""
        return tuple(key for key, _ in self.approaches)

    @property
    def formats(self) -> tuple[str, ...]:
        """Return the session formats offered (``in_person``, ``telehealth``)."""
        offered = (("in_person", self.in_person), ("telehealth", self.telehealth))
        return tuple(name for name, on in offered if on)

    @property
    def lowest_fee(self) -> int:
        """Return the least a client may pay per session (the sliding-scale minimum if any)."""
        if self.sliding_scale_min is not None:
            return min(self.fee, self.sliding_scale_min)
        return self.fee

    @property
    def is_associate(self) -> bool:
        """Return whether every license the practitioner holds is supervised."""
        return bool(self.licenses) and all(lic.supervised for lic in self.licenses)

    def has_verified_license(self, today: date) -> bool:
        """Return whether at least one license is verified and unexpired."""
        return any(lic.is_verified(today) for lic in self.licenses)

    def accepting_confirmed(self, today: date) -> bool:
        """Return whether "accepting new clients" was confirmed within the last 45 days."""
        return confirmed_recently(self.accepting_confirmed_on, today)


@dataclass(frozen=True)
class Authority:
    """Why a practitioner may see a client located in one state."""

    state: str
    basis: str  # "license", "psypact" or "counseling"
    telehealth_only: bool
    supervised: bool
    verified: bool


def authorities_by_state(
    profile: Profile, today: date, compacts: Compacts, only: str | None = None
) -> dict[str, list[Authority]]:
    """Return, per state, every authority the profile has to see a client located there.

    Therapy happens where the client is: a valid (unexpired, not rejected) license in that state,
    a PSYPACT APIT when the psychologist holds a valid unsupervised license in a member state and
    the client's state is a member (telehealth only), or a Counseling Compact privilege for that
    state when the counselor's license is independent and issued by a member state. With
    ``only``, just that state is worked out (matching asks about one state at a time).
    """
    found: dict[str, list[Authority]] = {}

    def offer(auth: Authority) -> None:
        if only is None or auth.state == only:
            found.setdefault(auth.state, []).append(auth)

    for lic in profile.licenses:
        if lic.is_valid(today):
            offer(Authority(lic.state, "license", False, lic.supervised, lic.is_verified(today)))

    def home_licenses(kind: str, members: frozenset[str]) -> list[License]:
        return [
            lic
            for lic in profile.licenses
            if lic.kind == kind
            and not lic.supervised
            and lic.is_valid(today)
            and lic.state in members
        ]

    if profile.psypact_apit:
        homes = home_licenses("psychologist", compacts.psypact)
        if homes:
            verified = any(lic.is_verified(today) for lic in homes)
            states = (
                sorted(compacts.psypact) if only is None else [only] * (only in compacts.psypact)
            )
            for state in states:
                offer(Authority(state, "psypact", True, False, verified))

    if profile.counseling_privileges:
        homes = home_licenses("professional_counselor", compacts.counseling)
        if homes:
            verified = any(lic.is_verified(today) for lic in homes)
            for state in profile.counseling_privileges:
                if state in compacts.counseling:
                    offer(Authority(state, "counseling", False, False, verified))
    return found


def best_authority(authorities: list[Authority]) -> Authority:
    """Return the strongest of several authorities: verified, independent, in person."""
    return max(authorities, key=lambda a: (a.verified, not a.supervised, not a.telehealth_only))


def practice_authorities(profile: Profile, today: date, compacts: Compacts) -> dict[str, Authority]:
    """Return, per state, a summary of what the profile may do for a client located there.

    The summary is telehealth-only or supervised only if every authority there is, and
    verified if any is; its basis is the strongest authority's.
    """
    summary: dict[str, Authority] = {}
    for state, auths in authorities_by_state(profile, today, compacts).items():
        best = best_authority(auths)
        summary[state] = Authority(
            state=state,
            basis=best.basis,
            telehealth_only=all(a.telehealth_only for a in auths),
            supervised=all(a.supervised for a in auths),
            verified=any(a.verified for a in auths),
        )
    return summary


def haversine_miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the great-circle distance between two (lat, lon) points in miles."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 3958.8 * math.asin(math.sqrt(h))
