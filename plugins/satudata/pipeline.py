"""The stages of one dataset run, as plain functions of plain values: extract → validate → load → publish.

The DAG factory wraps each in a TaskFlow task; the CLI calls them in a row. Each stage gets what the
previous one returned (JSON-able dicts), keeps its result in the run's folder, so that the closing
report can say what happened even when a stage failed, and records its facts in the warehouse's
audit schema. This is the one place where sources, quality, warehouse, portal and ops meet.
"""
from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from satudata import settings
from satudata.catalog import Catalog, load_catalog

log = logging.getLogger(__name__)
STAGES = ("extract", "validate", "load", "publish")


def run_dir(dataset_id: str, run_id: str) -> Path:
    return settings.run_dir(dataset_id, run_id)


def _keep(dataset_id: str, run_id: str, stage: str, result: dict) -> dict:
    directory = run_dir(dataset_id, run_id)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{stage}.json").write_text(json.dumps(result, ensure_ascii=False, default=str, indent=1),
                                             encoding="utf-8")
    return result


def stage_results(dataset_id: str, run_id: str) -> dict[str, dict]:
    directory = run_dir(dataset_id, run_id)
    return {s: json.loads((directory / f"{s}.json").read_text(encoding="utf-8"))
            for s in STAGES if (directory / f"{s}.json").is_file()}


def latest_results(dataset_id: str) -> dict[str, dict]:
    """The newest result of each stage over all runs of a dataset (for 'where to look')."""
    latest: dict[str, tuple[float, dict]] = {}
    for path in (settings.landing_dir() / dataset_id).glob("*/*.json"):
        if path.stem in STAGES and path.stat().st_mtime > latest.get(path.stem, (0.0, {}))[0]:
            latest[path.stem] = (path.stat().st_mtime, json.loads(path.read_text(encoding="utf-8")))
    return {stage: result for stage, (_, result) in latest.items()}


def gazetteer(conn):
    """Every region of the kabupaten as the warehouse's reference holds it, with the reviewed variants."""
    from satudata.quality import harmonise

    return harmonise.gazetteer_from_db(conn, harmonise.load_rules(settings.region_variants_path()))


def source_check_params(contract) -> dict:
    """The reference code lists a contract's source checks bind, read from the warehouse only when a
    check names them (the dinas database has no reference table)."""
    from satudata import warehouse
    from satudata.sources import checks
    from satudata.warehouse import reference

    if not contract.checks or not checks.needs_reference(contract):
        return {}
    with warehouse.connect() as conn:
        return reference.expectation_parameters(conn)


def extract(dataset_id: str, run_id: str, interval_start: datetime, interval_end: datetime,
            catalog: Catalog | None = None) -> dict:
    """Land the source rows for the run's interval: the SQL (incremental when the contract keeps a
    watermark) or the spreadsheet drop (harmonised with the warehouse's reference regions)."""
    import pyarrow.parquet as pq

    from satudata import sources, warehouse
    from satudata.sources import checks, history, watermark
    from satudata.warehouse import audit

    catalog = catalog or load_catalog()
    contract = catalog.contract(dataset_id)
    conn_id = catalog.conn_id(contract)
    params = sources.period_params(interval_start, interval_end)
    regions, mark, periods = None, None, None
    with warehouse.connect() as conn:
        if contract.source.type == "spreadsheet":
            regions = gazetteer(conn)
        if contract.source.watermark:
            stored = watermark.Watermark.from_dict(audit.stored_watermark(conn, dataset_id))
            params["watermark"] = stored.bound if stored else None
        initial = not audit.ever_loaded(conn, dataset_id)
    if initial and history.needs_history(contract):
        periods = history.periods(contract, params)
    if contract.source.watermark:
        mark = watermark.read(contract, conn_id, params)
    started = datetime.now(UTC)
    result = sources.land(contract, conn_id, params, run_dir(dataset_id, run_id), gazetteer=regions,
                          watermark_next=mark.to_dict() if mark else None, history=periods)
    # Row-level source checks: only their counts and non-personal keys leave the dinas database. They may
    # bind :periode_diekstrak, the periods the extract landed (for an incremental one, the years it redid).
    source_checks = None
    if contract.checks:
        landed = pq.read_table(result.path, columns=[contract.period_column]).column(0).unique().to_pylist()
        extracted = sorted(v for v in landed if v is not None)
        source_checks = checks.run(contract, conn_id, params | source_check_params(contract) | {
            "periode_diekstrak": extracted}, run_dir(dataset_id, run_id))
    with warehouse.connect() as conn, conn.transaction():
        audit.record_stage(conn, dataset_id, run_id, "extract", "success", started_at=started,
                           rows_out=result.rows, checksum=result.sha256,
                           details={"source_conn_id": conn_id, "params": result.params,
                                    "incremental": contract.source.watermark,
                                    "initial": initial,
                                    "watermark": mark.value if mark else None,
                                    "problems": result.problem_count,
                                    "source_checks": source_checks["failed"] if source_checks else None})
    # An initial load's validation looks at the region codes valid at any time of the whole history.
    first = periods[0] if periods else params
    return _keep(dataset_id, run_id, "extract", result.to_dict() | {
        "run_id": run_id, "incremental": contract.source.watermark, "source_type": contract.source.type,
        "source_checks": source_checks, "initial": initial,
        "interval": [first["periode_awal"].isoformat(), params["periode_akhir"].isoformat()]})


