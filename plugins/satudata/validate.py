"""Validate: run the dataset's Great Expectations suite (GX 1.x JSON in expectations/) on the landed rows.

Each expectation carries a severity: a failing `critical` one stops the load and the publication, a
failing `warning` one is reported and published alongside the data. Every finding is turned into
an Indonesian sentence (satudata.messages) naming the column, the values and the rows (by the
contract's key) so that the dinas can fix its own data.

Before the suite runs, a contract with `region.name_column` has its region names harmonised to
Kemendagri codes (satudata.harmonise); unknown names become findings with candidates. After it, a
contract with `quarantine: true` moves the rows that fail critical row-level checks to the
quarantine table and lets the good rows go on: the run is then `quarantined`, not `critical`, as
long as no table-level critical check failed.
"""
from __future__ import annotations

import json
import logging
import math
from dataclasses import asdict, dataclass, field, fields
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
    expected: str = ""
    quarantined: int = 0
    indexes: list = field(default_factory=list, repr=False)  # every failing row; not kept in JSON

    @property
    def title(self) -> str:
        return messages.CHECK_TITLES.get(self.expectation, self.expectation)

    @property
    def rule(self) -> str:
        return f"{self.expectation}:{self.column or '-'}"

    @property
    def blocking(self) -> bool:
        """A failed critical check whose rows were not all set aside stops the load."""
        return not self.success and self.severity == "critical" and not (
            self.quarantined and self.quarantined >= len(self.indexes or [None]))

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("indexes")
        return data | {"title": self.title}


@dataclass
class Outcome:
    dataset_id: str
    run_id: str
    rows: int
    path: str
    findings: list[Finding]
    quarantined_rows: int = 0
    datadocs: str | None = None
    harmonised: dict = field(default_factory=dict)
    quarantine_records: list[dict] = field(default_factory=list, repr=False)  # not kept in JSON

    @property
    def critical_failures(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    @property
    def quarantine_findings(self) -> list[Finding]:
        return [f for f in self.findings if not f.success and f.quarantined and not f.blocking]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.success and f.severity != "critical"]

    @property
    def status(self) -> str:
        if self.critical_failures:
            return "critical"
        if self.quarantined_rows:
            return "quarantined"
        return "warning" if self.warnings else "passed"

    @property
    def summary(self) -> str:
        status = self.status
        n = len(self.critical_failures) or len(self.warnings)
        text = messages.RUN_RESULT[status].format(n=n, q=self.quarantined_rows)
        if status == "quarantined" and self.warnings:
            text += " " + messages.WARNINGS_TAIL.format(n=len(self.warnings))
        return text

    @property
    def public_note(self) -> str:
        """The summary and what was found, without any values: for CKAN's `hasil_validasi`."""
        items = []
        for f in self.findings:
            if f.success:
                continue
            if f.column and f.unexpected_count:
                items.append(messages.PUBLIC_ITEM_COLUMN.format(title=f.title, column=f.column, n=f.unexpected_count))
            else:
                items.append(messages.PUBLIC_ITEM_TABLE.format(title=f.title))
        note = self.summary
        if items:
            note += " " + messages.PUBLIC_NOTE.format(items="; ".join(items))
        return note

    def to_dict(self) -> dict:
        return {"dataset_id": self.dataset_id, "run_id": self.run_id, "rows": self.rows, "path": self.path,
                "status": self.status, "summary": self.summary, "public_note": self.public_note,
                "quarantined_rows": self.quarantined_rows, "datadocs": self.datadocs,
                "harmonised": self.harmonised, "findings": [f.to_dict() for f in self.findings]}

    @classmethod
    def from_dict(cls, data: dict) -> Outcome:
        names = {f.name for f in fields(Finding)}
        return cls(data["dataset_id"], data["run_id"], data["rows"], data["path"],
                   [Finding(**{k: v for k, v in f.items() if k in names}) for f in data["findings"]],
                   data.get("quarantined_rows", 0), data.get("datadocs"), data.get("harmonised") or {})


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


def run_suite(contract: Contract, frame, parameters: dict) -> list[Finding]:
    """Run the contract's suite on a pandas frame and explain every expectation result."""
    return run_checkpoint(contract, frame, parameters)[0]


