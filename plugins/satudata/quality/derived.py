"""Expectations that follow from the contract itself, derived when a run starts.

A contract already says which column holds the region, which columns make the key, which is the
measure and which the period; writing the same checks again in every suite file would let the two
drift apart. So every suite run gets, first, these critical expectations:

- the region codes are in the reference (`$PARAMETER` kode_kecamatan_referensi / kode_desa_referensi);
- the primary key is unique;
- the measure is filled in and not negative;
- an integer period (a year) lies in PERIOD_RANGE.

A suite file keeps only what is specific to its dataset. An expectation in the file of the same type,
on the same column(s) and with the same severity replaces the derived one: that is how a dataset
asks for more (a percentage between 0 and 100, at least one school) or gives its own `pesan`/`saran`.
GX Data Docs and the reports show every expectation, derived or not.
"""
from __future__ import annotations

from satudata.catalog import Contract

PERIOD_RANGE = (2000, 2100)
REFERENCE_SETS = {"kecamatan": "kode_kecamatan_referensi", "desa": "kode_desa_referensi"}


def _expectation(type_: str, **kwargs) -> dict:
    return {"type": type_, "severity": "critical", "kwargs": kwargs, "meta": {}}


def derived_expectations(contract: Contract) -> list[dict]:
    """The critical expectations the contract implies, in GX 1.x JSON."""
    out = []
    if contract.region.level in REFERENCE_SETS:
        out.append(_expectation("expect_column_values_to_be_in_set", column=contract.region.column,
                                value_set={"$PARAMETER": REFERENCE_SETS[contract.region.level]}))
    if len(contract.primary_key) == 1:
        out.append(_expectation("expect_column_values_to_be_unique", column=contract.primary_key[0]))
    else:
        out.append(_expectation("expect_compound_columns_to_be_unique", column_list=list(contract.primary_key)))
    measure = contract.measure
    out.append(_expectation("expect_column_values_to_not_be_null", column=measure.name))
    if measure.type in ("integer", "numeric"):
        out.append(_expectation("expect_column_values_to_be_between", column=measure.name, min_value=0))
    period = next(c for c in contract.columns if c.name == contract.period_column)
    if period.type == "integer":
        out.append(_expectation("expect_column_values_to_be_between", column=period.name,
                                min_value=PERIOD_RANGE[0], max_value=PERIOD_RANGE[1]))
    return out


def _target(expectation: dict) -> tuple:
    """What an expectation is about: its type, severity and column(s)."""
    kwargs = expectation.get("kwargs") or {}
    columns = kwargs.get("column") or tuple(kwargs.get("column_list") or ()) or None
    return expectation.get("type"), expectation.get("severity") or "critical", columns


def with_derived(contract: Contract, suite: dict) -> dict:
    """The suite with the derived expectations first, less those the file itself replaces."""
    declared = {_target(e) for e in suite.get("expectations") or []}
    derived = [e for e in derived_expectations(contract) if _target(e) not in declared]
    return suite | {"expectations": derived + list(suite.get("expectations") or [])}


def redundant(contract: Contract, suite: dict) -> list[int]:
    """Indexes of file expectations that say exactly what the contract derives (to remove from the file)."""
    derived = derived_expectations(contract)
    return [i for i, e in enumerate(suite.get("expectations") or [])
            if any(_target(e) == _target(d) and (e.get("kwargs") or {}) == d["kwargs"] and not e.get("meta")
                   for d in derived)]