def advance_watermark(dataset_id: str, run_id: str, conn) -> dict | None:
    """After a successful load: store the mark the run's extract reached (nothing for full extracts).

    A mark never moves backwards: a run that reached less than the stored mark leaves it.
    """
    from satudata.sources.watermark import Watermark
    from satudata.warehouse import audit

    mark = Watermark.from_dict(stage_results(dataset_id, run_id).get("extract", {}).get("watermark_next"))
    if mark is None:
        return None
    with conn.transaction():
        previous = Watermark.from_dict(audit.stored_watermark(conn, dataset_id))
        if mark.behind(previous):
            log.warning("watermark of %s stays at %s (run %s reached only %s)", dataset_id, previous.value,
                        run_id, mark.value)
            return mark.to_dict()
        audit.store_watermark(conn, dataset_id, mark.to_dict(), run_id)
    log.info("watermark of %s advanced to %s", dataset_id, mark.value)
    return mark.to_dict()


def validate(extracted: dict, catalog: Catalog | None = None) -> dict:
    """Harmonise, run the suite, quarantine; write the reports and the audit rows; raise if critical."""
    from satudata import warehouse
    from satudata.errors import ValidationFailed
    from satudata.ops import reports
    from satudata.quality.findings import source_check_findings
    from satudata.quality.validation import validate_landed
    from satudata.sources import checks
    from satudata.warehouse import audit, reference

    catalog = catalog or load_catalog()
    contract = catalog.contract(extracted["dataset_id"])
    run_id = extracted["run_id"]
    period = str(extracted.get("params", {}).get("tahun", "-"))
    with warehouse.connect() as conn:
        parameters = reference.expectation_parameters(conn, *extracted.get("interval", (None, None)))
        regions = gazetteer(conn) if contract.region.name_column else None
        outcome = validate_landed(contract, extracted["path"], run_id, parameters, gazetteer=regions,
                                  docs_dir=reports.datadocs_dir(contract.id))
        folder = run_dir(contract.id, run_id)
        results = checks.load_results(folder)
        if contract.checks and not results:
            log.warning("dataset %s declares source checks but %s has no %s", contract.id, folder, checks.FILE)
        outcome.findings += source_check_findings(contract, results)
        # Bekasi reads WIB; the offset keeps the stamp unambiguous for machines.
        checked_at = datetime.now(UTC).astimezone(ZoneInfo("Asia/Jakarta")).isoformat(timespec="seconds")
        page = reports.write(outcome, contract, catalog.dinas[contract.dinas], checked_at, period)
        audit.record_validation(conn, outcome, checked_at, str(page))
    reports.write_indexes(catalog)
    result = _keep(contract.id, run_id, "validate",
                   outcome.to_dict() | {"report": str(page), "checked_at": checked_at, "period": period})
    log.info("validation report: %s", page)
    if outcome.critical_failures:
        details = "; ".join(f.message for f in outcome.critical_failures)
        raise ValidationFailed(f"dataset {contract.id}: {outcome.summary} {details} Laporan: {page}")
    return result


