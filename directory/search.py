"""Full-text search over practitioners: the index, its documents, and the one search function.

This module is the only importer of ``whoosh``, so another engine can replace it without
touching the views. The database is the source of truth; the index is derived from it, written
by one process at a time, rebuilt beside the live copy and swapped in.
"""

from __future__ import annotations

import fcntl
import json
import logging
import math
import multiprocessing
import os
import re
import shutil
import threading
import uuid
from array import array
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import chain, islice
from pathlib import Path

import numpy as np
from whoosh import highlight, index, qparser
from whoosh.analysis import (
    LowercaseFilter,
    RegexTokenizer,
    StandardAnalyzer,
    StemFilter,
    StemmingAnalyzer,
    StopFilter,
    Token,
)
from whoosh.analysis.tokenizers import default_pattern as _TOKEN_RE
from whoosh.codec import default_codec
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.columns import EmptyColumnReader
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.formats import Frequency, Positions
from whoosh.index import TOC, LockError
from whoosh.matching.wrappers import WrappingMatcher
from whoosh.query import (
    And,
    AndMaybe,
    AndNot,
    Not,
    NullQuery,
    NumericRange,
    Or,
    Phrase,
    Query,
    Term,
)
from whoosh.reading import TermNotFound
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte

from . import ranking
from . import vocabulary as v
from .domain import Compacts, Profile, practice_authorities

log = logging.getLogger(__name__)

# The text fields a visitor's words are matched against; nothing else is reachable from a query.
TEXT_FIELDS = ("name", "headline", "bio", "approaches_text", "concerns_text")
SORTS = ("relevance", "name", "fee")
FACETS = ("approach", "license", "language", "format")
MAX_PER_PAGE = 100
# From this many documents, a second process builds part of a new index: 11 batches in 20.
PARALLEL_BUILD = 20_000
CHILD_SHARE = (11, 20)
BUILD_BATCH = 500
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})

_stem = StemmingAnalyzer()


def make_schema() -> Schema:
    """Return the index schema: public text fields, filter keywords and sortable numbers."""
    return Schema(
        id=ID(stored=True, unique=True),
        # Columns: the matcher reads every id and version in a state without stored fields.
        pid=NUMERIC(bits=64, sortable=True),
        version=NUMERIC(stored=True, bits=64, sortable=True),
        name=TEXT(analyzer=_stem, field_boost=3.0),
        headline=TEXT(analyzer=_stem, field_boost=1.5),
        bio=TEXT(analyzer=_stem),
        approaches_text=TEXT(analyzer=_stem, field_boost=2.0),
        concerns_text=TEXT(analyzer=_stem, field_boost=1.5),
        # Unstemmed words of all the text fields, for "did you mean" suggestions.
        spell=TEXT(analyzer=StandardAnalyzer(), phrase=False),
        states=KEYWORD(),
        license=KEYWORD(),
        approach=KEYWORD(),
        concern=KEYWORD(),
        language=KEYWORD(),
        format=KEYWORD(),
        insurance=KEYWORD(),
        flags=KEYWORD(),
        fee=NUMERIC(sortable=True),
        lowest_fee=NUMERIC(sortable=True),
        lat=NUMERIC(numtype=float, sortable=True),
        lon=NUMERIC(numtype=float, sortable=True),
        name_sort=ID(sortable=True),
        # The day (ordinal) after which a license lapses and the states, flags and badges
        # above go out of date; documents past it are re-indexed (see indexing.py).
        valid_until=NUMERIC(bits=64),
    )


def approaches_text(keys: Iterable[str]) -> str:
    """Return the words a visitor may use for these approaches (names and synonyms)."""
    return " ".join(" ".join((v.APPROACHES[k].name, *v.APPROACHES[k].synonyms)) for k in keys)


def concerns_text(keys: Iterable[str]) -> str:
    """Return the words a visitor may use for these concerns."""
    return " ".join(
        " ".join((v.CONCERNS[k].name, v.CONCERNS[k].description, *v.CONCERNS[k].synonyms))
        for k in keys
    )


def make_document(
    pid: int,
    version: int,
    profile: Profile,
    location: tuple[float, float] | None,
    today: date,
    compacts: Compacts,
) -> dict:
    """Return the search document of one practitioner (only public fields are indexed)."""
    states = set(practice_authorities(profile, today, compacts))
    if profile.in_person:
        states.add(profile.state)
    flags = []
    if profile.accepting_new_clients:
        flags.append("accepting")
    if profile.free_consultation:
        flags.append("free_consultation")
    if profile.has_verified_license(today):
        flags.append("verified")
    ap_text = approaches_text(profile.approach_keys)
    co_text = concerns_text(profile.concerns)
    lapses = [lic.expires_on for lic in profile.licenses if lic.is_valid(today)]
    doc = {
        "valid_until": min(lapses).toordinal() if lapses else date.max.toordinal(),
        "id": str(pid),
        "pid": pid,
        "version": version,
        "name": profile.name,
        "headline": profile.headline,
        "bio": profile.bio,
        "approaches_text": ap_text,
        "concerns_text": co_text,
        "spell": " ".join((profile.name, profile.headline, profile.bio, ap_text, co_text)),
        "states": " ".join(sorted(states)),
        "license": " ".join(sorted({lic.kind for lic in profile.licenses})),
        "approach": " ".join(profile.approach_keys),
        "concern": " ".join(profile.concerns),
        "language": " ".join(profile.languages),
        "format": " ".join(profile.formats),
        "insurance": " ".join(profile.insurance),
        "flags": " ".join(flags),
        "fee": profile.fee,
        "lowest_fee": profile.lowest_fee,
        "name_sort": profile.name.casefold(),
    }
    if location and profile.in_person:
        doc["lat"], doc["lon"] = location
    return doc


def _shape(schema: Schema) -> set[tuple[str, str, bool]]:
    """Return each field's name, kind and whether it has a column (what searches rely on)."""
    return {
        (name, type(f).__name__, type(f.format).__name__, bool(f.column_type))
        for name, f in schema.items()
    }


def _whole_matches(expression: re.Pattern) -> Callable[[str], list[str]]:
    """Return a function listing the whole matches of ``expression`` in a text."""
    pattern = expression.pattern
    if "\\(" not in pattern and "(?" not in pattern:
        # findall() runs in C, but returns groups instead of matches when there are groups.
        plain = re.compile(pattern.replace("(", "(?:"), expression.flags)
        if plain.groups == 0:
            return plain.findall
    return lambda text: [match.group() for match in expression.finditer(text)]


class _Stems(dict):
    """The stems of the words seen so far, as a stemming filter makes them."""

    def __init__(self, stemmer: StemFilter):
        super().__init__()
        self.stemmer = stemmer

    def __missing__(self, word: str) -> str:
        stem = word if word in self.stemmer.ignore else self.stemmer.stemfn(word)
        self[word] = stem
        return stem


