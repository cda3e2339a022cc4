"""Form pieces shared by every form of the site: the base form, vocabulary choices and
checkbox lists."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto, _is_submitted
from markupsafe import Markup, escape
from werkzeug.datastructures import CombinedMultiDict
from wtforms import SelectChoice, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget, Select


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


@lru_cache(maxsize=4096)
def _option_html(value: str, label: str, selected: bool) -> Markup:
    if selected:
        return Markup('<option selected value="{}">{}</option>').format(value, label or value)
    return Markup('<option value="{}">{}</option>').format(value, label or value)


class CachedSelect(Select):
    """WTForms' select, with each plain option's markup made once per process.

    The search form renders three selects (one of 52 states) on every search page; building
    each option's attributes anew cost more than the rest of the form. The output is the same
    as ``Select``'s for options with no attributes of their own.
    """

    @classmethod
    def render_option(cls, choice: Any, **kwargs: Any) -> Markup:
        value = choice.value
        if kwargs or choice.render_kw or not isinstance(value, str):
            return Select.render_option(choice, **kwargs)
        return _option_html(value, str(choice.label or ""), bool(choice.selected))


_CHECKED = Markup(" checked")
_OPEN_LABEL = Markup("><span>")
_CLOSE_LABEL = Markup("</span></label>")
_COUNT_OPEN = Markup(' <span class="count">(')
_COUNT_CLOSE = Markup(")</span>")
_NEWLINE = Markup("\n")
_LABEL_FOR = Markup('<label class="check" for="{0}">')
_WITH_ID = _LABEL_FOR + Markup('<input type="{1}" id="{0}" name="{2}" value="{3}"')
_WITHOUT_ID = Markup('<label class="check"><input type="{}" name="{}" value="{}"')


@lru_cache(maxsize=256)
def _choice_parts(
    name: str, field_id: str, kind: str, with_ids: bool, choices: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, Markup, Markup], ...]:
    """Return each choice's value, its input's markup up to where ``checked`` may go, and its
    label's markup."""
    parts = []
    for value, label in choices:
        ident = f"{field_id}-{value}"
        if with_ids:
            before = _WITH_ID.format(ident, kind, name, value)
        else:
            before = _WITHOUT_ID.format(kind, name, value)
        parts.append((value, before, escape(label)))
    return tuple(parts)


def choice_inputs(
    field: Any, kind: str = "checkbox", counts: dict | None = None, with_ids: bool = True
) -> Markup:
    """Return a choice field's options as checkboxes or radio buttons, each in its label,
    with ``counts`` (value to number) after the labels when given.

    Made in Python rather than a template loop: a search page shows about fifty of them, and
    a loop in the template escaped every piece of every one on every request. A radio's blank
    choice ("Any") shows no count.
    """
    choices = tuple((str(c.value), str(c.label or "")) for c in field.choices)
    data = field.data
    chosen = {data or ""} if kind == "radio" else set(data or ())
    out: list[str] = []
    for value, before, label in _choice_parts(field.name, field.id, kind, with_ids, choices):
        if out:
            out.append(_NEWLINE)
        out.append(before)
        if value in chosen:
            out.append(_CHECKED)
        out.append(_OPEN_LABEL)
        out.append(label)
        if counts is not None and (value or kind != "radio"):
            out.extend((_COUNT_OPEN, str(int(counts.get(value, 0))), _COUNT_CLOSE))
        out.append(_CLOSE_LABEL)
    # One plain join: every piece is markup made above or the digits of a count, so there is
    # nothing left to escape (Markup's own join escapes each piece again).
    return Markup("".join(out))  # noqa: S704
