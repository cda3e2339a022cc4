"""Each component's reason in plain words, and the caveats, for the few candidates shown.

The components (``components.py``) score everyone; only the candidates on the page are
explained, from their profile and the facts their components found, so a reason never works a
rule out again in another way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from directory.core import vocabulary as v
from directory.core.authority import Authority
from directory.core.checklist import Checklist
from directory.core.identities import contains, tokens
from directory.core.profile import Profile
from matching import coefficients as c
from matching.components import INSURED, OVER, SLIDING, WITHIN
from matching.preferences import GENDER_CHOICES, Preferences


@dataclass(frozen=True)
class Row:
    """One candidate as the explanations see them: the profile and what the engine found."""

    profile: Profile
    checklist: Checklist
    # Component key -> that component's facts for this candidate.
    facts: dict[str, dict[str, Any]]
    in_person_ok: bool
    telehealth_ok: bool
    distance: float | None


def join(words: list[str]) -> str:
    """Return words as a list in a sentence: "a", "a and b", "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + "."


def _short_name(name: str) -> str:
    found = re.search(r"\(([^)]+)\)$", name)
    return found.group(1) if found else name


# "DBT" for "Dialectical Behavior Therapy (DBT)", worked out once.
SHORT_NAMES = {key: _short_name(term.name) for key, term in v.APPROACHES.items()}


def _money(amount: int) -> str:
    return f"${amount:,}"


def _pace(wanted: str, theirs: str) -> str:
    if not theirs:
        return "doesn't say what pace they work at"
    name = v.PACES[theirs].name.lower()
    if theirs == wanted:
        return f"works at a {name} pace, as you'd like"
    return f"works at a {name} pace; you'd like {v.PACES[wanted].name.lower()}"


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
    facts = row.facts["approach"]
    if prefs.approach_preference in ("structured", "exploratory"):
        word = prefs.approach_preference
        as_preferred = facts["family_fit"] and facts["style_fit"] >= c.STYLE_FIT_AS_PREFERRED
        reasons.append(
            f"works in a {word} way, as you prefer"
            if as_preferred
            else f"leans less {word} than you'd like"
        )
    elif facts["both"]:
        reasons.append("blends structured skills with exploratory work")
    else:
        reasons.append("works mostly in one style rather than a mix")
    if prefs.pace in v.PACES:
        reasons.append(_pace(prefs.pace, row.profile.pace))
    avoided = [k for k in prefs.approaches_avoided if k in offered]
    if avoided:
        reasons.append(f"also uses {join([SHORT_NAMES[k] for k in avoided])}, which you'd avoid")
    return _sentence("; ".join(reasons))


def concerns(prefs: Preferences, row: Row) -> str:
    p = row.profile
    neglect = " and with emotional neglect" if p.neglect_experience else ""
    if prefs.concerns:
        shared = [k for k in prefs.concerns if k in p.concerns]
        if shared:
            names = join([v.CONCERNS[k].name.lower() for k in shared])
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


def qualifications(prefs: Preferences, row: Row) -> str:
    checklist = row.checklist
    unmet = [c.title.lower() for c in checklist.criteria if c.status == "not_met"]
    waiting = [c.title.lower() for c in checklist.criteria if c.status == "unverified"]
    text = f"Meets {checklist.met} of {checklist.total} of the guide's criteria"
    if waiting:
        text += f"; not yet verified: {join(waiting)}"
    if unmet:
        text += f"; missing: {join(unmet[:2])}"
    return text + "."


