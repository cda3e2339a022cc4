"""Practitioners' accounts: register, confirm, log in and out, reset and change a password.

Messages never say whether an email address has an account: registering an address that is
taken, or asking to reset one that isn't, looks exactly like the ordinary case.
"""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import update

from directory import mail
from directory.accounts.forms import (
    ChangePasswordForm,
    CodeForm,
    LoginForm,
    RegistrationForm,
    ResetForm,
    ResetRequestForm,
)
from directory.accounts.models import (
    EmailToken,
    User,
    issue_token,
    normalize_email,
    redeem_token,
)
from directory.accounts.passwords import check_password, hash_password, needs_rehash
from directory.accounts.sessions import account_key, end_other_sessions, end_session, start_session
from directory.accounts.two_factor import (
    code_matches,
    make_recovery_codes,
    new_secret,
    provisioning_uri,
    verify_second_factor,
)
from directory.core.clock import utcnow
from directory.extensions import db, limiter
from directory.practitioners.queries import own_practitioner, request_counts
from directory.sqlite import writing
from directory.web import external_url, safe_next, today

bp = Blueprint("account", __name__, url_prefix="/account")

PENDING = "pending_2fa"
PENDING_SECONDS = 300
SETUP = "totp_setup"
VERIFY_HOURS = 24
RESET_MINUTES = 60
# Per address (IP) and per account: enough for a person who mistypes, not for guessing.
IP_LIMIT = "20 per minute; 100 per hour"
ACCOUNT_LIMIT = "5 per 15 minutes"


