"""The guide's vocabulary as data: approaches, concerns, licenses, states and the rest.

Every key here is stored in the database, the search index and the JSON API, so keys never
change; names and descriptions are for people and may be reworded.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary: a stable key, a human name and a one-line description."""

    key: str
    name: str
    description: str = ""
    # Extra words a visitor might type for this entry ("dialectical", "schema").
    synonyms: tuple[str, ...] = ()


def _index(*terms: Term) -> dict[str, Term]:
    return {t.key: t for t in terms}


# Approaches the guide names, with their usual names and the guide's description.
APPROACHES: dict[str, Term] = _index(
    Term(
        "attachment",
        "Attachment-focused therapy",
        "Reframes early relational patterns and builds healthier ways to give and receive care.",
        ("attachment theory", "attachment based"),
    ),
    Term(
        "eft",
        "Emotion-Focused Therapy (EFT)",
        "Identifies, explores and transforms emotions to improve regulation and connection.",
        ("emotion focused", "emotionally focused"),
    ),
    Term(
        "cbt_schema",
        "CBT / Schema therapy",
        "Works on recurrent thought patterns and core beliefs about self, others and the world.",
        ("cognitive behavioral therapy", "cognitive behavioural", "schema therapy", "CBT"),
    ),
    Term(
        "dbt",
        "Dialectical Behavior Therapy (DBT)",
        "Emotion regulation, distress tolerance, mindfulness and interpersonal effectiveness.",
        ("dialectical behavioral therapy", "DBT skills"),
    ),
    Term(
        "ifs",
        "Internal Family Systems (IFS)",
        "Helps you recognise inner parts (the critic, the caretaker) and harmonise their needs.",
        ("internal family systems", "parts work"),
    ),
    Term(
        "psychodynamic",
        "Psychodynamic / relational therapy",
        "Explores how early experiences shape present relationships and self-understanding.",
        ("relational psychodynamic", "psychoanalytic"),
    ),
    Term(
        "somatic",
        "Mindfulness- and body-based approaches",
        "Grounding, stress reduction and a kinder relationship with bodily sensations.",
        ("somatic", "body based", "mindfulness based", "grounding"),
    ),
)

# "Do you prefer structured skills training (CBT/DBT) or more exploratory relational work
# (attachment-focused, EFT, psychodynamic)?" -- IFS and somatic work sit between the two.
STRUCTURED_APPROACHES = frozenset({"cbt_schema", "dbt"})
EXPLORATORY_APPROACHES = frozenset({"attachment", "eft", "psychodynamic"})
# The guide's "at least one of the modalities listed (EFT, CBT/Schema, DBT, IFS, or
# psychodynamic relational therapy)".
GUIDE_MODALITIES = frozenset({"eft", "cbt_schema", "dbt", "ifs", "psychodynamic"})

# Ordered from least to most training; the order is used for comparisons.
TRAINING_LEVELS: dict[str, Term] = _index(
    Term("workshop", "Workshop training", "Attended workshops or an introductory course."),
    Term("intensive", "Intensive training", "Completed an intensive or multi-part training."),
    Term("certified", "Certified", "Holds a certification in the approach."),
    Term("trainer", "Trainer / supervisor", "Trains or supervises other clinicians in it."),
)
TRAINING_RANK = {key: rank for rank, key in enumerate(TRAINING_LEVELS)}

# What the guide says brings people to this work.
CONCERNS: dict[str, Term] = _index(
    Term(
        "self_criticism",
        "Self-criticism and low self-worth",
        "Chronic self-criticism, low self-worth or a persistent sense of inadequacy.",
        ("inner critic", "self esteem", "inadequacy"),
    ),
    Term(
        "naming_emotions",
        "Recognising and naming emotions",
        "Difficulty recognising or naming emotions, or regulating mood in relationships.",
        ("alexithymia", "emotional awareness", "emotion regulation"),
    ),
    Term(
        "attachment_trust",
        "Attachment and trust",
        "Anxious, avoidant or ambivalent attachment patterns that complicate intimacy or trust.",
        ("anxious attachment", "avoidant attachment", "trust issues"),
    ),
    Term(
        "people_pleasing",
        "People-pleasing, perfectionism and boundaries",
        "People-pleasing, perfectionism or boundary-setting that leads to burnout or resentment.",
        ("perfectionism", "boundaries", "burnout"),
    ),
    Term(
        "relational_mood",
        "Depression, anxiety or stress that feels relational",
        "Depressive symptoms, anxiety or stress that seem relational in origin.",
        ("depression", "anxiety", "stress"),
    ),
    Term(
        "relationships",
        "Communication and intimacy in relationships",
        "Communication, emotional intimacy and the quality of romantic, family or friendships.",
        ("couples", "communication", "intimacy", "family"),
    ),
)

