"""Drift messages name dataset, table and column; watermarks keep their type through text."""
from datetime import date, datetime
from decimal import Decimal

import pytest

from satudata.catalog import load_catalog
from satudata.sources.drift import drift_message, source_tables
from satudata.sources.watermark import Watermark

SQL = """-- a comment FROM nowhere
SELECT left(p.kode_desa, 8) AS k, count(*) AS n
FROM penduduk AS p
LEFT JOIN wilayah_desa w ON w.kode_desa = p.kode_desa
WHERE p.status = 'AKTIF' GROUP BY 1"""


@pytest.fixture(scope="module")
def contract():
    return load_catalog().contract("jumlah_penduduk_jenis_kelamin_kecamatan")


def test_source_tables_maps_aliases():
    assert source_tables(SQL) == {"penduduk": "penduduk", "p": "penduduk", "wilayah_desa": "wilayah_desa",
                                  "w": "wilayah_desa"}


@pytest.mark.parametrize("reason, table, column", [
    ("column p.jenis_kelamin does not exist", "penduduk", "jenis_kelamin"),  # PostgreSQL, qualified
    ("Unknown column 'w.nama_kecamatan' in 'field list'", "wilayah_desa", "nama_kecamatan"),  # MariaDB
    ('column "status" does not exist', "penduduk or wilayah_desa", "status"),  # unqualified
])
def test_missing_column(contract, reason, table, column):
    message = drift_message(contract, "dinas_disdukcapil", SQL, reason)
    assert message.startswith(f"dataset {contract.id}: source table {table} has no column {column} (renamed")
    assert reason in message and "dinas_disdukcapil" in message


@pytest.mark.parametrize("reason", ['relation "penduduk" does not exist', "Table 'siak.penduduk' doesn't exist"])
def test_missing_table(contract, reason):
    assert drift_message(contract, "c", SQL, reason).startswith(
        f"dataset {contract.id}: source table penduduk does not exist (renamed or dropped?)")


def test_other_errors_are_not_drift(contract):
    assert drift_message(contract, "c", SQL, "connection refused") is None


@pytest.mark.parametrize("value", [datetime(2024, 5, 1, 13, 2, 3), date(2024, 5, 1), 42, "abc"])
def test_watermark_round_trip(value):
    assert Watermark.from_dict(Watermark.of(value).to_dict()).bound == value


def test_watermark_from_drivers():
    assert Watermark.of(Decimal(17)).to_dict() == {"value": "17", "type": "integer"}
    assert Watermark.of(None) is None and Watermark.from_dict(None) is None


def test_a_watermark_never_moves_backwards():
    stored = Watermark.of(date(2024, 5, 1))
    assert Watermark.of(date(2024, 4, 1)).behind(stored)
    assert not Watermark.of(date(2024, 6, 1)).behind(stored) and not Watermark.of(date(2024, 4, 1)).behind(None)
