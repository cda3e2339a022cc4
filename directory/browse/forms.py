"""The directory's search form: one set of rules for the page and the JSON API."""

from __future__ import annotations

from functools import cached_property

from wtforms import (
    BooleanField,
    IntegerField,
    SearchField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
)
from wtforms.validators import NumberRange, Optional, ValidationError

from directory.core import vocabulary as v
from directory.core.geography import zip_location
from directory.core.places import PlaceText, find_place
from directory.form_fields import CachedSelect, SiteForm, vocab_choices
from directory.search import MAX_PER_PAGE, SORTS, SearchParams

FALSE_VALUES = (False, "false", "False", "0", "no", "off", "")


def _blank_is_none(value: object) -> object:
    """Read a value of only spaces as no value (``?language=%20`` filters on nothing)."""
    return value.strip() or None if isinstance(value, str) else value


def _no_blanks(values: object) -> object:
    """Drop values of only spaces from a list of choices."""
    if isinstance(values, list):
        return [x for x in values if not (isinstance(x, str) and not x.strip())]
    return values


ONE = {"filters": [_blank_is_none]}
MANY = {"filters": [_no_blanks]}
RADIUS_CHOICES = (5, 10, 25, 50, 100)
DEFAULT_RADIUS = 25
MAX_QUERY = 200


