"""How a practitioner may be reached: phone numbers, public email addresses and https links,
each checked and written one way (phone numbers with ``phonenumbers``, addresses with
``email-validator``)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email

MAX_URL = 300
# A checker returns (the value as stored, None) or (None, the problem).
Checked = tuple[str | None, str | None]


def check_phone(value: str) -> Checked:
    """Return a US (or +country) phone number in E.164 form, or the problem."""
    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        return None, "not a phone number"
    if not phonenumbers.is_valid_number(number):
        return None, "not a valid phone number: include the area code"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None


def phone_display(e164: str) -> str:
    """Return a stored number as people write it: (614) 555-0123, or +44 20 7946 0000."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 1
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def check_email(value: str) -> Checked:
    """Return an email address in its normal form, or the problem (no DNS lookup)."""
    try:
        return validate_email(value, check_deliverability=False).normalized, None
    except EmailNotValidError as exc:
        return None, f"not an email address ({exc})"


def check_https(value: str) -> Checked:
    """Return an https:// link as given, or the problem: no other scheme, no user or password,
    a real host name."""
    if len(value) > MAX_URL:
        return None, f"use at most {MAX_URL} characters"
    if any(ch.isspace() or ord(ch) < 32 for ch in value):
        return None, "a web address has no spaces"
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        port_ok = parts.port is None or parts.port == 443
    except ValueError:
        return None, "not a web address"
    if parts.scheme.lower() != "https":
        return None, "use an https:// address (a secure link)"
    if parts.username or parts.password or not port_ok:
        return None, "a link may not hold a user name, password or port"
    labels = host.split(".")
    if len(labels) < 2 or not all(labels) or not labels[-1].isalpha():
        return None, "name a website, such as https://example.org"
    return value, None


CHECKS: dict[str, Callable[[str], Checked]] = {
    "phone": check_phone,
    "email": check_email,
    "https": check_https,
}
