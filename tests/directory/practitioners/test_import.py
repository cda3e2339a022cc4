"""Importing practitioners from JSON files: all or nothing, idempotent, keyed by external id."""

import json

from directory.extensions import db
from directory.practitioners.models import License, Practitioner, make_slug
from directory.practitioners.outbox import OutboxEntry
from directory.practitioners.queries import published_profiles
from tests.factories import make_record


def write(tmp_path, records, name="import.json"):
    path = tmp_path / name
    path.write_text(json.dumps(records), encoding="utf-8")
    return str(path)


def count(app, model=Practitioner):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_a_good_file_imports_and_is_searchable(app, runner, client, tmp_path):
    path = write(tmp_path, [make_record(name="Imported One"), make_record(name="Imported Two")])
    result = runner.invoke(args=["directory", "import", path])
    assert result.exit_code == 0, result.output
    assert "2 created, 0 updated, 0 unchanged" in result.output
    assert count(app) == 2
    body = client.get("/api/v1/practitioners?q=Imported").json
    assert body["total"] == 2
    # Applied after the commit: the index's read position is the newest outbox row.
    with app.app_context():
        newest = db.session.scalar(db.select(db.func.max(OutboxEntry.id)))
    assert newest and app.extensions["search_index"].position() == newest


def test_reimporting_updates_and_never_duplicates(app, runner, client, tmp_path):
    records = [make_record(name="Same Person"), make_record(name="Other Person")]
    runner.invoke(args=["directory", "import", write(tmp_path, records)])
    records[0]["headline"] = "A new headline about dialectical skills"
    result = runner.invoke(args=["directory", "import", write(tmp_path, records, "again.json")])
    assert "0 created, 1 updated, 1 unchanged" in result.output
    assert count(app) == 2
    assert count(app, License) == 2
    with app.app_context():
        row = db.session.scalar(db.select(Practitioner).filter_by(name="Same Person"))
        other = db.session.scalar(db.select(Practitioner).filter_by(name="Other Person"))
        assert row.version == 2 and other.version == 1
    assert client.get("/api/v1/practitioners?q=dialectical").json["total"] == 1


def test_a_bad_file_imports_nothing_and_names_each_bad_record(app, runner, tmp_path):
    records = [
        make_record(name="Fine One"),
        make_record(fee=-10),
        make_record(state="ZZ"),
        make_record(name="Fine Two"),
        "not an object",
    ]
    result = runner.invoke(args=["directory", "import", write(tmp_path, records)])
    assert result.exit_code == 1
    out = result.output
    assert "record 2 (test-" in out and "fee: must be between 0" in out
    assert "record 3" in out and "state: unknown state" in out
    assert "record 5: record: must be a JSON object" in out
    assert "nothing was imported" in out
    assert count(app) == 0


def test_duplicate_external_ids_in_one_file_are_refused(app, runner, tmp_path):
    one = make_record()
    two = dict(make_record(), external_id=one["external_id"])
    result = runner.invoke(args=["directory", "import", write(tmp_path, [one, two])])
    assert result.exit_code == 1 and "repeats record 1" in result.output
    assert count(app) == 0