def load(validated: dict, catalog: Catalog | None = None) -> dict:
    from satudata import warehouse
    from satudata.warehouse.load import load as promote

    catalog = catalog or load_catalog()
    contract = catalog.contract(validated["dataset_id"])
    with warehouse.connect() as conn:
        loaded = promote(conn, contract, validated["path"], validated["run_id"])
        advance_watermark(contract.id, validated["run_id"], conn)
    return _keep(contract.id, validated["run_id"], "load",
                 loaded.to_dict() | {"run_id": validated["run_id"], "validation": {
                     "status": validated["status"],
                     "summary": validated.get("public_note") or validated["summary"],
                     "checked_at": validated["checked_at"]}})


def publish(loaded: dict, catalog: Catalog | None = None, catatan: str | None = None) -> dict:
    from satudata import warehouse
    from satudata.connections import ckan_client
    from satudata.portal.publish import publish as to_ckan
    from satudata.warehouse import audit

    catalog = catalog or load_catalog()
    contract = catalog.contract(loaded["dataset_id"])
    run_id = loaded["run_id"]
    started = datetime.now(UTC)
    with warehouse.connect() as conn:
        published = to_ckan(ckan_client(settings.ckan_conn_id()), conn, contract, catalog.dinas[contract.dinas],
                            run_dir(contract.id, run_id), loaded.get("validation"), run_id=run_id,
                            catatan=catatan)
        with conn.transaction():
            audit.record_stage(conn, contract.id, run_id, "publish", published.action, started_at=started,
                               checksum=published.sha256, details={"url": published.url})
            if published.package_id:
                audit.record_publication(conn, contract.id, run_id, published)
    log.info("CKAN: %s %s", published.action, published.url or "")
    result = published.to_dict()
    if published.release_new:
        result["followers_told"] = tell_followers(contract, published)
    return _keep(contract.id, run_id, "publish", result)


def tell_followers(contract, published) -> list[str]:
    """E-mail the dataset's CKAN followers about a new release (a failure is logged, never fails the run)."""
    from satudata.connections import ckan_client
    from satudata.ops import followers
    from satudata.portal.release_fields import archive_name

    try:
        admin = ckan_client(settings.ckan_admin_conn_id())
        package = admin.action.package_show(id=published.package_id)
        download = next((r.get("url", "") for r in package.get("resources", [])
                         if r.get("name") == archive_name(published.release["versi"])), "")
        return followers.tell(admin, published.package_id, contract.title, published.release, published.url,
                              download)
    except Exception as exc:  # noqa: BLE001 - the release stands; telling followers is best effort
        log.warning("followers of %s not told: %s", contract.id, exc)
        return []


def summarize(dataset_id: str, run_id: str, catalog: Catalog | None = None) -> dict:
    """What every stage left, for the closing task (it runs whatever happened before it).

    When validation found something, the dinas contact and the stewards get one e-mail.
    """
    results = stage_results(dataset_id, run_id)
    done = [s for s in STAGES if s in results]
    summary = {"dataset_id": dataset_id, "run_id": run_id, "stages_done": done,
               "validation": results.get("validate", {}).get("summary"),
               "report": results.get("validate", {}).get("report"),
               "ckan_url": results.get("publish", {}).get("url")}
    if "validate" in results:
        from satudata import warehouse
        from satudata.ops import notify

        catalog = catalog or load_catalog()
        contract = catalog.contract(dataset_id)
        with warehouse.connect() as conn:
            summary["notification"] = notify.notify(results["validate"], contract, catalog.dinas[contract.dinas],
                                                    conn)
    log.info("run summary: %s", json.dumps(summary, ensure_ascii=False))
    return summary
