"""What the tests share: where things are, the session's own names, and the machine's servers as their
administrator reaches them — with one way to make a throwaway database or warehouse.

Every database, login and folder a test session makes is named `satudata_test_<instance>_…`
(SATUDATA_TEST_INSTANCE, default `itest`), so two sessions on one machine keep out of each other's way
and a machine that kept an earlier run's leftovers passes too.
"""
from __future__ import annotations

import os
import secrets
import socket
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from satudata import settings

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
INSTANCE = os.environ.get("SATUDATA_TEST_INSTANCE", "itest")
VAR = ROOT / "var" / f"pytest-{INSTANCE}"

# The administrator logins of the machine's servers (SATUDATA_PG_ADMIN_URL, SATUDATA_MYSQL_ADMIN_URL),
# read the way `satudata seed` reads them.
PG_ADMIN = settings.pg_admin_url()
MYSQL_ADMIN = settings.mysql_admin_url()


def session_name(tag: str) -> str:
    """A database or login name of this session: satudata_test_<instance>_<tag>."""
    return f"satudata_test_{INSTANCE}_{tag}"


def unique_name(tag: str) -> str:
    """A name of this session that no other test uses, for fixtures made more than once."""
    return session_name(f"{tag}_{uuid.uuid4().hex[:8]}")


def _url(admin: str, scheme: str, dbname: str, user: str | None, password: str | None) -> str:
    server = urlsplit(admin)
    login = server.netloc if user is None else f"{user}:{password}@{server.hostname}:{server.port}"
    return f"{scheme}://{login}/{dbname}"


def pg_url(dbname: str, user: str | None = None, password: str | None = None, scheme: str = "postgresql") -> str:
    """A database on the administrator's PostgreSQL server, as the administrator or as `user`
    (scheme `postgres` for an Airflow connection URI)."""
    return _url(PG_ADMIN, scheme, dbname, user, password)


def mysql_url(dbname: str, user: str | None = None, password: str | None = None) -> str:
    """A database on the administrator's MariaDB server, as the administrator or as `user`."""
    return _url(MYSQL_ADMIN, "mysql", dbname, user, password)


def pg_admin(statement, params=None) -> None:
    """Run one statement as the PostgreSQL administrator, outside a transaction."""
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(statement, params)


def drop_database(name: str) -> None:
    from psycopg import sql

    pg_admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def recreate_database(name: str) -> None:
    """An empty PostgreSQL database called `name`, whatever an earlier run left under that name."""
    from psycopg import sql

    drop_database(name)
    pg_admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


@contextmanager
def throwaway_database(name: str) -> Iterator[str]:
    """An empty PostgreSQL database for the length of the block; yields its administrator URL."""
    recreate_database(name)
    try:
        yield pg_url(name)
    finally:
        drop_database(name)


@contextmanager
def throwaway_warehouse(name: str | None = None, *, reference: bool = True) -> Iterator[str]:
    """A warehouse for the length of the block, migrated and — unless `reference=False` — holding the
    reference data as the warehouse_setup DAG loads it (region codes with their history, the dinas), so
    no test depends on whether that DAG ran first. AIRFLOW_CONN_WAREHOUSE points there for the block, as
    `seeded_source` points a dinas connection. Yields its administrator URL."""
    import psycopg
    import pytest

    from satudata.warehouse.migrate import migrate
    from satudata.warehouse.reference import load_reference

    name = name or unique_name("warehouse")
    with throwaway_database(name) as url, pytest.MonkeyPatch.context() as mp:
        with psycopg.connect(url) as conn:
            migrate(conn)
            if reference:
                load_reference(conn)
        mp.setenv("AIRFLOW_CONN_WAREHOUSE", pg_url(name, scheme="postgres"))
        yield url


@contextmanager
def seeded_source(dinas: str, name: str, **seed_args):
    """The dinas's sample database seeded under `name` (`seed_args`: scale, seed, defects), read through a
    read-only login of its own as the pipeline reads it: AIRFLOW_CONN_DINAS_<DINAS> points there for the
    length of the block. Yields the sample's SeedReport; dropped, login and all, when the block ends."""
    import pytest

    from satudata_samples._common import mysql_drop_database, pg_drop_database
    from satudata_samples.runner import SAMPLES

    module, kind = SAMPLES[dinas]
    mariadb = kind == "mysql"
    admin = MYSQL_ADMIN if mariadb else PG_ADMIN
    user, password = f"{name}_reader", secrets.token_hex(12)
    try:
        report = module.seed(admin, name, reader_user=user, reader_password=password, **seed_args)
        url = mysql_url(name, user, password) if mariadb else pg_url(name, user, password, scheme="postgres")
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv(f"AIRFLOW_CONN_DINAS_{dinas.upper()}", url)
            yield report
    finally:
        (mysql_drop_database if mariadb else pg_drop_database)(admin, name, reader_user=user)


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
