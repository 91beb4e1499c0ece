"""Extract: run the contract's SQL on the dinas database and land the result as a Parquet file.

Aggregation happens in the SQL, at the source, so personal columns never leave the dinas database.
The result is streamed in blocks, never held whole in memory, by the fastest route the source
offers: PostgreSQL sends `COPY (query) TO STDOUT` as CSV that Arrow parses in C; MariaDB/MySQL
streams through mysqlclient's server-side cursor with dates and decimals left as the server's
strings, which Arrow converts a whole column at a time (Python date objects cost 2-3x). Other
dialects go through SQLAlchemy. A query that returns other columns than the contract lists fails
here: that is schema drift or a leak, and nothing downstream may run. So does a source table or
column the query names but the dinas renamed or dropped: the message names dataset, table and column.

Incremental extracts (`source.watermark: true`): the stored watermark (audit.watermarks) is bound as
`:watermark` (NULL on the first run, meaning "everything"); the source's current high-water mark is
read *before* the extract by `<id>.watermark.sql`, and stored only after a successful load
(pipeline.load), so a failed run re-extracts the same rows next time. Rows committed during an
extract with an older timestamp than the mark can be missed; write the watermark query over a
column the source sets at commit (an update timestamp), or keep the extract full.

Spreadsheet drops (`source.type: spreadsheet`) are read, cleaned and aggregated by
satudata.spreadsheet and land exactly like a query result.
"""
from __future__ import annotations

import hashlib
import io
import itertools
import logging
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

from satudata import connections
from satudata.contracts import Contract

log = logging.getLogger(__name__)
CHUNK_ROWS = 50_000
# mysqlclient's rows are Python objects: 10k rows per fetch kept peak RSS ~75 MB lower than 50k (1M rows,
# 8 columns) and ran no slower.
MYSQL_FETCH_ROWS = 10_000
# Bytes of COPY output parsed per Arrow CSV block. The reader reads ahead several blocks as Python bytes
# (outside Arrow's pool); 256 KiB instead of 1 MiB kept the extract's peak RSS ~25 MiB lower (1M rows).
CSV_BLOCK_BYTES = 256 << 10
# Rows per Parquet row group on the PostgreSQL route. The writer keeps every row group's metadata until
# it closes (~7 KB each, 8 columns): one row group per CSV block (~3,000 rows) grew peak RSS with the row
# count. The MariaDB route writes its 10k-row fetches as they come: gathering them cost more than it saved.
ROW_GROUP_ROWS = 50_000
_ARROW_TYPES = {"text": "string", "integer": "int64", "numeric": "float64", "date": "date32", "boolean": "bool"}


# Drivers hand SUM()/AVG() back as Decimal; the contract's type decides what it becomes.
_CASTS = {"integer": int, "numeric": float}


class ExtractError(RuntimeError):
    """The source could not give the rows the contract promises; the message says where."""


class SchemaDrift(ExtractError):
    """The source no longer has a table or column the contract's query or layout names.

    Retrying cannot help: the DAG fails the task at once and nothing downstream runs.
    """


class SourceProblems(ExtractError):
    """A spreadsheet holds cells the contract says must fail the extract (see satudata.spreadsheet)."""


PROBLEMS_KEPT = 200  # problems listed in the stage result; the full list is a file next to the landing


@dataclass(frozen=True)
class Extracted:
    dataset_id: str
    path: str
    rows: int
    sha256: str
    params: dict
    watermark_next: dict | None = None  # {value, type}: stored after a successful load
    problems: list = field(default_factory=list)
    problem_count: int = 0
    source_files: list = field(default_factory=list)

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
        raise SchemaDrift(f"dataset {contract.id}: the query {contract.sql_path.name} on connection "
                          f"{conn_id!r} returned {'; '.join(problems)}. Returned: {', '.join(returned)}")


# SQLAlchemy's rule for `:name` (not `::cast`, not `\\:`), without importing SQLAlchemy on fast routes.
_BIND = re.compile(r"(?<![:\w\\]):(\w+)(?!:)")


