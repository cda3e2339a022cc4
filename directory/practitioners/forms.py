"""The practitioner's profile form: every field of the profile, validated by the record rules."""

from __future__ import annotations

from typing import Any

from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from directory.core import vocabulary as v
from directory.core.compacts import load_compacts
from directory.core.profile import MAX_BIO, SPECS, Profile
from directory.core.records import RecordError, parse_record, profile_to_record
from directory.form_fields import MultiCheckboxField, SiteForm, vocab_choices

MAX_LICENSES = 4
MAX_AUTHORITIES = 6
# Profile fields the form works out itself (the rest are read from the field of that name).
SET_BY_FORM = frozenset(
    {"external_id", "licenses", "authorities", "approaches", "lgbtq", "style",
     "accepting_new_clients",
     "accepting_confirmed_on", "sample", "published"}
)  # fmt: skip
# Numbers a practitioner may leave blank for 0 (an import record must give them).
BLANK_IS_ZERO = frozenset({"years_in_practice", "ce_hours_2y"})


def _optional_int(label: str, low: int, high: int, **kwargs) -> IntegerField:
    return IntegerField(
        label,
        validators=[Optional(), NumberRange(low, high, f"Use a number from {low} to {high}.")],
        **kwargs,
    )


class LicenseEntry(Form):
    """One license on the profile form."""

    kind = SelectField("Kind", choices=vocab_choices(v.LICENSE_KINDS, "Choose"), default="")
    state = SelectField(
        "State",
        choices=vocab_choices({k: n for k, (n, _) in v.STATES.items()}, "Choose"),
        default="",
    )
    number = StringField("License number")
    expires_on = DateField("Expires", validators=[Optional()])
    supervised = BooleanField("Pre-licensed associate, practising under supervision")
    supervisor_name = StringField("Supervisor's name")
    supervisor_license = StringField("Supervisor's license (kind, state and number)")
    remove = BooleanField("Remove this license")


def _authority_choices() -> list[SelectChoice]:
    kinds = load_compacts().authority_kinds
    return [SelectChoice("", "Choose")] + [SelectChoice(k, a.name) for k, a in kinds.items()]


class AuthorityEntry(Form):
    """One compact authority on the profile form (an APIT, a TAP, a privilege...)."""

    kind = SelectField("Kind", choices=_authority_choices(), default="")
    state = SelectField(
        "State (for a Counseling Compact privilege)",
        choices=vocab_choices({k: n for k, (n, _) in v.STATES.items()}, "Not for one state"),
        default="",
    )
    number = StringField("Number (as the compact's registry shows it)")
    expires_on = DateField("Expires", validators=[Optional()])
    remove = BooleanField("Remove this authority")


def _carried_over(saved: dict[tuple[Any, ...], Any], key: tuple[Any, ...]) -> dict[str, Any]:
    """Return the status a saved license or authority keeps: only an unchanged one keeps its
    verification (any change to what was checked sends it back to pending)."""
    same = saved.get(key)
    if same is None:
        return {"status": "pending", "verified_on": None}
    verified_on = same.verified_on.isoformat() if same.verified_on else None
    return {"status": same.status, "verified_on": verified_on}


