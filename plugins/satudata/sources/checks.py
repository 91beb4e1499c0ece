"""Source checks: row-level queries a steward declares per dataset, run on the dinas database.

Datasets are aggregated at the source, so a row-level defect (a NIK registered twice, a birth date in
the future, a negative harvested area, a report typed twice) vanishes inside a sum before the suite
ever sees it. A contract's `checks:` list names queries (`sql/<dataset>/checks/<rule>.sql`) that
return the offending rows themselves, as three text columns:

    kunci   a non-personal key of the row: a masked NIK (`3216…1234`), an NPSN, a report id;
            never a full NIK or a name
    kolom   the column at fault
    nilai   its value (as text)

They run in the extract task (same connection id, so the same Airflow pool of the dinas), after the
extract query, with the same bind parameters (`:tahun`, `:periode_awal`, ...) and two lists: the
periods the extract landed (`:periode_diekstrak`: for an incremental dataset, the periods it redid)
and the warehouse's reference region codes (`:kode_desa_referensi`, `:kode_kecamatan_referensi`, for
`kode_desa NOT IN :kode_desa_referensi`), which the pipeline reads from the warehouse only when a
check names them (`needs_reference`): the dinas database has no reference table. Only the count and
the first KEPT rows leave the source, into `checks.json` in the run's folder; the validate stage
turns each check into a validation Finding (`source_check:<rule>`, satudata.quality.findings), so reports, audit.validation_results, notifications and the critical/warning
gate treat it like any expectation. As a last guard any run of 16 digits in a key or value is masked
here, whatever the query returned.
"""
from __future__ import annotations

import json
import logging
import re
import time
from pathlib import Path

from satudata import connections
from satudata.catalog import Contract, SourceCheck
from satudata.errors import ExtractError

log = logging.getLogger(__name__)
COLUMNS = ("kunci", "kolom", "nilai")
KEPT = 200  # offending rows kept per check in checks.json (the count is always exact)
FILE = "checks.json"
_SIXTEEN_DIGITS = re.compile(r"(?<!\d)(\d{4})\d{8}(\d{4})(?!\d)")


def mask(value) -> str | None:
    """Text of a key or value with any 16-digit number (a NIK, a KK number) masked as `3216…1234`."""
    if value is None:
        return None
    return _SIXTEEN_DIGITS.sub(r"\1…\2", str(value))


def wrap(sql: str) -> str:
    """The check's query, counted and cut to KEPT rows in one round trip (PostgreSQL and MariaDB)."""
    body = sql.strip().rstrip(";").rstrip()
    return (f"SELECT c.kunci, c.kolom, c.nilai, count(*) OVER () AS jumlah FROM (\n{body}\n) AS c "
            f"LIMIT {KEPT}")


REFERENCE_PARAMS = ("kode_desa_referensi", "kode_kecamatan_referensi")


def _uses(sql: str, name: str) -> bool:
    return re.search(rf"(?<![:\w]):{name}\b", sql) is not None


def needs_reference(contract: Contract) -> bool:
    """Whether a check names the reference code lists: the pipeline then reads them from the warehouse.

    They hold every code the reference has known, retired and successor codes alike. A dinas
    application re-codes its old records when a desa becomes a kelurahan, so a source row cannot be
    held to the code valid on its date; the suites check validity per period on what is published.
    """
    sqls = [contract.check_path(c).read_text(encoding="utf-8") for c in contract.checks]
    return any(_uses(sql, name) for sql in sqls for name in REFERENCE_PARAMS)


def _run_one(conn, contract: Contract, check: SourceCheck, params: dict) -> dict:
    from sqlalchemy import bindparam, text
    from sqlalchemy.exc import DBAPIError

    path = contract.check_path(check)
    sql = path.read_text(encoding="utf-8")
    used = {k: v for k, v in params.items() if _uses(sql, k)}
    query = text(wrap(sql))
    lists = [bindparam(k, expanding=True) for k, v in used.items() if isinstance(v, (list, tuple))]
    if lists:
        query = query.bindparams(*lists)
    started = time.monotonic()
    try:
        rows = conn.execute(query, used).fetchall()
    except DBAPIError as exc:
        conn.rollback()
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise ExtractError(f"dataset {contract.id}: the source check {contract.shown(path)} ({check.rule}) failed: "
                           f"{reason}") from None
    return {"rule": check.rule, "severity": check.severity, "kolom": check.kolom,
            "count": int(rows[0].jumlah) if rows else 0,
            "rows": [{"kunci": mask(r.kunci), "kolom": r.kolom, "nilai": mask(r.nilai)} for r in rows],
            "seconds": round(time.monotonic() - started, 3), "sql": path.name}


def run(contract: Contract, conn_id: str, params: dict, out_dir: Path) -> dict | None:
    """Run every check of the contract on its source; write `checks.json`; return a short summary."""
    if not contract.checks:
        return None
    engine = connections.sqlalchemy_engine(conn_id)
    try:
        with engine.connect() as conn:
            results = [_run_one(conn, contract, check, params) for check in contract.checks]
    finally:
        engine.dispose()
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / FILE
    path.write_text(json.dumps({"dataset_id": contract.id, "results": results}, ensure_ascii=False, indent=1,
                               default=str), encoding="utf-8")
    failed = {r["rule"]: r["count"] for r in results if r["count"]}
    log.info("source checks of %s: %d run, failing: %s", contract.id, len(results), failed or "none")
    return {"path": str(path), "run": len(results), "failed": failed}


def load_results(out_dir: Path) -> list[dict]:
    path = out_dir / FILE
    return json.loads(path.read_text(encoding="utf-8"))["results"] if path.is_file() else []
