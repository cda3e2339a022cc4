"""A practitioner's profile as plain, frozen data: the licenses and everything it says.

Nothing here knows Flask or SQLAlchemy: the models convert to and from these classes, and the
checklist, the search index and the matching engine all read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, Field, dataclass, field, fields
from datetime import date
from typing import Any, Literal

from directory.core import vocabulary as v

# "A claim older than 45 days is shown as 'not confirmed recently', not as fact."
ACCEPTING_CONFIRMATION_DAYS = 45
# Past this many days unconfirmed, "accepting new clients" is unknown: matching no longer counts
# it (such profiles are listed below those who confirmed) and search's filter leaves it out.
ACCEPTING_UNKNOWN_DAYS = 90
# A reminder to reconfirm goes out this many days after the last confirmation.
ACCEPTING_REMINDER_DAYS = 40


def accepting_known(accepting: bool, confirmed_on: date | None, today: date) -> bool:
    """Return whether "accepting new clients" still counts: said, and confirmed within the
    last 90 days."""
    if not accepting or confirmed_on is None:
        return False
    return (today - confirmed_on).days <= ACCEPTING_UNKNOWN_DAYS


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
class CompactAuthority:
    """An authority a compact grants, as the practitioner states it and as it was checked.

    ``kind`` is one of the compacts' authority kinds (``data/compacts.json``): a PSYPACT APIT
    (telehealth into member states) or TAP (temporary in-person visits), a Counseling Compact
    privilege for one ``state``, a Social Work Compact multistate license. Like a license it
    is pending until an administrator checks it against the compact's registry.
    """

    kind: str
    number: str
    expires_on: date | None
    state: str | None = None
    status: str = "pending"
    verified_on: date | None = None

    def is_expired(self, today: date) -> bool:
        """Return whether the authority has passed its expiry date (or never gave one)."""
        return self.expires_on is None or self.expires_on < today

    def is_verified(self, today: date) -> bool:
        """Return whether an administrator verified it and it has not expired."""
        return self.status == "verified" and not self.is_expired(today)


MAX_BIO = 2000
MAX_FEE = 2000

FieldKind = Literal[
    "text",
    "flag",
    "maybe_flag",
    "number",
    "keys",
    "choice",
    "day",
    "licenses",
    "authorities",
    "approaches",
]


@dataclass(frozen=True)
class Spec:
    """How a profile field is written in a record, and what makes it valid.

    Every reader of profiles derives from these: the record validation (``records.py``), the
    model's columns and conversions, the profile form, the importer and the JSON API.
    """

    kind: FieldKind
    required: bool = False
    max_len: int = 0
    low: int = 0
    high: int = 0
    optional: bool = False
    vocabulary: Mapping[str, object] | None = None
    # What one value is called in messages ("unknown concern: ...").
    what: str = ""
    # For text: a check that also writes the value one way ("phone", "email", "https").
    format: str = ""


def _field(kind: FieldKind, default: Any = MISSING, **rules: Any) -> Any:
    metadata = {"spec": Spec(kind, **rules)}
    if default is MISSING:
        return field(metadata=metadata)
    return field(default=default, metadata=metadata)


def _text(max_len: int, *, required: bool = False) -> Any:
    if required:
        return _field("text", required=True, max_len=max_len)
    return _field("text", "", max_len=max_len)


def _flag(default: bool = False) -> Any:
    return _field("flag", default)


def _number(low: int, high: int, default: int | None = 0, *, optional: bool = False) -> Any:
    return _field("number", None if optional else default, low=low, high=high, optional=optional)


def _keys(vocabulary: Mapping[str, object], what: str, default: tuple[str, ...] = ()) -> Any:
    return _field("keys", default, vocabulary=vocabulary, what=what)


@dataclass(frozen=True)
class Profile:
    """Everything a practitioner's public profile says, in the guide's vocabulary.

    Each field's ``Spec`` (in its metadata) is the one declaration of how it is written and
    validated; ``spec_of`` reads it.
    """

    external_id: str = _text(64, required=True)
    name: str = _text(120, required=True)
    credentials: str = _text(60, required=True)
    headline: str = _text(160)
    bio: str = _text(MAX_BIO)
    pronouns: str = _text(40)
    # Self-described identity, shown and filtered on only because clients may choose to.
    gender_identity: str = _text(60)
    cultural_background: str = _text(120)
    faith: str = _text(60)
    lgbtq: bool | None = _field("maybe_flag", None)
    licenses: tuple[License, ...] = _field("licenses", ())
    # Where the practitioner lives and practises from: the home state of every compact (a
    # missing value in a record means the office's state).
    home_state: str = _field("choice", "", vocabulary=v.STATES, what="state", optional=True)
    # PSYPACT APITs and TAPs, Counseling Compact privileges...: each checked like a license.
    authorities: tuple[CompactAuthority, ...] = _field("authorities", ())
    # Approach key -> training level key.
    approaches: tuple[tuple[str, str], ...] = _field("approaches", ())
    attachment_training: bool = _flag()
    emotion_regulation_training: bool = _flag()
    concerns: tuple[str, ...] = _keys(v.CONCERNS, "concern")
    neglect_experience: bool = _flag()
    years_in_practice: int = _number(0, 70)
    # 1 = structured skills work ... 5 = exploratory relational work.
    style: int = _number(1, 5, 3)
    # The pace they usually work at ("" when they don't say).
    pace: str = _field("choice", "", vocabulary=v.PACES, what="pace", optional=True)
    collaborative_goals: bool = _flag()
    progress_tracking: tuple[str, ...] = _keys(v.PROGRESS_METHODS, "progress method")
    supervision: bool = _flag()
    ce_hours_2y: int = _number(0, 2000)
    confidentiality_discussed: bool = _flag()
    typical_course_weeks: int | None = _number(1, 520, optional=True)
    session_frequencies: tuple[str, ...] = _keys(v.SESSION_FREQUENCIES, "session frequency")
    booster_sessions: bool = _flag()
    in_person: bool = _flag()
    telehealth: bool = _flag()
    city: str = _field("text", "", required=True, max_len=80)
    state: str = _field("choice", "", vocabulary=v.STATES, what="state")
    zip: str = _field("text", "", required=True, max_len=5)
    # Wheelchair access, captioning, interpreters, a sensory-friendly space.
    accommodations: tuple[str, ...] = _keys(v.ACCOMMODATIONS, "accommodation")
    fee: int = _number(0, MAX_FEE)
    sliding_scale_min: int | None = _number(0, MAX_FEE, optional=True)
    insurance: tuple[str, ...] = _keys(v.INSURANCE_PLANS, "insurance plan")
    free_consultation: bool = _flag()
    # How to reach them, each optional and chosen by the practitioner.
    phone: str = _field("text", "", max_len=20, format="phone")
    public_email: str = _field("text", "", max_len=254, format="email")
    website: str = _field("text", "", max_len=300, format="https")
    booking_url: str = _field("text", "", max_len=300, format="https")
    contact_preferred: str = _field(
        "choice", "", vocabulary=v.CONTACT_METHODS, what="contact method", optional=True
    )
    contact_hours: str = _text(120)
    # Whether people may send a consultation request through the site (a missing value: yes).
    consultation_requests: bool = _flag(True)
    languages: tuple[str, ...] = _keys(v.LANGUAGES, "language code", ("en",))
    communities: tuple[str, ...] = _keys(v.COMMUNITIES, "community")
    evening_hours: bool = _flag()
    weekend_hours: bool = _flag()
    accepting_new_clients: bool = _flag()
    accepting_confirmed_on: date | None = _field("day", None, optional=True)
    # Beside accepting new clients: a waitlist, and the date of the next opening if known.
    waitlist: bool = _flag()
    next_opening: date | None = _field("day", None, optional=True)
    sample: bool = _flag()
    # A missing value means published (the import format's default).
    published: bool = _flag(True)
    # Made from the name and external id when the profile is saved; not part of a record.
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

    def accepting_known(self, today: date) -> bool:
        """Return whether "accepting new clients" still counts (confirmed within 90 days)."""
        return accepting_known(self.accepting_new_clients, self.accepting_confirmed_on, today)


def license_status(lic: License | CompactAuthority, today: date) -> str:
    """Return what a receipt for a license or authority may truthfully say of its status
    ("expired" first)."""
    if lic.is_expired(today):
        return "expired"
    return lic.status


def spec_of(f: Field[Any]) -> Spec | None:
    """Return a profile field's spec, or None for a field that is not part of a record."""
    spec = f.metadata.get("spec")
    return spec if isinstance(spec, Spec) else None


# Profile fields as records write them, in declaration order, and by how they are kept.
RECORD_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Profile) if spec_of(f))
SPECS: dict[str, Spec] = {f.name: spec for f in fields(Profile) if (spec := spec_of(f))}
# Kept as lists (JSON columns; tuples in the profile) and as child rows.
LIST_FIELDS: tuple[str, ...] = tuple(n for n, s in SPECS.items() if s.kind == "keys")
CHILD_FIELDS: tuple[str, ...] = ("licenses", "authorities", "approaches")
SCALAR_FIELDS: tuple[str, ...] = tuple(
    n for n in RECORD_FIELDS if n not in LIST_FIELDS and n not in CHILD_FIELDS
)
LICENSE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(License))
AUTHORITY_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(CompactAuthority))
