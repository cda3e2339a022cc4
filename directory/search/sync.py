"""Keeping the search index in step with the database: drain, refresh, rebuild and verify.

The outbox (``outbox.py``) records which practitioners changed; a drain applies those rows to
the index, after each commit and at start-up, and a rebuild makes a new generation from the
database. The database is the source of truth: ``verify`` compares the two.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from flask import Flask, current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from directory.core.compacts import load_compacts
from directory.extensions import db
from directory.practitioners.models import Practitioner
from directory.practitioners.outbox import OutboxEntry
from directory.practitioners.queries import location_of, published_profiles
from directory.search.schema import make_document
from directory.search.store import IndexUnavailable, SearchIndex, check_generation
from directory.sqlite import reading, writing
from directory.web import app_object, today

log = logging.getLogger(__name__)

# Above this many waiting outbox rows, a drain rebuilds the index instead.
REBUILD_BACKLOG = 2000


def search_index(app: Flask | None = None) -> SearchIndex:
    """Return the application's search index."""
    return (app or current_app).extensions["search_index"]


def drain_after_commit() -> None:
    """Apply the outbox after a request's commit, never failing the request that saved."""
    app = app_object()
    try:
        # Wait only briefly: if a rebuild holds the index, the rows wait for it instead.
        drain(app, wait=0.5)
    except Exception:
        # The change is committed and its outbox row waits for the next drain; a search
        # index problem must never fail the request that saved it.
        log.exception("could not apply the search outbox; it will be retried")


def documents(session: Session, ids: list[int], on: date) -> tuple[list[dict], list[str]]:
    """Return the search documents of the published practitioners among ``ids``, and the ids
    (as index keys) of the others, which the index must not hold."""
    found = published_profiles(session, ids)
    compacts = load_compacts()
    docs = [
        make_document(pid, row.version, profile, location_of(row), on, compacts)
        for pid, (row, profile) in sorted(found.items())
    ]
    return docs, [str(pid) for pid in ids if pid not in found]


def drain(app: Flask, batch: int = 500, wait: float = 2.0) -> int:
    """Apply waiting outbox rows to the index; return how many rows were applied.

    Each batch is read from the database while the index's write lock is held, written,
    and only then are exactly those outbox rows deleted: a crash in between replays them,
    which is harmless. The loop runs until the outbox is empty, so rows committed while
    another writer held the lock are picked up by whoever holds it next.
    """
    index = search_index(app)
    if not index.exists():
        return 0
    with app.app_context(), Session(db.engine) as session:
        backlog = session.scalar(select(func.count(OutboxEntry.id))) or 0
    if backlog > REBUILD_BACKLOG:
        # After a bulk import, building a new generation is far faster than updating
        # documents one by one in the live index (and it reads without the write lock).
        log.info("%d outbox rows wait; rebuilding the index instead", backlog)
        rebuild(app)
        return backlog
    with writing():
        return _drain(app, batch, wait)


def _drain(app: Flask, batch: int, wait: float) -> int:
    index = search_index(app)
    applied = 0
    with app.app_context():
        on = today()
        while True:
            # A plain Session of our own: its commit must not trigger another drain.
            with Session(db.engine) as session:
                taken: list[int] = []

                def produce(session=session, taken=taken) -> tuple[list[dict], list[str]]:
                    entries = session.scalars(
                        select(OutboxEntry).order_by(OutboxEntry.id).limit(batch)
                    ).all()
                    taken.extend(e.id for e in entries)
                    return documents(session, sorted({e.practitioner_id for e in entries}), on)

                if not index.write(produce, wait):
                    log.info("search index is busy; outbox rows wait for the next drain")
                    break
                if not taken:
                    break
                session.execute(delete(OutboxEntry).where(OutboxEntry.id.in_(taken)))
                session.commit()
                applied += len(taken)
    return applied


def refresh_lapsed(app: Flask) -> int:
    """Re-index practitioners whose documents predate a license lapsing; return how many.

    Which states a practitioner may practise in, and whether a license counts as verified,
    depend on today's date; a document computed before an expiry goes stale without any
    change to the practitioner, so it is rebuilt from the database as of today.
    """
    index = search_index(app)
    if not index.exists():
        return 0
    with app.app_context():
        on = today()
        with index.searching() as searcher:
            pids = searcher.lapsed(on)
        if not pids:
            index.refreshed_on = on
            return 0
        with Session(db.engine) as session:

            def produce() -> tuple[list[dict], list[str]]:
                return documents(session, pids, on)

            if not index.write(produce, wait=0.5):
                return 0
        index.refreshed_on = on
        log.info("re-indexed %d practitioners whose licenses lapsed", len(pids))
        return len(pids)


