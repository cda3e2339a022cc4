"""The matching API's validation: every problem is a 400 naming its field."""

import pytest

# The same API and page tests on each search backend (on PostgreSQL runs).
pytestmark = pytest.mark.both_backends


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "state"),
        ({"state": "ZZ"}, "state"),
        ({"state": 5}, "state"),
        ({"state": "OH", "favourite": "x"}, "favourite"),
        ({"state": "OH", "approaches_liked": ["reiki"]}, "approaches_liked"),
        ({"state": "OH", "approaches_liked": "dbt"}, "approaches_liked"),
        ({"state": "OH", "max_fee": "cheap"}, "max_fee"),
        ({"state": "OH", "max_fee": -1}, "max_fee"),
        ({"state": "OH", "evenings": "yes"}, "evenings"),
        ({"state": "OH", "format": "carrier_pigeon"}, "format"),
        ({"state": "OH", "zip": "00000"}, "zip"),
        ({"state": "OH", "zip": 43215}, "zip"),
        ({"state": "OH", "zip": "10001"}, "zip"),  # a New York ZIP
        ({"state": "OH", "importance": {"vibes": 2}}, "importance"),
        ({"state": "OH", "importance": {"cost": 5}}, "importance"),
        ({"state": "OH", "language_required": True}, "languages"),
        ({"state": "OH", "cost_is_firm_limit": True}, "max_fee"),
        ({"state": "OH", "access_required": True}, "access_needs"),
        ({"state": "OH", "access_needs": ["ramp"]}, "access_needs"),
        ({"state": "OH", "pace": "fast"}, "pace"),
        ({"state": "OH", "course_length": "forever"}, "course_length"),
        ({"state": "OH", "frequency": "daily"}, "frequency"),
        ({"state": "OH", "values": "x" * 301}, "values"),
        ({"state": "OH", "approaches_liked": ["dbt"], "approaches_avoided": ["dbt"]},
         "approaches_avoided"),
        ({"state": "OH", "limit": 0}, "limit"),
        ({"state": "OH", "limit": "ten"}, "limit"),
    ],
)  # fmt: skip
def test_bad_answers_get_a_400_naming_the_field(sample_app, body, field):
    r = sample_app.test_client().post("/api/v1/match", json=body)
    assert r.status_code == 400
    assert r.json["message"].startswith(f"{field}:")
    assert field in r.json["errors"]


def test_a_body_that_is_not_a_json_object(sample_app):
    client = sample_app.test_client()
    for kwargs in ({"data": "state=OH"}, {"json": ["OH"]}, {"data": "{", "content_type":
                                                              "application/json"}):  # fmt: skip
        r = client.post("/api/v1/match", **kwargs)
        assert r.status_code == 400 and r.json["message"].startswith("body:")


def test_the_api_needs_no_cookie_and_sets_none(sample_app):
    r = sample_app.test_client().post("/api/v1/match", json={"state": "OH"})
    assert r.status_code == 200
    assert "Set-Cookie" not in r.headers


def test_result_shape(sample_app):
    body = sample_app.test_client().post("/api/v1/match", json={"state": "CA", "limit": 2}).json
    assert set(body) == {"results", "excluded", "considered", "more_if_relaxed"}
    first = body["results"][0]
    assert {"slug", "name", "score", "weighted", "components", "caveats"} <= set(first)
    assert [c["key"] for c in first["components"]] == [
        "approach", "concerns", "qualifications", "cost", "culture", "logistics", "progress"
    ]  # fmt: skip
    assert {"key", "label", "score", "weight", "reason"} == set(first["components"][0])


def test_two_apps_in_one_process_never_share_match_features(tmp_path):
    """Practitioner 1 of one database is not practitioner 1 of another."""
    from tests.apps import make_app
    from tests.factories import make_record

    answers = {"state": "OH", "format": "telehealth"}
    for folder, state, zip_code, shown in (("a", "OH", "43215", 1), ("b", "KY", "40202", 0)):
        (tmp_path / folder).mkdir()
        with make_app(tmp_path / folder) as app:
            from directory.core.records import parse_record
            from directory.extensions import db
            from directory.practitioners.importer import import_profiles

            record = make_record(state=state, zip=zip_code, license={"state": state})
            with app.app_context():
                import_profiles(db.session, [parse_record(record)])
                db.session.commit()
            body = app.test_client().post("/api/v1/match", json=answers).json
            assert len(body["results"]) == shown, state


def test_with_every_area_unimportant_there_is_no_score_only_the_checklists_order(sample_app):
    from matching.preferences import COMPONENTS

    zero = {key: 0 for key in COMPONENTS}
    r = sample_app.test_client().post(
        "/api/v1/match", json={"state": "OH", "max_fee": 100, "importance": zero, "limit": 20}
    )
    results = r.json["results"]
    assert results and all(m["score"] is None and m["weighted"] is False for m in results)
    assert all(c["weight"] == 0 for m in results for c in m["components"])
    # Answers with something to compare are weighted and scored.
    scored = sample_app.test_client().post("/api/v1/match", json={"state": "OH", "max_fee": 100})
    assert all(m["weighted"] and 0 <= m["score"] <= 100 for m in scored.json["results"])
