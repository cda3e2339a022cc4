"""The index follows the database: outbox, locked index, rebuild and verify."""

import shutil

from directory.extensions import db
from directory.practitioners.models import Practitioner
from directory.practitioners.outbox import OutboxEntry
from directory.search import sync
from tests.factories import make_record


def names(client, q=""):
    return {x["name"] for x in client.get(f"/api/v1/practitioners?q={q}").json["results"]}


def test_a_save_while_the_index_is_locked_is_kept_and_indexed_later(app, client, add):
    index = sync.search_index(app)
    lock = index.open().lock("WRITELOCK")
    assert lock.acquire()
    try:
        add(make_record(name="Locked Out"))  # must not raise
        with app.app_context():
            assert db.session.scalar(db.select(Practitioner.name)) == "Locked Out"
            assert db.session.scalar(db.select(db.func.count(OutboxEntry.id))) == 1
        assert "Locked Out" not in names(client)
    finally:
        lock.release()
    assert sync.drain(app) == 1
    assert "Locked Out" in names(client)
    assert sync.verify(app).ok


def test_a_failing_index_write_never_fails_the_save(app, client, add, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(sync.search_index(app), "write", broken)
    add(make_record(name="Still Saved"))
    with app.app_context():
        assert db.session.scalar(db.select(Practitioner.name)) == "Still Saved"
        assert db.session.scalar(db.select(db.func.count(OutboxEntry.id))) == 1
    monkeypatch.undo()
    assert sync.drain(app) == 1
    assert "Still Saved" in names(client)


def test_a_rolled_back_change_writes_no_outbox_row(app):
    with app.app_context():
        db.session.add(Practitioner(external_id="x-1", slug="x", name="X", credentials="X",
                                    state="OH"))  # fmt: skip
        db.session.flush()
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count(OutboxEntry.id))) == 0


def test_an_older_version_never_overwrites_a_newer_one(app, client, add):
    add(make_record(name="Versioned"))
    with app.app_context():
        row = db.session.scalar(db.select(Practitioner))
        (new_doc,), _ = sync.documents(db.session, [row.id], sync.today())
    stale = dict(new_doc, version=new_doc["version"] - 1, name="Stale Name")
    assert sync.search_index(app).apply([stale], [])
    assert names(client) == {"Versioned"}


def test_verify_finds_differences_and_reindex_repairs_them(app, runner, client, add):
    add(make_record(name="First"), make_record(name="Second"))
    result = runner.invoke(args=["directory", "verify"])
    assert result.exit_code == 0 and "matches" in result.output

    with app.app_context():
        first = db.session.scalar(db.select(Practitioner).filter_by(name="First"))
        sync.search_index(app).apply([], [str(first.id)])
    result = runner.invoke(args=["directory", "verify"])
    assert result.exit_code == 1 and "1 missing from the index" in result.output

    old = sync.search_index(app).current_dir()
    result = runner.invoke(args=["directory", "reindex"])
    assert result.exit_code == 0 and "Indexed 2" in result.output
    assert sync.search_index(app).current_dir() != old
    assert runner.invoke(args=["directory", "verify"]).exit_code == 0
    assert names(client) == {"First", "Second"}


def test_searches_keep_answering_across_a_rebuild(app, client, add):
    add(make_record(name="Steady"))
    assert names(client) == {"Steady"}
    sync.rebuild(app)
    assert names(client) == {"Steady"}
    sync.rebuild(app)
    assert names(client) == {"Steady"}


def test_a_missing_index_is_a_503_not_a_500(app, client, add):
    add(make_record(name="Somebody"))
    pointer = sync.search_index(app).pointer
    pointer.unlink()
    r = client.get("/therapists?q=x")
    assert r.status_code == 503 and "Search is unavailable" in r.text
    r = client.get("/api/v1/practitioners")
    assert r.status_code == 503 and r.is_json
    r = client.post("/api/v1/match", json={"state": "OH"})
    assert r.status_code == 503 and r.is_json


def test_searches_follow_a_license_lapsing_without_any_edit_or_refresh(app, client, runner, add):
    add(make_record(name="Soon Lapsing", license={"expires_on": "2026-11-15"}, in_person=False))
    assert names(client, "Soon") == {"Soon Lapsing"}
    assert client.get("/api/v1/practitioners?state=OH&verified=1").json["total"] == 1
    generation = sync.search_index(app).current_dir()
    written = {p: p.stat().st_mtime_ns for p in generation.rglob("*") if p.is_file()}
    app.config["DIRECTORY_TODAY"] = "2026-12-01"
    # The features carry the expiry: nothing is out of date, and nothing is re-indexed.
    assert runner.invoke(args=["directory", "verify"]).exit_code == 0
    assert client.get("/api/v1/practitioners?state=OH").json["total"] == 0
    assert client.get("/api/v1/practitioners?verified=1").json["total"] == 0
    assert {p: p.stat().st_mtime_ns for p in generation.rglob("*") if p.is_file()} == written
    item = client.get("/api/v1/practitioners?q=Soon").json["results"][0]
    assert item["licenses"][0]["status"] == "expired"


