"""Shared fixtures: the real CLI over real stores: a DuckDB file in a temporary folder, and
for tests that take the ``backend`` fixture (the ``cli`` fixture does) also a fresh database
on a real PostgreSQL server (tests/pgserver.py). ``@pytest.mark.duckdb_only("why")`` keeps a
test to the file store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from blocwatch.cli import main

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BLOCWATCH_SHARED", REPO.parent / "shared"))
SEEDS = SHARED / "seeds"


def need_shared(*parts: str) -> Path:
    """A path inside ../shared, or skip the test with the reason."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present (shared data sits beside the repository)")
    return path


BACKENDS = ("duckdb", "postgres")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "duckdb_only(reason): a test of the DuckDB file store "
                            "only (not run on PostgreSQL)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test that takes ``backend`` (or ``cli``, ``store_url``) runs on both stores."""
    if "backend" in metafunc.fixturenames:
        only = metafunc.definition.get_closest_marker("duckdb_only")
        metafunc.parametrize("backend", ["duckdb"] if only else list(BACKENDS), indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "duckdb")


@pytest.fixture(scope="session")
def pg_server():
    from tests.pgserver import Server

    server = Server()
    yield server
    server.close()


@pytest.fixture
def pg_url(pg_server) -> str:
    """A fresh, empty database on the test server (skip with the reason without one)."""
    if not pg_server.url:
        pytest.skip(pg_server.reason)
    url = pg_server.database()
    yield url
    pg_server.drop(url)


@pytest.fixture
def store_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """Where a test's store lives: a DuckDB file, or a PostgreSQL database's URL."""
    if backend == "postgres":
        return request.getfixturevalue("pg_url")
    return str(tmp_path / "test.duckdb")


class Cli:
    """Runs `blocwatch` in-process (fast) against the test's store."""

    def __init__(self, db: Path | str):
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | bytes | None = None, db: bool = True):
        argv = list(args)
        if db:
            argv += ["--db", str(self.db)]
        return self.runner.invoke(main, argv, input=input, catch_exceptions=False)


@pytest.fixture
def cli(store_url: str) -> Cli:
    return Cli(store_url)


def run_module(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """Runs `python -m blocwatch` in a subprocess (real process, real exit status)."""
    return subprocess.run([sys.executable, "-m", "blocwatch", *args], capture_output=True,
                          text=True, **kwargs)
