"""Publish tests: curated tables written directly (no extract/validate), a real CKAN, counted calls."""
import csv
import io

import requests
from ckanapi import NotAuthorized, NotFound, RemoteCKAN
from ckanapi.common import ActionShortcut
from ckanapi.errors import CKANAPIError
from psycopg import sql

from satudata import warehouse
from satudata.catalog import Column, load_catalog
from satudata.warehouse.curated import curated_columns, curated_ddl

BASE = "jumlah_penduduk_jenis_kelamin_kecamatan"
VALIDATION = {"status": "passed", "summary": "Semua pemeriksaan lolos (12 dari 12).",
              "checked_at": "2026-11-28T10:15:00+07:00"}


def variant(dataset_id: str, **update):
    """The Disdukcapil contract under another id (own curated table, own CKAN dataset)."""
    return load_catalog().contract(BASE).model_copy(update={"id": dataset_id, **update})


def with_personal_column(dataset_id: str):
    base = load_catalog().contract(BASE)
    extra = Column(name="nama_petugas", type="text", role="attribute", description="Nama petugas pencatat",
                   personal=True)
    return variant(dataset_id, columns=[*base.columns, extra])


def value(name: str, typ: str, kec: int, jk: str, year: int, bump: int = 0):
    if name == "kemendagri_kode_kecamatan":
        return f"32.16.{kec:02d}"
    if name == "bps_kode_kecamatan":
        return f"3216{kec:02d}0"
    if name == "nama_kecamatan":
        return f"KECAMATAN {kec:02d}"
    if name == "jenis_kelamin":
        return jk
    if name == "jumlah_penduduk":
        return 1000 + kec * 10 + (1 if jk == "PEREMPUAN" else 0) + (year - 2020) * 7 + bump
    if name == "tahun":
        return year
    if name == "satuan":
        return "JIWA"
    if name == "nama_petugas":
        return f"Petugas Rahasia {kec}"
    return {"kode_provinsi": "32", "nama_provinsi": "JAWA BARAT", "kode_kabupaten_kota": "3216",
            "nama_kabupaten_kota": "KABUPATEN BEKASI"}[name]


def fill_curated(contract, years, kecamatan=23, bump: dict | None = None) -> None:
    """Create/replace the curated rows of `years` (bump: {year: added to jumlah_penduduk})."""
    cols = [name for name, _, _ in curated_columns(contract)]
    types = {name: typ for name, typ, _ in curated_columns(contract)}
    with warehouse.connect() as conn, conn.transaction():
        conn.execute(curated_ddl(contract))
        table = sql.Identifier("curated", contract.table)
        conn.execute(sql.SQL("DELETE FROM {} WHERE tahun = ANY(%s)").format(table), (list(years),))
        with conn.cursor().copy(sql.SQL("COPY {} ({}) FROM STDIN").format(
                table, sql.SQL(", ").join(map(sql.Identifier, cols)))) as cp:
            for year in years:
                for kec in range(1, kecamatan + 1):
                    for jk in ("LAKI-LAKI", "PEREMPUAN"):
                        cp.write_row([value(c, types[c], kec, jk, year, (bump or {}).get(year, 0)) for c in cols])


def curated_public(contract) -> list[dict]:
    """The warehouse rows as the public should see them (strings, as in the CSV)."""
    from satudata.warehouse.export import export_query as _export_query

    with warehouse.connect() as conn, conn.cursor() as cur:
        cur.execute(_export_query(contract))
        names = [d.name for d in cur.description]
        return [{n: ("" if v is None else str(v)) for n, v in zip(names, row, strict=True)} for row in cur]


class Recording:
    """A ckanapi client that records every call and can fail the Nth write (before or after sending)."""

    def __init__(self, inner: RemoteCKAN, fail_at: int | None = None, mode: str = "before", times: int = 10**6):
        self.inner, self.fail_at, self.mode, self.times = inner, fail_at, mode, times
        self.calls: list[str] = []
        self.writes: list[tuple[str, dict]] = []
        self.action = ActionShortcut(self)

    @property
    def address(self) -> str:
        return self.inner.address

    def _fault(self, action):
        self.times -= 1
        raise CKANAPIError(repr([f"{self.address}/api/action/{action}", 503, "Service Unavailable (test)"]))

    def call_action(self, action, data_dict=None, context=None, apikey=None, files=None, requests_kwargs=None):
        self.calls.append(action)
        write = not action.endswith(("_show", "_search"))
        index = len(self.writes)
        failing = write and index == self.fail_at and self.times > 0
        if write:
            self.writes.append((action, dict(data_dict or {})))
        if failing and self.mode == "before":
            self._fault(action)
        result = self.inner.call_action(action, data_dict=data_dict, files=files)
        if failing and self.mode == "after":
            self._fault(action)
        return result

    @property
    def write_actions(self) -> list[str]:
        return [a for a, _ in self.writes]


def public_state(url: str, name: str) -> dict | None:
    """What an anonymous visitor sees: None if the dataset is not visible."""
    anon = RemoteCKAN(url)
    try:
        package = anon.action.package_show(id=name)
    except (NotFound, NotAuthorized):
        return None
    resource = next((r for r in package["resources"] if r["name"] == "Data (CSV)"), None)
    state = {"package": package, "resource": resource, "csv": None, "datastore": None}
    if resource and resource.get("url"):
        response = requests.get(resource["url"], timeout=30)
        if response.status_code == 200:
            state["csv"] = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    if resource and resource.get("datastore_active"):
        found = anon.action.datastore_search(resource_id=resource["id"], limit=32000, sort="id")
        state["datastore"] = [{k: ("" if v is None else str(v)) for k, v in r.items() if k != "_id"}
                              for r in found["records"]]
        state["fields"] = found["fields"]
    return state


def assert_consistent(state: dict | None) -> None:
    """A visible dataset never announces a period without its rows, and its CSV equals its DataStore."""
    if state is None:
        return
    rows = state["datastore"] or []
    periods = {r["tahun"] for r in rows}
    package = state["package"]
    for key in ("periode_awal", "periode_akhir"):
        if package.get(key):
            assert package[key] in periods, f"{key}={package[key]} announced, DataStore has {sorted(periods)}"
    if package.get("periode"):
        for p in package["periode"].split("–"):
            assert p in periods
    if state["csv"] is not None or state["datastore"] is not None:
        assert (state["csv"] or []) == rows, "the CSV differs from the DataStore"
