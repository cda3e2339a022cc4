"""Each component's reason in plain words, for the few candidates shown.

The components (``components.py``) score everyone; only the candidates on the page are
explained, from their profile and the facts their components found, so a reason never works a
rule out again in another way.
"""

from __future__ import annotations

from collections.abc import Callable

from directory.core import vocabulary as v
from matching import coefficients as c
from matching.components import INSURED, OVER, SLIDING, WITHIN
from matching.identity_reasons import culture
from matching.preferences import Preferences
from matching.wording import SHORT_NAMES, Row, join, join_names, miles, money, sentence


def _pace(wanted: str, theirs: str) -> str:
    if not theirs:
        return "doesn't say what pace they work at"
    if theirs == wanted:
        return f"works at a {theirs} pace, as you'd like"
    return f"works at a {theirs} pace; you'd like a {wanted} one"


# The practitioner's own 1-5 style, in words.
STYLE_WORDS = {1: "mostly structured", 2: "leaning structured", 3: "a mix",
               4: "leaning exploratory", 5: "mostly exploratory"}  # fmt: skip


def _family(keys: list[str]) -> str:
    return join([SHORT_NAMES[k] for k in keys])


def _way_of_working(prefs: Preferences, row: Row) -> str:
    """The approach families offered and the practitioner's own style, against the answer."""
    offered = row.profile.approach_keys
    structured = [k for k in offered if k in v.STRUCTURED_APPROACHES]
    exploratory = [k for k in offered if k in v.EXPLORATORY_APPROACHES]
    style = STYLE_WORDS.get(row.profile.style, "a mix")
    said = f"describes their work as {style}"
    wanted = prefs.approach_preference
    if wanted in ("structured", "exploratory"):
        family = structured if wanted == "structured" else exploratory
        as_preferred = bool(family) and row.facts["approach"]["style_fit"] >= (
            c.STYLE_FIT_AS_PREFERRED
        )
        if as_preferred:
            return f"offers {_family(family)} and {said}, as you prefer {wanted} work"
        if family:
            return f"offers {_family(family)} but {said}; you prefer {wanted} work"
        return f"offers no {wanted} approach and {said}; you prefer {wanted} work"
    as_asked = ", as you'd like" if wanted == "mix" else ""
    if structured and exploratory:
        if row.profile.style in (1, 5):
            return (
                f"offers structured ({_family(structured)}) and exploratory "
                f"({_family(exploratory)}) approaches but {said}"
            )
        return (
            f"blends structured skills ({_family(structured)}) with exploratory work "
            f"({_family(exploratory)}){as_asked}"
        )
    lacking = ", not the mix you'd like" if wanted == "mix" else ", not a mix"
    if structured:
        return (
            f"offers structured approaches ({_family(structured)}) but no exploratory ones{lacking}"
        )
    if exploratory:
        return (
            f"offers exploratory approaches ({_family(exploratory)}) but no structured "
            f"ones{lacking}"
        )
    others = [k for k in offered if k not in structured]
    if others:
        return (
            f"offers {_family(others)}, between structured skills and exploratory relational "
            f"work; {said}"
        )
    return f"lists no approach; {said}"


def approach(prefs: Preferences, row: Row) -> str:
    offered = dict(row.profile.approaches)
    reasons: list[str] = []
    if prefs.approaches_liked:
        shared = [
            f"{SHORT_NAMES[k]} ({v.TRAINING_LEVELS[offered[k]].name.lower()})"
            for k in prefs.approaches_liked
            if k in offered
        ]
        if shared:
            reasons.append(f"Offers {join(shared)}, which you'd like")
        else:
            reasons.append("Offers none of the approaches you'd like")
    reasons.append(_way_of_working(prefs, row))
    if prefs.pace in v.PACES:
        reasons.append(_pace(prefs.pace, row.profile.pace))
    avoided = [k for k in prefs.approaches_avoided if k in offered]
    if avoided:
        reasons.append(f"also uses {join([SHORT_NAMES[k] for k in avoided])}, which you'd avoid")
    return sentence("; ".join(reasons))


