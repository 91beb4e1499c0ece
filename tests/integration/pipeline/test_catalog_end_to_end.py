"""Every dataset of the five database dinas, run by Airflow end to end against seeded real sources.

Each DAG runs once with dag.test(), due on 1 January 2025: yearly ones cover 2024, monthly ones
refresh the whole year that just ended (the incremental permits dataset, on its first run, every year). What a user sees is checked: green runs, rows in the
curated tables, curated rows equal to an independent pandas recomputation from the raw source rows
(for four datasets on both engines), totals that agree between datasets, and CKAN showing terbuka
datasets publicly, terbatas ones only to its organization, tertutup ones not at all.
"""
import json
import time
from datetime import UTC, datetime
from decimal import Decimal

import pandas as pd
import psycopg
import pytest
from ckanapi import NotAuthorized, NotFound, RemoteCKAN

from satudata import messages, warehouse
from satudata.catalog import load_catalog
from satudata.connections import ckan_client

from ...support import MYSQL_ADMIN, VAR
from ..conftest import run_dag
from .conftest import DATABASE_DINAS, admin_url, source_name

pytestmark = pytest.mark.integration
YEAR = 2024
RUN = datetime(YEAR + 1, 1, 1, tzinfo=UTC)  # due on 1 January 2025: covers 2024 (and December 2024)
CATALOG = load_catalog()
DATASETS = sorted(c.id for c in CATALOG.contracts.values() if c.dinas in DATABASE_DINAS)
PERSONAL = {"nik", "nik_balita", "nik_ibu", "nik_anak", "no_kk", "nama", "nama_anak", "nama_ortu", "nama_ibu_kandung",
            "nama_pelaku_usaha", "alamat", "alamat_usaha", "alamat_jalan", "nisn", "nuptk", "nip", "nib", "no_akta"}


def curated(dataset_id: str, where: str = "tahun = %s", params=(YEAR,)) -> pd.DataFrame:
    with warehouse.connect() as conn:
        cur = conn.execute(f"SELECT * FROM curated.{dataset_id} WHERE {where}", params)
        frame = pd.DataFrame(cur.fetchall(), columns=[d.name for d in cur.description])
    return frame.map(lambda v: float(v) if isinstance(v, Decimal) else v)


def raw_pg(dinas: str, query: str) -> pd.DataFrame:
    with psycopg.connect(admin_url(dinas)) as conn:
        cur = conn.execute(query)
        return pd.DataFrame(cur.fetchall(), columns=[d.name for d in cur.description])


def raw_mysql(dinas: str, query: str) -> pd.DataFrame:
    from satudata_samples._common import mysql_connect

    conn = mysql_connect(MYSQL_ADMIN, database=source_name(dinas))
    try:
        with conn.cursor() as cur:
            cur.execute(query)
            return pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])
    finally:
        conn.close()


@pytest.fixture(scope="module")
def runs(warehouse_db, catalog_sources, ckan, dagbag):
    """Run every dataset DAG once; keep the runs, their durations and curated row counts."""
    setup = run_dag(dagbag, "warehouse_setup", datetime(2026, 1, 1, tzinfo=UTC))
    assert setup.state == "success"
    out, facts = {}, []
    for dataset_id in DATASETS:
        contract = CATALOG.contract(dataset_id)
        started = time.monotonic()
        run = run_dag(dagbag, dataset_id, RUN)
        seconds = round(time.monotonic() - started, 1)
        out[dataset_id] = run
        rows = len(curated(dataset_id)) if run.state == "success" else None
        facts.append({"dataset": dataset_id, "dinas": contract.dinas, "state": run.state, "rows": rows,
                      "seconds": seconds})
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "catalog_runs.json").write_text(json.dumps(facts, indent=1), encoding="utf-8")
    return out


