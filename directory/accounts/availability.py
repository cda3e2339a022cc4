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

from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SubmitField

from directory import mail
from directory.accounts.models import EmailToken, User, new_token, token_digest
from directory.core.clock import utcnow
from directory.core.profile import ACCEPTING_REMINDER_DAYS, ACCEPTING_UNKNOWN_DAYS
from directory.extensions import db, limiter
from directory.practitioners.models import Practitioner, ProfileChange
from directory.sqlite import writing
from directory.web import external_url, today

bp = Blueprint("availability", __name__, url_prefix="/availability")
PURPOSE = "accepting"
# The link works until "accepting" would become unknown anyway.
LINK_DAYS = ACCEPTING_UNKNOWN_DAYS - ACCEPTING_REMINDER_DAYS


class ConfirmForm(FlaskForm):
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
    """Send each reminder that is due (one commit each: a crash never sends one twice)."""
    sent = 0
    for p in due(on):
        owner = db.session.get(User, p.owner_id)
        if owner is None:
            continue
        token, digest = new_token()
        db.session.add(EmailToken(token_hash=digest, user_id=owner.id, purpose=PURPOSE,
                                  expires_at=utcnow() + timedelta(days=LINK_DAYS)))  # fmt: skip
        confirmed = p.accepting_confirmed_on.isoformat() if p.accepting_confirmed_on else ""
        body = (
            f"Your profile ({p.name}) says you're accepting new clients, last confirmed on "
            f"{confirmed}. After 45 days it shows as 'not confirmed recently'; after 90 days "
            "the directory no longer counts it.\n\nOne click keeps it true (no login needed):\n"
            f"{external_url('availability.confirm', token=token)}\n\n"
            "If you're no longer accepting new clients, the same page lets you say so."
        )
        mail.send(mail.Message(owner.email, "Still accepting new clients?", body))
        p.accepting_reminded_for = p.accepting_confirmed_on
        db.session.commit()
        sent += 1
    return sent


def _valid(token: str) -> tuple[EmailToken, Practitioner] | None:
    record = db.session.scalar(
        select(EmailToken).where(
            EmailToken.token_hash == token_digest(token), EmailToken.purpose == PURPOSE
        )
    )
    if record is None or record.used_at is not None or record.expires_at < utcnow():
        return None
    p = db.session.scalar(select(Practitioner).where(Practitioner.owner_id == record.user_id))
    return (record, p) if p is not None else None


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
        found = _valid(token)  # again, inside the write: a link is used once
        if found is None:
            return render_template("practitioners/still_accepting.html", p=None), 400
        record, p = found
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
        record.used_at = utcnow()
        db.session.commit()
    flash(
        "Thank you: your profile says you're accepting new clients, confirmed today."
        if accepting
        else "Thank you: your profile now says you're not accepting new clients."
    )
    return redirect(url_for("directory.profile", slug=p.slug), code=303)
