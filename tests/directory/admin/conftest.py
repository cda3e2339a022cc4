"""An administrator, created from the command line with an authenticator key."""

from __future__ import annotations

import re
import time

import pyotp
import pytest

from tests.directory.account_helpers import login, post

ADMIN = "admin@example.org"
ADMIN_PASSWORD = "north lighthouse keeper"


@pytest.fixture
def admin_key(app, runner):
    result = runner.invoke(args=["directory", "create-admin", ADMIN, "--password", ADMIN_PASSWORD])
    assert result.exit_code == 0, result.output
    secret = re.search(r"^  ([A-Z2-7]{32})$", result.output, re.M).group(1)
    codes = re.findall(r"^  ([0-9a-f]{6}-[0-9a-f]{6})$", result.output, re.M)
    return secret, codes


def code_for(secret, offset=0):
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(int(time.time()) // 30 + offset)


def admin_client(app, secret):
    client = app.test_client()
    r = login(client, ADMIN, ADMIN_PASSWORD)
    assert r.status_code == 303 and r.headers["Location"].startswith("/account/two-factor")
    r = post(client, r.headers["Location"], code=code_for(secret))
    assert r.status_code == 303, r.text
    return client
