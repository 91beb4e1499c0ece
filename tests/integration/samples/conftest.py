"""Fixtures for seeding sample dinas databases into the real local servers."""

from __future__ import annotations

import os
import uuid

import pytest

PG_ADMIN = os.environ.get("SATUDATA_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
MYSQL_ADMIN = os.environ.get("SATUDATA_TEST_MYSQL_ADMIN", "mysql://root@127.0.0.1:3306")


@pytest.fixture
def test_dbname() -> str:
    """A fresh database name; every test database starts with ``satudata_test_``."""
    return f"satudata_test_{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="session")
def pg_admin() -> str:
    psycopg = pytest.importorskip("psycopg")
    try:
        psycopg.connect(PG_ADMIN, connect_timeout=3).close()
    except psycopg.OperationalError as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    return PG_ADMIN


@pytest.fixture(scope="session")
def mysql_admin() -> str:
    pymysql = pytest.importorskip("pymysql")
    from satudata_samples._common import mysql_connect

    try:
        mysql_connect(MYSQL_ADMIN, connect_timeout=3).close()
    except pymysql.err.OperationalError as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"MariaDB not reachable: {exc}")
    return MYSQL_ADMIN
