"""A practitioner's own profile: create or edit it, preview, publish, confirm, read its history.

Every view acts on the logged-in practitioner's own profile, found by owner: no profile id is
ever taken from the address, so there is no one else's profile to reach by changing a URL.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from directory.core.authority import practice_authorities
from directory.core.checklist import evaluate
from directory.core.clock import utcnow
from directory.core.compacts import load_compacts
from directory.core.profile import Profile, license_status
from directory.core.records import profile_to_record
from directory.extensions import db, limiter, login_manager
from directory.practitioners.forms import MAX_AUTHORITIES, MAX_LICENSES, ProfileForm
from directory.practitioners.history import describe_changes
from directory.practitioners.models import Claim, Practitioner, ProfileChange
from directory.practitioners.queries import get_practitioner, own_practitioner
from directory.sqlite import on_busy
from directory.web import today

# Claims an account may send: enough to claim the right profile, not to flood the queue.
CLAIM_LIMIT = "5 per hour; 20 per day"
# The practitioner's own pages live under /account, beside the account's.
bp = Blueprint("practitioners", __name__, url_prefix="/account")


def record_diff(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, list]:
    """Return field -> [old, new] for every field that differs."""
    old = old or {}
    return {k: [old.get(k), v] for k, v in new.items() if old.get(k) != v}


def _record_change(p: Practitioner, changes: dict[str, list]) -> None:
    if changes:
        db.session.add(ProfileChange(practitioner=p, user_id=current_user.id, changes=changes))


def _render(form: ProfileForm, p: Practitioner | None, status: int = 200, **extra):
    return render_template(
        "practitioners/edit_profile.html", form=form, p=p, max_licenses=MAX_LICENSES,
        max_authorities=MAX_AUTHORITIES,
        license_status=license_status, today=today(), **extra,
    ), status  # fmt: skip


BUSY_MESSAGE = "The directory was busy and nothing was saved. Press Save again in a few seconds."


def _busy_form():
    """The profile form again, as typed, when the database stayed locked: nothing is lost."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    form = ProfileForm()
    form.general_errors.append(BUSY_MESSAGE)
    return _render(form, own_practitioner(), 503)


@bp.route("/profile", methods=["GET", "POST"])
@on_busy(_busy_form)
@login_required
def edit_profile():
    """Create or edit one's own profile, with a preview before saving."""
    p = own_practitioner()
    form = ProfileForm()
    if request.method in ("GET", "HEAD"):
        if p is not None:
            form.fill(p.to_profile(), p.version)
        return _render(form, p)
    action = request.form.get("action", "save")
    if action == "add_license":
        if len(form.licenses.entries) < MAX_LICENSES:
            form.licenses.append_entry()
        return _render(form, p)
    if action == "add_authority":
        if len(form.authorities.entries) < MAX_AUTHORITIES:
            form.authorities.append_entry()
        return _render(form, p)
    existing = p.to_profile() if p is not None else None
    external_id = p.external_id if p is not None else f"self-{uuid.uuid4().hex[:16]}"
    # Both checks always run, so every problem is reported in one go.
    valid = form.validate()
    profile = form.to_profile(existing, external_id, today())
    if not valid or profile is None:
        return _render(form, p, 400)
    if action == "preview":
        return _render(form, p, preview=_preview(profile))
    if p is not None and existing is not None and form.version.data != str(p.version):
        return _conflict(form, p, existing, profile)
    old = profile_to_record(existing) if existing is not None else None
    if p is None:
        p = Practitioner(owner_id=current_user.id)
        db.session.add(p)
    p.apply_profile(profile)
    _record_change(p, record_diff(old, profile_to_record(profile)))
    try:
        db.session.commit()
    except StaleDataError:
        # Another save committed between our read and our write: nothing is overwritten.
        db.session.rollback()
        p = own_practitioner()
        if p is None:  # the profile went away meanwhile: there is nothing to save into
            abort(404)
        return _conflict(form, p, p.to_profile(), profile)
    flash("Your profile is saved." + ("" if p.published else " It isn't published yet."))
    return redirect(url_for("practitioners.edit_profile"), code=303)


