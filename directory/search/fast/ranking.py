"""Document sets, scores and orders as arrays: the fast path under directory search.

Whoosh walks postings one document at a time in Python, which at 100,000 practitioners costs
hundreds of milliseconds for a broad word. ``directory.search`` reads each posting list once into
arrays; everything here is whole-array arithmetic over document numbers, with no Whoosh in it:

- a set of documents is a numpy boolean mask while it is being computed, and a Python ``int``
  bitmap once it is kept (1 bit per document, and ``&`` plus ``bit_count()`` make a facet count
  a matter of microseconds);
- scores are Okapi BM25F as Whoosh computes them (same idf, lengths and parameters), so the
  ranking does not change when the fast path replaces Whoosh's collector.
"""

from __future__ import annotations

import numpy as np

# Whoosh's BM25F defaults.
K1 = 1.2
B = 0.75


def idf(doc_frequency: int, doc_count: int) -> float:
    """Return Whoosh's inverse document frequency (nothing to weigh in an empty index)."""
    if doc_count <= 0:
        return 0.0
    return float(np.log(doc_count / (doc_frequency + 1)) + 1)


def bm25(idf_: float, weights: np.ndarray, lengths: np.ndarray, avg_length: float) -> np.ndarray:
    """Return each posting's BM25 score (``weights`` already carry the field's boost)."""
    avg = avg_length or 1.0
    return (idf_ * (weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / avg))).astype(
        np.float32
    )


def to_bits(mask: np.ndarray) -> int:
    """Return a boolean mask as an integer bitmap (bit i is document i)."""
    return int.from_bytes(np.packbits(mask, bitorder="little").tobytes(), "little")


def from_bits(bits: int, count: int) -> np.ndarray:
    """Return an integer bitmap as a boolean mask of ``count`` documents."""
    raw = np.frombuffer(bits.to_bytes((count + 7) // 8, "little"), dtype=np.uint8)
    return np.unpackbits(raw, count=count, bitorder="little").view(bool)


def mask_of(docnums: np.ndarray, count: int) -> np.ndarray:
    """Return the boolean mask of these document numbers."""
    mask = np.zeros(count, dtype=bool)
    mask[docnums] = True
    return mask


def top(scores: np.ndarray, mask: np.ndarray, limit: int) -> np.ndarray:
    """Return the first ``limit`` documents of ``mask`` by score, ties by document number."""
    docs = np.flatnonzero(mask)
    if len(docs) == 0 or limit <= 0:
        return docs[:0]
    picked = scores[docs]
    if len(docs) > limit:
        # Everything scoring at least the limit-th best, ties included, then an exact order.
        threshold = np.partition(picked, len(picked) - limit)[len(picked) - limit]
        keep = picked >= threshold
        docs, picked = docs[keep], picked[keep]
    order = np.lexsort((docs, -picked))
    return docs[order[:limit]]


def in_order(order: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Return the documents of ``mask`` in the order given by ``order`` (all documents)."""
    return order[mask[order]]
