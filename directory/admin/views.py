"""Administrators: verify or reject licenses, decide claims, unpublish profiles."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from directory.core.clock import utcnow
from directory.extensions import db
from directory.practitioners.models import Claim, License, Practitioner, ProfileChange
from directory.web import today

bp = Blueprint("admin", __name__, url_prefix="/admin")

MAX_REASON = 300


def admin_required(view):
    """Allow only administrators (403 for anyone else who is logged in)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _log(p: Practitioner, changes: dict) -> None:
    db.session.add(ProfileChange(practitioner=p, user_id=current_user.id, changes=changes))


@bp.get("/")
@admin_required
def queue():
    """Show the licenses waiting for verification and the claims waiting for a decision."""
    licenses = db.session.scalars(
        select(License)
        .where(License.status == "pending")
        .options(selectinload(License.practitioner))
        .order_by(License.id)
        .limit(200)
    ).all()
    claims = db.session.scalars(
        select(Claim).where(Claim.status == "pending").order_by(Claim.id).limit(200)
    ).all()
    practitioners = {
        p.id: p
        for p in db.session.scalars(
            select(Practitioner).where(Practitioner.id.in_([c.practitioner_id for c in claims]))
        )
    }
    return render_template(
        "admin/queue.html", licenses=licenses, claims=claims, practitioners=practitioners
    )


def _license(license_id: int) -> License:
    lic = db.session.get(License, license_id)
    if lic is None:
        abort(404)
    return lic


def _review(lic: License, status: str, reason: str | None = None) -> None:
    """Record an administrator's decision on a license, in its profile's history too."""
    _log(lic.practitioner, {f"licenses[{lic.position}].status": [lic.status, status]})
    lic.status, lic.verified_by_id, lic.rejection_reason = status, current_user.id, reason
    lic.verified_on = today() if status == "verified" else None
    db.session.commit()
    flash(f"License {lic.number} ({lic.state}) {status}.")


@bp.post("/licenses/<int:license_id>/verify")
@admin_required
def verify_license(license_id: int):
    """Mark a license verified, recording who verified it and when."""
    _review(_license(license_id), "verified")
    return redirect(url_for("admin.queue"), code=303)


@bp.post("/licenses/<int:license_id>/reject")
@admin_required
def reject_license(license_id: int):
    """Reject a license with a reason the practitioner will see."""
    reason = (request.form.get("reason") or "").strip()
    if not reason or len(reason) > MAX_REASON:
        flash(f"Give the practitioner a reason (up to {MAX_REASON} characters).", "error")
    else:
        _review(_license(license_id), "rejected", reason)
    return redirect(url_for("admin.queue"), code=303)


def _claim(claim_id: int) -> Claim:
    claim = db.session.get(Claim, claim_id)
    if claim is None or claim.status != "pending":
        abort(404)
    return claim


def _decide(claim: Claim, status: str) -> None:
    claim.status, claim.decided_by_id, claim.decided_at = status, current_user.id, utcnow()


@bp.post("/claims/<int:claim_id>/approve")
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


@bp.post("/claims/<int:claim_id>/refuse")
@admin_required
def refuse_claim(claim_id: int):
    """Refuse a claim."""
    _decide(_claim(claim_id), "refused")
    db.session.commit()
    flash("Claim refused.")
    return redirect(url_for("admin.queue"), code=303)


@bp.post("/practitioners/<slug>/unpublish")
@admin_required
def unpublish(slug: str):
    """Take a profile out of the directory."""
    p = db.session.scalar(select(Practitioner).where(Practitioner.slug == slug))
    if p is None:
        abort(404)
    if p.published:
        _log(p, {"published": [True, False]})
        p.published = False
        db.session.commit()
    flash(f"{p.name}'s profile is unpublished.")
    return redirect(url_for("admin.queue"), code=303)
