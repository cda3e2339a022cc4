"""Forms for registering, logging in and managing passwords."""

from __future__ import annotations

from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from directory.accounts.passwords import MAX_LENGTH, password_problem
from directory.form_fields import SiteForm


class _NewPassword:
    """Checks a new password against the policy (length, common passwords, the email)."""

    def __call__(self, form: SiteForm, field: PasswordField) -> None:
        email = form.email.data if hasattr(form, "email") else getattr(form, "account_email", "")
        problem = password_problem(field.data or "", email or "")
        if problem:
            raise ValidationError(problem)


EMAIL_ATTRS = {"autocomplete": "email"}
EMAIL = [
    InputRequired("Enter your email address."),
    Length(max=254, message="That email address is too long."),
    Email("Enter an email address like name@example.org.", check_deliverability=False),
]


class RegistrationForm(SiteForm):
    """A practitioner signs up with an email and a password."""

    email = EmailField("Email", validators=EMAIL, render_kw=EMAIL_ATTRS)
    password = PasswordField(
        "Password",
        validators=[InputRequired("Choose a password."), _NewPassword()],
        description="At least 12 characters. A few unrelated words make a strong one.",
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Password again",
        render_kw={"autocomplete": "new-password"},
        validators=[InputRequired("Type the password again."),
                    EqualTo("password", "The two passwords don't match.")],
    )  # fmt: skip


class LoginForm(SiteForm):
    """Log in with an email and a password."""

    email = EmailField("Email", validators=EMAIL, render_kw=EMAIL_ATTRS)
    password = PasswordField(
        "Password",
        validators=[InputRequired("Enter your password."), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )


class ResetRequestForm(SiteForm):
    """Ask for a password-reset link."""

    email = EmailField("Email", validators=EMAIL, render_kw=EMAIL_ATTRS)


class ResetForm(SiteForm):
    """Choose a new password from a reset link."""

    account_email = ""
    password = PasswordField(
        "New password",
        validators=[InputRequired("Choose a password."), _NewPassword()],
        description="At least 12 characters. A few unrelated words make a strong one.",
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "New password again",
        render_kw={"autocomplete": "new-password"},
        validators=[InputRequired("Type the password again."),
                    EqualTo("password", "The two passwords don't match.")],
    )  # fmt: skip


class ChangePasswordForm(ResetForm):
    """Change the password while logged in (ends every other session)."""

    current = PasswordField(
        "Current password",
        validators=[InputRequired("Enter your current password."), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )


class CodeForm(SiteForm):
    """A six-digit authenticator code, or a recovery code."""

    code = StringField(
        "Code",
        validators=[InputRequired("Enter the code."), Length(max=20)],
        description="The 6-digit code from your authenticator app, or a recovery code.",
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