def _text_terms(field) -> Callable[[str], list[tuple[bytes, int, float, bytes]]] | None:
    """Return a fast equivalent of ``field.index`` for a plain text field, or None.

    Whoosh analyses text through a chain of generators passing a token object along, which
    cost more than a millisecond per profile. For the analyzers this schema uses (a regex
    tokenizer, lower case, stop words with renumbered positions, optionally a stemmer) the same
    terms, positions and weights come out of a plain loop; tests compare the two on every field.
    """
    items = getattr(field.analyzer, "items", ())
    kinds = [type(item) for item in items]
    if kinds not in (
        [RegexTokenizer, LowercaseFilter, StopFilter],
        [RegexTokenizer, LowercaseFilter, StopFilter, StemFilter],
    ):
        return None
    tokenizer, _, stopper = items[:3]
    fmt = field.format
    if tokenizer.gaps or not stopper.renumber or type(fmt) not in (Positions, Frequency):
        return None
    find = _whole_matches(tokenizer.expression)
    stops, shortest, longest = stopper.stops, stopper.min, stopper.max
    stemmer = items[3] if len(items) == 4 else None
    if stemmer is not None and stemmer.lang:
        return None
    stems = _Stems(stemmer) if stemmer is not None else None
    boost = fmt.field_boost
    encode = fmt.encode if type(fmt) is Positions else None

    def kept(word: str) -> bool:
        return (
            word not in stops
            and len(word) >= shortest
            and (longest is None or len(word) <= longest)
        )

    def words_of(value: str) -> tuple[int, list[str]] | None:
        """Return the position of the first kept word and the kept words, unstemmed."""
        # Lowering ASCII text before matching changes no match, and saves a call per word.
        words = find(value.lower()) if value.isascii() else [w.lower() for w in find(value)]
        first = next((i for i, word in enumerate(words) if kept(word)), None)
        if first is None:
            return None
        # Stop words are dropped and the words after the first kept one renumbered.
        return first, [word for word in words[first:] if kept(word)]

    def terms(value: str) -> list[tuple[bytes, int, float, bytes]]:
        return terms_of(words_of(value))

    def terms_of(found: tuple[int, list[str]] | None) -> list[tuple[bytes, int, float, bytes]]:
        if found is None:
            return []
        first, words = found
        if stems is not None:
            words = [stems[word] for word in words]
        if encode is None:
            return [
                (w.encode(), n, float(n) * boost, pack_uint(n)) for w, n in Counter(words).items()
            ]
        found: dict[str, list[int]] = {}
        for pos, word in enumerate(words, first):
            at = found.get(word)
            if at is None:
                found[word] = [pos]
            else:
                at.append(pos)
        return [(w.encode(), len(p), float(len(p)) * boost, encode(p)) for w, p in found.items()]

    terms.words = words_of
    terms.of_words = terms_of
    # Fields whose analyzers split and drop words alike can share their words.
    terms.splitting = (tokenizer.expression.pattern, tokenizer.expression.flags,
                       frozenset(stops), shortest, longest)  # fmt: skip
    terms.counts_only = stems is None and encode is None
    return terms


class _SegmentBuilder:
    """Writes documents into one new segment of an index through Whoosh's own codec.

    Whoosh's writer pickles every posting to a temporary run file and merge-sorts the runs at
    commit; at 100,000 profiles building took ten minutes. Documents here arrive in order, so
    each term's postings are collected in arrays already sorted, and the same per-document and
    postings writers then write the same files the writer would.
    """

    # Many values repeat (states, fees, the text of a set of approaches): each field remembers
    # the terms of up to MEMO values, unless most of its first TRIAL values were new.
    MEMO = 50_000
    TRIAL = 1_000

    def __init__(self, storage, indexname: str, schema: Schema):
        self.schema = schema
        self.codec = default_codec()
        self.storage = storage
        self.segment = self.codec.new_segment(storage, indexname)
        self.perdoc = self.codec.per_document_writer(storage, self.segment)
        self.count = 0
        self.fast = {name: _text_terms(f) for name, f in schema.items() if f.indexed}
        self.memo: dict[str, dict] = {name: {} for name in self.fast}
        # field -> term -> (document numbers, weights, encoded values)
        self.postings: dict[str, dict[bytes, tuple[array, array, list]]] = {}
        # field -> each document's length, as the length column rounds it
        self.lengths: dict[str, list[int]] = {}
        # One bytes object per distinct encoded value, instead of one per posting.
        self.values: dict[bytes, bytes] = {}
        # The spell field is the text fields joined (make_document): its terms are their
        # words unstemmed, so they are counted again rather than found again.
        sources = [self.fast.get(name) for name in TEXT_FIELDS]
        spell = self.fast.get("spell")
        self.shared_words = (
            spell is not None
            and spell.counts_only
            and all(f is not None and f.splitting == spell.splitting for f in sources)
        )
        self.words_memo: dict[tuple[str, str], tuple[int, list[str]] | None] = {}

    def _terms(self, name: str, field, value, doc: dict, words: dict):
        if name == "spell" and self.shared_words:
            parts = [doc.get(source) for source in TEXT_FIELDS]
            if None not in parts and value == " ".join(parts):
                joined: list[str] = []
                for source, part in zip(TEXT_FIELDS, parts, strict=True):
                    found = words[source] if source in words else self._words(source, part)
                    joined.extend(found[1] if found else ())
                return self.fast[name].of_words((0, joined) if joined else None)
        memo = self.memo.get(name)
        if memo is not None and (terms := memo.get(value)) is not None:
            return terms
        fast = self.fast[name]
        if fast is None:
            terms = list(field.index(value))
        else:
            found = words[name] = fast.words(value)
            terms = fast.of_words(found)
        if memo is not None and len(memo) < self.MEMO:
            memo[value] = terms
        return terms

    def _words(self, name: str, value: str):
        """Return the words of a value whose terms came from the memo (short, repeated)."""
        key = (name, value)
        if key not in self.words_memo:
            if len(self.words_memo) >= self.MEMO:
                return self.fast[name].words(value)
            self.words_memo[key] = self.fast[name].words(value)
        return self.words_memo[key]

    def add(self, doc: dict) -> None:
        """Add one document (the arguments ``IndexWriter.add_document`` would take)."""
        docnum = self.count
        if docnum == self.TRIAL:
            for name, memo in list(self.memo.items()):
                if len(memo) > self.TRIAL // 2:
                    del self.memo[name]
        perdoc = self.perdoc
        values = self.values
        perdoc.start_doc(docnum)
        words: dict[str, tuple[int, list[str]] | None] = {}
        for name in sorted(doc):
            value = doc[name]
            if value is None:
                continue
            field = self.schema[name]
            length = 0
            if field.indexed:
                postings = self.postings.setdefault(name, {})
                for btext, freq, weight, vbytes in self._terms(name, field, value, doc, words):
                    if field.scorable:
                        length += freq
                    entry = postings.get(btext)
                    if entry is None:
                        entry = postings[btext] = (array("I"), array("d"), [])
                    entry[0].append(docnum)
                    entry[1].append(weight)
                    entry[2].append(values.setdefault(vbytes, vbytes))
                if length:
                    lengths = self.lengths.setdefault(name, [])
                    lengths.extend([0] * (docnum + 1 - len(lengths)))
                    lengths[docnum] = byte_to_length(length_to_byte(length))
            perdoc.add_field(name, field, value if field.stored else None, length)
            if field.column_type:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        perdoc.finish_doc()
        self.count += 1

    def finish(self):
        """Write the postings, close the segment's files and return the segment."""
        self.perdoc.close()
        # The posting arrays searches read (see _SegmentArrays), straight from memory.
        arrays = Path(self.storage.folder) / f"arrays-{self.segment.segment_id()}"
        _save_arrays(
            arrays,
            (
                (name, btext.decode("utf-8"), docnums, weights)
                for name in ARRAY_FIELDS
                for btext, (docnums, weights, _) in sorted(self.postings.get(name, {}).items())
            ),
        )
        writer = self.codec.field_writer(self.storage, self.segment)
        for name in sorted(self.postings):
            terms = self.postings.pop(name)
            lengths = self.lengths.get(name, [])
            lengths.extend([0] * (self.count - len(lengths)))
            writer.start_field(name, self.schema[name])
            for btext in sorted(terms):
                writer.start_term(btext)
                _fill_blocks(writer._postwriter, *terms[btext], lengths)
                writer.finish_term()
            writer.finish_field()
        writer.close()
        self.segment.set_doc_count(self.count)
        return self.segment


