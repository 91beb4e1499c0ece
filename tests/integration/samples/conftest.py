"""Fixtures for seeding sample dinas databases into the real local servers."""

from __future__ import annotations

import pytest

from ...support import MYSQL_ADMIN, PG_ADMIN, unique_name


@pytest.fixture
def test_dbname() -> str:
    """A fresh database name of this session (satudata_test_<instance>_sample_…)."""
    return unique_name("sample")


@pytest.fixture(scope="session")
def pg_admin() -> str:
    return PG_ADMIN


@pytest.fixture(scope="session")
def mysql_admin() -> str:
    return MYSQL_ADMIN
