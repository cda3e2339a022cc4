"""The culture and identity reason: languages, communities, gender, background, faith and
LGBTQ+ identity as the practitioner describes them, and the person's values where a profile
mentions them."""

from __future__ import annotations

import re
from typing import Any

from directory.core import vocabulary as v
from directory.core.identities import contains, tokens
from directory.core.profile import Profile
from matching.preferences import GENDER_CHOICES, Preferences
from matching.wording import Row, join, sentence


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
            bad.append("offers none of your languages")
    if prefs.communities:
        counted = True
        served = [k for k in prefs.communities if k in p.communities]
        if served:
            good.append("experienced with " + join([v.COMMUNITIES[k] for k in served]))
        else:
            bad.append("lists none of the communities you named")
    if prefs.therapist_gender:
        counted = True
        (good if facts["gender"] else bad).append(_gender(prefs.therapist_gender, p, facts))
    for name, label, said, asked in (
        ("background", "background", p.cultural_background, prefs.therapist_background),
        ("faith", "faith", p.faith, prefs.therapist_faith),
    ):
        if name in facts:
            counted = True
            if facts[name]:
                same = said.casefold() == (asked or "").casefold()
                also = "as you asked" if same else f"which matches \u201c{asked}\u201d"
                good.append(f"describes their {label} as \u201c{said}\u201d, {also}")
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
            return sentence(mention + " (your values aren't scored: ask about them)")
        if prefs.values:
            return (
                "Your values aren't scored: their profile doesn't mention your words, so ask "
                "about them in a consultation."
            )
        return "You didn't ask for a language, community or identity."
    return sentence("; ".join(good + bad + ([mention] if mention else [])))


def _gender(wanted: str, p: Profile, facts: dict[str, Any]) -> str:
    """What the profile says of the practitioner's gender, in their own words."""
    name = GENDER_CHOICES[wanted].lower()
    own = f"\u201c{p.gender_identity}\u201d" if p.gender_identity else ""
    if facts["gender"]:
        if own and name.removeprefix("a ") == p.gender_identity.casefold():
            return f"describes their gender as {own}, as you asked"
        if own:
            return f"describes their gender as {own} ({name}, as you asked)"
        return f"lists {p.pronouns} pronouns ({name}, as you asked)"
    if own:
        return f"describes their gender as {own}, not {name}"
    if p.pronouns:
        return f"doesn't describe their gender (lists {p.pronouns} pronouns)"
    return "doesn't describe their gender"


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
