"""The consultation kit: questions to ask at a first session, from the guide and the answers."""

from __future__ import annotations

from directory.core import vocabulary as v
from directory.core.profile import Profile
from matching.preferences import Preferences

# The guide's "considerations for choosing this approach", as questions anyone may ask.
GENERAL_QUESTIONS = (
    "How do you usually work with people whose feelings were overlooked growing up, even "
    "without one clear event?",
    "Do you lean towards structured skills (like CBT or DBT), exploratory relational work, or "
    "a mix, and how would you decide with me?",
    "How do we set goals together, and how will we track progress (goals, mood scales, "
    "relationship measures)? What happens if we're not on track?",
    "What is a typical length of therapy for goals like mine, and do you offer booster or "
    "check-in sessions later?",
    "How do you handle confidentiality and consent, and what are the limits of confidentiality?",
    "Do you receive ongoing supervision or consultation, and what training have you done recently?",
    "What is your fee, and do you offer a sliding scale or take my insurance?",
)


def questions_for(profile: Profile, prefs: Preferences | None) -> list[str]:
    """Return questions tailored to one practitioner and, if given, the person's answers."""
    out: list[str] = []
    if profile.approaches:
        names = [v.APPROACHES[k].name for k in profile.approach_keys]
        listed = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
        out.append(f"You list {listed}: which would you use with me, and why?")
    if profile.sliding_scale_min is not None:
        out.append(
            f"Your sliding scale starts at ${profile.sliding_scale_min}: what does the fee "
            "depend on?"
        )
    if profile.typical_course_weeks:
        out.append(
            f"You mention about {profile.typical_course_weeks} weeks for a typical course: "
            "what would that look like for me, and how often would we meet?"
        )
    if not profile.neglect_experience:
        out.append("Your profile doesn't mention emotional neglect: have you worked with it?")
    if not profile.progress_tracking:
        out.append("How do you track whether therapy is helping?")
    if profile.is_associate:
        lic = profile.licenses[0]
        out.append(
            f"How does supervision with {lic.supervisor_name} work, and how often do you "
            "discuss my care?"
        )
    if prefs is not None:
        for key in prefs.concerns[:3]:
            name = v.CONCERNS[key].name.lower()
            out.append(
                f"You list {name}: what would working on it with you look like?"
                if key in profile.concerns
                else f"Your profile doesn't list {name}: have you worked with it?"
            )
        if prefs.max_fee is not None and profile.fee > prefs.max_fee:
            if profile.sliding_scale_min is not None:
                out.append(
                    f"Your fee is ${profile.fee}; could I pay on your sliding scale "
                    f"(from ${profile.sliding_scale_min})?"
                )
            else:
                out.append(f"Your fee is ${profile.fee}: is there any way to lower it?")
        if prefs.needs_sliding_scale and profile.sliding_scale_min is None:
            out.append("Do you ever offer reduced fees?")
        if prefs.insurance and prefs.insurance not in profile.insurance:
            plan = v.INSURANCE_PLANS[prefs.insurance]
            out.append(f"Can you give me a superbill for {plan} as out-of-network care?")
        for key in prefs.approaches_liked:
            if key not in profile.approach_keys:
                out.append(f"Do you ever draw on {v.APPROACHES[key].name}?")
        if prefs.evenings and not profile.evening_hours:
            out.append("Are evening appointments ever possible?")
        if prefs.weekends and not profile.weekend_hours:
            out.append("Are weekend appointments ever possible?")
        for method in prefs.progress_tracking:
            if method not in profile.progress_tracking:
                out.append(
                    f"Could we track progress with {v.PROGRESS_METHODS[method].name.lower()}?"
                )
        if prefs.approach_preference in ("structured", "exploratory"):
            out.append(f"I'd like {prefs.approach_preference} work: how does your pace fit that?")
        out.extend(_pace_course_values_access(profile, prefs))
    if not profile.accepting_new_clients:
        out.append("Do you keep a waitlist, and how long is it?")
    return out


def _pace_course_values_access(profile: Profile, prefs: Preferences) -> list[str]:
    out: list[str] = []
    if prefs.pace in v.PACES and profile.pace != prefs.pace:
        wanted = v.PACES[prefs.pace].name.lower()
        out.append(f"I'd like a {wanted} pace: could we work that way, and how would we tell?")
    if prefs.course_length in v.COURSE_LENGTHS:
        expected = v.COURSE_LENGTHS[prefs.course_length].name.lower()
        out.append(f"How long I expect to come: {expected}. Is that realistic for my goals?")
    if prefs.frequency in v.SESSION_FREQUENCIES:
        wanted = v.SESSION_FREQUENCIES[prefs.frequency].name.lower()
        if prefs.frequency not in profile.session_frequencies:
            out.append(f"Could we meet {wanted}?")
    if prefs.values:
        out.append(
            f"What matters to me: \u201c{prefs.values}\u201d. How would you respect that in "
            "our work, including how we talk about emotions?"
        )
    missing = [k for k in prefs.access_needs if k not in profile.accommodations]
    if missing:
        names = ", ".join(v.ACCOMMODATIONS[k].name.lower() for k in missing)
        out.append(f"Your profile doesn't list {names}: could you arrange it for me?")
    return out
