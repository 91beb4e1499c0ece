"""Extract: run the contract's SQL on the dinas database and land the result as a Parquet file.

Aggregation happens in the SQL, at the source, so personal columns never leave the dinas database.
The result is streamed (server-side cursor) in chunks, never held whole in memory. A query that
returns other columns than the contract lists fails here: that is schema drift or a leak, and
nothing downstream may run.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

from satudata.connections import sqlalchemy_engine
from satudata.contracts import Contract

log = logging.getLogger(__name__)
CHUNK_ROWS = 50_000
_ARROW_TYPES = {"text": "string", "integer": "int64", "numeric": "float64", "date": "date32", "boolean": "bool"}


# Drivers hand SUM()/AVG() back as Decimal; the contract's type decides what it becomes.
_CASTS = {"integer": int, "numeric": float}


class ExtractError(RuntimeError):
    """The source could not give the rows the contract promises; the message says where."""


@dataclass(frozen=True)
class Extracted:
    dataset_id: str
    path: str
    rows: int
    sha256: str
    params: dict

    def to_dict(self) -> dict:
        return asdict(self)


def period_params(start: datetime | date, end: datetime | date) -> dict:
    """Bind parameters every extract SQL may use, taken from the run's data interval (never now())."""
    return {
        "periode_awal": start.date() if isinstance(start, datetime) else start,
        "periode_akhir": end.date() if isinstance(end, datetime) else end,
        "tahun": start.year,
        "bulan": start.month,
    }


def arrow_schema(contract: Contract):
    import pyarrow as pa

    return pa.schema([(c.name, pa.type_for_alias(_ARROW_TYPES[c.type])) for c in contract.columns])


def check_columns(contract: Contract, returned: list[str], conn_id: str) -> None:
    expected = [c.name for c in contract.columns]
    missing = [c for c in expected if c not in returned]
    extra = [c for c in returned if c not in expected]
    problems = []
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if extra:
        problems.append(f"unexpected column(s) {', '.join(extra)} (not in the contract; never published)")
    if problems:
        raise ExtractError(f"dataset {contract.id}: the query {contract.sql_path.name} on connection "
                           f"{conn_id!r} returned {'; '.join(problems)}. Returned: {', '.join(returned)}")


def extract(contract: Contract, conn_id: str, params: dict, out_dir: Path) -> Extracted:
    """Run the extract SQL with bound parameters and write `<out_dir>/<dataset>.parquet`."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    sql = contract.sql_path.read_text(encoding="utf-8")
    used = {k: v for k, v in params.items() if f":{k}" in sql}
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{contract.id}.parquet"
    tmp = path.with_suffix(".parquet.part")
    schema = arrow_schema(contract)
    rows = 0
    engine = sqlalchemy_engine(conn_id)
    try:
        with engine.connect() as conn:
            result = conn.execution_options(stream_results=True, max_row_buffer=CHUNK_ROWS).execute(
                text(sql), used)
            check_columns(contract, list(result.keys()), conn_id)
            casts = [(c.name, _CASTS.get(c.type)) for c in contract.columns]
            with pq.ParquetWriter(tmp, schema) as writer:
                for chunk in result.mappings().partitions(CHUNK_ROWS):
                    batch = pa.Table.from_pylist(
                        [{k: (f(r[k]) if f and r[k] is not None else r[k]) for k, f in casts} for r in chunk],
                        schema=schema)
                    writer.write_table(batch)
                    rows += batch.num_rows
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise ExtractError(f"dataset {contract.id}: the query {contract.sql_path.name} failed on connection "
                           f"{conn_id!r}: {reason}") from None
    except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError) as exc:
        raise ExtractError(f"dataset {contract.id}: a value does not fit the contract's column types: {exc}") \
            from None
    finally:
        engine.dispose()
    tmp.replace(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    log.info("extracted %s rows of %s to %s", rows, contract.id, path)
    return Extracted(contract.id, str(path), rows, digest, {k: str(v) for k, v in used.items()})
