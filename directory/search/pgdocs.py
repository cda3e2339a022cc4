"""Search documents in PostgreSQL: a practitioner's row, written in the changing transaction.

A row holds a weighted ``tsvector`` of the very tokens and positions Whoosh's analysers make
(name A, headline B, approaches and concerns C, bio D; the synonyms are in the approaches' and
concerns' text, as in Whoosh's documents), the filter columns as arrays, fees, the office's
location and ``valid_until``, the last day its states and flags hold; ``search_epoch`` holds
what they say after it, day range by day range (``schema.later_epochs``), so that a search on
any day reads the day's without any row being rewritten. ``search_word`` holds every word, for
"did you mean"; ``search_stamp`` moves on with every change, so servers know what they kept of
a search is still true.
"""

from __future__ import annotations

import json
import zlib
from collections import defaultdict
from datetime import date
from functools import cache
from typing import Any

from flask import Flask, has_app_context
from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, TEXT
from sqlalchemy.orm import Session

from directory.core import vocabulary as v
from directory.core.features import (
    APPROACH_KEYS,
    EPOCH_COLUMNS,
    GENDERS,
    LEVELS,
    PACES_ORDER,
    TEXTS,
    FeatureRow,
)
from directory.core.features import COLUMNS as FEATURE_COLUMNS
from directory.extensions import db
from directory.search.documents import all_documents, documents, on_postgres
from directory.search.params import FACET_VALUES
from directory.search.schema import TEXT_FIELDS, make_schema
from directory.sqlite import writing
from directory.web import today

WEIGHT = {"name": "A", "headline": "B", "approaches_text": "C", "concerns_text": "C", "bio": "D"}
ARRAY_COLUMNS = ("states", "license", "approach", "concern", "language", "format", "insurance",
                 "flags", "access")  # fmt: skip
# Positions between two fields, so that a phrase never spans the end of one and the start of
# the next; PostgreSQL keeps positions up to 16383 and 256 of them per word.
FIELD_GAP = 100
MAX_POSITION = 16383
MAX_POSITIONS_PER_WORD = 256
COLUMNS = ("pid", "version", "doc", "spell", *ARRAY_COLUMNS, "fee", "lowest_fee", "lat", "lon",
           "name_sort", "valid_until", "features")  # fmt: skip
# Built from the fixed column names above; every value is a parameter.
UPSERT = text(
    f"INSERT INTO search_document ({', '.join(COLUMNS)}) VALUES ("  # noqa: S608
    + ", ".join(f"CAST(:{c} AS tsvector)" if c in ("doc", "spell") else f":{c}" for c in COLUMNS)
    + ") ON CONFLICT (pid) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS[1:])
    + " WHERE search_document.version <= EXCLUDED.version"
).bindparams(*(bindparam(c, type_=ARRAY(TEXT)) for c in ARRAY_COLUMNS))
# Moved on by every transaction that writes or deletes documents (servers key what they keep
# of searches by it), once, after its last document: the row lock it takes is its last one.
BUMP_STAMP = text(
    "INSERT INTO search_stamp (id, n) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET n = search_stamp.n + 1"
)


@cache
def _schema():
    return make_schema()


def _features_format() -> int:
    """Return a checksum of what a packed feature row's positions and bits mean: its columns,
    and every vocabulary's keys in the order their bits take (a row packed by code with
    another is never read: its features are made from the profile, as for a row without)."""
    parts = [*FEATURE_COLUMNS, "|", *EPOCH_COLUMNS, "|", *TEXTS, "|", *map(str, LEVELS), "|",
             *GENDERS, "|", *PACES_ORDER]  # fmt: skip
    for name, value in sorted(vars(v).items()):
        if name.isupper() and isinstance(value, dict | tuple | list | set | frozenset):
            parts += ["|", name, *sorted(map(str, value))]
    return zlib.crc32(" ".join(parts).encode())


FEATURES_FORMAT = _features_format()


