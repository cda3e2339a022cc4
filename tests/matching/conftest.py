"""A directory holding the 1,000 fictional samples, shared by the read-only matching tests."""

import pytest

from tests.apps import make_app


@pytest.fixture(scope="module")
def sample_app(tmp_path_factory, search_backend):
    with make_app(tmp_path_factory.mktemp("samples"), samples=True,
                  SEARCH_BACKEND=search_backend) as app:  # fmt: skip
        yield app


@pytest.fixture
def api(sample_app):
    client = sample_app.test_client()

    def match(**answers):
        r = client.post("/api/v1/match", json=answers)
        assert r.status_code == 200, r.json
        return r.json

    return match
