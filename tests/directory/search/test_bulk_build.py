"""Bulk paths: building an index without Whoosh's writer, and importing new rows with Core."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from whoosh import index

from directory.core.compacts import load_compacts
from directory.core.records import parse_record
from directory.extensions import db
from directory.practitioners.importer import import_profiles
from directory.practitioners.models import Practitioner
from directory.practitioners.outbox import OutboxEntry
from directory.search import SearchIndex
from directory.search.fast import analysis, building, write_arrays
from directory.search.schema import make_document, make_schema

ROOT = Path(__file__).resolve().parents[3]
TODAY = date(2026, 11, 1)


def sample_documents() -> list[dict]:
    records = json.loads((ROOT / "data" / "sample_practitioners.json").read_text("utf-8"))
    profiles = [parse_record(r) for r in records]
    return [
        make_document(i, 1, p, (40.0 + i / 1000, -80.0), TODAY, load_compacts())
        for i, p in enumerate(profiles, start=1)
    ]


def whoosh_index(folder: Path, documents: list[dict]):
    folder.mkdir()
    ix = index.create_in(str(folder), make_schema())
    writer = ix.writer(compound=False)
    for doc in documents:
        writer.add_document(**doc)
    writer.commit(optimize=True)
    return ix


def contents(ix) -> dict:
    """Everything a search reads from an index: terms, postings, lengths, columns, stored."""
    with ix.searcher() as s:
        out: dict = {"stored": list(s.all_stored_fields()), "doc_count": s.doc_count_all()}
        reader = s.reader()
        for fieldname, text in reader.all_terms():
            matcher = reader.postings(fieldname, text)
            postings = []
            while matcher.is_active():
                postings.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            info = reader.term_info(fieldname, text)
            out[fieldname, text] = (
                postings,
                info.weight(),
                info.doc_frequency(),
                info.min_length(),
                info.max_length(),
                info.max_weight(),
            )
        for name, field in ix.schema.items():
            if field.scorable:
                out["length", name] = [
                    reader.doc_field_length(d, name) for d in range(s.doc_count_all())
                ]
                out["total", name] = reader.field_length(name)
            if field.column_type:
                # repr(): an empty float column holds NaN, which equals nothing.
                out["column", name] = [repr(v) for v in reader.column_reader(name)]
    return out


def test_the_built_index_holds_what_whoosh_writer_would_write(tmp_path):
    documents = sample_documents()
    expected = contents(whoosh_index(tmp_path / "whoosh", documents))
    ours = SearchIndex(tmp_path / "ours")
    assert ours.build(documents) == len(documents)
    assert ours.is_current()
    built = ours.open()
    assert all(not segment.compound for segment in built._segments())
    assert contents(built) == expected
    assert not (ours.current_dir() / "MAIN.tmp").exists()


@pytest.mark.parametrize(
    "text",
    [
        "Dialectical behaviour therapy: DBT, EMDR & IFS (for adults) at 3.5 sessions",
        "The the THE a an of Ö straße İstanbul naïve café co-op e.g. U.S. 1.2.3",
        "  ",
        "a an the",
        "it's x y z *wild* card_s under_score 12 345,678",
    ],
)
def test_fast_text_analysis_matches_the_fields_analyzers(text):
    schema = make_schema()
    for name in ("name", "bio", "spell"):
        field = schema[name]
        fast = analysis.text_terms(field)
        assert fast is not None
        assert sorted(fast(text)) == sorted(field.index(text))


def test_a_large_build_is_split_between_two_processes_in_order(tmp_path, monkeypatch):
    documents = sample_documents()[:300]
    monkeypatch.setattr(building, "PARALLEL_BUILD", 100)
    monkeypatch.setattr(building, "BUILD_BATCH", 10)
    # Batches 0-10 and 20-29 of ten go to the child (11 in 20), the rest stay here; each
    # segment keeps its documents in order, the child's segment first.
    batches = [documents[i : i + 10] for i in range(0, 300, 10)]
    theirs = [d for n, batch in enumerate(batches) if n % 20 < 11 for d in batch]
    mine = [d for n, batch in enumerate(batches) if n % 20 >= 11 for d in batch]
    expected = contents(whoosh_index(tmp_path / "whoosh", theirs + mine))
    ours = SearchIndex(tmp_path / "ours")
    assert ours.build(iter(documents), expected=len(documents)) == len(documents)
    built = ours.open()
    assert [s.doc_count_all() for s in built._segments()] == [210, 90]
    assert contents(built) == expected
    with built.searcher() as s:
        assert [d["id"] for d in s.all_stored_fields()] == [d["id"] for d in theirs + mine]
        assert s.doc_count() == len(documents)


def test_an_empty_build_makes_an_empty_index(tmp_path):
    ours = SearchIndex(tmp_path / "ours")
    assert ours.build([], expected=0) == 0
    assert ours.open().doc_count() == 0


def test_new_rows_are_written_in_bulk_with_outbox_rows_and_progress(app, monkeypatch):
    records = json.loads((ROOT / "data" / "sample_practitioners.json").read_text("utf-8"))[:60]
    profiles = [parse_record(r) for r in records]
    steps: list[int] = []
    # Keep the outbox rows to count them (the commit would otherwise apply and delete them).
    monkeypatch.setattr("directory.search.sync.drain", lambda *args, **kwargs: 0)
    with app.app_context():
        report = import_profiles(db.session, profiles, chunk=25, progress=steps.append)
        db.session.commit()
        assert (report.created, report.updated, report.unchanged) == (60, 0, 0)
        assert steps == [25, 25, 10]
        outbox = db.session.scalars(db.select(OutboxEntry.practitioner_id)).all()
        ids = db.session.scalars(db.select(Practitioner.id)).all()
        assert sorted(outbox) == sorted(ids) and len(ids) == 60

        # Importing again changes nothing and writes no outbox row.
        db.session.execute(db.delete(OutboxEntry))
        db.session.commit()
        report = import_profiles(db.session, profiles, chunk=25)
        db.session.commit()
        assert (report.created, report.updated, report.unchanged) == (0, 0, 60)
        assert db.session.scalar(db.select(db.func.count(OutboxEntry.id))) == 0
        assert db.session.scalar(db.select(db.func.count(Practitioner.id))) == 60


def test_bulk_rows_are_the_rows_apply_profile_makes(app):
    records = json.loads((ROOT / "data" / "sample_practitioners.json").read_text("utf-8"))[:40]
    profiles = [parse_record(r) for r in records]
    skip = {"id", "version", "created_at", "updated_at"}
    columns = [c.key for c in Practitioner.__table__.c if c.key not in skip]
    with app.app_context():
        import_profiles(db.session, profiles)
        db.session.commit()
        for profile in profiles:
            row = db.session.scalar(
                db.select(Practitioner).filter_by(external_id=profile.external_id)
            )
            made = Practitioner()
            made.apply_profile(profile)
            assert {c: getattr(row, c) for c in columns} == {c: getattr(made, c) for c in columns}
            assert row.version == 1
            assert row.to_profile() == profile
            assert [lic.position for lic in row.licenses] == list(range(len(profile.licenses)))


def test_an_import_that_fails_leaves_nothing(app):
    records = json.loads((ROOT / "data" / "sample_practitioners.json").read_text("utf-8"))[:10]
    profiles = [parse_record(r) for r in records]
    with app.app_context():

        def fail(count: int) -> None:
            raise RuntimeError("stopped after the first chunk")

        with pytest.raises(RuntimeError):
            import_profiles(db.session, profiles, chunk=5, progress=fail)
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count(Practitioner.id))) == 0
        assert db.session.scalar(db.select(db.func.count(OutboxEntry.id))) == 0


def test_a_failed_child_fails_the_build_and_leaves_the_live_index(tmp_path, monkeypatch):
    documents = sample_documents()[:300]
    ours = SearchIndex(tmp_path / "ours")
    ours.build(iter(documents[:50]))
    live = ours.current_dir()
    monkeypatch.setattr(building, "PARALLEL_BUILD", 100)
    monkeypatch.setattr(building, "BUILD_BATCH", 10)

    def dies(folder, conn):
        os._exit(3)  # as a killed child would: no message, no clean-up

    monkeypatch.setattr(building, "_segment_process", dies)
    with pytest.raises(RuntimeError, match="failed"):
        ours.build(iter(documents), expected=len(documents))
    assert ours.current_dir() == live
    assert [p.name for p in (tmp_path / "ours").glob("gen-*")] == [live.name]
    assert ours.open().doc_count() == 50


def test_arrays_are_written_for_segments_that_lack_them_and_go_with_their_segment(tmp_path):
    documents = sample_documents()[:30]
    ours = SearchIndex(tmp_path / "ours")
    ours.build(iter(documents[:20]))
    folder = ours.current_dir()
    built = {p.name for p in folder.glob("arrays-*")}
    assert len(built) == 1
    ours.apply(documents[20:], [])  # as a drain does: a small segment, too small for arrays
    assert {p.name for p in folder.glob("arrays-*")} == built
    assert write_arrays(folder) == 1  # without a minimum size it gets them
    assert len(list(folder.glob("arrays-*"))) == 2
    ours.open().optimize()  # one merged segment: the old segments' arrays go
    assert write_arrays(folder, min_docs=10_000) == 0
    assert list(folder.glob("arrays-*")) == []


@pytest.mark.parametrize("checksums", [True, False])
def test_posting_arrays_whose_values_cannot_be_used_are_refused(tmp_path, checksums):
    from directory.search.fast.arrays import check_arrays

    ours = SearchIndex(tmp_path / "ours")
    ours.build(iter(sample_documents()[:30]))
    assert check_arrays(ours.open()) == []
    (folder,) = ours.current_dir().glob("arrays-*")
    if not checksums:  # an older generation: the values are all there is to check
        (folder / "check.json").unlink()
    ids = bytearray((folder / "ids.i32").read_bytes())
    ids[-4:] = (10**6).to_bytes(4, "little")  # a document number past the segment's end
    (folder / "ids.i32").write_bytes(bytes(ids))
    (problem,) = check_arrays(ours.open())
    expected = "does not match its checksum" if checksums else "outside the segment"
    assert expected in problem