# Every facet value, in the order of its bit in ``facet_bits`` (a column the database makes
# from the arrays, migration 2a9f6d3b8e41); the bits above FACET_SHIFT say which order, and a
# database whose order is not this code's has its facets counted from the arrays.
FACET_KEYS = tuple((facet, key) for facet, values in FACET_VALUES.items() for key in values)
FACET_SHIFT = 40
FACET_FORMAT = zlib.crc32(" ".join(f"{f}:{k}" for f, k in FACET_KEYS).encode()) & 0xFFFFF


def facet_bits(arrays: dict[str, list[str]]) -> int:
    """Return a document's facet values as one integer, as the database's generated column
    says them while its vocabulary is this code's (at most FACET_SHIFT values)."""
    bits = sum(1 << i for i, (facet, key) in enumerate(FACET_KEYS) if key in arrays[facet])
    return FACET_FORMAT << FACET_SHIFT | bits


def pack_features(row: FeatureRow) -> bytes:
    """Return a practitioner's match features as ``search_document.features`` holds them:
    compressed JSON (never a pickle: a database row must not be able to run code), without
    the packed card, which a match on this backend reads from the database."""
    packed = [FEATURES_FORMAT, row.values, row.levels, row.texts[:-1], row.epochs]
    return zlib.compress(json.dumps(packed, separators=(",", ":")).encode(), 1)


def unpack_features(data: bytes) -> FeatureRow | None:
    """Return the feature row ``pack_features`` packed, or None if other code packed it (or
    it cannot be read: the features are then made from the profile)."""
    try:
        form, values, levels, texts, epochs = json.loads(zlib.decompress(data))
        shapes = ((values, FEATURE_COLUMNS), (levels, APPROACH_KEYS), (texts, TEXTS[:-1]))
        if form != FEATURES_FORMAT or any(len(got) != len(want) for got, want in shapes):
            return None
        if not epochs or any(len(epoch) != len(EPOCH_COLUMNS) for epoch in epochs):
            return None
    except (zlib.error, ValueError, TypeError):
        return None
    return FeatureRow(tuple(values), tuple(levels), (*texts, b""), tuple(map(tuple, epochs)))


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def weighted_vector(doc: dict) -> str:
    """Return the tsvector (as its text form) of a document's text fields, with Whoosh's
    tokens and positions, each field's words carrying its weight."""
    positions: dict[str, list[str]] = defaultdict(list)
    start = 1
    for field in TEXT_FIELDS:
        last = 0
        for token in _schema()[field].analyzer(doc.get(field) or "", positions=True):
            at = min(start + token.pos, MAX_POSITION)
            if len(positions[token.text]) < MAX_POSITIONS_PER_WORD:
                positions[token.text].append(f"{at}{WEIGHT[field]}")
            last = token.pos
        start = min(start + last + FIELD_GAP, MAX_POSITION)
    return " ".join(f"{_lexeme(word)}:{','.join(at)}" for word, at in positions.items())


# The later epochs of the rows just written, replacing those of the same version (an older
# version, which the upsert did not write, changes nothing).
DELETE_EPOCHS = text(
    "DELETE FROM search_epoch e USING search_document d, unnest(CAST(:pid AS integer[]), "
    "CAST(:version AS integer[])) AS w(pid, version) "
    "WHERE e.pid = w.pid AND d.pid = w.pid AND d.version = w.version"
)
INSERT_EPOCHS = text(
    "INSERT INTO search_epoch (pid, starts, ends, states, flags) "
    "SELECT w.pid, w.starts, w.ends, string_to_array(w.states, ' '), "
    "string_to_array(w.flags, ' ') FROM unnest(CAST(:pid AS integer[]), "
    "CAST(:version AS integer[]), CAST(:starts AS date[]), CAST(:ends AS date[]), "
    "CAST(:states AS text[]), CAST(:flags AS text[])) AS w(pid, version, starts, ends, states, "
    "flags) JOIN search_document d ON d.pid = w.pid AND d.version = w.version"
)


