"""The verification queue: every license and compact authority waiting for an administrator.

An item waits while it is pending, and again once it is verified and its re-check date has come
(a verified license comes back before it expires). Licenses and authorities are listed together,
filtered, searched and paged in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, literal, or_, select, union_all

from directory.core import vocabulary as v
from directory.core.boards import load_lookups
from directory.core.compacts import load_compacts
from directory.extensions import db
from directory.practitioners.models import CompactAuthority, License, Practitioner

PAGE_SIZE = 25
SORTS = ("oldest", "newest")
# A verified item comes back to the queue this long before it expires, and at least yearly.
RECHECK_BEFORE_EXPIRY = timedelta(days=30)
RECHECK_AT_LEAST_EVERY = timedelta(days=365)


def recheck_date(verified_on: date, expires_on: date | None) -> date:
    """Return when a verified license or authority should be checked again."""
    latest = verified_on + RECHECK_AT_LEAST_EVERY
    if expires_on is None:
        return latest
    return max(verified_on, min(latest, expires_on - RECHECK_BEFORE_EXPIRY))


@dataclass(frozen=True)
class Item:
    """One thing to check: a license or an authority, with where to check it."""

    what: str  # "license" or "authority"
    id: int
    practitioner: Practitioner
    kind: str
    kind_name: str
    state: str | None
    number: str
    expires_on: date | None
    status: str
    recheck_on: date | None
    supervised: bool
    supervisor: str | None
    # Where to check it: (what the page is, its address), if the table has one.
    lookup: tuple[str, str] | None
    today: date

    @property
    def expired(self) -> bool:
        """Return whether it has already expired (or gives no expiry at all)."""
        return self.expires_on is None or self.expires_on < self.today

    @property
    def listed(self) -> str:
        """Return the list the item belongs to, as its address names it."""
        return "licenses" if self.what == "license" else "authorities"

    @property
    def recheck(self) -> bool:
        """Return whether it was verified and is back for its re-check."""
        return self.status == "verified"


def _waiting(model: Any, today: date) -> Any:
    return or_(
        model.status == "pending",
        and_(model.status == "verified", model.recheck_on.is_not(None), model.recheck_on <= today),
    )


def _rows(today: date, state: str | None, kind: str | None, q: str) -> Any:
    lic = (
        select(
            literal("license").label("what"), License.id, License.practitioner_id,
            License.kind, License.state.label("state"), License.number,
        )
        .join(Practitioner, Practitioner.id == License.practitioner_id)
        .where(_waiting(License, today))
    )  # fmt: skip
    held = (
        select(
            literal("authority").label("what"), CompactAuthority.id,
            CompactAuthority.practitioner_id, CompactAuthority.kind,
            func.coalesce(CompactAuthority.state, Practitioner.home_state).label("state"),
            CompactAuthority.number,
        )
        .join(Practitioner, Practitioner.id == CompactAuthority.practitioner_id)
        .where(_waiting(CompactAuthority, today))
    )  # fmt: skip
    if q:
        pattern = f"%{q.lower()}%"
        lic = lic.where(or_(func.lower(Practitioner.name).like(pattern),
                            func.lower(License.number).like(pattern)))  # fmt: skip
        held = held.where(or_(func.lower(Practitioner.name).like(pattern),
                              func.lower(CompactAuthority.number).like(pattern)))  # fmt: skip
    rows = union_all(lic, held).subquery()
    found = select(rows)
    if state:
        found = found.where(rows.c.state == state)
    if kind:
        found = found.where(rows.c.kind == kind)
    return found.subquery()


def review_queue(
    today: date,
    *,
    state: str | None = None,
    kind: str | None = None,
    q: str = "",
    sort: str = "oldest",
    page: int = 1,
) -> tuple[list[Item], int]:
    """Return one page of the queue, oldest (or newest) first, and how many items wait."""
    rows = _rows(today, state, kind, q.strip()[:100])
    total = db.session.scalar(select(func.count()).select_from(rows)) or 0
    order = (rows.c.id.desc(), rows.c.what) if sort == "newest" else (rows.c.id, rows.c.what)
    picked = db.session.execute(
        select(rows.c.what, rows.c.id).order_by(*order)
        .limit(PAGE_SIZE).offset((max(page, 1) - 1) * PAGE_SIZE)
    ).all()  # fmt: skip
    licenses = {r.id: r for r in _load(License, [p.id for p in picked if p.what == "license"])}
    held = {r.id: r for r in _load(CompactAuthority, [p.id for p in picked if p.what != "license"])}
    items = [
        _license_item(licenses[p.id], today)
        if p.what == "license"
        else _held_item(held[p.id], today)
        for p in picked
    ]
    return items, total


def _load(model: Any, ids: list[int]) -> list[Any]:
    if not ids:
        return []
    return list(db.session.scalars(select(model).where(model.id.in_(ids))))


def _license_item(lic: License, today: date) -> Item:
    lookup = load_lookups().for_license(lic.state, lic.kind)
    return Item(
        what="license", id=lic.id, practitioner=lic.practitioner, kind=lic.kind,
        kind_name=v.LICENSE_KINDS[lic.kind].name, state=lic.state, number=lic.number,
        expires_on=lic.expires_on, status=lic.status, recheck_on=lic.recheck_on,
        supervised=lic.supervised,
        supervisor=f"{lic.supervisor_name} ({lic.supervisor_license})" if lic.supervised else None,
        lookup=lookup, today=today,
    )  # fmt: skip


def _held_item(held: CompactAuthority, today: date) -> Item:
    compacts = load_compacts()
    kinds = compacts.authority_kinds
    name = kinds[held.kind].name if held.kind in kinds else held.kind
    compact = kinds[held.kind].compact if held.kind in kinds else ""
    registry = load_lookups().for_compact(compact)
    return Item(
        what="authority", id=held.id, practitioner=held.practitioner, kind=held.kind,
        kind_name=name, state=held.state or held.practitioner.home_state, number=held.number,
        expires_on=held.expires_on, status=held.status, recheck_on=held.recheck_on,
        supervised=False, supervisor=None,
        lookup=(f"{compacts[compact].name} registry", registry) if registry else None,
        today=today,
    )  # fmt: skip


def kind_choices() -> list[tuple[str, str]]:
    """Return every kind an item can be, for the queue's filter."""
    kinds = [(k, t.name) for k, t in v.LICENSE_KINDS.items()]
    return kinds + [(k, a.name) for k, a in load_compacts().authority_kinds.items()]