def test_without_features_no_request_refreshes_lapsed_documents_the_daily_command_does(
    app, client, runner, add
):
    add(make_record(name="Soon Lapsing", license={"expires_on": "2026-11-15"}, in_person=False))
    # As a generation built before features were: its documents say what held when written.
    shutil.rmtree(sync.search_index(app).current_dir() / "features")
    generation = sync.search_index(app).current_dir()
    written = {p: p.stat().st_mtime_ns for p in generation.rglob("*") if p.is_file()}
    app.config["DIRECTORY_TODAY"] = "2026-12-01"
    client.get("/api/v1/practitioners?state=OH")
    client.post("/api/v1/match", json={"state": "OH"})
    assert {p: p.stat().st_mtime_ns for p in generation.rglob("*") if p.is_file()} == written
    result = runner.invoke(args=["directory", "verify"])
    assert result.exit_code == 1 and "at another version" in result.output
    result = runner.invoke(args=["directory", "refresh"])
    assert result.exit_code == 0, result.output
    assert client.get("/api/v1/practitioners?state=OH").json["total"] == 0
    assert runner.invoke(args=["directory", "verify"]).exit_code == 0


def test_an_updated_document_is_found_once_by_a_searcher_opened_before_it(app, client, add):
    record = make_record(name="Once Only")
    add(record)
    assert client.get("/api/v1/practitioners").json["total"] == 1  # a searcher is now pooled
    add(dict(record, headline="A new headline"))
    assert client.get("/api/v1/practitioners").json["total"] == 1


def test_a_change_committed_without_an_explicit_flush_reaches_the_index(app, client, add):
    add(make_record(name="Plain Commit"))
    with app.app_context():
        row = db.session.scalar(db.select(Practitioner))
        row.headline = "dialectical now"
        db.session.commit()  # no flush() first: the outbox row must still be written
    assert names(client, "dialectical") == {"Plain Commit"}


def test_another_worker_sees_each_commit_and_rebuild_on_its_next_search(app, add):
    from directory.search import SearchParams
    from directory.search.store import SearchIndex

    def browse(index):
        with index.searching() as searcher:
            return searcher.search(SearchParams()).total

    add(make_record(name="First One"))
    other = SearchIndex(sync.search_index(app).root)  # as another process's view of the folder
    try:
        assert browse(other) == 1
        add(make_record(name="Second One"))  # committed through this process's index
        assert browse(other) == 2
        add(make_record(name="Third One"), make_record(name="Fourth One"))
        assert browse(other) == 4
        old = other.current_dir()
        sync.rebuild(app)
        assert other.current_dir() != old and browse(other) == 4
        add(make_record(name="Fifth One"))
        assert browse(other) == 5
        # The folder emptied and built again: its CHANGES file is a new one, followed too.
        sync.search_index(app).close()
        shutil.rmtree(other.root)
        sync.rebuild(app)
        assert browse(other) == 5
        add(make_record(name="Sixth One"))
        assert browse(other) == 6
    finally:
        other.close()


def test_a_kept_browse_page_follows_the_day(app, client, add):
    add(make_record(name="Soon Lapsing", license={"expires_on": "2026-11-15"}, in_person=False))
    first = client.get("/api/v1/practitioners").json
    assert client.get("/api/v1/practitioners").json == first  # answered from the kept page
    app.config["DIRECTORY_TODAY"] = "2026-12-01"
    later = client.get("/api/v1/practitioners").json
    assert first["results"][0]["licenses"][0]["status"] != "expired"
    assert later["results"][0]["licenses"][0]["status"] == "expired"


def test_a_change_token_moved_through_the_file_shows_in_every_mapping(tmp_path):
    from directory.search.changes import ChangeToken

    writer, reader = ChangeToken(tmp_path), ChangeToken(tmp_path)
    try:
        for _ in range(3):
            seen = reader.read()
            assert seen is not None and reader.read() == seen
            writer.moved()
            assert reader.read() != seen
        reader.close()
        assert reader.read() is not None  # mapped again on the next read
    finally:
        writer.close()
        reader.close()
