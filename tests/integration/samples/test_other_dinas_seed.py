"""Seed the PostgreSQL and MariaDB samples into the real servers; find every defect with SQL."""

from __future__ import annotations

import psycopg
import pymysql
import pytest

from satudata_samples import dinkes, disdik, distan, dpmptsp
from satudata_samples._common import (
    desa_list,
    mysql_connect,
    mysql_drop_database,
    pg_drop_database,
)

pytestmark = pytest.mark.integration

REF_CODES = "(" + ", ".join(f"'{d.kode}'" for d in desa_list()) + ")"

# module -> kind -> SQL returning the keys of the rows carrying that defect
DEFECT_SQL = {
    dpmptsp: {
        "unknown_region": f"SELECT id::text FROM izin_usaha WHERE kode_desa NOT IN {REF_CODES}",
        "future_date": "SELECT id::text FROM izin_usaha WHERE tanggal_terbit > '2025-12-31'",
        "duplicate_nib": "SELECT max(id)::text FROM izin_usaha GROUP BY nib, kbli HAVING count(*) > 1",
        "negative_investment": "SELECT id::text FROM izin_usaha WHERE nilai_investasi < 0",
        "invalid_kbli": "SELECT id::text FROM izin_usaha WHERE kbli NOT IN (SELECT kbli FROM ref_kbli)",
        "null_sector": "SELECT id::text FROM izin_usaha WHERE sektor IS NULL",
    },
    distan: {
        "negative_area": "SELECT id::text FROM laporan_tanaman_pangan WHERE luas_panen_ha < 0",
        "null_production": "SELECT id::text FROM laporan_tanaman_pangan WHERE produksi_ton IS NULL",
        "unknown_region": f"SELECT id::text FROM laporan_tanaman_pangan WHERE kode_desa NOT IN {REF_CODES}",
        "future_year": "SELECT id::text FROM laporan_tanaman_pangan WHERE tahun > 2025",
        "duplicate_report": "SELECT max(id)::text FROM laporan_tanaman_pangan "
                            "GROUP BY kode_desa, tahun, bulan, kode_komoditas HAVING count(*) > 1",
        "unit_error": "SELECT id::text FROM laporan_tanaman_pangan "
                      "WHERE produksi_ton > 100 * abs(luas_panen_ha) * produktivitas_ku_ha / 10",
    },
    dinkes: {
        "negative_weight": "SELECT CAST(id AS CHAR) FROM penimbangan WHERE berat_kg < 0",
        "null_height": "SELECT CAST(id AS CHAR) FROM penimbangan WHERE tinggi_cm IS NULL",
        "implausible_height": "SELECT CAST(id AS CHAR) FROM penimbangan WHERE tinggi_cm > 250",
        "duplicate_measurement": "SELECT CAST(max(id) AS CHAR) FROM penimbangan GROUP BY nik_balita, tanggal "
                                 "HAVING count(*) > 1",
        "unknown_puskesmas": "SELECT CAST(id AS CHAR) FROM penimbangan WHERE kode_puskesmas NOT IN "
                             "(SELECT kode_puskesmas FROM puskesmas)",
        "unknown_region": f"SELECT CAST(id AS CHAR) FROM penimbangan WHERE kode_desa NOT IN {REF_CODES}",
        "future_date": "SELECT CAST(id AS CHAR) FROM penimbangan WHERE tanggal > '2025-12-31'",
    },
    disdik: {
        "missing_nisn": "SELECT peserta_didik_id FROM peserta_didik WHERE nisn IS NULL",
        "future_birth": "SELECT peserta_didik_id FROM peserta_didik WHERE tanggal_lahir > '2025-12-31'",
        "unknown_school": "SELECT peserta_didik_id FROM peserta_didik WHERE npsn NOT IN (SELECT npsn FROM sekolah)",
        "invalid_tingkat": "SELECT p.peserta_didik_id FROM peserta_didik p JOIN sekolah s ON s.npsn = p.npsn "
                           "WHERE (s.bentuk_pendidikan = 'SD' AND p.tingkat_pendidikan NOT BETWEEN 1 AND 6) "
                           "OR (s.bentuk_pendidikan = 'SMP' AND p.tingkat_pendidikan NOT BETWEEN 7 AND 9) "
                           "OR (s.bentuk_pendidikan IN ('SMA', 'SMK') AND p.tingkat_pendidikan NOT BETWEEN 10 AND 12)",
        "duplicate_nisn": "SELECT nisn FROM peserta_didik WHERE nisn IS NOT NULL GROUP BY nisn HAVING count(*) > 1",
        "unknown_region": f"SELECT npsn FROM sekolah WHERE kode_desa NOT IN {REF_CODES}",
        "negative_count": "SELECT CONCAT(npsn, '/', semester_id) FROM rekap_sekolah WHERE jumlah_pd_l < 0",
    },
}


def _query_pg(url: str, sql: str) -> list:
    with psycopg.connect(url) as conn:
        return [r[0] for r in conn.execute(sql).fetchall()]


def _query_mysql(url: str, sql: str) -> list:
    conn = mysql_connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
            return [r[0] for r in cur.fetchall()]
    finally:
        conn.close()


@pytest.mark.parametrize("module", [dpmptsp, distan, dinkes, disdik], ids=lambda m: m.DINAS)
def test_seed_counts_defects_and_read_only_reader(module, pg_admin, mysql_admin, test_dbname) -> None:
    on_pg = module in (dpmptsp, distan)
    admin = pg_admin if on_pg else mysql_admin
    reader = f"{test_dbname}_r"
    defects = dict.fromkeys(module.DEFECT_KINDS, 2)
    report = module.seed(admin, test_dbname, scale=0.001, seed=99, defects=defects,
                         reader_user=reader, reader_password="baca-saja")
    query = _query_pg if on_pg else _query_mysql
    try:
        for table, n in report.row_counts.items():
            assert query(report.reader_url, f"SELECT count(*) FROM {table}") == [n]
        for kind, sql in DEFECT_SQL[module].items():
            assert sorted(query(report.reader_url, sql)) == sorted(report.defects[kind]), kind
        table = next(iter(report.row_counts))
        if on_pg:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                query(report.reader_url, f"DELETE FROM {table}")
        else:
            with pytest.raises(pymysql.err.OperationalError):
                query(report.reader_url, f"DELETE FROM {table}")
    finally:
        if on_pg:
            pg_drop_database(admin, test_dbname, reader_user=reader)
        else:
            mysql_drop_database(admin, test_dbname, reader_user=reader)


def test_mariadb_tables_are_utf8mb4(mysql_admin, test_dbname) -> None:
    dinkes.seed(mysql_admin, test_dbname, scale=0.001)
    try:
        rows = _query_mysql(mysql_admin, "SELECT DISTINCT table_collation FROM information_schema.tables "
                                         f"WHERE table_schema = '{test_dbname}'")
        assert rows == ["utf8mb4_unicode_ci"]
    finally:
        mysql_drop_database(mysql_admin, test_dbname)
