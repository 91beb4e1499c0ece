"""Publish benchmark: a 100k-row curated dataset onto a real CKAN (DataStore typed, searchable).

Not a test: it prints timings. It starts its own CKAN instance (`bench_publish`, port 5097, via
scripts/ckan.sh), a warehouse database `satudata_bench_publish` (dropped at the end, with the CKAN
instance unless --keep), and publishes with the pipeline's own user (editor, not sysadmin).

    python bench/publish_bench.py                # 100k rows, 10 periods, 3 first publishes
    python bench/publish_bench.py --rows 1000000

Measured:
  first publish     satudata.portal.publish.publish() of a new dataset, until it is public with every row in a
                    typed DataStore table (primary key, full text) and the CSV + dictionary uploaded;
                    then checked: datastore_search total, a full-text query, field types
  one period        one period's values changed in the warehouse: the rerun replaces only its rows
  unchanged         a rerun with nothing changed: no write at all
  API routes        for comparison, the same rows through datastore_upsert (method=insert, 10k records a
                    request) in one stream and in two parallel streams into an empty typed table
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))
os.environ.setdefault("SATUDATA_HOME", str(ROOT))

PG_ADMIN = os.environ.get("SATUDATA_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DB = "satudata_bench_publish"
CKAN_ENV = {"CKAN_INSTANCE": "bench_publish", "CKAN_PORT": os.environ.get("SATUDATA_BENCH_CKAN_PORT", "5097"),
            "CKAN_REDIS_URL": os.environ.get("SATUDATA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")}
PERIODS = list(range(2016, 2026))


def ckan_sh(command: str) -> None:
    subprocess.run([str(ROOT / "scripts" / "ckan.sh"), command], env=os.environ | CKAN_ENV, check=True)


def bench_contract(dataset_id: str):
    """The Disdukcapil contract widened with a category dimension: ~rows/10 rows per period."""
    from satudata.catalog import Column, load_catalog

    base = load_catalog().contract("jumlah_penduduk_jenis_kelamin_kecamatan")
    kategori = Column(name="kode_kategori", type="text", role="dimension", description="Kode kategori penduduk")
    columns = [*base.columns[:1], kategori, *base.columns[1:]]
    return base.model_copy(update={"id": dataset_id, "columns": columns,
                                   "primary_key": ["kemendagri_kode_kecamatan", "kode_kategori", "jenis_kelamin",
                                                   "tahun"]})


def fill(conn, contract, rows: int, periods=PERIODS, bump: int = 0) -> int:
    from satudata.warehouse.curated import curated_ddl

    per_period = rows // len(PERIODS)
    categories = max(1, per_period // 46)
    conn.execute(curated_ddl(contract))
    table = sql.Identifier("curated", contract.table)
    conn.execute(sql.SQL("DELETE FROM {} WHERE tahun = ANY(%s)").format(table), (list(periods),))
    conn.execute(sql.SQL("""
        INSERT INTO {} (kode_provinsi, nama_provinsi, kode_kabupaten_kota, nama_kabupaten_kota,
                        kemendagri_kode_kecamatan, bps_kode_kecamatan, nama_kecamatan, kode_kategori,
                        jenis_kelamin, jumlah_penduduk, satuan, tahun)
        SELECT '32', 'JAWA BARAT', '3216', 'KABUPATEN BEKASI', '32.16.' || lpad(k::text, 2, '0'),
               '3216' || lpad(k::text, 2, '0') || '0', 'KECAMATAN ' || lpad(k::text, 2, '0'),
               'K' || lpad(c::text, 4, '0'), jk, 100 + (k * 7919 + c * 31 + t) %% 5000 + %s, 'JIWA', t
        FROM unnest(%s::int[]) t, generate_series(1, 23) k, generate_series(1, %s) c,
             unnest(ARRAY['LAKI-LAKI', 'PEREMPUAN']) jk""").format(table), (bump, list(periods), categories))
    conn.commit()
    return conn.execute(sql.SQL("SELECT count(*) FROM {}").format(table)).fetchone()[0]


class Counting:
    """Counts the calls the publish makes (ckanapi's call_action)."""

    def __init__(self, inner):
        from ckanapi.common import ActionShortcut

        self.inner, self.calls = inner, []
        self.action = ActionShortcut(self)

    @property
    def address(self):
        return self.inner.address

    def call_action(self, action, data_dict=None, context=None, apikey=None, files=None, requests_kwargs=None):
        start = time.perf_counter()
        try:
            return self.inner.call_action(action, data_dict=data_dict, files=files)
        finally:
            self.calls.append((action, time.perf_counter() - start))


def publish_once(client, conn, contract, dinas, work: Path):
    from satudata.portal.publish import publish

    counting = Counting(client)
    start = time.perf_counter()
    result = publish(counting, conn, contract, dinas, work, {"summary": "Semua pemeriksaan lolos.",
                                                               "checked_at": "2026-11-28T10:00:00+07:00"})
    return result, time.perf_counter() - start, counting.calls


def api_route(client, resource_id: str, rows: list[dict], streams: int) -> float:
    chunks = [rows[i:i + 10_000] for i in range(0, len(rows), 10_000)]
    start = time.perf_counter()
    with ThreadPoolExecutor(streams) as pool:
        list(pool.map(lambda chunk: client.action.datastore_upsert(resource_id=resource_id, method="insert",
                                                                   force=True, records=chunk), chunks))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="first publishes (fresh datasets) to time")
    parser.add_argument("--no-api", action="store_true", help="skip the datastore_upsert comparison")
    parser.add_argument("--keep", action="store_true", help="keep the CKAN instance and the database")
    args = parser.parse_args()

    from ckanapi import RemoteCKAN

    from satudata.catalog import load_catalog
    from satudata.warehouse.export import datastore_fields, ensure_organizations
    from satudata.warehouse.export import export_query as _export_query

    ckan_sh("up")
    env = dict(line.split("=", 1) for line in
               (ROOT / "var" / "ckan" / CKAN_ENV["CKAN_INSTANCE"] / "env").read_text().splitlines() if "=" in line)
    admin = RemoteCKAN(env["CKAN_URL"], apikey=env["CKAN_ADMIN_TOKEN"])
    pipeline = RemoteCKAN(env["CKAN_URL"], apikey=env["CKAN_API_TOKEN"])
    anon = RemoteCKAN(env["CKAN_URL"])
    catalog = load_catalog()
    ensure_organizations(admin, list(catalog.dinas.values()), env.get("CKAN_PIPELINE_USER", "satudata_pipeline"))
    dinas = catalog.dinas["disdukcapil"]

    with psycopg.connect(PG_ADMIN, autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        c.execute(f"CREATE DATABASE {DB}")
    os.environ["AIRFLOW_CONN_WAREHOUSE"] = f"{PG_ADMIN.rsplit('/', 1)[0]}/{DB}".replace("postgresql://",
                                                                                        "postgres://")
    from satudata import warehouse
    from satudata.warehouse.migrate import migrate

    report: dict = {"rows": None, "first_publish_s": [], "ckan_copy_call_s": [], "server_timings": [],
                    "load_average_before": os.getloadavg(), "cpus": os.cpu_count()}
    try:
        with warehouse.connect() as conn, tempfile.TemporaryDirectory() as tmp:
            migrate(conn)
            stamp = time.strftime("%H%M%S")
            for i in range(args.repeat):
                contract = bench_contract(f"bench_publish_{stamp}_{i}")
                report["rows"] = fill(conn, contract, args.rows)
                result, seconds, calls = publish_once(pipeline, conn, contract, dinas, Path(tmp) / str(i))
                package = anon.action.package_show(id=contract.ckan_name)  # anonymous: it is public
                found = anon.action.datastore_search(resource_id=result.resource_id, limit=1)
                hits = anon.action.datastore_search(resource_id=result.resource_id, q="K0007", limit=0)
                types = {f["id"]: f["type"] for f in found["fields"]}
                assert found["total"] == report["rows"] and hits["total"] > 0, (found["total"], hits["total"])
                assert types["jumlah_penduduk"] == "int8" and types["tahun"] == "int8" and not package["private"]
                report["first_publish_s"].append(round(seconds, 2))
                report["ckan_copy_call_s"].append(round(sum(s for a, s in calls
                                                            if a == "satudata_datastore_copy"), 2))
                report["first_publish_calls"] = [a for a, _ in calls]
                report["server_timings"].append(result.timings)
            print(f"first publish of {report['rows']:,} rows (visible, typed, searchable): "
                  f"{report['first_publish_s']} s, best {min(report['first_publish_s'])} s, "
                  f"median {statistics.median(report['first_publish_s'])} s; of which the COPY action: "
                  f"{report['ckan_copy_call_s']} s; inside it: {report['server_timings']}", flush=True)

            conn.execute(sql.SQL("UPDATE curated.{} SET jumlah_penduduk = jumlah_penduduk + 1 WHERE tahun = 2020")
                         .format(sql.Identifier(contract.table)))
            conn.commit()
            result, seconds, calls = publish_once(pipeline, conn, contract, dinas, Path(tmp) / "rerun")
            report["one_period"] = {"seconds": round(seconds, 2), "periods": result.periods_written,
                                    "rows_written": result.rows_written, "writes": result.writes,
                                    "server_timings": result.timings}
            print(f"one period changed: {seconds:.2f} s, periods {result.periods_written}, "
                  f"{result.rows_written:,} rows written, writes {result.writes}", flush=True)

            result, seconds, calls = publish_once(pipeline, conn, contract, dinas, Path(tmp) / "same")
            report["unchanged"] = {"seconds": round(seconds, 2), "writes": result.writes,
                                   "calls": [a for a, _ in calls]}
            print(f"unchanged: {seconds:.2f} s, writes {result.writes}, calls {[a for a, _ in calls]}", flush=True)

            if not args.no_api:
                rows = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}
                        for r in conn.cursor(row_factory=psycopg.rows.dict_row).execute(_export_query(contract))]
                package = pipeline.action.package_show(id=contract.ckan_name)
                for streams in (1, 2):
                    res = pipeline.action.resource_create(package_id=package["id"], name=f"api-{streams}",
                                                          format="CSV")
                    pipeline.action.datastore_create(resource_id=res["id"], force=True,
                                                     fields=datastore_fields(contract),
                                                     primary_key=contract.primary_key)
                    seconds = api_route(pipeline, res["id"], rows, streams)
                    report[f"datastore_upsert_insert_{streams}_streams"] = {
                        "seconds": round(seconds, 2), "rows_per_s": round(len(rows) / seconds)}
                    print(f"datastore_upsert insert, {streams} stream(s): {seconds:.2f} s "
                          f"({len(rows) / seconds:,.0f} rows/s)", flush=True)
        report["load_average_after"] = os.getloadavg()
        print(json.dumps(report))
    finally:
        if not args.keep:
            with psycopg.connect(PG_ADMIN, autocommit=True) as c:
                c.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
            ckan_sh("drop")


if __name__ == "__main__":
    main()