def run_checkpoint(contract: Contract, frame, parameters: dict, docs_dir: Path | None = None,
                   run_name: str = "run") -> tuple[list[Finding], str | None]:
    """Run the suite through a GX checkpoint; with `docs_dir`, also build the run's Data Docs there.

    Returns the findings and the Data Docs page of this run (made offline: see satudata.datadocs).
    """
    gx, context = _gx_context()
    suite = context.suites.add(gx.ExpectationSuite(**load_suite_json(contract)))
    batch = (context.data_sources.add_pandas(f"{contract.id}_source")
             .add_dataframe_asset(contract.id).add_batch_definition_whole_dataframe("run"))
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{contract.id}_validation", data=batch, suite=suite))
    actions = []
    if docs_dir is not None:
        from satudata import datadocs

        context.add_data_docs_site(site_name=datadocs.SITE, site_config=datadocs.site_config(docs_dir))
        actions.append(gx.checkpoint.UpdateDataDocsAction(name="data_docs", site_names=[datadocs.SITE]))
    checkpoint = context.checkpoints.add(gx.Checkpoint(
        name=f"{contract.id}_checkpoint", validation_definitions=[definition], actions=actions,
        result_format={"result_format": "COMPLETE"}))
    from great_expectations.core.run_identifier import RunIdentifier

    run = checkpoint.run(batch_parameters={"dataframe": frame}, expectation_parameters=parameters,
                         run_id=RunIdentifier(run_name=run_name))
    [(identifier, result)] = run.run_results.items()
    page = None
    if docs_dir is not None:
        from satudata import datadocs

        page = str(datadocs.finish(docs_dir, identifier))
    # Results carry resolved parameters; the declared kwargs say which reference list was meant.
    declared = {e.id: e.configuration.kwargs for e in suite.expectations}
    shown = [*contract.primary_key, contract.measure.name]  # a row is told by its key and its value
    findings = [to_finding(r, frame, shown, declared.get(r.expectation_config.id)) for r in result.results]
    return findings, page


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


def to_finding(result, frame, key: list[str], declared: dict | None = None) -> Finding:
    config = result.expectation_config
    kwargs = dict(config.kwargs or {})
    column = kwargs.get("column") or (", ".join(kwargs["column_list"]) if kwargs.get("column_list") else None)
    severity = getattr(config.severity, "value", config.severity) or "critical"
    body = result.result or {}
    error = None
    info = result.exception_info or {}
    if isinstance(info, dict) and info.get("raised_exception"):
        error = info.get("exception_message") or "kesalahan tak dikenal"
    values = [_plain(v) for v in (body.get("partial_unexpected_list") or [])][:SAMPLE]
    indexes = [_plain(i) for i in (body.get("unexpected_index_list") or []) if not isinstance(i, dict)]
    shown = list(dict.fromkeys(key + ([kwargs["column"]] if kwargs.get("column") in frame.columns else [])))
    rows = [{k: _plain(frame.at[i, k]) for k in shown} for i in indexes[:SAMPLE] if i in frame.index]
    finding = Finding(config.type, column, str(severity), bool(result.success),
                      int(body.get("unexpected_count") or 0), values, rows, error=error,
                      expected=_expected(declared or kwargs), indexes=indexes if not result.success else [])
    if not finding.success:
        meta = config.meta or {}
        found, fix = messages.FINDINGS.get(config.type, messages.DEFAULT_FINDING)
        if error:
            found = messages.INTERNAL_ERROR
        finding.message = (meta.get("pesan") or found).format(
            column=column or "-", n=finding.unexpected_count, values=", ".join(str(v) for v in values),
            expected=finding.expected, total=body.get("observed_value", len(frame)),
            expectation=config.type, error=error)
        finding.fix = meta.get("saran") or fix
    return finding


def region_findings(harmonised, frame, key: list[str]) -> list[Finding]:
    """One critical finding per region spelling that maps to no Kemendagri code (never guessed)."""
    out = []
    for u in harmonised.unmatched:
        message = messages.REGION[u.how].format(column=u.column, value=u.value, n=len(u.rows))
        if u.how != "kosong":
            message += " " + (messages.REGION["candidates"].format(candidates=", ".join(u.candidates))
                              if u.candidates else messages.REGION["no_candidates"])
        shown = list(dict.fromkeys(key + [u.column]))
        rows = [{k: _plain(frame.at[i, k]) for k in shown if k in frame.columns} for i in u.rows[:SAMPLE]]
        out.append(Finding("harmonisasi_wilayah", u.column, "critical", False, len(u.rows), [u.value], rows,
                           message, messages.REGION_FIX, indexes=list(u.rows),
                           expected=messages.REGION["expected"] + (
                               " " + messages.REGION["maybe"].format(candidates=", ".join(u.candidates))
                               if u.candidates else "")))
    return out


def quarantine(frame, findings: list[Finding], key: list[str], columns: list[str]):
    """Set aside the rows failing critical row-level checks; return (good rows, quarantine records).

    Table-level checks (row count, column set) have no rows to set aside and keep blocking the load.
    A record is one (row, rule): the dinas reads every reason a row was rejected.
    """
    records: list[dict] = []
    rejected: set = set()
    for f in findings:
        if f.success or f.severity != "critical" or not f.indexes or f.error:
            continue
        for i in f.indexes:
            if i not in frame.index:
                continue
            value = _plain(frame.at[i, f.column]) if f.column in frame.columns else None
            reason = messages.QUARANTINE["reason"].format(title=f.title, message=_row_reason(f, value))
            records.append({"row_number": int(frame.index.get_loc(i)) + 1, "rule": f.rule, "alasan": reason,
                            "kunci": {k: _plain(frame.at[i, k]) for k in key if k in frame.columns},
                            "nilai": {c: _plain(frame.at[i, c]) for c in columns if c in frame.columns}})
            rejected.add(i)
        f.quarantined = len([i for i in f.indexes if i in frame.index])
    good = frame.drop(index=sorted(rejected, key=str)) if rejected else frame
    return good, records, len(rejected)


