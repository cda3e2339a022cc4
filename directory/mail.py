"""Sending mail: to files in the instance folder by default, or through SMTP when configured."""

from __future__ import annotations

import logging
import smtplib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from flask import Flask, current_app

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    """One email: who it goes to, the subject and a plain-text body."""

    to: str
    subject: str
    body: str
    # Where a reply goes, when not to the site (a consultation request: the person asking).
    reply_to: str | None = None


class FileMailer:
    """Writes each message to a file, so flows work and can be tested with no mail server."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def send(self, message: Message) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        path = self.folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        path.write_text(_as_email(message).as_string(), encoding="utf-8")
        # The log says that a message went out, never what it says: it may hold a token.
        log.info("mail %r written to %s", message.subject, path.name)
        return path


class SmtpMailer:
    """Sends messages through an SMTP server (STARTTLS when asked)."""

    def __init__(self, host: str, port: int, username: str, password: str, use_tls: bool):
        self.host, self.port = host, port
        self.username, self.password, self.use_tls = username, password, use_tls

    def send(self, message: Message) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
            if self.use_tls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password)
            smtp.send_message(_as_email(message))
        log.info("mail %r sent through %s", message.subject, self.host)


def _as_email(message: Message) -> EmailMessage:
    email = EmailMessage()
    email["To"] = message.to
    email["From"] = current_app.config["MAIL_FROM"]
    email["Subject"] = message.subject
    if message.reply_to:
        email["Reply-To"] = message.reply_to
    email.set_content(message.body)
    return email


def send(message: Message) -> None:
    """Send a message with the application's mailer."""
    current_app.extensions["mailer"].send(message)


def init_app(app: Flask) -> None:
    """Choose the mailer: SMTP when MAIL_SERVER is set, otherwise files in MAIL_FOLDER."""
    config = app.config
    if config["MAIL_SERVER"]:
        app.extensions["mailer"] = SmtpMailer(
            config["MAIL_SERVER"],
            int(config["MAIL_PORT"]),
            config["MAIL_USERNAME"],
            config["MAIL_PASSWORD"],
            bool(config["MAIL_USE_TLS"]),
        )
    else:
        app.extensions["mailer"] = FileMailer(config["MAIL_FOLDER"])
