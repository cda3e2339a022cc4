"""The JSON API's documents: a practitioner (a summary, or the whole profile) and a result page.

Profile fields come from the record form of the profile (``core.records``), so a field added to
``Profile`` reaches the whole JSON by itself; the few shown in a shape of their own, and those
never shown, are named here (a test checks that every field is one or the other).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app

from directory.browse.services import Card, ProfileView
from directory.core.compacts import load_compacts
from directory.core.profile import RECORD_FIELDS, Profile, license_status
from directory.core.records import profile_to_record
from directory.practitioners.models import Practitioner
from directory.search import FACETS, SearchResult
from directory.web import external_url

# What a result list shows of each practitioner, besides licenses, approaches and formats.
SUMMARY_FIELDS = (
    "name", "pronouns", "credentials", "headline", "concerns", "languages", "city", "state",
    "zip", "fee", "sliding_scale_min", "insurance", "free_consultation",
    "accepting_new_clients", "accepting_confirmed_on", "sample",
)  # fmt: skip
# Contact details: profile field -> key of the "contact" object (absent when not given).
CONTACT_KEYS = {"phone": "phone", "public_email": "email", "website": "website",
                "booking_url": "booking_url", "contact_preferred": "preferred",
                "contact_hours": "hours"}  # fmt: skip
# Profile fields shown in a shape of their own: field -> the JSON key that carries it.
RESHAPED = {
    "licenses": "licenses",
    "authorities": "authorities",
    "approaches": "approaches",
    "in_person": "formats",
    "telehealth": "formats",
    "gender_identity": "identity",
    "cultural_background": "identity",
    "faith": "identity",
    "lgbtq": "identity",
    **{name: "contact" for name in CONTACT_KEYS},
}
# Never shown: the importer's key, and whether the profile is published (it is, to be seen).
PRIVATE = ("external_id", "published")
# The rest of the profile is in the whole JSON under its own name.
DETAIL_FIELDS = tuple(
    name for name in RECORD_FIELDS if name not in {*SUMMARY_FIELDS, *RESHAPED, *PRIVATE}
)


def contact_json(profile: Profile) -> dict[str, str]:
    """Return the contact details the practitioner gave (a key only for each one given)."""
    return {key: value for name, key in CONTACT_KEYS.items() if (value := getattr(profile, name))}


def practitioner_json(
    p: Practitioner | Card, on: date, view: ProfileView | None = None
) -> dict[str, Any]:
    """Return the public JSON of a practitioner as of ``on`` (summary, or whole with ``view``).

    A result card's summary is made once a day and kept with the card (a copy is returned,
    for the caller to add a hit's score and highlights to).
    """
    if view is None and isinstance(p, Card):
        key = ("summary json", on, current_app.config["SITE_URL"])
        kept = p.memo.get(key)
        if kept is None:
            kept = p.memo[key] = _summary_json(p, p.profile, profile_to_record(p.profile), on)
        return dict(kept)
    profile = view.profile if view is not None else p.to_profile()
    record = profile_to_record(profile)
    data = _summary_json(p, profile, record, on)
    if view is None:
        return data
    return _details_json(data, profile, record, on, view)


def _summary_json(
    p: Practitioner | Card, profile: Profile, record: dict[str, Any], on: date
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "slug": p.slug,
        "url": external_url("directory.profile", slug=p.slug),
        **{name: record[name] for name in SUMMARY_FIELDS},
        "licenses": [
            {
                "kind": lic.kind,
                "state": lic.state,
                # Never "verified" for an expired license.
                "status": license_status(lic, on),
                "supervised": lic.supervised,
            }
            for lic in profile.licenses
        ],
        "approaches": [{"key": key, "level": level} for key, level in profile.approaches],
        "formats": list(profile.formats),
        "accepting_confirmed_recently": profile.accepting_confirmed(on),
        "contact": contact_json(profile),
    }
    return data


def _details_json(
    data: dict[str, Any], profile: Profile, record: dict[str, Any], on: date, view: ProfileView
) -> dict[str, Any]:
    compacts = load_compacts()
    kinds = compacts.authority_kinds
    data.update({name: record[name] for name in DETAIL_FIELDS})
    data.update(
        licenses=[
            {
                "kind": lic.kind,
                "state": lic.state,
                "number": lic.number,
                "expires_on": lic.expires_on.isoformat(),
                "status": license_status(lic, on),
                "verified_on": lic.verified_on.isoformat()
                if lic.verified_on and lic.is_verified(on)
                else None,
                "supervised": lic.supervised,
                "supervisor_name": lic.supervisor_name,
                "supervisor_license": lic.supervisor_license,
            }
            for lic in profile.licenses
        ],
        authorities=[
            {
                "kind": held.kind,
                "name": compacts.kind(held.kind).name if held.kind in kinds else held.kind,
                "state": held.state,
                "number": held.number,
                "expires_on": held.expires_on.isoformat() if held.expires_on else None,
                "status": license_status(held, on),
                "verified_on": held.verified_on.isoformat()
                if held.verified_on and held.is_verified(on)
                else None,
            }
            for held in profile.authorities
        ],
        identity=_identity(profile),
        practice_states={
            state: {
                "basis": reach.basis,
                "telehealth_only": reach.telehealth_only,
                "supervised": reach.supervised,
                "verified": reach.verified,
                "through": [
                    {
                        "basis": a.basis,
                        "kind": a.kind,
                        "home_state": a.home_state,
                        "telehealth_only": a.telehealth_only,
                        "verified": a.verified,
                        "expires_on": a.expires_on.isoformat() if a.expires_on else None,
                        "reason": a.describe(compacts),
                    }
                    for a in reach.authorities
                ],
            }
            for state, reach in view.authorities.items()
        },
        checklist={
            "met": view.checklist.met,
            "total": view.checklist.total,
            "summary": view.checklist.summary,
            "criteria": [
                {
                    "key": c.key,
                    "title": c.title,
                    "status": c.status,
                    "met": c.met,
                    "evidence": c.evidence,
                }
                for c in view.checklist.criteria
            ],
        },
    )
    return data


def _identity(profile: Profile) -> dict[str, Any]:
    return {
        "gender": profile.gender_identity or None,
        "cultural_background": profile.cultural_background or None,
        "faith": profile.faith or None,
        "lgbtq": profile.lgbtq,
    }


def result_json(
    result: SearchResult,
    practitioners: list[Practitioner | Card],
    on: date,
    distances: dict[int, float] | None = None,
) -> dict[str, Any]:
    """Return a search result as the API's JSON document (with each office's distance from the
    searched place, when there is one)."""
    hits = {h.id: h for h in result.hits}
    items = []
    for p in practitioners:
        item = practitioner_json(p, on)
        hit = hits[p.id]
        item["score"] = hit.score
        if distances is not None and p.id in distances:
            item["distance_miles"] = round(distances[p.id], 1)
        item["highlights"] = [
            [{"text": text, "match": matched} for text, matched in fragment]
            for fragment in hit.highlights
        ]
        items.append(item)
    return {
        "total": result.total,
        "page": result.params.page,
        "per_page": result.params.per_page,
        "results": items,
        "facets": {name: result.facets.get(name, {}) for name in FACETS},
        "suggestion": result.suggestion,
        "relax": [
            {"filter": r.name, "label": r.label, "total": r.count} for r in result.relaxations
        ],
    }
