"""Validate: harmonise regions, run the suite, quarantine where allowed; decide what may go on.

Each expectation carries a severity: a failing `critical` one stops the load and the publication, a
failing `warning` one is reported and published alongside the data. Before the suite runs, a
contract with `region.name_column` has its region names harmonised to Kemendagri codes
(satudata.quality.harmonise); unknown names become findings with candidates. After it, a contract
with `quarantine: true` moves the rows that fail critical row-level checks aside and lets the good
rows go on: the run is then `quarantined`, not `critical`, as long as no table-level critical check
failed. Nothing here writes to the warehouse: the pipeline records the outcome.
"""
from __future__ import annotations

import logging
from pathlib import Path

from satudata import settings
from satudata.catalog import Contract
from satudata.quality.findings import Finding, Outcome, region_findings

log = logging.getLogger(__name__)


def validate_landed(contract: Contract, parquet_path: str | Path, run_id: str, parameters: dict, gazetteer=None,
                    docs_dir: Path | None = None) -> Outcome:
    """Harmonise regions, run the suite (and its Data Docs), quarantine where allowed.

    When the rows that go on differ from the landed ones (codes filled in, rows set aside), they are
    written next to the landed file as `<dataset>.valid.parquet`, and the outcome's path names it.
    """
    import pandas as pd

    frame = pd.read_parquet(parquet_path)
    rows = len(frame)
    key = contract.primary_key
    findings: list[Finding] = []
    harmonised: dict = {}
    changed = False
    region = contract.region
    if region.name_column and region.level != "kabupaten":
        from satudata.quality import harmonise

        gazetteer = gazetteer or harmonise.gazetteer_from_csv(harmonise.load_rules(settings.region_variants_path()))
        result = harmonise.harmonise_frame(frame, gazetteer, region.level, region.column, region.name_column,
                                           region.parent_column)
        frame, harmonised, changed = result.frame, result.matched, True
        findings += region_findings(result, frame, key)
    from satudata.quality.suite import run_checkpoint

    suite_findings, page = run_checkpoint(contract, frame, parameters, docs_dir, settings.safe_name(run_id))
    findings += suite_findings
    records: list[dict] = []
    quarantined = 0
    if contract.quarantine:
        from satudata.quality.quarantine import quarantine

        frame, records, quarantined = quarantine(frame, findings, key, [c.name for c in contract.columns])
        changed = changed or bool(quarantined)
    outcome = Outcome(contract.id, run_id, rows, str(parquet_path), findings, quarantined, page, harmonised,
                      records)
    if changed and outcome.status != "critical":
        outcome.path = str(write_valid(contract, frame, Path(parquet_path)))
    log.info("validation of %s: %s (%d critical, %d warnings, %d rows quarantined)", contract.id, outcome.status,
             len(outcome.critical_failures), len(outcome.warnings), quarantined)
    return outcome


def write_valid(contract: Contract, frame, landed: Path) -> Path:
    """The rows that go on to load, in the contract's column types."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from satudata.sources.common import arrow_schema

    schema = arrow_schema(contract)
    table = pa.Table.from_pandas(frame[[f.name for f in schema]], schema=schema, preserve_index=False)
    path = landed.with_name(f"{contract.id}.valid.parquet")
    pq.write_table(table, path)
    return path
