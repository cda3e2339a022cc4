"""Markup typed into any text field is shown as text: curated payloads and generated ones.

Each payload is put into every text field of a profile at once, the profile page and a search
result page are rendered, and the HTML is parsed back: no element the page doesn't normally
have, no on* attribute, no javascript: URL.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser

from flask import render_template
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.browse.services import describe
from directory.browse.views import search_url
from directory.core.profile import license_status
from directory.core.records import parse_record
from directory.practitioners.models import Practitioner
from directory.search import Hit, SearchParams, SearchResult
from tests.factories import make_record

TEXT_FIELDS = ("name", "pronouns", "credentials", "headline", "bio", "gender_identity",
               "cultural_background", "faith", "city")  # fmt: skip

CURATED = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>",
    '"><script>alert(1)</script>', "'><img src=x onerror=alert(1)>", "javascript:alert(1)",
    "<a href=javascript:alert(1)>x</a>", "<iframe src=//evil.example></iframe>",
    "<body onload=alert(1)>", "<math><mi xlink:href=javascript:alert(1)>", "{{ 7*7 }}",
    "{% raw %}x{% endraw %}", "<style>*{display:none}</style>", "<meta http-equiv=refresh>",
    "&lt;script&gt;", "&#60;script&#62;", "<<script>script>alert(1)<</script>/script>",
    "<details open ontoggle=alert(1)>", "<input autofocus onfocus=alert(1)>",
    "<object data=javascript:alert(1)>", "<base href=//evil.example/>", "\" onmouseover=\"x",
    "' onmouseover='x", "`${alert(1)}`", "<form action=//evil.example><button>go</button>",
    "<x-inj></x-inj>", "<!-- comment -->", "<![CDATA[<script>]]>", "\u2028<script>",
]  # fmt: skip


class Collector(HTMLParser):
    """Collects tags and attributes of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.bad.append(f"{tag} {name}")
            url = name in ("href", "src", "action", "formaction", "xlink:href", "data")
            if url and value and value.strip().lower().startswith(("javascript:", "data:text")):
                self.bad.append(f"{tag} {name}={value}")


def parse(html: str) -> Collector:
    collector = Collector()
    collector.feed(html)
    return collector


def practitioner_with(text: str) -> Practitioner:
    base = parse_record(make_record())
    profile = replace(base, **{f: (text[:2000] if f == "bio" else text[:200] or "x")
                               for f in TEXT_FIELDS})  # fmt: skip
    p = Practitioner()
    p.apply_profile(base)
    p.id, p.slug = 1, "someone-123abc"
    for field in TEXT_FIELDS:
        setattr(p, field, getattr(profile, field))
    return p


def render_pages(app, text: str) -> list[str]:
    p = practitioner_with(text)
    with app.test_request_context("/therapists?q=x"):
        view = describe(p)
        profile_html = render_template("directory/profile.html", view=view, p=p,
                                       license_status=license_status)  # fmt: skip
        params = SearchParams(q="x")
        hit = Hit(1, 1.0, (((text, False), ("critic", True), (text, False)),))
        result = SearchResult(params=params, total=1, hits=(hit,), facets={},
                              suggestion=text, relaxations=())  # fmt: skip
        from directory.browse.forms import SearchForm

        search_html = render_template(
            "directory/search.html", form=SearchForm(formdata=None, q=text), result=result,
            practitioners=[p], hits={1: hit}, search_url=search_url, today=date(2026, 11, 1),
            radius_choices=(5, 10, 25, 50, 100), facet_names={},
        )  # fmt: skip
    return [profile_html, search_html]


def check(app, text: str, baseline: list[set[str]]) -> None:
    for html, allowed in zip(render_pages(app, text), baseline, strict=True):
        found = parse(html)
        assert not found.bad, (text, found.bad)
        extra = found.tags - allowed
        assert not extra, (text, extra)


def baseline(app) -> list[set[str]]:
    return [parse(html).tags for html in render_pages(app, "plain words")]


def curated_payloads(count: int = 1000) -> list[str]:
    """Return the curated payloads and mutations of them (case, wrapping, joining) to count."""
    rng = random.Random(7)
    payloads = list(CURATED)
    while len(payloads) < count:
        a, b = rng.choice(CURATED), rng.choice(CURATED)
        payloads.append(
            rng.choice(
                [
                    a.upper(),
                    f"x{a}y",
                    a + b,
                    a.replace(">", " >"),
                    a.replace("<", "<\n"),
                    f"{a}{a}",
                    a.replace("=", " = "),
                ]
            )
        )
    return payloads


def test_curated_payloads_through_the_site(app, client, add):
    """Each payload is saved into every text field, then read back through real responses."""
    from sqlalchemy import select

    from directory.extensions import db

    add(make_record(name="Fuzz Target"))
    with app.app_context():
        slug = db.session.scalar(select(Practitioner.slug))
    pages = {"/therapists/" + slug: None, "/therapists?q=critic": None}
    for path in pages:
        pages[path] = parse(client.get(path).text).tags  # the tags each page normally has
    for text in curated_payloads():
        with app.app_context():
            p = db.session.scalar(select(Practitioner))
            for field in TEXT_FIELDS:
                value = f"critic {text}" if field == "bio" else text
                length = Practitioner.__table__.c[field].type.length or 2000  # the column's own
                setattr(p, field, value[:length])
            db.session.commit()
        for path, allowed in pages.items():
            r = client.get(path)
            assert r.status_code < 500, (text, path)
            found = parse(r.text)
            assert not found.bad, (text, path, found.bad)
            assert not found.tags - allowed, (text, path, found.tags - allowed)
        data = client.get(f"/api/v1/practitioners/{slug}").json
        assert (
            data["headline"] == text[: Practitioner.__table__.c.headline.type.length]
        )  # JSON carries the text as data, unchanged


@settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=st.sampled_from(list("<>\"'&/=:;() abcjsvgonerptxilmf`{}%!-\n")),
               min_size=1, max_size=60))  # fmt: skip
def test_generated_text_in_every_text_field(app, text):
    check(app, text, baseline(app))