def _fill_blocks(postings, docnums: array, weights: array, values: list, lengths: list) -> None:
    """Put one term's postings into Whoosh's postings writer a block at a time.

    This is what ``add_posting`` does one posting at a time (a method call and four type
    checks each, tens of millions at 100,000 profiles): full blocks are written, the last one is
    left for ``finish_postings`` to write or inline.
    """
    limit = postings._blocklimit
    for start in range(0, len(docnums), limit):
        if start:
            postings._write_block()
        ids = docnums[start : start + limit]
        block_weights = weights[start : start + limit]
        sizes = [size for size in map(lengths.__getitem__, ids) if size]
        postings._ids = ids
        postings._weights = array("f", block_weights)
        postings._values = [value for value in values[start : start + limit] if value]
        postings._maxweight = max(0, max(block_weights))
        postings._minlength = min(sizes) if sizes else None
        postings._maxlength = max(sizes) if sizes else 0


def _write_segments(ix: index.Index, documents: Iterator[dict], expected: int):
    """Write ``documents`` into new segments of ``ix``; return the segments and how many.

    In a large build, batches of documents go in turn to a second process and to this one, so
    both build at once while this one also reads them all from the database; each segment
    keeps its documents in order. The child gets a little more, since reading costs too.
    """
    segments: list = []
    sent = 0
    child = None
    if expected >= PARALLEL_BUILD:
        # Forked, not spawned: a spawned child imports the caller's main module again, and the
        # child only ever builds from what it is sent (no database, no logging).
        context = multiprocessing.get_context("fork")
        ours, theirs = context.Pipe()
        child = context.Process(target=_segment_process, args=(ix.storage.folder, theirs))
        child.start()
        theirs.close()

    def kept_here() -> Iterator[dict]:
        nonlocal sent
        for number, batch in enumerate(iter(lambda: list(islice(documents, BUILD_BATCH)), [])):
            if number % CHILD_SHARE[1] < CHILD_SHARE[0]:
                ours.send(batch)
                sent += len(batch)
            else:
                yield from batch
        ours.send(None)

    try:
        rest = _build_segment(ix, kept_here() if child is not None else documents)
        count = sent
        if child is not None:
            try:
                first = ours.recv()
            except EOFError:
                raise RuntimeError("the process building part of the index failed") from None
            child.join()
            segments.extend([first] if first is not None else [])
        if rest is not None:
            segments.append(rest[0])
            count += rest[1]
        return segments, count
    finally:
        if child is not None and child.is_alive():
            child.kill()
            child.join()


def _build_segment(ix: index.Index, documents: Iterator[dict]):
    """Write ``documents`` into one new segment; return it and how many, or None if none."""
    first = next(documents, None)
    if first is None:
        return None
    builder = _SegmentBuilder(ix.storage, ix.indexname, ix.schema)
    for doc in chain((first,), documents):
        builder.add(doc)
    return builder.finish(), builder.count


def _segment_process(folder: str, conn) -> None:
    """Build one segment of the index in ``folder`` from the batches of documents sent."""

    def received() -> Iterator[dict]:
        while (batch := conn.recv()) is not None:
            yield from batch

    built = _build_segment(index.open_dir(folder), received())
    conn.send(built[0] if built is not None else None)


class IndexUnavailable(RuntimeError):
    """The search index is missing or cannot be opened (for instance while being rebuilt)."""