LICENSE_KINDS: dict[str, Term] = _index(
    Term("psychologist", "Psychologist", "Licensed psychologist (PhD, PsyD or EdD)."),
    Term(
        "clinical_social_worker",
        "Clinical social worker",
        "Licensed clinical social worker (LCSW, LICSW, LISW).",
    ),
    Term(
        "professional_counselor",
        "Professional counselor",
        "Licensed professional counselor (LPC, LPCC, LMHC, LCPC, LCMHC).",
    ),
    Term(
        "marriage_family_therapist",
        "Marriage and family therapist",
        "Licensed marriage and family therapist (LMFT, LCMFT).",
    ),
)

LICENSE_STATUSES: dict[str, Term] = _index(
    Term("pending", "Pending verification", "Not yet checked against the state board."),
    Term("verified", "Verified", "Checked against the state board by an administrator."),
    Term("rejected", "Rejected", "Could not be verified."),
)

PROGRESS_METHODS: dict[str, Term] = _index(
    Term("goals", "Goals", "Agreed goals reviewed together at regular check-ins."),
    Term("mood_scales", "Mood scales", "Short questionnaires about mood, repeated over time."),
    Term(
        "relationship_metrics",
        "Relationship measures",
        "Measures of relationship quality and satisfaction, repeated over time.",
    ),
)

FORMATS: dict[str, Term] = _index(
    Term("in_person", "In person", "Sessions at an office."),
    Term("telehealth", "Telehealth", "Sessions by video or phone."),
)

# What a practitioner offers so that more people can take part (telehealth is a format, not an
# accommodation: the guide's "respects ... access" criterion reads these).
ACCOMMODATIONS: dict[str, Term] = _index(
    Term("wheelchair", "Wheelchair-accessible office", "Step-free entry and an accessible room."),
    Term("captioning", "Captioned video sessions", "Live captions in telehealth sessions."),
    Term(
        "interpreters",
        "Interpreters arranged",
        "A sign-language or spoken-language interpreter arranged on request.",
    ),
    Term(
        "sensory_friendly",
        "Sensory-friendly space",
        "Adjustable lighting and sound, and room to move, for those who need it.",
    ),
)

# "The fit of personality, communication style, and pace strongly influences progress" (the
# guide): the pace a practitioner usually works at, and the one a person would like.
PACES: dict[str, Term] = _index(
    Term("gentle", "Gentle and exploratory", "Unhurried sessions that follow what comes up."),
    Term("steady", "A steady middle pace", "Some structure, with room to explore."),
    Term("brisk", "Brisk and structured", "Clear goals, an agenda and practice between sessions."),
)

# The ways a practitioner may ask to be contacted first (each names a profile field).
CONTACT_METHODS: dict[str, Term] = _index(
    Term("phone", "Phone", "Call or text the number on the profile."),
    Term("public_email", "Email", "Write to the address on the profile."),
    Term("website", "Website", "The contact page of their website."),
    Term("booking_url", "Online booking", "Book a first conversation online."),
)

# How often sessions usually are.
SESSION_FREQUENCIES: dict[str, Term] = _index(
    Term("weekly", "Weekly", "A session every week."),
    Term("every_other_week", "Every other week", "A session every two weeks."),
)

# How long a person expects to come: the questionnaire's choices (the weeks each covers are
# matching coefficients; a practitioner states a typical course in weeks).
COURSE_LENGTHS: dict[str, Term] = _index(
    Term("few_months", "A few months", "A focused piece of work of about three to four months."),
    Term("longer", "Longer", "About six months to a year."),
    Term("open_ended", "Open-ended", "No set end: as long as it helps."),
)

# Accommodations of an office (moot for someone met by telehealth) and of video sessions (moot
# for someone met in person); an interpreter applies to both.
OFFICE_ACCOMMODATIONS = frozenset({"wheelchair", "sensory_friendly"})
VIDEO_ACCOMMODATIONS = frozenset({"captioning"})

