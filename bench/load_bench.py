"""Load benchmark: civil-registry-like rows from PostgreSQL and MariaDB sources into a warehouse staging table.

Not a test: it prints throughput, the ratio to `psql \\copy` of the same rows from a file measured in the
same run, pandas `to_sql` as the naive baseline, and each method's peak RSS. Every method runs in a
child process of its own (peak RSS from `os.wait4`, so it is that method's alone). Databases are created
under the prefix `satudata_bench_` and dropped at the end.

    python bench/load_bench.py                 # 1M rows
    python bench/load_bench.py --rows 10000000 # 10M rows (several minutes)

Methods:
  psql_copy        psql \\copy FROM a text file (the reference, run first and last; the faster counts)
  pg_stream        psycopg COPY (SELECT ...) TO STDOUT streamed block by block into COPY FROM STDIN
  mariadb_stream   mysqlclient SSCursor.fetchmany(50k), dates as server strings, psycopg copy.write_row
  extract_pg       the project's path: satudata.sources (PostgreSQL route) to Parquet, then load.copy_parquet
  extract_mariadb  the same from MariaDB (SSCursor route)
  pandas_to_sql    pandas read_sql + to_sql on a 100k subset, extrapolated (naive baseline)
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

PG_ADMIN = os.environ.get("SATUDATA_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
MYSQL = {"host": os.environ.get("SATUDATA_BENCH_MYSQL_HOST", "127.0.0.1"), "port": 3306, "user": "root"}
COLUMNS = [("nik", "text"), ("nama", "text"), ("jenis_kelamin", "text"), ("tanggal_lahir", "date"),
           ("kode_desa", "text"), ("status", "text"), ("tanggal_terbit_kk", "date"), ("anggota_keluarga", "integer")]
MYSQL_TYPES = {"text": "varchar(64)", "date": "date", "integer": "int"}
SELECT = f"SELECT {', '.join(n for n, _ in COLUMNS)} FROM penduduk"
SUBSET = 100_000
CHUNK = 50_000

# Realistic enough: 16-digit NIK, upper-case names, Bekasi desa codes, some NULL and some '' status.
GENERATE = """
INSERT INTO penduduk
SELECT lpad((3216010101900000 + g)::text, 16, '0'),
       (ARRAY['SITI','AHMAD','DEWI','BUDI','NUR','AGUS','RINA','EKO','SRI','DEDI'])[1 + g % 10] || ' ' ||
       (ARRAY['RAHAYU','SANTOSO','HIDAYAT','LESTARI','SAPUTRA','WULANDARI','NURHALIZA'])[1 + (g / 10) % 7],
       CASE WHEN g % 2 = 0 THEN 'LAKI-LAKI' ELSE 'PEREMPUAN' END,
       date '1940-01-01' + ((g::bigint * 7919) % 30000)::int,
       '32.16.' || lpad((1 + g % 23)::text, 2, '0') || '.' || (2001 + g % 9),
       CASE WHEN g % 50 = 0 THEN NULL WHEN g % 97 = 0 THEN '' ELSE 'AKTIF' END,
       CASE WHEN g % 31 = 0 THEN NULL ELSE date '2005-01-01' + ((g::bigint * 31) % 7000)::int END,
       1 + g % 7
FROM generate_series(1, %s) AS g
"""


def pg_url(db: str) -> str:
    return f"{PG_ADMIN.rsplit('/', 1)[0]}/{db}"


def ddl(types: dict) -> str:
    return ", ".join(f"{n} {types.get(t, t)}" for n, t in COLUMNS)


# --- the methods, each run in its own child process ---------------------------------------------------

def child_pg_stream(cfg: dict) -> dict:
    """Binary COPY both ways; libpq gives one row per call, so rows are passed on a thousand at a time."""
    import itertools

    import psycopg

    with psycopg.connect(pg_url(cfg["src"])) as src, psycopg.connect(pg_url(cfg["wh"])) as dst:
        start = time.perf_counter()
        with src.cursor().copy(f"COPY ({SELECT}) TO STDOUT (FORMAT binary)") as out, \
                dst.cursor().copy("COPY staging.penduduk FROM STDIN (FORMAT binary)") as into:
            rows = iter(out)
            while block := b"".join(itertools.islice(rows, 1000)):
                into.write(block)
        dst.commit()
        return {"seconds": time.perf_counter() - start}


def child_mariadb_stream(cfg: dict) -> dict:
    import MySQLdb
    import MySQLdb.cursors
    import psycopg
    from MySQLdb.constants import FIELD_TYPE
    from MySQLdb.converters import conversions

    # Dates stay the server's strings: building Python dates costs more than the whole copy.
    conv = dict(conversions) | {FIELD_TYPE.DATE: str, FIELD_TYPE.DATETIME: str}
    src = MySQLdb.connect(**MYSQL, database=cfg["mysql_db"], charset="utf8mb4", conv=conv,
                          cursorclass=MySQLdb.cursors.SSCursor)
    with psycopg.connect(pg_url(cfg["wh"])) as dst:
        start = time.perf_counter()
        cur = src.cursor()
        cur.execute(SELECT)
        with dst.cursor().copy("COPY staging.penduduk FROM STDIN") as into:
            while rows := cur.fetchmany(CHUNK):
                for row in rows:
                    into.write_row(row)
        dst.commit()
        return {"seconds": time.perf_counter() - start}


class _Conn:
    """Stands in for Airflow's connection lookup, so the child measures the load path, not Airflow."""

    def __init__(self, conn_type: str, host: str, port: int, login: str, schema: str):
        self.conn_type, self.host, self.port, self.login, self.schema = conn_type, host, port, login, schema
        self.password = None


