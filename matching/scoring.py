"""The matching engine: hard requirements, explained soft components, and the ranking.

Pure Python over plain data: no Flask, no SQLAlchemy. The web views, the JSON API and the
benchmarks all call ``rank``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from directory.core import vocabulary as v
from directory.core.authority import Authority, authorities_by_state, best_authority
from directory.core.checklist import Checklist, evaluate
from directory.core.compacts import Compacts
from directory.core.geography import haversine_miles
from directory.core.profile import Profile
from matching.preferences import COMPONENTS, GENDER_CHOICES, Preferences

# Why each soft component weighs what it does, before the person's own importance answers:
# accommodating a client's preferences (approach, format, therapist traits) improves outcomes
# (d = .28) and halves dropout (Swift et al. 2018); culture matters more still to clients
# (matching preferred d = .63; client-rated cultural competence r = .38 with outcome), while
# fine-grained style matching showed no effect on outcome (2021), so style is only a small
# part of "approach". Routine progress monitoring helps clients not on track (g = .36-.53).
BASE_WEIGHTS: dict[str, float] = {
    "approach": 1.0,
    "concerns": 1.0,
    "qualifications": 1.0,
    "cost": 1.0,
    "culture": 1.25,
    "logistics": 0.75,
    "progress": 0.75,
}
IMPORTANCE_MULTIPLIERS = {0: 0.0, 1: 1.0, 2: 2.0}
COMPONENT_LABELS = {
    "approach": "Way of working",
    "concerns": "What brings you",
    "qualifications": "The guide's checklist",
    "cost": "Cost",
    "culture": "Culture and identity",
    "logistics": "Scheduling and travel",
    "progress": "Tracking progress",
}
TRAINING_CREDIT = {"workshop": 0.6, "intensive": 0.8, "certified": 1.0, "trainer": 1.0}
STYLE_TARGETS = {"structured": 1.5, "exploratory": 4.5, "mix": 3.0, "unsure": 3.0}

# Hard requirements, in the order they are checked; an excluded practitioner is counted once,
# under the first requirement they fail.
HARD_RULES: dict[str, str] = {
    "license": "may legally see clients in the state you'll be in: a license there, or for "
    "telehealth a PSYPACT authority (psychologists, both states members) or a Counseling "
    "Compact privilege for that state; an expired or rejected license never counts",
    "associate": "is not a pre-licensed associate, if you said associates aren't for you",
    "format": "offers the format you asked for (an office in your state for in-person sessions)",
    "distance": "has an office within the distance you'd travel, for in-person sessions",
    "accepting": "is accepting new clients",
    "language": "offers sessions in a language you need, if you marked it as required",
    "cost": "fits your budget, if you marked cost as a firm limit: a fee within it, a "
    "sliding-scale minimum within it, or your insurance plan accepted",
    "avoided_approach": "doesn't use an approach you asked to exclude",
}


@dataclass(frozen=True)
class Candidate:
    """A practitioner as the engine sees them."""

    id: int
    slug: str
    profile: Profile
    location: tuple[float, float] | None = None
    # The guide's checklist as of the ranking date, when a caller has it already (it depends
    # only on the profile and the date, so a cache can keep it).
    checklist: Checklist | None = None


@dataclass(frozen=True)
class Component:
    """One soft component of a match: a 0-1 score, its weight and a plain-words reason."""

    key: str
    label: str
    score: float
    weight: float
    reason: str


@dataclass(frozen=True)
class Match:
    """A practitioner who meets every hard requirement, with the explained score."""

    candidate: Candidate
    score: int
    raw: float
    components: tuple[Component, ...]
    caveats: tuple[str, ...]
    checklist: Checklist
    distance_miles: float | None


@dataclass(frozen=True)
class MatchResult:
    """Ranked matches, and how many practitioners each hard requirement excluded."""

    matches: tuple[Match, ...]
    excluded: dict[str, int]
    # How many meet every requirement, when ``matches`` holds only the best of them.
    total: int | None = None

    @property
    def count(self) -> int:
        """Return how many practitioners meet every requirement."""
        return len(self.matches) if self.total is None else self.total

    @property
    def considered(self) -> int:
        """Return how many practitioners were considered in all."""
        return self.count + sum(self.excluded.values())


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _short_name(name: str) -> str:
    found = re.search(r"\(([^)]+)\)$", name)
    return found.group(1) if found else name


# "DBT" for "Dialectical Behavior Therapy (DBT)", worked out once.
SHORT_NAMES = {key: _short_name(term.name) for key, term in v.APPROACHES.items()}


def _short(key: str) -> str:
    """Return an approach's short name."""
    return SHORT_NAMES[key]


