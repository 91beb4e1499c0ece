"""Extract: run the contract's SQL on the dinas database and land the result as a Parquet file.

Aggregation happens in the SQL, at the source, so personal columns never leave the dinas database.
The result is streamed in blocks, never held whole in memory, by the fastest route the source
offers: PostgreSQL sends `COPY (query) TO STDOUT` as CSV that Arrow parses in C; MariaDB/MySQL
streams through mysqlclient's server-side cursor with dates and decimals left as the server's
strings, which Arrow converts a whole column at a time (Python date objects cost 2-3x). Other
dialects go through SQLAlchemy. A query that returns other columns than the contract lists fails
here: that is schema drift or a leak, and nothing downstream may run.
"""
from __future__ import annotations

import hashlib
import io
import itertools
import logging
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

from satudata import connections
from satudata.contracts import Contract

log = logging.getLogger(__name__)
CHUNK_ROWS = 50_000
# mysqlclient's rows are Python objects: 10k rows per fetch kept peak RSS ~75 MB lower than 50k (1M rows,
# 8 columns) and ran no slower.
MYSQL_FETCH_ROWS = 10_000
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


# SQLAlchemy's rule for `:name` (not `::cast`, not `\\:`), without importing SQLAlchemy on fast routes.
_BIND = re.compile(r"(?<![:\w\\]):(\w+)(?!:)")


def bind(sql: str, params: dict) -> tuple[str, dict]:
    """The SQL with its `:name` parameters in the drivers' `%(name)s` style, and the values it uses."""
    used = {k: params[k] for k in _BIND.findall(sql) if k in params}
    return _BIND.sub(lambda m: f"%({m.group(1)})s" if m.group(1) in used else m.group(0),
                     sql.replace("%", "%%")), used


