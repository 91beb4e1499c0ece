"""The five database dinas seeded at a small scale, each read through its own read-only login.

Names carry the session's instance (`satudata_test_<instance>_catalog_<dinas>`) so that they never
meet the walking skeleton's source or another session's; the AIRFLOW_CONN_DINAS_* variables are
restored when the module is done, and the databases and logins dropped.
"""
import os
import secrets

import pytest

from ...conftest import INSTANCE
from ..conftest import PG_ADMIN

MYSQL_ADMIN = os.environ.get("SATUDATA_MYSQL_ADMIN_URL", "mysql://root@127.0.0.1:3306")
SCALE = 0.005
SEED = 11


def _samples():
    from satudata_samples import dinkes, disdik, disdukcapil, distan, dpmptsp

    return {"disdukcapil": (disdukcapil, "postgresql"), "distan": (distan, "postgresql"),
            "dpmptsp": (dpmptsp, "postgresql"), "dinkes": (dinkes, "mysql"), "disdik": (disdik, "mysql")}


def source_name(dinas: str) -> str:
    return f"satudata_test_{INSTANCE}_catalog_{dinas}"


def admin_url(dinas: str) -> str:
    """The admin URL of a seeded source database (for independent reads of its raw rows)."""
    kind = _samples()[dinas][1]
    base = PG_ADMIN.rsplit("/", 1)[0] if kind == "postgresql" else MYSQL_ADMIN.rstrip("/")
    return f"{base}/{source_name(dinas)}"


@pytest.fixture(scope="module")
def catalog_sources():
    """Seed every database dinas; yield their SeedReports keyed by dinas."""
    from satudata_samples._common import mysql_drop_database, pg_drop_database

    password = secrets.token_hex(12)
    saved = {}
    reports = {}
    try:
        for dinas, (module, kind) in _samples().items():
            name, reader = source_name(dinas), f"{source_name(dinas)}_reader"
            admin = PG_ADMIN if kind == "postgresql" else MYSQL_ADMIN
            reports[dinas] = module.seed(admin, name, scale=SCALE, seed=SEED, reader_user=reader,
                                         reader_password=password)
            var = f"AIRFLOW_CONN_DINAS_{dinas.upper()}"
            saved[var] = os.environ.get(var)
            scheme, host = ("postgres", "127.0.0.1:5432") if kind == "postgresql" else ("mysql", "127.0.0.1:3306")
            os.environ[var] = f"{scheme}://{reader}:{password}@{host}/{name}"
        yield reports
    finally:
        for var, value in saved.items():
            if value is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = value
        for dinas, (_module, kind) in _samples().items():
            name, reader = source_name(dinas), f"{source_name(dinas)}_reader"
            if kind == "postgresql":
                pg_drop_database(PG_ADMIN, name, reader_user=reader)
            else:
                mysql_drop_database(MYSQL_ADMIN, name, reader_user=reader)
