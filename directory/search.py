"""Full-text search over practitioners: the index, its documents, and the one search function.

This module is the only importer of ``whoosh``, so another engine can replace it without
touching the views. The database is the source of truth; the index is derived from it, written
by one process at a time, rebuilt beside the live copy and swapped in.
"""

from __future__ import annotations

import fcntl
import logging
import math
import os
import re
import shutil
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from whoosh import highlight, index, qparser
from whoosh.analysis import StandardAnalyzer, StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.index import LockError
from whoosh.query import And, Every, NullQuery, NumericRange, Or, Query, Term

from . import vocabulary as v
from .domain import Compacts, Profile, haversine_miles, practice_authorities

log = logging.getLogger(__name__)

# The text fields a visitor's words are matched against; nothing else is reachable from a query.
TEXT_FIELDS = ("name", "headline", "bio", "approaches_text", "concerns_text")
SORTS = ("relevance", "name", "fee")
FACETS = ("approach", "license", "language", "format")
MAX_PER_PAGE = 100
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
        # Character positions make highlighting a lookup instead of re-analysing each bio.
        bio=TEXT(analyzer=_stem, chars=True),
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
        lowest_fee=NUMERIC(),
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
        return self.exists() and set(self.open().schema.names()) == set(make_schema().names())

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

    def build(self, documents: Iterable[dict], *, hold_live_lock: bool = True) -> int:
        """Build a new generation from ``documents`` beside the live one and swap it in.

        While building, the live index's write lock is held so that no outbox entry is applied
        to the old generation and lost; those entries wait in the outbox for the new one.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        # One rebuild at a time: a second one would lock a generation that is about to be
        # replaced, and a drain into the new one could be lost when it swaps.
        with open(self.root / "REBUILD.lock", "a+") as guard:
            fcntl.flock(guard, fcntl.LOCK_EX)
            try:
                return self._build(documents, hold_live_lock)
            finally:
                fcntl.flock(guard, fcntl.LOCK_UN)

    def _build(self, documents: Iterable[dict], hold_live_lock: bool) -> int:
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
            writer = ix.writer(limitmb=256, compound=False)
            count = 0
            for doc in documents:
                writer.add_document(**doc)
                count += 1
            writer.commit(optimize=True)
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


def _miles_box(lat: float, lon: float, miles: float) -> Query:
    dlat = miles / 69.0
    dlon = miles / max(1.0, 69.172 * math.cos(math.radians(lat)))
    return And(
        [NumericRange("lat", lat - dlat, lat + dlat), NumericRange("lon", lon - dlon, lon + dlon)]
    )


def _filter_terms(params: SearchParams) -> list[Query]:
    terms: list[Query] = []
    if params.state:
        terms.append(Term("states", params.state))
    if params.license:
        terms.append(Term("license", params.license))
    for name in ("approach", "concern", "language"):
        terms.extend(Term(name, key) for key in getattr(params, name))
    if params.format:
        terms.append(Term("format", params.format))
    if params.insurance:
        terms.append(Term("insurance", params.insurance))
    for flag in ("accepting", "free_consultation", "verified"):
        if getattr(params, flag):
            terms.append(Term("flags", flag))
    if params.max_fee is not None:
        terms.append(NumericRange("lowest_fee", None, params.max_fee))
    if params.origin and params.radius:
        terms.append(_miles_box(*params.origin, params.radius))
    return terms


class Searcher:
    """Answers searches from one thread's Whoosh searcher and its cached facet document sets."""

    def __init__(self, whoosh_searcher, cache: dict):
        self.s = whoosh_searcher
        self.cache = cache

    def _docset(self, q: Query) -> set[int]:
        return set(self.s.docs_for_query(q))

    def _value_docs(self, fieldname: str, value: str) -> set[int]:
        key = (fieldname, value)
        docs = self.cache.get(key)
        if docs is None:
            docs = self.cache[key] = self._docset(Term(fieldname, value))
        return docs

    def _distance_mask(self, params: SearchParams) -> set[int] | None:
        if not (params.origin and params.radius):
            return None
        key = ("distance", params.origin, params.radius)
        mask = self.cache.get(key)
        if mask is None:
            reader = self.s.reader()
            lats = reader.column_reader("lat")
            lons = reader.column_reader("lon")
            box = self._docset(_miles_box(*params.origin, params.radius))
            mask = {
                d
                for d in box
                if haversine_miles(params.origin, (lats[d], lons[d])) <= params.radius
            }
            self.cache[key] = mask
        return mask

    def _query(self, params: SearchParams, text_q: Query | None) -> Query:
        parts = ([text_q] if text_q is not None else []) + _filter_terms(params)
        if not parts:
            return Every()
        return parts[0] if len(parts) == 1 else And(parts)

    def matching(self, params: SearchParams, text_q: Query | None) -> set[int]:
        """Return the document numbers matching the text and every filter."""
        docs = self._docset(self._query(params, text_q))
        mask = self._distance_mask(params)
        return docs & mask if mask is not None else docs

    def practitioners_in_state(self, state: str) -> list[tuple[int, int]]:
        """Return (id, version) of everyone who may see clients in ``state`` or has an office
        there."""
        if self.s.doc_count_all() == 0:
            return []  # an empty index has no columns to read
        reader = self.s.reader()
        pids = reader.column_reader("pid")
        versions = reader.column_reader("version")
        return [(pids[d], versions[d]) for d in sorted(self._value_docs("states", state))]

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

    def facet_counts(self, docs: set[int]) -> dict[str, dict[str, int]]:
        """Return, per facet, how many of ``docs`` each value would leave."""
        vocab = {
            "approach": v.APPROACHES,
            "license": v.LICENSE_KINDS,
            "language": v.LANGUAGES,
            "format": v.FORMATS,
        }
        counts: dict[str, dict[str, int]] = {}
        for facet in FACETS:
            counts[facet] = {key: len(docs & self._value_docs(facet, key)) for key in vocab[facet]}
        return counts

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
        sortedby = {"name": "name_sort", "fee": "fee"}.get(sort)
        query = self._query(params, text_q)
        mask = self._distance_mask(params)
        start = (params.page - 1) * params.per_page
        if sortedby is None:
            # Ranked: the set of matches (for the total and the facets) and a top-N search
            # that can skip low-scoring blocks. Scoring every match would cost far more.
            docs = self.matching(params, text_q)
            results = self.s.search(query, limit=start + params.per_page, filter=mask)
        else:
            # Sorted: one pass gives both the order and the set of matches.
            results = self.s.search(query, limit=None, sortedby=sortedby, filter=mask)
            docs = set(results.docs())
        # (search_page would walk every match once more just to count them.)
        total = len(docs)
        page = [docnum for _, docnum in results.top_n[start : start + params.per_page]]
        scores = {docnum: key for key, docnum in results.top_n[start : start + params.per_page]}
        pids = {docnum: int(self.s.stored_fields(docnum)["id"]) for docnum in page}
        fragments: dict[int, tuple] = {}
        if page and text_q is not None and load_bios is not None:
            fragments = self._highlights(text_q, page, pids, load_bios)
        hits = [
            Hit(pids[d], scores[d] if sortedby is None else None, fragments.get(d, ()))
            for d in page
        ]
        suggestion = self.suggest(params.q) if params.q.strip() else None
        relaxations: tuple[Relaxation, ...] = ()
        if total == 0:
            relaxations = self._relaxations(params, text_q)
        return SearchResult(
            params=params,
            total=total,
            hits=tuple(hits),
            facets=self.facet_counts(docs),
            suggestion=suggestion,
            relaxations=relaxations,
            text_fallback=fell_back,
        )

    def _highlights(
        self,
        text_q: Query,
        page: list[int],
        pids: dict[int, int],
        load_bios: Callable[[list[int]], dict[int, str]],
    ) -> dict[int, tuple]:
        """Return highlighted bio fragments for the page's documents only."""
        bios = load_bios([pids[d] for d in page])
        # The page's ids inside the query, not as a filter: a filter would still walk every
        # match of the text, while And() lets Whoosh skip straight to these documents.
        only_page = Or([Term("id", str(pids[d])) for d in page])
        marked = self.s.search(And([text_q, only_page]), limit=None, terms=True)
        marked.fragmenter = highlight.PinpointFragmenter(maxchars=200, surround=60)
        marked.formatter = _SegmentFormatter()
        out = {}
        for hit in marked:
            bio = bios.get(pids[hit.docnum])
            if bio:
                out[hit.docnum] = hit.highlights("bio", text=bio, top=2) or ()
        return out

    def _relaxations(self, params: SearchParams, text_q: Query | None) -> tuple[Relaxation, ...]:
        found = []
        for name, label, without in params.active_filters():
            count = len(self.matching(without, text_q))
            if count:
                found.append(Relaxation(name, label, count, replace(without, page=1)))
        found.sort(key=lambda r: -r.count)
        return tuple(found)
