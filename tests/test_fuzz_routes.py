"""Every route, fuzzed as a visitor, a practitioner and an administrator: never a 5xx.

Each example picks a role, a route of ``app.url_map`` and a method it answers, fills the
route's variables, and sends hostile query strings, forms, JSON or raw bodies and headers
(with the client's real CSRF token half of the time, so forms get past it and into the
views). The database and index persist between examples, as on a real site.
"""

from __future__ import annotations

import random
import re
from urllib.parse import quote

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from directory.core.records import parse_record
from directory.extensions import db
from directory.practitioners.importer import import_profiles
from directory.practitioners.models import Practitioner
from tests.apps import make_app
from tests.directory.account_helpers import (
    ADMIN,
    ADMIN_PASSWORD,
    admin_client,
    csrf,
    login,
    registered,
)
from tests.directory.practitioners.test_profile_edit import save
from tests.factories import make_record

HOSTILE = [
    "", " ", "\x00", "%00", "-1", "0", "1", "2147483648", "9223372036854775808", "1e309", "NaN",
    "-Infinity", "../../etc/passwd", "<script>alert(1)</script>", "' OR 1=1 --", "a" * 5000,
    "\u202e\u0000\ufeff", "AND NOT", "(((", "*", "?", "\\", "OH", "ZZ", "43215", "00000", "en",
    "y", "on", "true", "2026-02-30", "9999-12-31", "http://evil.example/", "//evil.example",
    "attachment AND NOT somatic", "psychologist", "licenses", "save", "preview", "publish",
]  # fmt: skip
# Query and form names the site reads, and a few it doesn't.
KNOWN_NAMES = {"q", "page", "sort", "next", "zip", "state", "radius", "language", "license",
               "format", "insurance", "approach", "fee", "max_fee", "accepting", "slug", "action",
               "reason", "version", "email", "password", "confirm", "code", "token", "style",
               "listed", "order", "number", "kind", "licenses-0-kind", "licenses-0-state",
               "licenses-0-number", "licenses-0-expires_on", "authorities-0-kind",
               "authorities-0-state", "licenses-99-kind", "x", "__proto__"}  # fmt: skip


def _form_names() -> list[str]:
    names = set(KNOWN_NAMES)
    stack = list(FlaskForm.__subclasses__())
    while stack:
        form = stack.pop()
        stack.extend(form.__subclasses__())
        names.update(name for name, _ in getattr(form, "_unbound_fields", None) or ())
    return sorted(names)


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
VALUES = st.one_of(st.sampled_from(HOSTILE), TEXT, st.integers().map(str))
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT | st.sampled_from(HOSTILE),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(sorted(KNOWN_NAMES)) | TEXT, inner, max_size=6)
    ),
    max_leaves=12,
)
HEADERS = st.dictionaries(
    st.sampled_from(
        [
            "User-Agent",
            "Accept",
            "Accept-Language",
            "Referer",
            "X-Forwarded-For",
            "X-Requested-With",
            "If-Modified-Since",
            "Range",
            "Origin",
        ]
    ),
    st.sampled_from(HOSTILE).map(lambda v: v.replace("\x00", "").replace("\n", "")[:200]),
    max_size=3,
)
# Ending the session would turn the roles' clients into visitors for every later example;
# a visitor fuzzes logout instead (and each role logs out once, at the end).
SESSION_ENDING = {"account.logout"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    with make_app(folder) as app:
        with app.app_context():
            import_profiles(db.session, [parse_record(make_record(name=f"Fuzz Target {n}"))
                                         for n in range(3)])  # fmt: skip
            db.session.commit()
        practitioner = app.test_client()
        registered(app, practitioner)
        login(practitioner)
        assert save(practitioner).status_code == 303
        result = app.test_cli_runner().invoke(
            args=["directory", "create-admin", ADMIN, "--password", ADMIN_PASSWORD]
        )
        secret = re.search(r"^  ([A-Z2-7]{32})$", result.output, re.M).group(1)
        clients = {"visitor": app.test_client(), "practitioner": practitioner,
                   "administrator": admin_client(app, secret)}  # fmt: skip
        tokens = {role: csrf(client, "/account/login") for role, client in clients.items()}
        with app.app_context():
            slugs = list(db.session.scalars(select(Practitioner.slug)))
        rules = sorted(
            (rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"),
            key=lambda rule: rule.rule,
        )
        yield app, clients, tokens, slugs, rules


def _fill(rule: str, draw, slugs: list[str]) -> str:
    def value(match: re.Match) -> str:
        spec = match.group(1)
        if spec.startswith("any("):
            choice = draw(st.sampled_from(["licenses", "authorities", "claims", "x"]))
        elif spec.startswith("int"):
            choice = str(draw(st.sampled_from([0, 1, 2, 3, 2147483647, 2147483648, 2**63, -1])))
        elif spec.endswith("slug"):
            choice = draw(st.sampled_from(slugs) | VALUES)
        else:
            choice = draw(VALUES)
        return quote(choice, safe="") or "x"

    return re.sub(r"<([^>]+)>", value, rule)


@st.composite
def requests(draw, slugs, rules, names):
    rule = draw(st.sampled_from(rules))
    role = draw(st.sampled_from(["visitor", "practitioner", "administrator"]))
    methods = sorted(rule.methods - {"OPTIONS"})
    method = draw(st.sampled_from(methods))
    if rule.endpoint in SESSION_ENDING and role != "visitor":
        role = "visitor"
    path = _fill(rule.rule, draw, slugs)
    query = draw(st.dictionaries(st.sampled_from(names), VALUES, max_size=4))
    kind = draw(st.sampled_from(["form", "json", "raw", "none"]))
    body: dict = {}
    if method not in ("GET", "HEAD"):
        if kind == "form":
            body["data"] = draw(
                st.dictionaries(
                    st.sampled_from(names), VALUES | st.lists(VALUES, max_size=3), max_size=8
                )
            )
        elif kind == "json":
            body["json"] = draw(JSON)
        elif kind == "raw":
            body["data"] = draw(st.binary(max_size=200))
            body["content_type"] = draw(
                st.sampled_from(
                    [
                        "application/json",
                        "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x",
                        "text/plain",
                        "application/octet-stream",
                    ]
                )
            )
    with_token = draw(st.booleans())
    headers = draw(HEADERS)
    return role, method, path, query, body, with_token, headers


def _send(clients, tokens, request):
    role, method, path, query, body, with_token, headers = request
    if with_token:
        if isinstance(body.get("data"), dict):
            body["data"] = {**body["data"], "csrf_token": tokens[role]}
        headers = {**headers, "X-CSRFToken": tokens[role]}
    return clients[role].open(path, method=method, query_string=query, headers=headers, **body)


def test_no_route_answers_5xx_to_hostile_requests(site):
    app, clients, tokens, slugs, rules = site
    names = _form_names()

    @settings(max_examples=4000, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(requests(slugs, rules, names))
    def fuzz(request):
        # Hypothesis starts every example from the same state of the global ``random``, from
        # which Whoosh draws new segments' names: the index would reuse, and overwrite, one.
        random.seed()
        response = _send(clients, tokens, request)
        assert response.status_code < 500, (request, response.status_code, response.text[:300])

    fuzz()
    # The session-ending routes, as each role, last.
    for role, client in clients.items():
        r = client.post("/account/logout", data={"csrf_token": tokens[role]})
        assert r.status_code < 500
