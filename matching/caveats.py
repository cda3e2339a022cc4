"""What a person should know beside each match: verification, supervision, how they may
practise in the person's state, freshness of "accepting", expiry, samples."""

from __future__ import annotations

from datetime import date

from directory.core import vocabulary as v
from directory.core.authority import Authority
from directory.core.profile import ACCEPTING_UNKNOWN_DAYS, Profile
from matching import coefficients as c


def caveats(profile: Profile, auth: Authority, today: date) -> tuple[str, ...]:
    """Return what a person should know beside a match: verification, supervision, basis..."""
    out: list[str] = []
    if not auth.verified:
        out.append("License not yet verified")
    if auth.supervised:
        lic = next((x for x in profile.licenses if x.supervised and x.state == auth.state), None)
        if lic is not None:
            out.append(
                f"Associate under the supervision of {lic.supervisor_name} "
                f"({lic.supervisor_license})"
            )
    if auth.basis == "psypact":
        out.append("Telehealth only, through a PSYPACT authority")
    if auth.basis == "counseling":
        out.append("Practises in this state through a Counseling Compact privilege")
    if auth.basis == "license" and profile.state != auth.state:
        out.append(
            f"Licensed in {v.state_name(auth.state)}; their office is in "
            f"{v.state_name(profile.state)}"
        )
    if profile.accepting_new_clients and not profile.accepting_known(today):
        out.append(
            f"Accepting new clients unknown: not confirmed in {ACCEPTING_UNKNOWN_DAYS} days, so "
            "listed below those who confirmed"
        )
    elif profile.accepting_new_clients and not profile.accepting_confirmed(today):
        out.append("Accepting new clients not confirmed recently")
    if profile.waitlist:
        out.append("Keeps a waitlist")
    if profile.next_opening and profile.next_opening > today:
        out.append(f"Next opening {profile.next_opening.isoformat()}")
    soon = [
        lic for lic in profile.licenses
        if lic.state == auth.state and lic.is_valid(today)
        and (lic.expires_on - today).days <= c.EXPIRY_WARNING_DAYS
    ]  # fmt: skip
    if soon:
        out.append(f"License expires {soon[0].expires_on.isoformat()}")
    if profile.sample:
        out.append("Fictional sample profile")
    return tuple(out)
