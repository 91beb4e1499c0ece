"""The linters the project is held to, run as CI runs them: sqlfluff over every query under sql/
(configured by .sqlfluff at the root and in the folders that differ) and ruff over the Python code
(configured in pyproject.toml). Both come from the virtualenv running the tests (the lock pins them),
never from whatever is on PATH. No database is needed."""

import subprocess
import sys
from pathlib import Path

from .support import ROOT

BIN = Path(sys.executable).with_name


def _run(tool: str, *args: str) -> subprocess.CompletedProcess:
    exe = BIN(tool)
    assert exe.is_file(), f"{exe} is missing: install requirements/airflow.lock into this virtualenv"
    return subprocess.run(
        [str(exe), *args], check=False, cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_sql_passes_sqlfluff():
    result = _run("sqlfluff", "lint", "sql/", "--disable-progress-bar")
    assert result.returncode == 0, (
        "sqlfluff found problems under sql/ (fix dataset queries with `sqlfluff fix sql/<id>`; never edit a "
        f"migration, relax sql/migrations/.sqlfluff instead):\n{result.stdout}{result.stderr}"
    )


def test_python_passes_ruff():
    result = _run("ruff", "check", "--no-cache", "plugins", "dags", "samples", "bench", "tests")
    assert result.returncode == 0, f"ruff found problems:\n{result.stdout}{result.stderr}"
