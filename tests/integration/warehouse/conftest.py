"""A private warehouse per test module (support.throwaway_warehouse), connections to it, landed files."""
import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ...support import throwaway_warehouse

DATASET = "jumlah_penduduk_jenis_kelamin_kecamatan"


@pytest.fixture(scope="module")
def warehouse_url():
    with throwaway_warehouse() as url:
        yield url


@pytest.fixture
def connect(warehouse_url):
    opened = []

    def _connect(**kwargs):
        conn = psycopg.connect(warehouse_url, **kwargs)
        opened.append(conn)
        return conn

    yield _connect
    for conn in opened:
        conn.close()


@pytest.fixture(scope="module")
def contract():
    from satudata.catalog import load_catalog

    return load_catalog().contract(DATASET)


def kecamatan_codes() -> list[str]:
    from satudata.warehouse.reference import csv_rows as _rows

    return [r["kode_kemendagri"] for r in _rows("bekasi_kecamatan.csv")]


def write_landed(path, year: int, offset: int = 0) -> str:
    """A landed extract as the real extract writes it: every kecamatan × sex for one year."""
    codes = kecamatan_codes()
    rows = [(code, sex, 1000 + i * 7 + (sex == "PEREMPUAN") + offset, year)
            for i, code in enumerate(codes) for sex in ("LAKI-LAKI", "PEREMPUAN")]
    table = pa.table({"kemendagri_kode_kecamatan": [r[0] for r in rows], "jenis_kelamin": [r[1] for r in rows],
                      "jumlah_penduduk": pa.array([r[2] for r in rows], pa.int64()),
                      "tahun": pa.array([r[3] for r in rows], pa.int64())})
    pq.write_table(table, path)
    return str(path)