def bind(sql: str, params: dict) -> tuple[str, dict]:
    """The SQL with its `:name` parameters in the drivers' `%(name)s` style, and the values it uses."""
    used = {k: params[k] for k in _BIND.findall(sql) if k in params}
    return _BIND.sub(lambda m: f"%({m.group(1)})s" if m.group(1) in used else m.group(0),
                     sql.replace("%", "%%")), used


class _RowGroups:
    """Gathers record batches into row groups of about ROW_GROUP_ROWS rows before writing them."""

    def __init__(self, writer, rows: int | None = None):
        self._writer, self._rows, self._batches, self._pending = writer, rows or ROW_GROUP_ROWS, [], 0

    def write_batch(self, batch) -> None:
        self._batches.append(batch)
        self._pending += batch.num_rows
        if self._pending >= self._rows:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa

        if self._batches:
            self._writer.write_table(pa.Table.from_batches(self._batches))
            self._batches, self._pending = [], 0


def _from_postgres(contract: Contract, conn_id: str, sql: str, params: dict, writer) -> int:
    import psycopg
    import pyarrow.csv as pacsv

    query, used = bind(sql, params)
    names = [c.name for c in contract.columns]
    schema = arrow_schema(contract)
    rows = 0
    out = _RowGroups(writer)
    with connections.psycopg_connect(conn_id) as conn:
        conn.execute("SET DateStyle = ISO")
        literal = psycopg.ClientCursor(conn).mogrify(query, used)
        with conn.cursor() as cur, cur.copy(f"COPY ({literal}) TO STDOUT (FORMAT csv, HEADER true)") as cp:
            # CSV keeps NULL (unquoted, empty) apart from '' (quoted); booleans come as t/f.
            reader = pacsv.open_csv(
                io.BufferedReader(_CopyStream(cp), buffer_size=CSV_BLOCK_BYTES),
                read_options=pacsv.ReadOptions(block_size=CSV_BLOCK_BYTES, use_threads=False),
                parse_options=pacsv.ParseOptions(newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(
                    column_types={f.name: f.type for f in schema}, null_values=[""], strings_can_be_null=True,
                    quoted_strings_can_be_null=False, true_values=["t"], false_values=["f"]))
            check_columns(contract, reader.schema.names, conn_id)
            for batch in reader:
                out.write_batch(batch.select(names))
                rows += batch.num_rows
    out.flush()
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


_TABLES = re.compile(r"\b(?:FROM|JOIN)\s+([A-Za-z_][\w.]*)(?:\s+(?:AS\s+)?([A-Za-z_]\w*))?", re.IGNORECASE)
_NOT_ALIAS = {"where", "on", "using", "group", "order", "left", "right", "inner", "outer", "full", "cross", "join",
              "limit", "having", "union", "natural", "lateral", "window"}
_DRIFT = (
    (re.compile(r'column "?(?:(\w+)\.)?(\w+)"? does not exist'), "column"),  # PostgreSQL
    (re.compile(r"Unknown column '(?:(\w+)\.)?(\w+)'"), "column"),  # MariaDB / MySQL
    (re.compile(r'relation "(?:\w+\.)?(\w+)" does not exist'), "table"),
    (re.compile(r"Table '(?:\w+\.)?(\w+)' doesn't exist"), "table"),
    (re.compile(r"no such (?:table|column): (?:\w+\.)?(\w+)"), "other"),  # SQLite
)


def source_tables(sql: str) -> dict[str, str]:
    """alias (or name) -> table for the tables a query reads, for naming them in drift messages."""
    out: dict[str, str] = {}
    for table, alias in _TABLES.findall(re.sub(r"--[^\n]*", "", sql)):
        if table.lower() in _NOT_ALIAS or table.startswith("("):
            continue
        out[table.split(".")[-1]] = table
        if alias and alias.lower() not in _NOT_ALIAS:
            out[alias] = table
    return out


def drift_message(contract: Contract, conn_id: str, sql: str, reason: str) -> str | None:
    """A steward's sentence for a missing table or column, or None when the error is something else."""
    tables = source_tables(sql)
    for pattern, kind in _DRIFT:
        m = pattern.search(reason)
        if not m:
            continue
        where = f"the query {contract.sql_path.name} on connection {conn_id!r}"
        if kind == "table":
            return (f"dataset {contract.id}: source table {m[1]} does not exist (renamed or dropped?); "
                    f"{where}: {reason}")
        if kind == "column":
            qualifier, column = m[1], m[2]
            table = tables.get(qualifier, qualifier) if qualifier else " or ".join(sorted(set(tables.values())))
            return (f"dataset {contract.id}: source table {table or '?'} has no column {column} (renamed or "
                    f"dropped?); {where}: {reason}")
        return f"dataset {contract.id}: {where}: {reason}"
    return None


def _connect_scalar(conn_id: str, sql: str, params: dict):
    """One value from the source (the watermark query), through the same driver the extract uses."""
    kind = source_kind(conn_id)
    query, used = bind(sql, params)
    if kind == "postgres":
        with connections.psycopg_connect(conn_id) as conn:
            row = conn.execute(query, used).fetchone()
    elif kind == "mysql":
        conn = mysql_connect(conn_id)
        try:
            cur = conn.cursor()
            cur.execute(query, used or None)
            row = cur.fetchone()
            cur.fetchall()
        finally:
            conn.close()
    else:
        from sqlalchemy import text

        engine = connections.sqlalchemy_engine(conn_id)
        try:
            with engine.connect() as c:
                row = c.execute(text(sql), {k: v for k, v in params.items() if f":{k}" in sql}).fetchone()
        finally:
            engine.dispose()
    return row[0] if row else None


def encode_watermark(value) -> dict | None:
    """A source value as {value, type} text, so it can be stored and bound again with its type."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode()
    if isinstance(value, datetime):
        return {"value": value.isoformat(), "type": "timestamp"}
    if isinstance(value, date):
        return {"value": value.isoformat(), "type": "date"}
    if isinstance(value, int) or (hasattr(value, "as_integer_ratio") and float(value).is_integer()
                                  and not isinstance(value, float)):
        return {"value": str(int(value)), "type": "integer"}
    return {"value": str(value), "type": "text"}


def decode_watermark(stored: dict | None):
    if not stored:
        return None
    value, kind = stored["value"], stored["type"]
    return {"timestamp": datetime.fromisoformat, "date": date.fromisoformat, "integer": int}.get(kind, str)(value)


def high_mark(contract: Contract, conn_id: str, params: dict) -> dict | None:
    """The source's current high-water mark, read before the extract runs."""
    sql = contract.watermark_sql_path.read_text(encoding="utf-8")
    try:
        value = _connect_scalar(conn_id, sql, params)
    except _driver_errors() as exc:
        reason = _reason(exc)
        raise (SchemaDrift if drift_message(contract, conn_id, sql, reason) else ExtractError)(
            drift_message(contract, conn_id, sql, reason) or
            f"dataset {contract.id}: the watermark query {contract.watermark_sql_path.name} failed on "
            f"connection {conn_id!r}: {reason}") from None
    return encode_watermark(value)


def stored_watermark(conn, dataset_id: str) -> dict | None:
    row = conn.execute("SELECT value, value_type FROM audit.watermarks WHERE dataset_id = %s",
                       (dataset_id,)).fetchone()
    return {"value": row[0], "type": row[1]} if row else None


def advance_watermark(conn, dataset_id: str, mark: dict, run_id: str) -> None:
    """Store the mark a successful load reached; never move it backwards."""
    with conn.transaction():
        previous = stored_watermark(conn, dataset_id)
        if previous and previous["type"] == mark["type"] and \
                decode_watermark(previous) > decode_watermark(mark):  # type: ignore[operator]
            log.warning("watermark of %s stays at %s (run %s reached only %s)", dataset_id, previous["value"],
                        run_id, mark["value"])
            return
        conn.execute(
            "INSERT INTO audit.watermarks (dataset_id, value, value_type, previous_value, run_id)"
            " VALUES (%s, %s, %s, NULL, %s) ON CONFLICT (dataset_id) DO UPDATE SET"
            " previous_value = audit.watermarks.value, value = EXCLUDED.value, value_type = EXCLUDED.value_type,"
            " run_id = EXCLUDED.run_id, advanced_at = clock_timestamp()",
            (dataset_id, mark["value"], mark["type"], run_id))


def _from_spreadsheet(contract: Contract, params: dict, writer, gazetteer, drop_dir: Path, out_dir: Path
                      ) -> tuple[int, list, int, list[str]]:
    import json

    import pyarrow as pa

    from satudata import spreadsheet

    try:
        rows, cleaned, paths = spreadsheet.extract_rows(
            contract, drop_dir, gazetteer, (params["periode_awal"], params["periode_akhir"]))
    except spreadsheet.SpreadsheetError as exc:
        raise SchemaDrift(str(exc) if str(exc).startswith("dataset ") else f"dataset {contract.id}: {exc}") \
            from None
    problems = cleaned.problems
    if problems:
        (out_dir / f"{contract.id}.masalah.json").write_text(
            json.dumps([p.to_dict() for p in problems], ensure_ascii=False, indent=1), encoding="utf-8")
        for p in problems[:PROBLEMS_KEPT]:
            log.warning("%s: %s", contract.id, p)
    fatal = spreadsheet.fatal(contract, problems)
    if fatal:
        listed = "\n".join(f"  - {p}" for p in fatal[:20])
        more = f"\n  ... dan {len(fatal) - 20} lainnya" if len(fatal) > 20 else ""
        raise SourceProblems(f"dataset {contract.id}: {len(fatal)} sel di berkas sumber tidak dapat dibaca "
                             f"(kontrak: gagal bila ada):\n{listed}{more}")
    writer.write_table(pa.Table.from_pylist(rows, schema=arrow_schema(contract)))
    log.info("%s: %d data rows read from %s, %d left out for problems, %d rows after aggregation", contract.id,
             cleaned.read_rows, ", ".join(cleaned.sheets), cleaned.dropped_rows, len(rows))
    return len(rows), [p.to_dict() for p in problems[:PROBLEMS_KEPT]], len(problems), [
        str(p.relative_to(drop_dir)) for p in paths]


def extract(contract: Contract, conn_id: str, params: dict, out_dir: Path, *, gazetteer=None,
            drop_dir: Path | None = None, watermark_next: dict | None = None) -> Extracted:
    """Run the extract SQL with bound parameters (or read the spreadsheet drop) and write
    `<out_dir>/<dataset>.parquet`."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{contract.id}.parquet"
    tmp = path.with_suffix(".parquet.part")
    problems: list = []
    problem_count = 0
    files: list[str] = []
    if contract.source.type == "spreadsheet":
        from satudata import settings

        if gazetteer is None:
            raise ExtractError(f"dataset {contract.id}: a spreadsheet source needs the region gazetteer")
        used = {k: v for k, v in params.items() if k in ("periode_awal", "periode_akhir")}
        try:
            with pq.ParquetWriter(tmp, arrow_schema(contract)) as writer:
                rows, problems, problem_count, files = _from_spreadsheet(
                    contract, params, writer, gazetteer, drop_dir or settings.drop_dir(), out_dir)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    else:
        sql = contract.sql_path.read_text(encoding="utf-8")
        used = {k: v for k, v in params.items() if f":{k}" in sql}
        route = {"postgres": _from_postgres, "mysql": _from_mysql}.get(source_kind(conn_id), _from_sqlalchemy)
        try:
            with pq.ParquetWriter(tmp, arrow_schema(contract)) as writer:
                rows = route(contract, conn_id, sql, params, writer)
        except _driver_errors() as exc:
            tmp.unlink(missing_ok=True)
            reason = _reason(exc)
            drift = drift_message(contract, conn_id, sql, reason)
            if drift:
                raise SchemaDrift(drift) from None
            raise ExtractError(f"dataset {contract.id}: the query {contract.sql_path.name} failed on connection "
                               f"{conn_id!r}: {reason}") from None
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
    return Extracted(contract.id, str(path), rows, digest,
                     {k: (None if v is None else str(v)) for k, v in used.items()}, watermark_next, problems,
                     problem_count, files)
