"""Extract from real PostgreSQL and MariaDB sources through the fast routes, value for value."""
import datetime as dt

import psycopg
import pyarrow.parquet as pq
import pytest

from satudata.catalog import Contract
from satudata.errors import ExtractError
from satudata.sources import land as extract
from satudata_samples._common import mysql_connect

from ...support import MYSQL_ADMIN, mysql_url, throwaway_database, unique_name

pytestmark = pytest.mark.integration
COLUMNS = [("kode_desa", "text", "region"), ("catatan", "text", "attribute"), ("tanggal", "date", "attribute"),
           ("rata_rata", "numeric", "attribute"), ("aktif", "boolean", "attribute"),
           ("jumlah", "integer", "measure"), ("tahun", "integer", "period")]
EXPECTED = [
    {"kode_desa": "32.16.01.1007", "catatan": "", "tanggal": dt.date(2021, 12, 31), "rata_rata": 1.25,
     "aktif": True, "jumlah": 3, "tahun": 2024},
    {"kode_desa": "32.16.01.2001", "catatan": None, "tanggal": None, "rata_rata": None, "aktif": False,
     "jumlah": 7, "tahun": 2024},
    {"kode_desa": "32.16.01.2002", "catatan": 'koma, "kutip"\nbaris baru 😀', "tanggal": dt.date(1999, 1, 2),
     "rata_rata": 0.5, "aktif": None, "jumlah": 4_000_000_000, "tahun": 2024},
]