class SearchIndex:
    """The on-disk index: generations in folders, with a CURRENT file naming the live one."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self._pool: list[tuple[Path, object, dict]] = []
        self._pool_lock = threading.Lock()
        self._write_lock = threading.Lock()
        # The day this process last re-indexed documents whose licenses lapsed.
        self.refreshed_on: date | None = None

    @property
    def pointer(self) -> Path:
        return self.root / "CURRENT"

    def current_dir(self) -> Path | None:
        """Return the folder of the live generation, or None if no index was built yet."""
        try:
            name = self.pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return self.root / name if name else None

    def exists(self) -> bool:
        """Return whether a live index exists."""
        current = self.current_dir()
        return current is not None and index.exists_in(str(current))

    def is_current(self) -> bool:
        """Return whether the live index has the fields this code expects."""
        return self.exists() and _shape(self.open().schema) == _shape(make_schema())

    def open(self) -> index.Index:
        """Open the live index."""
        current = self.current_dir()
        if current is None:
            raise FileNotFoundError(f"no search index in {self.root}")
        return index.open_dir(str(current))

    @contextmanager
    def searching(self) -> Iterator[Searcher]:
        """Lend a searcher over the live index, refreshed to the latest commit.

        Whoosh searchers are not thread-safe and cost something to open, so idle ones wait in
        a pool, each request borrows one for its own use, and one is reopened only after the
        index changed.
        """
        current = self.current_dir()
        if current is None:
            raise IndexUnavailable(f"no search index in {self.root}")
        with self._pool_lock:
            entry = self._pool.pop() if self._pool else None
        if entry is not None and entry[0] != current:
            entry[1].close()
            entry = None
        if entry is None:
            try:
                entry = (current, index.open_dir(str(current)).searcher(), {})
            except (OSError, index.EmptyIndexError) as exc:
                raise IndexUnavailable(f"cannot open the search index in {current}") from exc
        elif not entry[1].up_to_date():
            # Reopen rather than refresh(): whoosh3 3.54's refresh() adds the old reader's
            # segments back to the new ones, so merged-away segments and deleted documents
            # reappear (duplicates after an update), and it fails outright on an empty index.
            entry[1].close()
            entry = (current, index.open_dir(str(current)).searcher(), {})
        try:
            yield Searcher(entry[1], entry[2])
        finally:
            with self._pool_lock:
                self._pool.append(entry)

    def close(self) -> None:
        """Close every pooled searcher."""
        with self._pool_lock:
            while self._pool:
                self._pool.pop()[1].close()

    def build(
        self, documents: Iterable[dict], *, hold_live_lock: bool = True, expected: int = 0
    ) -> int:
        """Build a new generation from ``documents`` beside the live one and swap it in.

        While building, the live index's write lock is held so that no outbox entry is applied
        to the old generation and lost; those entries wait in the outbox for the new one.
        ``expected`` is how many documents will come, if known: from ``PARALLEL_BUILD`` on, a
        second process builds the first half of them.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        # One rebuild at a time: a second one would lock a generation that is about to be
        # replaced, and a drain into the new one could be lost when it swaps.
        with open(self.root / "REBUILD.lock", "a+") as guard:
            fcntl.flock(guard, fcntl.LOCK_EX)
            try:
                return self._build(documents, hold_live_lock, expected)
            finally:
                fcntl.flock(guard, fcntl.LOCK_UN)

    def _build(self, documents: Iterable[dict], hold_live_lock: bool, expected: int) -> int:
        live_lock = None
        if hold_live_lock and self.exists():
            live_lock = self.open().lock("WRITELOCK")
            if not live_lock.acquire(blocking=True):
                raise LockError("the live index is locked")
        try:
            name = f"gen-{uuid.uuid4().hex[:12]}"
            target = self.root / name
            target.mkdir()
            ix = index.create_in(str(target), make_schema())
            segments, count = _write_segments(ix, iter(documents), expected)
            TOC(ix.schema, segments, 1).write(ix.storage, ix.indexname)
            ix.storage.temp_storage(f"{ix.indexname}.tmp").destroy()
            tmp = self.root / f"CURRENT.{name}"
            tmp.write_text(name, encoding="utf-8")
            old = self.current_dir()
            os.replace(tmp, self.pointer)
        finally:
            if live_lock is not None:
                live_lock.release()
        self._remove_old(keep={name, old.name if old else ""})
        return count

    def _remove_old(self, keep: set[str]) -> None:
        # Keep the generation just replaced: searchers in other processes may still read it
        # until their next refresh. Anything older goes.
        for child in self.root.iterdir():
            if child.is_dir() and child.name.startswith("gen-") and child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)

    def write(self, produce: Callable[[], tuple[list[dict], list[str]]], wait: float = 2.0) -> bool:
        """Lock the live index, call ``produce`` for documents and deletions, and write them.

        ``produce`` runs while the write lock is held, so what it reads from the database is
        what gets written: two writers can never interleave an older state over a newer one.
        A document whose indexed version is newer than the one offered is left alone as well.
        Returns False, writing nothing, if the lock is not free within ``wait`` seconds.
        """
        if not self._write_lock.acquire(timeout=wait):
            return False
        try:
            ix = self.open()
            try:
                writer = ix.writer(timeout=wait, delay=0.05, compound=False)
            except LockError:
                return False
            try:
                upserts, deletes = produce()
                with ix.searcher() as s:
                    for doc in upserts:
                        stored = s.document(id=doc["id"])
                        if stored and stored["version"] > doc["version"]:
                            continue
                        writer.update_document(**doc)
                for pid in deletes:
                    writer.delete_by_term("id", pid)
                if upserts or deletes:
                    writer.commit(merge=True)
                    # A merge may have made a big segment: give it arrays for fast searches.
                    write_arrays(Path(ix.storage.folder), min_docs=ARRAY_MIN_DOCS)
                else:
                    writer.cancel()
            except BaseException:
                writer.cancel()
                raise
            return True
        finally:
            self._write_lock.release()

    def apply(self, upserts: list[dict], deletes: list[str], wait: float = 2.0) -> bool:
        """Write these documents and deletions; return False if the index stayed locked."""
        return self.write(lambda: (upserts, deletes), wait)

    def versions(self) -> dict[int, int]:
        """Return the id and version of every document in the live index."""
        with self.open().searcher() as s:
            return {int(d["id"]): d["version"] for d in s.all_stored_fields()}


@dataclass(frozen=True)
class SearchParams:
    """A directory search: free text, filters, sort and page, already validated."""

    q: str = ""
    state: str | None = None
    zip: str | None = None
    radius: int | None = None
    origin: tuple[float, float] | None = None
    license: str | None = None
    approach: tuple[str, ...] = ()
    concern: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    format: str | None = None
    accepting: bool = False
    max_fee: int | None = None
    insurance: str | None = None
    free_consultation: bool = False
    verified: bool = False
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20

    def active_filters(self) -> list[tuple[str, str, SearchParams]]:
        """Return (name, label, params without it) for each filter in use."""
        out: list[tuple[str, str, SearchParams]] = []
        if self.state:
            out.append(("state", f"in {v.state_name(self.state)}", replace(self, state=None)))
        if self.zip:
            out.append(
                ("zip", f"within {self.radius} miles of {self.zip}",
                 replace(self, zip=None, radius=None, origin=None)),
            )  # fmt: skip
        if self.license:
            out.append(("license", v.LICENSE_KINDS[self.license].name, replace(self, license=None)))
        for name, vocab in (("approach", v.APPROACHES), ("concern", v.CONCERNS)):
            for key in getattr(self, name):
                rest = tuple(k for k in getattr(self, name) if k != key)
                out.append((name, vocab[key].name, replace(self, **{name: rest})))
        for key in self.language:
            rest = tuple(k for k in self.language if k != key)
            out.append(("language", v.LANGUAGES[key], replace(self, language=rest)))
        if self.format:
            out.append(("format", v.FORMATS[self.format].name, replace(self, format=None)))
        if self.accepting:
            out.append(("accepting", "accepting new clients", replace(self, accepting=False)))
        if self.max_fee is not None:
            out.append(("max_fee", f"${self.max_fee} or less", replace(self, max_fee=None)))
        if self.insurance:
            out.append(
                ("insurance", v.INSURANCE_PLANS[self.insurance], replace(self, insurance=None))
            )
        if self.free_consultation:
            out.append(
                ("free_consultation", "free consultation",
                 replace(self, free_consultation=False)),
            )  # fmt: skip
        if self.verified:
            out.append(("verified", "verified license", replace(self, verified=False)))
        return out


@dataclass(frozen=True)
class Hit:
    """One result: the practitioner's id, score and highlighted bio fragments."""

    id: int
    score: float | None
    # Each fragment is a list of (text, matched) pieces, rendered with escaping.
    highlights: tuple[tuple[tuple[str, bool], ...], ...] = ()


@dataclass(frozen=True)
class Relaxation:
    """A filter whose removal would give results, for explaining an empty search."""

    name: str
    label: str
    count: int
    params: SearchParams


@dataclass(frozen=True)
class SearchResult:
    """A page of hits with the total, the facet counts and any suggestion."""

    params: SearchParams
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str | None = None
    relaxations: tuple[Relaxation, ...] = ()
    text_fallback: bool = False

    @property
    def pages(self) -> int:
        """Return the number of pages."""
        return max(1, math.ceil(self.total / self.params.per_page))


class _SegmentFormatter(highlight.Formatter):
    """Returns fragments as (text, matched) pieces so templates escape every character."""

    def format_fragment(self, fragment, replace=False):
        pieces = []
        text = fragment.text
        index_, end = fragment.startchar, fragment.endchar
        # Start and end on whole words, without cutting into a match.
        first = min((t.startchar for t in fragment.matches), default=index_)
        last = max((t.endchar for t in fragment.matches), default=end)
        if index_ > 0 and not text[index_ - 1].isspace():
            space = text.find(" ", index_, first)
            index_ = space + 1 if space != -1 else index_
        if end < len(text) and not text[end].isspace():
            space = text.rfind(" ", last, end)
            end = space if space != -1 else end
        for t in sorted(fragment.matches, key=lambda t: (t.startchar, t.startchar - t.endchar)):
            if t.startchar is None or t.startchar < index_:
                continue
            if t.startchar > index_:
                pieces.append((text[index_ : t.startchar], False))
            pieces.append((text[t.startchar : t.endchar], True))
            index_ = t.endchar
        pieces.append((text[index_:end], False))
        if fragment.startchar > 0:
            pieces.insert(0, ("… ", False))
        if end < len(text):
            pieces.append((" …", False))
        return tuple(p for p in pieces if p[0])

    def format(self, fragments, replace=False):
        out = [self.format_fragment(f) for f in fragments]
        # One ellipsis between two fragments, not one from each side.
        return tuple(f[1:] if i and f and f[0] == ("… ", False) else f for i, f in enumerate(out))