class SearchForm(SiteForm):
    """Free text, filters, sort and page for searching the directory (a bookmarkable GET)."""

    class Meta:
        csrf = False

    q = SearchField(
        "Search",
        validators=[Optional()],
        description="Words, names or approaches, and a place if you like: a ZIP code or a "
        "city and state (DBT Columbus, OH)",
    )
    state = SelectField(
        "Where you'll be during sessions",
        choices=vocab_choices({k: name for k, (name, _) in v.STATES.items()}, "Any state"),
        validate_choice=False,
        validators=[Optional()],
        widget=CachedSelect(),
        **ONE,
    )
    zip = SearchField("ZIP code", validators=[Optional()], description="For in-person sessions")
    radius = IntegerField(
        "Within (miles)",
        validators=[Optional(), NumberRange(1, 500, "Use a distance from 1 to 500 miles.")],
    )
    license = SelectField(
        "License",
        choices=vocab_choices(v.LICENSE_KINDS, "Any license"),
        validators=[Optional()],
        **ONE,
    )
    approach = SelectMultipleField(
        "Approach", choices=vocab_choices(v.APPROACHES), validators=[Optional()], **MANY
    )
    concern = SelectMultipleField(
        "What it helps with", choices=vocab_choices(v.CONCERNS), validators=[Optional()], **MANY
    )
    language = SelectMultipleField(
        "Language", choices=vocab_choices(v.LANGUAGES), validators=[Optional()], **MANY
    )
    access = SelectMultipleField(
        "Accessibility",
        choices=vocab_choices(v.ACCOMMODATIONS),
        validators=[Optional()],
        description="Only practitioners who list every one you choose.",
        **MANY,
    )
    format = SelectField(
        "Format", choices=vocab_choices(v.FORMATS, "Either"), validators=[Optional()], **ONE
    )
    accepting = BooleanField("Accepting new clients", false_values=FALSE_VALUES)
    max_fee = IntegerField(
        "Most you can pay per session ($)",
        validators=[Optional(), NumberRange(0, 10000, "Use an amount from $0 to $10,000.")],
        description="A sliding-scale minimum at or under this counts.",
    )
    insurance = SelectField(
        "Insurance",
        choices=vocab_choices(v.INSURANCE_PLANS, "Any"),
        validators=[Optional()],
        widget=CachedSelect(),
        **ONE,
    )
    free_consultation = BooleanField("Free consultation", false_values=FALSE_VALUES)
    verified = BooleanField("Verified license only", false_values=FALSE_VALUES)
    sort = SelectField(
        "Sort by",
        choices=[
            SelectChoice("relevance", "Best match"),
            SelectChoice("name", "Name"),
            SelectChoice("fee", "Lowest fee"),
            SelectChoice("distance", "Nearest office"),
        ],
        validate_choice=False,
        validators=[Optional()],
        widget=CachedSelect(),
    )
    page = IntegerField("Page", validators=[Optional(), NumberRange(1, 10000, "Pages start at 1.")])
    per_page = IntegerField(
        "Results per page",
        validators=[
            Optional(),
            NumberRange(1, MAX_PER_PAGE, f"Use from 1 to {MAX_PER_PAGE} results per page."),
        ],
    )

    # What was done with a place or "near me" in the search text, for the page to say.
    notes: list[str]

    def validate_state(self, field: SelectField) -> None:
        if field.data and field.data not in v.STATES:
            raise ValidationError(f"Unknown state {field.data!r}: use a USPS code such as OH.")

    def validate_zip(self, field: SearchField) -> None:
        if field.data and zip_location(field.data.strip()) is None:
            raise ValidationError(f"{field.data!r} is not a US ZIP code.")

    @cached_property
    def _text(self) -> PlaceText:
        """The search text read once: its words, and any place or "near me" in it."""
        return find_place((self.q.data or "").strip()[:MAX_QUERY])

    def _has_place(self) -> bool:
        return bool((self.zip.data or "").strip()) or self._text.place is not None

    def validate_radius(self, field: IntegerField) -> None:
        if field.data is not None and not self._has_place():
            raise ValidationError("A distance needs a ZIP code or a city to measure from.")

    def validate_sort(self, field: SelectField) -> None:
        if field.data and field.data not in SORTS:
            raise ValidationError(f"Sort by one of: {', '.join(SORTS)}.")
        if field.data == "distance" and not self._has_place():
            raise ValidationError(
                "Sorting by the nearest office needs a ZIP code or a city to measure from."
            )

    def _read_place(self, zip_code: str | None, state: str | None) -> tuple:
        """Return (words to search, ZIP code, origin) with a place in the text taken out, and
        say in ``notes`` what was done with it."""
        found = self._text
        if found.near_me:
            self.notes.append(
                "\u201cNear me\u201d: this site doesn't know where you are. Enter a ZIP code "
                "or a city and state (e.g. Columbus, OH) to search near you."
            )
        place = found.place
        if place is None:
            return found.words, zip_code, None
        if zip_code:
            self.notes.append(
                f"{place.label} in the search box was not used: you entered the ZIP code "
                f"{zip_code} to search near."
            )
            return found.words, zip_code, None
        if state and place.state != state:
            self.notes.append(
                f"{place.label} is in {v.state_name(place.state)}, but you're searching "
                f"for {v.state_name(state)}: it was not used as a place."
            )
            return found.words, None, None
        self.notes.append(f"Searching near {place.label}.")
        return found.words, place.zip, place.origin

    def to_params(self) -> SearchParams:
        """Return the validated answers as search parameters."""
        zip_code = (self.zip.data or "").strip() or None
        state = self.state.data or None
        self.notes = []
        text, zip_code, origin = self._read_place(zip_code, state)
        radius = None
        if zip_code:
            if origin is None:
                located = zip_location(zip_code)
                origin = (located[1], located[2]) if located else None
            radius = self.radius.data or DEFAULT_RADIUS
        return SearchParams(
            q=text,
            state=state,
            zip=zip_code,
            radius=radius,
            origin=origin,
            license=self.license.data or None,
            approach=tuple(self.approach.data or ()),
            concern=tuple(self.concern.data or ()),
            language=tuple(self.language.data or ()),
            access=tuple(self.access.data or ()),
            format=self.format.data or None,
            accepting=self.accepting.data,
            max_fee=self.max_fee.data,
            insurance=self.insurance.data or None,
            free_consultation=self.free_consultation.data,
            verified=self.verified.data,
            sort=self.sort.data or "relevance",
            page=self.page.data or 1,
            per_page=self.per_page.data or 20,
        )