@dataclass(frozen=True)
class _Fit:
    authority: Authority | None
    in_person_ok: bool
    telehealth_ok: bool
    distance: float | None


def failed_requirement(
    prefs: Preferences, cand: Candidate, authorities: Mapping[str, list[Authority]]
) -> tuple[str | None, _Fit]:
    """Return the first hard requirement the candidate fails (or None), and the format fit.

    ``authorities`` lists every authority per state (``authorities_by_state``): a pending
    in-state license allows in-person sessions even where a verified PSYPACT authority covers
    telehealth only, so the requirement is judged on the authorities that fit the format.
    """
    p = cand.profile
    distance = None
    if prefs.origin and cand.location and p.in_person:
        distance = haversine_miles(prefs.origin, cand.location)
    everything = authorities.get(prefs.state, [])
    if not everything:
        return "license", _Fit(None, False, False, distance)
    usable = [a for a in everything if prefs.allow_associates or not a.supervised]
    if not usable:
        return "associate", _Fit(None, False, False, distance)
    in_person_auths = [a for a in usable if not a.telehealth_only]
    office_here = p.in_person and p.state == prefs.state and bool(in_person_auths)
    near = prefs.origin is None or (distance is not None and distance <= prefs.distance_limit)
    in_person_ok = office_here and near and prefs.format != "telehealth"
    telehealth_ok = p.telehealth and prefs.format != "in_person"
    if in_person_ok:
        auth = best_authority(in_person_auths)
    elif telehealth_ok:
        auth = best_authority(usable)
    else:
        auth = None
    fit = _Fit(auth, in_person_ok, telehealth_ok, distance)
    if auth is None:
        return ("distance" if office_here and prefs.format != "telehealth" else "format"), fit
    if not p.accepting_new_clients:
        return "accepting", fit
    if prefs.language_required and prefs.languages:
        if not set(prefs.languages) & set(p.languages):
            return "language", fit
    if prefs.cost_is_firm_limit and prefs.max_fee is not None:
        insured = prefs.insurance is not None and prefs.insurance in p.insurance
        if not (p.lowest_fee <= prefs.max_fee or insured):
            return "cost", fit
    if prefs.exclude_avoided and set(prefs.approaches_avoided) & set(p.approach_keys):
        return "avoided_approach", fit
    return None, fit


def _approach(prefs: Preferences, p: Profile) -> tuple[float, bool, str]:
    offered = dict(p.approaches)
    reasons: list[str] = []
    parts: list[tuple[float, float]] = []
    if prefs.approaches_liked:
        credits = [TRAINING_CREDIT[offered[k]] for k in prefs.approaches_liked if k in offered]
        coverage = len(credits) / len(prefs.approaches_liked)
        liked = 0.6 * max(credits, default=0.0) + 0.4 * coverage
        parts.append((liked, 0.6))
        shared = [
            f"{_short(k)} ({v.TRAINING_LEVELS[offered[k]].name.lower()})"
            for k in prefs.approaches_liked
            if k in offered
        ]
        if shared:
            reasons.append(f"Offers {_join(shared)}, which you'd like")
        else:
            reasons.append("Offers none of the approaches you'd like")
    family = {
        "structured": v.STRUCTURED_APPROACHES,
        "exploratory": v.EXPLORATORY_APPROACHES,
    }.get(prefs.approach_preference)
    target = STYLE_TARGETS[prefs.approach_preference]
    style_fit = 1 - abs(p.style - target) / 4
    if family is not None:
        family_fit = max(
            (TRAINING_CREDIT[lvl] for k, lvl in p.approaches if k in family), default=0
        )
        word = prefs.approach_preference
        reasons.append(
            f"works in a {word} way, as you prefer"
            if family_fit and style_fit >= 0.6
            else f"leans less {word} than you'd like"
        )
    else:
        # "Some mix of both often works best" (the guide): for "a mix" and "not sure", value
        # a practitioner who offers both structured and exploratory work.
        has_both = bool(set(p.approach_keys) & v.STRUCTURED_APPROACHES) and bool(
            set(p.approach_keys) & v.EXPLORATORY_APPROACHES
        )
        family_fit = 1.0 if has_both else 0.6
        reasons.append(
            "blends structured skills with exploratory work"
            if has_both
            else "works mostly in one style rather than a mix"
        )
    # Fine-grained style matching showed no effect on outcome: it counts for a little.
    parts.append((0.75 * family_fit + 0.25 * style_fit, 0.4 if prefs.approaches_liked else 1.0))
    score = sum(s * w for s, w in parts) / sum(w for _, w in parts)
    avoided = [k for k in prefs.approaches_avoided if k in offered]
    if avoided:
        score = max(0.0, score - 0.25 * len(avoided))
        reasons.append(f"also uses {_join([_short(k) for k in avoided])}, which you'd avoid")
    text = "; ".join(reasons)
    return score, True, text[0].upper() + text[1:] + "."


