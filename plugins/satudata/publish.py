"""Publish: put a curated dataset on CKAN as a Satu Data dataset (metadata, CSV, DataStore).

Only `terbuka` (public) and `terbatas` (private to its organization) datasets are sent; `tertutup`
never leaves the warehouse, and personal columns are never sent whatever the classification.
The CSV's sha256 is kept on its resource: unchanged data means no write to CKAN at all. Changed
data patches the existing dataset and resource, so their ids stay stable.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from satudata.contracts import Contract, Dinas
from satudata.load import curated_columns

log = logging.getLogger(__name__)
CSV_RESOURCE = "Data (CSV)"
WALIDATA = "Dinas Komunikasi, Informatika, Persandian dan Statistik Kabupaten Bekasi"
_DATASTORE_TYPES = {"text": "text", "bigint": "int8", "numeric": "numeric", "date": "date", "boolean": "bool"}
DATASTORE_CHUNK = 10_000


@dataclass(frozen=True)
class Published:
    dataset_id: str
    action: str  # created | updated | unchanged | skipped
    package_id: str | None = None
    resource_id: str | None = None
    sha256: str | None = None
    url: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def public_columns(contract: Contract) -> list[tuple[str, str]]:
    """Curated columns that may be published: every personal column is left out."""
    personal = {c.name for c in contract.columns if c.personal}
    return [(name, typ) for name, typ, _ in curated_columns(contract) if name not in personal]


def _export_query(contract: Contract) -> sql.Composed:
    cols = [name for name, _ in public_columns(contract)]
    order = sql.SQL(", ").join(map(sql.Identifier, [contract.period_column, *[
        k for k in contract.primary_key if k != contract.period_column]]))
    return sql.SQL("SELECT row_number() OVER (ORDER BY {order}) AS id, {cols} FROM curated.{t} ORDER BY {order}").format(
        order=order, cols=sql.SQL(", ").join(map(sql.Identifier, cols)), t=sql.Identifier(contract.table))


def export_csv(conn: psycopg.Connection, contract: Contract, path: Path) -> str:
    """Write the public CSV (UTF-8, comma, header, codes as text) and return its sha256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    copy = sql.SQL("COPY ({q}) TO STDOUT WITH (FORMAT csv, HEADER true)").format(q=_export_query(contract))
    with path.open("wb") as out, conn.cursor() as cur, cur.copy(copy) as cp:
        for block in cp:
            out.write(block)
            digest.update(block)
    return digest.hexdigest()


def datastore_rows(conn: psycopg.Connection, contract: Contract) -> list[dict]:
    with conn.cursor(row_factory=psycopg.rows.dict_row) as cur:
        return [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
                for row in cur.execute(_export_query(contract))]


def datastore_fields(contract: Contract) -> list[dict]:
    described = {c.name: c for c in contract.columns}
    labels = {"kode_provinsi": "Kode provinsi", "nama_provinsi": "Nama provinsi",
              "kode_kabupaten_kota": "Kode kabupaten/kota", "nama_kabupaten_kota": "Nama kabupaten/kota",
              "bps_kode_kecamatan": "Kode kecamatan (BPS)", "nama_kecamatan": "Nama kecamatan",
              "kemendagri_kode_kecamatan": "Kode kecamatan (Kemendagri)",
              "bps_kode_desa_kelurahan": "Kode desa/kelurahan (BPS)", "nama_desa_kelurahan": "Nama desa/kelurahan",
              "satuan": "Satuan", "id": "Nomor baris"}
    fields = [{"id": "id", "type": "int8", "info": {"label": labels["id"], "notes": "Nomor urut baris"}}]
    for name, typ in public_columns(contract):
        col = described.get(name)
        label = labels.get(name) or (col.description if col else name)
        notes = col.description + (f" (satuan: {col.satuan})" if col and col.satuan else "") if col else label
        fields.append({"id": name, "type": _DATASTORE_TYPES[typ], "info": {"label": label, "notes": notes}})
    return fields


def notes(contract: Contract) -> str:
    """Open Data Jabar's description template: what/where/when/who, then one line per column."""
    lines = [contract.description.strip(), "", "Penjelasan kolom:"]
    for name, _ in public_columns(contract):
        col = next((c for c in contract.columns if c.name == name), None)
        if col:
            lines.append(f"- {name}: {col.description}" + (f" (satuan: {col.satuan})" if col.satuan else ""))
    lines.append("- satuan: satuan dari nilai " + contract.measure.name)
    return "\n".join(lines)


