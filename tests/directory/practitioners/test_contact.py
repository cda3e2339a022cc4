"""Contact details (issue 12, item 1): chosen by the practitioner, checked, written one way, and
shown on the profile, in compare, in the kit and in the JSON."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from directory.core.records import RecordError, parse_record, profile_to_record
from tests.directory.account_helpers import login, registered
from tests.directory.practitioners.test_profile_edit import mine, save
from tests.factories import make_record

CONTACT = {
    "phone": "(614) 555-0123",
    "public_email": "Robin.Alder@Example.org",
    "website": "https://robin-alder.example.org/about",
    "booking_url": "https://booking.example.org/robin-alder",
    "contact_preferred": "booking_url",
    "contact_hours": "Weekdays 9-5",
}


def test_a_record_carries_contact_details_written_one_way():
    profile = parse_record(make_record(**CONTACT))
    assert profile.phone == "+16145550123"
    assert profile.public_email == "Robin.Alder@example.org"  # the domain in lower case
    assert profile.website == CONTACT["website"]
    assert profile_to_record(profile)["booking_url"] == CONTACT["booking_url"]
    assert parse_record(profile_to_record(profile)) == profile


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "555-0142", "not a valid phone number"),
        ("phone", "call me", "not a phone number"),
        ("public_email", "robin@", "not an email address"),
        ("website", "http://robin.example.org", "use an https:// address"),
        ("website", "javascript:alert(1)", "use an https:// address"),
        ("booking_url", "https://user:pw@booking.example.org/x", "user name, password or port"),
        ("booking_url", "https://localhost/x", "name a website"),
        ("website", "https://exa mple.org", "has no spaces"),
        ("contact_preferred", "phone", "give the phone detail"),
        ("contact_preferred", "pigeon", "unknown contact method"),
    ],
)
def test_bad_contact_details_are_refused_with_the_field_named(field, value, message):
    with pytest.raises(RecordError) as caught:
        parse_record(make_record(**{field: value}))
    assert any(f == field and message in m for f, m in caught.value.problems), caught.value


def test_the_profile_form_refuses_bad_links_with_a_400_and_keeps_the_typing(app, client):
    registered(app, client)
    login(client)
    save(client, **CONTACT)
    version = str(mine(app).version)
    r = save(client, version, phone="555-01", website="javascript:alert(1)",
             booking_url="http://booking.example.org/x")  # fmt: skip
    assert r.status_code == 400
    assert "Not a valid phone number: include the area code." in r.text
    # Beside each of the two fields, and in the summary at the top.
    assert r.text.count("Use an https:// address (a secure link).") == 4
    assert 'value="javascript:alert(1)"' in r.text  # kept, as text
    assert mine(app).website == CONTACT["website"]  # nothing saved, nothing lost


def test_contact_details_on_the_profile_compare_kit_and_json(app, client, add):
    add(make_record(name="Robin Alder", **CONTACT))
    add(make_record(name="Sam Quiet"))
    results = client.get("/api/v1/practitioners?per_page=100").json["results"]
    by_name = {item["name"]: item for item in results}
    assert by_name["Robin Alder"]["contact"] == {
        "phone": "+16145550123", "email": "Robin.Alder@example.org",
        "website": CONTACT["website"], "booking_url": CONTACT["booking_url"],
        "preferred": "booking_url", "hours": "Weekdays 9-5",
    }  # fmt: skip
    assert by_name["Sam Quiet"]["contact"] == {}  # absent keys when not given
    slug = by_name["Robin Alder"]["slug"]
    assert client.get(f"/api/v1/practitioners/{slug}").json["contact"]["phone"] == "+16145550123"
    page = client.get(f"/therapists/{slug}").text
    assert '<a href="tel:+16145550123">(614) 555-0123</a>' in page
    assert f'<a href="{CONTACT["website"]}" rel="nofollow noopener">' in page
    assert "Book online" in page and "(preferred)" in page and "Weekdays 9-5" in page
    quiet = client.get(f"/therapists/{by_name['Sam Quiet']['slug']}").text
    assert "No contact details given yet." in quiet
    from tests.matching.test_pages import shortlist

    shortlist(client, slug)
    shortlist(client, by_name["Sam Quiet"]["slug"])
    assert "(614) 555-0123" in client.get("/compare").text
    kit = client.get("/match/kit").text
    assert "How to reach them" in kit and "(614) 555-0123" in kit


def test_sample_contact_details_reach_no_one():
    from directory.samples import generate_records

    for record in generate_records(200):
        profile = parse_record(record)
        if profile.phone:
            assert profile.phone[5:10] == "55501", profile.phone  # +1 AAA 555-01xx
        assert not profile.public_email or profile.public_email.endswith("@example.org")
        for url in (profile.website, profile.booking_url):
            assert not url or urlsplit(url).hostname.endswith("example.org"), url
