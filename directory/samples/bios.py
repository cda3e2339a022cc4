"""Sample headlines and bios, assembled from varied sentence templates."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from directory.core import vocabulary as v
from directory.samples.phrases import (
    APPROACH_SENTENCES,
    COMMUNITY_PHRASES,
    CONCERN_PHRASES,
    CONCERN_SHORT,
    NEGLECT_SENTENCES,
    THEME_SENTENCES,
)

MAX_BIO_CHARS = 1500


def _join(items: Sequence[str]) -> str:
    """Return "a", "a and b" or "a, b, and c" (with a serial comma, as items may hold "and")."""
    if len(items) <= 2:
        return " and ".join(items)
    return f"{', '.join(items[:-1])}, and {items[-1]}"


def _place(code: str) -> str:
    """Return a state's name as it reads after "in": "Ohio", "the District of Columbia"."""
    return "the District of Columbia" if code == "DC" else v.state_name(code)


def _city_state(city: str, code: str) -> str:
    return f"{city}, DC" if code == "DC" else f"{city}, {v.state_name(code)}"


def _article(phrase: str) -> str:
    return "an" if phrase[:1].lower() in "aeiou" else "a"


def make_headline(rng: random.Random, r: dict[str, Any], long_title: str) -> str:
    concerns = [CONCERN_SHORT[c] for c in r["concerns"]]
    approach = v.APPROACHES[next(iter(r["approaches"]))].name
    state_name = _place(r["state"])
    options = [
        f"{long_title.capitalize()} helping adults with {_join(concerns[:2])}",
        f"{approach} for {_join(concerns[:2])}",
        f"Warm, collaborative therapy for {concerns[0]} in {r['city']}",
        "Learning to name feelings, set boundaries and trust that your needs matter",
        "From self-criticism to self-compassion: therapy for adults who learned to go it alone",
        f"{approach} for adults who grew up without much emotional support",
    ]
    if r["telehealth"]:
        options.append(f"Telehealth across {state_name}: support with {_join(concerns[:2])}")
    if r["in_person"]:
        options.append(f"{r['city']} therapist for {_join(concerns[:2])}")
    if len(r["approaches"]) > 1:
        second = v.APPROACHES[list(r["approaches"])[1]].name
        options.append(f"{approach} and {second} for {concerns[0]}")
    headline = rng.choice(options)
    return headline if len(headline) <= 160 else options[3]


