"""The stewards' status board: one static page, `status/index.html` under the reports folder.

Every dataset with its dinas, the state of its last run, its last validation, rows, freshness
against its promised frequency (hijau / kuning / merah), links to its CKAN page and its latest
report, and a small inline-SVG chart of the validation trend. Everything comes from the warehouse's
audit schema (runs, validation_results, publications, alerts), so the page is the same whichever
worker rebuilds it. Self-contained HTML: no script, no remote asset.

The status_board DAG rebuilds it on a schedule, and each dataset run's closing task after the run.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from satudata import freshness, messages, settings
from satudata.contracts import Catalog

log = logging.getLogger(__name__)
TREND_RUNS = 12

TEXT = {
    "title": "Papan Status Satu Data Bekasi",
    "generated": "Diperbarui {at}",
    "summary": "{n} dataset: {hijau} segar, {kuning} terlambat, {merah} sangat terlambat, {tidak_tentu} tidak berjadwal.",
    "dinas": "Dinas", "dataset": "Dataset", "frequency": "Frekuensi", "last_run": "Run terakhir",
    "validation": "Validasi terakhir", "rows": "Baris", "freshness": "Kesegaran", "links": "Tautan",
    "trend": "Tren validasi", "ckan": "CKAN", "report": "Laporan", "none": "-", "late": "terlambat",
    "never_run": "Belum pernah dijalankan",
    "legend": "Tren: satu batang per run (terlama di kiri); tinggi = bagian pemeriksaan yang lolos; "
              "hijau = lolos, kuning = ada peringatan, merah = ada kegagalan kritis.",
    "help": "Yang merah lebih dulu: buka laporannya, perbaiki bersama dinasnya, lalu jalankan ulang DAG dataset "
            "itu di Airflow. Panduan: docs/operations.md.",
}
RUN_STATE = {
    "failed": "Gagal",
    "published": "Diterbitkan",
    "loaded": "Dimuat, belum diterbitkan",
    "rejected": "Ditolak validasi",
    "validated": "Divalidasi",
    "running": "Berjalan",
    "none": "Belum pernah dijalankan",
}
PUBLISH_ACTION = {"created": "baru", "updated": "diperbarui", "unchanged": "tidak berubah", "skipped": "dilewati"}


@dataclass
class TrendPoint:
    run_id: str
    passed: int
    total: int
    worst: str  # passed / warning / critical

    @property
    def ratio(self) -> float:
        return self.passed / self.total if self.total else 0.0


@dataclass
class Row:
    id: str
    title: str
    dinas: str
    dinas_nama: str
    frekuensi: str
    fresh: freshness.Freshness
    run_id: str | None = None
    run_state: str = "none"
    run_detail: str = ""
    run_at: datetime | None = None
    validation: str = "none"
    validation_summary: str = ""
    rows: int | None = None
    ckan_url: str | None = None
    report: str | None = None
    trend: list[TrendPoint] = field(default_factory=list)


def _latest_runs(conn) -> dict[str, tuple[str, datetime]]:
    """The newest run of each dataset over every trace a run leaves (stages, publications, alerts)."""
    rows = conn.execute(
        "SELECT DISTINCT ON (dataset_id) dataset_id, run_id, at FROM ("
        " SELECT dataset_id, run_id, finished_at AS at FROM audit.runs"
        " UNION ALL SELECT dataset_id, run_id, published_at FROM audit.publications"
        " UNION ALL SELECT dag_id, run_id, raised_at FROM audit.alerts WHERE kind IN ('failure', 'late')"
        ") t ORDER BY dataset_id, at DESC").fetchall()
    return {d: (r, at) for d, r, at in rows}


def _run_facts(conn, dataset_id: str, run_id: str) -> tuple[str, str]:
    """The run's state and a short note (failed task, CKAN action, "terlambat" past its deadline)."""
    stages = dict(conn.execute("SELECT stage, status FROM audit.runs WHERE dataset_id = %s AND run_id = %s",
                               (dataset_id, run_id)).fetchall())
    alerts = dict(conn.execute("SELECT kind, task_id FROM audit.alerts WHERE dag_id = %s AND run_id = %s",
                               (dataset_id, run_id)).fetchall())
    published = conn.execute("SELECT action FROM audit.publications WHERE dataset_id = %s AND run_id = %s",
                             (dataset_id, run_id)).fetchone()
    if "failure" in alerts:
        state, note = "failed", f"tugas {alerts['failure']}" if alerts["failure"] else ""
    elif published:
        state, note = "published", PUBLISH_ACTION.get(published[0], published[0])
    elif stages.get("load") == "success":
        state, note = "loaded", ""
    elif stages.get("validate") == "critical":
        state, note = "rejected", ""
    elif "validate" in stages:
        state, note = "validated", ""
    else:
        state, note = ("running" if "late" in alerts else "none"), ""
    if "late" in alerts:
        note = ", ".join(n for n in (note, TEXT["late"]) if n)
    return state, note


def _trends(conn) -> dict[str, list[TrendPoint]]:
    rows = conn.execute(
        "SELECT dataset_id, run_id, count(*) FILTER (WHERE success), count(*),"
        " bool_or(NOT success AND severity = 'critical'), bool_or(NOT success AND severity = 'warning'),"
        " min(recorded_at) FROM audit.validation_results GROUP BY dataset_id, run_id ORDER BY dataset_id, 7"
    ).fetchall()
    out: dict[str, list[TrendPoint]] = {}
    for dataset_id, run_id, passed, total, critical, warning, _ in rows:
        worst = "critical" if critical else "warning" if warning else "passed"
        out.setdefault(dataset_id, []).append(TrendPoint(run_id, passed, total, worst))
    return {d: points[-TREND_RUNS:] for d, points in out.items()}


