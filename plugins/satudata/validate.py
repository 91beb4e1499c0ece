"""Validate: run the dataset's Great Expectations suite (GX 1.x JSON in expectations/) on the landed rows.

Each expectation carries a severity: a failing `critical` one stops the load and the publication, a
failing `warning` one is reported and published alongside the data. Every finding is turned into
an Indonesian sentence (satudata.messages) naming the column, the values and the rows (by the
contract's key) so that the dinas can fix its own data.
"""
from __future__ import annotations

import json
import logging
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

from satudata import messages
from satudata.contracts import Contract

log = logging.getLogger(__name__)
SAMPLE = 20


class ValidationFailed(RuntimeError):
    """Critical expectations failed: nothing may be loaded or published."""


@dataclass
class Finding:
    expectation: str
    column: str | None
    severity: str
    success: bool
    unexpected_count: int = 0
    values: list = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    message: str = ""
    fix: str = ""
    error: str | None = None


@dataclass
class Outcome:
    dataset_id: str
    run_id: str
    rows: int
    path: str
    findings: list[Finding]

    @property
    def critical_failures(self) -> list[Finding]:
        return [f for f in self.findings if not f.success and f.severity == "critical"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.success and f.severity != "critical"]

    @property
    def status(self) -> str:
        return "critical" if self.critical_failures else "warning" if self.warnings else "passed"

    @property
    def summary(self) -> str:
        n = len(self.critical_failures) or len(self.warnings)
        return messages.RUN_RESULT[self.status].format(n=n)

    def to_dict(self) -> dict:
        return {"dataset_id": self.dataset_id, "run_id": self.run_id, "rows": self.rows, "path": self.path,
                "status": self.status, "summary": self.summary,
                "findings": [asdict(f) for f in self.findings]}

    @classmethod
    def from_dict(cls, data: dict) -> Outcome:
        return cls(data["dataset_id"], data["run_id"], data["rows"], data["path"],
                   [Finding(**f) for f in data["findings"]])


def load_suite_json(contract: Contract) -> dict:
    data = json.loads(contract.suite_path.read_text(encoding="utf-8"))
    if "expectation_suite_name" in data or any("expectation_type" in e for e in data.get("expectations", [])):
        raise ValueError(f"{contract.suite_path}: GX 0.x format; write the suite in GX 1.x JSON "
                         "(keys 'name' and 'type')")
    data["name"] = contract.id
    return data


def _gx_context():
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return gx, context


def run_suite(contract: Contract, frame, parameters: dict):
    """Run the contract's suite on a pandas frame; return GX's ExpectationSuiteValidationResult."""
    gx, context = _gx_context()
    suite = context.suites.add(gx.ExpectationSuite(**load_suite_json(contract)))
    batch = (context.data_sources.add_pandas(f"{contract.id}_source")
             .add_dataframe_asset(contract.id).add_batch_definition_whole_dataframe("run"))
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{contract.id}_validation", data=batch, suite=suite))
    return definition.run(batch_parameters={"dataframe": frame}, expectation_parameters=parameters,
                          result_format={"result_format": "COMPLETE", "unexpected_index_column_names": []})


def _plain(value):
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _expected(kwargs: dict) -> str:
    if "value_set" in kwargs:
        value_set = kwargs["value_set"]
        if isinstance(value_set, dict) and "$PARAMETER" in value_set:
            return messages.VALUE_SETS.get(value_set["$PARAMETER"], value_set["$PARAMETER"])
        return ", ".join(str(v) for v in value_set)
    if "min_value" in kwargs or "max_value" in kwargs:
        return messages.describe_range(kwargs.get("min_value"), kwargs.get("max_value"))
    if "column_set" in kwargs:
        return ", ".join(kwargs["column_set"])
    return ""


def to_finding(result, frame, key: list[str]) -> Finding:
    config = result.expectation_config
    kwargs = {k: v for k, v in (config.kwargs or {}).items()}
    column = kwargs.get("column") or (", ".join(kwargs["column_list"]) if kwargs.get("column_list") else None)
    severity = getattr(config.severity, "value", config.severity) or "critical"
    body = result.result or {}
    error = None
    info = result.exception_info or {}
    if isinstance(info, dict) and info.get("raised_exception"):
        error = info.get("exception_message") or "kesalahan tak dikenal"
    values = [_plain(v) for v in (body.get("partial_unexpected_list") or [])][:SAMPLE]
    indexes = [i for i in (body.get("unexpected_index_list") or []) if isinstance(i, int)][:SAMPLE]
    shown = list(dict.fromkeys(key + ([kwargs["column"]] if kwargs.get("column") in frame.columns else [])))
    rows = [{k: _plain(frame.at[i, k]) for k in shown} for i in indexes if i in frame.index]
    finding = Finding(config.type, column, str(severity), bool(result.success),
                      int(body.get("unexpected_count") or 0), values, rows, error=error)
    if not finding.success:
        meta = config.meta or {}
        found, fix = messages.FINDINGS.get(config.type, messages.DEFAULT_FINDING)
        if error:
            found = messages.INTERNAL_ERROR
        finding.message = (meta.get("pesan") or found).format(
            column=column or "-", n=finding.unexpected_count, values=", ".join(str(v) for v in values),
            expected=_expected(kwargs), total=body.get("observed_value", len(frame)),
            expectation=config.type, error=error)
        finding.fix = meta.get("saran") or fix
    return finding


def validate(contract: Contract, parquet_path: str | Path, run_id: str, parameters: dict) -> Outcome:
    import pandas as pd

    frame = pd.read_parquet(parquet_path)
    result = run_suite(contract, frame, parameters)
    findings = [to_finding(r, frame, contract.primary_key) for r in result.results]
    outcome = Outcome(contract.id, run_id, len(frame), str(parquet_path), findings)
    log.info("validation of %s: %s (%d critical, %d warnings)", contract.id, outcome.status,
             len(outcome.critical_failures), len(outcome.warnings))
    return outcome


def record(conn, outcome: Outcome) -> None:
    """Keep every expectation result in audit.validation_results (trend and stewards' board)."""
    with conn.transaction():
        conn.execute("DELETE FROM audit.validation_results WHERE dataset_id = %s AND run_id = %s",
                     (outcome.dataset_id, outcome.run_id))
        seen: dict[str, int] = {}
        for f in outcome.findings:
            name = f"{f.expectation}:{f.column or '-'}"
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                name = f"{name}:{seen[name]}"
            conn.execute(
                "INSERT INTO audit.validation_results (dataset_id, run_id, expectation, kolom, severity,"
                " success, unexpected_count, sample) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                (outcome.dataset_id, outcome.run_id, name, f.column, f.severity, f.success,
                 f.unexpected_count, json.dumps(f.rows or f.values, default=str)),
            )
