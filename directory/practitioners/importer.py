"""Importing practitioners from a JSON file: validate everything first, then write it all."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session, scoped_session, selectinload

from directory.core.clock import utcnow
from directory.core.geography import zip_location
from directory.core.profile import (
    AUTHORITY_FIELDS,
    LICENSE_FIELDS,
    LIST_FIELDS,
    SCALAR_FIELDS,
    Profile,
)
from directory.core.records import RecordError, parse_record
from directory.practitioners.models import (
    ApproachTraining,
    CompactAuthority,
    License,
    Practitioner,
    make_slug,
)
from directory.practitioners.outbox import mark_changed


@dataclass(frozen=True)
class RecordProblem:
    """A problem with one field of one record in an import file."""

    position: int
    external_id: str | None
    field: str
    message: str

    def __str__(self) -> str:
        who = f" ({self.external_id})" if self.external_id else ""
        return f"record {self.position}{who}: {self.field}: {self.message}"


class ImportFailed(ValueError):
    """The file could not be imported; ``problems`` lists every bad field."""

    def __init__(self, problems: list[RecordProblem]):
        super().__init__(f"{len(problems)} problem(s) found; nothing was imported")
        self.problems = problems


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    created: int
    updated: int
    unchanged: int


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def read_file(path: str | Path) -> list[Any]:
    """Read an import file: a JSON array of practitioner records."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError as exc:
        problem = RecordProblem(0, None, "file", f"is not UTF-8 text ({exc.reason})")
        raise ImportFailed([problem]) from exc
    except json.JSONDecodeError as exc:
        problem = RecordProblem(0, None, "file", f"is not valid JSON ({exc})")
        raise ImportFailed([problem]) from exc
    except RecursionError as exc:
        problem = RecordProblem(0, None, "file", "nests arrays or objects too deeply")
        raise ImportFailed([problem]) from exc
    except ValueError as exc:  # a number with thousands of digits, or NaN and Infinity
        problem = RecordProblem(0, None, "file", f"holds a number that is not allowed ({exc})")
        raise ImportFailed([problem]) from exc
    if not isinstance(data, list):
        raise ImportFailed([RecordProblem(0, None, "file", "must hold a JSON array of records")])
    return data


def validate_records(records: list[Any]) -> list[Profile]:
    """Validate every record; raise ImportFailed listing all problems if any is bad."""
    problems: list[RecordProblem] = []
    profiles: list[Profile] = []
    seen: dict[str, int] = {}
    for position, raw in enumerate(records, start=1):
        ext = raw.get("external_id") if isinstance(raw, dict) else None
        ext = ext if isinstance(ext, str) else None
        try:
            profile = parse_record(raw)
        except RecordError as exc:
            problems.extend(RecordProblem(position, ext, f, m) for f, m in exc.problems)
            continue
        if profile.external_id in seen:
            problems.append(
                RecordProblem(
                    position,
                    ext,
                    "external_id",
                    f"repeats record {seen[profile.external_id]}",
                )
            )
            continue
        seen[profile.external_id] = position
        profiles.append(profile)
    if problems:
        raise ImportFailed(problems)
    return profiles


def import_profiles(
    session: Session | scoped_session[Any],
    profiles: list[Profile],
    chunk: int = 500,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Create or update practitioners keyed by external id, in one transaction.

    ``progress`` is told how many more profiles were written after each chunk. New
    practitioners are inserted in bulk (see ``_insert_new``); existing ones are updated through
    the ORM, which compares each row with its profile.
    """
    created = updated = unchanged = 0
    for start in range(0, len(profiles), chunk):
        part = profiles[start : start + chunk]
        existing = {
            p.external_id: p
            for p in session.scalars(
                select(Practitioner)
                .where(Practitioner.external_id.in_([p.external_id for p in part]))
                .options(selectinload(Practitioner.licenses), selectinload(Practitioner.approaches))
            )
        }
        new = [profile for profile in part if profile.external_id not in existing]
        for profile in part:
            row = existing.get(profile.external_id)
            if row is None:
                continue
            if row.apply_profile(profile):
                updated += 1
            else:
                unchanged += 1
        session.flush()
        _insert_new(session, new)
        created += len(new)
        # Keep the session small: a bulk import would otherwise make every flush slower.
        session.expunge_all()
        if progress is not None:
            progress(len(part))
    return ImportReport(created, updated, unchanged)


def _free_slugs(session: Session | scoped_session[Any], profiles: list[Profile]) -> list[str]:
    """Return a slug for each new profile that no practitioner has, nor any other of these.

    Two external ids whose short digests agree would give two same-named practitioners one
    slug; such a one gets the long digest (and, failing that, a number) instead.
    """
    wanted = [make_slug(p.name, p.external_id) for p in profiles]
    taken = set(session.scalars(select(Practitioner.slug).where(Practitioner.slug.in_(wanted))))
    slugs = []
    for profile, slug in zip(profiles, wanted, strict=True):
        if slug in taken:
            slug = make_slug(profile.name, profile.external_id, digits=16)
            number = 1
            while slug in taken or session.scalar(
                select(Practitioner.id).where(Practitioner.slug == slug)
            ):
                number += 1
                slug = f"{make_slug(profile.name, profile.external_id, digits=16)}-{number}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _insert_new(session: Session | scoped_session[Any], profiles: list[Profile]) -> None:
    """Insert new practitioners with their licenses and approaches, with Core statements.

    Creating them as ORM objects cost most of an import (attribute events, the unit of work,
    one statement per row); the rows are the same ``Practitioner.apply_profile`` makes. The
    session's listeners never see these rows, so they are handed to the outbox explicitly.
    """
    if not profiles:
        return
    now = utcnow()
    rows = []
    slugs = _free_slugs(session, profiles)
    for profile, slug in zip(profiles, slugs, strict=True):
        # The columns ``Practitioner.apply_profile`` writes; the slug is made from the name.
        row = {name: getattr(profile, name) for name in SCALAR_FIELDS}
        row.update({name: list(getattr(profile, name)) for name in LIST_FIELDS})
        located = zip_location(profile.zip)
        row["latitude"], row["longitude"] = (located[1], located[2]) if located else (None, None)
        row["slug"] = slug
        row["created_at"] = row["updated_at"] = now
        rows.append(row)
    table = cast(Table, Practitioner.__table__)
    ids = session.scalars(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
    ).all()
    licenses = [
        {
            "practitioner_id": pid,
            "position": i,
            **{name: getattr(lic, name) for name in LICENSE_FIELDS},
        }
        for pid, profile in zip(ids, profiles, strict=True)
        for i, lic in enumerate(profile.licenses)
    ]
    authorities = [
        {
            "practitioner_id": pid,
            "position": i,
            **{name: getattr(held, name) for name in AUTHORITY_FIELDS},
        }
        for pid, profile in zip(ids, profiles, strict=True)
        for i, held in enumerate(profile.authorities)
    ]
    approaches = [
        {"practitioner_id": pid, "position": i, "approach": key, "level": level}
        for pid, profile in zip(ids, profiles, strict=True)
        for i, (key, level) in enumerate(profile.approaches)
    ]
    if licenses:
        session.execute(insert(cast(Table, License.__table__)), licenses)
    if authorities:
        session.execute(insert(cast(Table, CompactAuthority.__table__)), authorities)
    if approaches:
        session.execute(insert(cast(Table, ApproachTraining.__table__)), approaches)
    mark_changed(session, ids)
