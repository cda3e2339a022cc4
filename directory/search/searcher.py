"""Answering searches from one Whoosh searcher, through bitmaps and arrays."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import numpy as np
from whoosh.query import (
    NumericRange,
    Query,
)

from directory.core.features import STATE_INDEX, FeatureRow
from directory.core.featureview import Features
from directory.core.geography import miles_from, within_miles
from directory.search import fast
from directory.search.params import FACET_VALUES, Hit, Relaxation, SearchParams, SearchResult
from directory.search.suggest import WhooshLexicon, correct
from directory.search.text import _positive_terms, highlight_text, parse_text

# Flags that change by the calendar alone (the others are the profile's own words).
DATED_FLAGS = ("accepting", "verified")
# Bitmaps kept per searcher for filters whose values have no bound (each ZIP and radius).
RECENT_BITMAPS = 64
# "Did you mean": the answers to this many recent queries are kept per searcher.
RECENT_SUGGESTIONS = 256
# Text queries' matches and scores kept per searcher (half a megabyte each at 100,000).
RECENT_TEXTS = 16
RECENT_TEXT_BYTES = 32 << 20
# Highlighted bios (a bio and the searched words) kept per searcher.
RECENT_HIGHLIGHTS = 1024


class Searcher:
    """Answers searches from one thread's Whoosh searcher and its cached bitmaps and arrays."""

    def __init__(self, whoosh_searcher, cache: dict, features: Features | None = None):
        self.s = whoosh_searcher
        self.cache = cache
        # The generation's match features: with ``day`` set, where practitioners may see
        # clients and the "accepting" and "verified" filters are read from their epochs on
        # that day, so a lapse counts the day it happens without re-indexing anything.
        self.features = features
        self.day: date | None = None

    @property
    def space(self) -> fast.Space:
        space = self.cache.get("space")
        if space is None:
            space = self.cache["space"] = fast.Space(self.s)
        return space

    def _cached(self, key, compute):
        value = self.cache.get(key)
        if value is None:
            value = self.cache[key] = compute()
        return value

    def recent(self, key, compute, kind: str = "recent", limit: int = RECENT_BITMAPS):
        """Like _cached, for keys without bound (a ZIP and radius, a fee, a text): the last
        ``limit`` of each ``kind`` kept."""
        recent = self.cache.setdefault(kind, OrderedDict())
        value = recent.get(key)
        if value is None:
            value = recent[key] = compute()
            while len(recent) > limit:
                recent.popitem(last=False)
        else:
            recent.move_to_end(key)
        return value

    def _value_bits(self, fieldname: str, value: str) -> int:
        """Return the bitmap of live documents with this keyword."""
        if (
            self.day is not None
            and self.features is not None
            and (fieldname == "states" or (fieldname == "flags" and value in DATED_FLAGS))
        ):
            return self._dated_bits(fieldname, value, self.features, self.day)

        def compute() -> int:
            space = self.space
            docs, _, _ = space.postings(fieldname, value, weights=False)
            return fast.to_bits(fast.mask_of(docs, space.count) & space.live)

        return self._cached(("bits", fieldname, value), compute)

    def _dated_bits(self, fieldname: str, value: str, features: Features, day: date) -> int:
        """Return a date-dependent keyword's bitmap on ``day``, from the features."""
        key = (day, id(features))
        held = self.cache.get("dated")
        if held is None or held[0] != key:
            pids = np.asarray(self.space.column("pid"), dtype=np.int64)
            empty: dict[tuple[str, str], int] = {}
            held = self.cache["dated"] = (key, features.on_day(pids, day), empty)
        _, on_day, bitmaps = held
        if (fieldname, value) not in bitmaps:
            if fieldname == "states":
                bit = np.uint64(STATE_INDEX.get(value, 63))
                mask = ((on_day["any_auth"] >> bit) & np.uint64(1)).astype(bool)
                mask &= on_day["known"] & (value in STATE_INDEX)
            else:
                mask = on_day[value]
            bitmaps[fieldname, value] = fast.to_bits(mask & self.space.live)
        found: int = bitmaps[fieldname, value]
        return found

    def _live_bits(self) -> int:
        return self._cached(("live",), lambda: fast.to_bits(self.space.live))

    def _fee_bits(self, max_fee: int) -> int:
        def compute() -> int:
            return fast.to_bits((self.space.column("lowest_fee") <= max_fee) & self.space.live)

        return self.recent(("max_fee", max_fee), compute)

    def _distance_bits(self, origin: tuple[float, float], radius: int) -> int:
        def compute() -> int:
            space = self.space
            near = within_miles(origin, space.column("lat"), space.column("lon"), radius)
            return fast.to_bits(near & space.live)

        return self.recent(("distance", origin, radius), compute)

    def _filter_bits(self, params: SearchParams) -> int:
        """Return the bitmap of live documents passing every filter of ``params``."""
        bits = self._live_bits()
        for fieldname, value in params.keyword_terms():
            bits &= self._value_bits(fieldname, value)
        if params.max_fee is not None:
            bits &= self._fee_bits(params.max_fee)
        if params.origin and params.radius:
            bits &= self._distance_bits(params.origin, params.radius)
        return bits

    def matching_bits(self, params: SearchParams, text_q: Query | None) -> int:
        """Return the bitmap of documents matching the text and every filter."""
        bits = self._filter_bits(params)
        if text_q is not None:
            bits &= self._text(text_q)[0]
        return bits

    def _text(self, text_q: Query) -> tuple[int, np.ndarray]:
        """Return the bitmap of documents a text query matches and every document's score
        (read-only), the last RECENT_TEXTS queries' kept, of at most RECENT_TEXT_BYTES (16 at
        100,000; 8 at 1,000,000): the same few words are searched again and again, with other
        filters and pages."""

        def compute() -> tuple[int, np.ndarray]:
            mask, scores = self.space.evaluate(text_q)
            scores.flags.writeable = False
            return fast.to_bits(mask), scores

        per_query = 4 * max(self.space.count, 1)  # float32 scores
        limit = min(RECENT_TEXTS, max(RECENT_TEXT_BYTES // per_query, 1))
        found: tuple[int, np.ndarray] = self.recent(text_q, compute, "texts", limit)
        return found

    def matching_ids(self, params: SearchParams) -> set[int]:
        """Return the ids of every practitioner the search matches (all pages)."""
        space = self.space
        if space.count == 0:
            return set()
        bits = self.matching_bits(params, parse_text(params.q)[0])
        docs = np.flatnonzero(fast.from_bits(bits, space.count))
        return {int(pid) for pid in space.column("pid")[docs]}

    def practitioners_in_state(self, state: str) -> tuple[np.ndarray, np.ndarray]:
        """Return the ids and versions of everyone who may see clients in ``state`` or has
        an office there."""
        space = self.space
        if space.count == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        docs = np.flatnonzero(fast.from_bits(self._value_bits("states", state), space.count))
        return space.column("pid")[docs], space.column("version")[docs]

    def feature_rows(self, ids: list[int]) -> dict[int, FeatureRow]:
        """Return no match features: this index keeps them beside its generation (an older
        generation built without them has its features made from the profiles)."""
        return {}

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
        """Return, per facet, how many of the documents in ``bits`` each value would leave
        (for every live document, unfiltered browsing, counted once per searcher)."""
        if bits == self._live_bits():
            return self._cached(("facets", "live"), lambda: self._count_facets(bits))
        return self._count_facets(bits)

    def _count_facets(self, bits: int) -> dict[str, dict[str, int]]:
        return {
            facet: {key: (bits & self._value_bits(facet, key)).bit_count() for key in values}
            for facet, values in FACET_VALUES.items()
        }

    def suggest(self, text: str) -> tuple[str | None, tuple[str, ...]]:
        """Return a corrected text (or None) and the words no profile holds (see
        ``suggest.correct``); each query's answer is kept, so a repeated hostile query costs
        nothing the second time."""
        found: tuple[str | None, tuple[str, ...]] = self.recent(
            text, lambda: correct(WhooshLexicon(self.s), text), "suggestions", RECENT_SUGGESTIONS
        )
        return found

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
        if sort == "distance" and params.origin is None:
            sort = "name"
        space = self.space
        bits = self._filter_bits(params)
        scores = None
        if text_q is not None:
            text_bits, scores = self._text(text_q)
            bits &= text_bits
        total = bits.bit_count()
        start = (params.page - 1) * params.per_page
        end = start + params.per_page
        ranked = scores if sort == "relevance" else None
        if ranked is not None:
            page = fast.top(ranked, fast.from_bits(bits, space.count), end)[start:]
        elif sort == "distance" and params.origin:
            order = self._nearest_first(params.origin)
            page = fast.in_order(order, fast.from_bits(bits, space.count))[start:end]
        elif bits == self._live_bits():
            # Unfiltered browsing: its pages only change with the index, so keep the last few.
            page = self.recent(
                ("browse", sort, start, end), lambda: self._ordered(sort, bits)[start:end]
            )
        else:
            page = self._ordered(sort, bits)[start:end]
        pid_column = space.column("pid")
        pids = {int(d): int(pid_column[d]) for d in page}
        fragments: dict[int, tuple] = {}
        if len(page) and text_q is not None and load_bios is not None:
            fragments = self._highlights(text_q, list(pids), pids, load_bios)
        hits = [
            Hit(pids[d], float(ranked[d]) if ranked is not None else None, fragments.get(d, ()))
            for d in pids
        ]
        suggestion, unknown = self.suggest(params.q) if params.q.strip() else (None, ())
        if suggestion is not None:
            # Only a search that has results is worth suggesting.
            fixed = replace(params, q=suggestion)
            if not self.matching_bits(fixed, parse_text(suggestion)[0]):
                suggestion = None
        # A word no profile holds, that matches nothing on its own either (a stem can).
        unmentioned = tuple(
            word for word in unknown
            if not (q := parse_text(word)[0]) or not self._text(q)[0]
        )  # fmt: skip
        relaxations: tuple[Relaxation, ...] = ()
        if total == 0:
            relaxations = self._relaxations(params, text_q)
        return SearchResult(
            params=params,
            total=total,
            hits=tuple(hits),
            facets=self.facet_counts(bits),
            suggestion=suggestion,
            unmentioned=unmentioned,
            relaxations=relaxations,
            text_fallback=fell_back,
        )

    def _ordered(self, sort: str, bits: int) -> np.ndarray:
        """Return the document numbers in ``bits`` in the order of ``sort``."""
        return fast.in_order(self._order(sort), fast.from_bits(bits, self.space.count))

    def _order(self, sort: str) -> np.ndarray:
        """Return every document number in the order of ``sort`` (ties by document number)."""
        if sort == "fee":
            return self._cached(
                ("order", sort), lambda: np.argsort(self.space.column("fee"), kind="stable")
            )
        return self._cached(("order", sort), self.space.name_order)

    def _nearest_first(self, origin: tuple[float, float]) -> np.ndarray:
        """Return every document number, nearest office first (those without one last)."""

        def compute() -> np.ndarray:
            space = self.space
            miles = miles_from(origin, space.column("lat"), space.column("lon"))
            return np.argsort(np.nan_to_num(miles, nan=np.inf), kind="stable")

        return self.recent(("nearest", origin), compute)

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
        # The same words on the same bio: kept, as the last few pages of a searcher were.
        out = {}
        for d in page:
            bio = bios.get(pids[d])
            if bio:
                out[d] = self.recent(
                    (words, bio),
                    lambda bio=bio: highlight_text(bio, words, analyzer) or (),
                    "highlights",
                    RECENT_HIGHLIGHTS,
                )
        return out

    def _relaxations(self, params: SearchParams, text_q: Query | None) -> tuple[Relaxation, ...]:
        found = []
        for name, label, without in params.active_filters():
            count = self.matching_bits(without, text_q).bit_count()
            if count:
                found.append(Relaxation(name, label, count, replace(without, page=1)))
        found.sort(key=lambda r: -r.count)
        return tuple(found)
