"""Pure parts of operations: alert texts, the trend chart, the dinas role's permissions, the factory wiring."""
from datetime import UTC, datetime, timedelta

from satudata.ops import access, alerts, board, freshness
from satudata.ops.board import Row, TrendPoint

BASE = [("can_read", "DAGs"), ("can_edit", "DAGs"), ("can_delete", "DAGs"), ("menu_access", "DAGs"),
        ("can_read", "DAG Runs"), ("can_read", "Task Logs"), ("can_read", "Website")]


def test_dinas_role_has_no_global_dag_access_and_each_of_its_dags():
    perms = access.role_permissions(["a_dataset", "b_dataset"], BASE)
    assert not {p for p in perms if p[1] == "DAGs" and p[0] != "menu_access"}
    assert ("menu_access", "DAGs") in perms and ("can_read", "Task Logs") in perms
    for dag_id in ("a_dataset", "b_dataset"):
        assert {("can_read", f"DAG:{dag_id}"), ("can_edit", f"DAG:{dag_id}"),
                ("can_read", f"DAG Run:{dag_id}"), ("can_create", f"DAG Run:{dag_id}")} <= perms
    assert not any(p[0] == "can_delete" for p in perms)
    assert access.role_name("dinkes") == "dinas_dinkes"


def test_every_dinas_gets_a_role_even_without_datasets():
    from satudata.catalog import load_catalog

    catalog = load_catalog()
    roles = access.dinas_dags(catalog)
    assert set(roles) == set(catalog.dinas)
    assert sorted(d for ids in roles.values() for d in ids) == sorted(catalog.contracts)


def test_failure_message_in_indonesian(monkeypatch):
    monkeypatch.setenv("SATUDATA_REPORTS_URL", "https://laporan.bekasikab.go.id/")
    subject, body = alerts.failure_message("jumlah_penduduk_jenis_kelamin_kecamatan", "scheduled__2026-01-01",
                                           "extract", 3, "2026-01-01T00:00:00+00:00",
                                           "OperationalError: connection refused", "http://airflow/log")
    assert subject == "[Satu Data Bekasi] GAGAL: jumlah_penduduk_jenis_kelamin_kecamatan (scheduled__2026-01-01)"
    assert "Tugas extract pada DAG jumlah_penduduk_jenis_kelamin_kecamatan gagal setelah 3 kali percobaan." in body
    assert "Dataset: Jumlah Penduduk" in body
    assert "Galat:\nOperationalError: connection refused" in body and "Log: http://airflow/log" in body
    assert "Papan status: https://laporan.bekasikab.go.id/status/" in body


def test_error_text_is_capped():
    _, body = alerts.failure_message("x", "r", "t", 1, "-", "E" * 10_000, None)
    assert "E" * alerts.ERROR_CHARS in body and "E" * (alerts.ERROR_CHARS + 1) not in body


def test_trend_chart_is_inline_svg_one_bar_per_run():
    points = [TrendPoint("r1", 5, 5, "passed"), TrendPoint("r2", 3, 5, "warning"), TrendPoint("r<3>", 0, 5, "critical")]
    svg = board.trend_svg(points)
    assert svg.startswith("<svg") and svg.count("<rect") == 3 and "href" not in svg
    assert 'fill="#1a7f37"' in svg and 'fill="#bf8700"' in svg and 'fill="#cf222e"' in svg
    assert "r&lt;3&gt;" in svg and 'aria-label="0/5 pemeriksaan lolos pada run terakhir"' in svg
    assert board.trend_svg([]) == ""


def test_render_escapes_and_counts():
    at = datetime(2026, 3, 15, tzinfo=UTC)
    fresh = freshness.classify("Harian", at - timedelta(hours=1), at)
    rows = [Row("a", "<b>Judul</b>", "Dinkes", "Dinas Kesehatan", "Harian", fresh, rows=1234567)]
    html = board.render(rows, at)
    assert "&lt;b&gt;Judul&lt;/b&gt;" in html and "1.234.567" in html
    assert "1 dataset: 1 segar, 0 terlambat, 0 sangat terlambat, 0 tidak berjadwal." in html


def test_factory_wires_the_failure_callback_once_for_every_task():
    from satudata import dag_factory

    args = dag_factory.default_args("walidata")
    assert args["on_failure_callback"] is alerts.on_failure and args["retries"] >= 2
    assert args is not dag_factory.default_args("walidata")   # never a shared, mutated dict


def test_late_run_deadline_when_configured(monkeypatch):
    from satudata import dag_factory

    monkeypatch.delenv("SATUDATA_LATE_AFTER_MINUTES", raising=False)
    assert dag_factory.late_deadline() is None   # dag.test() in Airflow 3.3 cannot run DAGs with one
    monkeypatch.setenv("SATUDATA_LATE_AFTER_MINUTES", "90")
    deadline = dag_factory.late_deadline()
    assert deadline.interval == timedelta(minutes=90) and deadline.callback.path == "satudata.ops.alerts.late_run"
