"""Operator commands: ``flask --app app directory ...``."""

from __future__ import annotations

import secrets
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup
from flask_migrate import upgrade
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from directory.core import vocabulary as v
from directory.core.clock import utcnow
from directory.core.compacts import STALE_AFTER_DAYS, load_compacts
from directory.core.profile import Profile
from directory.extensions import db
from directory.practitioners.importer import (
    ImportFailed,
    ImportReport,
    import_profiles,
    read_file,
    validate_records,
)
from directory.practitioners.models import Practitioner
from directory.search import sync
from directory.sqlite import is_busy, one_at_a_time, reading, writing
from directory.web import app_object, today


class _Commands(AppGroup):
    """The operator commands write as the site's saves do: each write transaction takes
    SQLite's write lock first, waiting for it, instead of failing when a save got there first
    (a command that only reads, or a rebuild's snapshot, says so with ``reading()``)."""

    def invoke(self, ctx: click.Context) -> Any:
        with writing():
            return super().invoke(ctx)


group = _Commands("directory", help="Import practitioners and manage the search index.")


# An import waits up to SQLITE_BUSY_TIMEOUT_MS for the write lock, this many times over.
IMPORT_ATTEMPTS = 3


def moved_to(profiles: list[Profile], day: date) -> list[Profile]:
    """Return the profiles with their availability dates moved so the newest confirmation
    falls on ``day`` (never backwards)."""
    newest = max((p.accepting_confirmed_on for p in profiles if p.accepting_confirmed_on),
                 default=None)  # fmt: skip
    if newest is None or newest >= day:
        return profiles
    shift = day - newest
    return [
        replace(
            p,
            accepting_confirmed_on=p.accepting_confirmed_on + shift
            if p.accepting_confirmed_on
            else None,
            next_opening=p.next_opening + shift if p.next_opening else None,
        )
        for p in profiles
    ]


def import_file(
    path: str | Path, show_progress: bool = False, *, dated_on: date | None = None
) -> tuple[int, int, int]:
    """Validate a whole JSON file, then create or update its practitioners in one transaction.

    ``dated_on`` moves the file's availability dates (confirmations, next openings) by the days
    between the samples' own day and that day: loaded today, the samples' confirmations are
    spread over the weeks before today, as a real directory's would be.

    The transaction takes the write lock first, and if the site's saves keep it past the busy
    time-out, the whole import is tried again (it is all or nothing), a bounded number of times.
    """
    profiles = validate_records(read_file(path))
    if dated_on is not None:
        profiles = moved_to(profiles, dated_on)
    for attempt in range(1, IMPORT_ATTEMPTS + 1):
        try:
            with writing():
                report = _import(profiles, show_progress)
            return report.created, report.updated, report.unchanged
        except OperationalError as exc:
            db.session.rollback()
            if not is_busy(exc) or attempt == IMPORT_ATTEMPTS:
                raise
            click.echo(f"The database is busy; trying again ({attempt + 1} of "
                       f"{IMPORT_ATTEMPTS}).", err=True)  # fmt: skip
            time.sleep(attempt)
    raise AssertionError("unreachable")


def _import(profiles: list, show_progress: bool) -> ImportReport:
    if show_progress:
        with click.progressbar(length=len(profiles), label="Importing", file=sys.stderr) as bar:
            report = import_profiles(db.session, profiles, progress=bar.update)
            db.session.commit()
            return report
    report = import_profiles(db.session, profiles)
    db.session.commit()
    return report


@group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_command(path: str) -> None:
    """Import practitioners from a JSON file (all or nothing; re-importing updates)."""
    try:
        created, updated, unchanged = import_file(path, show_progress=True)
    except ImportFailed as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{exc}.", err=True)
        sys.exit(1)
    except OperationalError as exc:
        if not is_busy(exc):
            raise
        click.echo(f"The database stayed busy after {IMPORT_ATTEMPTS} tries; nothing was "
                   "imported. Try again when the site is quieter.", err=True)  # fmt: skip
        sys.exit(1)
    click.echo(f"Imported {path}: {created} created, {updated} updated, {unchanged} unchanged.")


