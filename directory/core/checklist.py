"""The guide's qualification criteria, measured against a profile with the evidence for each.

Each criterion is met, not yet verified (what the profile says still waits for an
administrator's check), or not met; a profile "meets" only what is met.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from directory.core import vocabulary as v
from directory.core.profile import Profile

Status = Literal["met", "unverified", "not_met"]
STATUS_NAMES: dict[str, str] = {
    "met": "Met",
    "unverified": "Not yet verified",
    "not_met": "Not met",
}
# Listing one of these approaches is training in attachment, or in emotion regulation.
ATTACHMENT_APPROACHES = frozenset({"attachment"})
REGULATION_APPROACHES = frozenset({"dbt", "eft"})


@dataclass(frozen=True)
class Criterion:
    """One of the guide's criteria, whether the profile meets it, and why."""

    key: str
    title: str
    status: Status
    evidence: str

    @property
    def met(self) -> bool:
        """Return whether the criterion is met (not merely waiting for verification)."""
        return self.status == "met"

    @property
    def status_name(self) -> str:
        """Return the status in words: "Met", "Not yet verified" or "Not met"."""
        return STATUS_NAMES[self.status]


@dataclass(frozen=True)
class Checklist:
    """The result of measuring a profile against every criterion."""

    criteria: tuple[Criterion, ...]

    @property
    def met(self) -> int:
        """Return how many criteria the profile meets."""
        return sum(c.met for c in self.criteria)

    @property
    def total(self) -> int:
        """Return how many criteria there are."""
        return len(self.criteria)

    @property
    def unverified(self) -> int:
        """Return how many criteria wait for an administrator's check."""
        return sum(c.status == "unverified" for c in self.criteria)

    @property
    def summary(self) -> str:
        """Return the one-line summary the profile page shows."""
        text = f"Meets {self.met} of {self.total} of the guide's criteria"
        if self.unverified:
            text += f" ({self.unverified} not yet verified)"
        return text


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _status(ok: bool) -> Status:
    return "met" if ok else "not_met"


def _licensed(profile: Profile, today: date) -> Criterion:
    title = "Licensed clinician"
    independent = [lic for lic in profile.licenses if not lic.supervised]
    good = [lic for lic in independent if lic.is_verified(today)]
    if good:
        lic = good[0]
        # Records require the date of a verification; a row without one says so.
        verified = lic.verified_on.isoformat() if lic.verified_on else "(date not recorded)"
        evidence = (
            f"{v.LICENSE_KINDS[lic.kind].name} license in {v.state_name(lic.state)} "
            f"(#{lic.number}), verified {verified}, "
            f"expires {lic.expires_on.isoformat()}."
        )
        return Criterion("licensed", title, "met", evidence)
    if profile.licenses and not independent:
        lic = profile.licenses[0]
        return Criterion(
            "licensed",
            title,
            "not_met",
            f"Pre-licensed associate practising under the supervision of {lic.supervisor_name}.",
        )
    waiting = [lic for lic in independent if lic.status == "pending" and not lic.is_expired(today)]
    if waiting:
        lic = waiting[0]
        return Criterion(
            "licensed",
            title,
            "unverified",
            f"{v.LICENSE_KINDS[lic.kind].name} license in {v.state_name(lic.state)} "
            f"(#{lic.number}), expires {lic.expires_on.isoformat()}: not yet checked against "
            "the state board by an administrator.",
        )
    reasons = []
    for lic in independent:
        where = f"{v.state_name(lic.state)} #{lic.number}"
        if lic.is_expired(today):
            reasons.append(f"{where} expired {lic.expires_on.isoformat()}")
        else:
            reasons.append(f"{where} could not be verified")
    evidence = ("License " + "; ".join(reasons) + ".") if reasons else "No license listed."
    return Criterion("licensed", title, "not_met", evidence)


def _trained(
    profile: Profile, flag: bool, approaches: frozenset[str], key: str, title: str, subject: str
) -> Criterion:
    """Training the profile states, or that a listed approach implies (attachment-focused
    therapy is attachment training; DBT and EFT are emotion-regulation training)."""
    if flag:
        return Criterion(key, title, "met", f"States training in {subject}.")
    implied = [v.APPROACHES[k].name for k in profile.approach_keys if k in approaches]
    if implied:
        return Criterion(key, title, "met", f"Trained in {_join(implied)}.")
    return Criterion(key, title, "not_met", f"No training in {subject} listed.")


