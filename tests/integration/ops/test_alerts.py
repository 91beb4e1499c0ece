"""One message per incident: a run whose two tasks fail after their retries mails the stewards once."""
import textwrap

import pytest

from satudata import warehouse
from satudata.ops import alerts

from .conftest import make_airflow

pytestmark = pytest.mark.integration

PROBE = textwrap.dedent('''
    from datetime import datetime, timedelta, timezone

    from airflow.sdk import dag, task

    from satudata.dag_factory import default_args

    ARGS = default_args("walidata") | {"retries": 1, "retry_delay": timedelta(seconds=1),
                                       "retry_exponential_backoff": False}


    @dag(dag_id="alarm_percobaan", schedule=None, start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
         catchup=False, default_args=ARGS, tags=["test"])
    def alarm_percobaan():
        @task
        def sumber_rusak():
            raise RuntimeError("sumber dinas tidak menjawab")

        @task
        def juga_rusak():
            raise ValueError("kolom hilang")

        sumber_rusak()
        juga_rusak()


    alarm_percobaan()
''')


def read(message) -> tuple[str, str]:
    return message["Subject"], message.get_body().get_content()


@pytest.fixture
def probe_airflow(tmp_path):
    dags = tmp_path / "dags"
    dags.mkdir()
    (dags / "alarm_percobaan.py").write_text(PROBE, encoding="utf-8")
    return make_airflow(tmp_path, dags)


def test_failed_run_with_retries_sends_exactly_one_message(ops_warehouse, smtp, probe_airflow):
    done = probe_airflow.run("dags", "test", "alarm_percobaan", "2025-01-01")
    output = done.stdout + done.stderr
    assert output.count("new_state=up_for_retry") == 2, output[-3000:]   # both tasks were retried
    assert output.count("new_state=failed") == 2, output[-3000:]         # and both failed for good
    assert len(smtp) == 1
    subject, body = read(smtp[0])
    with warehouse.connect() as conn:
        [(run_id, task_id, try_number, error, sent)] = conn.execute(
            "SELECT run_id, task_id, try_number, error, sent FROM audit.alerts"
            " WHERE dag_id = 'alarm_percobaan' AND kind = 'failure'").fetchall()
    assert subject == f"[Satu Data Bekasi] GAGAL: alarm_percobaan ({run_id})"
    assert smtp[0]["To"] == "walidata@bekasikab.go.id"
    assert f"Tugas {task_id} pada DAG alarm_percobaan gagal setelah 2 kali percobaan." in body
    assert try_number == 2 and sent is True
    assert error in body and error in ("RuntimeError: sumber dinas tidak menjawab", "ValueError: kolom hilang")
    assert "tanggal logis 2025-01-01T00:00:00+00:00" in body
    assert "Pesan ini dikirim sekali untuk setiap run yang bermasalah" in body

    with warehouse.connect() as conn:   # the callback of a re-run task, or any later one: nothing more
        again = alerts.raise_incident(conn, "alarm_percobaan", run_id, "failure", subject, body)
    assert again == {"sent": False, "reason": "already raised for this run"} and len(smtp) == 1


def test_late_run_is_flagged_once(ops_warehouse, smtp):
    context = {"dag_run": {"dag_id": "jumlah_penduduk_jenis_kelamin_kecamatan", "dag_run_id": "scheduled__2026-01-01",
                           "logical_date": "2026-01-01T00:00:00Z"},
               "deadline": {"id": "d1", "deadline_time": "2026-01-01T02:00:00Z"}}
    alerts.late_run(context=context)
    alerts.late_run(context=context)
    assert len(smtp) == 1
    subject, body = read(smtp[0])
    assert subject == "[Satu Data Bekasi] TERLAMBAT: jumlah_penduduk_jenis_kelamin_kecamatan (scheduled__2026-01-01)"
    assert "belum selesai pada batas waktunya (2026-01-01T02:00:00Z)" in body
    assert "Dataset: Jumlah Penduduk" in body and "Dinas Kependudukan dan Pencatatan Sipil" in body


def test_unreachable_warehouse_still_alerts(smtp, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_WAREHOUSE", "postgres://nobody:x@127.0.0.1:1/none")
    alerts.late_run(context={"dag_run": {"dag_id": "x", "dag_run_id": "r"}, "deadline": {}})
    assert len(smtp) == 1
