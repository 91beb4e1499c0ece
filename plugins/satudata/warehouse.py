"""The central warehouse: connections and ordered, re-runnable migrations from sql/migrations/.

Each migration runs once, in its own transaction, recorded with its checksum so that an edited
migration is reported instead of silently skipped. An advisory lock keeps two workers from migrating
at the same time.
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import psycopg

from satudata import settings
from satudata.connections import psycopg_connect

log = logging.getLogger(__name__)
MIGRATION_LOCK = 7_216_000_001  # arbitrary, fixed: "32.16" + migrations


def connect(conn_id: str | None = None, **kwargs) -> psycopg.Connection:
    return psycopg_connect(conn_id or settings.WAREHOUSE_CONN_ID, **kwargs)


def migrations(directory: Path | None = None) -> list[Path]:
    return sorted((directory or settings.sql_dir() / "migrations").glob("[0-9][0-9][0-9][0-9]_*.sql"))


def migrate(conn: psycopg.Connection, directory: Path | None = None) -> list[str]:
    """Apply pending migrations; return the versions applied now."""
    applied_now = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS public.satudata_migrations ("
            " version text PRIMARY KEY, checksum text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = dict(conn.execute("SELECT version, checksum FROM public.satudata_migrations").fetchall())
        for path in migrations(directory):
            sql = path.read_text(encoding="utf-8")
            checksum = hashlib.sha256(sql.encode()).hexdigest()
            if path.stem in done:
                if done[path.stem] != checksum:
                    raise RuntimeError(f"migration {path.name} changed after it was applied; "
                                       "add a new migration instead of editing it")
                continue
            log.info("applying migration %s", path.name)
            conn.execute(sql)
            conn.execute("INSERT INTO public.satudata_migrations (version, checksum) VALUES (%s, %s)",
                         (path.stem, checksum))
            applied_now.append(path.stem)
    return applied_now


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
    from satudata.contracts import load_dinas as read

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
    from satudata import reference

    counts = reference.load(conn)
    counts["desa_kelurahan_riwayat"] = load_region_history(conn)
    counts["dinas"] = load_dinas(conn)
    return counts


def record_stage(conn: psycopg.Connection, dataset_id: str, run_id: str, stage: str, status: str, *,
                 started_at=None, rows_in: int | None = None, rows_out: int | None = None,
                 checksum: str | None = None, details: dict | None = None) -> None:
    """One audit.runs row per stage of a run; a retried stage overwrites its own row, never adds one."""
    from psycopg.types.json import Jsonb

    conn.execute(
        "INSERT INTO audit.runs (dataset_id, run_id, stage, status, started_at, rows_in, rows_out, checksum, details)"
        " VALUES (%s, %s, %s, %s, coalesce(%s, clock_timestamp()), %s, %s, %s, %s)"
        " ON CONFLICT (dataset_id, run_id, stage) DO UPDATE SET status = EXCLUDED.status,"
        " started_at = EXCLUDED.started_at, finished_at = clock_timestamp(), rows_in = EXCLUDED.rows_in,"
        " rows_out = EXCLUDED.rows_out, checksum = EXCLUDED.checksum, details = EXCLUDED.details",
        (dataset_id, run_id, stage, status, started_at, rows_in, rows_out, checksum, Jsonb(details or {})))
