"""Reference data: the Kemendagri region codes of Kabupaten Bekasi, with BPS codes alongside, and the dinas.

Codes are the join key everywhere (names are spelled differently by Kemendagri and BPS). The
reference tables feed the validation suites (`$PARAMETER` value sets), the source checks, region
harmonisation (the gazetteer's rows) and the region columns of every curated table. The CSVs ship
in `reference_data/`.
"""
from __future__ import annotations

import csv
from pathlib import Path

import psycopg

DECREE = "Kepmendagri No 300.2.2-2138 Tahun 2025"
DATA_DIR = Path(__file__).resolve().parent / "reference_data"
GAZETTEER_COLUMNS = {"kecamatan": ("kemendagri_kode", "nama", "bps_kode", "bps_nama"),
                     "desa": ("kemendagri_kode", "nama", "bps_kode", "kecamatan_kode")}
PROVINSI = ("32", "JAWA BARAT")
KABUPATEN = ("3216", "KABUPATEN BEKASI")


def csv_rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load(conn: psycopg.Connection) -> dict[str, int]:
    """Upsert the shipped CSVs into reference.*; re-running changes nothing."""
    kec = csv_rows("bekasi_kecamatan.csv")
    desa = csv_rows("bekasi_desa_kelurahan.csv")
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


# Setia Asih changed from desa to kelurahan and so changed code; both rows stay, each with its validity,
# so that a 2020 dataset still finds its region. The exact date of the change is not in our sources:
# 2021 is the last period the old code is seen (Open Data Jabar's desa files), the new code is in the
# 2025 decree.
REGION_HISTORY = (
    {"kemendagri_kode": "32.16.01.2007", "kode_nodot": "3216012007", "nama": "Setia Asih", "status": "desa",
     "kecamatan_kode": "32.16.01", "bps_kode": "3216100002", "sumber_kode_bps": "ODJ 2019-2021",
     "sumber": "Open Data Jabar, data desa 2019-2021", "berlaku_mulai": None, "berlaku_sampai": "2021-12-31",
     "keterangan": "Menjadi kelurahan 32.16.01.1007; tanggal perubahan pasti tidak tercatat di sumber, "
                   "2021 adalah periode terakhir kode ini terlihat."},
)
REGION_SUCCESSORS = {"32.16.01.1007": ("2022-01-01", "Sebelumnya desa 32.16.01.2007.")}


def load_region_history(conn: psycopg.Connection) -> int:
    """Add retired codes with their validity and date their successors; re-running changes nothing."""
    cols = list(REGION_HISTORY[0])
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in cols[1:])
    with conn.transaction():
        conn.cursor().executemany(
            f"INSERT INTO reference.desa_kelurahan ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
            f" ON CONFLICT (kemendagri_kode) DO UPDATE SET {updates}",
            [tuple(row[c] for c in cols) for row in REGION_HISTORY])
        for code, (since, note) in REGION_SUCCESSORS.items():
            conn.execute("UPDATE reference.desa_kelurahan SET berlaku_mulai = %s, keterangan = %s"
                         " WHERE kemendagri_kode = %s", (since, note, code))
    return len(REGION_HISTORY)


def load_dinas(conn: psycopg.Connection, dinas: dict | None = None) -> int:
    """Mirror contracts/dinas.yaml into reference.dinas, so SQL (lineage, dashboards) can name producers."""
    from satudata.catalog import load_dinas as read

    dinas = read() if dinas is None else dinas
    with conn.transaction():
        conn.cursor().executemany(
            "INSERT INTO reference.dinas (id, nama, singkatan, ckan_organization, kontak, conn_id)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET nama = EXCLUDED.nama,"
            " singkatan = EXCLUDED.singkatan, ckan_organization = EXCLUDED.ckan_organization,"
            " kontak = EXCLUDED.kontak, conn_id = EXCLUDED.conn_id",
            [(d.id, d.nama, d.singkatan, d.ckan_organization, d.kontak, d.conn_id or f"dinas_{d.id}")
             for d in dinas.values()])
    return len(dinas)


def load_reference(conn: psycopg.Connection) -> dict[str, int]:
    """Everything in the reference schema: region codes (with history) and the dinas catalogue."""
    counts = load(conn)
    counts["desa_kelurahan_riwayat"] = load_region_history(conn)
    counts["dinas"] = load_dinas(conn)
    return counts


def gazetteer_rows(conn: psycopg.Connection) -> tuple[list[dict], list[dict]]:
    """Kecamatan and desa/kelurahan rows as region harmonisation reads them (satudata.quality.harmonise)."""
    kec = [dict(zip(GAZETTEER_COLUMNS["kecamatan"], r, strict=True)) for r in
           conn.execute("SELECT kemendagri_kode, nama, bps_kode, bps_nama FROM reference.kecamatan")]
    desa = [dict(zip(GAZETTEER_COLUMNS["desa"], r, strict=True)) for r in
            conn.execute("SELECT kemendagri_kode, nama, bps_kode, kecamatan_kode FROM reference.desa_kelurahan")]
    return kec, desa


def gazetteer_rows_from_csv() -> tuple[list[dict], list[dict]]:
    """The same rows from the CSVs shipped with the package (tests; the warehouse holds the same)."""
    kec = [{"kemendagri_kode": r["kode_kemendagri"], "nama": r["nama_kecamatan"], "bps_kode": r["kode_bps"],
            "bps_nama": r["nama_bps"]} for r in csv_rows("bekasi_kecamatan.csv")]
    desa = [{"kemendagri_kode": r["kode_kemendagri"], "nama": r["nama_desa_kelurahan"], "bps_kode": r["kode_bps"],
             "kecamatan_kode": r["kode_kecamatan_kemendagri"]} for r in csv_rows("bekasi_desa_kelurahan.csv")]
    return kec, desa
