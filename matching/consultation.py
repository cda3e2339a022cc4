"""From a match to a first conversation: "Request a consultation" on every profile.

The request is emailed at once to the practitioner's account address, with ``Reply-To`` the
person's own address, and nothing of it is stored: no row, log line or URL holds the name, the
address, the message or the answers. All the site keeps is a count per practitioner per day
(``ConsultationCount``), which the practitioner sees on their dashboard. A request that cannot
be sent says so and gives the form back as typed (503), never "sent". Fictional sample profiles
say so on the form and deliver only to the file mailer.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from wtforms import BooleanField, EmailField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional

from directory import mail
from directory.extensions import db, limiter
from directory.form_fields import SiteForm
from directory.practitioners.models import ConsultationCount, Practitioner
from directory.practitioners.queries import get_practitioner, owner_email
from directory.sqlite import writing
from directory.web import today
from matching.answer_store import load_answers
from matching.kit import GENERAL_QUESTIONS, questions_for
from matching.summary import answers_summary

log = logging.getLogger(__name__)
bp = Blueprint("consultation", __name__)
MAX_MESSAGE = 2000
# Abuse: per sending address (the network's and the one typed) and per practitioner.
PER_ADDRESS = "5 per hour"
PER_PRACTITIONER = "20 per day"


class ConsultationForm(SiteForm):
    """A short request: who you are, how to reply, what you'd like, and when suits you."""

    name = StringField("Your name", validators=[InputRequired("Tell them your name."),
                                                Length(max=100)])  # fmt: skip
    email = EmailField(
        "Your email",
        validators=[InputRequired("Give an address they can reply to."),
                    Email("Enter an email address like name@example.org."), Length(max=254)],
        description="They reply to you directly; the site doesn't keep it.",
    )  # fmt: skip
    message = TextAreaField(
        "Your message",
        validators=[InputRequired("Write a few words about what you'd like."),
                    Length(max=MAX_MESSAGE)],
        render_kw={"rows": 6, "maxlength": MAX_MESSAGE},
    )  # fmt: skip
    times = StringField(
        "Times that suit you (optional)",
        validators=[Optional(), Length(max=300)],
        description="e.g. weekday evenings, or Tuesday mornings",
    )
    include_kit = BooleanField(
        "Include the questions from my consultation kit and a summary of my answers"
    )
    # A honeypot: hidden from people (and from screen readers); only a bot fills it in.
    website = StringField("Leave this empty", validators=[Optional()])


def _can_receive(p: Practitioner) -> bool:
    return bool(p.consultation_requests and (p.sample or owner_email(p)))


def _address_key() -> str:
    typed = (request.form.get("email") or "").strip().lower()[:254]
    return f"consultation-email:{typed}"


def _practitioner_key() -> str:
    return f"consultation-to:{request.view_args.get('slug', '') if request.view_args else ''}"


def _body(p: Practitioner, form: ConsultationForm) -> str:
    lines = [
        f"{form.name.data} asked for a consultation through the directory.",
        f"Reply to: {form.email.data}",
    ]
    if form.times.data:
        lines.append(f"Times that suit them: {form.times.data}")
    lines += ["", str(form.message.data), ""]
    if form.include_kit.data:
        prefs = load_answers()
        lines += ["Questions they'd like to ask:"]
        lines += [f"- {q}" for q in [*questions_for(p.to_profile(), prefs), *GENERAL_QUESTIONS]]
        if prefs is not None:
            lines += ["", "What they told the questionnaire:", *answers_summary(prefs)]
    lines += ["", "The directory keeps none of this: reply to them directly."]
    return "\n".join(lines)


def _deliver(p: Practitioner, form: ConsultationForm) -> None:
    """Send the request (a sample profile's only to the file mailer); raise if it can't."""
    # The subject is logged by the mailer: it names no one.
    subject = "A consultation request through the directory"
    if p.sample:
        to = f"sample-{p.slug}@example.org"
        mailer: Any = mail.FileMailer(current_app.config["MAIL_FOLDER"])
    else:
        to = owner_email(p) or ""
        mailer = current_app.extensions["mailer"]
    mailer.send(mail.Message(to, subject, _body(p, form), reply_to=str(form.email.data)))


def _count(p: Practitioner) -> None:
    with writing():
        row = db.session.scalar(
            select(ConsultationCount).where(
                ConsultationCount.practitioner_id == p.id, ConsultationCount.day == today()
            )
        )
        if row is None:
            db.session.add(ConsultationCount(practitioner_id=p.id, day=today(), count=1))
        else:
            row.count += 1
        db.session.commit()


@bp.route("/therapists/<slug>/contact", methods=["GET", "POST"])
@limiter.limit(PER_ADDRESS, methods=["POST"])
@limiter.limit(PER_ADDRESS, key_func=_address_key, methods=["POST"])
@limiter.limit(PER_PRACTITIONER, key_func=_practitioner_key, methods=["POST"])
def request_consultation(slug: str) -> ResponseReturnValue:
    """Show the request form, or send the request."""
    p = get_practitioner(slug)
    if not _can_receive(p):
        return render_template("matching/contact.html", p=p, form=None), 404
    form = ConsultationForm()
    if request.method == "GET":
        form.include_kit.data = load_answers() is not None
        return render_template("matching/contact.html", p=p, form=form)
    if form.website.data:
        abort(400)  # the honeypot: said plainly, nothing sent
    if not form.validate():
        return render_template("matching/contact.html", p=p, form=form), 400
    try:
        _deliver(p, form)
    except OSError as exc:  # smtplib's errors are OSErrors too
        log.warning("a consultation request could not be sent: %s", type(exc).__name__)
        return render_template("matching/contact.html", p=p, form=form, failed=True), 503
    _count(p)
    return render_template("matching/contact_sent.html", p=p)