def cost(prefs: Preferences, row: Row) -> str:
    p = row.profile
    case = row.facts["cost"].get("case")
    if case is None:
        return "You didn't set a budget, insurance or a need for a sliding scale."
    if case == INSURED and prefs.insurance is not None:
        return f"Takes your insurance ({v.INSURANCE_PLANS[prefs.insurance]})."
    if case == WITHIN and prefs.max_fee is not None:
        text = f"{_money(p.fee)} a session, within your {_money(prefs.max_fee)}"
    elif case == SLIDING and prefs.max_fee is not None and p.sliding_scale_min is not None:
        text = (
            f"{_money(p.fee)} a session; their sliding scale from "
            f"{_money(p.sliding_scale_min)} fits your {_money(prefs.max_fee)} (places at "
            "sliding-scale rates are often limited)"
        )
    elif case == OVER and prefs.max_fee is not None:
        text = f"{_money(p.lowest_fee)} at the least, more than your {_money(prefs.max_fee)}"
    else:  # NO_BUDGET: insurance asked for and not taken, or only a sliding scale needed
        text = f"{_money(p.fee)} a session"
    if prefs.insurance:
        text += f"; doesn't take {v.INSURANCE_PLANS[prefs.insurance]}"
    if prefs.needs_sliding_scale and case != WITHIN and "sliding scale" not in text:
        if p.sliding_scale_min is not None:
            text += f"; sliding scale from {_money(p.sliding_scale_min)}"
        else:
            text += "; no sliding scale"
    return text + "."


def culture(prefs: Preferences, row: Row) -> str:
    p = row.profile
    facts = row.facts["culture"]
    good: list[str] = []
    bad: list[str] = []
    counted = False
    if prefs.languages:
        counted = True
        shared = [v.LANGUAGES[code] for code in prefs.languages if code in p.languages]
        if shared:
            good.append(f"sessions in {join(shared)}")
        else:
            bad.append("none of your languages")
    if prefs.communities:
        counted = True
        served = [k for k in prefs.communities if k in p.communities]
        if served:
            good.append("experienced with " + join([v.COMMUNITIES[k] for k in served]))
        else:
            bad.append("lists none of the communities you named")
    if prefs.therapist_gender:
        counted = True
        if facts["gender"]:
            good.append(f"is {GENDER_CHOICES[prefs.therapist_gender].lower()}, as you asked")
        else:
            bad.append("doesn't match the gender you asked for")
    for name, label, said in (("background", "background", p.cultural_background),
                              ("faith", "faith", p.faith)):  # fmt: skip
        if name in facts:
            counted = True
            if facts[name]:
                good.append(f"describes their {label} as \u201c{said}\u201d")
            elif said:
                bad.append(f"describes their {label} as \u201c{said}\u201d, not as you asked")
            else:
                bad.append(f"doesn't describe their {label}")
    if prefs.therapist_lgbtq:
        counted = True
        if p.lgbtq:
            good.append("identifies as LGBTQ+")
        else:
            bad.append("doesn't say they're LGBTQ+")
    mention = _values_mention(prefs.values, p)
    if not counted:
        if mention:
            return _sentence(mention + " (your values aren't scored: ask about them)")
        if prefs.values:
            return (
                "Your values aren't scored: their profile doesn't mention your words, so ask "
                "about them in a consultation."
            )
        return "You didn't ask for a language, community or identity."
    return _sentence("; ".join(good + bad + ([mention] if mention else [])))


def _values_mention(values: str | None, p: Profile) -> str:
    """Return "their profile mentions “...”" when the headline or bio holds the person's
    values as a whole phrase (or one of its comma-separated parts)."""
    if not values:
        return ""
    words = tokens(f"{p.headline} {p.bio}")
    found = [
        part.strip() for part in re.split(r"[,;\n]", values)
        if (phrase := tokens(part)) and contains(words, phrase)
    ]  # fmt: skip
    quoted = [f"\u201c{phrase}\u201d" for phrase in found]
    return f"their profile mentions {join(quoted)}" if found else ""


def _miles(distance: float) -> str:
    miles = round(distance)
    return f"{miles} mile{'' if miles == 1 else 's'}"