def highlight_text(text: str, words: frozenset[str], analyzer) -> tuple:
    """Return up to two fragments of ``text`` with the analysed ``words`` marked.

    What ``whoosh.highlight.highlight`` returns with a pinpoint fragmenter, without running
    the whole analyser over every word of the text: only words that begin like one of
    ``words`` (stemming leaves the first three letters alone) are analysed.
    """
    prefixes = tuple({w[:3] for w in words})
    matched = []
    for found in _TOKEN_RE.finditer(text):
        if not found.group().lower().startswith(prefixes):
            continue
        stems = [t.text for t in analyzer(found.group())]
        if len(stems) == 1 and stems[0] in words:
            token = Token(chars=True)
            token.text, token.startchar, token.endchar = stems[0], found.start(), found.end()
            token.matched = True
            matched.append(token)
    fragmenter = highlight.PinpointFragmenter(maxchars=200, surround=60)
    fragments = fragmenter.fragment_matches(text, matched)
    best = highlight.top_fragments(fragments, 2, highlight.BasicFragmentScorer(), highlight.FIRST)
    return _SegmentFormatter()(text, best)


def _parser(plain: bool) -> qparser.QueryParser:
    p = qparser.MultifieldParser(TEXT_FIELDS, make_schema(), group=qparser.AndGroup)
    # Visitors may use phrases, parentheses and AND/OR/NOT, never field names, ranges,
    # wildcards or boosts: those would reach fields that are not meant to be searched.
    for plugin in (
        qparser.FieldsPlugin, qparser.WildcardPlugin, qparser.RangePlugin,
        qparser.BoostPlugin, qparser.EveryPlugin, qparser.SingleQuotePlugin,
    ):  # fmt: skip
        p.remove_plugin_class(plugin)
    if plain:
        for plugin in (qparser.PhrasePlugin, qparser.GroupPlugin, qparser.OperatorsPlugin):
            p.remove_plugin_class(plugin)
    return p


_SYNTAX_PARSER = _parser(plain=False)
_PLAIN_PARSER = _parser(plain=True)
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def plain_words(text: str) -> list[str]:
    """Return the words of ``text`` without any query syntax."""
    return [w for w in _WORD_RE.findall(text) if w not in OPERATORS]


def _well_formed(text: str) -> bool:
    if text.count('"') % 2:
        return False
    depth = 0
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if depth < 0:
            return False
    if depth:
        return False
    tokens = re.findall(r'"[^"]*"|[()]|[^\s()"]+', text)
    previous = None
    for i, tok in enumerate(tokens):
        if tok in OPERATORS:
            first = previous is None or previous in OPERATORS or previous == "("
            last = i == len(tokens) - 1 or tokens[i + 1] in OPERATORS or tokens[i + 1] == ")"
            if last or (first and tok != "NOT"):
                return False
        previous = tok
    return True


def parse_text(text: str) -> tuple[Query | None, bool]:
    """Parse a visitor's text into a query; return (query, fell_back_to_plain_words)."""
    text = text.strip()
    if not text:
        return None, False
    fallback = not _well_formed(text)
    q = None
    if not fallback:
        try:
            q = _SYNTAX_PARSER.parse(text)
        except Exception:  # the parser should never raise, but a visitor must never see it
            log.info("query syntax fell back to plain words")
            fallback = True
    if fallback:
        q = _PLAIN_PARSER.parse(" ".join(plain_words(text)))
    if q is None or q is NullQuery:
        return None, fallback
    return q, fallback


def _positive_terms(q: Query, fieldname: str) -> frozenset[str]:
    """Return the words of ``q`` in ``fieldname`` that a matching document may contain."""
    if isinstance(q, Not):
        return frozenset()
    if isinstance(q, AndNot):
        return _positive_terms(q.a, fieldname)
    if isinstance(q, Term):
        return frozenset({q.text}) if q.fieldname == fieldname else frozenset()
    if isinstance(q, Phrase):
        return frozenset(q.words) if q.fieldname == fieldname else frozenset()
    return frozenset().union(*(_positive_terms(c, fieldname) for c in q.children()))


class _ArrayCache:
    """What immutable segments hold, read into arrays once per process and kept in LRU order.

    A segment never changes once written (only its deletions do, and those are read per
    searcher), so its posting lists, field lengths and columns stay valid after the index
    changes: after a save, only the new small segment has to be read.
    """

    def __init__(self, budget_bytes: int):
        self.budget = budget_bytes
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self._sizes: dict[tuple, int] = {}
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple, load: Callable[[], object]):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
                return value
        value = load()
        size = (
            sum(a.nbytes for a in value if isinstance(a, np.ndarray))
            if isinstance(value, tuple)
            else getattr(value, "nbytes", 64)
        )
        with self._lock:
            if key not in self._items:
                self._items[key] = value
                self._sizes[key] = size
                self._size += size
            while self._size > self.budget and len(self._items) > 1:
                old, _ = self._items.popitem(last=False)
                self._size -= self._sizes.pop(old)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._sizes.clear()
            self._size = 0


# Shared by every searcher of the process; 96 MB holds the filters, columns and a few hundred
# text terms of a 100,000-practitioner index.
ARRAYS = _ArrayCache(96 * 1024 * 1024)
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
_EMPTY_IDS = np.zeros(0, dtype=np.int64)
_EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)


def _segment_key(reader) -> tuple:
    segment = reader.segment()
    folder = getattr(getattr(reader, "_storage", None), "folder", "")
    return (folder, segment.segment_id() if segment is not None else id(reader))


# Fields whose posting lists are written as flat arrays beside each built segment.
ARRAY_FIELDS = (*TEXT_FIELDS, "states", "license", "approach", "concern", "language", "format",
                "insurance", "flags")  # fmt: skip
# A segment written by a drain gets its arrays only once it is this big (a merge made it).
ARRAY_MIN_DOCS = 5000


class _SegmentArrays:
    """A segment's posting lists as flat arrays on disk, mapped into memory.

    Reading a posting list through Whoosh unpickles and decompresses every block (about 30 ms
    for a word in half of 100,000 bios); a slice of a mapped file costs microseconds, and the
    operating system shares the mapped pages between all the workers.
    """

    def __init__(self, folder: Path):
        self.terms: dict[str, list[int]] = json.loads(
            (folder / "terms.json").read_text(encoding="utf-8")
        )
        total = sum(count for _, count in self.terms.values())
        self.ids = self.weights = None
        if total:
            self.ids = np.memmap(folder / "ids.i32", dtype=np.int32, mode="r", shape=(total,))
            self.weights = np.memmap(
                folder / "weights.f32", dtype=np.float32, mode="r", shape=(total,)
            )

    def get(self, fieldname: str, text: str, weights: bool):
        span = self.terms.get(f"{fieldname}\t{text}")
        if span is None or self.ids is None:
            return _EMPTY_IDS, _EMPTY_WEIGHTS if weights else None
        start, count = span
        end = start + count
        return self.ids[start:end], self.weights[start:end] if weights else None


