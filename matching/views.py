"""The questionnaire, results, compare, the consultation kit and the matching API."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue

from directory.browse.services import ProfileView, describe, find_profiles
from directory.core import vocabulary as v
from directory.core.profile import ACCEPTING_CONFIRMATION_DAYS, license_status
from directory.practitioners.queries import get_practitioner
from directory.sqlite import read_only
from directory.web import external_url, safe_next
from matching import coefficients as c
from matching.answer_store import forget_answers, load_answers, save_answers
from matching.answers import AnswerError, parse_answers
from matching.engine import COMPONENT_LABELS, MatchResult
from matching.explain import exclusion_message, relax_advice
from matching.forms import QuestionnaireForm
from matching.kit import GENERAL_QUESTIONS, questions_for
from matching.preferences import COMPONENTS, IMPORTANCE_LABELS, Preferences
from matching.rules import HARD_RULES
from matching.services import find_matches

bp = Blueprint("matching", __name__)

SHORTLIST = "shortlist"
MAX_SHORTLIST = 4
PAGE = 20


def saved_preferences() -> Preferences | None:
    """Return the answers kept (encrypted) in the session, if any."""
    return load_answers()


def shortlist() -> list[str]:
    """Return the slugs the person added to compare."""
    return list(session.get(SHORTLIST, []))


@bp.app_context_processor
def matching_context() -> dict[str, Any]:
    """Give every page the shortlist, and the directory's pages a way to add to it."""
    return {
        "shortlist_count": len(session.get(SHORTLIST, [])),
        "shortlisted_slugs": shortlist(),
        "compare_form_url": url_for("matching.change_shortlist"),
    }


@bp.route("/match", methods=["GET", "POST"])
def questionnaire() -> ResponseReturnValue:
    """Show the fit questionnaire, or take its answers and go to the results."""
    form = QuestionnaireForm()
    if request.method in ("GET", "HEAD"):
        saved = saved_preferences()
        if saved is not None:
            form.fill(saved)
        return render_template("matching/questionnaire.html", form=form, saved=saved is not None)
    if form.validate():
        prefs = form.to_preferences()
        if prefs is not None:
            save_answers(prefs)
            return redirect(url_for("matching.results"), code=303)
    return render_template("matching/questionnaire.html", form=form, saved=False), 400


@bp.get("/match/results")
def results() -> ResponseReturnValue:
    """Show the ranked, explained matches for the answers in the session."""
    prefs = saved_preferences()
    if prefs is None:
        flash("Answer the questionnaire first: your answers are kept only in this browser "
              "session.")  # fmt: skip
        return redirect(url_for("matching.questionnaire"))
    show = request.args.get("show", PAGE, type=int) or PAGE
    show = max(PAGE, min(show, 200))
    result = find_matches(prefs, limit=show)
    exclusions = sorted(result.excluded.items(), key=lambda kv: -kv[1])
    return render_template(
        "matching/results.html",
        result=result,
        matches=result.matches[:show],
        more=result.count > show,
        next_show=show + PAGE,
        exclusions=[
            (reason, count, exclusion_message(reason, count, prefs)) for reason, count in exclusions
        ],
        advice=relax_advice(result.relaxed, result.excluded, prefs, result.count),
        prefs=prefs,
        shortlisted=set(shortlist()),
    )


@bp.post("/match/forget")
def forget() -> ResponseReturnValue:
    """Clear the answers (for good: their key is deleted) and the shortlist from the session."""
    forget_answers()
    session.pop(SHORTLIST, None)
    flash("Your answers and shortlist were cleared from this browser.")
    return redirect(url_for("matching.questionnaire"), code=303)


