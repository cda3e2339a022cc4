"""A second factor: time-based one-time codes (TOTP) and single-use recovery codes."""

from __future__ import annotations

import hmac
import secrets
import time

import pyotp
from sqlalchemy import select

from directory.accounts.models import User, token_digest
from directory.extensions import db

ISSUER = "Fit Directory"
RECOVERY_CODES = 10


def new_secret() -> str:
    """Return a new base32 secret for an authenticator app."""
    return pyotp.random_base32()


def provisioning_uri(email: str, secret: str) -> str:
    """Return the otpauth:// address an authenticator app can import."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def code_matches(secret: str, code: str, at: float | None = None) -> int | None:
    """Return the time step a code is valid for (this one or a neighbour), or None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = int(at if at is not None else time.time())
    step = now // totp.interval
    for candidate in (step, step - 1, step + 1):
        expected = totp.generate_otp(candidate)
        if hmac.compare_digest(expected, code):
            return candidate
    return None


def make_recovery_codes() -> tuple[list[str], list[str]]:
    """Return fresh recovery codes (shown once) and their digests (stored)."""
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    return codes, [token_digest(c) for c in codes]


def verify_second_factor(user: User, code: str) -> bool:
    """Accept a current authenticator code (once) or an unused recovery code (once)."""
    if not user.totp_secret:
        return False
    # Read the account again under a row lock (FOR UPDATE on PostgreSQL; SQLite's write lock
    # is already held): two logins with one code are served in turn, and only the first uses it.
    db.session.scalar(
        select(User)
        .where(User.id == user.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    step = code_matches(user.totp_secret, code)
    if step is not None:
        if user.totp_last_step is not None and step <= user.totp_last_step:
            return False  # a code, or an older one, already used: no replay
        user.totp_last_step = step
        return True
    digest = token_digest(code.strip().lower())
    if digest in (user.recovery_codes or []):
        user.recovery_codes = [d for d in user.recovery_codes if d != digest]
        return True
    return False