def concerns(prefs: Preferences, row: Row) -> str:
    p = row.profile
    neglect = " and with emotional neglect" if p.neglect_experience else ""
    if prefs.concerns:
        shared = [k for k in prefs.concerns if k in p.concerns]
        if shared:
            names = join_names([v.CONCERNS[k].name.lower() for k in shared])
            if len(prefs.concerns) == 1:
                return f"Works with the concern you named ({names}){neglect}."
            if len(shared) == len(prefs.concerns):
                every = "both" if len(shared) == 2 else f"all {len(shared)}"
                return f"Works with {every} concerns you named ({names}){neglect}."
            return (
                f"Works with {len(shared)} of the {len(prefs.concerns)} concerns you named "
                f"({names}){neglect}."
            )
        if p.neglect_experience:
            return (
                "Lists none of the concerns you named, but is experienced with emotional neglect."
            )
        return "Lists none of the concerns you named."
    if p.neglect_experience:
        return "Experienced with emotional neglect (you didn't name concerns)."
    return "Doesn't list experience with emotional neglect."


def _lower_first(title: str) -> str:
    return title[0].lower() + title[1:]


def qualifications(prefs: Preferences, row: Row) -> str:
    checklist = row.checklist
    unmet = [_lower_first(c.title) for c in checklist.criteria if c.status == "not_met"]
    waiting = [_lower_first(c.title) for c in checklist.criteria if c.status == "unverified"]
    if checklist.met == checklist.total:
        return f"Meets all {checklist.total} of the guide's criteria."
    text = f"Meets {checklist.met} of the guide's {checklist.total} criteria"
    if waiting:
        text += f". Not yet verified: {join_names(waiting)}"
    if unmet:
        text += f". Missing: {join_names(unmet)}"
    return text + "."


def cost(prefs: Preferences, row: Row) -> str:
    p = row.profile
    case = row.facts["cost"].get("case")
    if case is None:
        return "You didn't set a budget, insurance or a need for a sliding scale."
    if case == INSURED and prefs.insurance is not None:
        text = f"Takes your insurance ({v.INSURANCE_PLANS[prefs.insurance]})"
        if prefs.needs_sliding_scale:
            text += (
                f"; sliding scale from {money(p.sliding_scale_min)} too"
                if p.sliding_scale_min is not None
                else "; no sliding scale"
            )
        return text + "."
    if case == WITHIN and prefs.max_fee is not None:
        text = f"{money(p.fee)} a session, within your {money(prefs.max_fee)}"
    elif case == SLIDING and prefs.max_fee is not None and p.sliding_scale_min is not None:
        text = (
            f"{money(p.fee)} a session; their sliding scale from "
            f"{money(p.sliding_scale_min)} fits your {money(prefs.max_fee)} (places at "
            "sliding-scale rates are often limited)"
        )
    elif case == OVER and prefs.max_fee is not None:
        text = (
            f"{money(p.fee)} a session, more than your {money(prefs.max_fee)}"
            if p.sliding_scale_min is None
            else f"{money(p.lowest_fee)} at the least on their sliding scale, more than your "
            f"{money(prefs.max_fee)}"
        )
    else:  # NO_BUDGET: insurance asked for and not taken, or only a sliding scale needed
        text = f"{money(p.fee)} a session"
    if prefs.insurance:
        plan = v.INSURANCE_PLANS[prefs.insurance]
        if prefs.insurance in p.insurance and prefs.insurance in v.STATE_RUN_PLANS:
            text += f"; takes {plan} only in {v.state_name(p.state)}, where their office is"
        else:
            text += f"; doesn't take {plan}"
    if prefs.needs_sliding_scale and case == WITHIN:
        text += "; no sliding scale needed at this fee"
    elif prefs.needs_sliding_scale and "sliding scale" not in text:
        if p.sliding_scale_min is not None:
            text += f"; sliding scale from {money(p.sliding_scale_min)}"
        else:
            text += "; no sliding scale"
    return text + "."


COURSE_PHRASES = {"few_months": "the few months you expect",
                  "longer": "the longer course you expect",
                  "open_ended": "the open-ended work you expect"}  # fmt: skip


