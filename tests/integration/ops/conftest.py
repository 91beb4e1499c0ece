"""Fixtures of the operations tests: a warehouse of their own, an SMTP server that keeps what it gets."""
import os
import subprocess
from pathlib import Path

import pytest

from ...support import BIN, ROOT, throwaway_warehouse, unique_name


@pytest.fixture
def ops_warehouse(monkeypatch, tmp_path):
    """An empty, migrated warehouse; yields its connection URL (also set as AIRFLOW_CONN_WAREHOUSE)."""
    monkeypatch.setenv("SATUDATA_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("SATUDATA_REPORTS_DIR", raising=False)
    monkeypatch.delenv("SATUDATA_LANDING_DIR", raising=False)
    with throwaway_warehouse(unique_name("ops"), reference=False) as url:
        yield url


class AirflowHome:
    """An Airflow of the test's own: sqlite metadata database, its own home, dags folder and logs."""

    def __init__(self, root: Path, dags_folder: Path, **extra: str):
        self.root, self.dags_folder, self.extra = root, dags_folder, extra
        self.home = root / "airflow"

    def env(self, **extra: str) -> dict[str, str]:
        return os.environ | {
            "AIRFLOW_HOME": str(self.home), "AIRFLOW__CORE__DAGS_FOLDER": str(self.dags_folder),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False", "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor", "SATUDATA_HOME": str(ROOT),
            "SATUDATA_SMTP_CONN_ID": "satudata_test_no_such_connection", **self.extra, **extra}

    def run(self, *args: str, timeout: int = 300, program: str = "airflow", **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(BIN / program), *args], env=self.env(**extra), capture_output=True, check=False,
                              text=True, timeout=timeout)


def make_airflow(root: Path, dags_folder: Path, **extra: str) -> AirflowHome:
    airflow = AirflowHome(root, dags_folder, **extra)
    airflow.home.mkdir(parents=True)
    done = airflow.run("db", "migrate")
    assert done.returncode == 0, done.stderr[-2000:]
    return airflow
