"""Shared fixtures: the real CLI over real DuckDB files in a temporary folder."""

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


class Cli:
    """Runs `blocwatch` in-process (fast) against a DuckDB file in tmp_path."""

    def __init__(self, db: Path):
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | bytes | None = None, db: bool = True):
        argv = list(args)
        if db:
            argv += ["--db", str(self.db)]
        return self.runner.invoke(main, argv, input=input, catch_exceptions=False)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "test.duckdb")


def run_module(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """Runs `python -m blocwatch` in a subprocess (real process, real exit status)."""
    return subprocess.run([sys.executable, "-m", "blocwatch", *args], capture_output=True,
                          text=True, **kwargs)