_SEGMENT_ARRAYS: dict[tuple, _SegmentArrays] = {}


def _arrays_folder(reader) -> Path | None:
    folder = getattr(getattr(reader, "_storage", None), "folder", None)
    segment = reader.segment()
    if folder is None or segment is None:
        return None
    return Path(folder) / f"arrays-{segment.segment_id()}"


def _segment_arrays(reader) -> _SegmentArrays | None:
    """Return the arrays written beside this segment, or None if it has none."""
    key = _segment_key(reader)
    found = _SEGMENT_ARRAYS.get(key)
    if found is None:
        # Looked for again each time while missing: a merge may give a segment arrays later.
        folder = _arrays_folder(reader)
        if folder is not None and (folder / "terms.json").exists():
            try:
                found = _SEGMENT_ARRAYS[key] = _SegmentArrays(folder)
            except (OSError, ValueError):
                log.warning("cannot read the posting arrays in %s; using the index", folder)
    return found


def write_arrays(folder: Path, min_docs: int = 0) -> int:
    """Write the posting arrays of each segment in ``folder`` that lacks them.

    Returns how many segments got arrays. Arrays of segments no longer in the index go.
    """
    written = 0
    ix = index.open_dir(str(folder))
    with ix.reader() as reader:
        leaves = reader.leaf_readers() if reader.doc_count_all() else []
        keep = set()
        for leaf, _ in leaves:
            target = _arrays_folder(leaf)
            if target is None:
                continue
            keep.add(target.name)
            if target.exists() or leaf.doc_count_all() < min_docs:
                continue
            _write_segment_arrays(leaf, target)
            written += 1
    for child in folder.iterdir():
        if child.name.startswith("arrays-") and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)
    return written


def _write_segment_arrays(leaf, target: Path) -> None:
    def postings() -> Iterator[tuple[str, str, np.ndarray, np.ndarray]]:
        for fieldname in ARRAY_FIELDS:
            for term in leaf.lexicon(fieldname):
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                yield (fieldname, text, *_read_postings(leaf, fieldname, text, True))

    _save_arrays(target, postings())


def _save_arrays(target: Path, postings: Iterable[tuple[str, str, object, object]]) -> None:
    """Write (field, term, document numbers, weights) as a segment's arrays in ``target``."""
    tmp = target.with_name(f".{target.name}-{uuid.uuid4().hex[:8]}")
    tmp.mkdir()
    terms: dict[str, list[int]] = {}
    start = 0
    with open(tmp / "ids.i32", "wb") as ids_file, open(tmp / "weights.f32", "wb") as w_file:
        for fieldname, text, ids, weights in postings:
            ids_file.write(np.asarray(ids, dtype=np.int32).tobytes())
            w_file.write(np.asarray(weights, dtype=np.float32).tobytes())
            terms[f"{fieldname}\t{text}"] = [start, len(ids)]
            start += len(ids)
    (tmp / "terms.json").write_text(json.dumps(terms), encoding="utf-8")
    try:
        os.rename(tmp, target)
    except OSError:  # another process wrote them first
        shutil.rmtree(tmp, ignore_errors=True)


def _read_postings(reader, fieldname: str, text: str, weights: bool):
    """Return the (document numbers, weights) of one term in one segment, block by block."""
    try:
        matcher = reader.postings(fieldname, text)
    except TermNotFound:
        return _EMPTY_IDS, _EMPTY_WEIGHTS if weights else None
    while isinstance(matcher, WrappingMatcher):  # deletions are masked per searcher instead
        matcher = matcher.child
    id_blocks: list = []
    weight_blocks: list = []
    if isinstance(matcher, W3LeafMatcher):
        # Whole blocks at a time: Whoosh's own walk costs a method call per posting.
        while matcher.is_active():
            matcher._read_ids()
            id_blocks.append(matcher._ids)
            if weights:
                matcher._read_weights()
                weight_blocks.append(matcher._weights)
            if matcher._lastblock:
                break
            matcher._goto(matcher._nextoffset)
    else:
        while matcher.is_active():
            id_blocks.append((matcher.id(),))
            if weights:
                weight_blocks.append((matcher.weight(),))
            matcher.next()
    ids = np.fromiter(chain.from_iterable(id_blocks), dtype=np.int64)
    if not weights:
        return ids, None
    return ids, np.fromiter(chain.from_iterable(weight_blocks), dtype=np.float32)


def _read_lengths(reader, fieldname: str) -> np.ndarray:
    """Return the length of ``fieldname`` in each document of one segment."""
    count = reader.doc_count_all()
    perdoc = getattr(reader, "_perdoc", None)
    raw = None
    if perdoc is not None and hasattr(perdoc, "_cached_reader"):
        column = perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
        raw = _raw_column(column, count, np.uint8) if column is not None else None
    if raw is None:
        raw = np.array([reader.doc_field_length(d, fieldname, 0) for d in range(count)])
        return raw.astype(np.float32)
    return _LENGTH_OF_BYTE[raw]


def _raw_column(column, count: int, dtype) -> np.ndarray | None:
    """Return a fixed-width column's stored values as an array, or None if it is not one."""
    if isinstance(column, EmptyColumnReader):
        return None
    if not hasattr(column, "_fixedlen"):
        return None
    stored = column._count
    data = column._dbfile.get(column._basepos, stored * column._fixedlen)
    values = np.frombuffer(data, dtype=np.dtype(dtype).newbyteorder(">"))
    if stored < count:
        default = np.frombuffer(column._defaultbytes, dtype=np.dtype(dtype).newbyteorder(">"))
        values = np.concatenate([values, np.repeat(default, count - stored)])
    return values[:count]


def _read_column(reader, fieldname: str) -> np.ndarray:
    """Return one sortable field's values in every document of one segment."""
    field = reader.schema[fieldname]
    count = reader.doc_count_all()
    if isinstance(field, NUMERIC):
        width = {"B": 1, "H": 2, "I": 4, "Q": 8}[field.sortable_typecode]
        raw = None
        if reader.has_column(fieldname):
            raw = _raw_column(reader.column_reader(fieldname, translate=False), count, f"u{width}")
        if raw is not None:
            raw = raw.astype(np.uint64)
            if field.numtype is float:
                # Undo whoosh.util.numeric.float_to_sortable_long, every value at once.
                bits = (
                    (raw - np.uint64(1 << 63)).view(np.int64)
                    if field.signed
                    else raw.view(np.int64)
                )
                bits = np.where(bits < 0, bits ^ np.int64(0x7FFFFFFFFFFFFFFF), bits)
                return bits.view(np.float64)
            values = raw.astype(np.int64) if field.bits < 64 else raw.view(np.int64)
            if field.signed:
                if field.bits < 64:
                    values = values - (1 << (field.bits - 1))
                else:
                    values = (raw ^ np.uint64(1 << 63)).view(np.int64)
            return values
    values = list(reader.column_reader(fieldname)) if reader.has_column(fieldname) else []
    if isinstance(field, NUMERIC):
        default = np.nan if field.numtype is float else field.default
        values = values or [default] * count
        return np.array(values, dtype=np.float64 if field.numtype is float else np.int64)
    return np.array(values or [""] * count, dtype=object)