def _project_path(cfg: dict, conn: _Conn) -> dict:
    import psycopg

    from satudata import connections
    from satudata.catalog import Contract
    from satudata.sources import land as extract
    from satudata.warehouse import load

    connections.get_connection = lambda _conn_id: conn
    home = Path(cfg["tmp"]) / conn.conn_type
    (home / "sql" / "penduduk_bench").mkdir(parents=True, exist_ok=True)
    (home / "sql" / "penduduk_bench" / "extract.sql").write_text(SELECT, encoding="utf-8")
    os.environ["SATUDATA_HOME"] = str(home)
    contract = Contract(
        id="penduduk_bench", title="Penduduk (benchmark)", description="Baris mirip SIAK untuk benchmark muat.",
        dinas="disdukcapil", schedule="@yearly", frekuensi="Tahunan", klasifikasi="tertutup",
        tingkat_penyajian="Desa", satuan="JIWA", region={"level": "desa", "column": "kode_desa"},
        period_column="tanggal_lahir", primary_key=["nik"], publish={"tags": ["bench"]},
        columns=[{"name": n, "type": t, "role": "measure" if n == "anggota_keluarga" else "attribute",
                  "description": f"kolom {n}"} for n, t in COLUMNS])
    start = time.perf_counter()
    landed = extract(contract, "bench_source", {}, home / "landing")
    extracted = time.perf_counter()
    extract_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with psycopg.connect(pg_url(cfg["wh"])) as dst:
        load.copy_parquet(dst, "staging.penduduk", [n for n, _ in COLUMNS], landed.path)
        dst.commit()
    end = time.perf_counter()
    return {"seconds": end - start, "extract_s": extracted - start, "copy_s": end - extracted,
            "parquet_mb": os.path.getsize(landed.path) / 2**20, "extract_rss_mb": extract_rss}


def child_extract_pg(cfg: dict) -> dict:
    return _project_path(cfg, _Conn("postgres", "127.0.0.1", 5432, "postgres", cfg["src"]))


def child_extract_mariadb(cfg: dict) -> dict:
    return _project_path(cfg, _Conn("mysql", MYSQL["host"], MYSQL["port"], MYSQL["user"], cfg["mysql_db"]))


def child_pandas_to_sql(cfg: dict) -> dict:
    import pandas as pd
    from sqlalchemy import create_engine

    src = create_engine(pg_url(cfg["src"]).replace("postgresql://", "postgresql+psycopg://"))
    dst = create_engine(pg_url(cfg["wh"]).replace("postgresql://", "postgresql+psycopg://"))
    start = time.perf_counter()
    frame = pd.read_sql(f"{SELECT} LIMIT {SUBSET}", src)
    frame.to_sql("penduduk", dst, schema="staging", if_exists="append", index=False)
    return {"seconds": time.perf_counter() - start, "rows_done": len(frame)}


# --- the parent: set up, run each method in a child, compare ------------------------------------------

