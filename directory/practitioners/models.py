"""Database models for practitioners, their licenses and the search outbox."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.core.clock import utcnow
from directory.core.geography import zip_location
from directory.core.profile import (
    AUTHORITY_FIELDS,
    LICENSE_FIELDS,
    LIST_FIELDS,
    SCALAR_FIELDS,
    Profile,
    accepting_known,
    confirmed_recently,
)
from directory.core.profile import CompactAuthority as AuthorityFacts
from directory.core.profile import License as LicenseFacts
from directory.extensions import Model


def slugify(text: str) -> str:
    """Return a lowercase ASCII slug of ``text`` ("María López" -> "maria-lopez")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "practitioner"


def make_slug(name: str, external_id: str, digits: int = 6) -> str:
    """Return a stable slug: the name plus a short digest of the external id."""
    digest = hashlib.sha1(external_id.encode(), usedforsecurity=False).hexdigest()[:digits]
    return f"{slugify(name)[:60]}-{digest}"


class Practitioner(Model):
    """A practitioner's profile: identity, ways of working, logistics and licenses."""

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    # Optimistic locking, and the version the search index records for each document.
    version: Mapped[int] = mapped_column(default=1)

    name: Mapped[str] = mapped_column(String(120))
    pronouns: Mapped[str] = mapped_column(String(40), default="")
    credentials: Mapped[str] = mapped_column(String(60))
    headline: Mapped[str] = mapped_column(String(160), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    gender_identity: Mapped[str] = mapped_column(String(60), default="")
    cultural_background: Mapped[str] = mapped_column(String(120), default="")
    faith: Mapped[str] = mapped_column(String(60), default="")
    lgbtq: Mapped[bool | None]

    # Where the practitioner lives and practises from (every compact's home state).
    home_state: Mapped[str] = mapped_column(String(2), default="")

    attachment_training: Mapped[bool] = mapped_column(default=False)
    emotion_regulation_training: Mapped[bool] = mapped_column(default=False)
    concerns: Mapped[list[str]] = mapped_column(JSON, default=list)
    neglect_experience: Mapped[bool] = mapped_column(default=False)
    years_in_practice: Mapped[int] = mapped_column(default=0)

    style: Mapped[int] = mapped_column(default=3)
    pace: Mapped[str] = mapped_column(String(10), default="")
    collaborative_goals: Mapped[bool] = mapped_column(default=False)
    progress_tracking: Mapped[list[str]] = mapped_column(JSON, default=list)
    supervision: Mapped[bool] = mapped_column(default=False)
    ce_hours_2y: Mapped[int] = mapped_column(default=0)
    confidentiality_discussed: Mapped[bool] = mapped_column(default=False)
    typical_course_weeks: Mapped[int | None]
    session_frequencies: Mapped[list[str]] = mapped_column(JSON, default=list)
    booster_sessions: Mapped[bool] = mapped_column(default=False)

    in_person: Mapped[bool] = mapped_column(default=False)
    telehealth: Mapped[bool] = mapped_column(default=False)
    city: Mapped[str] = mapped_column(String(80), default="")
    state: Mapped[str] = mapped_column(String(2), index=True)
    zip: Mapped[str] = mapped_column(String(5), default="")
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    accommodations: Mapped[list[str]] = mapped_column(JSON, default=list)
    fee: Mapped[int] = mapped_column(default=0)
    sliding_scale_min: Mapped[int | None]
    insurance: Mapped[list[str]] = mapped_column(JSON, default=list)
    free_consultation: Mapped[bool] = mapped_column(default=False)
    phone: Mapped[str] = mapped_column(String(20), default="")
    public_email: Mapped[str] = mapped_column(String(254), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    booking_url: Mapped[str] = mapped_column(String(300), default="")
    contact_preferred: Mapped[str] = mapped_column(String(20), default="")
    contact_hours: Mapped[str] = mapped_column(String(120), default="")
    consultation_requests: Mapped[bool] = mapped_column(default=True)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    communities: Mapped[list[str]] = mapped_column(JSON, default=list)
    evening_hours: Mapped[bool] = mapped_column(default=False)
    weekend_hours: Mapped[bool] = mapped_column(default=False)
    accepting_new_clients: Mapped[bool] = mapped_column(default=False)
    accepting_confirmed_on: Mapped[date | None]
    waitlist: Mapped[bool] = mapped_column(default=False)
    next_opening: Mapped[date | None]
    # The confirmation date a reminder to reconfirm was sent for (so each is sent once).
    accepting_reminded_for: Mapped[date | None]

    sample: Mapped[bool] = mapped_column(default=False)
    published: Mapped[bool] = mapped_column(default=True)
    # Why an administrator took the profile down; while set, only an administrator can let
    # it be published again (the practitioner sees the reason).
    admin_hold: Mapped[str | None] = mapped_column(String(300))
    # The practitioner's own account, once they created or (with approval) claimed the profile.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    authorities: Mapped[list[CompactAuthority]] = relationship(
        back_populates="practitioner",
        cascade="all, delete-orphan",
        order_by="CompactAuthority.position",
    )
    licenses: Mapped[list[License]] = relationship(
        back_populates="practitioner",
        cascade="all, delete-orphan",
        order_by="License.position",
    )
    approaches: Mapped[list[ApproachTraining]] = relationship(
        back_populates="practitioner",
        cascade="all, delete-orphan",
        order_by="ApproachTraining.position",
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def formats(self) -> list[str]:
        """Return the session formats offered (``in_person``, ``telehealth``)."""
        offered = (("in_person", self.in_person), ("telehealth", self.telehealth))
        return [name for name, on in offered if on]

    def accepting_confirmed(self, today: date) -> bool:
        """Return whether "accepting new clients" was confirmed within the last 45 days."""
        return confirmed_recently(self.accepting_confirmed_on, today)

    @property
    def takes_requests(self) -> bool:
        """Return whether consultation requests can be sent through the site: turned on, and
        someone to deliver them to (the owner's account, or a sample's test mailbox)."""
        return self.consultation_requests and (self.sample or self.owner_id is not None)

    def accepting_known(self, today: date) -> bool:
        """Return whether "accepting new clients" still counts (confirmed within 90 days)."""
        return accepting_known(self.accepting_new_clients, self.accepting_confirmed_on, today)

    @classmethod
    def public(cls):
        """Return a select of the practitioners anyone may see."""
        return select(cls).where(cls.published.is_(True))

    def to_profile(self) -> Profile:
        """Return the profile as plain frozen data for the checklist, search and matching."""
        return profile_from(
            lambda name: getattr(self, name),
            tuple(lic.to_facts() for lic in self.licenses),
            tuple(a.to_facts() for a in self.authorities),
            tuple((a.approach, a.level) for a in self.approaches),
        )

    def apply_profile(self, profile: Profile) -> bool:
        """Make the row say what ``profile`` says; return whether anything changed."""
        if self.external_id is not None and self.to_profile() == profile:
            return False
        for name in SCALAR_FIELDS:
            setattr(self, name, getattr(profile, name))
        if self.admin_hold:
            self.published = False  # an import or an edit never lifts an administrator's hold
        for name in LIST_FIELDS:
            setattr(self, name, list(getattr(profile, name)))
        located = zip_location(profile.zip)
        self.latitude, self.longitude = (located[1], located[2]) if located else (None, None)
        if not self.slug:
            self.slug = make_slug(profile.name, profile.external_id)
        # Update child rows in place rather than replacing them: the unit of work inserts
        # before it deletes, which would trip the unique (practitioner, approach) constraint.
        for i, facts in enumerate(profile.licenses):
            if i < len(self.licenses):
                self.licenses[i].set_facts(facts, position=i)
            else:
                self.licenses.append(License.from_facts(facts, position=i))
        del self.licenses[len(profile.licenses) :]
        for i, held in enumerate(profile.authorities):
            if i < len(self.authorities):
                self.authorities[i].set_facts(held, position=i)
            else:
                self.authorities.append(CompactAuthority.from_facts(held, position=i))
        del self.authorities[len(profile.authorities) :]
        wanted = dict(profile.approaches)
        self.approaches = [a for a in self.approaches if a.approach in wanted]
        existing = {a.approach: a for a in self.approaches}
        for i, (key, level) in enumerate(profile.approaches):
            row = existing.get(key)
            if row is None:
                self.approaches.append(ApproachTraining(approach=key, level=level, position=i))
            else:
                row.level, row.position = level, i
        self.updated_at = utcnow()
        return True


def profile_from(
    get: Callable[[str], Any],
    licenses: tuple[LicenseFacts, ...],
    authorities: tuple[AuthorityFacts, ...],
    approaches: tuple[tuple[str, str], ...],
) -> Profile:
    """Return the Profile of a practitioner whose columns ``get(name)`` returns."""
    values = {name: get(name) for name in (*SCALAR_FIELDS, "slug")}
    values.update({name: tuple(get(name) or ()) for name in LIST_FIELDS})
    return Profile(licenses=licenses, authorities=authorities, approaches=approaches, **values)


class License(Model):
    """A state license held by a practitioner, with its verification status."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(2))
    number: Mapped[str] = mapped_column(String(30))
    expires_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(10), default="pending")
    verified_on: Mapped[date | None]
    supervised: Mapped[bool] = mapped_column(default=False)
    supervisor_name: Mapped[str | None] = mapped_column(String(120))
    supervisor_license: Mapped[str | None] = mapped_column(String(60))
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Why an administrator could not verify it, shown to the practitioner.
    rejection_reason: Mapped[str | None] = mapped_column(String(300))
    # When an administrator should check it again (before it expires).
    recheck_on: Mapped[date | None]
    # When the owner was told it is about to expire (so they are told once).
    expiry_notice_on: Mapped[date | None]

    practitioner: Mapped[Practitioner] = relationship(back_populates="licenses")

    @classmethod
    def from_facts(cls, lic: LicenseFacts, position: int = 0) -> License:
        """Return a new row holding the given license facts."""
        row = cls()
        row.set_facts(lic, position)
        return row

    def set_facts(self, lic: LicenseFacts, position: int) -> None:
        """Make the row hold the given license facts."""
        self.position = position
        for name in LICENSE_FIELDS:
            setattr(self, name, getattr(lic, name))

    def to_facts(self) -> LicenseFacts:
        """Return the license as plain frozen data."""
        return LicenseFacts(**{name: getattr(self, name) for name in LICENSE_FIELDS})


class CompactAuthority(Model):
    """A compact authority held by a practitioner (an APIT, a privilege...), checked like a
    license against the compact's registry."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(30))
    # The one state a privilege is for (none for an authority over every member state).
    state: Mapped[str | None] = mapped_column(String(2))
    number: Mapped[str] = mapped_column(String(30), default="")
    # Unknown for an authority carried over from the old yes/no fields until it is completed.
    expires_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(10), default="pending")
    verified_on: Mapped[date | None]
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    rejection_reason: Mapped[str | None] = mapped_column(String(300))
    # When an administrator should check it again (before it expires).
    recheck_on: Mapped[date | None]
    # When the owner was told it is about to expire (so they are told once).
    expiry_notice_on: Mapped[date | None]

    practitioner: Mapped[Practitioner] = relationship(back_populates="authorities")

    @classmethod
    def from_facts(cls, held: AuthorityFacts, position: int = 0) -> CompactAuthority:
        """Return a new row holding the given authority."""
        row = cls()
        row.set_facts(held, position)
        return row

    def set_facts(self, held: AuthorityFacts, position: int) -> None:
        """Make the row hold the given authority."""
        self.position = position
        for name in AUTHORITY_FIELDS:
            setattr(self, name, getattr(held, name))

    def to_facts(self) -> AuthorityFacts:
        """Return the authority as plain frozen data."""
        return AuthorityFacts(**{name: getattr(self, name) for name in AUTHORITY_FIELDS})


class ApproachTraining(Model):
    """An approach a practitioner offers, with their level of training in it."""

    __table_args__ = (UniqueConstraint("practitioner_id", "approach"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    approach: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(10))

    practitioner: Mapped[Practitioner] = relationship(back_populates="approaches")


class ConsultationCount(Model):
    """How many consultation requests a practitioner was sent on one day: all the site keeps
    of them (the name, address and message only ever pass through to the email)."""

    __table_args__ = (UniqueConstraint("practitioner_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"), index=True)
    day: Mapped[date]
    count: Mapped[int] = mapped_column(default=0)


class ProfileChange(Model):
    """One saved change to a profile: who, when, and each field's old and new value."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Field name -> [old value, new value], as JSON-ready record values.
    changes: Mapped[dict] = mapped_column(JSON)

    practitioner: Mapped[Practitioner] = relationship()


class Claim(Model):
    """A practitioner asking to take over an existing (imported or sample) profile."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"), index=True)
    message: Mapped[str] = mapped_column(String(1000), default="")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None]
