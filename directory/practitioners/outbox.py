"""The outbox: every change to a practitioner leaves a row, in the same transaction.

A change to a practitioner, a license or an approach adds an outbox row at commit
(``before_commit``); after the commit a callback runs (the search package's drain, which
applies the rows to the index: ``directory.search.sync``). If the index is locked or the
process dies, the rows stay for the next drain. Practitioners never import search: whatever
keeps a copy of them reads this table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import event
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


class OutboxEntry(Model):
    """A practitioner whose search document must be brought up to date after a commit.

    Written in the same transaction as the change, so the index can always catch up with the
    database; no foreign key, because a deleted practitioner still needs its document removed.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


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
        session.add_all(OutboxEntry(practitioner_id=pid) for pid in sorted(ids))
        session.info[_DRAIN] = True


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


def install_outbox(session_class: type[Session], on_commit: Callable[[], None]) -> None:
    """Register the outbox listeners on the application's session class.

    ``on_commit`` runs after a commit that wrote outbox rows (it applies them to the index).
    """
    if not event.contains(session_class, "after_flush", _after_flush):
        event.listen(session_class, "before_flush", _before_flush)
        event.listen(session_class, "after_flush", _after_flush)
        event.listen(session_class, "before_commit", _before_commit)
        event.listen(session_class, "after_commit", partial(_after_commit, on_commit))
        event.listen(session_class, "after_soft_rollback", _after_rollback)