class ProfileForm(SiteForm):
    """Everything a practitioner's profile says."""

    version = HiddenField()
    name = StringField("Name", validators=[InputRequired("Enter your name.")])
    pronouns = StringField("Pronouns", validators=[Optional()])
    credentials = StringField(
        "Credentials", validators=[InputRequired("Enter your credentials, e.g. LCSW.")],
        description="As you sign them, e.g. PhD, LCSW, LPCC.",
    )  # fmt: skip
    headline = StringField("Headline", description="One line that says who you help.")
    bio = TextAreaField("About you", description=f"Plain text, up to {MAX_BIO:,} characters.")
    gender_identity = StringField("Gender (optional)")
    cultural_background = StringField("Cultural background (optional)")
    faith = StringField("Faith (optional)")
    lgbtq = SelectField(
        "LGBTQ+ (optional)",
        default="",
        choices=[SelectChoice("", "Prefer not to say"), SelectChoice("yes", "Yes"),
                 SelectChoice("no", "No")],
    )  # fmt: skip
    licenses = FieldList(FormField(LicenseEntry), min_entries=1, max_entries=MAX_LICENSES)
    home_state = SelectField(
        "The state you live and practise from",
        choices=vocab_choices({k: n for k, (n, _) in v.STATES.items()}, "My office's state"),
        default="",
        description="Your home state for PSYPACT and the Counseling Compact: a compact reaches "
        "other states only while you practise from a member state where you hold a license.",
    )
    authorities = FieldList(FormField(AuthorityEntry), min_entries=0, max_entries=MAX_AUTHORITIES)
    attachment_training = BooleanField("Trained in attachment theory")
    emotion_regulation_training = BooleanField("Trained in emotion regulation")
    concerns = MultiCheckboxField("What you help with", choices=vocab_choices(v.CONCERNS))
    neglect_experience = BooleanField("Experienced with emotional neglect")
    years_in_practice = _optional_int("Years in practice", 0, 70)
    style = RadioField(
        "How you work",
        choices=[SelectChoice(str(n), label) for n, label in (
            (1, "Structured skills"), (2, "Leaning structured"), (3, "A mix"),
            (4, "Leaning exploratory"), (5, "Exploratory, relational"))],
        default="3",
    )  # fmt: skip
    pace = RadioField(
        "The pace you usually work at",
        choices=[SelectChoice("", "I'd rather not say"),
                 *(SelectChoice(k, t.name) for k, t in v.PACES.items())],
        default="",
        validators=[Optional()],
    )  # fmt: skip
    collaborative_goals = BooleanField("I set goals together with clients")
    progress_tracking = MultiCheckboxField(
        "How you track progress", choices=vocab_choices(v.PROGRESS_METHODS)
    )
    supervision = BooleanField("I'm in ongoing supervision or consultation")
    ce_hours_2y = _optional_int("Continuing-education hours in the last two years", 0, 2000)
    confidentiality_discussed = BooleanField("I discuss confidentiality and consent at intake")
    typical_course_weeks = _optional_int("Typical length of a course of therapy (weeks)", 1, 520)
    session_frequencies = MultiCheckboxField(
        "How often sessions usually are", choices=vocab_choices(v.SESSION_FREQUENCIES)
    )
    booster_sessions = BooleanField("I offer booster sessions later")
    in_person = BooleanField("In person")
    telehealth = BooleanField("Telehealth")
    city = StringField("City")
    state = SelectField(
        "State",
        choices=vocab_choices({k: n for k, (n, _) in v.STATES.items()}, "Choose"),
        default="",
    )
    zip = StringField("ZIP code")
    accommodations = MultiCheckboxField(
        "Accommodations you offer", choices=vocab_choices(v.ACCOMMODATIONS)
    )
    fee = _optional_int("Fee per session ($)", 0, 2000)
    sliding_scale_min = _optional_int("Sliding scale from ($, optional)", 0, 2000)
    insurance = MultiCheckboxField("Insurance accepted", choices=vocab_choices(v.INSURANCE_PLANS))
    free_consultation = BooleanField("I offer a free consultation")
    phone = StringField(
        "Phone (optional)",
        render_kw={"type": "tel", "autocomplete": "tel"},
        description="With the area code, e.g. (614) 555-0123.",
    )
    public_email = StringField(
        "Public email (optional)",
        render_kw={"type": "email", "autocomplete": "email"},
        description="Shown on your profile; may differ from your account's address.",
    )
    website = StringField(
        "Website (optional)", render_kw={"type": "url"}, description="An https:// address."
    )
    booking_url = StringField(
        "Online booking link (optional)",
        render_kw={"type": "url"},
        description="An https:// address where people can book a first conversation.",
    )
    contact_preferred = SelectField(
        "How you'd like to be contacted first",
        choices=vocab_choices(v.CONTACT_METHODS, "No preference"),
        validators=[Optional()],
        default="",
    )
    consultation_requests = BooleanField(
        "People may send me a consultation request through the site (emailed to my account's "
        "address; the site keeps only a daily count)",
        default=True,
    )
    contact_hours = StringField(
        "When you answer (optional)", description="e.g. Weekdays 9-5; replies within a day."
    )
    languages = MultiCheckboxField("Languages", choices=vocab_choices(v.LANGUAGES))
    communities = MultiCheckboxField("Communities you serve", choices=vocab_choices(v.COMMUNITIES))
    evening_hours = BooleanField("Evening hours")
    weekend_hours = BooleanField("Weekend hours")
    accepting_new_clients = BooleanField("Accepting new clients")
    waitlist = BooleanField("I keep a waitlist")
    next_opening = DateField(
        "Next opening (optional)",
        validators=[Optional()],
        description="The first date you could see someone new.",
    )

    general_errors: list[str]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.general_errors = []

    def approach_fields(self) -> list:
        """Return the approach-level selects, in vocabulary order."""
        return [self[f"approach_{key}"] for key in v.APPROACHES]

    def fill(self, profile: Profile, version: int) -> None:
        """Show a saved profile in the form."""
        record = profile_to_record(profile)
        for name, field in self._fields.items():
            if name in record and name not in ("licenses", "authorities", "lgbtq", "style"):
                field.data = record[name]
        self.lgbtq.data = {True: "yes", False: "no", None: ""}[profile.lgbtq]
        self.style.data = str(profile.style)
        levels = dict(profile.approaches)
        for key in v.APPROACHES:
            self[f"approach_{key}"].data = levels.get(key, "")
        while len(self.licenses.entries):
            self.licenses.pop_entry()
        for lic in profile.licenses or ():
            self.licenses.append_entry(
                {
                    "kind": lic.kind,
                    "state": lic.state,
                    "number": lic.number,
                    "expires_on": lic.expires_on,
                    "supervised": lic.supervised,
                    "supervisor_name": lic.supervisor_name or "",
                    "supervisor_license": lic.supervisor_license or "",
                }
            )
        if not self.licenses.entries:
            self.licenses.append_entry()
        while len(self.authorities.entries):
            self.authorities.pop_entry()
        for held in profile.authorities:
            self.authorities.append_entry(
                {
                    "kind": held.kind,
                    "state": held.state or "",
                    "number": held.number,
                    "expires_on": held.expires_on,
                }
            )
        self.version.data = str(version)

    def to_profile(self, existing: Profile | None, external_id: str, on_date) -> Profile | None:
        """Return the profile the form describes, or put the problems on its fields.

        Verification status carries over only for a license or authority whose kind, state,
        number, expiry (and supervision) are unchanged: changing any of them sends it back to
        pending.
        """
        saved_licenses = {
            (lic.kind, lic.state, lic.number, lic.expires_on, lic.supervised): lic
            for lic in (existing.licenses if existing else ())
        }
        licenses = []
        for e in self._kept(self.licenses):
            number = (e.number.data or "").strip()
            supervised = bool(e.supervised.data)
            key = (e.kind.data, e.state.data, number, e.expires_on.data, supervised)
            licenses.append(
                {
                    "kind": e.kind.data,
                    "state": e.state.data,
                    "number": number,
                    "expires_on": e.expires_on.data.isoformat() if e.expires_on.data else None,
                    **_carried_over(saved_licenses, key),
                    "supervised": supervised,
                    "supervisor_name": e.supervisor_name.data or None,
                    "supervisor_license": e.supervisor_license.data or None,
                }
            )
        saved_authorities = {
            (a.kind, a.state, a.number, a.expires_on): a
            for a in (existing.authorities if existing else ())
        }
        authorities = []
        for e in self._kept(self.authorities):
            number = (e.number.data or "").strip()
            checked = (e.kind.data, e.state.data or None, number, e.expires_on.data)
            entry: dict[str, Any] = {
                "kind": e.kind.data,
                "number": number,
                "expires_on": e.expires_on.data.isoformat() if e.expires_on.data else None,
                **_carried_over(saved_authorities, checked),
            }
            if e.state.data:
                entry["state"] = e.state.data
            authorities.append(entry)
        accepting = bool(self.accepting_new_clients.data)
        confirmed = existing.accepting_confirmed_on if existing else None
        if accepting and (existing is None or not existing.accepting_new_clients):
            confirmed = on_date  # saying it now is confirming it now
        record: dict[str, Any] = {
            "external_id": external_id,
            "licenses": licenses,
            "authorities": authorities,
            "approaches": {
                key: self[f"approach_{key}"].data
                for key in v.APPROACHES
                if self[f"approach_{key}"].data
            },
            "lgbtq": {"yes": True, "no": False}.get(self.lgbtq.data),
            # An unknown style is already an error on the field; the record gets the default.
            "style": int(self.style.data) if str(self.style.data) in "12345" else 3,
            "accepting_new_clients": accepting,
            "accepting_confirmed_on": confirmed.isoformat() if confirmed and accepting else None,
            "sample": existing.sample if existing else False,
            "published": existing.published if existing else False,
        }
        for name, spec in SPECS.items():
            if name in SET_BY_FORM:
                continue
            data = self[name].data
            if spec.kind in ("text", "choice"):
                record[name] = (data or "").strip()
            elif spec.kind == "flag":
                record[name] = bool(data)
            elif spec.kind == "keys":
                record[name] = list(data or [])
            elif spec.kind == "day":
                record[name] = data.isoformat() if data else None
            else:  # a number; blank is 0 where the form says so, else missing
                record[name] = (data or 0) if name in BLANK_IS_ZERO else data
        try:
            return parse_record(record)
        except RecordError as exc:
            self._place(exc.problems)
            return None

    @staticmethod
    def _kept(entries: FieldList) -> list[Any]:
        """Return the entries of a list that are filled in and not marked for removal."""
        return [
            entry.form for entry in entries.entries
            if not entry.form.remove.data
            and (entry.form.number.data or entry.form.kind.data or entry.form.state.data)
        ]  # fmt: skip

    def _place(self, problems: list[tuple[str, str]]) -> None:
        """Put each problem on its field; problems without a field go to ``general_errors``."""
        kept = {"licenses": self._kept(self.licenses), "authorities": self._kept(self.authorities)}
        for name, message in problems:
            text = message[0].upper() + message[1:] + "."
            listed = name.split("[", 1)[0]
            if listed in kept and "]." in name:
                index = int(name[len(listed) + 1 : name.index("]")])
                sub = name.split("].", 1)[1]
                if index < len(kept[listed]) and sub in kept[listed][index]._fields:
                    field = kept[listed][index][sub]
                    if not field.errors:
                        field.errors = [text]
                    continue
            if name.startswith("approaches."):
                name = "approach_" + name.split(".", 1)[1]
            field = self._fields.get(name)
            if field is not None and not isinstance(field, FieldList):
                if not field.errors:  # the field's own message already says what's wrong
                    field.errors = [text]
            else:
                label = {"licenses": "Licenses", "authorities": "Compact authorities"}.get(
                    name.split("[", 1)[0], name
                )
                self.general_errors.append(f"{label}: {text}")


for _key, _term in v.APPROACHES.items():
    setattr(
        ProfileForm,
        f"approach_{_key}",
        SelectField(
            _term.name,
            choices=[SelectChoice("", "Not offered")]
            + [SelectChoice(k, t.name) for k, t in v.TRAINING_LEVELS.items()],
            description=_term.description,
            default="",
        ),
    )