class _Space:
    """One searcher's documents as arrays: its segments, deletions and columns.

    Document numbers are the searcher's: each segment's own numbers plus its offset.
    """

    def __init__(self, whoosh_searcher):
        reader = whoosh_searcher.reader()
        self.count = reader.doc_count_all()
        self.leaves = reader.leaf_readers() if self.count else []
        self.live = np.ones(self.count, dtype=bool)
        for leaf, offset in self.leaves:
            deleted = getattr(leaf, "deleted_docs_set", None)
            if deleted is None:
                deleted = [d for d in range(leaf.doc_count_all()) if leaf.is_deleted(d)]
            if deleted:
                self.live[np.fromiter(deleted, dtype=np.int64) + offset] = False
        self._arrays: dict[tuple, np.ndarray] = {}

    def postings(self, fieldname: str, text: str, weights: bool):
        """Return (document numbers, weights or None, document frequency) of one term."""
        ids_parts, weight_parts = [], []
        for leaf, offset in self.leaves:
            mapped = _segment_arrays(leaf)
            if mapped is not None:
                ids, w = mapped.get(fieldname, text, weights)
            else:
                ids, w = ARRAYS.get(
                    (_segment_key(leaf), "postings", fieldname, text, weights),
                    lambda leaf=leaf: _read_postings(leaf, fieldname, text, weights),
                )
            ids_parts.append(ids + offset if offset else ids)
            weight_parts.append(w)
        if not ids_parts:
            return _EMPTY_IDS, _EMPTY_WEIGHTS if weights else None, 0
        ids = np.concatenate(ids_parts) if len(ids_parts) > 1 else ids_parts[0]
        w = None
        if weights:
            w = np.concatenate(weight_parts) if len(weight_parts) > 1 else weight_parts[0]
        return ids, w, len(ids)

    def _joined(self, kind: str, fieldname: str, read) -> np.ndarray:
        key = (kind, fieldname)
        joined = self._arrays.get(key)
        if joined is None:
            parts = [
                ARRAYS.get(
                    (_segment_key(leaf), kind, fieldname), lambda leaf=leaf: read(leaf, fieldname)
                )
                for leaf, _ in self.leaves
            ]
            if not parts:
                joined = np.zeros(0)
            else:
                joined = np.concatenate(parts) if len(parts) > 1 else parts[0]
            self._arrays[key] = joined
        return joined

    def lengths(self, fieldname: str) -> np.ndarray:
        """Return the length of ``fieldname`` in every document."""
        return self._joined("lengths", fieldname, _read_lengths)

    def column(self, fieldname: str) -> np.ndarray:
        """Return a sortable field's value in every document."""
        return self._joined("column", fieldname, _read_column)

    def name_order(self) -> np.ndarray:
        """Return every document number in name order (ties by document number)."""
        # Each segment's names sorted once per process; merging sorted runs is cheap.
        keys, docs = [], []
        for leaf, offset in self.leaves:
            names, order = ARRAYS.get(
                (_segment_key(leaf), "name_order"), lambda leaf=leaf: _sorted_names(leaf)
            )
            keys.append(names)
            docs.append(order + offset)
        if not keys:
            return _EMPTY_IDS
        merged = np.argsort(np.concatenate(keys), kind="stable")
        return np.concatenate(docs)[merged]


def _sorted_names(reader) -> tuple[np.ndarray, np.ndarray]:
    names = _read_column(reader, "name_sort")
    order = np.argsort(names, kind="stable")
    return names[order], order.astype(np.int64)


