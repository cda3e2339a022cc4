"""The outbox: every change to a practitioner leaves a row, in the same transaction.

A change to a practitioner, a license or an approach adds an outbox row at commit
(``before_commit``); after the commit a callback runs (the search package's drain, which
applies the rows to the index: ``directory.search.sync``). Rows are read, never consumed:
every server's index keeps its own read position (the last id it applied), so several servers
can follow one database. Old rows are pruned after ``OUTBOX_RETENTION_DAYS``; the horizon
(``OutboxPruned``) tells a server that was away longer that it must rebuild.
Practitioners never import search: whatever keeps a copy of them reads this table.

Ids must become visible in the order they are given, or a reader at position N could skip a
row N-1 that commits after it: SQLite has one writer at a time; on PostgreSQL a transaction
that writes outbox rows takes a transaction advisory lock first, held until it commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column, scoped_session

from directory.core.clock import utcnow
from directory.extensions import Model
from directory.practitioners.models import (
    ApproachTraining,
    CompactAuthority,
    License,
    Practitioner,
)

_PENDING = "directory.outbox_ids"
_DRAIN = "directory.drain"
# Called with (session, ids) before a commit that wrote outbox rows (see install_outbox).
_in_transaction: list[Callable[[Session, list[int]], None]] = []


class OutboxEntry(Model):
    """A practitioner whose search document must be brought up to date after a commit.

    Written in the same transaction as the change, so the index can always catch up with the
    database; no foreign key, because a deleted practitioner still needs its document removed.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class OutboxPruned(Model):
    """One row: the largest outbox id pruned so far (a reader whose position is below it has
    missed rows and must rebuild)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    through: Mapped[int] = mapped_column(default=0)


# Any fixed number: the key of the advisory lock that orders outbox writers on PostgreSQL.
OUTBOX_LOCK_KEY = 7_340_115


def horizon(session: Session | scoped_session[Any]) -> int:
    """Return the largest outbox id ever pruned (0 if none)."""
    return session.scalar(select(OutboxPruned.through).where(OutboxPruned.id == 1)) or 0


def newest(session: Session | scoped_session[Any]) -> int:
    """Return the largest outbox id (0 when empty)."""
    return session.scalar(select(func.max(OutboxEntry.id))) or 0


def prune(session: Session, before: datetime) -> int:
    """Delete outbox rows written before ``before`` and move the horizon; return how many.

    The caller commits. A server whose read position is below the new horizon rebuilds.
    """
    through = session.scalar(
        select(func.max(OutboxEntry.id)).where(OutboxEntry.created_at < before)
    )
    if not through:
        return 0
    removed = session.query(OutboxEntry).filter(OutboxEntry.id <= through).delete()
    row = session.get(OutboxPruned, 1, with_for_update=True)
    if row is None:
        session.add(OutboxPruned(id=1, through=through))
    else:
        row.through = max(row.through, through)
    return removed


def _touched_practitioners(session: Session) -> set[int]:
    ids: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Practitioner):
            if obj in session.dirty and not session.is_modified(obj):
                continue
            ids.add(obj.id)
        elif isinstance(obj, License | CompactAuthority | ApproachTraining):
            if obj.practitioner_id is not None:
                ids.add(obj.practitioner_id)
            elif obj.practitioner is not None and obj.practitioner.id is not None:
                ids.add(obj.practitioner.id)
    ids.discard(None)
    return ids


def _before_flush(session: Session, flush_context, instances) -> None:
    # A change to a license or approach is a change to the profile: touching the parent row
    # bumps its version, which the index records and ``verify`` compares.
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, License | CompactAuthority | ApproachTraining):
            parent = obj.practitioner
            if parent is not None and parent not in session.deleted and parent.id is not None:
                parent.updated_at = utcnow()


def _after_flush(session: Session, flush_context) -> None:
    ids = _touched_practitioners(session)
    if ids:
        session.info.setdefault(_PENDING, set()).update(ids)


def _before_commit(session: Session) -> None:
    # before_commit runs before the commit's own flush: flush now, so that changes made since
    # the last flush are seen by _after_flush and get their outbox rows in this transaction.
    session.flush()
    ids = session.info.pop(_PENDING, None)
    if ids:
        if session.get_bind().dialect.name == "postgresql":
            # Until this transaction commits, no other may write outbox rows: ids become
            # visible in the order they are given (see the module's docstring).
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": OUTBOX_LOCK_KEY})
        session.add_all(OutboxEntry(practitioner_id=pid) for pid in sorted(ids))
        session.info[_DRAIN] = True
        for hook in _in_transaction:
            hook(session, sorted(ids))


def _after_commit(on_commit: Callable[[], None], session: Session) -> None:
    if session.info.pop(_DRAIN, False):
        on_commit()


def _after_rollback(session: Session, previous_transaction) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_DRAIN, None)


def mark_changed(session: Session | scoped_session[Any], ids: Iterable[int]) -> None:
    """Give practitioners written with Core statements (which the listeners never see) their
    outbox rows, written at commit with those of the ORM's changes."""
    session.info.setdefault(_PENDING, set()).update(ids)


def install_outbox(
    session_class: type[Session],
    on_commit: Callable[[], None],
    in_transaction: Callable[[Session, list[int]], None] | None = None,
) -> None:
    """Register the outbox listeners on the application's session class.

    ``on_commit`` runs after a commit that wrote outbox rows (it applies them to the index);
    ``in_transaction`` runs just before such a commit, inside its transaction, with the ids
    of the practitioners changed (a search kept in the database writes its rows there).
    """
    if in_transaction is not None and in_transaction not in _in_transaction:
        _in_transaction.append(in_transaction)
    if not event.contains(session_class, "after_flush", _after_flush):
        event.listen(session_class, "before_flush", _before_flush)
        event.listen(session_class, "after_flush", _after_flush)
        event.listen(session_class, "before_commit", _before_commit)
        event.listen(session_class, "after_commit", partial(_after_commit, on_commit))
        event.listen(session_class, "after_soft_rollback", _after_rollback)
