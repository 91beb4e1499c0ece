"""``seed_all`` seeds every dinas with fixed names; ``drop_all`` removes them again."""

from __future__ import annotations

import secrets

import pytest

from satudata_samples.runner import SAMPLES, drop_all, seed_all

from ...support import unique_name

pytestmark = pytest.mark.integration


def test_seed_all_then_drop_all(pg_admin, mysql_admin, tmp_path) -> None:
    prefix = f"{unique_name('run')}_"
    try:
        reports = seed_all(pg_admin, mysql_admin, tmp_path, scale=0.001, prefix=prefix,
                           defects={"disdukcapil": {"null_sex": 1}}, reader_password=secrets.token_hex(8))
        assert set(reports) == set(SAMPLES)
        assert reports["disdukcapil"].defect_count("null_sex") == 1
        assert reports["dinkes"].reader_url.startswith(f"mysql://{prefix}dinkes_reader:")
        assert all(p.exists() for p in reports["bpbd"].files)
    finally:
        drop_all(pg_admin, mysql_admin, prefix=prefix)
    import psycopg

    with psycopg.connect(pg_admin) as conn:
        left = conn.execute("SELECT count(*) FROM pg_database WHERE datname LIKE %s", (prefix + "%",)).fetchone()
    assert left == (0,)
