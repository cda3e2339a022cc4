"""Administrators: verify or reject licenses and authorities, decide claims, unpublish."""

from __future__ import annotations

from datetime import date
from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from directory.accounts.sessions import passed_second_factor
from directory.admin import notices
from directory.admin.queue import PAGE_SIZE, SORTS, kind_choices, recheck_date, review_queue
from directory.core import vocabulary as v
from directory.core.boards import load_lookups
from directory.core.clock import utcnow
from directory.core.compacts import load_compacts
from directory.extensions import db
from directory.practitioners.models import (
    Claim,
    CompactAuthority,
    License,
    Practitioner,
    ProfileChange,
)
from directory.web import today

bp = Blueprint("admin", __name__, url_prefix="/admin")

MAX_REASON = 300


def admin_required(view):
    """Allow only administrators (403 for anyone else who is logged in)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        # An administrator's login must have passed the second factor: a password-only session
        # of someone made an administrator later is not enough.
        if not current_user.is_admin or not passed_second_factor():
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _log(p: Practitioner, changes: dict) -> None:
    db.session.add(ProfileChange(practitioner=p, user_id=current_user.id, changes=changes))


@bp.get("/")
@admin_required
def queue():
    """Show what waits for an administrator: licenses and authorities to check, and claims."""
    on = today()
    args = request.args
    state = args.get("state", "")
    kind = args.get("kind", "")
    sort = args.get("sort", "oldest")
    page = args.get("page", "1")
    kinds = dict(kind_choices())
    if (state and state not in v.STATES) or (kind and kind not in kinds) or sort not in SORTS:
        abort(400)
    if not page.isdigit() or not 1 <= int(page) <= 10_000:
        abort(400)
    items, total = review_queue(on, state=state or None, kind=kind or None,
                                q=args.get("q", ""), sort=sort, page=int(page))  # fmt: skip
    claims = db.session.scalars(
        select(Claim).where(Claim.status == "pending").order_by(Claim.id).limit(200)
    ).all()
    practitioners = {
        p.id: p
        for p in db.session.scalars(
            select(Practitioner).where(Practitioner.id.in_([c.practitioner_id for c in claims]))
        )
    }
    held = db.session.scalars(
        select(Practitioner).where(Practitioner.admin_hold.is_not(None)).order_by(Practitioner.id)
        .limit(200)
    ).all()  # fmt: skip
    compacts = load_compacts()
    return render_template(
        "admin/queue.html", items=items, total=total, page=int(page), held=held,
        pages=max(1, -(-total // PAGE_SIZE)), kinds=kinds, filters=args, claims=claims,
        practitioners=practitioners, compacts_stale=compacts.is_stale(on),
        compacts_age=compacts.age_days(on), states=v.STATES,
        lookups_checked=load_lookups().checked_on,
    )  # fmt: skip


# Addresses name the lists ("/admin/licenses/7/verify"); items are one of them.
ONE_OF = {"licenses": "license", "authorities": "authority"}


def _reviewed(what: str, item_id: int) -> License | CompactAuthority:
    row: License | CompactAuthority | None
    if what == "license":
        row = db.session.get(License, item_id)
    else:
        row = db.session.get(CompactAuthority, item_id)
    if row is None:
        abort(404)
    return row


def _name(row: License | CompactAuthority) -> str:
    if isinstance(row, License):
        return v.LICENSE_KINDS[row.kind].name + " license"
    kinds = load_compacts().authority_kinds
    return kinds[row.kind].name if row.kind in kinds else row.kind


def _review(row: License | CompactAuthority, status: str, reason: str | None = None,
            recheck_on: date | None = None) -> None:  # fmt: skip
    """Record an administrator's decision, in the profile's history too, and tell the owner."""
    listed = "licenses" if isinstance(row, License) else "authorities"
    _log(row.practitioner, {f"{listed}[{row.position}].status": [row.status, status]})
    row.status, row.verified_by_id, row.rejection_reason = status, current_user.id, reason
    row.verified_on = today() if status == "verified" else None
    row.recheck_on = recheck_on if status == "verified" else None
    row.expiry_notice_on = None
    db.session.commit()
    notices.reviewed(row, _name(row), status, reason)
    flash(f"{_name(row)} {row.number} ({row.state or 'all member states'}) {status}.")


@bp.post("/<any(licenses, authorities):listed>/<int(max=2147483647):item_id>/verify")
@admin_required
def verify(listed: str, item_id: int):
    """Mark a license or authority verified (asking first if it has already expired)."""
    what = ONE_OF[listed]
    row = _reviewed(what, item_id)
    on = today()
    expired = row.expires_on is None or row.expires_on < on
    if expired and request.form.get("confirm_expired") != "yes":
        return render_template("admin/confirm_expired.html", row=row, what=what,
                               listed=listed, name=_name(row), today=on)  # fmt: skip
    try:
        chosen = date.fromisoformat(request.form.get("recheck_on", ""))
    except ValueError:
        chosen = None
    recheck = chosen if chosen and chosen > on else recheck_date(on, row.expires_on)
    _review(row, "verified", recheck_on=recheck)
    return redirect(url_for("admin.queue"), code=303)


@bp.post("/<any(licenses, authorities):listed>/<int(max=2147483647):item_id>/reject")
@admin_required
def reject(listed: str, item_id: int):
    """Reject a license or authority with a reason the practitioner will see."""
    row = _reviewed(ONE_OF[listed], item_id)
    reason = (request.form.get("reason") or "").strip()
    if not reason or len(reason) > MAX_REASON:
        flash(f"Give the practitioner a reason (up to {MAX_REASON} characters).", "error")
    else:
        _review(row, "rejected", reason)
    return redirect(url_for("admin.queue"), code=303)


def _claim(claim_id: int) -> Claim:
    # Locked for the decision (FOR UPDATE on PostgreSQL; SQLite's write lock is held): two
    # administrators deciding at once are served in turn, and the second finds it decided.
    claim = db.session.scalar(
        select(Claim)
        .where(Claim.id == claim_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if claim is None or claim.status != "pending":
        abort(404)
    return claim


def _decide(claim: Claim, status: str) -> None:
    claim.status, claim.decided_by_id, claim.decided_at = status, current_user.id, utcnow()


@bp.post("/claims/<int(max=2147483647):claim_id>/approve")
@admin_required
def approve_claim(claim_id: int):
    """Give the profile to the practitioner who claimed it; other claims on it are refused."""
    claim = _claim(claim_id)
    p = db.session.get(Practitioner, claim.practitioner_id)
    if p is None:  # a claim's profile is never deleted, but the claim must not outlive it
        abort(404)
    owns_one = db.session.scalar(select(Practitioner.id).where(Practitioner.owner_id ==
                                                               claim.user_id))  # fmt: skip
    if p.owner_id is not None or owns_one is not None:
        flash("That profile has an owner, or the claimant already has a profile.", "error")
        return redirect(url_for("admin.queue"), code=303)
    for other in db.session.scalars(
        select(Claim).where(
            Claim.practitioner_id == p.id, Claim.status == "pending", Claim.id != claim.id
        )
    ):
        _decide(other, "refused")
    _decide(claim, "approved")
    _log(p, {"owner": [None, claim.user_id]})
    p.owner_id = claim.user_id
    db.session.commit()
    flash(f"{p.name}'s profile now belongs to the claimant.")
    return redirect(url_for("admin.queue"), code=303)


@bp.post("/claims/<int(max=2147483647):claim_id>/refuse")
@admin_required
def refuse_claim(claim_id: int):
    """Refuse a claim."""
    _decide(_claim(claim_id), "refused")
    db.session.commit()
    flash("Claim refused.")
    return redirect(url_for("admin.queue"), code=303)


def _practitioner(slug: str) -> Practitioner:
    p = db.session.scalar(select(Practitioner).where(Practitioner.slug == slug))
    if p is None:
        abort(404)
    return p


@bp.post("/practitioners/<slug>/unpublish")
@admin_required
def unpublish(slug: str):
    """Take a profile out of the directory, with a reason, until an administrator lifts it."""
    p = _practitioner(slug)
    reason = (request.form.get("reason") or "").strip()
    if not reason or len(reason) > MAX_REASON:
        flash(f"Say why (up to {MAX_REASON} characters): the practitioner sees it.", "error")
        return redirect(url_for("admin.queue"), code=303)
    _log(p, {"published": [p.published, False], "admin_hold": [p.admin_hold, reason]})
    p.published, p.admin_hold = False, reason
    db.session.commit()
    flash(f"{p.name}'s profile is unpublished and held: only an administrator can lift it.")
    return redirect(url_for("admin.queue"), code=303)


@bp.post("/practitioners/<slug>/release")
@admin_required
def release(slug: str):
    """Lift an administrator's hold, so the practitioner may publish again."""
    p = _practitioner(slug)
    if p.admin_hold:
        _log(p, {"admin_hold": [p.admin_hold, None]})
        p.admin_hold = None
        db.session.commit()
    flash(f"{p.name}'s profile may be published again by its owner.")
    return redirect(url_for("admin.queue"), code=303)