@bp.post("/shortlist")
@read_only
def change_shortlist() -> ResponseReturnValue:
    """Add a practitioner to the comparison, or remove them."""
    slug = request.form.get("slug", "")
    back = safe_next(request.form.get("next"), url_for("matching.compare"))
    current = shortlist()
    if request.form.get("action") == "remove":
        # Removing needs no lookup: the profile may have been unpublished since.
        current = [s for s in current if s != slug]
    elif slug not in current:
        get_practitioner(slug)  # 404 for an unknown or unpublished profile
        if len(current) >= MAX_SHORTLIST:
            flash(f"You can compare up to {MAX_SHORTLIST}; remove one first.", "error")
            return redirect(back, code=303)
        current.append(slug)
    session[SHORTLIST] = current
    return redirect(back, code=303)


def _compared() -> list[ProfileView]:
    """Return the profiles to compare: ``?p=`` slugs, else the shortlist (at most four).

    A shortlisted profile unpublished since it was added is dropped quietly; an unknown slug
    in the address is a 404.
    """
    asked = request.args.getlist("p")
    slugs = list(dict.fromkeys(asked or shortlist()))[:MAX_SHORTLIST]
    found = {p.slug: p for p in find_profiles(slugs)}
    if asked and len(found) < len(slugs):
        abort(404)
    if not asked and len(found) < len(slugs):
        session[SHORTLIST] = [s for s in slugs if s in found]
    return [describe(found[s]) for s in slugs if s in found]


@bp.get("/compare")
def compare() -> ResponseReturnValue:
    """Show two to four practitioners side by side."""
    views = _compared()
    return render_template(
        "matching/compare.html", views=views, license_status=license_status,
        max_shortlist=MAX_SHORTLIST,
    )  # fmt: skip


@bp.get("/match/kit")
def kit() -> ResponseReturnValue:
    """Show a printable list of questions to ask each shortlisted practitioner."""
    prefs = saved_preferences()
    views = _compared()
    return render_template(
        "matching/kit.html",
        general=GENERAL_QUESTIONS,
        items=[(view, questions_for(view.profile, prefs)) for view in views],
        personal=prefs is not None,
    )


@bp.get("/match/how-it-works")
def how_it_works() -> ResponseReturnValue:
    """Explain the hard rules, the components, their weights and the numbers inside them."""
    return render_template(
        "matching/how_it_works.html",
        rules=HARD_RULES,
        components=[(k, COMPONENT_LABELS[k], c.BASE_WEIGHTS[k]) for k in COMPONENTS],
        multipliers=[(IMPORTANCE_LABELS[n], m) for n, m in c.IMPORTANCE_MULTIPLIERS.items()],
        details=_component_details(),
        confirmation_days=ACCEPTING_CONFIRMATION_DAYS,
        expiry_days=c.EXPIRY_WARNING_DAYS,
    )


