"""Secrets stay out of task logs: a task that logs its connection's password leaves only *** on disk.

The task runs the way a worker runs it (the executor's supervisor, talking to a real API server),
so the log files under AIRFLOW_HOME/logs are exactly what the Airflow UI would show.
"""
import os
import signal
import subprocess
import textwrap
import time
from pathlib import Path

import pytest
import requests

from ...support import BIN, free_port
from .conftest import make_airflow

pytestmark = pytest.mark.integration
PASSWORD = "Sangat-Rahasia-7Q"

DAG = textwrap.dedent('''
    import logging
    from datetime import datetime, timezone

    from airflow.sdk import dag, task

    from satudata.dag_factory import default_args

    log = logging.getLogger(__name__)


    @dag(dag_id="rahasia_percobaan", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
         catchup=False, default_args=default_args("walidata") | {"retries": 0}, tags=["test"])
    def rahasia_percobaan():
        @task
        def baca_sumber():
            from satudata.connections import get_connection, psycopg_connect, sqlalchemy_url

            conn = get_connection("dinas_rahasia")
            log.info("login %s password %s", conn.login, conn.password)
            print("url", sqlalchemy_url("dinas_rahasia"))
            psycopg_connect("dinas_rahasia", connect_timeout=3)   # fails: nothing listens there

        baca_sumber()


    rahasia_percobaan()
''')


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def worker_like_run(tmp_path):
    dags = tmp_path / "dags"
    dags.mkdir()
    (dags / "rahasia_percobaan.py").write_text(DAG, encoding="utf-8")
    airflow = make_airflow(tmp_path, dags)
    port = free_port()
    env = airflow.env(AIRFLOW_CONN_DINAS_RAHASIA=f"postgres://pembaca:{PASSWORD}@127.0.0.1:1/dinas",
                      AIRFLOW__CORE__EXECUTION_API_SERVER_URL=f"http://127.0.0.1:{port}/execution/",
                      AIRFLOW__CORE__PARALLELISM="2")
    out = tmp_path / "dags-test.out"
    with open(tmp_path / "api.out", "w") as api_out, open(out, "w") as run_out:
        api = subprocess.Popen([str(BIN / "airflow"), "api-server", "--port", str(port), "--workers", "1"],
                               env=env, stdout=api_out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            for _ in range(90):
                try:
                    if requests.get(f"http://127.0.0.1:{port}/api/v2/version", timeout=2).ok:
                        break
                except requests.ConnectionError:
                    pass
                time.sleep(1)
            run = subprocess.Popen([str(BIN / "airflow"), "dags", "test", "rahasia_percobaan", "2025-01-01",
                                    "--use-executor"], env=env, stdout=run_out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
            try:
                for _ in range(180):   # the executor may linger after the run ends: stop at "DagRun Finished"
                    if "DagRun Finished" in out.read_text(errors="replace") or run.poll() is not None:
                        break
                    time.sleep(1)
            finally:
                _stop(run)
        finally:
            _stop(api)
    yield airflow.home / "logs", out.read_text(errors="replace")


def test_task_logs_hold_no_password(worker_like_run):
    logs, console = worker_like_run
    assert "DagRun Finished" in console and "state=failed" in console, console[-3000:]
    files = [p for p in Path(logs).rglob("*") if p.is_file()]
    task_logs = [p for p in files if "task_id=baca_sumber" in str(p)]
    assert task_logs, files
    text = "\n".join(p.read_text(errors="replace") for p in files)
    assert PASSWORD not in text
    assert "login pembaca password ***" in text           # the line was written, with the secret masked
    assert "postgresql+psycopg://pembaca:***@127.0.0.1:1/dinas" in text
