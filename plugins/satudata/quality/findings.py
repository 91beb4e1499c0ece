"""Findings and the outcome of a validation: what was checked, what failed, whether the data may go on.

A Finding is one check's result in the words the dinas reads (satudata.messages): the column, the
values, the rows (by the contract's key) and how to fix them. It comes from a GX expectation, from a
source check run at the dinas database, or from region harmonisation; reports, the audit tables,
e-mails and the critical/warning gate treat them alike.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields

from satudata import messages
from satudata.catalog import Contract

SAMPLE = 20  # values and rows a finding shows in the report


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


def plain(value):
    """A frame or driver value as plain JSON-able Python (NaN as None, dates as ISO text)."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def region_findings(harmonised, frame, key: list[str]) -> list[Finding]:
    """One critical finding per region spelling that maps to no Kemendagri code (never guessed)."""
    out = []
    for u in harmonised.unmatched:
        message = messages.REGION[u.how].format(column=u.column, value=u.value, n=len(u.rows))
        if u.how != "kosong":
            message += " " + (messages.REGION["candidates"].format(candidates=", ".join(u.candidates))
                              if u.candidates else messages.REGION["no_candidates"])
        shown = list(dict.fromkeys([*key, u.column]))
        rows = [{k: plain(frame.at[i, k]) for k in shown if k in frame.columns} for i in u.rows[:SAMPLE]]
        out.append(Finding("harmonisasi_wilayah", u.column, "critical", False, len(u.rows), [u.value], rows,
                           message, messages.REGION_FIX, indexes=list(u.rows),
                           expected=messages.REGION["expected"] + (
                               " " + messages.REGION["maybe"].format(candidates=", ".join(u.candidates))
                               if u.candidates else "")))
    return out


def source_check_finding(contract: Contract, result: dict) -> Finding:
    """One validation Finding from one check's result; the contract gives severity, pesan and saran."""
    declared = {c.rule: c for c in contract.checks}.get(result["rule"])
    n = result["count"]
    column = result.get("kolom") or (declared.kolom if declared else None)
    severity = declared.severity if declared else result["severity"]
    values = list(dict.fromkeys(r["nilai"] for r in result["rows"]))[:SAMPLE]
    finding = Finding(f"{messages.SOURCE_CHECK_PREFIX}{result['rule']}", column, severity, n == 0,
                      unexpected_count=n, values=values, rows=result["rows"][:SAMPLE],
                      expected=(declared.diharapkan if declared else None) or messages.SOURCE_CHECK["expected"])
    if n:
        text = (declared.pesan if declared else None) or messages.SOURCE_CHECK["pesan"]
        finding.message = text.format(n=n, column=column or "-", values=", ".join(str(v) for v in values))
        finding.fix = (declared.saran if declared else None) or messages.SOURCE_CHECK["saran"]
    return finding


def source_check_findings(contract: Contract, results: list[dict]) -> list[Finding]:
    """The Findings of the source checks the extract ran for this run (none if it ran none)."""
    return [source_check_finding(contract, r) for r in results]