def _write_epochs(session: Session, docs: list[dict]) -> None:
    session.execute(
        DELETE_EPOCHS, {"pid": [d["pid"] for d in docs], "version": [d["version"] for d in docs]}
    )
    later = [(d["pid"], d["version"], *e) for d in docs for e in d.get("_epochs", ())]
    if later:
        columns = ("pid", "version", "starts", "ends", "states", "flags")
        session.execute(INSERT_EPOCHS, {c: [e[i] for e in later] for i, c in enumerate(columns)})


def _spelling_words(doc: dict) -> list[str]:
    return sorted({t.text for t in _schema()["spell"].analyzer(doc.get("spell") or "")})


def row_of(doc: dict) -> dict[str, Any]:
    """Return the ``search_document`` row of a Whoosh document (``schema.make_document``)."""
    words = _spelling_words(doc)
    return {
        "pid": doc["pid"], "version": doc["version"], "doc": weighted_vector(doc),
        "spell": " ".join(_lexeme(w) for w in words),
        **{c: doc[c].split() for c in ARRAY_COLUMNS},
        "fee": doc.get("fee"), "lowest_fee": doc.get("lowest_fee"),
        "lat": doc.get("lat"), "lon": doc.get("lon"), "name_sort": doc["name_sort"],
        "valid_until": date.fromordinal(doc["valid_until"]),
        "features": pack_features(doc["_features"]) if "_features" in doc else None,
        "_words": words,
    }  # fmt: skip


def write_documents(session, docs: list[dict], deletes: list[str]) -> None:
    """Upsert these documents and delete these ids (as index keys), in ``session``'s
    transaction; an older version never replaces a newer one."""
    rows = [row_of(d) for d in docs]
    if rows:
        session.execute(UPSERT, [{k: r[k] for k in COLUMNS} for r in rows])
        _write_epochs(session, docs)
        words = sorted({w for r in rows for w in r["_words"]})
        session.execute(
            text("INSERT INTO search_word (word) SELECT unnest(:w) ON CONFLICT DO NOTHING")
            .bindparams(bindparam("w", type_=ARRAY(TEXT))),
            {"w": words},
        )  # fmt: skip
    if deletes:
        session.execute(
            text("DELETE FROM search_document WHERE pid = ANY(:ids)"),
            {"ids": [int(d) for d in deletes]},
        )


def write_in_transaction(session: Session, ids: list[int]) -> None:
    """Write the search documents of these practitioners in the transaction that changed
    them (the outbox's before-commit hook), when they live in the database."""
    if not has_app_context() or not on_postgres():
        return
    on = today()
    for start in range(0, len(ids), 1000):  # a bulk import: a thousand at a time
        write_documents(
            session, *documents(session, ids[start : start + 1000], on, features=True, epochs=True)
        )
    if ids:
        session.execute(BUMP_STAMP)


def rewrite(app: Flask, ids: list[int] | None) -> int:
    """Recompute the search documents of ``ids`` (None: every practitioner) as of today, in
    one transaction; return how many."""
    with app.app_context(), writing(), Session(db.engine) as session:
        on = today()
        if ids is None:
            session.execute(text("DELETE FROM search_document WHERE pid NOT IN "
                                 "(SELECT id FROM practitioner WHERE published)"))  # fmt: skip
            count, batch = 0, []
            for doc in all_documents(session, on, features=True, epochs=True):
                batch.append(doc)
                if len(batch) == 1000:
                    write_documents(session, batch, [])
                    count, batch = count + len(batch), []
            write_documents(session, batch, [])
            count += len(batch)
        else:
            write_documents(session, *documents(session, ids, on, features=True, epochs=True))
            count = len(ids)
        session.execute(BUMP_STAMP)
        session.commit()
    return count


def refresh(app: Flask, on: date) -> int:
    """Rewrite, as of ``on``, every document past its ``valid_until`` (searches read those from
    their epochs meanwhile, or leave them out once the epochs have run out); return how many."""
    with app.app_context(), Session(db.engine) as session:
        sql = "SELECT pid FROM search_document WHERE valid_until < :d ORDER BY pid"
        ids = list(session.execute(text(sql), {"d": on}).scalars())
    return rewrite(app, ids) if ids else 0
