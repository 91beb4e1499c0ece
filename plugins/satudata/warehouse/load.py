"""Load: COPY the validated rows into staging, then promote them to curated in one transaction.

The curated table's shape is satudata.warehouse.curated. Promotion replaces exactly the periods the run brings; any failure rolls everything back, so curated
is either the old table or the new one, never a mix. An advisory lock keeps two loads of one dataset
from interleaving. Reruns of the same data leave the table byte-identical.
"""
from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

import psycopg
from psycopg import sql

from satudata.catalog import Contract
from satudata.errors import LoadError
from satudata.warehouse.audit import record_stage
from satudata.warehouse.curated import REGION_JOINS, SQL_TYPES, curated_columns, curated_ddl, table_checksum

log = logging.getLogger(__name__)
BATCH_ROWS = 10_000  # rows per Arrow batch rendered as CSV: small enough to keep RSS flat

@dataclass(frozen=True)
class Loaded:
    dataset_id: str
    rows: int
    periods: list
    checksum: str

    def to_dict(self) -> dict:
        return asdict(self)


def _check_curated_shape(conn: psycopg.Connection, contract: Contract) -> None:
    have = [r[0] for r in conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'curated' AND table_name = %s"
        " ORDER BY ordinal_position", (contract.table,))]
    want = [name for name, _, _ in curated_columns(contract)]
    if have and have != want:
        raise LoadError(f"dataset {contract.id}: curated.{contract.table} has columns {have}, the contract "
                        f"gives {want}; add a migration under sql/ that changes the table")


def file_sha256(path) -> str | None:
    """sha256 of a text file (the extract query, the suite), for lineage; None when it does not exist."""
    from pathlib import Path

    path = Path(path)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def copy_parquet(conn: psycopg.Connection, table: str, columns: list[str], parquet_path: str) -> None:
    """COPY a Parquet file into `table` as CSV written by Arrow.

    Arrow renders a whole batch in C, several times faster than psycopg's `write_row` per value. Its
    CSV quotes every string and leaves NULL unquoted and empty, which is exactly how PostgreSQL's CSV
    format tells NULL from '' apart.
    """
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    options = pacsv.WriteOptions(include_header=False)
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT csv)"
    # Read one column chunk at a time through a small buffer, on this thread: pre-buffering and the
    # thread pool hold whole row groups and per-thread arenas (about 30 MiB more at peak, measured).
    with pq.ParquetFile(parquet_path, pre_buffer=False, buffer_size=1 << 20) as parquet, \
            conn.cursor() as cur, cur.copy(statement) as cp:
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=columns, use_threads=False):
            buf = io.BytesIO()
            pacsv.write_csv(batch, buf, options)
            cp.write(buf.getbuffer())


def _source_conn_id(conn: psycopg.Connection, contract: Contract) -> str:
    """The connection the rows came from, as the catalog resolves it (reference.dinas mirrors dinas.yaml)."""
    if contract.source.conn_id:
        return contract.source.conn_id
    row = conn.execute("SELECT conn_id FROM reference.dinas WHERE id = %s", (contract.dinas,)).fetchone()
    return row[0] if row else f"dinas_{contract.dinas}"


def _period_facts(conn: psycopg.Connection, contract: Contract, periods: list) -> tuple[dict, dict]:
    """Rows and md5 per period in curated, keyed by the period as text (the lineage view's key)."""
    query = sql.SQL("SELECT {p}::text, count(*), md5(string_agg(t::text, E'\\n' ORDER BY {key})) "
                    "FROM curated.{t} t WHERE {p} = ANY(%s) GROUP BY 1").format(
        p=sql.Identifier(contract.period_column), t=sql.Identifier(contract.table),
        key=sql.SQL(", ").join(map(sql.Identifier, contract.primary_key)))
    found = conn.execute(query, (periods,)).fetchall()
    return {p: n for p, n, _ in found}, {p: md5 for p, _, md5 in found}


def load(conn: psycopg.Connection, contract: Contract, parquet_path: str, run_id: str,
         source_conn_id: str | None = None) -> Loaded:
    """Stage the Parquet rows with COPY and promote them; all in one transaction.

    A lost connection (killed backend, network) rolls the transaction back on the server: curated
    stays as it was and the next run starts afresh.
    """
    try:
        return _load(conn, contract, parquet_path, run_id, source_conn_id)
    except psycopg.OperationalError as exc:
        raise LoadError(f"dataset {contract.id}: the warehouse connection was lost during the load "
                        f"({str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__});"
                        " the transaction rolled back, curated unchanged") from exc


def _load(conn: psycopg.Connection, contract: Contract, parquet_path: str, run_id: str,
          source_conn_id: str | None) -> Loaded:
    started = datetime.now(UTC)
    names = [c.name for c in contract.columns]
    stage_cols = ", ".join(f"{c.name} {SQL_TYPES[c.type]}" for c in contract.columns)
    target = curated_columns(contract)
    period = contract.period_column
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"satudata:{contract.id}",))
        conn.execute(curated_ddl(contract))
        _check_curated_shape(conn, contract)
        conn.execute(f"DROP TABLE IF EXISTS staging.{contract.table}")
        # Unlogged: staging is rebuilt by every load, so its rows need no WAL (COPY runs faster).
        conn.execute(f"CREATE UNLOGGED TABLE staging.{contract.table} ({stage_cols})")
        copy_parquet(conn, f"staging.{contract.table}", names, parquet_path)
        staged = conn.execute(f"SELECT count(*) FROM staging.{contract.table}").fetchone()[0]
        periods = [r[0] for r in conn.execute(
            f"SELECT DISTINCT {period} FROM staging.{contract.table} ORDER BY 1")]
        conn.execute(f"DELETE FROM curated.{contract.table} WHERE {period} = ANY(%s)", (periods,))
        join = REGION_JOINS[contract.region.level].format(region=contract.region.column)
        insert = (f"INSERT INTO curated.{contract.table} ({', '.join(n for n, _, _ in target)}) "
                  f"SELECT {', '.join(e for _, _, e in target)} FROM staging.{contract.table} s {join}")
        try:
            inserted = conn.execute(insert, {"satuan": contract.satuan}).rowcount
        except psycopg.errors.NotNullViolation as exc:
            raise LoadError(f"dataset {contract.id}: a region code in column {contract.region.column} is not in "
                            f"the reference tables ({exc.diag.column_name} would be empty); curated unchanged") \
                from None
        period_rows, period_checksums = _period_facts(conn, contract, periods)
        checksum = table_checksum(conn, contract)
        details = {"periods": [str(p) for p in periods], "period_rows": period_rows,
                   "period_checksums": period_checksums,
                   "source_conn_id": source_conn_id or _source_conn_id(conn, contract),
                   "query_sha256": file_sha256(contract.sql_path), "suite_sha256": file_sha256(contract.suite_path),
                   "landed_sha256": file_sha256(parquet_path)}
        record_stage(conn, contract.id, run_id, "load", "success", started_at=started, rows_in=staged,
                     rows_out=inserted, checksum=checksum, details=details)
    log.info("loaded %s rows into curated.%s for %s %s", inserted, contract.table, period, periods)
    return Loaded(contract.id, inserted, [_plain(p) for p in periods], checksum)


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
