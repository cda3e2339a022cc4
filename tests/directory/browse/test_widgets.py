"""The search form's fast renderers say what WTForms' own widgets and the old template said."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectChoice, SelectField, SelectMultipleField
from wtforms.widgets import Select

from directory.browse.forms import SearchForm
from directory.browse.views import marked_filter
from directory.form_fields import CachedSelect, choice_inputs

NASTY = '"><script>alert(1)</script>&amp;'


def test_the_cached_select_renders_what_wtforms_select_renders(app):
    with app.test_request_context():
        for args in ({}, {"state": "OH"}, {"state": "ZZ"}, {"insurance": "aetna", "sort": "fee"}):
            form = SearchForm(MultiDict(args))
            for name in ("state", "insurance", "sort"):
                field = form[name]
                assert isinstance(field.widget, CachedSelect)
                assert field() == Select()(field), (name, args)
                assert field(class_="x") == Select()(field, class_="x")


class Nasty(Form):
    pick = SelectField(choices=[SelectChoice("", "Any"), SelectChoice(NASTY, NASTY),
                                SelectChoice("b", "B <b>")])  # fmt: skip
    many = SelectMultipleField(choices=[SelectChoice(NASTY, NASTY), SelectChoice("b", "B")])


def test_a_choice_value_or_label_is_escaped_everywhere():
    form = Nasty(MultiDict([("pick", NASTY), ("many", NASTY), ("many", "b")]))
    assert CachedSelect()(form.pick) == Select()(form.pick)
    for html in (
        choice_inputs(form.many, "checkbox", {NASTY: 3}),
        choice_inputs(form.pick, "radio", {NASTY: 1}, with_ids=False),
        CachedSelect()(form.pick),
    ):
        assert "<script>" not in html and "&#34;&gt;&lt;script&gt;" in html
    boxes = choice_inputs(form.many, "checkbox", {NASTY: 3})
    assert boxes.count(" checked>") == 2 and '<span class="count">(3)</span>' in boxes
    assert '<span class="count">(0)</span>' in boxes  # a value without a count shows 0


def test_radios_count_every_value_but_the_blank_one():
    form = Nasty(MultiDict([("pick", "b")]))
    radios = choice_inputs(form.pick, "radio", {"b": 7}, with_ids=False)
    lines = radios.splitlines()
    assert len(lines) == 3 and "count" not in lines[0] and lines[2].count("(7)") == 1
    assert ' value="b" checked>' in lines[2] and "checked" not in lines[0] + lines[1]
    assert "count" not in choice_inputs(form.pick, "radio", None, with_ids=False)


def test_highlights_mark_the_matched_words_and_escape_the_rest():
    fragments = (((NASTY, False), ("grief", True)), (("and ", False), ("loss", True)))
    html = marked_filter(fragments)
    assert html == (
        "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;<mark>grief</mark> and "
        "<mark>loss</mark>"
    )
    assert marked_filter(()) == ""
