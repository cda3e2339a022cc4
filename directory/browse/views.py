"""Pages and JSON endpoints for browsing the directory."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, jsonify, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from directory.browse.forms import RADIUS_CHOICES, SearchForm
from directory.browse.services import ProfileView, describe, run_search
from directory.core import vocabulary as v
from directory.core.profile import license_status
from directory.practitioners.models import Practitioner
from directory.practitioners.queries import get_practitioner
from directory.search import FACETS, SearchParams, SearchResult
from directory.web import today

bp = Blueprint("directory", __name__)

# Query parameters, in the order they appear in URLs we build.
PARAM_NAMES = (
    "q", "state", "zip", "radius", "license", "approach", "concern", "language", "format",
    "accepting", "max_fee", "insurance", "free_consultation", "verified", "sort", "page",
    "per_page",
)  # fmt: skip


def params_to_args(params: SearchParams, **changes: Any) -> MultiDict:
    """Return URL query arguments that reproduce ``params`` (with ``changes`` applied)."""
    values: dict[str, Any] = {
        "q": params.q,
        "state": params.state,
        "zip": params.zip,
        "radius": params.radius if params.zip else None,
        "license": params.license,
        "approach": list(params.approach),
        "concern": list(params.concern),
        "language": list(params.language),
        "format": params.format,
        "accepting": "1" if params.accepting else None,
        "max_fee": params.max_fee,
        "insurance": params.insurance,
        "free_consultation": "1" if params.free_consultation else None,
        "verified": "1" if params.verified else None,
        "sort": params.sort if params.sort != "relevance" else None,
        "page": params.page if params.page != 1 else None,
        "per_page": params.per_page if params.per_page != 20 else None,
    }
    values.update(changes)
    args = MultiDict()
    for name in PARAM_NAMES:
        value = values.get(name)
        for item in value if isinstance(value, list) else [value]:
            if item not in (None, ""):
                args.add(name, item)
    return args


def search_url(params: SearchParams, **changes: Any) -> str:
    """Return the /therapists URL for ``params`` with ``changes`` applied."""
    return url_for("directory.search", **params_to_args(params, **changes).to_dict(flat=False))


@bp.app_template_filter("names")
def names_filter(keys, vocab: dict) -> list[str]:
    """Return the human names of vocabulary keys, in order."""
    out = []
    for key in keys:
        term = vocab.get(key, key)
        out.append(
            term if isinstance(term, str) else term[0] if isinstance(term, tuple) else term.name
        )
    return out


@bp.app_context_processor
def vocabulary_context() -> dict[str, Any]:
    """Make the vocabulary available to every template as ``v``."""
    return {"v": v}


@bp.get("/")
def index():
    """Show what the site is and the two ways in."""
    return render_template("directory/index.html", form=SearchForm(formdata=None))


@bp.get("/therapists")
def search():
    """Show the directory search with results, facets and suggestions."""
    form = SearchForm(request.args)
    if not form.validate():
        return render_template(
            "directory/search.html", form=form, result=None, practitioners=[],
            radius_choices=RADIUS_CHOICES,
        ), 400  # fmt: skip
    params = form.to_params()
    result, practitioners = run_search(params)
    return render_template(
        "directory/search.html",
        form=form,
        result=result,
        practitioners=practitioners,
        hits={h.id: h for h in result.hits},
        search_url=search_url,
        today=today(),
        radius_choices=RADIUS_CHOICES,
        facet_names={
            "approach": ("Approach", v.APPROACHES),
            "license": ("License", v.LICENSE_KINDS),
            "language": ("Language", v.LANGUAGES),
            "format": ("Format", v.FORMATS),
        },
    )


@bp.get("/therapists/<slug>")
def profile(slug: str):
    """Show one practitioner's profile with the guide's checklist and license receipt."""
    view = describe(get_practitioner(slug))
    return render_template(
        "directory/profile.html", view=view, p=view.practitioner, license_status=license_status
    )


def practitioner_json(p: Practitioner, on: date, view: ProfileView | None = None) -> dict[str, Any]:
    """Return the public JSON of a practitioner as of ``on`` (summary, or whole with ``view``)."""
    data: dict[str, Any] = {
        "slug": p.slug,
        "url": url_for("directory.profile", slug=p.slug, _external=True),
        "name": p.name,
        "pronouns": p.pronouns,
        "credentials": p.credentials,
        "headline": p.headline,
        "licenses": [
            {
                "kind": lic.kind,
                "state": lic.state,
                # Never "verified" for an expired license.
                "status": license_status(lic.to_facts(), on),
                "supervised": lic.supervised,
            }
            for lic in p.licenses
        ],  # fmt: skip
        "approaches": [{"key": a.approach, "level": a.level} for a in p.approaches],
        "concerns": list(p.concerns),
        "languages": list(p.languages),
        "formats": p.formats,
        "city": p.city,
        "state": p.state,
        "zip": p.zip,
        "fee": p.fee,
        "sliding_scale_min": p.sliding_scale_min,
        "insurance": list(p.insurance),
        "free_consultation": p.free_consultation,
        "accepting_new_clients": p.accepting_new_clients,
        "accepting_confirmed_on": (
            p.accepting_confirmed_on.isoformat() if p.accepting_confirmed_on else None
        ),
        "accepting_confirmed_recently": p.accepting_confirmed(on),
        "sample": p.sample,
    }
    if view is None:
        return data
    data["licenses"] = [
        {
            "kind": lic.kind,
            "state": lic.state,
            "number": lic.number,
            "expires_on": lic.expires_on.isoformat(),
            "status": license_status(lic, on),
            "verified_on": lic.verified_on.isoformat() if lic.is_verified(on) else None,
            "supervised": lic.supervised,
            "supervisor_name": lic.supervisor_name,
            "supervisor_license": lic.supervisor_license,
        }
        for lic in view.profile.licenses
    ]
    prof = view.profile
    data.update(
        bio=prof.bio,
        identity={
            "gender": prof.gender_identity or None,
            "cultural_background": prof.cultural_background or None,
            "faith": prof.faith or None,
            "lgbtq": prof.lgbtq,
        },
        psypact_apit=prof.psypact_apit,
        counseling_privileges=list(prof.counseling_privileges),
        practice_states={
            state: {
                "basis": a.basis,
                "telehealth_only": a.telehealth_only,
                "supervised": a.supervised,
                "verified": a.verified,
            }
            for state, a in sorted(view.authorities.items())
        },  # fmt: skip
        attachment_training=prof.attachment_training,
        emotion_regulation_training=prof.emotion_regulation_training,
        neglect_experience=prof.neglect_experience,
        years_in_practice=prof.years_in_practice,
        style=prof.style,
        collaborative_goals=prof.collaborative_goals,
        progress_tracking=list(prof.progress_tracking),
        supervision=prof.supervision,
        ce_hours_2y=prof.ce_hours_2y,
        confidentiality_discussed=prof.confidentiality_discussed,
        typical_course_weeks=prof.typical_course_weeks,
        booster_sessions=prof.booster_sessions,
        wheelchair_accessible=prof.wheelchair_accessible,
        communities=list(prof.communities),
        evening_hours=prof.evening_hours,
        weekend_hours=prof.weekend_hours,
        checklist={
            "met": view.checklist.met,
            "total": view.checklist.total,
            "summary": view.checklist.summary,
            "criteria": [
                {"key": c.key, "title": c.title, "met": c.met, "evidence": c.evidence}
                for c in view.checklist.criteria
            ],
        },
    )
    return data


def _bad_request(form: SearchForm):
    errors = {name: list(errs) for name, errs in form.errors.items()}
    first = next(iter(errors))
    return jsonify(
        error="Bad Request",
        message=f"{first}: {errors[first][0]}",
        errors=errors,
    ), 400


def result_json(result: SearchResult, practitioners: list[Practitioner]) -> dict[str, Any]:
    """Return a search result as the API's JSON document."""
    hits = {h.id: h for h in result.hits}
    on = today()
    items = []
    for p in practitioners:
        item = practitioner_json(p, on)
        hit = hits[p.id]
        item["score"] = hit.score
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


@bp.get("/api/v1/practitioners")
def api_search():
    """Return a page of search results as JSON."""
    form = SearchForm(request.args)
    unknown = sorted(set(request.args) - set(PARAM_NAMES))
    if unknown:
        return jsonify(
            error="Bad Request",
            message=f"{unknown[0]}: unknown parameter",
            errors={name: ["unknown parameter"] for name in unknown},
        ), 400
    if not form.validate():
        return _bad_request(form)
    result, practitioners = run_search(form.to_params())
    return jsonify(result_json(result, practitioners))


@bp.get("/api/v1/practitioners/<slug>")
def api_profile(slug: str):
    """Return one whole public profile, with the guide's checklist, as JSON."""
    p = get_practitioner(slug)
    view = describe(p)
    return jsonify(practitioner_json(p, view.today, view))
