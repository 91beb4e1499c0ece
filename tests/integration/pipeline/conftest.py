"""The five database dinas seeded at a small scale, each read through its own read-only login.

Names carry the session's instance (`satudata_test_<instance>_catalog_<dinas>`) so that they never
meet the walking skeleton's source or another session's; the AIRFLOW_CONN_DINAS_* variables are
restored when the module is done, and the databases and logins dropped.
"""
import contextlib

import pytest

from ...support import mysql_url, pg_url, seeded_source, session_name

SCALE = 0.005
SEED = 11
DATABASE_DINAS = {"disdukcapil": "postgresql", "distan": "postgresql", "dpmptsp": "postgresql",
                  "dinkes": "mysql", "disdik": "mysql"}


def source_name(dinas: str) -> str:
    return session_name(f"catalog_{dinas}")


def admin_url(dinas: str) -> str:
    """The admin URL of a seeded source database (for independent reads of its raw rows)."""
    url = pg_url if DATABASE_DINAS[dinas] == "postgresql" else mysql_url
    return url(source_name(dinas))


@pytest.fixture(scope="module")
def catalog_sources():
    """Seed every database dinas; yield their SeedReports keyed by dinas."""
    with contextlib.ExitStack() as seeded:
        yield {dinas: seeded.enter_context(seeded_source(dinas, source_name(dinas), scale=SCALE, seed=SEED))
               for dinas in DATABASE_DINAS}
