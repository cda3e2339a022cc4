"""Building new segments fast: Whoosh's codec writers fed from postings kept in memory."""

from __future__ import annotations

import multiprocessing
from array import array
from collections.abc import Iterator
from itertools import chain, islice
from pathlib import Path
from typing import Any, cast

from whoosh import index
from whoosh.codec import default_codec
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, FileIndex
from whoosh.util.numeric import byte_to_length, length_to_byte

from directory.search.fast.analysis import TermEntry, Words, text_terms
from directory.search.fast.arrays import ARRAY_FIELDS, save_arrays
from directory.search.schema import TEXT_FIELDS

# From this many documents, a second process builds part of a new index: 11 batches in 20.
PARALLEL_BUILD = 20_000
CHILD_SHARE = (11, 20)
BUILD_BATCH = 500


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
        self.fast = {name: text_terms(f) for name, f in schema.items() if f.indexed}
        self.memo: dict[str, dict] = {name: {} for name in self.fast}
        # field -> term -> (document numbers, weights, encoded values)
        self.postings: dict[str, dict[bytes, tuple[array, array, list]]] = {}
        # field -> each document's length, as the length column rounds it
        self.lengths: dict[str, list[int]] = {}
        # One bytes object per distinct encoded value, instead of one per posting.
        self.values: dict[bytes, bytes] = {}
        # The spell field is the text fields joined (make_document): its terms are their
        # words unstemmed, so they are counted again rather than found again.
        sources = {name: self.fast.get(name) for name in TEXT_FIELDS}
        spell = self.fast.get("spell")
        shared = (
            spell is not None
            and spell.counts_only
            and all(f is not None and f.splitting == spell.splitting for f in sources.values())
        )
        self.spell_terms = spell if shared else None
        self.source_terms = {name: f for name, f in sources.items() if f is not None}
        self.words_memo: dict[tuple[str, str], Words] = {}

    def _terms(
        self, name: str, field: Any, value: Any, doc: dict[str, Any], words: dict[str, Words]
    ) -> list[TermEntry]:
        if name == "spell" and self.spell_terms is not None:
            texts = [doc.get(source) for source in TEXT_FIELDS]
            parts = [text for text in texts if isinstance(text, str)]
            if len(parts) == len(texts) and value == " ".join(parts):
                joined: list[str] = []
                for source, part in zip(TEXT_FIELDS, parts, strict=True):
                    found = words[source] if source in words else self._words(source, part)
                    joined.extend(found[1] if found else ())
                return self.spell_terms.of_words((0, joined) if joined else None)
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

    def _words(self, name: str, value: str) -> Words:
        """Return the words of a value whose terms came from the memo (short, repeated)."""
        key = (name, value)
        if key not in self.words_memo:
            if len(self.words_memo) >= self.MEMO:
                return self.source_terms[name].words(value)
            self.words_memo[key] = self.source_terms[name].words(value)
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
        save_arrays(
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


def index_folder(ix: FileIndex) -> str:
    """Return the folder of an index on disk (a FileIndex's storage is a FileStorage)."""
    return str(cast(FileStorage, ix.storage).folder)


def build_generation(ix: FileIndex, documents: Iterator[dict[str, Any]], expected: int) -> int:
    """Fill an empty index with ``documents`` and commit it; return how many it holds.

    The segments are written directly (``write_segments``), then the index's table of contents
    is written to list them, as Whoosh's writer would at commit.
    """
    segments, count = write_segments(ix, documents, expected)
    TOC(ix.schema, segments, 1).write(ix.storage, ix.indexname)
    ix.storage.temp_storage(f"{ix.indexname}.tmp").destroy()
    return count


def write_segments(ix: FileIndex, documents: Iterator[dict], expected: int):
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
        child = context.Process(target=_segment_process, args=(index_folder(ix), theirs))
        child.start()
        theirs.close()

    def kept_here() -> Iterator[dict]:
        nonlocal sent
        for number, batch in enumerate(iter(lambda: list(islice(documents, BUILD_BATCH)), [])):
            if number % CHILD_SHARE[1] < CHILD_SHARE[0]:
                try:
                    ours.send(batch)
                except (BrokenPipeError, ConnectionResetError):
                    raise RuntimeError("the process building part of the index failed") from None
                sent += len(batch)
            else:
                yield from batch
        ours.send(None)

    try:
        rest = _build_segment(ix, kept_here() if child is not None else documents)
        count = sent
        if child is not None:
            # Waiting for the child's segment, but not for ever on a child that died.
            while not ours.poll(1.0):
                if not child.is_alive():
                    raise RuntimeError("the process building part of the index failed")
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


def _build_segment(ix: FileIndex, documents: Iterator[dict]):
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
