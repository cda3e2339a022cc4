"""A practitioner's profile as plain, frozen data: the licenses and everything it says.

Nothing here knows Flask or SQLAlchemy: the models convert to and from these classes, and the
checklist, the search index and the matching engine all read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

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


def license_status(lic: License, today: date) -> str:
    """Return what a license receipt may truthfully say of its status ("expired" first)."""
    if lic.is_expired(today):
        return "expired"
    return lic.status