def _concerns(prefs: Preferences, p: Profile) -> tuple[float, bool, str]:
    neglect = " and with emotional neglect" if p.neglect_experience else ""
    if prefs.concerns:
        shared = [k for k in prefs.concerns if k in p.concerns]
        score = 0.8 * len(shared) / len(prefs.concerns) + 0.2 * p.neglect_experience
        if shared:
            names = _join([v.CONCERNS[k].name.lower() for k in shared])
            return score, True, (
                f"Works with {len(shared)} of the {len(prefs.concerns)} concerns you named "
                f"({names}){neglect}."
            )  # fmt: skip
        return score, True, f"Lists none of the concerns you named{neglect or ''}."
    score = 0.5 + 0.5 * p.neglect_experience
    if p.neglect_experience:
        return score, True, "Experienced with emotional neglect (you didn't name concerns)."
    return score, True, "Doesn't list experience with emotional neglect."


def _qualifications(checklist: Checklist) -> tuple[float, bool, str]:
    unmet = [c.title.lower() for c in checklist.criteria if not c.met]
    text = f"{checklist.summary}"
    if unmet:
        text += f"; missing: {_join(unmet[:2])}"
    return checklist.met / checklist.total, True, text + "."


def _money(amount: int) -> str:
    return f"${amount:,}"


def _cost(prefs: Preferences, p: Profile) -> tuple[float, bool, str]:
    relevant = prefs.max_fee is not None or prefs.insurance or prefs.needs_sliding_scale
    if not relevant:
        return 1.0, False, "You didn't set a budget, insurance or a need for a sliding scale."
    insured = prefs.insurance is not None and prefs.insurance in p.insurance
    if insured:
        score = 1.0
        text = f"Takes your insurance ({v.INSURANCE_PLANS[prefs.insurance]})"
    elif prefs.max_fee is not None:
        budget = max(prefs.max_fee, 1)
        if p.fee <= prefs.max_fee:
            score = 0.7 + 0.3 * (1 - p.fee / budget)
            text = f"{_money(p.fee)} a session, within your {_money(prefs.max_fee)}"
        elif p.sliding_scale_min is not None and p.sliding_scale_min <= prefs.max_fee:
            score = 0.6
            text = (
                f"{_money(p.fee)} a session with a sliding scale from "
                f"{_money(p.sliding_scale_min)}, within your {_money(prefs.max_fee)}"
            )
        else:
            score = max(0.0, 0.5 - (p.lowest_fee - prefs.max_fee) / budget)
            text = f"{_money(p.lowest_fee)} at the least, more than your {_money(prefs.max_fee)}"
    else:
        score = 0.5
        text = f"{_money(p.fee)} a session"
        if prefs.insurance:
            text += f"; doesn't take {v.INSURANCE_PLANS[prefs.insurance]}"
    if prefs.needs_sliding_scale:
        if p.sliding_scale_min is not None:
            if "sliding scale" not in text:
                text += f"; sliding scale from {_money(p.sliding_scale_min)}"
        else:
            score *= 0.6
            text += "; no sliding scale"
    return score, True, text + "."


def _gender_of(text: str) -> str | None:
    t = text.casefold()
    if "non" in t and "binary" in t:
        return "non_binary"
    if re.search(r"\b(woman|female)\b", t):
        return "woman"
    if re.search(r"\b(man|male)\b", t):
        return "man"
    return None


def _words_overlap(wanted: str, described: str) -> bool:
    words = {w for w in re.findall(r"[^\W\d_]{3,}", wanted.casefold())}
    return bool(words & set(re.findall(r"[^\W\d_]{3,}", described.casefold())))


