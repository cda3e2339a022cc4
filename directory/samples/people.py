"""Sample names (from Faker), languages and self-described identity."""

from __future__ import annotations

import random
from collections.abc import Sequence
from functools import cache
from typing import Any

from faker import Faker

from directory.core import vocabulary as v
from directory.samples.choice import Weighted


@cache
def faker_for(locale: str) -> Faker:
    """Return one Faker per locale and process; callers seed it per record."""
    return Faker(locale)


def person_name(fake: Faker, gender: str) -> str:
    if gender == "woman":
        first = fake.first_name_female()
    elif gender == "man":
        first = fake.first_name_male()
    else:
        first = fake.first_name()
    return f"{first} {fake.last_name()}"


GENERAL_BACKGROUNDS = (
    "Black American",
    "African American, raised in the South",
    "White, raised in the rural Midwest",
    "Irish and Italian American",
    "Jewish American",
    "First-generation college graduate",
    "Korean American adoptee",
    "Multiracial (Black and white)",
    "Grew up in a small Appalachian town",
    "Caribbean American",
    "Chinese American",
    "Indian American",
    "Mexican American",
    "Native American (Lakota)",
    "White American",
    "Military family, moved often growing up",
    "Filipino American",
    "Arab American",
)
LANGUAGE_BACKGROUNDS = {
    "es": (
        "Mexican American",
        "Puerto Rican",
        "Cuban American",
        "Salvadoran American",
        "Colombian American",
        "Dominican American",
        "Latine, raised bilingual",
        "Child of Guatemalan immigrants",
    ),
    "zh": ("Chinese American", "Taiwanese American", "Grew up in Hong Kong"),
    "vi": ("Vietnamese American", "Child of Vietnamese refugees"),
    "tl": ("Filipino American",),
    "ar": ("Arab American", "Lebanese American", "Egyptian American"),
    "fr": ("French Canadian", "Grew up between France and the US"),
    "ko": ("Korean American",),
    "ru": ("Grew up in a Russian-speaking immigrant family",),
    "de": ("German American",),
    "ht": ("Haitian American",),
    "pt": ("Brazilian American", "Portuguese American"),
    "hi": ("Indian American",),
    "it": ("Italian American",),
    "pl": ("Polish American",),
    "ja": ("Japanese American",),
    "fa": ("Iranian American",),
    "ur": ("Pakistani American",),
    "he": ("Israeli American",),
    "asl": ("Child of Deaf adults (CODA)",),
}
FAITHS = Weighted(
    [
        ("Christian", 20),
        ("Catholic", 12),
        ("Jewish", 8),
        ("Spiritual but not religious", 12),
        ("Buddhist", 5),
        ("Muslim", 5),
        ("Quaker", 2),
        ("Hindu", 3),
        ("Latter-day Saint", 3),
        ("Episcopalian", 3),
        ("Unitarian Universalist", 3),
        ("Agnostic", 5),
    ]
)
OTHER_LANGUAGES = Weighted(
    [
        ("zh", 14),
        ("vi", 8),
        ("tl", 6),
        ("ar", 6),
        ("fr", 9),
        ("ko", 6),
        ("ru", 6),
        ("de", 5),
        ("ht", 4),
        ("pt", 6),
        ("hi", 6),
        ("it", 4),
        ("pl", 3),
        ("ja", 3),
        ("fa", 4),
        ("ur", 3),
        ("he", 4),
    ]
)
SPANISH_SHARE = {
    "CA": 0.26,
    "TX": 0.26,
    "FL": 0.22,
    "NM": 0.30,
    "AZ": 0.20,
    "NY": 0.17,
    "NV": 0.15,
    "NJ": 0.14,
    "IL": 0.12,
    "CO": 0.12,
}


def pick_languages(rng: random.Random, state: str) -> tuple[str, ...]:
    spoken = {"en"}
    if rng.random() < SPANISH_SHARE.get(state, 0.06):
        spoken.add("es")
    if rng.random() < 0.08:
        spoken.add(OTHER_LANGUAGES.pick(rng))
        if rng.random() < 0.1:
            spoken.add(OTHER_LANGUAGES.pick(rng))
    if rng.random() < 0.012:
        spoken.add("asl")
    return ("en", *(code for code in v.LANGUAGES if code in spoken and code != "en"))


GENDERS = Weighted([("woman", 70), ("man", 25), ("nonbinary", 5)])
NONBINARY_IDENTITIES = Weighted([("Non-binary", 7), ("Genderqueer", 2), ("Genderfluid", 1)])
IDENTITY_PREFIXES = Weighted([("", 85), ("Cisgender ", 10), ("Transgender ", 5)])
LGBTQ = Weighted([(None, 55), (True, 12), (False, 33)])


def pick_identity(rng: random.Random, languages: Sequence[str]) -> dict[str, Any]:
    gender = GENDERS.pick(rng)
    shared = rng.random() >= 0.30
    trans = False
    if gender == "nonbinary":
        identity = NONBINARY_IDENTITIES.pick(rng)
        pronouns = "they/them" if rng.random() < 0.85 else ""
    else:
        word = "Woman" if gender == "woman" else "Man"
        prefix = IDENTITY_PREFIXES.pick(rng)
        trans = prefix == "Transgender "
        identity = f"{prefix}{word.lower()}".capitalize() if prefix else word
        pronouns = {"woman": "she/her", "man": "he/him"}[gender] if rng.random() < 0.88 else ""
    if gender == "nonbinary" or (shared and trans):
        lgbtq = True if rng.random() < 0.7 else None
    else:
        lgbtq = LGBTQ.pick(rng)

    background = ""
    specific = [code for code in languages if code in LANGUAGE_BACKGROUNDS]
    if specific and rng.random() < 0.7:
        background = rng.choice(LANGUAGE_BACKGROUNDS[rng.choice(specific)])
    elif rng.random() < 0.45:
        background = rng.choice(GENERAL_BACKGROUNDS)
    faith = ""
    if rng.random() < 0.35:
        faith = FAITHS.pick(rng)
    return {
        "gender": gender,
        "pronouns": pronouns,
        "gender_identity": identity if shared else "",
        "cultural_background": background,
        "faith": faith,
        "lgbtq": lgbtq,
    }
