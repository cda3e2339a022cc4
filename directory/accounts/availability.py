"""Keeping "accepting new clients" true: a reminder before it goes stale, with a link that
reconfirms it without logging in.

``send_reminders`` (the ``directory remind`` command, run daily) writes to the owner of every
published profile that says it is accepting and was last confirmed 40 or more days ago, once
per confirmation: it records the confirmation date it reminded about, so running it twice
sends nothing twice. The link is an emailed token (single use, 50 days, stored only as a
digest). Opening it shows one button (a POST, so mail scanners that fetch links confirm
nothing); pressing it confirms as of today.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from sqlalchemy import select, update
from wtforms import SubmitField

from directory import mail
from directory.accounts.models import EmailToken, User, issue_token, redeem_token
from directory.core.clock import utcnow
from directory.core.profile import ACCEPTING_REMINDER_DAYS, ACCEPTING_UNKNOWN_DAYS
from directory.extensions import db, limiter
from directory.form_fields import SiteForm
from directory.practitioners.models import Practitioner, ProfileChange
from directory.sqlite import reading, writing
from directory.web import external_url, today

log = logging.getLogger(__name__)
bp = Blueprint("availability", __name__, url_prefix="/availability")
PURPOSE = "accepting"
# The link works until "accepting" would become unknown anyway.
LINK_DAYS = ACCEPTING_UNKNOWN_DAYS - ACCEPTING_REMINDER_DAYS


class ConfirmForm(SiteForm):
    """The one button of the reminder link."""

    still = SubmitField("Yes, I'm still accepting new clients")
    no_longer = SubmitField("I'm no longer accepting new clients")


def due(on: date) -> list[Practitioner]:
    """Return the published, accepting, owned profiles whose confirmation is 40 or more days
    old and has not been reminded about."""
    cutoff = on - timedelta(days=ACCEPTING_REMINDER_DAYS)
    rows = db.session.scalars(
        Practitioner.public().where(
            Practitioner.accepting_new_clients.is_(True),
            Practitioner.owner_id.is_not(None),
            Practitioner.accepting_confirmed_on.is_not(None),
            Practitioner.accepting_confirmed_on <= cutoff,
        )
    )
    return [
        p for p in rows
        if p.accepting_reminded_for is None or p.accepting_reminded_for < p.accepting_confirmed_on
    ]  # fmt: skip


def send_reminders(on: date) -> int:
    """Send each reminder that is due: each is recorded (and committed) before it is sent, so a
    crash can lose one but never send one twice; a reminder that can't be sent is logged and
    the others still go."""
    sent = 0
    with reading():
        due_ids = [p.id for p in due(on)]
        db.session.rollback()
    for pid in due_ids:
        with writing():
            p = db.session.get(Practitioner, pid)
            owner = db.session.get(User, p.owner_id) if p and p.owner_id else None
            if p is None or owner is None:
                db.session.rollback()
                continue
            token = issue_token(owner, PURPOSE, timedelta(days=LINK_DAYS))
            p.accepting_reminded_for = p.accepting_confirmed_on
            message = _reminder(p, owner.email, token)
            db.session.commit()
        try:
            mail.send(message)
        except OSError as exc:
            log.warning("a reminder could not be sent (practitioner %s): %s", pid,
                        type(exc).__name__)  # fmt: skip
            continue
        sent += 1
    return sent


def _reminder(p: Practitioner, to: str, token: str) -> mail.Message:
    confirmed = p.accepting_confirmed_on.isoformat() if p.accepting_confirmed_on else ""
    body = (
        f"Your profile ({p.name}) says you're accepting new clients, last confirmed on "
        f"{confirmed}. After 45 days it shows as 'not confirmed recently'; after 90 days "
        "the directory no longer counts it.\n\nOne click keeps it true (no login needed):\n"
        f"{external_url('availability.confirm', token=token)}\n\n"
        "If you're no longer accepting new clients, the same page lets you say so."
    )
    return mail.Message(to, "Still accepting new clients?", body)


def _valid(token: str) -> tuple[EmailToken, Practitioner] | None:
    record = redeem_token(token, PURPOSE)
    if record is None:
        return None
    p = db.session.scalar(select(Practitioner).where(Practitioner.owner_id == record.user_id))
    return (record, p) if p is not None and p.published else None


@bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit("30 per hour")
def confirm(token: str):
    """Reconfirm (or withdraw) "accepting new clients" from the reminder's link."""
    if len(token) > 100:
        abort(404)
    found = _valid(token)
    if found is None:
        return render_template("practitioners/still_accepting.html", p=None), 400
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("practitioners/still_accepting.html", form=form, p=found[1])
    with writing():
        record, p = found
        # Used once: only the request that marks it used goes on (on every database).
        used = db.session.execute(
            update(EmailToken)
            .where(EmailToken.id == record.id, EmailToken.used_at.is_(None))
            .values(used_at=utcnow())
        )
        if used.rowcount != 1:  # type: ignore[attr-defined]
            db.session.rollback()
            return render_template("practitioners/still_accepting.html", p=None), 400
        on = today()
        accepting = not form.no_longer.data
        before = p.accepting_confirmed_on.isoformat() if p.accepting_confirmed_on else None
        changes: dict[str, list[object]] = {
            "accepting_confirmed_on": [before, on.isoformat() if accepting else None]
        }
        if accepting != p.accepting_new_clients:
            changes["accepting_new_clients"] = [p.accepting_new_clients, accepting]
        db.session.add(ProfileChange(practitioner=p, user_id=record.user_id, changes=changes))
        p.accepting_new_clients = accepting
        p.accepting_confirmed_on = on if accepting else None
        db.session.commit()
    flash(
        "Thank you: your profile says you're accepting new clients, confirmed today."
        if accepting
        else "Thank you: your profile now says you're not accepting new clients."
    )
    return redirect(url_for("directory.profile", slug=p.slug), code=303)
