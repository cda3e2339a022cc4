"""Configuration and the first-run setup."""

import json
from pathlib import Path

import pytest

from app import create_app
from directory.extensions import db
from directory.practitioners.models import Practitioner
from directory.search import sync
from tests.factories import make_record


def test_refuses_the_development_secret_key_outside_debug_and_testing(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/a.db", "SECRET_KEY": "dev"}
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config)
    assert create_app({**config, "TESTING": True}).testing


def test_environment_variables_configure_database_index_and_key(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    monkeypatch.setenv("SEARCH_INDEX_DIR", str(tmp_path / "env-index"))
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.db")
    assert app.config["SEARCH_INDEX_DIR"] == str(tmp_path / "env-index")
    assert app.config["SECRET_KEY"] == "from-the-environment"


def test_setup_migrates_loads_samples_once_and_builds_the_index(tmp_path):
    sample = tmp_path / "samples.json"
    sample.write_text(json.dumps([make_record(name="Sample A"), make_record(name="Sample B")]))
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.db'}",
            "SEARCH_INDEX_DIR": str(tmp_path / "fresh-index"),
            "SAMPLE_DATA": str(sample),
        }
    )
    runner = app.test_cli_runner()
    first = runner.invoke(args=["directory", "setup"])
    assert first.exit_code == 0, first.output
    assert "Loaded 2 fictional sample practitioners" in first.output
    assert "Built the search index (2" in first.output
    second = runner.invoke(args=["directory", "setup"])
    assert second.exit_code == 0 and "holds 2 practitioners" in second.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Practitioner.id))) == 2
    assert sync.verify(app).ok
    assert app.test_client().get("/api/v1/practitioners").json["total"] == 2
    app.extensions["search_index"].close()


def test_migrations_match_the_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from directory.extensions import modelled

    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": modelled})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_several_workers_are_refused_unless_rate_limits_are_shared(monkeypatch):
    import runpy
    from types import SimpleNamespace

    from app import configured, refuse_unshared_rate_limits

    monkeypatch.setenv("SECRET_KEY", "a-deployers-secret-key")
    hook = runpy.run_path(str(Path(__file__).parents[2] / "gunicorn.conf.py"))["on_starting"]
    with pytest.raises(SystemExit, match="multiplying every limit by the number of workers"):
        hook(SimpleNamespace(cfg=SimpleNamespace(workers=2)))
    hook(SimpleNamespace(cfg=SimpleNamespace(workers=1)))  # one worker counts for all
    config = dict(configured().config)
    refuse_unshared_rate_limits(4, {**config, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379"})
    refuse_unshared_rate_limits(4, {**config, "RATELIMIT_ENABLED": False})