@group.command("reindex")
def reindex_command() -> None:
    """Rebuild the search index from the database beside the live one and swap it in."""
    count = sync.rebuild(app_object())
    click.echo(f"Indexed {count} published practitioners.")


@group.command("drain")
def drain_command() -> None:
    """Apply waiting outbox rows to the search index."""
    applied = sync.drain(app_object())
    click.echo(f"Applied {applied} outbox rows.")


@group.command("refresh")
def refresh_command() -> None:
    """Re-index practitioners whose licenses lapsed since their documents were written."""
    count = sync.refresh_lapsed(app_object())
    click.echo(f"Re-indexed {count} practitioners whose licenses lapsed.")


@group.command("verify")
def verify_command() -> None:
    """Compare the search index with the database; exit 1 on any difference."""
    diff = sync.verify(app_object())
    if diff.ok:
        click.echo("The search index matches the database.")
        return
    for problem in diff.unreadable:
        click.echo(f"Could not read: {problem}", err=True)
    for label, ids in (
        ("missing from the index", diff.missing),
        ("in the index but not published", diff.extra),
        ("at another version in the index", diff.stale),
    ):
        if ids:
            shown = ", ".join(map(str, ids[:20])) + (" ..." if len(ids) > 20 else "")
            click.echo(f"{len(ids)} {label}: {shown}", err=True)
    click.echo(
        "`flask --app app directory reindex` rebuilds the index from the database.", err=True
    )
    sys.exit(1)


@group.command("setup")
@click.option("--no-samples", is_flag=True, help="Do not load the sample practitioners.")
def setup_command(no_samples: bool) -> None:
    """Apply migrations, load the samples into an empty database and build a missing index.

    Several servers may run it at once: they take turns (an advisory lock on PostgreSQL), so
    the migrations and the samples are applied once.
    """
    app = app_object()
    with one_at_a_time("setup"):
        _setup(app, no_samples)


def _setup(app, no_samples: bool) -> None:
    upgrade(directory=app.extensions["migrate"].directory)
    click.echo("Database schema is up to date.")
    with reading():
        count = db.session.scalar(select(func.count(Practitioner.id))) or 0
        db.session.rollback()  # end the read: what follows writes through other sessions
    if count == 0 and not no_samples:
        created, _, _ = import_file(app.config["SAMPLE_DATA"], dated_on=today())
        click.echo(f"Loaded {created} fictional sample practitioners.")
    else:
        click.echo(f"The database holds {count} practitioners.")
    if not sync.search_index(app).is_current():
        click.echo(f"Built the search index ({sync.rebuild(app)} practitioners).")
    else:
        applied = sync.drain(app)
        click.echo(f"The search index exists ({applied} outbox rows applied).")


@group.command("generate")
@click.option("--count", default=1000, show_default=True, help="How many practitioners.")
@click.option("--seed", default=20261126, show_default=True, help="Random seed.")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def generate_command(count: int, seed: int, path: str) -> None:
    """Write a JSON file of fictional practitioners made by the deterministic generator."""
    try:
        # The generator needs Faker, an optional extra: the running site never imports it.
        from directory.samples import write_samples
    except ImportError as exc:
        raise click.ClickException(
            f"the sample generator needs the samples extra ({exc.name} is missing): "
            "pip install -e '.[samples]'"
        ) from exc

    written = write_samples(path, count, seed=seed)
    click.echo(f"Wrote {written} fictional practitioners to {path}.")


