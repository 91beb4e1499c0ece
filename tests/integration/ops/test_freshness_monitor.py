"""freshness_monitor on a real warehouse: late datasets flagged, the stewards told once, the board rebuilt."""
from datetime import UTC, datetime, timedelta

import pytest
from psycopg.types.json import Jsonb

from satudata import settings, warehouse
from satudata.catalog import load_catalog
from satudata.ops import freshness

from ...support import ROOT
from .conftest import make_airflow

pytestmark = pytest.mark.integration
AT = datetime(2026, 3, 15, tzinfo=UTC)


def loaded(conn, dataset_id: str, at: datetime) -> None:
    with conn.transaction():
        conn.execute("INSERT INTO audit.runs (dataset_id, run_id, stage, status, started_at, finished_at, rows_out)"
                     " VALUES (%s, %s, 'load', 'success', %s, %s, 10)", (dataset_id, f"r{at:%Y%m%d}", at, at))


def bodies(smtp) -> list[tuple[str, str]]:
    return [(m["Subject"], m.get_body().get_content()) for m in smtp]


def test_late_datasets_are_told_once_then_again_only_when_they_get_worse(ops_warehouse, smtp):
    catalog = load_catalog()
    tahunan = sorted(c.id for c in catalog.contracts.values() if c.frekuensi == "Tahunan")
    fresh_one, late_one = tahunan[0], tahunan[1]
    with warehouse.connect() as conn:
        loaded(conn, fresh_one, AT - timedelta(days=10))
        loaded(conn, late_one, AT - timedelta(days=380))                 # Tahunan + 14 days: kuning
        first = freshness.monitor(catalog, conn, AT, "scheduled__2026-03-15")
        assert first["levels"][fresh_one] == "hijau" and first["levels"][late_one] == "kuning"
        never = [d for d, level in first["levels"].items() if level == "merah"]
        assert set(first["newly_late"]) == {late_one, *never}
        assert len(smtp) == 1
        subject, body = bodies(smtp)[0]
        late_count = len(never) + 1
        assert subject == f"[Satu Data Bekasi] Kesegaran data: {late_count} dataset terlambat (2026-03-15)"
        contract = catalog.contracts[late_one]
        assert (f"- [TERLAMBAT] {contract.title} ({catalog.dinas[contract.dinas].singkatan}, Tahunan): "
                "Dimuat terakhir 380 hari lalu") in body
        assert catalog.contracts[fresh_one].title not in body

        repeat = freshness.monitor(catalog, conn, AT, "scheduled__2026-03-15")   # the same run again
        assert repeat["notification"]["sent"] is False and len(smtp) == 1
        next_day = freshness.monitor(catalog, conn, AT + timedelta(days=1), "scheduled__2026-03-16")
        assert next_day["newly_late"] == [] and len(smtp) == 1                  # still late: the board says so
        worse = freshness.monitor(catalog, conn, AT + timedelta(days=20), "scheduled__2026-04-04")
        assert worse["levels"][late_one] == "merah" and worse["newly_late"] == [late_one] and len(smtp) == 2
        assert "(baru)" in bodies(smtp)[1][1]
        rows = conn.execute("SELECT count(DISTINCT checked_for) FROM audit.freshness").fetchone()[0]
        assert rows == 3


def test_an_incremental_run_that_found_nothing_new_keeps_its_dataset_fresh(ops_warehouse, smtp):
    """Its extract skipped the load because the source had nothing after the watermark: still current."""
    catalog = load_catalog()
    incremental = next(c.id for c in catalog.contracts.values() if c.source.watermark)
    full = next(c.id for c in catalog.contracts.values() if not c.source.watermark and c.frekuensi == "Bulanan")
    at = AT + timedelta(days=400)
    with warehouse.connect() as conn, conn.transaction():
        for dataset_id in (incremental, full):
            loaded(conn, dataset_id, at - timedelta(days=70))        # Bulanan + 39 days: merah
            conn.execute("INSERT INTO audit.runs (dataset_id, run_id, stage, status, started_at, finished_at,"
                         " rows_out, details) VALUES (%s, 'nothing_new', 'extract', 'success', %s, %s, 0, %s)",
                         (dataset_id, at - timedelta(days=2), at - timedelta(days=2),
                          Jsonb({"incremental": dataset_id == incremental})))
        levels = {d: f.level for d, f in freshness.check(catalog, conn, at).items()}
    assert levels[incremental] == "hijau"
    assert levels[full] == "merah"  # an empty extract of a full dataset is no news


def test_housekeeping_dags_run_under_airflow(ops_warehouse, smtp, tmp_path):
    catalog = load_catalog()
    dataset = min(catalog.contracts)
    with warehouse.connect() as conn:
        loaded(conn, dataset, AT - timedelta(days=2))
    airflow = make_airflow(tmp_path, ROOT / "dags")
    for dag_id in ("freshness_monitor", "status_board"):
        done = airflow.run("dags", "test", dag_id, "2026-03-15T00:00:00+00:00")
        assert "state=success" in done.stdout + done.stderr, (done.stdout + done.stderr)[-3000:]
    with warehouse.connect() as conn:
        levels = dict(conn.execute("SELECT dataset_id, level FROM audit.freshness").fetchall())
    assert set(levels) == set(catalog.contracts) and levels[dataset] in ("hijau", "tidak_tentu")
    assert len(smtp) == 1   # the datasets never loaded are late
    page = (settings.reports_dir() / "status" / "index.html").read_text(encoding="utf-8")
    assert "Papan Status Satu Data Bekasi" in page and f'data-dataset="{dataset}"' in page
    assert "Diperbarui 2026-03-15 00:00 UTC" in page
