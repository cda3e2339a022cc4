"""Named queries on practitioners: what the pages, the API, the index and matching look up."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from directory.core.profile import AUTHORITY_FIELDS, LICENSE_FIELDS, Profile
from directory.core.profile import CompactAuthority as AuthorityFacts
from directory.core.profile import License as LicenseFacts
from directory.extensions import db
from directory.practitioners.models import (
    ApproachTraining,
    CompactAuthority,
    ConsultationCount,
    License,
    Practitioner,
    profile_from,
)

# Whole practitioners, with the collections every page shows.
_WITH_COLLECTIONS = (
    selectinload(Practitioner.licenses),
    selectinload(Practitioner.authorities),
    selectinload(Practitioner.approaches),
)


def location_of(row) -> tuple[float, float] | None:
    """Return the (latitude, longitude) of a practitioner row's office, if it has one."""
    return (row.latitude, row.longitude) if row.latitude is not None else None


def published_profiles(session, ids: list[int]) -> dict[int, tuple[Practitioner, Profile]]:
    """Return (row values, profile) of the published practitioners with these ids.

    Reads with four plain SELECTs instead of loading ORM objects: a full reindex reads every
    practitioner, and building objects cost a fifth of it. The row values carry ``id``,
    ``version``, ``latitude`` and ``longitude`` as attributes.
    """
    table = Practitioner.__table__
    rows = session.execute(
        select(table).where(table.c.id.in_(ids), table.c.published.is_(True))
    ).all()
    licenses: dict[int, list] = {}
    lic = License.__table__
    for row in session.execute(
        select(lic).where(lic.c.practitioner_id.in_(ids)).order_by(lic.c.position)
    ).mappings():
        licenses.setdefault(row["practitioner_id"], []).append(
            LicenseFacts(**{name: row[name] for name in LICENSE_FIELDS})
        )
    authorities: dict[int, list] = {}
    held = CompactAuthority.__table__
    for row in session.execute(
        select(held).where(held.c.practitioner_id.in_(ids)).order_by(held.c.position)
    ).mappings():
        authorities.setdefault(row["practitioner_id"], []).append(
            AuthorityFacts(**{name: row[name] for name in AUTHORITY_FIELDS})
        )
    approaches: dict[int, list] = {}
    training = ApproachTraining.__table__
    for row in session.execute(
        select(training.c.practitioner_id, training.c.approach, training.c.level)
        .where(training.c.practitioner_id.in_(ids))
        .order_by(training.c.position)
    ):
        approaches.setdefault(row.practitioner_id, []).append((row.approach, row.level))
    return {
        row.id: (
            row,
            profile_from(
                row._mapping.__getitem__,
                tuple(licenses.get(row.id, ())),
                tuple(authorities.get(row.id, ())),
                tuple(approaches.get(row.id, ())),
            ),
        )
        for row in rows
    }


def load_practitioners(ids: list[int]) -> dict[int, Practitioner]:
    """Return the published practitioners with these ids, licenses and approaches loaded."""
    if not ids:
        return {}
    rows = db.session.scalars(
        Practitioner.public().where(Practitioner.id.in_(ids)).options(*_WITH_COLLECTIONS)
    )
    return {p.id: p for p in rows}


def find_published(slugs: list[str]) -> list[Practitioner]:
    """Return the published practitioners with these slugs (unknown ones are left out)."""
    if not slugs:
        return []
    return list(
        db.session.scalars(
            Practitioner.public().where(Practitioner.slug.in_(slugs)).options(*_WITH_COLLECTIONS)
        )
    )


def get_practitioner(slug: str) -> Practitioner:
    """Return the published practitioner with this slug, or abort with 404."""
    row = db.session.scalar(
        Practitioner.public().where(Practitioner.slug == slug).options(*_WITH_COLLECTIONS)
    )
    if row is None:
        abort(404)
    return row


def own_practitioner() -> Practitioner | None:
    """Return the logged-in practitioner's profile, if they have one."""
    return db.session.scalar(
        select(Practitioner)
        .where(Practitioner.owner_id == current_user.id)
        .options(*_WITH_COLLECTIONS)
    )


def owner_email(p: Practitioner) -> str | None:
    """Return the account address of the practitioner's owner (None without one).

    Read through the table itself: accounts build on practitioners, not the other way round.
    """
    if p.owner_id is None:
        return None
    users = db.metadata.tables["user"]
    email: str | None = db.session.scalar(select(users.c.email).where(users.c.id == p.owner_id))
    return email


def request_counts(practitioner_id: int, on: date) -> tuple[int, int]:
    """Return how many consultation requests were sent to a practitioner today and in the
    last 30 days (the only trace the site keeps of them)."""
    rows = db.session.execute(
        select(ConsultationCount.day, ConsultationCount.count).where(
            ConsultationCount.practitioner_id == practitioner_id,
            ConsultationCount.day > on - timedelta(days=30),
        )
    ).all()
    return sum(n for day, n in rows if day == on), sum(n for _, n in rows)
