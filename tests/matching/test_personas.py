"""People with different needs, through the JSON API, against the 1,000 fictional samples."""

from datetime import date

from directory.core.authority import practice_authorities
from directory.core.compacts import load_compacts
from directory.core.geography import haversine_miles, zip_location
from directory.extensions import db
from directory.practitioners.models import Practitioner

TODAY = date(2026, 11, 1)


def profiles(app, body):
    slugs = [r["slug"] for r in body["results"]]
    with app.app_context():
        rows = db.session.scalars(db.select(Practitioner).where(Practitioner.slug.in_(slugs)))
        by_slug = {p.slug: p for p in rows}
        return [(by_slug[s].to_profile(), by_slug[s].latitude, by_slug[s].longitude) for s in slugs]


def may_practise(profile, state):
    return practice_authorities(profile, TODAY, load_compacts()).get(state)


def test_ohio_teletherapy_on_a_tight_budget_with_a_sliding_scale(sample_app, api):
    body = api(state="OH", format="telehealth", max_fee=80, needs_sliding_scale=True,
               cost_is_firm_limit=True, importance={"cost": 2})  # fmt: skip
    found = profiles(sample_app, body)
    assert found, body
    for prof, *_ in found:
        assert may_practise(prof, "OH") and prof.telehealth
        assert prof.lowest_fee <= 80
    assert found[0][0].sliding_scale_min is not None
    assert body["excluded"]["license"] > 500


def test_in_person_near_san_francisco_wanting_dbt_and_evenings(sample_app, api):
    body = api(state="CA", format="in_person", zip="94103", max_distance_miles=25,
               approaches_liked=["dbt"], evenings=True,
               importance={"approach": 2, "logistics": 2})  # fmt: skip
    found = profiles(sample_app, body)
    assert len(found) >= 3
    origin = zip_location("94103")[1:]
    for prof, lat, lon in found:
        assert prof.in_person and prof.state == "CA"
        assert haversine_miles(origin, (lat, lon)) <= 25
    # Everyone offering both of what matters most comes first.
    both = [p for p, *_ in found if "dbt" in p.approach_keys and p.evening_hours]
    assert both and [p for p, *_ in found[: len(both)]] == both


def test_a_spanish_speaker_who_needs_a_spanish_speaking_therapist(sample_app, api):
    body = api(state="TX", languages=["es"], language_required=True)
    found = profiles(sample_app, body)
    assert found and all("es" in prof.languages for prof, *_ in found)
    assert body["excluded"].get("language", 0) > 0


def test_exploratory_work_with_liked_approaches(sample_app, api):
    body = api(
        state="NY",
        approach_preference="exploratory",
        approaches_liked=["attachment", "psychodynamic"],
        importance={"approach": 2},
    )
    for prof, *_ in profiles(sample_app, body)[:5]:
        assert {"attachment", "psychodynamic"} & set(prof.approach_keys)


def test_excluding_an_approach_removes_everyone_who_uses_it(sample_app, api):
    body = api(state="FL", approaches_avoided=["cbt_schema"], exclude_avoided=True, limit=200)
    assert body["excluded"]["avoided_approach"] > 0
    assert all("cbt_schema" not in p.approach_keys for p, *_ in profiles(sample_app, body))


def test_no_associates(sample_app, api):
    with_them = api(state="CA", limit=200)
    without = api(state="CA", allow_associates=False, limit=200)
    assert without["excluded"].get("associate", 0) > 0
    assert len(without["results"]) < len(with_them["results"])
    for prof, *_ in profiles(sample_app, without):
        assert not may_practise(prof, "CA").supervised


def test_insurance_with_a_firm_budget(sample_app, api):
    body = api(state="PA", insurance="aetna", max_fee=60, cost_is_firm_limit=True, limit=200)
    for prof, *_ in profiles(sample_app, body):
        assert "aetna" in prof.insurance or prof.lowest_fee <= 60
    assert body["results"][0]["components"][3]["reason"].startswith("Takes your insurance")


def test_an_lgbtq_therapist_matters_very_much(sample_app, api):
    body = api(state="CA", therapist_lgbtq=True, importance={"culture": 2})
    top = [prof for prof, *_ in profiles(sample_app, body)[:5]]
    assert top and all(p.lgbtq for p in top)


def test_a_woman_therapist(sample_app, api):
    body = api(state="NY", therapist_gender="woman", importance={"culture": 2})
    top = [prof for prof, *_ in profiles(sample_app, body)[:5]]
    assert top and all("woman" in p.gender_identity.lower() for p in top)


def test_progress_by_mood_scales(sample_app, api):
    body = api(state="IL", progress_tracking=["mood_scales"], importance={"progress": 2})
    top = [prof for prof, *_ in profiles(sample_app, body)[:5]]
    assert top and all("mood_scales" in p.progress_tracking for p in top)


def test_weekends_and_a_free_consultation(sample_app, api):
    body = api(state="TX", weekends=True, free_consultation=True, importance={"logistics": 2})
    top = [prof for prof, *_ in profiles(sample_app, body)[:3]]
    assert top and all(p.weekend_hours and p.free_consultation for p in top)


def test_impossible_requirements_leave_an_explained_empty_result(sample_app, api):
    body = api(state="WY", format="in_person", zip="82001", max_distance_miles=5,
               languages=["ja"], language_required=True)  # fmt: skip
    assert body["results"] == []
    assert sum(body["excluded"].values()) == body["considered"] == 1000


def test_considered_is_results_before_the_limit_plus_the_excluded(sample_app, api):
    everyone = api(state="CA", limit=200)
    limited = api(state="CA", limit=5)
    assert len(limited["results"]) == 5
    before_limit = len(everyone["results"])
    assert before_limit < 200
    assert limited["considered"] == before_limit + sum(limited["excluded"].values()) == 1000


def test_the_same_answers_give_the_same_order(sample_app, api):
    a = api(state="CA", concerns=["self_criticism"], limit=50)
    b = api(state="CA", concerns=["self_criticism"], limit=50)
    assert [r["slug"] for r in a["results"]] == [r["slug"] for r in b["results"]]
