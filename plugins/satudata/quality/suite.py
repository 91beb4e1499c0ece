"""Run a dataset's Great Expectations suite (GX 1.x JSON in expectations/) on the landed rows.

The suite a run uses is the contract's derived expectations (satudata.quality.derived) followed by
the suite file's own; each carries a severity. Results become Findings in Indonesian; with a Data
Docs folder, GX builds the stewards' technical pages too (made offline by satudata.quality.datadocs).
"""
from __future__ import annotations

import json
import logging
from pathlib import Path

from satudata import messages
from satudata.catalog import Contract
from satudata.quality.findings import SAMPLE, Finding, plain

log = logging.getLogger(__name__)


def load_suite_json(contract: Contract) -> dict:
    """The suite file with the contract's derived expectations put first (GX 1.x JSON)."""
    from satudata.quality.derived import with_derived

    data = json.loads(contract.suite_path.read_text(encoding="utf-8"))
    if "expectation_suite_name" in data or any("expectation_type" in e for e in data.get("expectations", [])):
        raise ValueError(f"{contract.suite_path}: GX 0.x format; write the suite in GX 1.x JSON "
                         "(keys 'name' and 'type')")
    data["name"] = contract.id
    return with_derived(contract, data)


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

    Returns the findings and the Data Docs page of this run (made offline: see satudata.quality.datadocs).
    """
    gx, context = _gx_context()
    suite = context.suites.add(gx.ExpectationSuite(**load_suite_json(contract)))
    batch = (context.data_sources.add_pandas(f"{contract.id}_source")
             .add_dataframe_asset(contract.id).add_batch_definition_whole_dataframe("run"))
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{contract.id}_validation", data=batch, suite=suite))
    actions = []
    if docs_dir is not None:
        from satudata.quality import datadocs

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
        from satudata.quality import datadocs

        page = str(datadocs.finish(docs_dir, identifier))
    # Results carry resolved parameters; the declared kwargs say which reference list was meant.
    declared = {e.id: e.configuration.kwargs for e in suite.expectations}
    shown = [*contract.primary_key, contract.measure.name]  # a row is told by its key and its value
    findings = [to_finding(r, frame, shown, declared.get(r.expectation_config.id)) for r in result.results]
    return findings, page


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
        error = info.get("exception_message") or messages.UNKNOWN_ERROR
    values = [plain(v) for v in (body.get("partial_unexpected_list") or [])][:SAMPLE]
    indexes = [plain(i) for i in (body.get("unexpected_index_list") or []) if not isinstance(i, dict)]
    shown = list(dict.fromkeys(key + ([kwargs["column"]] if kwargs.get("column") in frame.columns else [])))
    rows = [{k: plain(frame.at[i, k]) for k in shown} for i in indexes[:SAMPLE] if i in frame.index]
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
