"""Write the top five match cards of 30 varied personas, with the facts of each profile shown.

For the review issue 13 asks for: a reader checks that no sentence on a card contradicts the
answers or the profile. Runs against the 1,000 fictional samples in a temporary directory::

    .venv/bin/python benchmarks/persona_cards.py --out /tmp/persona_cards.txt
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from directory.extensions import db  # noqa: E402
from directory.practitioners.models import Practitioner  # noqa: E402
from tests.apps import make_app  # noqa: E402

VERY = 2
PERSONAS: list[dict] = [
    {"state": "TX", "languages": ["es"], "language_required": True,
     "importance": {"culture": VERY}},
    {"state": "TX", "zip": "78207", "max_distance_miles": 25, "format": "either"},
    {"state": "OH", "max_fee": 80, "needs_sliding_scale": True, "importance": {"cost": VERY}},
    {"state": "OH", "max_fee": 120, "insurance": "medicaid", "cost_is_firm_limit": True},
    {"state": "CA", "therapist_background": "Korean American"},
    {"state": "NY", "therapist_gender": "non_binary", "importance": {"culture": VERY}},
    {"state": "GA", "therapist_background": "Black", "therapist_faith": "Christian"},
    {"state": "OH", "importance": dict.fromkeys(("approach", "concerns", "qualifications", "cost",
                                                 "culture", "logistics", "progress"), 0)},
    {"state": "CA", "format": "in_person", "zip": "94103", "approaches_liked": ["dbt"],
     "evenings": True},
    {"state": "FL", "concerns": ["self_criticism", "people_pleasing"],
     "approach_preference": "exploratory", "pace": "gentle"},
    {"state": "IL", "approach_preference": "structured", "pace": "brisk",
     "course_length": "few_months", "frequency": "weekly"},
    {"state": "PA", "course_length": "open_ended", "frequency": "every_other_week"},
    {"state": "WA", "access_needs": ["wheelchair", "sensory_friendly"], "access_required": True},
    {"state": "MA", "access_needs": ["captioning"], "format": "telehealth"},
    {"state": "NC", "values": "my faith, family comes first", "therapist_faith": "Muslim"},
    {"state": "AZ", "allow_associates": False, "max_fee": 150, "free_consultation": True},
    {"state": "CO", "approaches_avoided": ["psychodynamic"], "exclude_avoided": True,
     "approaches_liked": ["ifs", "somatic"]},
    {"state": "MI", "therapist_lgbtq": True, "communities": ["lgbtq"],
     "importance": {"culture": VERY}},
    {"state": "NJ", "languages": ["ko"], "therapist_background": "Korean"},
    {"state": "VA", "progress_tracking": ["mood_scales"], "importance": {"progress": VERY}},
    {"state": "MN", "weekends": True, "evenings": True, "importance": {"logistics": VERY}},
    {"state": "OR", "zip": "97204", "format": "in_person", "max_distance_miles": 10},
    {"state": "TN", "concerns": ["attachment_trust", "relationships"], "pace": "steady"},
    {"state": "WY", "format": "telehealth", "max_fee": 100},
    {"state": "DC", "therapist_gender": "woman", "therapist_background": "Latina"},
    {"state": "MD", "insurance": "aetna", "needs_sliding_scale": True},
    {"state": "NV", "therapist_faith": "Jewish", "values": "humour, honesty"},
    {"state": "WI", "approach_preference": "mix", "concerns": ["naming_emotions"],
     "course_length": "longer"},
    {"state": "OH", "zip": "43210", "format": "either", "max_distance_miles": 5,
     "free_consultation": True, "access_needs": ["wheelchair"]},
    {"state": "CA", "languages": ["vi", "zh"], "max_fee": 90, "cost_is_firm_limit": True,
     "insurance": "medicaid"},
]  # fmt: skip
FACTS = ("fee", "sliding_scale_min", "insurance", "languages", "communities", "gender_identity",
         "pronouns", "cultural_background", "faith", "lgbtq", "pace", "style",
         "typical_course_weeks", "session_frequencies", "accommodations", "in_person",
         "telehealth", "city", "state", "evening_hours", "weekend_hours", "free_consultation",
         "accepting_new_clients", "progress_tracking", "collaborative_goals",
         "neglect_experience", "concerns")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("persona_cards.txt"))
    args = parser.parse_args()
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as folder, make_app(Path(folder), samples=True) as app:
        client = app.test_client()
        for number, answers in enumerate(PERSONAS, 1):
            r = client.post("/api/v1/match", json=answers)
            body = r.get_json()
            lines.append(f"=== Persona {number}: {json.dumps(answers)}")
            if r.status_code != 200:
                lines.append(f"  HTTP {r.status_code}: {body}")
                continue
            lines.append(f"  excluded: {body['excluded']}; more_if_relaxed: "
                         f"{body.get('more_if_relaxed')}")  # fmt: skip
            with app.app_context():
                for result in body["results"][:5]:
                    p = db.session.scalar(
                        db.select(Practitioner).where(Practitioner.slug == result["slug"])
                    ).to_profile()
                    facts = {name: getattr(p, name) for name in FACTS}
                    facts["approaches"] = dict(p.approaches)
                    facts["bio"] = p.bio[:300]
                    lines.append(f"  -- {result['name']} score={result['score']}")
                    lines.append(f"     profile: {facts}")
                    for c in result["components"]:
                        lines.append(f"     [{c['label']}] {c['reason']}")
                    lines.append(f"     caveats: {result['caveats']}")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(PERSONAS)} personas to {args.out}")


if __name__ == "__main__":
    main()
