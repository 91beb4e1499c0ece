"""Validation reports in Bahasa Indonesia: one page per run, `terbaru.html` for the last, indexes.

Layout under the reports folder (served as static files in production):
  index.html                          stewards: every dinas, every dataset, latest status, Data Docs
  <dinas>/index.html                  one dinas: its datasets and their latest status
  <dinas>/<dataset>/<run>.html        one run (and terbaru.html, hasil.json)
  datadocs/<dataset>/                 GX Data Docs of the dataset (stewards; see satudata.quality.datadocs)

Pages are self-contained HTML (inline CSS, no remote assets) so that they open on any dinas network.
The dinas pages show the rows with keys and values; the Data Docs link is only on the stewards' index.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from satudata import messages, settings
from satudata.catalog import Catalog, Contract, Dinas
from satudata.quality.findings import Outcome
from satudata.settings import safe_name

TEMPLATES = Path(__file__).parent / "templates"


def report_dir(dinas_id: str, dataset_id: str) -> Path:
    return settings.reports_dir() / dinas_id / dataset_id


def datadocs_dir(dataset_id: str) -> Path:
    return settings.reports_dir() / "datadocs" / dataset_id


def _env():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def render(outcome: Outcome, contract: Contract, dinas: Dinas, checked_at: str, period: str) -> str:
    return _env().get_template("laporan.html").render(
        t=messages.REPORT, q=messages.QUARANTINE, severity=messages.SEVERITY, outcome=outcome, contract=contract,
        dinas=dinas, checked_at=checked_at, period=period)


def _write(path: Path, text: str) -> None:
    """Write through a temporary file: a reader (or a concurrent run) never sees half a page."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def write(outcome: Outcome, contract: Contract, dinas: Dinas, checked_at: str, period: str) -> Path:
    """Write the run's page, refresh terbaru.html and hasil.json; return the run's page."""
    directory = report_dir(dinas.id, contract.id)
    directory.mkdir(parents=True, exist_ok=True)
    html = render(outcome, contract, dinas, checked_at, period)
    page = directory / f"{safe_name(outcome.run_id)}.html"
    _write(page, html)
    _write(directory / "terbaru.html", html)
    data = outcome.to_dict() | {"checked_at": checked_at, "period": period, "report": str(page)}
    _write(directory / "hasil.json", json.dumps(data, ensure_ascii=False, indent=1, default=str))
    return page


def latest(dinas_id: str, dataset_id: str) -> dict | None:
    path = report_dir(dinas_id, dataset_id) / "hasil.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _rel(target: str | Path | None, start: Path) -> str | None:
    return os.path.relpath(target, start).replace(os.sep, "/") if target else None


def write_indexes(catalog: Catalog) -> dict[str, Path]:
    """Rebuild every dinas index and the stewards' index from the latest hasil.json of each dataset."""
    root = settings.reports_dir()
    root.mkdir(parents=True, exist_ok=True)
    env = _env()
    written: dict[str, Path] = {}
    steward_rows = []
    for dinas_id, dinas in sorted(catalog.dinas.items()):
        folder = root / dinas_id
        rows = []
        for contract in sorted(catalog.by_dinas.get(dinas_id, []), key=lambda c: c.title):
            data = latest(dinas_id, contract.id) or {}
            page = report_dir(dinas_id, contract.id) / "terbaru.html" if data else None
            entry = {"id": contract.id, "title": contract.title, "status": data.get("status", "none"),
                     "summary": data.get("summary") or messages.REPORT["never"], "period": data.get("period", "-"),
                     "checked_at": data.get("checked_at", "-"), "rows": data.get("rows", "-"),
                     "quarantined": data.get("quarantined_rows", 0), "dinas": dinas.singkatan}
            rows.append(entry | {"report": _rel(page, folder)})
            steward_rows.append(entry | {"report": _rel(page, root), "datadocs": _rel(data.get("datadocs"), root),
                                         "dinas_index": f"{dinas_id}/index.html"})
        if rows:
            folder.mkdir(parents=True, exist_ok=True)
            _write(folder / "index.html", env.get_template("indeks_dinas.html").render(
                t=messages.REPORT, status=messages.STATUS, dinas=dinas, entries=rows))
            written[dinas_id] = folder / "index.html"
    _write(root / "index.html", env.get_template("indeks_walidata.html").render(
        t=messages.REPORT, status=messages.STATUS, entries=steward_rows))
    written["walidata"] = root / "index.html"
    return written
