"""The person's answers in a few plain lines, for a consultation request they choose to send.

Only ever put into the email the person asked to send; never stored or logged.
"""

from __future__ import annotations

from directory.core import vocabulary as v
from matching.preferences import GENDER_CHOICES, Preferences
from matching.wording import join


def answers_summary(p: Preferences) -> list[str]:
    """Return one line per answer given, in the questionnaire's order."""
    lines = [f"- Where I'll be: {v.state_name(p.state)}",
             f"- Format: {p.format.replace('_', ' ')}"]  # fmt: skip
    if p.concerns:
        lines.append("- What brings me: " + join([v.CONCERNS[k].name for k in p.concerns]))
    if p.approach_preference != "unsure":
        lines.append(f"- How I'd like to work: {p.approach_preference}")
    if p.approaches_liked:
        lines.append(
            "- Approaches I'd like: " + join([v.APPROACHES[k].name for k in p.approaches_liked])
        )
    if p.pace:
        lines.append(f"- Pace: {v.PACES[p.pace].name.lower()}")
    if p.course_length:
        lines.append(f"- How long: {v.COURSE_LENGTHS[p.course_length].name.lower()}")
    if p.frequency:
        lines.append(f"- How often: {v.SESSION_FREQUENCIES[p.frequency].name.lower()}")
    if p.max_fee is not None:
        lines.append(f"- Most I can pay: ${p.max_fee:,} a session"
                     + (" (I need a sliding scale)" if p.needs_sliding_scale else ""))  # fmt: skip
    if p.insurance:
        lines.append(f"- Insurance: {v.INSURANCE_PLANS[p.insurance]}")
    if p.languages:
        lines.append("- Languages: " + join([v.LANGUAGES[c] for c in p.languages]))
    if p.therapist_gender:
        lines.append(f"- Therapist's gender: {GENDER_CHOICES[p.therapist_gender].lower()}")
    if p.values:
        lines.append(f"- What matters to me: {p.values}")
    if p.access_needs:
        lines.append("- Access needs: " + join([v.ACCOMMODATIONS[k].name.lower()
                                                for k in p.access_needs]))  # fmt: skip
    return lines
