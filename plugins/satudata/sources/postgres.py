"""PostgreSQL sources: `COPY (query) TO STDOUT` as CSV that Arrow parses in C, streamed in blocks."""
from __future__ import annotations

import io
import itertools

from satudata import connections
from satudata.catalog import Contract
from satudata.sources.common import arrow_schema, bind, check_columns

# Bytes of COPY output parsed per Arrow CSV block. The reader reads ahead several blocks as Python bytes
# (outside Arrow's pool); 256 KiB instead of 1 MiB kept the extract's peak RSS ~25 MiB lower (1M rows).
CSV_BLOCK_BYTES = 256 << 10
# Rows per Parquet row group on the PostgreSQL route. The writer keeps every row group's metadata until
# it closes (~7 KB each, 8 columns): one row group per CSV block (~3,000 rows) grew peak RSS with the row
# count. The MariaDB route writes its 10k-row fetches as they come: gathering them cost more than it saved.
ROW_GROUP_ROWS = 50_000


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


def write_parquet(contract: Contract, conn_id: str, sql: str, params: dict, writer) -> int:
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


def scalar(conn_id: str, sql: str, params: dict):
    """One value from the source (the watermark query)."""
    query, used = bind(sql, params)
    with connections.psycopg_connect(conn_id) as conn:
        row = conn.execute(query, used).fetchone()
    return row[0] if row else None