def _course_and_access(prefs: Preferences, p: Profile) -> list[str]:
    notes: list[str] = []
    if prefs.course_length in c.COURSE_WEEKS:
        expected = v.COURSE_LENGTHS[prefs.course_length].name.lower()
        weeks = p.typical_course_weeks
        if not weeks:
            notes.append("doesn't give a typical course length")
        else:
            low, high = c.COURSE_WEEKS[prefs.course_length]
            fits = "fits" if low <= weeks <= high else "you expect"
            notes.append(f"a typical course is about {weeks} weeks ({fits} {expected})")
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
        has = [v.ACCOMMODATIONS[k].name.lower() for k in prefs.access_needs
               if k in p.accommodations]  # fmt: skip
        lacks = [v.ACCOMMODATIONS[k].name.lower() for k in prefs.access_needs
                 if k not in p.accommodations]  # fmt: skip
        if has:
            notes.append(f"offers {join(has)}")
        if lacks:
            notes.append(f"doesn't list {join(lacks)}")
    return notes


def logistics(prefs: Preferences, row: Row) -> str:
    p = row.profile
    notes: list[str] = []
    for asked, has, yes, no in (
        (prefs.evenings, p.evening_hours, "evening hours", "no evening hours"),
        (prefs.weekends, p.weekend_hours, "weekend hours", "no weekend hours"),
        (prefs.free_consultation, p.free_consultation, "a free consultation",
         "no free consultation"),
    ):  # fmt: skip
        if asked:
            notes.append(yes if has else no)
    notes.extend(_course_and_access(prefs, p))
    travels = bool(row.facts["logistics"]["travels"]) and prefs.format != "telehealth"
    distance_counted = travels or (prefs.format == "either" and prefs.origin is not None)
    if travels and row.distance is not None:
        notes.append(f"office {_miles(row.distance)} away")
    elif prefs.format == "either" and prefs.origin is not None:
        if row.distance is not None and p.in_person:
            notes.append(f"telehealth for you; their office is {_miles(row.distance)} away")
        else:
            notes.append("telehealth for you; no office you could travel to")
    if not (distance_counted or notes):
        return "You didn't ask about hours, travel, access or a consultation."
    return _sentence("; ".join(notes))


def progress(prefs: Preferences, row: Row) -> str:
    p = row.profile
    methods = [v.PROGRESS_METHODS[m].name.lower() for m in p.progress_tracking]
    collab = "sets goals together" if p.collaborative_goals else "doesn't say goals are shared"
    if prefs.progress_tracking:
        shared = [m for m in prefs.progress_tracking if m in p.progress_tracking]
        if shared:
            names = join([v.PROGRESS_METHODS[m].name.lower() for m in shared])
            return f"Tracks progress with {names}, as you'd like; {collab}."
        return f"Doesn't track progress the way you'd like; {collab}."
    tracked = f"Tracks progress with {join(methods)}" if methods else "Doesn't say how"
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


def caveats(profile: Profile, auth: Authority, today: date) -> tuple[str, ...]:
    """Return what a person should know beside a match: verification, supervision, basis..."""
    out: list[str] = []
    if not auth.verified:
        out.append("License not yet verified")
    if auth.supervised:
        lic = next((x for x in profile.licenses if x.supervised and x.state == auth.state), None)
        if lic is not None:
            out.append(
                f"Associate under the supervision of {lic.supervisor_name} "
                f"({lic.supervisor_license})"
            )
    if auth.basis == "psypact":
        out.append("Telehealth only, through a PSYPACT authority")
    if auth.basis == "counseling":
        out.append("Practises in this state through a Counseling Compact privilege")
    if profile.accepting_new_clients and not profile.accepting_confirmed(today):
        out.append("Accepting new clients not confirmed recently")
    soon = [
        lic for lic in profile.licenses
        if lic.state == auth.state and lic.is_valid(today)
        and (lic.expires_on - today).days <= c.EXPIRY_WARNING_DAYS
    ]  # fmt: skip
    if soon:
        out.append(f"License expires {soon[0].expires_on.isoformat()}")
    if profile.sample:
        out.append("Fictional sample profile")
    return tuple(out)