def make_bio(
    rng: random.Random,
    r: dict[str, Any],
    long_title: str,
    supervisor: tuple[str, str] | None,
) -> str:
    """Return a plain-text bio assembled from varied templates, at most MAX_BIO_CHARS long."""
    city = r["city"]
    years = r["years_in_practice"]
    # (paragraph, required, text)
    parts: list[tuple[int, bool, str]] = []

    place = _city_state(city, r["state"])
    where = f"in {place}" if r["in_person"] else f"based in {place}"
    if years == 0:
        experience = "who recently finished graduate training"
    elif years == 1:
        experience = "with a year of clinical experience"
    else:
        experience = f"with {years} years of clinical experience"
    intro = rng.choice(
        (
            f"I'm {_article(long_title)} {long_title} {where} {experience}.",
            f"As {_article(long_title)} {long_title} {where}, I work with adults who want to "
            "understand themselves and their relationships more deeply.",
            f"I am {_article(long_title)} {long_title} {experience}, "
            f"{'seeing clients in' if r['in_person'] else 'working from'} {place}.",
            f"Welcome. I'm {_article(long_title)} {long_title} {where}.",
        )
    )
    parts.append((0, True, intro))
    if supervisor:
        name, title = supervisor
        parts.append(
            (
                0,
                True,
                rng.choice(
                    (
                        f"I am completing my supervised clinical hours under {name}, {title}.",
                        f"As a pre-licensed clinician, I practise under the supervision of "
                        f"{name}, {title}.",
                    )
                ),
            )
        )
    concerns = [rng.choice(CONCERN_PHRASES[c]) for c in r["concerns"][:3]]
    parts.append(
        (
            0,
            True,
            rng.choice(
                (
                    f"I often work with people who struggle with {_join(concerns)}.",
                    f"Clients usually come to me because of {_join(concerns)}.",
                    f"Much of my work is with adults facing {_join(concerns)}.",
                    f"People often find me when they are dealing with {_join(concerns)}.",
                )
            ),
        )
    )
    if r["neglect_experience"]:
        parts.append((0, False, rng.choice(NEGLECT_SENTENCES)))

    approaches = list(r["approaches"])
    names = [v.APPROACHES[k].name for k in approaches]
    parts.append(
        (
            1,
            True,
            rng.choice(
                (
                    f"My work draws on {_join(names)}.",
                    f"In sessions I integrate {_join(names)}.",
                    f"I am trained in {_join(names)}, and I adapt them to each person.",
                    f"The approaches I use most are {_join(names)}.",
                )
                if len(names) > 1
                else (
                    f"My work is grounded in {names[0]}.",
                    f"I mainly use {names[0]}, adapted to each person.",
                )
            ),
        )
    )
    parts.append((1, False, rng.choice(APPROACH_SENTENCES[approaches[0]])))
    top = max(approaches, key=lambda k: v.TRAINING_RANK[r["approaches"][k]])
    level, top_name = r["approaches"][top], v.APPROACHES[top].name
    if level == "trainer":
        parts.append((1, False, f"I also train and supervise other clinicians in {top_name}."))
    elif level == "certified":
        parts.append((1, False, f"I am certified in {top_name}."))
    elif level == "intensive":
        parts.append((1, False, f"I have completed intensive training in {top_name}."))
    for theme in rng.sample(sorted(THEME_SENTENCES), rng.randint(1, 2)):
        parts.append((1, False, rng.choice(THEME_SENTENCES[theme])))
    if r["style"] <= 2:
        style = (
            "My style is structured and skills-focused: we set clear goals and you leave with "
            "tools to practise between sessions.",
            "I tend to be practical and direct, with optional exercises between sessions.",
        )
    elif r["style"] == 3:
        style = (
            "I blend practical skills with time to explore where your patterns come from.",
            "Some sessions focus on concrete skills and others on understanding your story; a mix "
            "often works best.",
        )
    else:
        style = (
            "My style is exploratory and relational: we follow what comes up and notice what "
            "happens between us.",
            "I go at your pace and leave room for feelings that take time to surface.",
        )
    parts.append((1, False, rng.choice(style)))
    if r["collaborative_goals"]:
        parts.append(
            (1, False, "We agree on goals together and check in regularly on how therapy is going.")
        )
    if "mood_scales" in r["progress_tracking"]:
        parts.append(
            (
                1,
                False,
                "I use short questionnaires every few weeks so we can see progress together.",
            )
        )
    if "relationship_metrics" in r["progress_tracking"]:
        parts.append((1, False, "For couples and family work I track change with brief measures."))
    if r["typical_course_weeks"] and rng.random() < 0.5:
        months = max(3, round(r["typical_course_weeks"] / 4.33))
        text = f"Many clients work with me for about {months} months"
        text += (
            ", and some come back later for occasional booster sessions."
            if r["booster_sessions"]
            else "."
        )
        parts.append((1, False, text))
    if r["confidentiality_discussed"] and rng.random() < 0.4:
        parts.append(
            (
                1,
                False,
                "In our first session I explain how confidentiality works and where its limits "
                "are, so you know what to expect.",
            )
        )

    states = [_place(lic["state"]) for lic in r["licenses"]]
    if r["in_person"] and r["telehealth"]:
        fmt = rng.choice(
            (
                f"I see clients in person in {city} and by telehealth anywhere in {_join(states)}.",
                f"Sessions are available at my {city} office or by secure video for clients in "
                f"{_join(states)}.",
            )
        )
    elif r["telehealth"]:
        fmt = rng.choice(
            (
                f"I work by telehealth only, with clients located in {_join(states)}.",
                f"All sessions are by secure video, for clients anywhere in {_join(states)}.",
            )
        )
    else:
        fmt = rng.choice(
            (
                f"I see clients in person at my office in {city}.",
                f"Sessions take place in person in {city}; I find the shared room helps.",
            )
        )
    parts.append((2, True, fmt))
    if r["in_person"] and "wheelchair" in r["accommodations"]:
        parts.append((2, False, "The office is wheelchair accessible."))
    kinds = [a["kind"] for a in r["authorities"]]
    privileges = [a["state"] for a in r["authorities"] if a["kind"] == "counseling_privilege"]
    if "psypact_apit" in kinds and r["telehealth"]:
        parts.append(
            (
                2,
                False,
                "Through PSYPACT I can also offer telepsychology to clients in other "
                "participating states.",
            )
        )
    if privileges:
        remote = _join([_place(s) for s in privileges])
        parts.append(
            (2, False, f"Through the Counseling Compact I can also see clients in {remote}.")
        )
    if len(r["languages"]) > 1:
        spoken = _join([v.LANGUAGES[code] for code in r["languages"]])
        parts.append(
            (
                2,
                True,
                rng.choice(
                    (
                        f"Sessions are available in {spoken}.",
                        f"I offer therapy in {spoken}.",
                    )
                ),
            )
        )
    if r["communities"]:
        groups = _join([COMMUNITY_PHRASES[c] for c in r["communities"][:3]])
        parts.append(
            (
                2,
                False,
                rng.choice(
                    (
                        f"I have particular experience working with {groups}.",
                        f"I especially enjoy working with {groups}.",
                    )
                ),
            )
        )
    if not r["accepting_new_clients"]:
        closing = (
            "I am not taking new clients right now, but you are welcome to ask about my waitlist."
        )
    elif r["free_consultation"]:
        closing = rng.choice(
            (
                "I offer a free 15-minute consultation so you can see whether we are a good fit.",
                "A free initial call is a low-pressure way to ask questions and see how it feels.",
            )
        )
    else:
        closing = rng.choice(
            (
                "Reaching out can be the hardest part; I look forward to hearing from you.",
                "Finding the right fit matters, and I am happy to answer questions before we "
                "begin.",
                "Whenever you feel ready, I would be glad to hear what brings you here.",
            )
        )
    parts.append((2, False, closing))
    if r["sliding_scale_min"] is not None:
        parts.append((2, False, "A limited number of sliding-scale spots are available."))

    # Drop optional sentences in a random order until the bio fits.
    optional = [i for i, part in enumerate(parts) if not part[1]]
    rng.shuffle(optional)
    kept = set(range(len(parts)))

    def render() -> str:
        paragraphs: list[list[str]] = [[], [], []]
        for i in sorted(kept):
            paragraphs[parts[i][0]].append(parts[i][2])
        return "\n\n".join(" ".join(p) for p in paragraphs if p)

    text = render()
    while len(text) > MAX_BIO_CHARS and optional:
        kept.discard(optional.pop())
        text = render()
    return text
