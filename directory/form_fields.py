"""Form pieces shared by every form of the site: vocabulary choices and checkbox lists."""

from __future__ import annotations

from typing import Any

from wtforms import SelectChoice, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


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