def _culture(prefs: Preferences, p: Profile) -> tuple[float, bool, str]:
    parts: list[tuple[float, float]] = []
    good: list[str] = []
    bad: list[str] = []
    if prefs.languages and not (prefs.language_required and len(prefs.languages) == 1):
        shared = [v.LANGUAGES[c] for c in prefs.languages if c in p.languages]
        parts.append((1.0 if shared else 0.0, 1.0))
        (good if shared else bad).append(
            f"sessions in {_join(shared)}" if shared else "none of your languages"
        )
    elif prefs.languages:
        good.append(f"sessions in {v.LANGUAGES[prefs.languages[0]]}")
    if prefs.communities:
        shared = [k for k in prefs.communities if k in p.communities]
        # A self-applied community tag is weak evidence (therapists' self-rated cultural
        # competence barely predicts outcome), so it counts for half.
        parts.append((len(shared) / len(prefs.communities), 0.5))
        if shared:
            good.append("experienced with " + _join([v.COMMUNITIES[k] for k in shared]))
        else:
            bad.append("lists none of the communities you named")
    if prefs.therapist_gender:
        same = _gender_of(p.gender_identity) == prefs.therapist_gender
        parts.append((1.0 if same else 0.0, 1.0))
        (good if same else bad).append(
            f"is {GENDER_CHOICES[prefs.therapist_gender].lower()}, as you asked"
            if same
            else "doesn't match the gender you asked for"
        )
    for wanted, described, label in (
        (prefs.therapist_background, p.cultural_background, "cultural background"),
        (prefs.therapist_faith, p.faith, "faith"),
    ):
        if wanted:
            same = _words_overlap(wanted, described)
            parts.append((1.0 if same else 0.0, 1.0))
            (good if same else bad).append(
                f"shares the {label} you asked for" if same else f"a different {label}"
            )
    if prefs.therapist_lgbtq:
        parts.append((1.0 if p.lgbtq else 0.0, 1.0))
        (good if p.lgbtq else bad).append(
            "identifies as LGBTQ+" if p.lgbtq else "doesn't say they're LGBTQ+"
        )
    if not parts:
        text = "You didn't ask for a language, community or identity"
        if good:
            text = good[0][0].upper() + good[0][1:]
        return 1.0, False, text + "."
    score = sum(s * w for s, w in parts) / sum(w for _, w in parts)
    text = "; ".join(good + bad)
    return score, True, text[0].upper() + text[1:] + "."


def _logistics(prefs: Preferences, p: Profile, fit: _Fit) -> tuple[float, bool, str]:
    parts: list[float] = []
    notes: list[str] = []
    for asked, has, yes, no in (
        (prefs.evenings, p.evening_hours, "evening hours", "no evening hours"),
        (prefs.weekends, p.weekend_hours, "weekend hours", "no weekend hours"),
        (prefs.free_consultation, p.free_consultation, "a free consultation",
         "no free consultation"),
    ):  # fmt: skip
        if asked:
            parts.append(1.0 if has else 0.0)
            notes.append(yes if has else no)
    if fit.in_person_ok and fit.distance is not None and prefs.format != "telehealth":
        parts.append(max(0.0, 1 - 0.5 * fit.distance / prefs.distance_limit))
        miles = round(fit.distance)
        notes.append(f"office {miles} mile{'' if miles == 1 else 's'} away")
    elif prefs.format == "either" and prefs.origin and fit.telehealth_ok and not fit.in_person_ok:
        notes.append("telehealth only within your travel distance")
    if not parts:
        return 1.0, False, "You didn't ask about hours, travel or a consultation."
    text = "; ".join(notes)
    return sum(parts) / len(parts), True, text[0].upper() + text[1:] + "."


def _progress(prefs: Preferences, p: Profile) -> tuple[float, bool, str]:
    methods = [v.PROGRESS_METHODS[m].name.lower() for m in p.progress_tracking]
    collab = "sets goals together" if p.collaborative_goals else "doesn't say goals are shared"
    if prefs.progress_tracking:
        shared = [m for m in prefs.progress_tracking if m in p.progress_tracking]
        score = 0.7 * len(shared) / len(prefs.progress_tracking) + 0.3 * p.collaborative_goals
        if shared:
            names = _join([v.PROGRESS_METHODS[m].name.lower() for m in shared])
            return score, True, f"Tracks progress with {names}, as you'd like; {collab}."
        return score, True, f"Doesn't track progress the way you'd like; {collab}."
    score = 0.5 * bool(methods) + 0.5 * p.collaborative_goals
    tracked = f"Tracks progress with {_join(methods)}" if methods else "Doesn't say how"
    return score, True, f"{tracked}; {collab}."


