"""Pages and JSON endpoints for browsing the directory."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    current_app,
    get_template_attribute,
    jsonify,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import MultiDict

from directory.browse.forms import RADIUS_CHOICES, SearchForm
from directory.browse.serialize import practitioner_json, result_json
from directory.browse.services import (
    describe,
    find_profile,
    office_distances,
    run_search,
    unmentioned_help,
)
from directory.core import vocabulary as v
from directory.core.compacts import load_compacts
from directory.core.contact import phone_display
from directory.core.profile import license_status
from directory.extensions import db
from directory.form_fields import choice_inputs
from directory.search import SearchParams
from directory.search.sync import search_index
from directory.web import today

bp = Blueprint("directory", __name__)
bp.add_app_template_global(choice_inputs)

# Query parameters, in the order they appear in URLs we build.
PARAM_NAMES = (
    "q", "state", "zip", "radius", "license", "approach", "concern", "language", "access",
    "format",
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
        "access": list(params.access),
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
    args: MultiDict[str, Any] = MultiDict()
    for name in PARAM_NAMES:
        value = values.get(name)
        for item in value if isinstance(value, list) else [value]:
            if item not in (None, ""):
                args.add(name, item)
    return args


def search_url(params: SearchParams, **changes: Any) -> str:
    """Return the /therapists URL for ``params`` with ``changes`` applied."""
    query: dict[str, Any] = params_to_args(params, **changes).to_dict(flat=False)
    return url_for("directory.search", **query)


@bp.app_template_filter("phone")
def phone_filter(e164: str) -> str:
    """Show a stored phone number as people write it."""
    return phone_display(e164)


_MARK, _UNMARK = Markup("<mark>"), Markup("</mark>")


@bp.app_template_filter("marked")
def marked_filter(fragments: tuple) -> Markup:
    """Show a hit's highlighted fragments (runs of (text, matched)) with ``<mark>`` around
    the matched words, fragments a space apart (in Python: a template loop escaped each run
    on its own and cost more than the rest of a result card)."""
    out: list[str] = []
    for fragment in fragments:
        if out:
            out.append(" ")
        out.extend(_MARK + text + _UNMARK if matched else text for text, matched in fragment)
    return Markup("").join(out)


def _macro(template: str, name: str) -> Any:
    """Return a template's macro, looked up once per Jinja environment (kept on it, so it
    goes with its app), unless templates reload."""
    env = current_app.jinja_env
    if env.auto_reload:
        return get_template_attribute(template, name)
    kept: dict[tuple[str, str], Any] | None = getattr(env, "directory_macros", None)
    if kept is None:
        kept = {}
        setattr(env, "directory_macros", kept)  # noqa: B010  (an attribute Jinja lacks)
    found = kept.get((template, name))
    if found is None:
        found = kept[template, name] = get_template_attribute(template, name)
    return found


@bp.app_template_global()
def card_part(name: str, p: Any, today: date) -> Markup:
    """Return a part of a result card (a macro of ``directory/_card.html``) for ``today``:
    made once and kept with a card from the index's features, which the next page showing
    it reuses (a card's parts cost more than the rest of a search page)."""
    macro = _macro("directory/_card.html", name)
    memo = getattr(p, "memo", None)
    if memo is None:  # a practitioner loaded from the database
        part: Markup = macro(p, today, v)
        return part
    key = ("html", name, today, request.script_root)
    kept = memo.get(key)
    if kept is None:
        kept = memo[key] = macro(p, today, v)
    return kept


_FIELDS: OrderedDict[tuple, Markup] = OrderedDict()
_FIELDS_LOCK = threading.Lock()
FIELDS_KEPT = 1024


@bp.app_template_global()
def search_field(field: Any, class_: str = "") -> Markup:
    """Return a search form field as ``render_field`` (``_macros.html``) shows it, the same
    answer kept for the next page (every search page shows nine of them, mostly unchanged,
    and each cost as much as the rest of the form). A field with errors is made afresh."""
    macro = _macro("_macros.html", "render_field")
    if field.errors:
        made: Markup = macro(field, class_)
        return made
    key = (field.name, tuple(field.raw_data or ()), repr(field.data), class_)
    kept = _FIELDS.get(key)
    if kept is None:
        kept = macro(field, class_)
        with _FIELDS_LOCK:
            _FIELDS[key] = kept
            while len(_FIELDS) > FIELDS_KEPT:
                _FIELDS.popitem(last=False)
    return kept


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
    """Make the vocabulary (``v``) and the compact table available to every template."""
    compacts = load_compacts()
    names = {key: kind.name for key, kind in compacts.authority_kinds.items()}
    return {"v": v, "compacts": compacts, "compact_names": names}


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
        notes=form.notes,
        distances=office_distances(params, practitioners),
        unmentioned=unmentioned_help(result),
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


@bp.get("/healthz")
def healthz():
    """Say whether the database and the search index can be reached: 200, or 503 with the
    reason (never a secret: no address, no password)."""
    problems: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
    except (SQLAlchemyError, ImportError) as exc:
        problems["database"] = f"unreachable ({type(exc).__name__})"
    finally:
        db.session.rollback()
    if reason := search_index().health():
        problems["search"] = f"unavailable: {reason}"
    body = {"database": problems.get("database", "ok"), "search": problems.get("search", "ok")}
    body["status"] = "unavailable" if problems else "ok"
    return jsonify(body), 503 if problems else 200


@bp.get("/therapists/<slug>")
def profile(slug: str):
    """Show one practitioner's profile with the guide's checklist and license receipt."""
    view = describe(find_profile(slug))
    return render_template(
        "directory/profile.html", view=view, p=view.practitioner, license_status=license_status
    )


def _bad_request(form: SearchForm):
    errors = {name: list(errs) for name, errs in form.errors.items()}
    first = next(iter(errors))
    return jsonify(
        error="Bad Request",
        message=f"{first}: {errors[first][0]}",
        errors=errors,
    ), 400


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
    params = form.to_params()
    result, practitioners = run_search(params)
    body = result_json(result, practitioners, today(), office_distances(params, practitioners))
    body["notes"] = form.notes
    body["place"] = {"zip": params.zip, "radius": params.radius} if params.zip else None
    body["unmentioned"] = [
        {"word": u.word, "concerns": list(u.concerns), "approaches": list(u.approaches),
         "note": u.note or None}
        for u in unmentioned_help(result)
    ]  # fmt: skip
    return jsonify(body)


@bp.get("/api/v1/practitioners/<slug>")
def api_profile(slug: str):
    """Return one whole public profile, with the guide's checklist, as JSON."""
    p = find_profile(slug)
    view = describe(p)
    return jsonify(practitioner_json(p, view.today, view))