def test_a_file_that_is_not_json_or_not_a_list(app, runner, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("[{", encoding="utf-8")
    result = runner.invoke(args=["directory", "import", str(path)])
    assert result.exit_code == 1 and "not valid JSON" in result.output
    result = runner.invoke(args=["directory", "import", write(tmp_path, {"a": 1})])
    assert result.exit_code == 1 and "JSON array" in result.output


def test_changing_a_license_replaces_it_in_place(app, runner, tmp_path):
    record = make_record(name="License Change")
    runner.invoke(args=["directory", "import", write(tmp_path, [record])])
    record["licenses"].append(dict(record["licenses"][0], state="KY", number="K 1"))
    record["approaches"] = {"dbt": "workshop", "attachment": "trainer"}
    runner.invoke(args=["directory", "import", write(tmp_path, [record], "b.json")])
    record["licenses"] = record["licenses"][1:]
    result = runner.invoke(args=["directory", "import", write(tmp_path, [record], "c.json")])
    assert "1 updated" in result.output
    with app.app_context():
        row = db.session.scalar(db.select(Practitioner))
        assert [(lic.state, lic.number) for lic in row.licenses] == [("KY", "K 1")]
        assert [(a.approach, a.level) for a in row.approaches] == [
            ("dbt", "workshop"),
            ("attachment", "trainer"),
        ]
    assert count(app, License) == 1


def test_bulk_profile_reads_match_the_orm(app, add):
    add(
        make_record(external_id="p-1", name="One"),
        make_record(external_id="p-2", name="Two", languages=["en", "es"]),
        make_record(external_id="p-3", name="Hidden", published=False),
    )
    with app.app_context():
        rows = db.session.scalars(db.select(Practitioner)).all()
        found = published_profiles(db.session, [p.id for p in rows])
        assert {found[pid][1].name for pid in found} == {"One", "Two"}
        for p in rows:
            if p.published:
                row, profile = found[p.id]
                assert profile == p.to_profile() and profile.slug == p.slug
                assert (row.version, row.latitude) == (p.version, p.latitude)
                assert profile.licenses and profile.approaches


def test_hostile_files_get_messages_not_tracebacks(app, runner, tmp_path):
    fine = json.dumps([make_record()])
    fee = f'"fee": {make_record()["fee"]}'
    texts = {
        "NaN": fine.replace(fee, '"fee": NaN'),
        "Infinity": fine.replace(fee, '"fee": -Infinity'),
        "nests arrays or objects too deeply": "[" * 100_000 + "]" * 100_000,
        "holds a number that is not allowed": fine.replace(fee, '"fee": 1' + "0" * 5000),
        "is not UTF-8": None,
    }
    for expected, text in texts.items():
        path = tmp_path / "hostile.json"
        if text is None:
            path.write_bytes(b'[{"name": "\xff\xfe"}]')
        else:
            path.write_text(text, encoding="utf-8")
        result = runner.invoke(args=["directory", "import", str(path)])
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), expected
        assert expected in result.output and "nothing was imported" in result.output
    assert count(app) == 0


def test_a_huge_value_is_quoted_short_in_its_message(app, runner, tmp_path):
    result = runner.invoke(
        args=["directory", "import", write(tmp_path, [make_record(zip="1" * 100_000)])]
    )
    assert result.exit_code == 1
    assert "(100000 characters) is not a US ZIP code" in result.output
    assert len(result.output) < 2000


def _colliding_ids() -> tuple[str, str]:
    """Two external ids whose slugs' short digests agree (found by search, as anyone could)."""
    seen: dict[str, str] = {}
    for n in range(1_000_000):
        ext = f"collide-{n}"
        short = make_slug("Same Name", ext)
        if short in seen:
            return seen[short], ext
        seen[short] = ext
    raise AssertionError("no collision found")


def test_two_ids_whose_slugs_collide_both_import_with_their_own_pages(app, runner, tmp_path,
                                                                      client):  # fmt: skip
    first, second = _colliding_ids()
    assert make_slug("Same Name", first) == make_slug("Same Name", second)
    one = make_record(external_id=first, name="Same Name")
    two = make_record(external_id=second, name="Same Name")
    # In one file, and against a practitioner already in the database.
    result = runner.invoke(args=["directory", "import", write(tmp_path, [one, two])])
    assert result.exit_code == 0, result.output
    third = make_record(external_id=f"{first}-x", name="Same Name")
    third_slug = make_slug("Same Name", third["external_id"])
    with app.app_context():
        db.session.execute(db.update(Practitioner).values(slug=third_slug).filter_by(
            external_id=second))  # fmt: skip
        db.session.commit()
    result = runner.invoke(args=["directory", "import", write(tmp_path, [third], "third.json")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        slugs = db.session.scalars(db.select(Practitioner.slug)).all()
    assert len(set(slugs)) == 3
    for slug in slugs:
        assert client.get(f"/therapists/{slug}").status_code == 200