def _from_postgres(contract: Contract, conn_id: str, sql: str, params: dict, writer) -> int:
    import psycopg
    import pyarrow.csv as pacsv

    query, used = bind(sql, params)
    names = [c.name for c in contract.columns]
    schema = arrow_schema(contract)
    rows = 0
    with connections.psycopg_connect(conn_id) as conn:
        conn.execute("SET DateStyle = ISO")
        literal = psycopg.ClientCursor(conn).mogrify(query, used)
        with conn.cursor() as cur, cur.copy(f"COPY ({literal}) TO STDOUT (FORMAT csv, HEADER true)") as cp:
            # CSV keeps NULL (unquoted, empty) apart from '' (quoted); booleans come as t/f.
            reader = pacsv.open_csv(
                io.BufferedReader(_CopyStream(cp), buffer_size=1 << 20),
                read_options=pacsv.ReadOptions(block_size=1 << 20, use_threads=False),
                parse_options=pacsv.ParseOptions(newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(
                    column_types={f.name: f.type for f in schema}, null_values=[""], strings_can_be_null=True,
                    quoted_strings_can_be_null=False, true_values=["t"], false_values=["f"]))
            check_columns(contract, reader.schema.names, conn_id)
            for batch in reader:
                writer.write_batch(batch.select(names))
                rows += batch.num_rows
    return rows


class _CopyStream(io.RawIOBase):
    """A file-like view of a psycopg COPY TO STDOUT, so Arrow's CSV reader can pull from it.

    libpq hands over one row per call; rows are joined a thousand at a time so that the Python
    overhead is paid per block, not per row.
    """

    def __init__(self, copy, rows_per_block: int = 1000):
        self._blocks = iter(copy)
        self._rows = rows_per_block
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self._pending:
            self._pending = memoryview(b"".join(itertools.islice(self._blocks, self._rows)))
            if not self._pending:
                return 0
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def mysql_connect(conn_id: str):
    """mysqlclient with utf8mb4 and no Python conversion of dates/decimals (Arrow converts them)."""
    import MySQLdb
    import MySQLdb.cursors
    from MySQLdb.constants import FIELD_TYPE
    from MySQLdb.converters import conversions

    raw = (FIELD_TYPE.DATE, FIELD_TYPE.DATETIME, FIELD_TYPE.TIMESTAMP, FIELD_TYPE.DECIMAL, FIELD_TYPE.NEWDECIMAL)
    conn = connections.get_connection(conn_id)
    return MySQLdb.connect(host=conn.host, port=int(conn.port or 3306), user=conn.login or "",
                           password=conn.password or "", database=conn.schema or "", charset="utf8mb4",
                           conv={k: v for k, v in conversions.items() if k not in raw},
                           cursorclass=MySQLdb.cursors.SSCursor)


def _arrow_column(values, target):
    """One column of driver values as the contract's Arrow type; server strings are parsed in C."""
    import pyarrow as pa

    array = pa.array(values)
    if pa.types.is_binary(array.type):
        array = array.cast(pa.string())
    if pa.types.is_string(array.type) and pa.types.is_integer(target):
        array = array.cast(pa.decimal128(38, 0))  # SUM() arrives as "123"; "12.5" fails, as it should
    return array.cast(target)


def _from_mysql(contract: Contract, conn_id: str, sql: str, params: dict, writer) -> int:
    import pyarrow as pa

    query, used = bind(sql, params)
    schema = arrow_schema(contract)
    rows = 0
    conn = mysql_connect(conn_id)
    try:
        cur = conn.cursor()
        cur.execute(query, used or None)
        returned = [d[0] for d in cur.description]
        check_columns(contract, returned, conn_id)
        position = {name: i for i, name in enumerate(returned)}
        while chunk := cur.fetchmany(MYSQL_FETCH_ROWS):
            columns = list(zip(*chunk))
            writer.write_batch(pa.record_batch(
                [_arrow_column(columns[position[f.name]], f.type) for f in schema], schema=schema))
            rows += len(chunk)
        cur.close()
    finally:
        conn.close()
    return rows


def _from_sqlalchemy(contract: Contract, conn_id: str, sql: str, params: dict, writer) -> int:
    import pyarrow as pa
    from sqlalchemy import text

    used = {k: v for k, v in params.items() if f":{k}" in sql}
    schema = arrow_schema(contract)
    casts = [(c.name, _CASTS.get(c.type)) for c in contract.columns]
    rows = 0
    engine = connections.sqlalchemy_engine(conn_id)
    try:
        with engine.connect() as conn:
            result = conn.execution_options(stream_results=True, max_row_buffer=CHUNK_ROWS).execute(
                text(sql), used)
            check_columns(contract, list(result.keys()), conn_id)
            for chunk in result.mappings().partitions(CHUNK_ROWS):
                writer.write_table(pa.Table.from_pylist(
                    [{k: (f(r[k]) if f and r[k] is not None else r[k]) for k, f in casts} for r in chunk],
                    schema=schema))
                rows += len(chunk)
    finally:
        engine.dispose()
    return rows


def source_kind(conn_id: str) -> str:
    kind = connections.get_connection(conn_id).conn_type
    return {"postgresql": "postgres", "mariadb": "mysql"}.get(kind, kind)


def _driver_errors() -> tuple[type[BaseException], ...]:
    import psycopg
    from sqlalchemy.exc import DBAPIError

    errors: tuple[type[BaseException], ...] = (psycopg.Error, DBAPIError)
    try:
        import MySQLdb

        errors += (MySQLdb.Error,)
    except ImportError:
        pass
    return errors


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    if getattr(orig, "args", None) and len(orig.args) == 2 and isinstance(orig.args[0], int):
        orig = orig.args[1]  # MySQLdb: (errno, message)
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(exc).__name__


def extract(contract: Contract, conn_id: str, params: dict, out_dir: Path) -> Extracted:
    """Run the extract SQL with bound parameters and write `<out_dir>/<dataset>.parquet`."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sql = contract.sql_path.read_text(encoding="utf-8")
    used = {k: v for k, v in params.items() if f":{k}" in sql}
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{contract.id}.parquet"
    tmp = path.with_suffix(".parquet.part")
    route = {"postgres": _from_postgres, "mysql": _from_mysql}.get(source_kind(conn_id), _from_sqlalchemy)
    try:
        with pq.ParquetWriter(tmp, arrow_schema(contract)) as writer:
            rows = route(contract, conn_id, sql, params, writer)
    except _driver_errors() as exc:
        tmp.unlink(missing_ok=True)
        raise ExtractError(f"dataset {contract.id}: the query {contract.sql_path.name} failed on connection "
                           f"{conn_id!r}: {_reason(exc)}") from None
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, ValueError) as exc:
        tmp.unlink(missing_ok=True)
        raise ExtractError(f"dataset {contract.id}: a value does not fit the contract's column types: {exc}") \
            from None
    except ExtractError:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(path)
    with path.open("rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    log.info("extracted %s rows of %s to %s", rows, contract.id, path)
    return Extracted(contract.id, str(path), rows, digest, {k: str(v) for k, v in used.items()})
