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

from satudata import messages, settings
from satudata.catalog import Catalog
from satudata.messages import BOARD, PUBLISH_ACTION, RUN_STATE
from satudata.ops import freshness
from satudata.warehouse import audit

log = logging.getLogger(__name__)
TREND_RUNS = 12
TEMPLATES = Path(__file__).parent / "templates"



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


def _run_facts(conn, dataset_id: str, run_id: str) -> tuple[str, str]:
    """The run's state and a short note (failed task, CKAN action, "terlambat" past its deadline)."""
    stages, alerts, published = audit.run_traces(conn, dataset_id, run_id)
    if "failure" in alerts:
        state, note = "failed", BOARD["task"].format(task=alerts["failure"]) if alerts["failure"] else ""
    elif published:
        state, note = "published", PUBLISH_ACTION.get(published, published)
    elif stages.get("load") == "success":
        state, note = "loaded", ""
    elif stages.get("validate") == "critical":
        state, note = "rejected", ""
    elif "validate" in stages:
        state, note = "validated", ""
    else:
        state, note = ("running" if "late" in alerts else "none"), ""
    if "late" in alerts:
        note = ", ".join(n for n in (note, BOARD["late"]) if n)
    return state, note


def _trends(conn) -> dict[str, list[TrendPoint]]:
    out: dict[str, list[TrendPoint]] = {}
    for dataset_id, run_id, passed, total, critical, warning in audit.validation_counts(conn):
        worst = "critical" if critical else "warning" if warning else "passed"
        out.setdefault(dataset_id, []).append(TrendPoint(run_id, passed, total, worst))
    return {d: points[-TREND_RUNS:] for d, points in out.items()}


def ckan_base() -> str | None:
    """The portal's address people use: the connection's extra `public_url`, else its host."""
    try:
        from satudata.connections import get_connection

        conn = get_connection(settings.ckan_conn_id())
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
    loaded = audit.last_successes(conn, at)
    latest = audit.latest_runs(conn)
    trends = _trends(conn)
    validations = audit.latest_validations(conn)
    loaded_rows = audit.loaded_rows(conn)
    published = audit.published_datasets(conn)
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

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    counts = {level: sum(r.fresh.level == level for r in rows) for level in freshness.LEVELS}
    return env.get_template("board.html").render(
        t=BOARD, run_state=RUN_STATE, validation=messages.STATUS, fresh=messages.FRESHNESS, rows=rows,
        svg={r.id: Markup(trend_svg(r.trend)) for r in rows},
        summary=BOARD["summary"].format(n=len(rows), **counts),
        generated=BOARD["generated"].format(at=at.strftime("%Y-%m-%d %H:%M UTC")))


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
    from satudata.catalog import load_catalog

    try:
        with warehouse.connect() as conn:
            return rebuild(load_catalog(), conn, at)
    except Exception:  # the board must not fail a dataset run
        log.exception("status board not rebuilt")
        return None
