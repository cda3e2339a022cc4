"""Form pieces shared by every form of the site: the base form, vocabulary choices and
checkbox lists."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto, _is_submitted
from werkzeug.datastructures import CombinedMultiDict
from wtforms import SelectChoice, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class SiteForm(FlaskForm):
    """A form of the site's pages, filled from the submitted form (or the query string) only.

    Flask-WTF also fills a form from a JSON body; a page's form never sends one, and a body
    such as ``false`` or ``[1]`` made it raise instead of showing the form's errors.
    """

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            if formdata is not _Auto:
                return formdata
            if not _is_submitted():
                return None
            if request.files:
                return CombinedMultiDict((request.files, request.form))
            return request.form


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes (usable without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def vocab_choices(items: dict[str, Any], blank: str | None = None) -> list[SelectChoice]:
    """Return select choices for a vocabulary: terms, plain names, or (name, ...) tuples."""
    out = [SelectChoice("", blank)] if blank is not None else []
    for key, term in items.items():
        if isinstance(term, tuple):
            term = term[0]
        out.append(SelectChoice(key, term if isinstance(term, str) else term.name))
    return out