class Searcher:
    """Answers searches from one thread's Whoosh searcher and its cached bitmaps and arrays."""

    def __init__(self, whoosh_searcher, cache: dict):
        self.s = whoosh_searcher
        self.cache = cache

    @property
    def space(self) -> _Space:
        space = self.cache.get("space")
        if space is None:
            space = self.cache["space"] = _Space(self.s)
        return space

    def _cached(self, key, compute):
        value = self.cache.get(key)
        if value is None:
            value = self.cache[key] = compute()
        return value

    def _value_bits(self, fieldname: str, value: str) -> int:
        """Return the bitmap of live documents with this keyword."""

        def compute() -> int:
            space = self.space
            docs, _, _ = space.postings(fieldname, value, weights=False)
            return ranking.to_bits(ranking.mask_of(docs, space.count) & space.live)

        return self._cached(("bits", fieldname, value), compute)

    def _live_bits(self) -> int:
        return self._cached(("live",), lambda: ranking.to_bits(self.space.live))

    def _fee_bits(self, max_fee: int) -> int:
        def compute() -> int:
            return ranking.to_bits((self.space.column("lowest_fee") <= max_fee) & self.space.live)

        return self._cached(("max_fee", max_fee), compute)

    def _distance_bits(self, origin: tuple[float, float], radius: int) -> int:
        def compute() -> int:
            space = self.space
            near = ranking.within_miles(origin, space.column("lat"), space.column("lon"), radius)
            return ranking.to_bits(near & space.live)

        return self._cached(("distance", origin, radius), compute)

    def _filter_bits(self, params: SearchParams) -> int:
        """Return the bitmap of live documents passing every filter of ``params``."""
        bits = self._live_bits()
        terms: list[tuple[str, str]] = []
        if params.state:
            terms.append(("states", params.state))
        if params.license:
            terms.append(("license", params.license))
        for name in ("approach", "concern", "language"):
            terms.extend((name, key) for key in getattr(params, name))
        if params.format:
            terms.append(("format", params.format))
        if params.insurance:
            terms.append(("insurance", params.insurance))
        for flag in ("accepting", "free_consultation", "verified"):
            if getattr(params, flag):
                terms.append(("flags", flag))
        for fieldname, value in terms:
            bits &= self._value_bits(fieldname, value)
        if params.max_fee is not None:
            bits &= self._fee_bits(params.max_fee)
        if params.origin and params.radius:
            bits &= self._distance_bits(params.origin, params.radius)
        return bits

    def _evaluate(self, q: Query) -> tuple[np.ndarray, np.ndarray]:
        """Return (mask, BM25F scores) of a parsed text query over every document."""
        space = self.space
        n = space.count
        kind = type(q)
        if kind is Term:
            docs, weights, frequency = space.postings(q.fieldname, q.text, weights=True)
            scores = np.zeros(n, dtype=np.float32)
            scores[docs] = self._term_scores(q.fieldname, docs, weights, frequency) * q.boost
            return ranking.mask_of(docs, n), scores
        if kind in (And, Or) and q.subqueries:
            parts = [self._evaluate(sub) for sub in q.subqueries]
            mask = parts[0][0].copy()
            scores = parts[0][1].copy()
            for sub_mask, sub_scores in parts[1:]:
                if kind is And:
                    mask &= sub_mask
                else:
                    mask |= sub_mask
                scores += sub_scores
            return mask, scores * q.boost if q.boost != 1 else scores
        if kind is Not:
            mask, _ = self._evaluate(q.query)
            mask = ~mask & space.live
            # Whoosh scores each document matched by a NOT as 1 (times its boost).
            return mask, mask.astype(np.float32) * q.boost
        if kind is AndNot:
            (a_mask, a_scores), (b_mask, _) = self._evaluate(q.a), self._evaluate(q.b)
            return a_mask & ~b_mask, a_scores
        if kind is AndMaybe:
            (a_mask, a_scores), (_, b_scores) = self._evaluate(q.a), self._evaluate(q.b)
            return a_mask, a_scores + b_scores
        # Anything else (phrases): Whoosh finds the documents, scored by the words they hold.
        mask = ranking.mask_of(np.fromiter(self.s.docs_for_query(q), dtype=np.int64), n)
        # Like Whoosh, a phrase scores what its words score in the documents it matches.
        words = [(q.fieldname, w) for w in q.words] if isinstance(q, Phrase) else q.terms()
        scores = np.zeros(n, dtype=np.float32)
        for fieldname, text in words:
            scores += self._evaluate(Term(fieldname, text))[1]
        return mask, np.where(mask, scores * q.boost, 0).astype(np.float32)

    def _term_scores(
        self, fieldname: str, docs: np.ndarray, weights: np.ndarray, frequency: int
    ) -> np.ndarray:
        space = self.space
        if not self.s.schema[fieldname].scorable:
            return weights
        return ranking.bm25(
            ranking.idf(frequency, space.count),
            weights,
            space.lengths(fieldname)[docs],
            self.s.avg_field_length(fieldname),
        )

    def matching_bits(self, params: SearchParams, text_q: Query | None) -> int:
        """Return the bitmap of documents matching the text and every filter."""
        bits = self._filter_bits(params)
        if text_q is not None:
            bits &= ranking.to_bits(self._evaluate(text_q)[0])
        return bits

    def practitioners_in_state(self, state: str) -> tuple[np.ndarray, np.ndarray]:
        """Return the ids and versions of everyone who may see clients in ``state`` or has
        an office there."""
        space = self.space
        if space.count == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        docs = np.flatnonzero(ranking.from_bits(self._value_bits("states", state), space.count))
        return space.column("pid")[docs], space.column("version")[docs]

    def lapsed(self, today: date) -> list[int]:
        """Return the ids of documents computed before one of their licenses lapsed."""
        if self.s.doc_count_all() == 0:
            return []  # an empty index has no columns to read
        reader = self.s.reader()
        pids = reader.column_reader("pid")
        q = NumericRange("valid_until", None, today.toordinal() - 1)
        return [pids[d] for d in self.s.docs_for_query(q)]

    def document_count(self) -> int:
        """Return how many practitioners are in the index."""
        return self.s.doc_count()

    def facet_counts(self, bits: int) -> dict[str, dict[str, int]]:
        """Return, per facet, how many of the documents in ``bits`` each value would leave."""
        vocab = {
            "approach": v.APPROACHES,
            "license": v.LICENSE_KINDS,
            "language": v.LANGUAGES,
            "format": v.FORMATS,
        }
        return {
            facet: {key: (bits & self._value_bits(facet, key)).bit_count() for key in vocab[facet]}
            for facet in FACETS
        }

    def suggest(self, text: str) -> str | None:
        """Return the text with misspelled words corrected, or None if nothing changes."""
        reader = self.s.reader()
        corrector = None
        changed = False
        out = []
        analyzer = self.s.schema["spell"].analyzer
        for word in plain_words(text):
            tokens = [t.text for t in analyzer(word)]
            if len(tokens) != 1 or len(tokens[0]) < 3:
                out.append(word)
                continue
            token = tokens[0]
            if reader.doc_frequency("spell", token) > 0:
                out.append(word)
                continue
            corrector = corrector or self.s.corrector("spell")
            found = corrector.suggest(token, limit=1, maxdist=2)
            if found:
                out.append(found[0])
                changed = True
            else:
                out.append(word)
        return " ".join(out) if changed else None

    def search(
        self,
        params: SearchParams,
        load_bios: Callable[[list[int]], dict[int, str]] | None = None,
    ) -> SearchResult:
        """Run a search and return one page of hits with facets and suggestions.

        ``load_bios`` fetches the bios of the page's practitioners from the database, so the
        index need not store them for highlighting.
        """
        text_q, fell_back = parse_text(params.q)
        sort = params.sort
        if sort == "relevance" and text_q is None:
            sort = "name"
        space = self.space
        bits = self._filter_bits(params)
        scores = None
        if text_q is not None:
            text_mask, scores = self._evaluate(text_q)
            bits &= ranking.to_bits(text_mask)
        total = bits.bit_count()
        start = (params.page - 1) * params.per_page
        mask = ranking.from_bits(bits, space.count)
        if sort == "relevance":
            page = ranking.top(scores, mask, start + params.per_page)[start:]
        else:
            page = ranking.in_order(self._order(sort), mask)[start : start + params.per_page]
        pid_column = space.column("pid")
        pids = {int(d): int(pid_column[d]) for d in page}
        fragments: dict[int, tuple] = {}
        if len(page) and text_q is not None and load_bios is not None:
            fragments = self._highlights(text_q, list(pids), pids, load_bios)
        hits = [
            Hit(pids[d], float(scores[d]) if sort == "relevance" else None, fragments.get(d, ()))
            for d in pids
        ]
        suggestion = self.suggest(params.q) if params.q.strip() else None
        relaxations: tuple[Relaxation, ...] = ()
        if total == 0:
            relaxations = self._relaxations(params, text_q)
        return SearchResult(
            params=params,
            total=total,
            hits=tuple(hits),
            facets=self.facet_counts(bits),
            suggestion=suggestion,
            relaxations=relaxations,
            text_fallback=fell_back,
        )

    def _order(self, sort: str) -> np.ndarray:
        """Return every document number in the order of ``sort`` (ties by document number)."""
        if sort == "fee":
            return self._cached(
                ("order", sort), lambda: np.argsort(self.space.column("fee"), kind="stable")
            )
        return self._cached(("order", sort), self.space.name_order)

    def _highlights(
        self,
        text_q: Query,
        page: list[int],
        pids: dict[int, int],
        load_bios: Callable[[list[int]], dict[int, str]],
    ) -> dict[int, tuple]:
        """Return highlighted bio fragments for the page's documents only."""
        bios = load_bios([pids[d] for d in page])
        words = _positive_terms(text_q, "bio")
        if not words:
            return {}
        # Analysing twenty bios again costs less than asking Whoosh where its matches were,
        # which walks the text's postings up to each document of the page.
        analyzer = self.s.schema["bio"].analyzer
        out = {}
        for d in page:
            bio = bios.get(pids[d])
            if bio:
                out[d] = highlight_text(bio, words, analyzer) or ()
        return out

    def _relaxations(self, params: SearchParams, text_q: Query | None) -> tuple[Relaxation, ...]:
        found = []
        for name, label, without in params.active_filters():
            count = self.matching_bits(without, text_q).bit_count()
            if count:
                found.append(Relaxation(name, label, count, replace(without, page=1)))
        found.sort(key=lambda r: -r.count)
        return tuple(found)
