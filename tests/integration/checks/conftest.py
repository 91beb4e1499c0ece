"""What the source-check tests share: a seeded dinas source, and a contract's checks run over periods."""
import secrets
from collections import Counter
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from satudata import pipeline
from satudata.catalog import Contract, load_catalog
from satudata.sources import checks, period_params
from satudata_samples._common import mysql_drop_database, pg_drop_database

from ...conftest import INSTANCE
from ..catalog.conftest import MYSQL_ADMIN
from ..conftest import PG_ADMIN

MARIADB_DINAS = ("dinkes", "disdik")


@contextmanager
def seeded_source(module, dinas: str, **seed_args):
    """The dinas's sample database seeded with `seed_args` (scale, seed, defects), read through its own
    read-only login as the pipeline reads it; dropped, login and all, when the block ends."""
    name = f"satudata_test_{INSTANCE}_{dinas}_cek"
    user, password = f"{name}_reader", secrets.token_hex(12)
    mariadb = dinas in MARIADB_DINAS
    admin = MYSQL_ADMIN if mariadb else PG_ADMIN
    report = module.seed(admin, name, reader_user=user, reader_password=password, **seed_args)
    url = f"mysql://{user}:{password}@127.0.0.1:3306/{name}" if mariadb else \
        f"postgres://{user}:{password}@127.0.0.1:5432/{name}"
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv(f"AIRFLOW_CONN_DINAS_{dinas.upper()}", url)
            yield report
    finally:
        (mysql_drop_database if mariadb else pg_drop_database)(admin, name, reader_user=user)


def yearly(years) -> list[dict]:
    """The bind parameters of a yearly run for each year."""
    return [period_params(date(y, 1, 1), date(y + 1, 1, 1)) for y in years]


def found_by_rule(contract: Contract, runs: list[dict], out: Path, whole_table=()) -> dict[str, Counter]:
    """Run the contract's checks once per parameter set; the keys each rule found, over all the runs.

    A whole-table rule finds the same rows at every run, so only its first run counts.
    """
    conn_id = load_catalog().conn_id(contract)
    found: dict[str, Counter] = {c.rule: Counter() for c in contract.checks}
    for i, params in enumerate(runs):
        summary = checks.run(contract, conn_id, params | pipeline.source_check_params(contract), out / contract.id / str(i))
        assert summary["run"] == len(contract.checks)
        for result in checks.load_results(out / contract.id / str(i)):
            assert result["count"] == len(result["rows"])  # every row kept: well under checks.KEPT
            if i and result["rule"] in whole_table:
                continue
            found[result["rule"]].update(r["kunci"] for r in result["rows"])
    return found
