"""Seed the Disdukcapil sample into the real PostgreSQL and check what a pipeline would see."""

from __future__ import annotations

import psycopg
import pytest

from satudata_samples import disdukcapil
from satudata_samples._common import pg_drop_database

pytestmark = pytest.mark.integration

DEFECTS = {"unknown_region": 5, "null_sex": 4, "future_birth": 3, "duplicate_nik": 2, "invalid_nik": 2}


@pytest.fixture
def seeded(pg_admin, test_dbname):
    reader = f"{test_dbname}_reader"
    report = disdukcapil.seed(pg_admin, test_dbname, scale=0.001, seed=7, defects=DEFECTS,
                              reader_user=reader, reader_password="baca-saja")
    yield report
    pg_drop_database(pg_admin, test_dbname, reader_user=reader)


def test_counts_and_defects_in_database(seeded) -> None:
    with psycopg.connect(seeded.reader_url) as conn:
        def one(sql: str):
            return conn.execute(sql).fetchone()[0]

        for table, n in seeded.row_counts.items():
            assert one(f"SELECT count(*) FROM {table}") == n
        assert seeded.row_counts["penduduk"] == round(disdukcapil.FULL_SCALE_ROWS * 0.001) + 2
        assert one("SELECT count(*) FROM wilayah_desa") == 187

        unknown = conn.execute(
            "SELECT nik FROM penduduk p WHERE NOT EXISTS "
            "(SELECT 1 FROM wilayah_desa w WHERE w.kode_desa = p.kode_desa)").fetchall()
        assert sorted(r[0] for r in unknown) == sorted(seeded.defects["unknown_region"])
        nulls = conn.execute("SELECT nik FROM penduduk WHERE jenis_kelamin IS NULL").fetchall()
        assert sorted(r[0] for r in nulls) == sorted(seeded.defects["null_sex"])
        assert one("SELECT count(*) FROM penduduk WHERE tanggal_lahir > '2025-12-31'") == 3
        dups = conn.execute("SELECT nik FROM penduduk GROUP BY nik HAVING count(*) > 1").fetchall()
        assert sorted(r[0] for r in dups) == sorted(seeded.defects["duplicate_nik"])
        bad = conn.execute(r"SELECT rtrim(nik) FROM penduduk WHERE nik !~ '^\d{16}$'").fetchall()
        assert sorted(r[0] for r in bad) == sorted(seeded.defects["invalid_nik"])

        # Events agree with the register.
        assert one("SELECT count(*) FROM kematian") == one(
            "SELECT count(*) FROM penduduk WHERE status = 'MENINGGAL'")
        assert one("SELECT count(*) FROM pindah_datang WHERE jenis = 'PINDAH'") == one(
            "SELECT count(*) FROM penduduk WHERE status = 'PINDAH'")
        assert one("SELECT min(extract(year FROM tanggal_lahir)) FROM kelahiran") == 2019


def test_reader_cannot_write(seeded) -> None:
    with psycopg.connect(seeded.reader_url) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("DELETE FROM penduduk")


def test_reseed_is_identical(pg_admin, seeded) -> None:
    other = seeded.dbname + "_again"
    again = disdukcapil.seed(pg_admin, other, scale=0.001, seed=7, defects=DEFECTS)
    try:
        assert again.row_counts == seeded.row_counts
        assert again.defects == seeded.defects
        base = pg_admin.rsplit("/", 1)[0]
        q = "SELECT md5(string_agg(p::text, '|' ORDER BY p::text)) FROM penduduk p"
        with psycopg.connect(f"{base}/{other}") as a, psycopg.connect(f"{base}/{seeded.dbname}") as b:
            assert a.execute(q).fetchone() == b.execute(q).fetchone()
    finally:
        pg_drop_database(pg_admin, other)
