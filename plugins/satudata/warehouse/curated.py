"""The curated table of a dataset: Open Data Jabar's long layout, derived from the contract.

Region codes and names (from the reference tables, joined on Kemendagri codes), dimensions, the one
measure, `satuan`, the period. Personal columns stay in the warehouse: `public_columns` is what
may be published.
"""
from __future__ import annotations

import psycopg
from psycopg import sql

from satudata.catalog import Contract
from satudata.warehouse.reference import KABUPATEN, PROVINSI

SQL_TYPES = {"text": "text", "integer": "bigint", "numeric": "numeric", "date": "date", "boolean": "boolean"}

# Region columns added by the join with the reference tables, per region level: (name, SQL expression).
REGION_COLUMNS = {
    "kabupaten": [],
    "kecamatan": [("bps_kode_kecamatan", "kec.bps_kode"), ("nama_kecamatan", "upper(kec.nama)")],
    "desa": [("kemendagri_kode_kecamatan", "kec.kemendagri_kode"), ("bps_kode_kecamatan", "kec.bps_kode"),
             ("nama_kecamatan", "upper(kec.nama)"), ("bps_kode_desa_kelurahan", "desa.bps_kode"),
             ("nama_desa_kelurahan", "upper(desa.nama)")],
}
REGION_JOINS = {
    "kabupaten": "",
    "kecamatan": "LEFT JOIN reference.kecamatan kec ON kec.kemendagri_kode = s.{region}",
    "desa": "LEFT JOIN reference.desa_kelurahan desa ON desa.kemendagri_kode = s.{region} "
            "LEFT JOIN reference.kecamatan kec ON kec.kemendagri_kode = desa.kecamatan_kode",
}


def curated_columns(contract: Contract) -> list[tuple[str, str, str]]:
    """(name, SQL type, SELECT expression over staging `s`) in Open Data Jabar order."""
    out = [("kode_provinsi", "text", f"'{PROVINSI[0]}'"), ("nama_provinsi", "text", f"'{PROVINSI[1]}'"),
           ("kode_kabupaten_kota", "text", f"'{KABUPATEN[0]}'"),
           ("nama_kabupaten_kota", "text", f"'{KABUPATEN[1]}'")]
    region = contract.region.column
    if contract.region.level != "kabupaten":
        out.append((region, "text", f"s.{region}"))
    out += [(name, "text", expr) for name, expr in REGION_COLUMNS[contract.region.level]]
    for c in contract.columns:
        if c.name not in (region, contract.period_column):
            out.append((c.name, SQL_TYPES[c.type], f"s.{c.name}"))
    out.append(("satuan", "text", "%(satuan)s"))
    period = next(c for c in contract.columns if c.name == contract.period_column)
    out.append((period.name, SQL_TYPES[period.type], f"s.{period.name}"))
    return out


def curated_ddl(contract: Contract) -> str:
    cols = ",\n    ".join(f"{name} {typ} NOT NULL" if name.startswith(("nama_", "kode_")) or name in
                          contract.primary_key else f"{name} {typ}" for name, typ, _ in curated_columns(contract))
    return (f"CREATE TABLE IF NOT EXISTS curated.{contract.table} (\n    {cols},\n"
            f"    PRIMARY KEY ({', '.join(contract.primary_key)})\n)")


def table_checksum(conn: psycopg.Connection, contract: Contract) -> str:
    """md5 over the curated rows in key order: equal checksums mean byte-identical content."""
    query = sql.SQL("SELECT coalesce(md5(string_agg(t::text, E'\\n' ORDER BY {key})), '') FROM curated.{t} t")
    row = conn.execute(query.format(key=sql.SQL(", ").join(map(sql.Identifier, contract.primary_key)),
                                    t=sql.Identifier(contract.table))).fetchone()
    return row[0]


def public_columns(contract: Contract) -> list[tuple[str, str]]:
    """Curated columns that may be published: every personal column is left out."""
    personal = {c.name for c in contract.columns if c.personal}
    return [(name, typ) for name, typ, _ in curated_columns(contract) if name not in personal]