def _component_details() -> list[tuple[str, str]]:
    """Return, per area, how its 0-1 score is made, with the engine's own numbers."""
    credits = ", ".join(
        f"{v.TRAINING_LEVELS[level].name.lower()} {credit:g}"
        for level, credit in c.TRAINING_CREDIT.items()
    )
    details = [
        ("approach", f"Training in an approach you'd like counts by level ({credits}): "
         f"{c.LIKED_BEST_SHARE:g} for the best of them and {c.LIKED_COVERAGE_SHARE:g} for how "
         f"many are offered. How they work counts {c.FAMILY_SHARE:g} for the family of "
         f"approaches and {c.STYLE_SHARE:g} for their own style. A pace you chose counts "
         f"{c.PACE_PART_WEIGHT:g} beside them: the same pace 1, one step away "
         f"{c.PACE_FIT_BY_STEPS[1]:g}, the opposite {c.PACE_FIT_BY_STEPS[2]:g}, a profile that "
         f"doesn't say {c.PACE_UNSTATED:g}. Each approach you'd avoid takes "
         f"{c.AVOIDED_PENALTY:g} off."),
        ("concerns", f"{c.CONCERNS_SHARE:g} for the share of your concerns they work with, "
         f"{c.NEGLECT_SHARE:g} for experience with emotional neglect."),
        ("qualifications", "The share of the guide's eight criteria the profile meets."),
        ("cost", f"A fee within your budget scores from {c.WITHIN_BUDGET:g} (at your limit) to 1 "
         f"(free), so it always beats needing a sliding scale; a sliding scale that reaches "
         f"your budget {c.SLIDING_WITHIN_BUDGET:g}; your "
         f"insurance accepted 1. Needing a sliding scale where the list fee is over your "
         f"budget (or you gave none) and there is none multiplies the score by "
         f"{c.NO_SLIDING_SCALE:g}."),
        ("culture", f"Each thing you asked for counts {c.CULTURE_PART_WEIGHT:g}; the communities "
         f"a therapist lists count {c.COMMUNITY_PART_WEIGHT:g}, being weaker evidence. "
         "Backgrounds, faiths and genders are matched by meaning, through a vocabulary of "
         "whole phrases with their synonyms and broader terms (Black covers African American; "
         "non-binary covers genderqueer and they/them); other words only as a whole phrase. "
         "Your values are not scored: a card quotes them where a profile mentions them, and "
         "your consultation kit asks about them."),
        ("logistics", f"Each of evening hours, weekend hours, a free consultation, how often "
         f"and how long (a typical course inside what you expect 1, outside it "
         f"{c.COURSE_OUTSIDE:g}; a profile that doesn't say {c.UNSTATED:g}) and the share of "
         f"your access needs listed counts alike, for what you asked; an office at the edge "
         f"of your travel distance still scores "
         f"{1 - c.DISTANCE_PENALTY:g}; with a ZIP code and either format, telehealth from "
         f"someone with no office within reach scores {c.TELEHEALTH_INSTEAD:g}."),
        ("progress", f"{c.METHODS_SHARE:g} for tracking progress the ways you'd like, "
         f"{c.COLLABORATION_SHARE:g} for setting goals together."),
    ]  # fmt: skip
    return [(COMPONENT_LABELS[key], text) for key, text in details]


def result_json(result: MatchResult, limit: int) -> dict[str, Any]:
    """Return a match result as the API's JSON document."""
    return {
        "results": [
            {
                "slug": m.candidate.slug,
                "name": m.candidate.profile.name,
                "url": external_url("directory.profile", slug=m.candidate.slug),
                # No score when no area counted: the guide's checklist ordered the list.
                "score": m.score if m.weighted else None,
                "weighted": m.weighted,
                "components": [
                    {
                        "key": c.key,
                        "label": c.label,
                        "score": c.score,
                        "weight": c.weight,
                        "reason": c.reason,
                    }
                    for c in m.components
                ],
                "caveats": list(m.caveats),
            }
            for m in result.matches[:limit]
        ],
        "excluded": dict(result.excluded),
        "considered": result.considered,
        # With fewer than five matches: how many more each answer relaxed alone would bring.
        "more_if_relaxed": dict(result.relaxed),
    }


@bp.post("/api/v1/match")
@read_only
def api_match() -> ResponseReturnValue:
    """Return ranked, explained matches for answers sent as JSON (nothing is stored)."""
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # absurdly deep nesting is bad input, not a server error
        data = None
    if not isinstance(data, dict):
        return jsonify(error="Bad Request", message="body: send the answers as a JSON object",
                       errors={"body": "must be a JSON object"}), 400  # fmt: skip
    body = dict(data)
    limit = body.pop("limit", 20)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 200:
        return jsonify(error="Bad Request", message="limit: must be a whole number from 1 to 200",
                       errors={"limit": "must be a whole number from 1 to 200"}), 400  # fmt: skip
    try:
        prefs = parse_answers(body)
    except AnswerError as exc:
        first = next(iter(exc.problems))
        return jsonify(error="Bad Request", message=f"{first}: {exc.problems[first]}",
                       errors=exc.problems), 400  # fmt: skip
    return jsonify(result_json(find_matches(prefs, limit=limit), limit))


@bp.app_template_global()
def state_name(code: str) -> str:
    """Return a state's name for templates."""
    return v.state_name(code)
