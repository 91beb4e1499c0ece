"""Reference data: the Kemendagri region codes of Kabupaten Bekasi, with BPS codes alongside.

Codes are the join key everywhere (names are spelled differently by Kemendagri and BPS). The
reference tables feed the validation suites (`$PARAMETER` value sets) and the region columns of
every curated table.
"""
from __future__ import annotations

import csv
from pathlib import Path

import psycopg

DECREE = "Kepmendagri No 300.2.2-2138 Tahun 2025"
DATA_DIR = Path(__file__).resolve().parent / "reference_data"
PROVINSI = ("32", "JAWA BARAT")
KABUPATEN = ("3216", "KABUPATEN BEKASI")


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load(conn: psycopg.Connection) -> dict[str, int]:
    """Upsert the shipped CSVs into reference.*; re-running changes nothing."""
    kec = _rows("bekasi_kecamatan.csv")
    desa = _rows("bekasi_desa_kelurahan.csv")
    with conn.transaction():
        conn.cursor().executemany(
            "INSERT INTO reference.kecamatan (kemendagri_kode, kode_nodot, nama, bps_kode, bps_nama, sumber)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (kemendagri_kode) DO UPDATE SET"
            " kode_nodot = EXCLUDED.kode_nodot, nama = EXCLUDED.nama, bps_kode = EXCLUDED.bps_kode,"
            " bps_nama = EXCLUDED.bps_nama, sumber = EXCLUDED.sumber",
            [(r["kode_kemendagri"], r["kode_kemendagri_nodot"], r["nama_kecamatan"], r["kode_bps"] or None,
              r["nama_bps"] or None, DECREE) for r in kec],
        )
        conn.cursor().executemany(
            "INSERT INTO reference.desa_kelurahan (kemendagri_kode, kode_nodot, nama, status, kecamatan_kode,"
            " bps_kode, sumber_kode_bps, sumber) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (kemendagri_kode) DO UPDATE SET kode_nodot = EXCLUDED.kode_nodot,"
            " nama = EXCLUDED.nama, status = EXCLUDED.status, kecamatan_kode = EXCLUDED.kecamatan_kode,"
            " bps_kode = EXCLUDED.bps_kode, sumber_kode_bps = EXCLUDED.sumber_kode_bps, sumber = EXCLUDED.sumber",
            [(r["kode_kemendagri"], r["kode_kemendagri_nodot"], r["nama_desa_kelurahan"], r["status"],
              r["kode_kecamatan_kemendagri"], r["kode_bps"] or None, r["sumber_kode_bps"] or None, DECREE)
             for r in desa],
        )
    return {"kecamatan": len(kec), "desa_kelurahan": len(desa)}


def expectation_parameters(conn: psycopg.Connection, awal: str | None = None,
                           akhir: str | None = None) -> dict[str, list[str]]:
    """Value sets that suites refer to as {"$PARAMETER": name}.

    With a period [awal, akhir), only the desa/kelurahan codes valid at some time in it count: a code
    retired by a decree (Setia Asih became a kelurahan) is wrong for later periods, right for earlier.
    """
    kec = [r[0] for r in conn.execute("SELECT kemendagri_kode FROM reference.kecamatan ORDER BY 1")]
    desa = [r[0] for r in conn.execute(
        "SELECT kemendagri_kode FROM reference.desa_kelurahan"
        " WHERE (%(akhir)s::date IS NULL OR berlaku_mulai IS NULL OR berlaku_mulai < %(akhir)s::date)"
        " AND (%(awal)s::date IS NULL OR berlaku_sampai IS NULL OR berlaku_sampai >= %(awal)s::date)"
        " ORDER BY 1", {"awal": awal, "akhir": akhir})]
    return {"kode_kecamatan_referensi": kec, "kode_desa_referensi": desa}
