"""How fast GX validates: 1M rows x 10 expectations in memory, in chunks, and as SQL on the landed table.

    .venv/bin/python bench/validate_bench.py [--rows 1000000] [--chunk 250000] [--no-sql]

In memory is the default path (target <= 2 s). For sources too large for memory there are two ways:
reading the landed Parquet in chunks (row-level checks add up; table-level ones, row count and
compound uniqueness, need the whole table and are left to SQL), and GX's SQL engine on the landed
table in PostgreSQL (SATUDATA_PG_ADMIN_URL; a database satudata_test_bench_* is created and dropped).
"""
from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
import uuid
from pathlib import Path

logging.getLogger("great_expectations").setLevel(logging.WARNING)

PG_ADMIN = os.environ.get("SATUDATA_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def frame(rows: int):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(7)
    codes = [f"32.16.{i:02d}" for i in range(1, 24)]
    return pd.DataFrame({
        "id": np.arange(rows, dtype="int64"),
        "kemendagri_kode_kecamatan": pd.array(rng.choice(codes, rows), dtype="str"),
        "jenis_kelamin": pd.array(rng.choice(["LAKI-LAKI", "PEREMPUAN"], rows), dtype="str"),
        "jumlah": rng.integers(0, 5000, rows),
        "tahun": rng.integers(2019, 2026, rows),
    }), codes


def expectations(codes: list[str], whole_table: bool = True) -> list:
    import great_expectations as gx

    e = gx.expectations
    out = [
        e.ExpectColumnValuesToBeInSet(column="kemendagri_kode_kecamatan", value_set=codes),
        e.ExpectColumnValuesToBeInSet(column="jenis_kelamin", value_set=["LAKI-LAKI", "PEREMPUAN"]),
        e.ExpectColumnValuesToNotBeNull(column="jumlah"),
        e.ExpectColumnValuesToBeBetween(column="jumlah", min_value=0),
        e.ExpectColumnValuesToBeBetween(column="jumlah", max_value=500_000, severity="warning"),
        e.ExpectColumnValuesToBeBetween(column="tahun", min_value=2000, max_value=2100),
        e.ExpectColumnValuesToNotBeNull(column="kemendagri_kode_kecamatan"),
        e.ExpectColumnValueLengthsToEqual(column="kemendagri_kode_kecamatan", value=8),
    ]
    if whole_table:
        out += [e.ExpectColumnValuesToBeUnique(column="id"),
                e.ExpectTableRowCountToBeBetween(min_value=1, max_value=10_000_000, severity="warning")]
    else:
        out += [e.ExpectColumnValuesToNotBeNull(column="tahun"),
                e.ExpectColumnValuesToNotBeNull(column="jenis_kelamin")]
    return out


def context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    return gx, ctx


def pandas_definition(name: str, exps: list):
    gx, ctx = context()
    suite = ctx.suites.add(gx.ExpectationSuite(name=name, expectations=exps))
    batch = ctx.data_sources.add_pandas(name).add_dataframe_asset(name).add_batch_definition_whole_dataframe("b")
    return ctx.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))


def in_memory(df, codes, result_format: str = "SUMMARY") -> tuple[float, bool]:
    definition = pandas_definition(f"mem_{result_format}", expectations(codes))
    t = time.perf_counter()
    result = definition.run(batch_parameters={"dataframe": df}, result_format={"result_format": result_format})
    return time.perf_counter() - t, result.success


def chunked(df, codes, chunk: int) -> tuple[float, bool, int]:
    import pyarrow.parquet as pq

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "landed.parquet"
        df.to_parquet(path, row_group_size=chunk)
        definition = pandas_definition("chunk", expectations(codes, whole_table=False))
        t = time.perf_counter()
        ok, n = True, 0
        for batch in pq.ParquetFile(path).iter_batches(batch_size=chunk):
            result = definition.run(batch_parameters={"dataframe": batch.to_pandas()},
                                    result_format={"result_format": "SUMMARY"})
            ok, n = ok and result.success, n + 1
        return time.perf_counter() - t, ok, n


def as_sql(df, codes) -> tuple[float, float, bool]:
    import psycopg
    from psycopg import sql

    name = f"satudata_test_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    try:
        t = time.perf_counter()
        with psycopg.connect(url) as conn, conn.cursor() as cur:
            cur.execute("CREATE TABLE landed (id bigint, kemendagri_kode_kecamatan text, jenis_kelamin text,"
                        " jumlah bigint, tahun bigint)")
            with cur.copy("COPY landed FROM STDIN") as cp:
                for row in df.itertuples(index=False):
                    cp.write_row(row)
        load = time.perf_counter() - t
        gx, ctx = context()
        suite = ctx.suites.add(gx.ExpectationSuite(name="sql", expectations=expectations(codes)))
        ds = ctx.data_sources.add_postgres("sql", connection_string=url.replace("postgresql://",
                                                                                "postgresql+psycopg://"))
        batch = ds.add_table_asset("landed", table_name="landed").add_batch_definition_whole_table("b")
        definition = ctx.validation_definitions.add(gx.ValidationDefinition(name="sql", data=batch, suite=suite))
        t = time.perf_counter()
        result = definition.run(result_format={"result_format": "SUMMARY"})
        return load, time.perf_counter() - t, result.success
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=250_000)
    parser.add_argument("--no-sql", action="store_true")
    args = parser.parse_args()
    import great_expectations as gx
    import pandas as pd

    df, codes = frame(args.rows)
    print(f"GX {gx.__version__}, pandas {pd.__version__}; {args.rows:,} rows, 10 expectations")
    in_memory(df.head(1000), codes)  # warm-up: first run pays GX's lazy imports
    seconds, ok = in_memory(df, codes)
    print(f"in memory (pandas):              {seconds:6.2f} s  success={ok}  target <= 2 s")
    bad = df.copy()
    bad.loc[bad.index[::1000], "jumlah"] = -1  # 1,000 failing rows, as the pipeline asks: every index
    seconds, ok = in_memory(bad, codes, "COMPLETE")
    print(f"in memory, COMPLETE, 1,000 bad:  {seconds:6.2f} s  success={ok}  (the pipeline's result format)")
    seconds, ok, n = chunked(df, codes, args.chunk)
    print(f"in chunks of {args.chunk:,} (Parquet):   {seconds:6.2f} s  success={ok}  ({n} chunks, row-level checks)")
    if not args.no_sql:
        load, seconds, ok = as_sql(df, codes)
        print(f"as SQL on the landed table (PG): {seconds:6.2f} s  success={ok}  (COPY into the table: {load:.2f} s)")


if __name__ == "__main__":
    main()
