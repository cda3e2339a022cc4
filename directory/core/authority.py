"""Where a practitioner may see clients: licenses and compacts, state by state, as of a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from directory.core.compacts import Compacts
from directory.core.profile import License, Profile


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
