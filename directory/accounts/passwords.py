"""Password policy and hashing: argon2id, a minimum length, and no common passwords."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from directory.core.compacts import DATA_DIR

MIN_LENGTH = 12
# Long passphrases are welcome; the ceiling only stops a megabyte "password" from being hashed.
MAX_LENGTH = 256

# OWASP ASVS's argon2id minimum is m=19 MiB, t=2, p=1; argon2-cffi's default (RFC 9106's low-
# memory profile, m=64 MiB, t=3, p=4) is above it and is what the site uses. Tests may choose
# the minimum to run faster.
PROFILES = {
    "default": PasswordHasher(),
    "minimum": PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1),
}


@cache
def common_passwords(path: Path | None = None) -> frozenset[str]:
    """Return the shipped list of common passwords, lowercased."""
    text = (path or DATA_DIR / "common-passwords.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line and not line.startswith("#")
    )


def password_problem(password: str, email: str = "") -> str | None:
    """Return why a password may not be used, or None if it is fine."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters; a few unrelated words make a good one."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    lowered = password.lower()
    common = common_passwords()
    letters = re.sub(r"[^a-z]", "", lowered)
    # "password1234" and "baseball!!!!" are as guessable as the words they are built on.
    candidates = {lowered, lowered.strip("0123456789!@#$%^&*()-_=+.,?"), letters}
    repeated = re.fullmatch(r"(.+?)\1+", lowered)  # "baseballbaseball", "abcabcabcabc"
    if (
        any(c in common for c in candidates if len(c) >= 4)
        or len(set(lowered)) <= 3
        or (repeated and (len(repeated.group(1)) <= 4 or repeated.group(1) in common))
    ):
        return "That password is too common or too easy to guess; choose another."
    local = email.split("@")[0].lower()
    if local and len(local) >= 4 and local in lowered:
        return "Don't build the password from your email address."
    return None


def hash_password(password: str, profile: str = "default") -> str:
    """Return an argon2id hash of the password."""
    return PROFILES[profile].hash(password)


def check_password(stored_hash: str | None, password: str) -> bool:
    """Return whether the password matches the stored hash (False for no hash at all)."""
    if not stored_hash:
        # Spend the same time as a real check, so timing doesn't tell which emails exist.
        PROFILES["default"].hash(password)
        return False
    try:
        return PROFILES["default"].verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str, profile: str = "default") -> bool:
    """Return whether a hash was made with weaker parameters than the current profile."""
    return PROFILES[profile].check_needs_rehash(stored_hash)
