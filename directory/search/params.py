"""What a search asks and what it answers: the seam between the pages and any search engine.

Plain frozen data with no engine in it: the browse views build ``SearchParams``, a backend
answers with a ``SearchResult``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from directory.core import vocabulary as v
from directory.core.places import city_of

SORTS = ("relevance", "name", "fee", "distance")
FACETS = ("approach", "license", "language", "format")
# Each facet's values, counted on every results page by either backend.
FACET_VALUES: dict[str, dict[str, object]] = {
    "approach": dict(v.APPROACHES),
    "license": dict(v.LICENSE_KINDS),
    "language": dict(v.LANGUAGES),
    "format": dict(v.FORMATS),
}
MAX_PER_PAGE = 100


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
    # Accommodation keys every result must offer (wheelchair access, captioning...).
    access: tuple[str, ...] = ()
    format: str | None = None
    accepting: bool = False
    max_fee: int | None = None
    insurance: str | None = None
    free_consultation: bool = False
    verified: bool = False
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20

    def keyword_terms(self) -> list[tuple[str, str]]:
        """Return the (field, value) pairs every result must hold, as both backends index
        them: states, license, approaches, concerns, languages, access, format, insurance
        and flags."""
        terms: list[tuple[str, str]] = []
        if self.state:
            terms.append(("states", self.state))
        if self.license:
            terms.append(("license", self.license))
        for name in ("approach", "concern", "language", "access"):
            terms.extend((name, key) for key in getattr(self, name))
        if self.format:
            terms.append(("format", self.format))
        if self.insurance:
            terms.append(("insurance", self.insurance))
        for flag in ("accepting", "free_consultation", "verified"):
            if getattr(self, flag):
                terms.append(("flags", flag))
        return terms

    def active_filters(self) -> list[tuple[str, str, SearchParams]]:
        """Return (name, label, params without it) for each filter in use."""
        out: list[tuple[str, str, SearchParams]] = []
        if self.state:
            out.append(("state", f"in {v.state_name(self.state)}", replace(self, state=None)))
        if self.zip:
            city = city_of(self.zip)
            where = f"{self.zip} ({city})" if city else self.zip
            out.append(
                ("zip", f"within {self.radius} miles of {where}",
                 replace(self, zip=None, radius=None, origin=None)),
            )  # fmt: skip
        if self.license:
            out.append(("license", v.LICENSE_KINDS[self.license].name, replace(self, license=None)))
        for key in self.approach:
            rest = tuple(k for k in self.approach if k != key)
            out.append(("approach", v.APPROACHES[key].name, replace(self, approach=rest)))
        for key in self.concern:
            rest = tuple(k for k in self.concern if k != key)
            out.append(("concern", v.CONCERNS[key].name, replace(self, concern=rest)))
        for key in self.language:
            rest = tuple(k for k in self.language if k != key)
            out.append(("language", v.LANGUAGES[key], replace(self, language=rest)))
        for key in self.access:
            rest = tuple(k for k in self.access if k != key)
            out.append(("access", v.ACCOMMODATIONS[key].name, replace(self, access=rest)))
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
    # Words of the search no profile mentions (and no correction was found for).
    unmentioned: tuple[str, ...] = ()
    relaxations: tuple[Relaxation, ...] = ()
    text_fallback: bool = False

    @property
    def pages(self) -> int:
        """Return the number of pages."""
        return max(1, math.ceil(self.total / self.params.per_page))
