"""The initial load: a dataset's first run takes every period its source holds, later runs one each.

A SQL extract is written for one period (it binds `:tahun` or `:periode_akhir`). Its first run, when
the warehouse has never loaded the dataset, runs the same query once per calendar year from the
first year the source holds (`source.sejak`, else `settings.history_from()`) up to the year before
the run's own interval, then for the run's own interval, and lands every row in one file; the load
then replaces each of those periods. Each year is bound exactly as the yearly run of that year (or
the December run of a monthly dataset) binds it, so a period holds the same rows whether it came in
with the initial load, its own scheduled run or a backfill. Incremental extracts (`source.watermark`)
and spreadsheet drops already read everything on their first run and are left as they are.
"""
from __future__ import annotations

from datetime import date

from satudata import settings
from satudata.catalog import Contract
from satudata.sources import period_params


def first_year(contract: Contract) -> int:
    return contract.source.sejak or settings.history_from()


def needs_history(contract: Contract) -> bool:
    """Whether a first run must reach back: plain SQL extracts only (the others read everything)."""
    return contract.source.type == "sql" and not contract.source.watermark


def periods(contract: Contract, params: dict) -> list[dict]:
    """The bind parameters of every period an initial load extracts, oldest first, the run's own last."""
    run_year = params["periode_awal"].year
    years = range(first_year(contract), run_year)
    return [period_params(date(y, 1, 1), date(y + 1, 1, 1)) for y in years] + [params]