def _preview(profile: Profile) -> dict[str, Any]:
    on = today()
    return {
        "profile": profile,
        "checklist": evaluate(profile, on),
        "authorities": practice_authorities(profile, on, load_compacts()),
    }


def _conflict(form: ProfileForm, p: Practitioner, theirs: Profile, yours: Profile):
    """Show both versions; the form keeps the person's edits and the newer version number."""
    diff = record_diff(profile_to_record(theirs), profile_to_record(yours))
    form.version.data = str(p.version)
    return _render(form, p, 409, conflict=describe_changes(diff))


@bp.post("/profile/publish")
@login_required
def publish():
    """Publish or unpublish one's own profile."""
    p = own_practitioner()
    if p is None:
        abort(404)
    publish_it = request.form.get("action") == "publish"
    if publish_it and p.admin_hold:
        flash(
            f"An administrator took your profile down: {p.admin_hold} Only an administrator "
            "can let it be published again.",
            "error",
        )
        return redirect(url_for("practitioners.edit_profile"), code=303)
    if p.published != publish_it:
        _record_change(p, {"published": [p.published, publish_it]})
        p.published = publish_it
        db.session.commit()
    flash("Your profile is published." if publish_it else "Your profile is hidden.")
    return redirect(url_for("practitioners.edit_profile"), code=303)


@bp.post("/profile/accepting")
@login_required
def confirm_accepting():
    """Confirm with one click that one is accepting new clients (as of today)."""
    p = own_practitioner()
    if p is None:
        abort(404)
    on = today()
    _record_change(p, {"accepting_confirmed_on": [
        p.accepting_confirmed_on.isoformat() if p.accepting_confirmed_on else None,
        on.isoformat()]})  # fmt: skip
    p.accepting_new_clients = True
    p.accepting_confirmed_on = on
    db.session.commit()
    flash("Thank you: your profile says you're accepting new clients, confirmed today.")
    return redirect(url_for("account.dashboard"), code=303)


@bp.get("/profile/history")
@login_required
def history():
    """Show every change to one's own profile: who, when, and what changed."""
    p = own_practitioner()
    if p is None:
        abort(404)
    changes = db.session.scalars(
        select(ProfileChange)
        .where(ProfileChange.practitioner_id == p.id)
        .order_by(ProfileChange.id.desc())
    ).all()
    return render_template(
        "practitioners/history.html", p=p, changes=changes, describe_changes=describe_changes
    )


def _account() -> str:
    """Rate-limit key: the logged-in account, whatever address it comes from."""
    return f"user:{current_user.get_id()}"


@bp.route("/claim/<slug>", methods=["GET", "POST"])
@login_required
@limiter.limit(CLAIM_LIMIT, key_func=_account, methods=["POST"])
def claim(slug: str):
    """Ask an administrator to hand over an existing profile (never automatic)."""
    p = get_practitioner(slug)
    if p.owner_id is not None or own_practitioner() is not None:
        flash("That profile can't be claimed from this account.", "error")
        return redirect(url_for("directory.profile", slug=slug), code=303)
    if request.method == "POST":
        message = (request.form.get("message") or "").strip()[:1000]
        pending = db.session.scalar(
            select(Claim).where(Claim.user_id == current_user.id,
                                Claim.practitioner_id == p.id, Claim.status == "pending")
        )  # fmt: skip
        if pending is None:
            db.session.add(Claim(user_id=current_user.id, practitioner_id=p.id, message=message,
                                 created_at=utcnow()))  # fmt: skip
            db.session.commit()
        flash("Your claim is sent. An administrator will check it and let you know.")
        return redirect(url_for("account.dashboard"), code=303)
    return render_template("practitioners/claim.html", p=p)
