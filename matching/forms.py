"""The fit questionnaire as a form that converts itself into Preferences."""

from __future__ import annotations

from typing import Any

from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SearchField,
    SelectChoice,
    SelectField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from directory.core import vocabulary as v
from directory.form_fields import MultiCheckboxField, SiteForm, vocab_choices
from matching.answers import VALUES_LIMIT, AnswerError, parse_answers
from matching.engine import COMPONENT_LABELS
from matching.preferences import COMPONENTS, GENDER_CHOICES, IMPORTANCE_LABELS, Preferences

DISTANCES = (5, 10, 25, 50, 100)


def _importance(key: str) -> RadioField:
    return RadioField(
        COMPONENT_LABELS[key],
        choices=[SelectChoice(str(n), label) for n, label in IMPORTANCE_LABELS.items()],
        default="1",
    )


def _optional_choices(vocabulary: dict[str, v.Term], blank: str) -> list[SelectChoice]:
    return [SelectChoice("", blank), *(SelectChoice(k, t.name) for k, t in vocabulary.items())]


class QuestionnaireForm(SiteForm):
    """What matters to the person, in the guide's words; nothing here is ever stored."""

    concerns = MultiCheckboxField(
        "What brings you to therapy?", choices=vocab_choices(v.CONCERNS), validators=[Optional()]
    )
    approach_preference = RadioField(
        "How would you like to work?",
        choices=[
            SelectChoice("structured", "Structured skills (CBT, DBT)"),
            SelectChoice(
                "exploratory", "Exploratory, relational work (attachment, EFT, psychodynamic)"
            ),
            SelectChoice("mix", "A mix of both"),
            SelectChoice("unsure", "Not sure yet"),
        ],
        default="unsure",
        description="The guide says some mix of both often works best.",
    )
    approaches_liked = MultiCheckboxField(
        "Approaches you'd like", choices=vocab_choices(v.APPROACHES), validators=[Optional()]
    )
    approaches_avoided = MultiCheckboxField(
        "Approaches you'd rather avoid",
        choices=vocab_choices(v.APPROACHES),
        validators=[Optional()],
    )
    exclude_avoided = BooleanField("Don't show anyone who uses an approach I'd avoid")
    pace = RadioField(
        "What pace would suit you?",
        choices=_optional_choices(v.PACES, "No preference"),
        default="",
        validators=[Optional()],
        description="The guide: the fit of personality, communication style and pace strongly "
        "influences progress.",
    )
    course_length = RadioField(
        "How long do you expect to come?",
        choices=_optional_choices(v.COURSE_LENGTHS, "Not sure yet"),
        default="",
        validators=[Optional()],
    )
    frequency = RadioField(
        "How often would you like to meet?",
        choices=_optional_choices(v.SESSION_FREQUENCIES, "No preference"),
        default="",
        validators=[Optional()],
    )
    format = RadioField(
        "How would you like to meet?",
        choices=[
            SelectChoice("either", "Either"),
            SelectChoice("in_person", "In person"),
            SelectChoice("telehealth", "Telehealth (video)"),
        ],
        default="either",
    )
    state = SelectField(
        "The state you'll be in during sessions",
        choices=vocab_choices({k: name for k, (name, _) in v.STATES.items()}, "Choose a state"),
        validators=[InputRequired("Choose the state you'll be in during sessions.")],
        description="Therapy happens where you are: a therapist must be allowed to practise "
        "in that state.",
    )
    zip = SearchField(
        "Your ZIP code",
        validators=[Optional()],
        description="For in-person sessions, to find offices near you.",
    )
    max_distance_miles = SelectField(
        "How far would you travel?",
        choices=[SelectChoice(str(d), f"{d} miles") for d in DISTANCES],
        default="25",
    )
    max_fee = IntegerField(
        "The most you can pay per session ($)",
        validators=[Optional(), NumberRange(0, 10_000, "Enter an amount from $0 to $10,000.")],
    )
    needs_sliding_scale = BooleanField("I need a sliding scale (a lower fee based on income)")
    insurance = SelectField(
        "Your insurance plan",
        choices=vocab_choices(v.INSURANCE_PLANS, "None, or paying myself"),
        validators=[Optional()],
    )
    cost_is_firm_limit = BooleanField("Cost is a firm limit: don't show anyone over my budget")
    languages = MultiCheckboxField(
        "Languages you'd like sessions in", choices=vocab_choices(v.LANGUAGES),
        validators=[Optional()],
    )  # fmt: skip
    language_required = BooleanField("A language I chose is required")
    communities = MultiCheckboxField(
        "Communities the therapist should be experienced with",
        choices=vocab_choices(v.COMMUNITIES),
        validators=[Optional()],
    )
    therapist_gender = SelectField(
        "Therapist's gender",
        choices=vocab_choices(GENDER_CHOICES, "No preference"),
        validators=[Optional()],
    )
    therapist_background = SearchField(
        "Therapist's cultural background",
        validators=[Optional()],
        description="Only if it matters to you, in your own words (e.g. Korean American, "
        "Black, Latine): a broader word such as Asian American also finds those more specific.",
        render_kw={"list": "background-terms", "autocomplete": "off"},
    )
    therapist_faith = SearchField(
        "Therapist's faith",
        validators=[Optional()],
        description="Only if it matters to you (e.g. Christian also finds Catholic).",
        render_kw={"list": "faith-terms", "autocomplete": "off"},
    )
    therapist_lgbtq = BooleanField("I'd like a therapist who is LGBTQ+ themself")
    values = TextAreaField(
        "Values and views on emotions your therapist should respect",
        validators=[Optional(), Length(max=VALUES_LIMIT)],
        description="In your own words, if you like (e.g. my faith, family comes first, "
        "crying is not weakness). Not scored: where a profile mentions your words it says so, "
        "and your consultation kit asks about them. Kept only for this visit.",
        render_kw={"rows": 2, "maxlength": VALUES_LIMIT},
    )
    access_needs = MultiCheckboxField(
        "Access needs", choices=vocab_choices(v.ACCOMMODATIONS), validators=[Optional()]
    )
    access_required = BooleanField("The access needs I chose are required")
    evenings = BooleanField("Evening hours")
    weekends = BooleanField("Weekend hours")
    free_consultation = BooleanField("A free consultation first")
    progress_tracking = MultiCheckboxField(
        "How would you like progress tracked?",
        choices=vocab_choices(v.PROGRESS_METHODS),
        validators=[Optional()],
    )
    allow_associates = RadioField(
        "Are pre-licensed associates fine?",
        choices=[
            SelectChoice(
                "yes", "Yes: they practise under a licensed supervisor and often cost less"
            ),
            SelectChoice("no", "No, only fully licensed clinicians"),
        ],
        default="yes",
    )
    importance_approach = _importance("approach")
    importance_concerns = _importance("concerns")
    importance_qualifications = _importance("qualifications")
    importance_cost = _importance("cost")
    importance_culture = _importance("culture")
    importance_logistics = _importance("logistics")
    importance_progress = _importance("progress")

    def answers(self) -> dict[str, Any]:
        """Return the submitted answers in the shape the JSON API takes."""
        text = {"zip", "therapist_background", "therapist_faith", "values"}
        choice = {"approach_preference", "format", "state", "insurance", "therapist_gender",
                  "pace", "course_length", "frequency"}  # fmt: skip
        out: dict[str, Any] = {}
        for name in (*text, *choice):
            value = (self[name].data or "").strip()
            if value:
                out[name] = value
        for name in ("concerns", "approaches_liked", "approaches_avoided", "languages",
                     "communities", "progress_tracking", "access_needs"):  # fmt: skip
            out[name] = list(self[name].data or [])
        for name in ("exclude_avoided", "needs_sliding_scale", "cost_is_firm_limit",
                     "language_required", "therapist_lgbtq", "evenings", "weekends",
                     "free_consultation", "access_required"):  # fmt: skip
            out[name] = bool(self[name].data)
        out["allow_associates"] = self.allow_associates.data != "no"
        if self.max_fee.data is not None:
            out["max_fee"] = self.max_fee.data
        if out.get("zip"):
            out["max_distance_miles"] = int(self.max_distance_miles.data or 25)
        out["importance"] = {key: int(self[f"importance_{key}"].data or 1) for key in COMPONENTS}
        return out

    def to_preferences(self) -> Preferences | None:
        """Return the answers as Preferences, or put the problems on the fields and return None."""
        try:
            return parse_answers(self.answers())
        except AnswerError as exc:
            for name, message in exc.problems.items():
                field = self._fields.get(name)
                if field is not None:
                    field.errors = [*field.errors, message[0].upper() + message[1:] + "."]
            return None

    def fill(self, prefs: Preferences) -> None:
        """Show earlier answers (kept in the signed session) in the form again."""
        data = prefs.to_dict()
        for name, value in data.items():
            if name in self._fields and value is not None:
                if isinstance(value, bool) and name == "allow_associates":
                    value = "yes" if value else "no"
                self[name].data = value
        if prefs.max_distance_miles:
            self.max_distance_miles.data = str(prefs.max_distance_miles)
        for key, level in prefs.importance:
            self[f"importance_{key}"].data = str(level)
