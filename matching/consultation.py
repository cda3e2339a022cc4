"""From a match to a first conversation: "Request a consultation" on every profile.

The request is emailed at once to the practitioner's account address, with ``Reply-To`` the
person's own address, and nothing of it is stored: no row, log line or URL holds the name, the
address, the message or the answers. All the site keeps is a count per practitioner per day
(``ConsultationCount``), which the practitioner sees on their dashboard. A request that cannot
be sent says so and gives the form back as typed (503), never "sent". Fictional sample profiles
say so on the form and deliver only to the file mailer.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import replace

from email_validator import EmailNotValidError, validate_email
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_limiter.util import get_remote_address
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from wtforms import BooleanField, EmailField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from directory import mail
from directory.extensions import db, limiter
from directory.form_fields import SiteForm
from directory.practitioners.models import ConsultationCount, Practitioner
from directory.practitioners.queries import get_practitioner, owner_email
from directory.sqlite import read_only, writing
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
        validators=[InputRequired("Give an address they can reply to."), Length(max=254)],
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
    # The address in a form every mail program can reply to (set by ``validate_email``).
    reply_address = ""

    def validate_email(self, field: EmailField) -> None:
        """An address anyone can reply to: ASCII, or an internationalised domain in punycode."""
        try:
            checked = validate_email(field.data or "", check_deliverability=False,
                                     allow_smtputf8=False)  # fmt: skip
        except EmailNotValidError as exc:
            raise ValidationError("Enter an email address like name@example.org.") from exc
        self.reply_address = checked.ascii_email or checked.normalized


def _address_key() -> str:
    """The typed address, as a keyed digest: the limiter logs and stores its keys."""
    typed = (request.form.get("email") or "").strip().lower()[:254]
    if not typed:
        return f"consultation-ip:{get_remote_address()}"
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return "consultation-email:" + hmac.new(secret, typed.encode(), hashlib.sha256).hexdigest()


def _practitioner_key() -> str:
    return f"consultation-to:{request.view_args.get('slug', '') if request.view_args else ''}"


def _was_sent(response: Response) -> bool:
    """Only a request actually sent counts against the limits (typos and junk don't)."""
    return response.status_code in (200, 303)


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
    """Send the request; raise if it can't be sent.

    A fictional sample profile's request goes only to the file mailer, and only while the site
    has no mail server (development): where real mail is configured, real visitors' words are
    never written to disk for a profile that reaches no one.
    """
    # The subject is logged by the mailer: it names no one.
    subject = "A consultation request through the directory"
    message = mail.Message("", subject, _body(p, form), reply_to=form.reply_address)
    if p.sample:
        if not current_app.config["MAIL_SERVER"]:
            folder = current_app.config["MAIL_FOLDER"]
            mail.FileMailer(folder).send(replace(message, to=f"sample-{p.slug}@example.org"))
        return
    current_app.extensions["mailer"].send(replace(message, to=owner_email(p) or ""))


def _count(practitioner_id: int) -> None:
    """Add one to today's count in a single statement (an upsert: two at once both count)."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    row = {"practitioner_id": practitioner_id, "day": today(), "count": 1}
    statement = insert(ConsultationCount).values(**row)
    statement = statement.on_conflict_do_update(
        index_elements=["practitioner_id", "day"], set_={"count": ConsultationCount.count + 1}
    )
    with writing():
        db.session.execute(statement)
        db.session.commit()


@bp.route("/therapists/<slug>/contact", methods=["GET", "POST"])
@limiter.limit(PER_ADDRESS, methods=["POST"], deduct_when=_was_sent)
@limiter.limit(PER_ADDRESS, key_func=_address_key, methods=["POST"], deduct_when=_was_sent)
@limiter.limit(PER_PRACTITIONER, key_func=_practitioner_key, methods=["POST"],
               deduct_when=_was_sent)  # fmt: skip
@read_only  # nothing waits on the write lock while the mail goes out; the count writes alone
def request_consultation(slug: str) -> ResponseReturnValue:
    """Show the request form, or send the request."""
    p = get_practitioner(slug)
    if not p.takes_requests:
        return render_template("matching/contact.html", p=p, form=None), 404
    form = ConsultationForm()
    if request.method == "GET":
        return render_template("matching/contact.html", p=p, form=form,
                               answered=load_answers() is not None)  # fmt: skip
    if form.website.data:
        abort(400)  # the honeypot: said plainly, nothing sent
    if not form.validate():
        return render_template("matching/contact.html", p=p, form=form), 400
    try:
        _deliver(p, form)
    except OSError as exc:  # smtplib's errors are OSErrors too
        log.warning("a consultation request could not be sent: %s", type(exc).__name__)
        return render_template("matching/contact.html", p=p, form=form, failed=True), 503
    db.session.rollback()  # end the read before the count's own write
    try:
        _count(p.id)
    except SQLAlchemyError as exc:  # sent all the same: say so, and never send it twice
        db.session.rollback()
        log.warning("a consultation request was sent but not counted: %s", type(exc).__name__)
    return redirect(url_for("consultation.sent", slug=slug), code=303)


@bp.get("/therapists/<slug>/contact/sent")
def sent(slug: str) -> ResponseReturnValue:
    """Say the request went and what happens next (the address holds nothing of it)."""
    return render_template("matching/contact_sent.html", p=get_practitioner(slug))
