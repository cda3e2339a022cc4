"""A profile's fields are declared once (``Profile``); every other reader agrees with it."""

from __future__ import annotations

from dataclasses import fields

from sqlalchemy import JSON, Boolean, Date, Integer, String, Text

from directory.browse.serialize import DETAIL_FIELDS, PRIVATE, RESHAPED, SUMMARY_FIELDS
from directory.core.profile import (
    CHILD_FIELDS,
    LICENSE_FIELDS,
    LIST_FIELDS,
    RECORD_FIELDS,
    SCALAR_FIELDS,
    SPECS,
    License,
    Profile,
)
from directory.core.records import parse_record, profile_to_record
from directory.extensions import db
from directory.practitioners import forms
from directory.practitioners.models import License as LicenseRow
from directory.practitioners.models import Practitioner
from tests.factories import authority, make_record

# Columns of a practitioner row that are not profile fields, each for its own reason.
BOOKKEEPING = {"id", "version", "slug", "latitude", "longitude", "owner_id", "created_at",
               "updated_at", "admin_hold", "accepting_reminded_for"}  # fmt: skip
COLUMN_TYPES = {"text": (String, Text), "choice": (String,), "flag": (Boolean,),
                "maybe_flag": (Boolean,), "number": (Integer,), "day": (Date,),
                "keys": (JSON,)}  # fmt: skip


def test_every_record_field_is_a_column_of_the_kind_its_spec_says():
    columns = Practitioner.__table__.c
    assert set(columns.keys()) == set(SCALAR_FIELDS) | set(LIST_FIELDS) | BOOKKEEPING
    for name in (*SCALAR_FIELDS, *LIST_FIELDS):
        kind = SPECS[name].kind
        assert isinstance(columns[name].type, COLUMN_TYPES[kind]), (name, columns[name].type)
        length = getattr(columns[name].type, "length", None)
        if SPECS[name].kind == "text" and length is not None:  # Text has no length
            assert length >= SPECS[name].max_len, name


def test_every_field_is_scalar_listed_or_a_child_exactly_once():
    groups = [*SCALAR_FIELDS, *LIST_FIELDS, *CHILD_FIELDS]
    assert sorted(groups) == sorted(RECORD_FIELDS)
    assert RECORD_FIELDS == tuple(f.name for f in fields(Profile) if f.name != "slug")


def test_license_rows_hold_every_license_fact():
    assert set(LICENSE_FIELDS) == {f.name for f in fields(License)}
    assert set(LICENSE_FIELDS) <= set(LicenseRow.__table__.c.keys())


def test_the_profile_form_edits_every_field_or_works_it_out():
    form_fields = {name for name, value in vars(forms.ProfileForm).items()
                   if hasattr(value, "field_class")}  # fmt: skip
    for name in RECORD_FIELDS:
        assert name in form_fields or name in forms.SET_BY_FORM, name
    assert forms.SET_BY_FORM <= set(RECORD_FIELDS)
    assert forms.BLANK_IS_ZERO <= {n for n, s in SPECS.items() if s.kind == "number"}


def test_the_json_shows_every_field_or_says_why_not():
    shown = {*SUMMARY_FIELDS, *DETAIL_FIELDS, *RESHAPED, *PRIVATE}
    assert shown == set(RECORD_FIELDS)
    assert not set(SUMMARY_FIELDS) & set(DETAIL_FIELDS)


def test_the_whole_json_has_each_field_under_its_own_or_reshaped_name(client, add):
    record = make_record()
    add(record)
    slug = client.get("/api/v1/practitioners").json["results"][0]["slug"]
    data = client.get(f"/api/v1/practitioners/{slug}").json
    for name in RECORD_FIELDS:
        if name in PRIVATE:
            assert name not in data, name
        else:
            assert RESHAPED.get(name, name) in data, name
    for name in (*SUMMARY_FIELDS, *DETAIL_FIELDS):
        assert data[name] == profile_to_record(parse_record(record))[name], name


def test_a_profile_survives_the_database_whole(app, add):
    # Every field away from its default, so a column left out of a conversion would show.
    record = make_record(
        pronouns="she/her", gender_identity="Woman", cultural_background="Irish American",
        faith="Quaker", lgbtq=False, home_state="PA", accommodations=["captioning"],
        authorities=[authority("counseling_privilege", "AZ", status="pending", verified_on=None)],
        years_in_practice=12, style=2, ce_hours_2y=10, typical_course_weeks=30, fee=150,
        sliding_scale_min=None, languages=["en", "fr"], weekend_hours=True, published=True,
    )  # fmt: skip
    add(record)
    with app.app_context():
        row = db.session.scalar(db.select(Practitioner))
        assert row.to_profile() == parse_record(record)