def _modality(profile: Profile) -> Criterion:
    title = "Training in one of the guide's modalities (EFT, CBT/Schema, DBT, IFS, psychodynamic)"
    offered = [
        f"{v.APPROACHES[key].name} ({v.TRAINING_LEVELS[level].name.lower()})"
        for key, level in profile.approaches
        if key in v.GUIDE_MODALITIES
    ]
    if offered:
        return Criterion("modality", title, "met", f"Offers {_join(offered)}.")
    return Criterion(
        "modality",
        title,
        "not_met",
        "Lists none of EFT, CBT/Schema, DBT, IFS or psychodynamic relational therapy.",
    )


def _neglect(profile: Profile) -> Criterion:
    title = "Experience with neglect-related patterns"
    if profile.neglect_experience:
        return Criterion("neglect", title, "met", "States experience with emotional neglect.")
    return Criterion("neglect", title, "not_met", "No experience with emotional neglect listed.")


def _collaborative(profile: Profile) -> Criterion:
    title = "Collaborative and transparent about goals and progress"
    methods = [v.PROGRESS_METHODS[m].name.lower() for m in profile.progress_tracking]
    if profile.collaborative_goals and methods:
        return Criterion(
            "collaborative",
            title,
            "met",
            f"Sets goals together with clients and tracks progress with {_join(methods)}.",
        )
    missing = []
    if not profile.collaborative_goals:
        missing.append("does not say goals are set together")
    if not methods:
        missing.append("does not say how progress is tracked")
    return Criterion("collaborative", title, "not_met", _join(missing).capitalize() + ".")


def _supervision(profile: Profile) -> Criterion:
    title = "Ongoing supervision or consultation and continuing education"
    if profile.supervision and profile.ce_hours_2y > 0:
        return Criterion(
            "supervision",
            title,
            "met",
            f"In ongoing supervision or consultation; {profile.ce_hours_2y} hours of continuing "
            "education in the last two years.",
        )
    missing = []
    if not profile.supervision:
        missing.append("no ongoing supervision or consultation listed")
    if profile.ce_hours_2y <= 0:
        missing.append("no continuing education in the last two years listed")
    return Criterion("supervision", title, "not_met", _join(missing).capitalize() + ".")


def _respect(profile: Profile) -> Criterion:
    """Languages, stated accommodations (telehealth is a format, not one), and consent."""
    title = "Respects background, language and access, and explains confidentiality and consent"
    languages = [v.LANGUAGES.get(code, code) for code in profile.languages]
    access = [v.ACCOMMODATIONS[a].name.lower() for a in profile.accommodations]
    parts = [f"Sessions in {_join(languages)}"] if languages else ["No language listed"]
    parts.append(f"offers {_join(access)}" if access else "lists no accommodations for access")
    if profile.communities:
        parts.append("experienced with " + _join([v.COMMUNITIES[c] for c in profile.communities]))
    if profile.confidentiality_discussed:
        parts.append("discusses confidentiality and consent at intake")
    else:
        parts.append("does not say confidentiality and consent are discussed at intake")
    met = bool(languages and access and profile.confidentiality_discussed)
    return Criterion("respect", title, _status(met), "; ".join(parts) + ".")


def evaluate(profile: Profile, today: date) -> Checklist:
    """Measure a profile against the guide's eight qualification criteria."""
    return Checklist(
        (
            _licensed(profile, today),
            _trained(
                profile,
                profile.attachment_training,
                ATTACHMENT_APPROACHES,
                "attachment",
                "Training in attachment theory",
                "attachment theory",
            ),
            _trained(
                profile,
                profile.emotion_regulation_training,
                REGULATION_APPROACHES,
                "regulation",
                "Training in emotion regulation",
                "emotion regulation",
            ),
            _modality(profile),
            _neglect(profile),
            _collaborative(profile),
            _supervision(profile),
            _respect(profile),
        )
    )
