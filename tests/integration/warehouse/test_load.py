"""Loading a landed extract into the warehouse, as a steward then sees it in curated, audit and lineage."""
import hashlib

import pytest

from satudata.warehouse import load

from .conftest import write_landed

pytestmark = pytest.mark.integration


def test_three_identical_runs_leave_curated_byte_identical(connect, contract, tmp_path):
    path = write_landed(tmp_path / "landed.parquet", 2023)
    conn = connect()
    results = [load.load(conn, contract, path, f"rerun_{i}") for i in range(3)]
    checksums = {r.checksum for r in results} | {load.table_checksum(conn, contract)}
    assert len(checksums) == 1 and checksums != {""}
    rows = conn.execute(f"SELECT count(*) FROM curated.{contract.table} WHERE tahun = 2023").fetchone()[0]
    assert rows == results[0].rows == 46
    runs = conn.execute("SELECT run_id, rows_out, checksum FROM audit.runs WHERE dataset_id = %s AND stage = 'load'"
                        " AND run_id LIKE 'rerun_%%' ORDER BY run_id", (contract.id,)).fetchall()
    assert runs == [(f"rerun_{i}", 46, results[0].checksum) for i in range(3)]


def test_a_new_period_is_added_and_a_rerun_replaces_only_its_period(connect, contract, tmp_path):
    conn = connect()
    load.load(conn, contract, write_landed(tmp_path / "a.parquet", 2021), "p2021")
    load.load(conn, contract, write_landed(tmp_path / "b.parquet", 2022), "p2022")
    before_2021 = conn.execute(f"SELECT sum(jumlah_penduduk) FROM curated.{contract.table} WHERE tahun = 2021")
    before_2021 = before_2021.fetchone()[0]
    load.load(conn, contract, write_landed(tmp_path / "c.parquet", 2022, offset=5), "p2022_fix")
    sums = dict(conn.execute(f"SELECT tahun, sum(jumlah_penduduk) FROM curated.{contract.table}"
                             " WHERE tahun IN (2021, 2022) GROUP BY 1").fetchall())
    assert sums[2021] == before_2021
    assert sums[2022] == before_2021 + 46 * 5


def test_curated_rows_carry_region_names_from_reference(connect, contract, tmp_path):
    conn = connect()
    load.load(conn, contract, write_landed(tmp_path / "x.parquet", 2020), "names")
    row = conn.execute(f"SELECT nama_kabupaten_kota, nama_kecamatan, bps_kode_kecamatan, satuan FROM "
                       f"curated.{contract.table} WHERE kemendagri_kode_kecamatan = '32.16.01' AND tahun = 2020"
                       " LIMIT 1").fetchone()
    assert row == ("KABUPATEN BEKASI", "TARUMAJAYA", "3216100", "JIWA")


def test_lineage_names_source_query_suite_and_run(connect, contract, tmp_path):
    conn = connect()
    load.load(conn, contract, write_landed(tmp_path / "l1.parquet", 2019), "lineage_1")
    loaded = load.load(conn, contract, write_landed(tmp_path / "l2.parquet", 2019, offset=1), "lineage_2")
    rows = conn.execute("SELECT run_id, source_conn_id, query_sha256, suite_sha256, rows, checksum, is_current"
                        " FROM audit.lineage WHERE dataset_id = %s AND period = '2019' ORDER BY loaded_at",
                        (contract.id,)).fetchall()
    query_sha = hashlib.sha256(contract.sql_path.read_bytes()).hexdigest()
    suite_sha = hashlib.sha256(contract.suite_path.read_bytes()).hexdigest()
    assert [r[0] for r in rows] == ["lineage_1", "lineage_2"]
    assert all(r[1:4] == ("dinas_disdukcapil", query_sha, suite_sha) and r[4] == 46 for r in rows)
    assert [r[6] for r in rows] == [False, True]
    current = conn.execute(f"SELECT md5(string_agg(t::text, E'\\n' ORDER BY kemendagri_kode_kecamatan,"
                           f" jenis_kelamin, tahun)) FROM curated.{contract.table} t WHERE tahun = 2019").fetchone()
    assert rows[1][5] == current[0] and loaded.rows == 46


def test_reference_holds_dinas_and_dated_region_codes(connect):
    conn = connect()
    dinas = conn.execute("SELECT nama, ckan_organization, kontak FROM reference.dinas WHERE id = 'disdukcapil'")
    assert dinas.fetchone() == ("Dinas Kependudukan dan Pencatatan Sipil Kabupaten Bekasi",
                                "disdukcapil-kabupaten-bekasi", "data.disdukcapil@bekasikab.go.id")
    in_2020 = conn.execute("SELECT kemendagri_kode, status FROM reference.desa_kelurahan_pada('2020-12-31')"
                           " WHERE nama = 'Setia Asih'").fetchall()
    in_2025 = conn.execute("SELECT kemendagri_kode, status FROM reference.desa_kelurahan_pada('2025-12-31')"
                           " WHERE nama = 'Setia Asih'").fetchall()
    assert in_2020 == [("32.16.01.2007", "desa")]
    assert in_2025 == [("32.16.01.1007", "kelurahan")]
    total_now = conn.execute("SELECT count(*) FROM reference.desa_kelurahan_pada('2025-12-31')").fetchone()[0]
    assert total_now == 187


def test_reference_reload_changes_nothing(connect):
    from satudata.warehouse.migrate import migrate
    from satudata.warehouse.reference import load_reference

    conn = connect()
    snapshot = "SELECT md5(string_agg(t::text, ',' ORDER BY kemendagri_kode)) FROM reference.desa_kelurahan t"
    before = conn.execute(snapshot).fetchone()
    load_reference(conn)
    assert conn.execute(snapshot).fetchone() == before
    assert migrate(conn) == []
