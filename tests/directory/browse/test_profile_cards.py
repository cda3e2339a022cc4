"""A profile page, its JSON and the compare page from the index's features (issue 15): one
plain query for the row's id, version and owner, no ORM objects with their collections, and
the same page as the database would make; the database wherever the features are behind."""

import re

from sqlalchemy import select, text

from directory.accounts.models import User
from directory.extensions import db
from directory.practitioners.models import Practitioner
from directory.search import featurefiles, sync
from tests.apps import sql_statements
from tests.factories import make_record

COLLECTIONS = r"\b(license|approach_training|compact_authority)\b"


def _same(page: str) -> str:
    # What differs between two renderings of one page: the CSRF token and the script nonce.
    return re.sub(r'(nonce|value)="[^"]*"', "", page)


def _slugs(app):
    with app.app_context():
        return list(db.session.scalars(select(Practitioner.slug).order_by(Practitioner.name)))


def test_a_profile_and_its_comparison_are_read_from_the_features_as_the_database_says(
    app, client, add
):
    add(make_record(name="Ann Able", bio="Grief, gently.", pronouns="she/her",
                    accepting_confirmed_on="2026-10-01", sliding_scale_min=60),
        make_record(name="Bo Baker", in_person=False, waitlist=True))  # fmt: skip
    ann, bo = _slugs(app)
    client.get("/therapists")  # the features are mapped

    def pages():
        page, api = client.get(f"/therapists/{ann}"), client.get(f"/api/v1/practitioners/{bo}")
        return page.text, api.json, client.get(f"/compare?p={ann}&p={bo}").text

    from_features, statements = sql_statements(app, pages)
    assert "Grief, gently." in from_features[0] and from_features[1]["name"] == "Bo Baker"
    assert not [s for s in statements if re.search(COLLECTIONS, s)]
    assert len([s for s in statements if re.search(r"\bpractitioner\b", s)]) == 3  # one each
    (sync.search_index(app).current_dir() / "features" / featurefiles.OVERLAY).unlink()
    from_database, statements = sql_statements(app, pages)
    assert [s for s in statements if re.search(COLLECTIONS, s)]  # this time from the database
    assert _same(from_features[0]) == _same(from_database[0])
    assert from_features[1] == from_database[1]
    assert _same(from_features[2]) == _same(from_database[2])


def test_a_save_the_features_have_not_followed_is_shown_from_the_database(app, client, add):
    add(make_record(name="Ann Able", headline="Steady help"))
    (slug,) = _slugs(app)
    assert "Steady help" in client.get(f"/therapists/{slug}").text
    with app.app_context():
        # As another server's save this one has not followed yet: no outbox row here.
        db.session.execute(text("UPDATE practitioner SET headline = 'Brand new', "
                                "credentials = 'Newly LCSW', version = version + 1"))  # fmt: skip
        db.session.commit()
    assert "Brand new" in client.get(f"/therapists/{slug}").text
    assert client.get(f"/api/v1/practitioners/{slug}").json["headline"] == "Brand new"
    assert "Newly LCSW" in client.get(f"/compare?p={slug}").text


def test_a_new_owner_is_read_from_the_row_and_an_unpublished_profile_is_gone(app, client, add):
    add(make_record(name="Ann Able", sample=False))
    (slug,) = _slugs(app)
    request_link = "Request a consultation</a>"
    assert request_link not in client.get(f"/therapists/{slug}").text  # no one to deliver to
    with app.app_context():
        user = User(email="ann@example.org", password_hash="x")
        db.session.add(user)
        db.session.flush()
        # A claim approved: the owner changes with no new version of the profile.
        db.session.execute(text("UPDATE practitioner SET owner_id = :u"), {"u": user.id})
        db.session.commit()
    assert request_link in client.get(f"/therapists/{slug}").text
    with app.app_context():
        db.session.execute(text("UPDATE practitioner SET published = false"))
        db.session.commit()
    assert client.get(f"/therapists/{slug}").status_code == 404
    assert client.get(f"/api/v1/practitioners/{slug}").status_code == 404
    assert client.get(f"/compare?p={slug}").status_code == 404