def dataset_metadata(contract: Contract, dinas: Dinas, periods: list, validation: dict | None) -> dict:
    periode = (f"{min(periods)}–{max(periods)}" if len(set(periods)) > 1 else str(periods[0])) if periods else ""
    meta = {
        "name": contract.ckan_name,
        "title": contract.title,
        "notes": notes(contract),
        "owner_org": dinas.ckan_organization,
        "private": contract.klasifikasi == "terbatas",
        "license_id": contract.publish.license_id,
        "tags": [{"name": t} for t in contract.publish.tags],
        "produsen_data": dinas.nama,
        "walidata": WALIDATA,
        "frekuensi": contract.frekuensi,
        "satuan": contract.satuan,
        "tingkat_penyajian": contract.tingkat_penyajian,
        "kode_wilayah": "3216",
        "periode": periode,
        "klasifikasi": contract.klasifikasi,
    }
    if validation:
        meta["tanggal_validasi"] = validation.get("checked_at", "")
        meta["hasil_validasi"] = validation.get("summary", "")
    return meta


def publish(ckan, conn: psycopg.Connection, contract: Contract, dinas: Dinas, work_dir: Path,
            validation: dict | None = None) -> Published:
    """Create or patch the CKAN dataset; write nothing when the CSV is unchanged."""
    from ckanapi import NotFound

    if contract.klasifikasi == "tertutup":
        log.info("%s is tertutup: it never leaves the warehouse", contract.id)
        return Published(contract.id, "skipped")
    csv_path = work_dir / f"{contract.ckan_name}.csv"
    digest = export_csv(conn, contract, csv_path)
    periods = [r[0] for r in conn.execute(sql.SQL("SELECT DISTINCT {p} FROM curated.{t} ORDER BY 1").format(
        p=sql.Identifier(contract.period_column), t=sql.Identifier(contract.table)))]
    meta = dataset_metadata(contract, dinas, periods, validation)
    try:
        package = ckan.action.package_show(id=contract.ckan_name)
        created = False
    except NotFound:
        package = ckan.action.package_create(**meta)
        created = True
    resource = next((r for r in package.get("resources", []) if r.get("name") == CSV_RESOURCE), None)
    if resource and resource.get("sha256") == digest and not created:
        log.info("%s unchanged on CKAN (sha256 %s): nothing written", contract.id, digest[:12])
        return Published(contract.id, "unchanged", package["id"], resource["id"], digest, _url(ckan, package))
    with csv_path.open("rb") as upload:
        fields = {"name": CSV_RESOURCE, "format": "CSV", "mimetype": "text/csv", "sha256": digest,
                  "description": f"Data {contract.title} dalam format CSV (UTF-8, pemisah koma).", "upload": upload}
        if resource:
            resource = ckan.action.resource_patch(id=resource["id"], **fields)
        else:
            resource = ckan.action.resource_create(package_id=package["id"], **fields)
    _write_datastore(ckan, conn, contract, resource["id"])
    package = ckan.action.package_patch(id=package["id"], **{k: v for k, v in meta.items() if k != "name"})
    return Published(contract.id, "created" if created else "updated", package["id"], resource["id"], digest,
                     _url(ckan, package))


def _write_datastore(ckan, conn: psycopg.Connection, contract: Contract, resource_id: str) -> None:
    """Replace the resource's DataStore table with typed, described fields and the contract's key."""
    from ckanapi import NotFound

    rows = datastore_rows(conn, contract)
    try:
        ckan.action.datastore_delete(resource_id=resource_id, force=True)
    except NotFound:
        pass
    ckan.action.datastore_create(resource_id=resource_id, force=True, fields=datastore_fields(contract),
                                 primary_key=contract.primary_key, records=rows[:DATASTORE_CHUNK])
    for start in range(DATASTORE_CHUNK, len(rows), DATASTORE_CHUNK):
        ckan.action.datastore_upsert(resource_id=resource_id, force=True, method="insert",
                                     records=rows[start:start + DATASTORE_CHUNK])


def _url(ckan, package: dict) -> str:
    return f"{ckan.address}/dataset/{package['name']}"


def ensure_organizations(admin, dinas_list: list[Dinas], editor: str | None = None) -> dict[str, str]:
    """Create or update one organization per dinas (needs a sysadmin); make `editor` their editor."""
    from ckanapi import NotFound

    ids = {}
    for d in dinas_list:
        fields = {"name": d.ckan_organization, "title": d.nama, "description": d.deskripsi}
        try:
            org = admin.action.organization_show(id=d.ckan_organization)
            if org.get("title") != d.nama or org.get("description") != d.deskripsi:
                org = admin.action.organization_patch(id=org["id"], **fields)
        except NotFound:
            org = admin.action.organization_create(**fields)
        if editor:
            admin.action.organization_member_create(id=org["id"], username=editor, role="editor")
        ids[d.id] = org["id"]
    return ids
