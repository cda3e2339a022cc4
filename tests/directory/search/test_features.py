"""Match features built with the index: written beside each generation, kept in step by the
drain, merged, and read by matching without the database."""

import re
from datetime import date

import pytest

from directory.extensions import db
from directory.practitioners.models import Practitioner
from directory.search import featurefiles, sync
from tests.apps import sql_statements
from tests.factories import make_record


def ohio(**overrides):
    licenses = [{"kind": "psychologist", "state": "OH", "number": "PSY 1",
                 "expires_on": "2028-01-01", "status": "verified",
                 "verified_on": "2026-01-01"}]  # fmt: skip
    overrides.setdefault("licenses", licenses)
    return make_record(state="OH", zip="43215", **overrides)


def features_of(app):
    return featurefiles.live_features(sync.search_index(app).current_dir())


def matched(client, state="OH"):
    body = client.post("/api/v1/match", json={"state": state, "format": "telehealth"}).json
    return {m["name"] for m in body["results"]}


def searched(client, query):
    body = client.get(f"/api/v1/practitioners?{query}").json
    return {r["name"] for r in body["results"]}


def test_a_rebuild_writes_features_beside_the_generation(app, runner, add):
    add(ohio(name="Ann Able"), ohio(name="Bo Baker"))
    assert runner.invoke(args=["directory", "reindex"]).exit_code == 0
    generation = sync.search_index(app).current_dir()
    assert (generation / "features" / "base-0" / "c.id.npy").is_file()
    features = features_of(app)
    assert features.count() == 2
    assert features.in_state("OH", date(2026, 11, 1)).count == 2
    assert features.in_state("WY", date(2026, 11, 1)).count == 0


def test_saves_and_removals_reach_the_features_through_the_drain(app, client, add):
    add(ohio(name="Ann Able"), ohio(name="Bo Baker"))
    assert matched(client) == {"Ann Able", "Bo Baker"}
    with app.app_context():
        bo = db.session.scalar(db.select(Practitioner).filter_by(name="Bo Baker"))
        bo.name = "Bo Renamed"
        bo.version += 1
        db.session.commit()
    assert matched(client) == {"Ann Able", "Bo Renamed"}
    with app.app_context():
        ann = db.session.scalar(db.select(Practitioner).filter_by(name="Ann Able"))
        ann.published = False
        ann.version += 1
        db.session.commit()
    assert matched(client) == {"Bo Renamed"}
    assert features_of(app).count() == 1
    assert sync.verify(app).ok


def test_past_the_merge_size_the_overlay_is_folded_into_a_new_base(app, client, add, monkeypatch):
    monkeypatch.setattr(featurefiles, "MERGE_ROWS", 2)
    for i in range(4):
        add(ohio(name=f"Person {i}"))
    folder = sync.search_index(app).current_dir() / "features"
    overlay = featurefiles._read_overlay(folder)
    assert overlay.base != "base-0" and len(overlay.rows) <= 2
    assert (folder / overlay.base).is_dir()
    assert features_of(app).count() == 4
    assert matched(client) == {f"Person {i}" for i in range(4)}


def test_a_license_lapsing_needs_no_refresh_to_stop_counting(app, client, add):
    add(ohio(name="Lapsing", licenses=[{"kind": "psychologist", "state": "OH",
        "number": "PSY 2", "expires_on": "2026-11-30", "status": "verified",
        "verified_on": "2026-01-01"}]), ohio(name="Lasting"))  # fmt: skip
    assert matched(client) == {"Lapsing", "Lasting"}
    assert searched(client, "state=OH") == {"Lapsing", "Lasting"}
    assert searched(client, "verified=1") == {"Lapsing", "Lasting"}
    app.config["DIRECTORY_TODAY"] = "2026-12-01"
    generation = sync.search_index(app).current_dir()
    before = (generation / "features" / featurefiles.OVERLAY).stat().st_mtime_ns
    assert matched(client) == {"Lasting"}
    assert searched(client, "state=OH") == {"Lasting"}
    assert searched(client, "verified=1") == {"Lasting"}
    assert searched(client, "q=") == {"Lapsing", "Lasting"}  # still listed, in no state
    # Nothing was rewritten: the day picked another epoch of the same features.
    assert sync.search_index(app).current_dir() == generation
    assert (generation / "features" / featurefiles.OVERLAY).stat().st_mtime_ns == before


def test_an_index_without_features_is_matched_from_the_database(app, client, add):
    add(ohio(name="Ann Able"))
    generation = sync.search_index(app).current_dir()
    (generation / "features" / featurefiles.OVERLAY).unlink()
    assert features_of(app) is None
    assert matched(client) == {"Ann Able"}