def _course_and_access(prefs: Preferences, row: Row) -> list[str]:
    p = row.profile
    notes: list[str] = []
    if prefs.course_length in c.COURSE_WEEKS:
        expected = COURSE_PHRASES[prefs.course_length]
        weeks = p.typical_course_weeks
        if not weeks:
            notes.append("doesn't give a typical course length")
        else:
            low, high = c.COURSE_WEEKS[prefs.course_length]
            joined = ", in keeping with" if low <= weeks <= high else "; not"
            notes.append(f"a typical course is about {weeks} weeks{joined} {expected}")
    if prefs.frequency in v.SESSION_FREQUENCIES:
        wanted = v.SESSION_FREQUENCIES[prefs.frequency].name.lower()
        offered = [v.SESSION_FREQUENCIES[k].name.lower() for k in p.session_frequencies]
        if not offered:
            notes.append("doesn't say how often sessions are")
        elif prefs.frequency in p.session_frequencies:
            notes.append(f"sessions {wanted}, as you'd like")
        else:
            notes.append(f"sessions {' or '.join(offered)}, not {wanted}")
    if prefs.access_needs:
        notes.extend(_access(prefs.access_needs, row))
    return notes


def _access(needs: tuple[str, ...], row: Row) -> list[str]:
    """Each access need: offered, not listed, or moot for the way the person would meet."""
    name = {k: v.ACCOMMODATIONS[k].name.lower() for k in needs}
    office_moot = [k for k in needs if k in v.OFFICE_ACCOMMODATIONS and not row.in_person_ok]
    video_moot = [k for k in needs if k in v.VIDEO_ACCOMMODATIONS and not row.telehealth_ok]
    moot = office_moot + video_moot
    has = [name[k] for k in needs if k in row.profile.accommodations and k not in moot]
    lacks = [name[k] for k in needs if k not in row.profile.accommodations and k not in moot]
    notes = [f"offers {join(has)}"] if has else []
    if lacks:
        notes.append(f"doesn't list {join(lacks)}")
    if office_moot:
        notes.append(f"{join([name[k] for k in office_moot])} not needed by telehealth")
    if video_moot:
        notes.append("captioned video sessions not needed in person")
    return notes


def logistics(prefs: Preferences, row: Row) -> str:
    p = row.profile
    offered: list[str] = []
    lacking: list[str] = []
    for asked, has, what in (
        (prefs.evenings, p.evening_hours, "evening hours"),
        (prefs.weekends, p.weekend_hours, "weekend hours"),
        (prefs.free_consultation, p.free_consultation, "a free consultation"),
    ):
        if asked:
            (offered if has else lacking).append(what)
    notes = [f"offers {join(offered)}"] if offered else []
    notes += [f"no {what.removeprefix('a ')}" for what in lacking]
    notes.extend(_course_and_access(prefs, row))
    travels = bool(row.facts["logistics"]["travels"]) and prefs.format != "telehealth"
    distance_counted = travels or (prefs.format == "either" and prefs.origin is not None)
    if travels and row.distance is not None:
        notes.append(f"office {miles(row.distance)} away")
    elif prefs.format == "either" and prefs.origin is not None:
        if row.distance is not None and p.in_person:
            notes.append(f"telehealth for you; their office is {miles(row.distance)} away")
        else:
            notes.append("telehealth for you; no office you could travel to")
    if not (distance_counted or notes):
        if prefs.format == "telehealth":
            return "Telehealth, as you asked; you didn't ask about hours, access or a consultation."
        return "You didn't ask about hours, travel, access or a consultation."
    return sentence("; ".join(notes))


def progress(prefs: Preferences, row: Row) -> str:
    p = row.profile
    methods = [v.PROGRESS_METHODS[m].name.lower() for m in p.progress_tracking]
    collab = "sets goals together" if p.collaborative_goals else "doesn't say goals are shared"
    if prefs.progress_tracking:
        shared = [m for m in prefs.progress_tracking if m in p.progress_tracking]
        if shared:
            names = join([v.PROGRESS_METHODS[m].name.lower() for m in shared])
            others = [v.PROGRESS_METHODS[m].name.lower() for m in p.progress_tracking
                      if m not in shared]  # fmt: skip
            also = f" (also {join(others)})" if others else ""
            return f"Tracks progress with {names}, as you'd like{also}; {collab}."
        return f"Doesn't track progress the way you'd like; {collab}."
    tracked = (
        f"Tracks progress with {join(methods)}"
        if methods
        else "Doesn't say how progress is tracked"
    )
    return f"{tracked}; {collab}."


REASONS: dict[str, Callable[[Preferences, Row], str]] = {
    "approach": approach,
    "concerns": concerns,
    "qualifications": qualifications,
    "cost": cost,
    "culture": culture,
    "logistics": logistics,
    "progress": progress,
}