def ckan_base() -> str | None:
    """The portal's address people use: the connection's extra `public_url`, else its host."""
    try:
        from satudata.connections import get_connection

        conn = get_connection(settings.CKAN_CONN_ID)
    except Exception:  # noqa: BLE001 - no CKAN connection: the board shows no CKAN links
        return None
    base = (conn.extra_dejson or {}).get("public_url") or conn.host
    if not base:
        return None
    if "://" not in base:
        base = f"http://{base}"
    if conn.port and base.count(":") < 2 and not (conn.extra_dejson or {}).get("public_url"):
        base = f"{base}:{conn.port}"
    return base.rstrip("/")


def collect(catalog: Catalog, conn, at: datetime, ckan_url: str | None = None) -> list[Row]:
    """One row per dataset of the catalog as the board shows it at `at`: merah, kuning, then the rest."""
    loaded = freshness.last_successes(conn, at)
    latest = _latest_runs(conn)
    trends = _trends(conn)
    validations = {r[0]: r[1:] for r in conn.execute(
        "SELECT dataset_id, validation_status, details ->> 'summary', rows_in, details ->> 'report'"
        " FROM audit.latest_validation").fetchall()}
    loaded_rows = dict(conn.execute(
        "SELECT DISTINCT ON (dataset_id) dataset_id, rows_out FROM audit.runs WHERE stage = 'load'"
        " AND status = 'success' ORDER BY dataset_id, finished_at DESC").fetchall())
    published = {r[0] for r in conn.execute("SELECT DISTINCT dataset_id FROM audit.publications").fetchall()}
    board_dir = settings.reports_dir() / "status"
    out = []
    for contract in sorted(catalog.contracts.values(), key=lambda c: (c.dinas, c.title)):
        dinas = catalog.dinas[contract.dinas]
        row = Row(contract.id, contract.title, dinas.singkatan, dinas.nama, contract.frekuensi,
                  freshness.classify(contract.frekuensi, loaded.get(contract.id), at),
                  trend=trends.get(contract.id, []))
        if contract.id in latest:
            row.run_id, row.run_at = latest[contract.id]
            row.run_state, row.run_detail = _run_facts(conn, contract.id, row.run_id)
        if contract.id in validations:
            status, summary, rows_in, _ = validations[contract.id]
            row.validation, row.validation_summary = status, summary or ""
            row.rows = loaded_rows.get(contract.id, rows_in)
        if ckan_url and contract.id in published:
            row.ckan_url = f"{ckan_url}/dataset/{contract.ckan_name}"
        page = settings.reports_dir() / dinas.id / contract.id / "terbaru.html"
        if page.is_file():
            row.report = os.path.relpath(page, board_dir).replace(os.sep, "/")
        out.append(row)
    # Worst first: the stewards act on red before anything else.
    return sorted(out, key=lambda r: -freshness.SEVERITY[r.fresh.level])


def trend_svg(points: list[TrendPoint], width: int = 120, height: int = 28) -> str:
    """A bar per run (oldest left), height the share of checks passed, colour its worst finding."""
    from markupsafe import escape

    if not points:
        return ""
    colours = {"passed": "#1a7f37", "warning": "#bf8700", "critical": "#cf222e"}
    step = width / TREND_RUNS
    bars = []
    for i, p in enumerate(points):
        h = max(2.0, p.ratio * (height - 2))
        bars.append(f'<rect x="{i * step + 1:.1f}" y="{height - h:.1f}" width="{step - 2:.1f}" height="{h:.1f}"'
                    f' fill="{colours[p.worst]}" data-run="{escape(p.run_id)}">'
                    f'<title>{escape(p.run_id)}: {p.passed}/{p.total} lolos</title></rect>')
    label = f"{points[-1].passed}/{points[-1].total} pemeriksaan lolos pada run terakhir"
    return (f'<svg class="trend" role="img" aria-label="{escape(label)}" width="{width}" height="{height}"'
            f' viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">{"".join(bars)}</svg>')


def render(rows: list[Row], at: datetime) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=select_autoescape(["html"]))
    counts = {level: sum(r.fresh.level == level for r in rows) for level in freshness.LEVELS}
    return env.get_template("board.html").render(
        t=TEXT, run_state=RUN_STATE, validation=messages.STATUS, fresh=freshness.TEXT, rows=rows,
        svg={r.id: Markup(trend_svg(r.trend)) for r in rows},
        summary=TEXT["summary"].format(n=len(rows), **counts),
        generated=TEXT["generated"].format(at=at.strftime("%Y-%m-%d %H:%M UTC")))


def rebuild(catalog: Catalog, conn, at: datetime) -> Path:
    """Write status/index.html (atomically: a reader never sees half a page)."""
    rows = collect(catalog, conn, at, ckan_base())
    page = settings.reports_dir() / "status" / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    tmp = page.with_name(f".{page.name}.{os.getpid()}.tmp")
    tmp.write_text(render(rows, at), encoding="utf-8")
    tmp.replace(page)
    log.info("status board: %s (%d datasets)", page, len(rows))
    return page


def rebuild_now(at: datetime) -> Path | None:
    """For the DAGs: the catalog and the warehouse, then rebuild; a board failure is logged, not raised."""
    from satudata import warehouse
    from satudata.contracts import load_catalog

    try:
        with warehouse.connect() as conn:
            return rebuild(load_catalog(), conn, at)
    except Exception:  # the board must not fail a dataset run
        log.exception("status board not rebuilt")
        return None