@pytest.mark.parametrize("damage", ["truncate", "remove base"])
def test_damaged_features_are_reported_by_verify(app, add, damage):
    add(ohio(name="Ann Able"))
    folder = sync.search_index(app).current_dir() / "features"
    if damage == "truncate":
        (folder / featurefiles.OVERLAY).write_bytes(b"\x80")
    else:
        for path in (folder / "base-0").iterdir():
            path.unlink()
        (folder / "base-0").rmdir()
    assert not sync.verify(app).ok


def test_an_import_into_a_large_index_writes_only_what_it_changed(app, add, monkeypatch):
    monkeypatch.setattr(sync, "REBUILD_BACKLOG", 2)
    add(*(ohio(name=f"Early {i}") for i in range(24)))  # 24 > 2: built anew
    generation = sync.search_index(app).current_dir()
    add(ohio(name="Late One"), ohio(name="Late Two"), ohio(name="Late Three"))  # 3 = 24 / 8
    assert sync.search_index(app).current_dir() == generation
    assert features_of(app).count() == 27
    add(*(ohio(name=f"Later {i}") for i in range(4)))  # 4 > 27 / 8: built anew
    assert sync.search_index(app).current_dir() != generation
    assert features_of(app).count() == 31 and sync.verify(app).ok


def test_result_cards_and_matches_come_from_the_features_without_reading_the_practitioners(
    app, client, add
):
    add(*(ohio(name=f"Card {i}", bio=f"Anxiety and grief, number {i}.") for i in range(5)))
    client.get("/api/v1/practitioners?q=anxiety")  # a searcher is pooled, the features mapped
    (body, page, found), statements = sql_statements(
        app,
        lambda: (client.get("/api/v1/practitioners?q=anxiety").json,
                 client.get("/therapists?q=grief"), matched(client)),
    )  # fmt: skip
    assert body["total"] == 5 and page.status_code == 200 and "Card 3" in page.text
    assert found == {f"Card {i}" for i in range(5)}
    read = [s for s in statements if re.search(r"\b(practitioner|license|approach_training)\b", s)]
    assert read == []


def test_a_card_says_what_the_practitioner_loaded_from_the_database_says(app, client, add):
    add(ohio(name="Ann Able", bio="Grief, gently.", pronouns="she/her",
             accepting_confirmed_on="2026-10-01"),
        ohio(name="Bo Baker", bio="Grief at work.", in_person=False))  # fmt: skip
    from directory.browse.serialize import result_json
    from directory.browse.services import load_practitioners, run_search
    from directory.search import SearchParams

    with app.test_request_context():
        result, cards = run_search(SearchParams(q="grief"))
        rows = load_practitioners([c.id for c in cards])
        on = sync.today()
        from_cards = result_json(result, cards, on)
        from_rows = result_json(result, [rows[c.id] for c in cards], on)
    assert len(cards) == 2 and from_cards == from_rows


def test_a_match_explains_from_the_features_what_it_explains_from_the_database(app, client, add):
    add(
        ohio(name="Ann Able", bio="Grief, gently.", pronouns="she/her", fee=90,
             sliding_scale_min=40, accepting_confirmed_on="2026-10-01"),
        ohio(name="Bo Baker", bio="Grief at work.", in_person=False, languages=["en", "es"]),
        ohio(name="Cy Cole", fee=220),
    )  # fmt: skip
    answers = {"state": "OH", "format": "telehealth", "max_fee": 150, "languages": ["es"]}
    from_features = client.post("/api/v1/match", json=answers).json
    (sync.search_index(app).current_dir() / "features" / featurefiles.OVERLAY).unlink()
    assert features_of(app) is None
    from_database = client.post("/api/v1/match", json=answers).json
    assert len(from_features["results"]) == 3 and from_features == from_database


def test_a_kept_card_follows_saves_and_the_day(app, client, add):
    add(ohio(name="Ann Able", bio="Grief, gently.", headline="Steady help with grief",
             accepting_new_clients=True, accepting_confirmed_on="2026-10-20"))  # fmt: skip

    def shown():
        page = client.get("/therapists?q=grief").text
        item = client.get("/api/v1/practitioners?q=grief").json["results"][0]
        return page, item

    page, item = shown()
    assert "Steady help with grief" in page and "Accepting new clients</li>" in page
    assert item["accepting_confirmed_recently"] is True
    assert shown() == (page, item)  # the second time from what the card keeps
    app.config["DIRECTORY_TODAY"] = "2027-03-01"  # over 90 days since it was confirmed
    later, item = shown()
    assert "unknown (not confirmed in 90 days)" in later
    assert item["accepting_confirmed_recently"] is False
    app.config["DIRECTORY_TODAY"] = "2026-11-01"
    with app.app_context():
        ann = db.session.scalar(db.select(Practitioner).filter_by(name="Ann Able"))
        ann.headline = "Grief, and the long road after"
        ann.version += 1
        db.session.commit()
    page, item = shown()
    assert "Grief, and the long road after" in page and "Steady help" not in page
    assert item["headline"] == "Grief, and the long road after"
