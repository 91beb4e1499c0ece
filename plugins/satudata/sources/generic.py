"""Any other SQLAlchemy dialect: results streamed in partitions and converted to the contract's types."""
from __future__ import annotations

from satudata import connections
from satudata.catalog import Contract
from satudata.sources.common import CASTS, CHUNK_ROWS, arrow_schema, check_columns, used_params


def write_parquet(contract: Contract, conn_id: str, sql: str, params: dict, writer) -> int:
    import pyarrow as pa
    from sqlalchemy import text

    used = used_params(sql, params)
    schema = arrow_schema(contract)
    casts = [(c.name, CASTS.get(c.type)) for c in contract.columns]
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


def scalar(conn_id: str, sql: str, params: dict):
    """One value from the source (the watermark query)."""
    from sqlalchemy import text

    engine = connections.sqlalchemy_engine(conn_id)
    try:
        with engine.connect() as c:
            row = c.execute(text(sql), used_params(sql, params)).fetchone()
    finally:
        engine.dispose()
    return row[0] if row else None
