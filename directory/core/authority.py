"""Where a practitioner may see clients: licenses and compacts, state by state, as of a day.

Therapy happens where the client is. A practitioner may see a client located in a state
through one of these, each checked as of the day:

- their own license there: valid (not expired, not rejected); a pending one counts but is
  shown as not yet verified;
- a compact authority an administrator verified and that has not expired, held from their
  home state (where they live and practise from), which must issue under the compact that day,
  with a valid independent license of the compact's profession there; it reaches the client's
  state only if that state issues under the compact too. A PSYPACT APIT reaches every issuing
  member by telehealth; a Counseling Compact privilege reaches its one state; a PSYPACT TAP
  allows only temporary visits, which the directory never matches on.

A compact never reaches the practitioner's home state (their license there is what the
compact rests on), nor their office's state unless they hold a valid license there: an
expired, rejected or missing license where the office is is never covered by a compact. This
module is the one rule: the search index, the match, the profile page and the JSON all ask it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from directory.core import vocabulary as v
from directory.core.compacts import Compacts
from directory.core.profile import CompactAuthority, License, Profile


@dataclass(frozen=True)
class Authority:
    """One reason a practitioner may see a client located in ``state``, with its dates."""

    state: str
    # "license", or the compact's key: "psypact", "counseling", "social_work".
    basis: str
    telehealth_only: bool
    supervised: bool
    verified: bool
    # The day after which this reason lapses (the earlier expiry of what it rests on).
    expires_on: date | None = None
    # For a compact: the authority's kind ("psypact_apit"...) and the home state it is held from.
    kind: str = "license"
    home_state: str | None = None
    verified_on: date | None = None

    @property
    def compact(self) -> bool:
        """Return whether the reason is a compact authority rather than an own license."""
        return self.basis != "license"

    def describe(self, compacts: Compacts) -> str:
        """Return the reason in words: "own license", "PSYPACT APIT from Ohio"..."""
        if not self.compact:
            text = "own license" + ("" if self.verified else " (not yet verified)")
        else:
            name = compacts.kind(self.kind).name
            text = f"{name} from {v.state_name(self.home_state or '')}"
        if self.expires_on is not None:
            text += f", until {self.expires_on.isoformat()}"
        return text


@dataclass(frozen=True)
class Reach:
    """Everything a practitioner may do for a client located in one state, and why."""

    state: str
    # Every reason, strongest first (see ``best_authority``).
    authorities: tuple[Authority, ...]

    @property
    def best(self) -> Authority:
        """Return the strongest reason."""
        return self.authorities[0]

    @property
    def basis(self) -> str:
        """Return the strongest reason's basis."""
        return self.best.basis

    @property
    def telehealth_only(self) -> bool:
        """Return whether every reason here is for telehealth only."""
        return all(a.telehealth_only for a in self.authorities)

    @property
    def supervised(self) -> bool:
        """Return whether every reason here is a supervised associate's."""
        return all(a.supervised for a in self.authorities)

    @property
    def verified(self) -> bool:
        """Return whether any reason here was verified by an administrator."""
        return any(a.verified for a in self.authorities)


def _strength(a: Authority) -> tuple[bool, bool, bool]:
    return (a.verified, not a.supervised, not a.telehealth_only)


def best_authority(authorities: list[Authority]) -> Authority:
    """Return the strongest of several authorities: verified, independent, in person."""
    return max(authorities, key=_strength)


def _license_authority(lic: License, today: date) -> Authority:
    return Authority(
        state=lic.state,
        basis="license",
        telehealth_only=False,
        supervised=lic.supervised,
        verified=lic.is_verified(today),
        expires_on=lic.expires_on,
        verified_on=lic.verified_on if lic.is_verified(today) else None,
    )


def compact_reach(
    profile: Profile, held: CompactAuthority, today: date, compacts: Compacts
) -> list[Authority]:
    """Return the states one compact authority reaches today (none unless every rule holds)."""
    if not held.is_verified(today):
        return []  # pending, rejected or expired: self-declared reach never counts
    try:
        kind = compacts.kind(held.kind)
    except KeyError:
        return []
    compact = compacts[kind.compact]
    home = profile.home_state or profile.state
    if kind.reach == "temporary" or not compact.issuing(home, today):
        return []
    home_licenses = [
        lic
        for lic in profile.licenses
        if lic.kind == compact.license_kind
        and lic.state == home
        and not lic.supervised
        and lic.is_valid(today)
    ]
    if not home_licenses:
        return []
    if kind.reach == "members":
        states = sorted(compact.issuing_states(today))
    else:
        states = [held.state] if held.state and compact.issuing(held.state, today) else []
    lapses = min(max(lic.expires_on for lic in home_licenses), held.expires_on or date.max)
    # The office's state is reached through a compact only beside a valid license there.
    office_licensed = any(
        lic.state == profile.state and lic.is_valid(today) for lic in profile.licenses
    )
    return [
        Authority(
            state=state,
            basis=compact.key,
            telehealth_only=kind.telehealth_only,
            supervised=False,
            verified=True,
            expires_on=lapses,
            kind=kind.key,
            home_state=home,
            verified_on=held.verified_on,
        )
        for state in states
        if state != home and (state != profile.state or office_licensed)
    ]


def authorities_by_state(
    profile: Profile, today: date, compacts: Compacts, only: str | None = None
) -> dict[str, list[Authority]]:
    """Return, per state, every authority the profile has to see a client located there.

    With ``only``, just that state is worked out (matching asks about one state at a time).
    """
    found: dict[str, list[Authority]] = {}
    for lic in profile.licenses:
        if lic.is_valid(today) and (only is None or lic.state == only):
            found.setdefault(lic.state, []).append(_license_authority(lic, today))
    for held in profile.authorities:
        for auth in compact_reach(profile, held, today, compacts):
            if only is None or auth.state == only:
                found.setdefault(auth.state, []).append(auth)
    return found


def practice_authorities(profile: Profile, today: date, compacts: Compacts) -> dict[str, Reach]:
    """Return, per state, what the profile may do for a client located there, and why.

    The states come in the order of their names (as the profile lists them), each with its
    reasons strongest first.
    """
    reach = {
        state: Reach(state, tuple(sorted(auths, key=_strength, reverse=True)))
        for state, auths in authorities_by_state(profile, today, compacts).items()
    }
    return dict(sorted(reach.items(), key=lambda item: v.state_name(item[0])))


def lapses_on(profile: Profile, today: date, compacts: Compacts) -> date | None:
    """Return the next day on which what the profile may do changes by the calendar alone.

    That is the first expiry of a valid license or of a counted authority, or a day on which
    a state begins issuing under a compact the profile holds an authority of.
    """
    days = [lic.expires_on for lic in profile.licenses if lic.is_valid(today)]
    days += [
        a.expires_on
        for a in profile.authorities
        if a.expires_on is not None and a.is_verified(today)
    ]
    if profile.authorities:
        change = compacts.next_change(today)
        if change is not None:
            days.append(change - timedelta(days=1))
    return min(days, default=None)
