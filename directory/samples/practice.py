"""How sample practitioners work: approaches, training, fees and insurance, as weights."""

from __future__ import annotations

from directory.samples.choice import Weighted

APPROACH_WEIGHTS = {
    "attachment": 22,
    "eft": 14,
    "cbt_schema": 30,
    "dbt": 12,
    "ifs": 14,
    "psychodynamic": 14,
    "somatic": 18,
}
# Pull on the structured (1) ... exploratory (5) style scale.
APPROACH_STYLE = {
    "cbt_schema": -1.5,
    "dbt": -1.5,
    "attachment": 1.0,
    "eft": 1.0,
    "psychodynamic": 1.5,
    "ifs": 0.3,
    "somatic": 0.2,
}
TRAINING = Weighted([("workshop", 45), ("intensive", 30), ("certified", 20), ("trainer", 5)])
DOCTORATES = Weighted([("PhD", 48), ("PsyD", 46), ("EdD", 6)])
APPROACH_COUNT = Weighted([(1, 20), (2, 35), (3, 30), (4, 15)])
CONCERN_COUNT = Weighted([(1, 15), (2, 30), (3, 30), (4, 15), (5, 10)])
PROGRESS_COUNT = Weighted([(0, 25), (1, 35), (2, 28), (3, 12)])
FORMAT_CHOICE = Weighted([("telehealth", 35), ("in_person", 20), ("both", 45)])
PLAN_COUNT = Weighted([(0, 35), (1, 20), (2, 20), (3, 15), (4, 10)])
COMMUNITY_COUNT = Weighted([(0, 30), (1, 30), (2, 22), (3, 12), (4, 6)])
INSURANCE_WEIGHTS = {
    "bcbs": 25,
    "aetna": 18,
    "optum": 18,
    "cigna": 16,
    "medicaid": 10,
    "medicare": 8,
    "magellan": 5,
    "tricare": 5,
    "humana": 4,
    "kaiser": 3,
}
BASE_FEES = {
    "psychologist": 190,
    "clinical_social_worker": 140,
    "professional_counselor": 135,
    "marriage_family_therapist": 145,
}
