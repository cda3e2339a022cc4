"""The sentence pieces sample headlines and bios are assembled from."""

from __future__ import annotations

CONCERN_PHRASES = {
    "self_criticism": (
        "a harsh inner critic",
        "chronic self-criticism",
        "a lingering sense of not being good enough",
        "low self-worth",
    ),
    "naming_emotions": (
        "difficulty recognising or naming feelings",
        "feeling numb or unsure what they feel",
        "emotions that seem to come out of nowhere",
    ),
    "attachment_trust": (
        "anxious or avoidant patterns in close relationships",
        "trouble trusting others or letting people in",
    ),
    "people_pleasing": (
        "people-pleasing or perfectionism",
        "boundaries that keep giving way until burnout or resentment sets in",
        "a habit of putting everyone else first",
    ),
    "relational_mood": (
        "depression or anxiety that feels tied to relationships",
        "low mood rooted in how they relate to others",
        "stress that seems to come from their closest relationships",
    ),
    "relationships": (
        "strained communication with a partner or family",
        "a lack of closeness in their relationships",
        "intimacy that has faded over the years",
    ),
}
CONCERN_SHORT = {
    "self_criticism": "self-criticism",
    "naming_emotions": "naming emotions",
    "attachment_trust": "attachment worries",
    "people_pleasing": "people-pleasing",
    "relational_mood": "relational anxiety",
    "relationships": "relationship strain",
}
APPROACH_SENTENCES = {
    "attachment": (
        "Attachment-focused work helps us notice the relational patterns you learned early on "
        "and practise healthier ways of giving and receiving care.",
        "From an attachment perspective, we look at how you learned to seek comfort and how "
        "that shows up with the people you love today.",
    ),
    "eft": (
        "With EFT we slow down to identify, explore and transform emotions rather than push "
        "them away.",
        "Emotion-focused work treats feelings as useful signals; we make room for them and "
        "learn what they are asking for.",
    ),
    "cbt_schema": (
        "CBT and schema work help us spot recurring thought patterns and the core beliefs "
        "underneath them.",
        "Using CBT and schema therapy, we trace old beliefs about yourself and others and test "
        "out kinder, more accurate ones.",
    ),
    "dbt": (
        "DBT skills offer practical tools for emotion regulation, distress tolerance, "
        "mindfulness and asking for what you need.",
        "From DBT I bring concrete skills for riding out intense emotions and handling "
        "conflict without losing yourself.",
    ),
    "ifs": (
        "Using Internal Family Systems, we get to know the parts of you, such as the critic or "
        "the caretaker, and what each of them needs.",
        "IFS gives us a gentle way to talk with the inner critic and the parts of you that work "
        "so hard to keep everyone happy.",
    ),
    "psychodynamic": (
        "Psychodynamic and relational work explores how early experiences shape the way you "
        "relate to yourself and others today.",
        "In relational work we pay attention to old patterns as they come alive in the present, "
        "including between us.",
    ),
    "somatic": (
        "Mindfulness and body-based practices help with grounding, stress and a kinder "
        "relationship with bodily sensations.",
        "We also use grounding and mindfulness, because the body often registers feelings "
        "before we have words for them.",
    ),
}
THEME_SENTENCES = {
    "naming": (
        "Together we practise noticing and naming emotions, so that feelings become information "
        "instead of something to fear.",
        "A big part of therapy with me is learning to recognise what you feel and put it into "
        "words.",
    ),
    "compassion": (
        "I hope you leave sessions treating yourself with some of the kindness you so readily "
        "offer others.",
        "We work on replacing self-criticism with self-compassion, one small step at a time.",
    ),
    "boundaries": (
        "We also work on boundaries: saying no without guilt and noticing when you are "
        "overextending.",
        "Setting boundaries and expressing needs are skills, and we can practise them together.",
    ),
    "secure": (
        "The aim is relationships that feel safer and more secure, starting with the one in "
        "this room.",
        "Over time, many clients find they can let people closer and trust that their needs "
        "matter.",
    ),
}
NEGLECT_SENTENCES = (
    "Many of the people I see grew up in families where feelings were rarely noticed or talked "
    "about, even though nothing obviously bad happened.",
    "I have particular experience with childhood emotional neglect: the quiet absence of "
    "attunement that can leave adults feeling empty or hard to know.",
    "A lot of my clients had their practical needs met as children but not their emotional "
    "ones, and I know how hard that can be to put into words.",
)
COMMUNITY_PHRASES = {
    "lgbtq": "LGBTQ+ people",
    "bipoc": "BIPOC clients",
    "immigrants": "immigrant and first-generation families",
    "veterans": "military and veteran families",
    "faith": "people of faith",
    "neurodivergent": "neurodivergent adults",
    "disability": "people living with disabilities",
    "older_adults": "older adults",
    "young_adults": "young adults at college or early in their careers",
    "parents": "parents",
    "healthcare_workers": "healthcare workers",
}