# USPS codes for the 50 states and DC, with names and 2020 census populations (thousands),
# used to weigh the sample data.
STATES: dict[str, tuple[str, int]] = {
    "AL": ("Alabama", 5025),
    "AK": ("Alaska", 733),
    "AZ": ("Arizona", 7152),
    "AR": ("Arkansas", 3012),
    "CA": ("California", 39538),
    "CO": ("Colorado", 5774),
    "CT": ("Connecticut", 3606),
    "DE": ("Delaware", 990),
    "DC": ("District of Columbia", 690),
    "FL": ("Florida", 21538),
    "GA": ("Georgia", 10712),
    "HI": ("Hawaii", 1455),
    "ID": ("Idaho", 1839),
    "IL": ("Illinois", 12813),
    "IN": ("Indiana", 6786),
    "IA": ("Iowa", 3190),
    "KS": ("Kansas", 2938),
    "KY": ("Kentucky", 4506),
    "LA": ("Louisiana", 4658),
    "ME": ("Maine", 1362),
    "MD": ("Maryland", 6177),
    "MA": ("Massachusetts", 7030),
    "MI": ("Michigan", 10077),
    "MN": ("Minnesota", 5706),
    "MS": ("Mississippi", 2961),
    "MO": ("Missouri", 6155),
    "MT": ("Montana", 1084),
    "NE": ("Nebraska", 1962),
    "NV": ("Nevada", 3105),
    "NH": ("New Hampshire", 1378),
    "NJ": ("New Jersey", 9289),
    "NM": ("New Mexico", 2118),
    "NY": ("New York", 20201),
    "NC": ("North Carolina", 10439),
    "ND": ("North Dakota", 779),
    "OH": ("Ohio", 11799),
    "OK": ("Oklahoma", 3959),
    "OR": ("Oregon", 4237),
    "PA": ("Pennsylvania", 13003),
    "RI": ("Rhode Island", 1097),
    "SC": ("South Carolina", 5118),
    "SD": ("South Dakota", 887),
    "TN": ("Tennessee", 6911),
    "TX": ("Texas", 29146),
    "UT": ("Utah", 3272),
    "VT": ("Vermont", 643),
    "VA": ("Virginia", 8631),
    "WA": ("Washington", 7705),
    "WV": ("West Virginia", 1794),
    "WI": ("Wisconsin", 5894),
    "WY": ("Wyoming", 577),
}

# ISO 639-1 codes offered in profiles and filters.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Spanish",
    "zh": "Chinese",
    "vi": "Vietnamese",
    "tl": "Tagalog",
    "ar": "Arabic",
    "fr": "French",
    "ko": "Korean",
    "ru": "Russian",
    "de": "German",
    "ht": "Haitian Creole",
    "pt": "Portuguese",
    "hi": "Hindi",
    "it": "Italian",
    "pl": "Polish",
    "ja": "Japanese",
    "fa": "Persian",
    "ur": "Urdu",
    "he": "Hebrew",
    "asl": "American Sign Language",
}

# Insurance plans, keyed so that filters and URLs stay stable.
INSURANCE_PLANS: dict[str, str] = {
    "aetna": "Aetna",
    "bcbs": "Blue Cross Blue Shield",
    "cigna": "Cigna",
    "kaiser": "Kaiser Permanente",
    "magellan": "Magellan",
    "medicaid": "Medicaid",
    "medicare": "Medicare",
    "optum": "Optum / UnitedHealthcare",
    "tricare": "TRICARE",
    "humana": "Humana",
}

# Plans run by each state: a practitioner who takes one takes their own state's, so it covers
# only clients in the state of their office (Medicaid is run by each state; Medicare is federal).
STATE_RUN_PLANS = frozenset({"medicaid"})

# Communities a practitioner says they have experience serving.
COMMUNITIES: dict[str, str] = {
    "lgbtq": "LGBTQ+ people",
    "bipoc": "Black, Indigenous and people of colour",
    "immigrants": "Immigrants and first-generation families",
    "veterans": "Veterans and military families",
    "faith": "People of faith",
    "neurodivergent": "Neurodivergent people",
    "disability": "People with disabilities",
    "older_adults": "Older adults",
    "young_adults": "Young adults and students",
    "parents": "Parents",
    "healthcare_workers": "Healthcare workers",
}


def approach_name(key: str) -> str:
    """Return the human name of an approach key, or the key itself if unknown."""
    term = APPROACHES.get(key)
    return term.name if term else key


def state_name(code: str) -> str:
    """Return the name of a USPS state code, or the code itself if unknown."""
    return STATES.get(code, (code, 0))[0]