@group.command("compacts")
def compacts_command() -> None:
    """Print the compact table: who enacted each compact, who issues, and how old the check is."""
    on = today()
    compacts = load_compacts()
    for compact in compacts.compacts.values():
        issuing = compact.issuing_states(on)
        click.echo(
            f"{compact.name} (checked {compact.checked_on.isoformat()}): "
            f"{len(compact.states)} enacted, {len(issuing)} issuing today"
        )
        for state, member in sorted(compact.states.items(), key=lambda i: v.state_name(i[0])):
            since = member.issuing.isoformat() if member.issuing else "not yet"
            enacted = member.enacted.isoformat() if member.enacted else "date not recorded"
            mark = "*" if state in issuing else " "
            click.echo(f"  {mark} {v.state_name(state):22} enacted {enacted:18} issuing {since}")
    for kind, text in compacts.no_compact.items():
        click.echo(f"{v.LICENSE_KINDS[kind].name}: {text}")
    age = compacts.age_days(on)
    click.echo(f"The table was checked {age} days ago (data/compacts.json).")
    if compacts.is_stale(on):
        click.echo(
            f"Warning: that is more than {STALE_AFTER_DAYS} days. Check the commissions' maps, "
            "update data/compacts.json, then run `flask --app app directory reindex`.",
            err=True,
        )


@group.command("expiry-notices")
def expiry_notices_command() -> None:
    """Email practitioners whose verified licenses or authorities expire within 30 days (once)."""
    from directory.admin.notices import send_expiry_notices

    names = {k: t.name + " license" for k, t in v.LICENSE_KINDS.items()}
    names.update({k: a.name for k, a in load_compacts().authority_kinds.items()})
    app = app_object()
    with app.test_request_context(base_url=app.config["SITE_URL"]):
        sent = send_expiry_notices(today(), names)
    click.echo(f"Sent {sent} expiry notices.")


@group.command("remind")
def remind_command() -> None:
    """Email owners whose "accepting new clients" was confirmed 40+ days ago (once each)."""
    from directory.accounts.availability import send_reminders

    app = app_object()
    with app.test_request_context(base_url=app.config["SITE_URL"]):
        sent = send_reminders(today())
    click.echo(f"Sent {sent} reminders to reconfirm accepting new clients.")


@group.command("create-admin")
@click.argument("email")
@click.password_option(help="The administrator's password (asked for if not given).")
def create_admin_command(email: str, password: str) -> None:
    """Create an administrator (or reset one) with a password and an authenticator key."""
    from directory.accounts.models import User, normalize_email
    from directory.accounts.passwords import hash_password, password_problem
    from directory.accounts.sessions import end_all_sessions
    from directory.accounts.two_factor import make_recovery_codes, new_secret, provisioning_uri

    problem = password_problem(password, email)
    if problem:
        raise click.BadParameter(problem, param_hint="password")
    email = normalize_email(email)
    user = db.session.scalar(User.by_email(email)) or User(email=email)
    secret = new_secret()
    codes, digests = make_recovery_codes()
    user.role = "admin"
    user.password_hash = hash_password(password)
    user.email_verified_at = user.email_verified_at or utcnow()
    user.totp_secret, user.totp_last_step, user.recovery_codes = secret, None, digests
    db.session.add(user)
    db.session.flush()
    # A new password, key and role: no earlier login of this account may carry over.
    ended = end_all_sessions(user)
    db.session.commit()
    click.echo(f"Administrator {email} is ready ({ended} earlier sessions ended).")
    click.echo("Add this key to an authenticator app:")
    click.echo(f"  {secret}")
    click.echo(f"  {provisioning_uri(email, secret)}")
    click.echo("Recovery codes (each works once; shown only now):")
    for code in codes:
        click.echo(f"  {code}")


def write_instance_config(instance_path: str | Path) -> Path:
    """Create instance/config.py with a random SECRET_KEY unless it exists; return its path."""
    path = Path(instance_path) / "config.py"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"SECRET_KEY = {secrets.token_hex(32)!r}\n", encoding="utf-8")
        path.chmod(0o600)
    return path


def init_app(app: Flask) -> None:
    """Register the directory commands."""
    app.cli.add_command(group)