def _caveats(cand: Candidate, auth: Authority, today: date) -> tuple[str, ...]:
    p = cand.profile
    out: list[str] = []
    if not auth.verified:
        out.append("License not yet verified")
    if auth.supervised:
        lic = next((x for x in p.licenses if x.supervised and x.state == auth.state), None)
        if lic is not None:
            out.append(
                f"Associate under the supervision of {lic.supervisor_name} "
                f"({lic.supervisor_license})"
            )
    if auth.basis == "psypact":
        out.append("Telehealth only, through a PSYPACT authority")
    if auth.basis == "counseling":
        out.append("Practises in this state through a Counseling Compact privilege")
    if p.accepting_new_clients and not p.accepting_confirmed(today):
        out.append("Accepting new clients not confirmed recently")
    soon = [
        lic for lic in p.licenses
        if lic.state == auth.state and lic.is_valid(today)
        and (lic.expires_on - today).days <= 60
    ]  # fmt: skip
    if soon:
        out.append(f"License expires {soon[0].expires_on.isoformat()}")
    if p.sample:
        out.append("Fictional sample profile")
    return tuple(out)


def weights_for(prefs: Preferences) -> dict[str, float]:
    """Return each component's weight: the research default times the person's importance."""
    return {
        key: BASE_WEIGHTS[key] * IMPORTANCE_MULTIPLIERS[prefs.importance_of(key)]
        for key in COMPONENTS
    }


def score_candidate(
    prefs: Preferences,
    cand: Candidate,
    fit: _Fit,
    checklist: Checklist,
    weights: Mapping[str, float] | None = None,
) -> tuple[float, tuple[Component, ...]]:
    """Return the 0-1 weighted score and every component with its reason."""
    p = cand.profile
    weights = weights if weights is not None else weights_for(prefs)
    found = {
        "approach": _approach(prefs, p),
        "concerns": _concerns(prefs, p),
        "qualifications": _qualifications(checklist),
        "cost": _cost(prefs, p),
        "culture": _culture(prefs, p),
        "logistics": _logistics(prefs, p, fit),
        "progress": _progress(prefs, p),
    }
    components = tuple(
        Component(
            key=key,
            label=COMPONENT_LABELS[key],
            score=round(min(1.0, max(0.0, found[key][0])), 3),
            # Nothing to compare means it must not move the ranking either way.
            weight=weights[key] if found[key][1] else 0.0,
            reason=found[key][2],
        )
        for key in COMPONENTS
    )
    total = sum(c.weight for c in components)
    if total == 0:
        # Everything was marked unimportant: fall back to the guide's checklist alone.
        return checklist.met / checklist.total, components
    return sum(c.score * c.weight for c in components) / total, components


def rank(
    prefs: Preferences,
    candidates: Iterable[Candidate],
    today: date,
    compacts: Compacts,
    pre_excluded: Mapping[str, int] | None = None,
) -> MatchResult:
    """Apply the hard requirements, score everyone left, and rank them best first.

    ``pre_excluded`` counts practitioners a caller already ruled out (for instance those the
    search index shows have no authority at all in the person's state).
    """
    excluded: Counter[str] = Counter(pre_excluded or {})
    matches: list[Match] = []
    weights = weights_for(prefs)
    for cand in candidates:
        authorities = authorities_by_state(cand.profile, today, compacts, only=prefs.state)
        reason, fit = failed_requirement(prefs, cand, authorities)
        if reason is not None:
            excluded[reason] += 1
            continue
        checklist = cand.checklist or evaluate(cand.profile, today)
        raw, components = score_candidate(prefs, cand, fit, checklist, weights)
        matches.append(
            Match(
                candidate=cand,
                score=round(raw * 100),
                raw=raw,
                components=components,
                caveats=_caveats(cand, fit.authority, today),
                checklist=checklist,
                distance_miles=fit.distance,
            )
        )
    # Ties break on the exact score, then the guide's checklist, then name and slug, so the
    # same answers always give the same order.
    matches.sort(
        key=lambda m: (-m.raw, -m.checklist.met, m.candidate.profile.name.casefold(),
                       m.candidate.slug)
    )  # fmt: skip
    return MatchResult(tuple(matches), {k: n for k, n in excluded.items() if n})