def make_contract(home, query: str) -> Contract:
    (home / "sql" / "uji_ekstrak").mkdir(parents=True, exist_ok=True)
    (home / "sql" / "uji_ekstrak" / "extract.sql").write_text(query, encoding="utf-8")
    return Contract(
        id="uji_ekstrak", title="Uji ekstrak cepat", description="Kontrak uji untuk jalur ekstrak cepat.",
        dinas="disdukcapil", schedule="@yearly", frekuensi="Tahunan", klasifikasi="terbuka",
        tingkat_penyajian="Desa", satuan="JIWA", region={"level": "desa", "column": "kode_desa"},
        period_column="tahun", primary_key=["kode_desa", "tahun"], publish={"tags": ["uji"]},
        columns=[{"name": n, "type": t, "role": r, "description": f"kolom {n}"} for n, t, r in COLUMNS])


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("SATUDATA_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def pg_source():
    with throwaway_database(unique_name("src")) as url:
        with psycopg.connect(url) as conn:
            conn.execute("CREATE TABLE t (kode_desa text, catatan text, tanggal date, rata_rata numeric,"
                         " aktif boolean, jumlah bigint)")
            conn.cursor().executemany("INSERT INTO t VALUES (%s, %s, %s, %s, %s, %s)",
                                      [(r["kode_desa"], r["catatan"], r["tanggal"], r["rata_rata"], r["aktif"],
                                        r["jumlah"]) for r in EXPECTED])
        yield url


@pytest.fixture(scope="module")
def mysql_source():
    name = unique_name("src")
    conn = mysql_connect(MYSQL_ADMIN)
    cur = conn.cursor()
    cur.execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    cur.execute(f"CREATE TABLE {name}.t (kode_desa varchar(20), catatan text, tanggal date,"
                " rata_rata decimal(10,2), aktif tinyint(1), jumlah bigint)")
    cur.executemany(f"INSERT INTO {name}.t VALUES (%s, %s, %s, %s, %s, %s)",
                    [(r["kode_desa"], r["catatan"], r["tanggal"], r["rata_rata"], r["aktif"], r["jumlah"])
                     for r in EXPECTED])
    conn.commit()
    yield mysql_url(name)
    cur.execute(f"DROP DATABASE IF EXISTS {name}")
    conn.close()


QUERY = ("SELECT kode_desa, catatan, tanggal, rata_rata, aktif, jumlah, CAST(:tahun AS {int}) AS tahun"
         " FROM t WHERE jumlah > :minimum ORDER BY kode_desa")


@pytest.mark.parametrize("source", ["pg_source", "mysql_source"])
def test_values_arrive_exactly(source, request, home, monkeypatch):
    url = request.getfixturevalue(source)
    monkeypatch.setenv("AIRFLOW_CONN_UJI_SUMBER", url)
    contract = make_contract(home, QUERY.format(int="integer" if source == "pg_source" else "signed"))
    got = extract(contract, "uji_sumber", {"tahun": 2024, "minimum": 0, "unused": 1}, home / "landing")
    assert got.rows == 3 and got.params == {"tahun": "2024", "minimum": "0"}
    assert pq.read_table(got.path).to_pylist() == EXPECTED


@pytest.mark.parametrize("source", ["pg_source", "mysql_source"])
def test_column_drift_is_named(source, request, home, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_UJI_SUMBER", request.getfixturevalue(source))
    contract = make_contract(home, "SELECT kode_desa, catatan AS nama_lengkap FROM t")
    drift = r"missing column\(s\) catatan, tanggal.*unexpected column\(s\) nama_lengkap"
    with pytest.raises(ExtractError, match=drift):
        extract(contract, "uji_sumber", {}, home / "landing")
    assert not list((home / "landing").glob("*"))


@pytest.mark.parametrize("source", ["pg_source", "mysql_source"])
def test_a_failing_query_names_file_and_connection(source, request, home, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_UJI_SUMBER", request.getfixturevalue(source))
    contract = make_contract(home, "SELECT * FROM tabel_tidak_ada")
    failed = r"dataset uji_ekstrak: source table tabel_tidak_ada does not exist.*uji_ekstrak/extract\.sql on connection 'uji_sumber'"
    with pytest.raises(ExtractError, match=failed):
        extract(contract, "uji_sumber", {}, home / "landing")


def test_mysql_zero_date_is_refused_unless_the_sql_decides(mysql_source, home, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_UJI_SUMBER", mysql_source)
    zero = ("SELECT kode_desa, catatan, CAST('0000-00-00' AS DATE) AS tanggal, rata_rata, aktif, jumlah,"
            " 2024 AS tahun FROM t")
    with pytest.raises(ExtractError, match="does not fit"):
        extract(make_contract(home, zero), "uji_sumber", {}, home / "landing")
    decided = zero.replace("CAST('0000-00-00' AS DATE) AS tanggal",
                           "NULLIF(CAST('0000-00-00' AS DATE), '0000-00-00') AS tanggal")
    got = extract(make_contract(home, decided), "uji_sumber", {}, home / "landing")
    assert pq.read_table(got.path).column("tanggal").null_count == 3


def test_values_cut_across_blocks_and_row_groups_round_trip_exactly(pg_source, home, monkeypatch):
    """Tens of thousands of rows: quoted values with newlines fall across CSV block and row group
    boundaries, and still arrive exactly through extract and load.copy_parquet (NULL apart from '')."""
    from satudata.warehouse import load

    monkeypatch.setenv("AIRFLOW_CONN_UJI_SUMBER", pg_source)
    monkeypatch.setattr("satudata.sources.postgres.ROW_GROUP_ROWS", 10_000)
    n = 40_000
    contract = make_contract(home, (
        "SELECT '32.16.' || g AS kode_desa, CASE g % 3 WHEN 0 THEN NULL WHEN 1 THEN '' ELSE"
        " 'koma, \"kutip\"' || chr(10) || 'baris ' || g || ' 😀' END AS catatan,"
        " CASE WHEN g % 7 = 0 THEN NULL ELSE date '2000-01-01' + g END AS tanggal, g / 4.0 AS rata_rata,"
        " CASE WHEN g % 5 = 0 THEN NULL ELSE g % 2 = 0 END AS aktif, g::bigint * 100000 AS jumlah,"
        f" 2024 AS tahun FROM generate_series(1, {n}) g ORDER BY g"))
    expected = [{"kode_desa": f"32.16.{g}", "catatan": [None, "", f'koma, "kutip"\nbaris {g} 😀'][g % 3],
                 "tanggal": None if g % 7 == 0 else dt.date(2000, 1, 1) + dt.timedelta(days=g),
                 "rata_rata": g / 4, "aktif": None if g % 5 == 0 else g % 2 == 0, "jumlah": g * 100_000,
                 "tahun": 2024} for g in range(1, n + 1)]
    got = extract(contract, "uji_sumber", {}, home / "landing")
    assert got.rows == n and pq.ParquetFile(got.path).metadata.num_row_groups > 1
    assert pq.read_table(got.path).to_pylist() == expected
    names = [c for c, _, _ in COLUMNS]
    with psycopg.connect(pg_source) as conn:
        conn.execute("CREATE TEMP TABLE landed (kode_desa text, catatan text, tanggal date,"
                     " rata_rata double precision, aktif boolean, jumlah bigint, tahun integer)")
        load.copy_parquet(conn, "landed", names, got.path)
        rows = conn.execute(f"SELECT {', '.join(names)} FROM landed").fetchall()
    assert [dict(zip(names, r, strict=True)) for r in rows] == expected
