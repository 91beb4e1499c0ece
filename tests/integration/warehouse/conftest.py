"""A private warehouse per test module: migrated, reference data loaded, dropped afterwards.

Names start with satudata_test_ and carry a random suffix, so that runs never meet each other's
leftovers and the tests pass twice in a row.
"""
import os
import uuid

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from psycopg import sql

PG_ADMIN = os.environ.get("SATUDATA_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_BASE = PG_ADMIN.rsplit("/", 1)[0]
DATASET = "jumlah_penduduk_jenis_kelamin_kecamatan"


def admin(statement, params=None) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(statement, params)


@pytest.fixture(scope="module")
def warehouse_url():
    from satudata.warehouse.migrate import migrate
    from satudata.warehouse.reference import load_reference

    name = f"satudata_test_wh_{uuid.uuid4().hex[:8]}"
    admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = f"{PG_BASE}/{name}"
    with psycopg.connect(url) as conn:
        migrate(conn)
        load_reference(conn)
    yield url
    admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


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