def test_catalog_covers_the_five_database_dinas():
    assert len(DATASETS) >= 15
    assert {CATALOG.contract(d).dinas for d in DATASETS} == set(DATABASE_DINAS)
    levels = {CATALOG.contract(d).region.level for d in DATASETS}
    classes = {CATALOG.contract(d).klasifikasi for d in DATASETS}
    assert "desa" in levels and {"terbuka", "terbatas", "tertutup"} <= classes


@pytest.mark.parametrize("dataset_id", DATASETS)
def test_dag_runs_green_and_fills_curated(runs, dataset_id):
    run = runs[dataset_id]
    states = {ti.task_id: ti.state for ti in run.get_task_instances()}
    assert run.state == "success", states
    assert set(states.values()) == {"success"}, states
    frame = curated(dataset_id)
    assert len(frame) > 0
    contract = CATALOG.contract(dataset_id)
    assert (frame.satuan == contract.satuan).all()
    assert not PERSONAL & set(frame.columns)
    name_col = "nama_desa_kelurahan" if contract.region.level == "desa" else "nama_kecamatan"
    assert frame[name_col].notna().all() and frame.kode_kabupaten_kota.eq("3216").all()


def test_age_groups_equal_a_pandas_count_of_the_register(runs):
    """jumlah_penduduk_kelompok_umur_kecamatan: every cell of the 736, zeros included."""
    people = raw_pg("disdukcapil", "SELECT kode_desa, jenis_kelamin, tanggal_lahir, status FROM penduduk")
    born = pd.to_datetime(people.tanggal_lahir)
    alive = people[(people.status == "AKTIF") & (born <= f"{YEAR}-12-31")].copy()
    age = YEAR - pd.to_datetime(alive.tanggal_lahir).dt.year  # on 31 December everyone had their birthday
    group = (age // 5).clip(upper=15)
    alive["kelompok"] = group.map(lambda g: "75+" if g == 15 else f"{g * 5}-{g * 5 + 4}")
    expected = alive.groupby([alive.kode_desa.str[:8], alive.jenis_kelamin, alive.kelompok]).size()
    rows = curated("jumlah_penduduk_kelompok_umur_kecamatan")
    assert len(rows) == 23 * 2 * 16
    got = {(r.kemendagri_kode_kecamatan, r.jenis_kelamin, r.kelompok_umur): r.jumlah_penduduk
           for r in rows.itertuples() if r.jumlah_penduduk}
    assert got == {k: int(v) for k, v in expected.items()}


def test_stunting_prevalence_equals_a_pandas_recomputation(runs):
    """prevalensi_stunting_balita_kecamatan (MariaDB): distinct toddlers measured in August."""
    m = raw_mysql("dinkes", "SELECT nik_balita, tanggal, umur_bulan, zs_tbu, kode_desa FROM penimbangan")
    m["tanggal"] = pd.to_datetime(m.tanggal)
    m["zs_tbu"] = m.zs_tbu.astype(float)
    aug = m[(m.tanggal.dt.year == YEAR) & (m.tanggal.dt.month == 8) & m.umur_bulan.between(0, 59) & m.zs_tbu.notna()]
    kec = aug.kode_desa.str[:8]
    measured = aug.groupby(kec).nik_balita.nunique()
    stunted = aug[aug.zs_tbu < -2].groupby(kec).nik_balita.nunique().reindex(measured.index, fill_value=0)
    rows = curated("prevalensi_stunting_balita_kecamatan").set_index("kemendagri_kode_kecamatan")
    assert sorted(rows.index) == sorted(measured.index)
    assert rows.jumlah_balita_diukur.to_dict() == measured.to_dict()
    assert rows.jumlah_balita_stunting.to_dict() == stunted.to_dict()
    expected = (100 * stunted / measured).reindex(rows.index)
    assert (rows.prevalensi_stunting - expected).abs().max() <= 0.005 + 1e-9


def test_pupil_teacher_ratio_equals_a_pandas_recomputation(runs):
    """rasio_peserta_didik_guru_jenjang_kecamatan (MariaDB): sums over the Dapodik recap, then divided."""
    recap = raw_mysql("disdik", "SELECT npsn, semester_id, jumlah_pd_l, jumlah_pd_p, jumlah_guru FROM rekap_sekolah")
    schools = raw_mysql("disdik", "SELECT npsn, bentuk_pendidikan, kode_desa FROM sekolah")
    joined = recap[recap.semester_id == f"{YEAR}1"].merge(schools, on="npsn")
    joined["pd"] = joined.jumlah_pd_l + joined.jumlah_pd_p
    sums = joined.groupby([joined.kode_desa.str[:8], joined.bentuk_pendidikan])[["pd", "jumlah_guru"]].sum()
    rows = curated("rasio_peserta_didik_guru_jenjang_kecamatan").set_index(
        ["kemendagri_kode_kecamatan", "jenjang_pendidikan"]).sort_index()
    sums.index.names = rows.index.names
    sums = sums.sort_index()
    assert list(rows.index) == list(sums.index)
    assert rows.jumlah_peserta_didik.tolist() == sums.pd.tolist()
    assert rows.jumlah_guru.tolist() == sums.jumlah_guru.tolist()
    assert (rows.rasio_peserta_didik_guru - sums.pd / sums.jumlah_guru).abs().max() <= 0.005 + 1e-9


def test_permits_per_month_equal_a_pandas_count(runs, dagbag):
    """jumlah_izin_usaha_sektor_bulan_kecamatan (monthly, incremental, PostgreSQL): the first run has no
    watermark, so it holds every year; the next month's run finds nothing entered since and loads nothing."""
    dataset_id = "jumlah_izin_usaha_sektor_bulan_kecamatan"
    permits = raw_pg("dpmptsp", "SELECT kode_desa, sektor, tanggal_terbit, tanggal_input FROM izin_usaha")
    issued = pd.to_datetime(permits.tanggal_terbit)
    known = permits[(issued < RUN.replace(tzinfo=None)) & (pd.to_datetime(permits.tanggal_input) < RUN.replace(tzinfo=None))]
    when = pd.to_datetime(known.tanggal_terbit)
    expected = known.groupby([when.dt.year, known.kode_desa.str[:8], when.dt.month, known.sektor]).size()
    everything = "true ORDER BY tahun, kemendagri_kode_kecamatan, bulan, kode_sektor_kbli"
    rows = curated(dataset_id, everything, ())
    got = {(r.tahun, r.kemendagri_kode_kecamatan, r.bulan, r.kode_sektor_kbli): r.jumlah_izin for r in rows.itertuples()}
    assert got == {k: int(v) for k, v in expected.items()}
    assert sorted(rows.tahun.unique()) == list(range(2019, YEAR + 1))
    assert rows.sektor_kbli.notna().all()
    with warehouse.connect() as conn:
        mark = conn.execute("SELECT value FROM audit.watermarks WHERE dataset_id = %s", (dataset_id,)).fetchone()[0]
    assert mark == known.tanggal_input.max().isoformat()

    later = run_dag(dagbag, dataset_id, datetime(YEAR + 1, 2, 1, tzinfo=UTC))  # January 2025: nothing new
    states = {ti.task_id: ti.state for ti in later.get_task_instances()}
    assert later.state == "success"
    assert states["extract"] == "skipped" and states["load"] == "skipped" and states["publish"] == "skipped"
    assert curated(dataset_id, everything, ()).equals(rows)


def _sum(dataset_id: str, by: list[str], measure: str, rename: dict | None = None) -> dict:
    frame = curated(dataset_id).rename(columns=rename or {})
    return {k: int(v) for k, v in frame.groupby(by)[measure].sum().items()}


def test_totals_agree_between_datasets(runs):
    by_sex = _sum("jumlah_penduduk_jenis_kelamin_kecamatan", ["kemendagri_kode_kecamatan", "jenis_kelamin"],
                  "jumlah_penduduk")
    assert _sum("jumlah_penduduk_kelompok_umur_kecamatan", ["kemendagri_kode_kecamatan", "jenis_kelamin"],
                "jumlah_penduduk") == by_sex
    # desa-level rows carry their kecamatan from the reference join
    assert _sum("jumlah_penduduk_desa_kelurahan", ["kemendagri_kode_kecamatan", "jenis_kelamin"],
                "jumlah_penduduk") == by_sex
    per_kec = {}
    for (kec, _), n in by_sex.items():
        per_kec[kec] = per_kec.get(kec, 0) + n
    assert _sum("jumlah_penduduk_agama_kecamatan", ["kemendagri_kode_kecamatan"], "jumlah_penduduk") == per_kec
    assert _sum("jumlah_kematian_sebab_desa_kelurahan", ["kemendagri_kode_kecamatan"], "jumlah_kematian") == \
        _sum("jumlah_kematian_kecamatan", ["kemendagri_kode_kecamatan"], "jumlah_kematian")
    key = ["kemendagri_kode_kecamatan", "jenjang_pendidikan"]
    assert _sum("jumlah_peserta_didik_jenjang_kecamatan", key, "jumlah_peserta_didik") == \
        _sum("rasio_peserta_didik_guru_jenjang_kecamatan", key, "jumlah_peserta_didik")
    assert _sum("jumlah_guru_jenjang_kecamatan", key, "jumlah_guru") == \
        _sum("rasio_peserta_didik_guru_jenjang_kecamatan", key, "jumlah_guru")


def test_monthly_datasets_hold_the_whole_year(runs):
    births = curated("jumlah_kelahiran_bulan_kecamatan")
    assert set(births.bulan) == set(range(1, 13))
    visits = curated("jumlah_kunjungan_puskesmas_bulan_kecamatan")
    assert len(visits) == 23 * 12 * 6


def test_terbuka_datasets_are_public_with_every_curated_row(runs, ckan):
    public = RemoteCKAN(ckan["url"])
    for dataset_id in DATASETS:
        contract = CATALOG.contract(dataset_id)
        if contract.klasifikasi != "terbuka":
            continue
        package = public.action.package_show(id=contract.ckan_name)
        assert package["private"] is False and package["klasifikasi"] == "terbuka", dataset_id
        [resource] = [r for r in package["resources"] if r["name"] == messages.PORTAL["csv_resource"]]
        found = public.action.datastore_search(resource_id=resource["id"], limit=0)
        assert found["total"] == len(curated(dataset_id, "true", ())), dataset_id


def test_terbatas_dataset_is_private_to_its_organization(runs, ckan):
    [dataset_id] = [d for d in DATASETS if CATALOG.contract(d).klasifikasi == "terbatas"]
    name = CATALOG.contract(dataset_id).ckan_name
    with pytest.raises(NotAuthorized):
        RemoteCKAN(ckan["url"]).action.package_show(id=name)
    package = ckan_client("ckan_admin").action.package_show(id=name)
    assert package["private"] is True and package["klasifikasi"] == "terbatas"
    assert package["organization"]["name"] == "disdukcapil-kabupaten-bekasi"


def test_tertutup_dataset_never_reaches_ckan(runs, ckan):
    [dataset_id] = [d for d in DATASETS if CATALOG.contract(d).klasifikasi == "tertutup"]
    assert len(curated(dataset_id)) > 0  # it is in the warehouse …
    with pytest.raises(NotFound):  # … and not on the portal, not even for a sysadmin
        ckan_client("ckan_admin").action.package_show(id=CATALOG.contract(dataset_id).ckan_name)
    found = ckan_client("ckan_admin").action.package_search(q=f"name:{CATALOG.contract(dataset_id).ckan_name}",
                                                            include_private=True)
    assert found["count"] == 0
