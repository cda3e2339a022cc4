"""Two real connections racing every read-then-write that must not race (issue 14, item 3).

Each round starts two threads at a barrier, each on a connection of its own. A thread makes
its read (the one the fix locks or makes conditional), then waits ``HOLD`` seconds before
committing, so that without the fix both threads read the state before either writes. With the
fix, the second thread's read waits for the first one's commit and finds the state changed.
On SQLite the write transaction already serialises them; on PostgreSQL (``--database-url``) the
row locks and version checks do. Removing a ``with_for_update()`` makes these fail there.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pyotp
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from directory.accounts.models import EmailToken, User, issue_token, redeem_token
from directory.accounts.two_factor import make_recovery_codes, verify_second_factor
from directory.core.clock import utcnow
from directory.extensions import db
from directory.practitioners.models import Claim, Practitioner
from directory.sqlite import reading, writing
from tests.factories import make_record

ROUNDS = 8
HOLD = 0.15


def race(app, attempt: Callable[[], bool], rounds: int = ROUNDS, prepare=None) -> list[list]:
    """Run ``attempt`` in two threads at once, ``rounds`` times; return each round's outcomes
    (True: it went through; False: refused; or the exception it raised)."""
    results = []
    for _ in range(rounds):
        if prepare is not None:
            with app.app_context():
                prepare()
        barrier = threading.Barrier(2)
        outcomes: list = []

        def run(barrier=barrier, outcomes=outcomes) -> None:
            with app.app_context(), writing():
                barrier.wait()
                try:
                    outcomes.append(attempt())
                except Exception as exc:  # noqa: BLE001 (the outcome under test)
                    db.session.rollback()
                    outcomes.append(exc)
                finally:
                    db.session.remove()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        results.append(outcomes)
    return results


def committed_after_hold(went_through: bool) -> bool:
    time.sleep(HOLD)  # the rest of the request: long enough for the other thread to read
    db.session.commit()
    return went_through


def a_user(app, **fields) -> int:
    with app.app_context():
        user = User(email=f"racer{time.monotonic_ns()}@example.org", password_hash="x", **fields)
        db.session.add(user)
        db.session.commit()
        return user.id


def test_one_authenticator_code_is_accepted_once(app):
    secret = pyotp.random_base32()
    uid = a_user(app, totp_secret=secret)

    code = [""]

    def reset() -> None:
        db.session.get(User, uid).totp_last_step = None
        db.session.commit()
        # One code for both threads: each computing its own, a round that straddles the end of
        # a 30-second step offered two different codes, and both were rightly accepted.
        code[0] = pyotp.TOTP(secret).now()

    def attempt() -> bool:
        user = db.session.get(User, uid)
        return committed_after_hold(verify_second_factor(user, code[0]))

    for outcomes in race(app, attempt, prepare=reset):
        assert sorted(outcomes) == [False, True], outcomes


def test_one_recovery_code_is_accepted_once(app):
    uid = a_user(app, totp_secret=pyotp.random_base32())
    codes: list[str] = []

    def fresh_codes() -> None:
        shown, digests = make_recovery_codes()
        codes[:] = shown
        db.session.get(User, uid).recovery_codes = digests
        db.session.commit()

    def attempt() -> bool:
        user = db.session.get(User, uid)
        return committed_after_hold(verify_second_factor(user, codes[0]))

    for outcomes in race(app, attempt, prepare=fresh_codes):
        assert sorted(outcomes) == [False, True], outcomes
    with app.app_context():
        assert len(db.session.get(User, uid).recovery_codes) == len(codes) - 1


def test_one_emailed_link_is_redeemed_once(app):
    uid = a_user(app)
    tokens: list[str] = []

    def fresh_token() -> None:
        tokens[:] = [issue_token(db.session.get(User, uid), "reset", timedelta(hours=1))]
        db.session.commit()

    def attempt() -> bool:
        record = redeem_token(tokens[0], "reset")
        if record is not None:
            record.used_at = utcnow()
        return committed_after_hold(record is not None)

    for outcomes in race(app, attempt, prepare=fresh_token):
        assert sorted(outcomes) == [False, True], outcomes
    with app.app_context():
        used = db.session.scalars(select(EmailToken.used_at)).all()
        assert len(used) == ROUNDS and all(used)


def test_a_claim_is_decided_once(app, add):
    from werkzeug.exceptions import NotFound

    from directory.admin.views import _claim

    add(make_record())
    uid = a_user(app)
    claims: list[int] = []

    def fresh_claim() -> None:
        pid = db.session.scalar(select(Practitioner.id))
        claim = Claim(user_id=uid, practitioner_id=pid)
        db.session.add(claim)
        db.session.commit()
        claims[:] = [claim.id]

    def attempt() -> bool:
        with app.test_request_context():
            try:
                claim = _claim(claims[0])
            except NotFound:  # the other administrator decided it first
                return committed_after_hold(False)
            claim.status = "approved"
            claim.decided_at = utcnow()
            return committed_after_hold(True)

    for outcomes in race(app, attempt, prepare=fresh_claim):
        assert sorted(outcomes) == [False, True], outcomes


def test_two_saves_of_one_profile_version_keep_one_and_refuse_the_other(app, add):
    add(make_record(fee=100))
    fees = iter(range(200, 300))

    def attempt() -> bool:
        with reading():  # the edit page both people opened: version N
            shown = db.session.scalar(select(Practitioner.version))
            db.session.rollback()
        time.sleep(HOLD)  # both have read it before either saves
        p = db.session.scalar(select(Practitioner))
        if p.version != shown:  # the view's own check (the form carries the version)
            db.session.rollback()
            return False
        p.fee = next(fees)
        db.session.commit()  # UPDATE ... WHERE version = N: the later one matches no row
        return True

    for outcomes in race(app, attempt):
        assert outcomes.count(True) == 1, outcomes
        # On SQLite the second save waits for the write lock and the view's check refuses
        # it; on PostgreSQL its UPDATE waits for the row and finds the version changed.
        (refused,) = [o for o in outcomes if o is not True]
        assert refused is False or isinstance(refused, StaleDataError), outcomes


def test_an_outbox_row_committed_late_is_never_skipped_by_a_rebuild(app, add):
    """The reported loss: a save holding a lower outbox id commits after a higher one, around
    a rebuild's snapshot. Outbox writers take turns until they commit (PostgreSQL's advisory
    lock; SQLite's write lock), so ids become visible in order and no row is skipped."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from directory.practitioners.outbox import OutboxEntry
    from directory.search import sync

    add(make_record(name="Slow Saver", fee=100), make_record(name="Quick Saver", fee=100))
    in_commit, results = threading.Event(), []

    def pause(session, flush_context) -> None:
        # The commit's own flush, which inserted the outbox row (after_flush still lists it
        # as new): the row has its id, and the transaction is not committed yet.
        wrote_outbox = any(isinstance(o, OutboxEntry) for o in session.new)
        if threading.current_thread().name == "slow" and wrote_outbox and not in_commit.is_set():
            in_commit.set()
            time.sleep(1.0)

    def save(name: str) -> None:
        with app.app_context(), writing():
            p = db.session.scalar(select(Practitioner).filter_by(name=name))
            p.fee += 1
            db.session.commit()
            results.append(name)

    event.listen(Session, "after_flush", pause)
    try:
        slow = threading.Thread(target=save, args=("Slow Saver",), name="slow")
        slow.start()
        assert in_commit.wait(10)
        quick = threading.Thread(target=save, args=("Quick Saver",), name="quick")
        quick.start()
        quick.join(0.3)  # without turns, the quick save commits a higher id here
        sync.rebuild(app)  # its snapshot: the quick save (if committed), not the slow one
        slow.join(30)
        quick.join(30)
    finally:
        event.remove(Session, "after_flush", pause)
    assert sorted(results) == ["Quick Saver", "Slow Saver"]
    sync.drain(app)
    assert sync.verify(app).ok, sync.verify(app)
