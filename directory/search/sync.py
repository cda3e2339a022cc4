"""Keeping the search index in step with the database: drain, refresh, rebuild and verify.

The outbox (``outbox.py``) records which practitioners changed; a drain applies the rows past
the index's own read position, after each commit, at start-up, and (to follow saves made by
other servers) before a search at most every ``SEARCH_FOLLOW_SECONDS``. A rebuild makes a new
generation from the database. The database is the source of truth: ``verify`` compares the two.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.core.clock import utcnow
from directory.extensions import db
from directory.practitioners import outbox
from directory.practitioners.models import Practitioner
from directory.practitioners.outbox import OutboxEntry
from directory.search import featurefiles
from directory.search.documents import all_documents, documents, on_postgres
from directory.search.fast import check_arrays
from directory.search.featurefiles import FeatureChunks
from directory.search.store import READ_DAMAGE, IndexUnavailable, SearchIndex
from directory.sqlite import reading, writing
from directory.web import app_object, today

log = logging.getLogger(__name__)

# Above this many waiting outbox rows, and above one in REBUILD_SHARE of the documents, a drain
# rebuilds the index instead: a build writes about 6 documents in the time an update writes one.
REBUILD_BACKLOG = 2000
REBUILD_SHARE = 8


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


def drain(app: Flask, batch: int = 500, wait: float = 2.0) -> int:
    """Apply the outbox rows past the index's read position; return how many were applied.

    Each batch is read from the database while the index's write lock is held, written, and
    only then does the read position move past it: a crash in between replays those rows,
    which is harmless. No row is deleted, so every server's index can follow the same outbox.
    An index too far behind (rows it needs already pruned, or more than ``REBUILD_BACKLOG``
    rows that are also more than one in ``REBUILD_SHARE`` of its documents) is rebuilt
    instead; so an import into a large index writes only the documents it changed.
    """
    index = search_index(app)
    if on_postgres(app) or not index.exists():
        return 0  # on PostgreSQL, every commit wrote its own documents
    position = index.position()
    with app.app_context(), Session(db.engine) as session:
        backlog = (
            session.scalar(select(func.count(OutboxEntry.id)).where(OutboxEntry.id > position)) or 0
        )
        behind = position < outbox.horizon(session)
    # The document count is asked only of a backlog big enough for it to matter.
    large = backlog > REBUILD_BACKLOG and backlog > _size(index) // REBUILD_SHARE
    if behind or large:
        # After a bulk import, building a new generation is far faster than updating
        # documents one by one in the live index (and it reads without the write lock).
        log.info("%s; rebuilding the index instead", "outbox rows this index needs were pruned"
                 if behind else f"{backlog} outbox rows wait")  # fmt: skip
        rebuild(app)
        return backlog
    with writing():
        return _drain(app, batch, wait)


def _size(index: SearchIndex) -> int:
    try:
        with index.searching() as searcher:
            return searcher.document_count()
    except IndexUnavailable:
        return 0


def _drain(app: Flask, batch: int, wait: float) -> int:
    index = search_index(app)
    applied = 0
    with app.app_context():
        on = today()
        while True:
            # A plain Session of our own: its commit must not trigger another drain.
            with Session(db.engine) as session:
                taken: list[int] = []

                def produce(session=session, taken=taken):
                    rows = session.execute(
                        select(OutboxEntry.id, OutboxEntry.practitioner_id)
                        .where(OutboxEntry.id > index.position())
                        .order_by(OutboxEntry.id)
                        .limit(batch)
                    ).all()
                    taken.extend(row.id for row in rows)
                    if not rows:
                        return [], [], None
                    docs, deletes = documents(
                        session, sorted({r.practitioner_id for r in rows}), on, features=True
                    )
                    return docs, deletes, rows[-1].id

                if not index.write(produce, wait):
                    log.info("search index is busy; outbox rows wait for the next drain")
                    break
                session.rollback()
                applied += len(taken)
                if len(taken) < batch:
                    break
    return applied


def follow_if_due(app: Flask) -> None:
    """Apply what other servers saved, at most every ``SEARCH_FOLLOW_SECONDS`` per process.

    One cheap query (the newest outbox id) when nothing changed; a drain when something did.
    A save on another server therefore shows here within that many seconds.
    """
    index = search_index(app)
    if on_postgres(app):
        return
    every = float(app.config["SEARCH_FOLLOW_SECONDS"])
    now = time.monotonic()
    if now - index.followed_at < every:
        return
    index.followed_at = now
    try:
        with reading():
            newest = outbox.newest(db.session)
            db.session.rollback()
        if newest > index.position():
            drain(app, wait=0.2)
    except Exception:
        log.exception("could not follow the outbox; searches use the index as it is")


def prune_outbox(app: Flask) -> int:
    """Delete outbox rows older than ``OUTBOX_RETENTION_DAYS``; return how many."""
    before = utcnow() - timedelta(days=float(app.config["OUTBOX_RETENTION_DAYS"]))
    with app.app_context(), writing(), Session(db.engine) as session:
        removed = outbox.prune(session, before)
        session.commit()
    if removed:
        log.info("pruned %d outbox rows older than %s", removed, before.date().isoformat())
    return removed


def refresh_lapsed(app: Flask) -> int:
    """Re-index practitioners whose documents no longer say what holds today; return how many.

    An operator's command (``directory refresh``, daily) and a step of start-up, never part of
    a request: searches and matches read what holds on their day from the documents' epochs
    (the Whoosh index's match features, PostgreSQL's ``search_epoch``), so only rows whose
    epochs have run out (past ``MAX_EPOCHS`` changes) need recomputing. On PostgreSQL, every
    row past its ``valid_until`` is rewritten, so that searches read it from its row again.
    """
    index = search_index(app)
    if not index.exists():
        return 0
    with app.app_context():
        on = today()
        if on_postgres(app):
            from directory.search.pgdocs import refresh

            return refresh(app, on)
        pids = lapsed(index, on)
        if not pids:
            return 0
        with Session(db.engine) as session:

            def produce() -> tuple[list[dict], list[str]]:
                return documents(session, pids, on, features=True)

            if not index.write(produce, wait=0.5):
                return 0
        log.info("re-indexed %d practitioners whose licenses lapsed", len(pids))
        return len(pids)


def lapsed(index: SearchIndex, on: date) -> list[int]:
    """Return the practitioners whose indexed state no longer holds on ``on``."""
    features = index.features()
    if features is not None:
        return features.ended(on)
    with index.searching() as searcher:
        return searcher.lapsed(on)


def rebuild(app: Flask) -> int:
    """Build a fresh index from the database beside the live one, swap it in, then drain.

    The build reads one snapshot of the database (a read transaction: it never holds the
    write lock, so saves go on meanwhile and wait in the outbox). The new generation's read
    position is the newest outbox id that snapshot holds: ids become visible in order
    (``outbox.py``), so every row below it is already reflected, and every row above waits.
    """
    index = search_index(app)
    if on_postgres(app):
        from directory.search.pgdocs import rewrite

        return rewrite(app, None)
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
            features = FeatureChunks()

            def snapshot() -> Iterator[dict]:
                # Read only once the build holds the live index's lock: a save committed
                # before this read is in the snapshot, and one after it waits in the outbox
                # (its drain cannot write to the old generation meanwhile).
                seen.append(outbox.newest(session))
                for doc in all_documents(session, on, features=True):
                    features.add(doc.pop("_features"))
                    yield doc

            def finish(folder: Path) -> None:
                featurefiles.write_base(folder, features.done())

            with session.begin():
                if db.engine.dialect.name != "sqlite":
                    # Every statement of the build must see one snapshot (as SQLite's read
                    # transactions always do).
                    session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
                count = index.build(snapshot(), expected=published, position=lambda: seen[0],
                                    finish=finish)  # fmt: skip
    drain(app)
    return count


def check_generation(ix) -> list[str]:
    """Read every posting list, column and stored document of ``ix``; return what failed."""
    problems = []
    try:
        with ix.reader() as reader:
            for fieldname, text in reader.all_terms():
                for _ in reader.postings(fieldname, text).all_ids():
                    pass
            for fieldname in ix.schema.names():
                if reader.has_column(fieldname):
                    for _ in reader.column_reader(fieldname):
                        pass
            for _ in reader.all_stored_fields():
                pass
    except READ_DAMAGE as exc:
        problems.append(f"the live generation cannot be read through: {exc!r}")
    try:
        problems.extend(check_arrays(ix))
    except READ_DAMAGE as exc:
        problems.append(f"the posting arrays cannot be read: {exc!r}")
    return problems


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
    stale_now: set[int] = set()
    unreadable: list[str] = []
    with app.app_context(), reading():
        problem = index.problem()
        if problem is not None and (on_postgres(app) or index.current_dir() is not None):
            unreadable.append(problem)
        if problem is None:
            try:
                in_index = index.versions()
                stale_now = set(lapsed(index, today()))
                if not on_postgres(app):
                    unreadable.extend(check_generation(index.open()))
                    current = index.current_dir()
                    if current is not None and (current / featurefiles.FOLDER).is_dir():
                        unreadable.extend(featurefiles.problems(current, in_index))
            except IndexUnavailable as exc:
                cause = exc.__cause__
                unreadable.append(f"the live generation cannot be read through: {cause!r}")
    return Difference(
        missing=tuple(sorted(set(in_db) - set(in_index))),
        extra=tuple(sorted(set(in_index) - set(in_db))),
        stale=tuple(
            sorted(
                i for i in set(in_db) & set(in_index) if in_db[i] != in_index[i] or i in stale_now
            )
        ),
        unreadable=tuple(unreadable),
    )