def _row_reason(f: Finding, value) -> str:
    shown = "(kosong)" if value is None else value
    if f.column and f.expectation != "expect_compound_columns_to_be_unique":
        return messages.QUARANTINE["row"].format(column=f.column, value=shown, expected=f.expected or "-")
    return messages.QUARANTINE["row_compound"].format(column=f.column or "-")


def validate(contract: Contract, parquet_path: str | Path, run_id: str, parameters: dict, gazetteer=None,
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
        from satudata import harmonise

        gazetteer = gazetteer or harmonise.gazetteer_from_csv(harmonise.load_rules(variants_path()))
        result = harmonise.harmonise_frame(frame, gazetteer, region.level, region.column, region.name_column,
                                           region.parent_column)
        frame, harmonised, changed = result.frame, result.matched, True
        findings += region_findings(result, frame, key)
    from satudata.report import safe_name

    suite_findings, page = run_checkpoint(contract, frame, parameters, docs_dir, safe_name(run_id))
    findings += suite_findings
    records: list[dict] = []
    quarantined = 0
    if contract.quarantine:
        frame, records, quarantined = quarantine(frame, findings, key, [c.name for c in contract.columns])
        changed = changed or bool(quarantined)
    outcome = Outcome(contract.id, run_id, rows, str(parquet_path), findings, quarantined, page, harmonised,
                      records)
    if changed and outcome.status != "critical":
        outcome.path = str(write_valid(contract, frame, Path(parquet_path)))
    log.info("validation of %s: %s (%d critical, %d warnings, %d rows quarantined)", contract.id, outcome.status,
             len(outcome.critical_failures), len(outcome.warnings), quarantined)
    return outcome


def variants_path() -> Path:
    from satudata import settings

    return settings.contracts_dir() / "region_variants.yaml"


def write_valid(contract: Contract, frame, landed: Path) -> Path:
    """The rows that go on to load, in the contract's column types."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from satudata.extract import arrow_schema

    schema = arrow_schema(contract)
    table = pa.Table.from_pandas(frame[[f.name for f in schema]], schema=schema, preserve_index=False)
    path = landed.with_name(f"{contract.id}.valid.parquet")
    pq.write_table(table, path)
    return path


def record(conn, outcome: Outcome, checked_at: str | None = None, report: str | None = None) -> None:
    """Keep every expectation result, the quarantined rows and the run's counts in the warehouse.

    audit.validation_results feeds trends and the stewards' board; quarantine.rows holds what was
    set aside with its reason; audit.runs gets the `validate` stage (rows in, rows going on).
    """
    from satudata.warehouse import record_stage

    with conn.transaction():
        conn.execute("DELETE FROM audit.validation_results WHERE dataset_id = %s AND run_id = %s",
                     (outcome.dataset_id, outcome.run_id))
        seen: dict[str, int] = {}
        for f in outcome.findings:
            name = f.rule
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                name = f"{name}:{seen[name]}"
            conn.execute(
                "INSERT INTO audit.validation_results (dataset_id, run_id, expectation, kolom, severity,"
                " success, unexpected_count, sample, judul, pesan, saran, diharapkan, dikarantina)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (outcome.dataset_id, outcome.run_id, name, f.column, f.severity, f.success,
                 f.unexpected_count, json.dumps(f.rows or f.values, default=str), f.title, f.message or None,
                 f.fix or None, f.expected or None, f.quarantined),
            )
        conn.execute("DELETE FROM quarantine.rows WHERE dataset_id = %s AND run_id = %s",
                     (outcome.dataset_id, outcome.run_id))
        if outcome.quarantine_records:
            with conn.cursor() as cur, cur.copy(
                    "COPY quarantine.rows (dataset_id, run_id, row_number, rule, alasan, kunci, nilai) FROM STDIN") as cp:
                for r in outcome.quarantine_records:
                    cp.write_row((outcome.dataset_id, outcome.run_id, r["row_number"], r["rule"], r["alasan"],
                                  json.dumps(r["kunci"], default=str), json.dumps(r["nilai"], default=str)))
        details = {"summary": outcome.summary, "critical": len(outcome.critical_failures),
                   "warnings": len(outcome.warnings), "quarantined_rows": outcome.quarantined_rows,
                   "harmonised": outcome.harmonised, "checked_at": checked_at, "report": report,
                   "datadocs": outcome.datadocs}
        record_stage(conn, outcome.dataset_id, outcome.run_id, "validate", outcome.status, rows_in=outcome.rows,
                     rows_out=0 if outcome.status == "critical" else outcome.rows - outcome.quarantined_rows,
                     details=details)
