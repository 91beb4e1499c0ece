"""Validation reports for a dinas, in Bahasa Indonesia: one page per run, `terbaru.html` for the last.

Written as self-contained HTML (inline CSS, no remote assets) so that they open on any dinas network
and can be served as static files.
"""
from __future__ import annotations

import json
from pathlib import Path

from satudata import messages, settings
from satudata.contracts import Contract, Dinas
from satudata.validate import Outcome


def safe_name(run_id: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in run_id)


def report_dir(dinas_id: str, dataset_id: str) -> Path:
    return settings.reports_dir() / dinas_id / dataset_id


def render(outcome: Outcome, contract: Contract, dinas: Dinas, checked_at: str, period: str) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=select_autoescape(["html"]))
    return env.get_template("laporan.html").render(
        t=messages.REPORT, severity=messages.SEVERITY, outcome=outcome, contract=contract, dinas=dinas,
        checked_at=checked_at, period=period)


def write(outcome: Outcome, contract: Contract, dinas: Dinas, checked_at: str, period: str) -> Path:
    """Write the run's page, refresh terbaru.html and hasil.json; return the run's page."""
    directory = report_dir(dinas.id, contract.id)
    directory.mkdir(parents=True, exist_ok=True)
    html = render(outcome, contract, dinas, checked_at, period)
    page = directory / f"{safe_name(outcome.run_id)}.html"
    page.write_text(html, encoding="utf-8")
    (directory / "terbaru.html").write_text(html, encoding="utf-8")
    data = outcome.to_dict() | {"checked_at": checked_at, "period": period}
    (directory / "hasil.json").write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str),
                                          encoding="utf-8")
    return page
