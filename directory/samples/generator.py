"""Fictional practitioner records, generated deterministically for demos, tests and benchmarks.

Every record is made up: names come from Faker, license numbers are random digits, and bios are
assembled from sentence templates. Record ``i`` depends only on ``(seed, i, today)`` (plus the
vocabulary, the compact lists in ``data/`` and the ZIP database), never on how many records are
asked for, the clock or the machine, so a benchmark of 100,000 records starts with the same 1,000
that ship in ``data/sample_practitioners.json``.

Run ``python -m directory.samples --count N --seed S --out FILE`` to write a file.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from directory.core import vocabulary as v
from directory.samples.availability import availability, contact_details, pace_and_frequency
from directory.samples.bios import make_bio, make_headline
from directory.samples.choice import in_order, round5, weighted_sample
from directory.samples.licenses import (
    ASSOCIATE_SHARE,
    HIGH_COST_STATES,
    KAISER_STATES,
    KIND_CHOICE,
    LOW_COST_STATES,
    MASTERS_DEGREES,
    Title,
    accommodations,
    compact_authority,
    full_title,
    license_expiry,
    license_number,
    license_status,
    license_title,
)
from directory.samples.people import faker_for, person_name, pick_identity, pick_languages
from directory.samples.places import (
    issuing_members,
    nearby_states,
    other_state,
    pick_state,
    pick_zip,
)
from directory.samples.practice import (
    APPROACH_COUNT,
    APPROACH_STYLE,
    APPROACH_WEIGHTS,
    BASE_FEES,
    COMMUNITY_COUNT,
    CONCERN_COUNT,
    DOCTORATES,
    FORMAT_CHOICE,
    INSURANCE_WEIGHTS,
    PLAN_COUNT,
    PROGRESS_COUNT,
    TRAINING,
)

DEFAULT_SEED = 20261126
DEFAULT_TODAY = date(2026, 11, 1)


def _record(seed: int, index: int, today: date) -> dict[str, Any]:
    """Return sample record ``index``, depending only on the seed, the index and today."""
    rng = random.Random(f"{seed}:{index}")
    psypact_members, counseling_members = issuing_members(today)

    state = pick_state(rng, seed, index)
    zip_code, city, _, _ = pick_zip(rng, state)
    kind = KIND_CHOICE.pick(rng)
    supervised = kind != "psychologist" and rng.random() < ASSOCIATE_SHARE
    if supervised and license_title(kind, state, True) is None:
        supervised = False  # this state has no supervised level of the license

    # Licenses.
    title = license_title(kind, state, True) if supervised else None
    title = title or full_title(kind, state)
    status, verified_on = license_status(rng, supervised, today)
    supervisor_name = supervisor_license = None
    supervisor_title: Title | None = None
    if supervised:
        sup = faker_for("en_US")
        sup.seed_instance(f"{seed}:{index}:supervisor")
        supervisor_name = person_name(sup, rng.choice(("woman", "woman", "man")))
        supervisor_title = license_title(kind, state, False)
        assert supervisor_title is not None  # noqa: S101 (as above)
        supervisor_license = (
            f"{supervisor_title.short} {license_number(rng, supervisor_title, state)}"
        )
    licenses = [
        {
            "kind": kind,
            "state": state,
            "number": license_number(rng, title, state),
            "expires_on": license_expiry(rng, today),
            "status": status,
            "verified_on": verified_on,
            "supervised": supervised,
            "supervisor_name": supervisor_name,
            "supervisor_license": supervisor_license,
        }
    ]
    titles = [title]
    if not supervised and rng.random() < 0.163:
        other = other_state(rng, state, (state,))
        other_title = full_title(kind, other)
        other_status, other_verified = license_status(rng, False, today)
        licenses.append(
            {
                "kind": kind,
                "state": other,
                "number": license_number(rng, other_title, other),
                "expires_on": license_expiry(rng, today),
                "status": other_status,
                "verified_on": other_verified,
                "supervised": False,
                "supervisor_name": None,
                "supervisor_license": None,
            }
        )
        if other_title not in titles:
            titles.append(other_title)
    licensed_states = [lic["state"] for lic in licenses]

    if kind == "psychologist":
        credentials = DOCTORATES.pick(rng)
    else:
        degrees = MASTERS_DEGREES[kind]
        degree = rng.choice([d for d in degrees if d != "PhD"] if supervised else degrees)
        credentials = ", ".join([degree, *(t.short for t in titles if t.abbreviated)])

    # Compact authorities, only as today's rules allow: an APIT for a psychologist who
    # practises from an issuing PSYPACT state where they are licensed; privileges for an
    # independent counselor whose home state issues, into other issuing states.
    authorities: list[dict[str, Any]] = []
    if kind == "psychologist" and state in psypact_members and rng.random() < 0.45:
        authorities.append(compact_authority(rng, "psypact_apit", None, today))
        if rng.random() < 0.1:
            authorities.append(compact_authority(rng, "psypact_tap", None, today))
    if kind == "professional_counselor" and not supervised and state in counseling_members:
        if rng.random() < 0.35:
            candidates = [
                s
                for s in nearby_states()[state]
                if s in counseling_members and s not in licensed_states
            ][:4]
            for remote in sorted(rng.sample(candidates, min(len(candidates), rng.randint(1, 2)))):
                authorities.append(compact_authority(rng, "counseling_privilege", remote, today))
    psypact_apit = any(a["kind"] == "psypact_apit" for a in authorities)

    # Clinical profile.
    count = APPROACH_COUNT.pick(rng)
    chosen = weighted_sample(rng, APPROACH_WEIGHTS, count)
    approaches: dict[str, str] = {}
    years = rng.randint(0, 3) if supervised else min(40, int(rng.triangular(1, 41, 9)))
    for key in chosen:
        level = TRAINING.pick(rng)
        if supervised and level in ("certified", "trainer"):
            level = "intensive" if rng.random() < 0.3 else "workshop"
        elif level == "trainer" and years < 8:
            level = "certified"
        approaches[key] = level
    keys = set(chosen)
    attachment_training = rng.random() < (0.9 if "attachment" in keys else 0.5)
    emotion_training = rng.random() < (0.85 if keys & {"dbt", "eft"} else 0.45)
    concern_count = CONCERN_COUNT.pick(rng)
    concerns = rng.sample(list(v.CONCERNS), concern_count)
    pull = sum(APPROACH_STYLE[k] for k in chosen) / len(chosen)
    style = max(1, min(5, round(3 + pull + rng.gauss(0, 0.7))))
    progress_count = PROGRESS_COUNT.pick(rng)
    progress_weights = {"goals": 5, "mood_scales": 3, "relationship_metrics": 2}
    if kind == "marriage_family_therapist" or "relationships" in concerns:
        progress_weights["relationship_metrics"] = 5
    progress = in_order(weighted_sample(rng, progress_weights, progress_count), v.PROGRESS_METHODS)
    if rng.random() < 0.7:
        course_options: tuple[int, ...]
        if style <= 2:
            course_options = (12, 16, 20, 24, 26)
        elif style == 3:
            course_options = (16, 20, 24, 30, 36, 40, 52)
        else:
            course_options = (26, 36, 40, 52, 65, 78)
        course_weeks: int | None = rng.choice(course_options)
    else:
        course_weeks = None

    # Logistics.
    fmt = FORMAT_CHOICE.pick(rng)
    in_person, telehealth = fmt != "telehealth", fmt != "in_person" or psypact_apit
    base: float = 95 if supervised else BASE_FEES[kind]
    if state in HIGH_COST_STATES:
        base *= 1.18
    elif state in LOW_COST_STATES:
        base *= 0.9
    fee = max(60, min(275, round5(rng.gauss(base, 30))))
    sliding = None
    if rng.random() < 0.35:
        sliding = min(fee, round5(fee * rng.uniform(0.4, 0.9)))
    if supervised:
        plan_count = 0 if rng.random() < 0.85 else rng.randint(1, 2)
    else:
        plan_count = PLAN_COUNT.pick(rng)
    plans = dict(INSURANCE_WEIGHTS)
    if state not in KAISER_STATES:
        del plans["kaiser"]
    insurance = in_order(weighted_sample(rng, plans, plan_count), v.INSURANCE_PLANS)
    languages = pick_languages(rng, state)
    who = pick_identity(rng, languages)

    community_count = COMMUNITY_COUNT.pick(rng)
    picked: list[str] = []
    if who["lgbtq"] and rng.random() < 0.7:
        picked.append("lgbtq")
    if len(languages) > 1 and rng.random() < 0.5:
        picked.append("immigrants")
    if who["faith"] and who["faith"] != "Agnostic" and rng.random() < 0.4:
        picked.append("faith")
    pool = [c for c in v.COMMUNITIES if c not in picked]
    picked += rng.sample(pool, max(0, community_count - len(picked)))
    communities = in_order(picked[:4], v.COMMUNITIES)
    accepting = rng.random() < 0.75

    # Name: es_MX for some Spanish speakers, en_US otherwise.
    locale = "es_MX" if "es" in languages and rng.random() < 0.5 else "en_US"
    fake = faker_for(locale)
    fake.seed_instance(f"{seed}:{index}:name")
    name = person_name(fake, who["gender"])

    record: dict[str, Any] = {
        "external_id": f"sample-{index:06d}",
        "name": name,
        "credentials": credentials,
        "headline": "",
        "bio": "",
        "pronouns": who["pronouns"],
        "gender_identity": who["gender_identity"],
        "cultural_background": who["cultural_background"],
        "faith": who["faith"],
        "lgbtq": who["lgbtq"],
        "licenses": licenses,
        "home_state": state,
        "authorities": authorities,
        "approaches": approaches,
        "attachment_training": attachment_training,
        "emotion_regulation_training": emotion_training,
        "concerns": concerns,
        "neglect_experience": rng.random() < 0.55,
        "years_in_practice": years,
        "style": style,
        "collaborative_goals": rng.random() < 0.8,
        "progress_tracking": progress,
        "supervision": supervised or rng.random() < 0.6,
        "ce_hours_2y": int(rng.triangular(0, 121, 40)),
        "confidentiality_discussed": rng.random() < 0.85,
        "typical_course_weeks": course_weeks,
        "booster_sessions": rng.random() < 0.4,
        "in_person": in_person,
        "telehealth": telehealth,
        "city": city,
        "state": state,
        "zip": zip_code,
        "accommodations": accommodations(rng, in_person, telehealth),
        "fee": fee,
        "sliding_scale_min": sliding,
        "insurance": insurance,
        "free_consultation": rng.random() < 0.55,
        "languages": list(languages),
        "communities": communities,
        "evening_hours": rng.random() < 0.45,
        "weekend_hours": rng.random() < 0.2,
        "accepting_new_clients": accepting,
        "accepting_confirmed_on": (
            (today - timedelta(days=rng.randint(0, 90))).isoformat() if accepting else None
        ),  # re-drawn below, mostly fresh
        "sample": True,
        "published": True,
    }
    record.update(pace_and_frequency(random.Random(f"{seed}:{index}:pace"), style))
    record.update(availability(random.Random(f"{seed}:{index}:availability"), accepting, today))
    record.update(contact_details(random.Random(f"{seed}:{index}:contact"), name, zip_code))
    long_title = title.name
    if kind == "psychologist" and rng.random() < 0.5:
        long_title = "clinical psychologist"
    record["headline"] = make_headline(rng, record, long_title)
    supervisor = (
        (supervisor_name, supervisor_title.short) if supervisor_name and supervisor_title else None
    )
    record["bio"] = make_bio(rng, record, long_title, supervisor)
    return record


def generate_records(
    count: int, *, seed: int = DEFAULT_SEED, today: date = DEFAULT_TODAY
) -> Iterator[dict[str, Any]]:
    """Yield ``count`` fictional records; record i depends only on the seed, i and today."""
    if count < 0:
        raise ValueError("count must not be negative")
    for index in range(count):
        yield _record(seed, index, today)


def write_samples(
    path: str | Path, count: int, seed: int = DEFAULT_SEED, today: date = DEFAULT_TODAY
) -> int:
    """Write ``count`` sample records to ``path`` as a JSON array, one record per line."""
    written = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write("[\n")
        for record in generate_records(count, seed=seed, today=today):
            out.write(
                (",\n" if written else "") + json.dumps(record, sort_keys=True, ensure_ascii=False)
            )
            written += 1
        out.write("\n]\n")
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Parse command-line arguments and write a sample file."""
    parser = argparse.ArgumentParser(
        prog="python -m directory.samples", description="Write fictional practitioner records."
    )
    parser.add_argument("--count", type=int, default=1000, help="number of records")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=DEFAULT_TODAY,
        help="the date records are relative to (YYYY-MM-DD)",
    )
    parser.add_argument("--out", type=Path, required=True, help="JSON file to write")
    args = parser.parse_args(argv)
    written = write_samples(args.out, args.count, seed=args.seed, today=args.today)
    print(f"wrote {written} records to {args.out}")
    return 0
