"""Quarantine: rows failing critical row-level checks are set aside so that the good rows go on.

Only for contracts with `quarantine: true`. Table-level checks (row count, column set) have no rows
to set aside and keep blocking the load. The set-aside rows and their reasons are kept in the
warehouse (satudata.warehouse.audit) and listed in the dinas report.
"""
from __future__ import annotations

from satudata import messages
from satudata.quality.findings import Finding, plain


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
            value = plain(frame.at[i, f.column]) if f.column in frame.columns else None
            reason = messages.QUARANTINE["reason"].format(title=f.title, message=_row_reason(f, value))
            records.append({"row_number": int(frame.index.get_loc(i)) + 1, "rule": f.rule, "alasan": reason,
                            "kunci": {k: plain(frame.at[i, k]) for k in key if k in frame.columns},
                            "nilai": {c: plain(frame.at[i, c]) for c in columns if c in frame.columns}})
            rejected.add(i)
        f.quarantined = len([i for i in f.indexes if i in frame.index])
    good = frame.drop(index=sorted(rejected, key=str)) if rejected else frame
    return good, records, len(rejected)


def _row_reason(f: Finding, value) -> str:
    shown = messages.QUARANTINE["empty"] if value is None else value
    if f.column and f.expectation != "expect_compound_columns_to_be_unique":
        return messages.QUARANTINE["row"].format(column=f.column, value=shown, expected=f.expected or "-")
    return messages.QUARANTINE["row_compound"].format(column=f.column or "-")
