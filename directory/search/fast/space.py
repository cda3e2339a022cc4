"""One searcher's documents as arrays, and text queries answered over them with BM25F.

Whoosh finds and scores matches one posting at a time in Python; here a parsed query becomes a
boolean mask and a score per document, computed from the posting arrays with Whoosh's own
BM25F arithmetic (so rankings do not change), and Whoosh itself is asked only for phrases.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np
from whoosh.query import And, AndMaybe, AndNot, Not, Or, Phrase, Query, Term

from directory.search.fast.arrays import (
    _EMPTY_IDS,
    _EMPTY_WEIGHTS,
    ARRAYS,
    _read_postings,
    _segment_arrays,
    _segment_key,
)
from directory.search.fast.columns import read_column, read_lengths, sorted_names
from directory.search.fast.ranking import bm25, idf, mask_of


class Space:
    """One searcher's documents as arrays: its segments, deletions and columns.

    Document numbers are the searcher's: each segment's own numbers plus its offset.
    """

    def __init__(self, whoosh_searcher):
        self.s = whoosh_searcher
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
                    partial(_read_postings, leaf, fieldname, text, weights),
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
                ARRAYS.get((_segment_key(leaf), kind, fieldname), partial(read, leaf, fieldname))
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
        return self._joined("lengths", fieldname, read_lengths)

    def column(self, fieldname: str) -> np.ndarray:
        """Return a sortable field's value in every document."""
        return self._joined("column", fieldname, read_column)

    def name_order(self) -> np.ndarray:
        """Return every document number in name order (ties by document number)."""
        # Each segment's names sorted once per process; merging sorted runs is cheap.
        keys, docs = [], []
        for leaf, offset in self.leaves:
            names, order = ARRAYS.get(
                (_segment_key(leaf), "name_order"), partial(sorted_names, leaf)
            )
            keys.append(names)
            docs.append(order + offset)
        if not keys:
            return _EMPTY_IDS
        if len(keys) == 1:  # one run, already in order
            return docs[0]
        if len({k.dtype.kind for k in keys}) > 1:  # a segment with a name too long for bytes
            keys = [np.array([b.decode() for b in k], dtype=object) if k.dtype.kind == "S"
                    else k for k in keys]  # fmt: skip
        merged = np.argsort(np.concatenate(keys), kind="stable")
        return np.concatenate(docs)[merged]

    def evaluate(self, query: Query) -> tuple[np.ndarray, np.ndarray]:
        """Return (mask, BM25F scores) of a parsed text query over every document."""
        # Whoosh's Query base declares none of its subclasses' attributes (fieldname, text,
        # subqueries, boost...); the dispatch below is on exact types, so each is there.
        q: Any = query
        n = self.count
        kind = type(q)
        if kind is Term:
            docs, weights, frequency = self.postings(q.fieldname, q.text, weights=True)
            scores = np.zeros(n, dtype=np.float32)
            scores[docs] = self._term_scores(q.fieldname, docs, weights, frequency) * q.boost
            return mask_of(docs, n), scores
        if kind in (And, Or) and q.subqueries:
            parts = [self.evaluate(sub) for sub in q.subqueries]
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
            mask, _ = self.evaluate(q.query)
            mask = ~mask & self.live
            # Whoosh scores each document matched by a NOT as 1 (times its boost).
            return mask, mask.astype(np.float32) * q.boost
        if kind is AndNot:
            (a_mask, a_scores), (b_mask, _) = self.evaluate(q.a), self.evaluate(q.b)
            return a_mask & ~b_mask, a_scores
        if kind is AndMaybe:
            (a_mask, a_scores), (_, b_scores) = self.evaluate(q.a), self.evaluate(q.b)
            return a_mask, a_scores + b_scores
        # Anything else (phrases): Whoosh finds the documents, scored by the words they hold.
        mask = mask_of(np.fromiter(self.s.docs_for_query(q), dtype=np.int64), n)
        # Like Whoosh, a phrase scores what its words score in the documents it matches.
        words = [(q.fieldname, w) for w in q.words] if isinstance(q, Phrase) else q.terms()
        scores = np.zeros(n, dtype=np.float32)
        for fieldname, text in words:
            scores += self.evaluate(Term(fieldname, text))[1]
        return mask, np.where(mask, scores * q.boost, 0).astype(np.float32)

    def _term_scores(
        self, fieldname: str, docs: np.ndarray, weights: np.ndarray, frequency: int
    ) -> np.ndarray:
        if not self.s.schema[fieldname].scorable:
            return weights
        return bm25(
            idf(frequency, self.count),
            weights,
            self.lengths(fieldname)[docs],
            self.s.avg_field_length(fieldname),
        )