def _hash_profile() -> str:
    return current_app.config["PASSWORD_HASH_PROFILE"]


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(IP_LIMIT, methods=["POST"])
@limiter.limit(ACCOUNT_LIMIT, key_func=account_key, methods=["POST"])
def register():
    """Create a practitioner account; the emailed link confirms the address."""
    form = RegistrationForm()
    if request.method == "POST" and form.validate():
        email = normalize_email(form.email.data)
        # Hash on both paths, so the time taken never tells whether the address has an account.
        password_hash = hash_password(form.password.data, _hash_profile())
        user = db.session.scalar(User.by_email(email))
        if user is None:
            user = User(email=email, password_hash=password_hash)
            db.session.add(user)
            db.session.flush()
            token = issue_token(user, "verify", timedelta(hours=VERIFY_HOURS))
            db.session.commit()
            link = external_url("account.verify", token=token)
            body = (
                "Welcome to Fit Directory.\n\nConfirm your email address within "
                f"{VERIFY_HOURS} hours to finish setting up your account:\n\n{link}\n\n"
                "If you didn't sign up, ignore this message."
            )
        else:
            body = (
                "Someone tried to create a Fit Directory account with this address, which "
                "already has one. If it was you, log in, or reset your password:\n\n"
                f"{external_url('account.reset_request')}\n\n"
                "If it wasn't you, you can ignore this message."
            )
        mail.send(mail.Message(email, "Confirm your Fit Directory account", body))
        return redirect(url_for("account.check_email"), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("account/register.html", form=form), status


@bp.get("/check-email")
def check_email():
    """Say that a link is on its way, whether or not the address had an account."""
    return render_template("account/check_email.html")


@bp.get("/verify/<token>")
def verify(token: str):
    """Confirm an email address from the emailed link."""
    with writing():  # a GET that writes: take SQLite's write lock before reading
        return _verify(token)


def _verify(token: str):
    record = redeem_token(token, "verify")
    if record is None:
        return render_template("account/link_invalid.html"), 400
    record.used_at = utcnow()
    user = db.session.get(User, record.user_id)
    if user is None:
        abort(400)
    user.email_verified_at = user.email_verified_at or utcnow()
    db.session.commit()
    flash("Your email address is confirmed. You can log in now.")
    return redirect(url_for("account.login"), code=303)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(IP_LIMIT, methods=["POST"])
@limiter.limit(ACCOUNT_LIMIT, key_func=account_key, methods=["POST"])
def login():
    """Log in with email and password."""
    form = LoginForm()
    if request.method == "POST" and form.validate():
        user = db.session.scalar(User.by_email(form.email.data))
        if check_password(user.password_hash if user else None, form.password.data):
            if user.email_verified_at is None:
                form.email.errors.append(
                    "Confirm your email address first: use the link we emailed you."
                )
                return render_template("account/login.html", form=form), 400
            if needs_rehash(user.password_hash, _hash_profile()):
                user.password_hash = hash_password(form.password.data, _hash_profile())
                db.session.commit()
            target = safe_next(request.args.get("next"))
            if user.totp_secret:
                # The password was right; the session starts only after the second factor.
                session.clear()
                session[PENDING] = {"user": user.id, "at": int(utcnow().timestamp())}
                return redirect(url_for("account.two_factor", next=target), code=303)
            if user.is_admin:
                form.email.errors.append(
                    "Administrators sign in with an authenticator app: ask for "
                    "`flask directory create-admin` to be run again for this address."
                )
                return render_template("account/login.html", form=form), 400
            start_session(user)
            return redirect(target or url_for("account.dashboard"), code=303)
        form.password.errors.append("The email or the password is not right.")
    status = 400 if request.method == "POST" else 200
    return render_template("account/login.html", form=form), status


def _pending_user() -> User | None:
    pending = session.get(PENDING)
    if not pending or utcnow().timestamp() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    return db.session.get(User, pending.get("user"))


def pending_key() -> str:
    """Rate-limit key for second-factor attempts: the account waiting for its code."""
    pending = session.get(PENDING) or {}
    return f"2fa:{pending.get('user', request.remote_addr)}"


@bp.route("/two-factor", methods=["GET", "POST"])
@limiter.limit(ACCOUNT_LIMIT, key_func=pending_key, methods=["POST"])
def two_factor():
    """Finish logging in with a code from an authenticator app, or a recovery code."""
    user = _pending_user()
    if user is None:
        session.pop(PENDING, None)
        flash("Please log in again.")
        return redirect(url_for("account.login"))
    form = CodeForm()
    if request.method == "POST" and form.validate():
        if verify_second_factor(user, form.code.data):
            db.session.commit()
            start_session(user, second_factor=True)
            target = safe_next(request.args.get("next"))
            return redirect(target or url_for("account.dashboard"), code=303)
        db.session.rollback()
        form.code.errors.append("That code isn't right, or was already used.")
    status = 400 if request.method == "POST" else 200
    return render_template("account/two_factor.html", form=form), status


@bp.route("/two-factor/setup", methods=["GET", "POST"])
@login_required
def two_factor_setup():
    """Turn on a second factor: add the key to an authenticator app and confirm a code."""
    if current_user.totp_secret:
        flash("Your account already asks for an authenticator code.")
        return redirect(url_for("account.dashboard"))
    secret = session.get(SETUP) or new_secret()
    session[SETUP] = secret
    form = CodeForm()
    if request.method == "POST" and form.validate():
        if code_matches(secret, form.code.data) is not None:
            codes, digests = make_recovery_codes()
            current_user.totp_secret = secret
            current_user.recovery_codes = digests
            db.session.commit()
            session.pop(SETUP, None)
            # Shown once, on this response only (pages under /account are never cached).
            return render_template("account/recovery_codes.html", codes=codes)
        form.code.errors.append("That code isn't right: check the app's clock and try again.")
    status = 400 if request.method == "POST" else 200
    return render_template(
        "account/two_factor_setup.html", form=form, secret=secret,
        uri=provisioning_uri(current_user.email, secret),
    ), status  # fmt: skip


@bp.post("/logout")
def logout():
    """Log out, ending the server-side session."""
    end_session()
    flash("You're logged out.")
    return redirect(url_for("directory.index"), code=303)


@bp.get("/")
@login_required
def dashboard():
    """Show the practitioner's account, their profile's state and their licenses."""
    own = own_practitioner()
    on = today()
    counts = request_counts(own.id, on) if own is not None else (0, 0)
    return render_template("account/dashboard.html", own=own, today=on,
                           requests_today=counts[0], requests_30_days=counts[1])  # fmt: skip


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit(IP_LIMIT, methods=["POST"])
def change_password():
    """Change the password; every other session of the account ends."""
    form = ChangePasswordForm()
    form.account_email = current_user.email
    if request.method == "POST" and form.validate():
        if not check_password(current_user.password_hash, form.current.data):
            form.current.errors.append("That isn't your current password.")
        else:
            current_user.password_hash = hash_password(form.password.data, _hash_profile())
            current_user.password_changed_at = utcnow()
            db.session.commit()
            ended = end_other_sessions(current_user)
            flash(f"Your password is changed. {ended} other session(s) were logged out.")
            return redirect(url_for("account.dashboard"), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("account/password.html", form=form), status


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(IP_LIMIT, methods=["POST"])
@limiter.limit(ACCOUNT_LIMIT, key_func=account_key, methods=["POST"])
def reset_request():
    """Email a single-use password-reset link (if the address has an account)."""
    form = ResetRequestForm()
    if request.method == "POST" and form.validate():
        email = normalize_email(form.email.data)
        user = db.session.scalar(User.by_email(email))
        if user is not None:
            token = issue_token(user, "reset", timedelta(minutes=RESET_MINUTES))
            db.session.commit()
            link = external_url("account.reset", token=token)
            mail.send(
                mail.Message(
                    email,
                    "Reset your Fit Directory password",
                    f"Use this link within {RESET_MINUTES} minutes to choose a new password. "
                    f"It works once.\n\n{link}\n\nIf you didn't ask, ignore this message: "
                    "your password stays as it is.",
                )
            )
        return redirect(url_for("account.check_email"), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("account/reset_request.html", form=form), status


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(IP_LIMIT, methods=["POST"])
def reset(token: str):
    """Choose a new password from an emailed link; every session of the account ends."""
    record = redeem_token(token, "reset")
    if record is None:
        return render_template("account/link_invalid.html"), 400
    user = db.session.get(User, record.user_id)
    if user is None:
        abort(400)
    form = ResetForm()
    form.account_email = user.email
    if request.method == "POST" and form.validate():
        user.password_hash = hash_password(form.password.data, _hash_profile())
        user.password_changed_at = utcnow()
        # Following the link proves the address, too.
        user.email_verified_at = user.email_verified_at or utcnow()
        # Every link of the account stops working, not only this one.
        db.session.execute(
            update(EmailToken)
            .where(EmailToken.user_id == user.id, EmailToken.used_at.is_(None))
            .values(used_at=utcnow())
        )
        db.session.commit()
        end_other_sessions(user, keep_current=False)
        flash("Your password is changed. Log in with the new one.")
        return redirect(url_for("account.login"), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("account/reset.html", form=form), status