def run_child(argv: list[str], timed_by_parent: bool) -> dict:
    """Run one method; its peak RSS comes from wait4 on that child alone."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"{argv[:4]} failed with exit code {proc.returncode}")
        out.seek(0)
        result = {"seconds": wall} if timed_by_parent else json.loads(out.read().decode().strip().splitlines()[-1])
    return result | {"rss_mb": usage.ru_maxrss / 1024}


def setup(n: int, names: dict, tmp: Path) -> Path:
    import MySQLdb
    import psycopg
    from psycopg import sql

    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        for db in (names["src"], names["wh"]):
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db)))
    with psycopg.connect(pg_url(names["src"])) as src:
        src.execute(f"CREATE TABLE penduduk ({ddl({})})")
        src.execute(GENERATE.replace("%s", str(int(n))))
        src.execute("ANALYZE penduduk")
    with psycopg.connect(pg_url(names["wh"])) as wh:
        wh.execute("CREATE SCHEMA staging")
        wh.execute(f"CREATE UNLOGGED TABLE staging.penduduk ({ddl({})})")
    data = tmp / "penduduk.tsv"
    subprocess.run(["psql", "-q", "-d", pg_url(names["src"]), "-c", f"\\copy ({SELECT}) TO '{data}'"], check=True)
    conn = MySQLdb.connect(**MYSQL, charset="utf8mb4", local_infile=1)
    cur = conn.cursor()
    cur.execute(f"CREATE DATABASE {names['mysql_db']} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    cur.execute(f"CREATE TABLE {names['mysql_db']}.penduduk ({ddl(MYSQL_TYPES)})")
    # PostgreSQL's text format (tab, \N for NULL, backslash escapes) is LOAD DATA's default format.
    cur.execute(f"LOAD DATA LOCAL INFILE '{data}' INTO TABLE {names['mysql_db']}.penduduk")
    conn.commit()
    conn.close()
    return data


def teardown(names: dict) -> None:
    import MySQLdb
    import psycopg
    from psycopg import sql

    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        for db in (names["src"], names["wh"]):
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db)))
    conn = MySQLdb.connect(**MYSQL)
    conn.cursor().execute(f"DROP DATABASE IF EXISTS {names['mysql_db']}")
    conn.close()


def staged_fingerprint(names: dict) -> tuple[int, str]:
    """Row count and an order-free hash of the staged rows: every method must land the same content."""
    import psycopg

    with psycopg.connect(pg_url(names["wh"])) as wh:
        count, digest = wh.execute("SELECT count(*), coalesce(sum(hashtextextended(t::text, 0)::numeric), 0)::text"
                                   " FROM staging.penduduk t").fetchone()
        wh.execute("TRUNCATE staging.penduduk")
    return count, digest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--config", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(globals()[f"child_{args.child}"](json.loads(args.config))))
        return

    tag = uuid.uuid4().hex[:8]
    names = {"src": f"satudata_bench_src_{tag}", "wh": f"satudata_bench_wh_{tag}", "mysql_db": f"satudata_bench_{tag}"}
    with tempfile.TemporaryDirectory(prefix="satudata_bench_") as tmp:
        cfg = names | {"tmp": tmp}
        try:
            t0 = time.perf_counter()
            data = setup(args.rows, names, Path(tmp))
            print(f"{args.rows:,} rows, 8 columns; sources ready in {time.perf_counter() - t0:.0f} s "
                  f"(file {data.stat().st_size / 2**20:.0f} MiB)", flush=True)
            results, fingerprints = {}, {}
            psql = ["psql", "-q", "-d", pg_url(names["wh"]), "-c", f"\\copy staging.penduduk FROM '{data}'"]
            plan = [("psql_copy", psql, True)] + [
                (m, [sys.executable, __file__, "--child", m, "--config", json.dumps(cfg)], False)
                for m in ("pg_stream", "mariadb_stream", "extract_pg", "extract_mariadb", "pandas_to_sql")
            ] + [("psql_copy#2", psql, True)]
            for method, argv, by_parent in plan:
                results[method] = run_child(argv, by_parent)
                fingerprints[method] = staged_fingerprint(names)
                print(f"  {method:<16} {results[method]['seconds']:7.2f} s", flush=True)
        finally:
            teardown(names)
    report(args.rows, results, fingerprints)


def report(n: int, results: dict, fingerprints: dict) -> None:
    base = min(results.pop("psql_copy#2")["seconds"], results["psql_copy"]["seconds"])
    reference = fingerprints["psql_copy"]
    header = ("method", "rows/s", "x \\copy", "peak RSS")
    print("\n{:<16} {:>12} {:>8} {:>10}  note".format(*header))
    for method, r in results.items():
        rows = n
        note = ""
        if method == "pandas_to_sql":
            rows = r["rows_done"]
            note = f"{SUBSET:,}-row subset, rate extrapolated to {n:,} rows"
        elif fingerprints[method] != reference:
            note = f"CONTENT DIFFERS from \\copy: {fingerprints[method]} vs {reference}"
        if "extract_s" in r:
            note = (f"extract {r['extract_s']:.1f} s (RSS {r['extract_rss_mb']:.0f} MiB) + copy {r['copy_s']:.1f} s,"
                    f" Parquet {r['parquet_mb']:.0f} MiB")
        rate = rows / r["seconds"]
        print(f"{method:<16} {rate:>12,.0f} {rate / (n / base):>7.2f}x {r['rss_mb']:>7.0f} MiB  {note}")
    ok = {"pg_stream": 0.7, "mariadb_stream": 0.5}
    for method, target in ok.items():
        ratio = base / results[method]["seconds"]
        print(f"target {method}: >= {target}x -> {ratio:.2f}x {'met' if ratio >= target else 'MISSED'}")


if __name__ == "__main__":
    main()
