"""One dataset from the Disdukcapil database to a real CKAN, run by Airflow, seen as a user sees it."""
import csv
import io
from datetime import UTC, datetime

import pandas as pd
import psycopg
import pytest
import requests
from ckanapi import RemoteCKAN

from satudata import messages, warehouse
from satudata.catalog import load_catalog
from satudata.ops.reports import report_dir

from ...support import pg_url
from ..conftest import run_dag

pytestmark = pytest.mark.integration
DATASET = "jumlah_penduduk_jenis_kelamin_kecamatan"
YEAR = 2025


def curated_rows(year: int | None = None) -> list[tuple]:
    """The curated table (one year of it, or all): other tests of the session may load other years."""
    where = "WHERE tahun = %s" if year else ""
    with warehouse.connect() as conn:
        return conn.execute(
            f"SELECT kemendagri_kode_kecamatan, nama_kecamatan, jenis_kelamin, jumlah_penduduk, tahun "
            f"FROM curated.{DATASET} {where} ORDER BY tahun, kemendagri_kode_kecamatan, jenis_kelamin",
            (year,) if year else None).fetchall()


def source_aggregate(dbname: str) -> dict:
    """Independent of the extract SQL: raw register rows aggregated with pandas."""
    with psycopg.connect(pg_url(dbname)) as conn:
        frame = pd.DataFrame(conn.execute("SELECT kode_desa, jenis_kelamin, status, tanggal_lahir FROM penduduk")
                             .fetchall(), columns=["kode_desa", "jk", "status", "lahir"])
    alive = frame[(frame.status == "AKTIF") & (pd.to_datetime(frame.lahir) <= f"{YEAR}-12-31")]
    counts = alive.groupby([alive.kode_desa.str[:8], alive.jk]).size()
    return {(kec, jk, YEAR): int(n) for (kec, jk), n in counts.items()}


@pytest.fixture(scope="module")
def first_run(warehouse_db, disdukcapil_source, ckan, dagbag):
    setup = run_dag(dagbag, "warehouse_setup", datetime(2026, 1, 1, tzinfo=UTC))
    assert setup.state == "success"
    # a run due on 1 January covers the year that just ended
    run = run_dag(dagbag, DATASET, datetime(YEAR + 1, 1, 1, tzinfo=UTC))
    return run


def test_dag_run_succeeds(first_run):
    assert first_run.state == "success"


def test_curated_rows_equal_an_independent_aggregate_of_the_source(first_run, disdukcapil_source):
    rows = curated_rows(YEAR)
    assert {(kec, jk, tahun): n for kec, _, jk, n, tahun in rows} == source_aggregate(disdukcapil_source.dbname)
    assert len(rows) == 46 and {r[1] for r in rows} >= {"TARUMAJAYA", "KARANG BAHAGIA", "MUARAGEMBONG"}


def test_ckan_dataset_has_satu_data_metadata(first_run, ckan):
    public = RemoteCKAN(ckan["url"])
    package = public.action.package_show(id=DATASET.replace("_", "-"))
    contract = load_catalog().contract(DATASET)
    assert package["title"] == contract.title
    assert package["organization"]["name"] == "disdukcapil-kabupaten-bekasi"
    assert package["private"] is False and package["license_id"] == "cc-by"
    assert package["produsen_data"] == "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Bekasi"
    assert package["frekuensi"] == "Tahunan" and package["satuan"] == "JIWA"
    assert package["klasifikasi"] == "terbuka" and package["periode"].endswith(str(YEAR))
    assert package["hasil_validasi"].startswith("Semua pemeriksaan lolos")
    assert "Penjelasan kolom:" in package["notes"]


def test_csv_over_http_and_datastore_equal_the_warehouse(first_run, ckan):
    public = RemoteCKAN(ckan["url"])
    package = public.action.package_show(id=DATASET.replace("_", "-"))
    [resource] = [r for r in package["resources"] if r["name"] == messages.PORTAL["csv_resource"]]
    response = requests.get(resource["url"], timeout=30)
    assert response.status_code == 200
    table = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert [(r["kemendagri_kode_kecamatan"], r["nama_kecamatan"], r["jenis_kelamin"], int(r["jumlah_penduduk"]),
             int(r["tahun"])) for r in table] == curated_rows()
    assert table[0]["kode_kabupaten_kota"] == "3216" and table[0]["bps_kode_kecamatan"].startswith("3216")
    found = public.action.datastore_search(resource_id=resource["id"], limit=1000, sort="_id")
    assert found["total"] == len(table)
    assert [(r["kemendagri_kode_kecamatan"], r["nama_kecamatan"], r["jenis_kelamin"], int(r["jumlah_penduduk"]),
             int(r["tahun"])) for r in found["records"]] == curated_rows()
    types = {f["id"]: f["type"] for f in found["fields"]}
    assert types["jumlah_penduduk"] == "int8" and types["kemendagri_kode_kecamatan"] == "text"


def test_bad_region_in_source_stops_the_run_and_changes_nothing(first_run, ckan, dagbag, disdukcapil_source):
    """A resident registered in a kecamatan that does not exist: validation fails, nothing moves."""
    public = RemoteCKAN(ckan["url"])
    before_rows = curated_rows()
    before_pkg = public.action.package_show(id=DATASET.replace("_", "-"))
    source = pg_url(disdukcapil_source.dbname)
    with psycopg.connect(source) as conn:
        conn.execute("INSERT INTO penduduk (nik, no_kk, nama, alamat, jenis_kelamin, tanggal_lahir, kode_desa, "
                     "nama_kecamatan, status, tanggal_update) SELECT '3216999999990001', no_kk, nama, alamat, "
                     "jenis_kelamin, tanggal_lahir, '32.16.99.2001', 'ANTAH BERANTAH', 'AKTIF', tanggal_update "
                     "FROM penduduk LIMIT 1")
    try:
        run = run_dag(dagbag, DATASET, datetime(YEAR + 2, 1, 1, tzinfo=UTC))
    finally:
        with psycopg.connect(source) as conn:
            conn.execute("DELETE FROM penduduk WHERE nik = '3216999999990001'")
    assert run.state == "failed"
    states = {ti.task_id: ti.state for ti in run.get_task_instances()}
    assert states["validate"] == "failed" and states["load"] == "upstream_failed"
    assert states["publish"] == "upstream_failed" and states["report"] == "success"
    assert curated_rows() == before_rows
    after_pkg = public.action.package_show(id=DATASET.replace("_", "-"))
    assert after_pkg["metadata_modified"] == before_pkg["metadata_modified"]
    assert after_pkg["resources"] == before_pkg["resources"]
    report = (report_dir("disdukcapil", DATASET) / "terbaru.html").read_text(encoding="utf-8")
    assert ("Kolom kemendagri_kode_kecamatan berisi 1 nilai yang tidak dikenal: 32.16.99. Yang diharapkan: "
            "kode kecamatan Kemendagri Kabupaten Bekasi (tabel referensi wilayah).") in report
    assert "Data TIDAK dimuat dan TIDAK diterbitkan" in report
