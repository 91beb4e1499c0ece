"""Ordered, re-runnable warehouse migrations from sql/migrations/.

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

log = logging.getLogger(__name__)
MIGRATION_LOCK = 7_216_000_001  # arbitrary, fixed: "32.16" + migrations


def migrations(directory: Path | None = None) -> list[Path]:
    return sorted((directory or settings.migrations_dir()).glob("[0-9][0-9][0-9][0-9]_*.sql"))


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