def refresh_if_due(app: Flask) -> None:
    """Refresh lapsed documents once a day per process, before the first search of the day."""
    index = search_index(app)
    if getattr(index, "refreshed_on", None) != today():
        try:
            refresh_lapsed(app)
        except Exception:
            log.exception("could not refresh lapsed search documents")


def _all_documents(session: Session, on: date, chunk: int = 1000) -> Iterator[dict]:
    last = 0
    while True:
        ids = session.scalars(
            select(Practitioner.id)
            .where(Practitioner.published.is_(True), Practitioner.id > last)
            .order_by(Practitioner.id)
            .limit(chunk)
        ).all()
        if not ids:
            return
        yield from documents(session, list(ids), on)[0]
        last = ids[-1]


def rebuild(app: Flask) -> int:
    """Build a fresh index from the database beside the live one, swap it in, then drain.

    The build reads one snapshot of the database (a read transaction: it never holds the
    write lock, so saves go on meanwhile and wait in the outbox); only the outbox rows that
    snapshot already reflects are deleted afterwards, in a short write.
    """
    index = search_index(app)
    # Reads, even inside a command that writes: the build must never hold the write lock.
    with app.app_context(), reading():
        on = today()
        with Session(db.engine) as session:
            published = (
                session.scalar(
                    select(func.count(Practitioner.id)).where(Practitioner.published.is_(True))
                )
                or 0
            )  # only a hint for how to split the build
            session.rollback()
            seen: list[int] = []

            def snapshot() -> Iterator[dict]:
                # Read only once the build holds the live index's lock: a save committed
                # before this read is in the snapshot, and one after it waits in the outbox
                # (its drain cannot write to the old generation meanwhile).
                seen.extend(session.scalars(select(OutboxEntry.id)))
                yield from _all_documents(session, on)

            with session.begin():
                if db.engine.dialect.name != "sqlite":
                    # Every statement of the build must see one snapshot (as SQLite's read
                    # transactions always do).
                    session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
                count = index.build(snapshot(), expected=published)
            # Exactly those rows, not "every id up to the largest": on a database whose ids
            # are not given in commit order, a lower id may commit during the build.
            with writing(), session.begin():
                for start in range(0, len(seen), 500):
                    chunk = seen[start : start + 500]
                    session.execute(delete(OutboxEntry).where(OutboxEntry.id.in_(chunk)))
    drain(app)
    return count


@dataclass(frozen=True)
class Difference:
    """How the index and the database disagree."""

    missing: tuple[int, ...]
    extra: tuple[int, ...]
    stale: tuple[int, ...]
    # What could not be read, in words (an unreadable index also counts all as missing).
    unreadable: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.stale or self.unreadable)


def verify(app: Flask) -> Difference:
    """Compare the id and version of every published practitioner with the index."""
    with app.app_context(), reading():
        in_db = dict(
            db.session.execute(
                select(Practitioner.id, Practitioner.version).where(
                    Practitioner.published.is_(True)
                )
            ).all()
        )
    index = search_index(app)
    in_index: dict[int, int] = {}
    lapsed: set[int] = set()
    unreadable: list[str] = []
    problem = index.problem()
    if problem is not None and index.current_dir() is not None:
        unreadable.append(problem)
    if problem is None:
        try:
            in_index = index.versions()
            with app.app_context(), index.searching() as searcher:
                lapsed = set(searcher.lapsed(today()))
            unreadable.extend(check_generation(index.open()))
        except IndexUnavailable as exc:
            unreadable.append(f"the live generation cannot be read through: {exc.__cause__!r}")
    return Difference(
        missing=tuple(sorted(set(in_db) - set(in_index))),
        extra=tuple(sorted(set(in_index) - set(in_db))),
        stale=tuple(
            sorted(i for i in set(in_db) & set(in_index) if in_db[i] != in_index[i] or i in lapsed)
        ),
        unreadable=tuple(unreadable),
    )


def _schema_is_current(app: Flask) -> bool:
    """Return whether the database has every migration applied."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(app.extensions["migrate"].directory)
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current == set(script.get_heads())


def catch_up(app: Flask) -> None:
    """Apply outbox rows a crash left behind, and re-index lapsed licenses, at start-up."""
    index = search_index(app)
    removed = index.remove_orphans()
    if removed:
        log.info("removed what an interrupted rebuild left in the index folder: %s", removed)
    with app.app_context():
        if not _schema_is_current(app):
            return  # not migrated yet: `flask db upgrade` (or `directory setup`) comes first
        if index.exists() and not index.is_current():
            log.warning("the search index predates this version: run `flask directory reindex`")
            return
        try:
            applied = drain(app)
            if applied:
                log.info("applied %d waiting outbox rows to the search index", applied)
            refresh_lapsed(app)
        except Exception:
            # Starting must not fail because of the index; the rows wait for the next drain.
            log.exception("could not catch the search index up at start-up")
