"""Publish: put a curated dataset on CKAN as a Satu Data dataset (metadata, CSV, dictionary, DataStore).

Only `terbuka` (public) and `terbatas` (private to its organization) datasets are sent; `tertutup`
never leaves the warehouse (not one call to CKAN), and personal columns are never sent whatever the
classification.

Idempotent: the CSV's sha256 and one sha256 per period are kept on the CSV resource, the dictionary's
sha256 on its resource, the DataStore layout's hash on the CSV resource. Unchanged data and metadata
mean no CKAN write at all; changed data patches the existing dataset and resources (ids stay stable)
and replaces only the periods whose rows changed.

Rows go into the DataStore through `satudata_datastore_copy`, an action of the project's CKAN extension
(ckan/ckanext-satudata): PostgreSQL COPY into the typed table `datastore_create` made (typed fields,
descriptions, the contract's key as primary key, CKAN's full-text trigger), the changed periods
deleted and inserted in one DataStore transaction, then the CSV file and its hashes patched on the
resource. The route and its numbers are in bench/publish_bench.py.

Order of the writes, so that a failure at any step leaves a consistent dataset:
1. a new dataset is created private and without `periode`/validation: nobody outside the organization
   sees it before it is complete;
2. the CSV resource (empty) and its DataStore table (typed, no rows) are created when missing;
3. rows + CSV file + hashes in one call (DataStore committed first, hashes written last: a failure in
   between leaves the old hash, so the next run redoes the replacement);
4. the data dictionary resource;
5. last, the metadata that announces the data: `periode`, validation date/result, groups, visibility.
A rerun after a failure at any step finds what is already there and finishes the rest.
"""
from __future__ import annotations

import csv
import hashlib
import json
import logging
import re
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

from satudata.contracts import Contract, Dinas
from satudata.load import curated_columns

log = logging.getLogger(__name__)
CSV_RESOURCE = "Data (CSV)"
DICTIONARY_RESOURCE = "Kamus Data"
WALIDATA = "Dinas Komunikasi, Informatika, Persandian dan Statistik Kabupaten Bekasi"
CAKUPAN = "Kabupaten Bekasi"
KODE_WILAYAH = "3216"
_DATASTORE_TYPES = {"text": "text", "bigint": "int8", "numeric": "numeric", "date": "date", "boolean": "bool"}
_TYPE_LABELS = {"text": "teks", "int8": "bilangan bulat", "numeric": "bilangan desimal", "date": "tanggal",
                "bool": "ya/tidak"}
# Satu Data topic groups (data.go.id / Open Data Jabar topics); a contract's `publish.groups` names them.
GROUPS = {
    "kependudukan": ("Kependudukan", "Data kependudukan dan pencatatan sipil."),
    "kesehatan": ("Kesehatan", "Data kesehatan masyarakat dan fasilitas kesehatan."),
    "pendidikan": ("Pendidikan", "Data sekolah, peserta didik dan tenaga pendidik."),
    "pertanian": ("Pertanian", "Data pertanian, perkebunan dan ketahanan pangan."),
    "kebencanaan": ("Kebencanaan", "Data kejadian bencana dan penanggulangannya."),
    "ekonomi": ("Ekonomi", "Data perekonomian daerah."),
    "sosial": ("Sosial", "Data kesejahteraan sosial."),
    "infrastruktur": ("Infrastruktur", "Data jalan, jembatan dan prasarana wilayah."),
    "lingkungan-hidup": ("Lingkungan Hidup", "Data lingkungan hidup."),
    "pemerintahan": ("Pemerintahan", "Data penyelenggaraan pemerintahan daerah."),
}
# Read actions; everything else is a write. Transient failures of idempotent writes are retried here
# (CKAN answers ~1 in 100 parallel DataStore writes with a 500 that wrote nothing); creates are not
# (a lost answer may hide a success: the next run finds the object by name instead).
RETRY_DELAYS = (0.5, 1.0, 2.0)
_NOT_RETRIED = {"package_create", "resource_create"}
_MIMETYPES = {".csv": "text/csv", ".md": "text/markdown"}
_STATUS = re.compile(r"^\[?'[^']*', (\d{3}),")


@dataclass(frozen=True)
class Published:
    dataset_id: str
    action: str  # created | updated | unchanged | skipped
    package_id: str | None = None
    resource_id: str | None = None
    sha256: str | None = None
    url: str | None = None
    periods_written: list[str] = field(default_factory=list)
    rows_written: int = 0
    writes: list[str] = field(default_factory=list)
    timings: dict = field(default_factory=dict)  # server side of satudata_datastore_copy

    def to_dict(self) -> dict:
        return asdict(self)


class _Calls:
    """Every CKAN call of one publish goes through here: retries transient failures, lists the writes."""

    def __init__(self, ckan):
        self.ckan = ckan
        self.writes: list[str] = []

    def __call__(self, action: str, files: dict[str, Path] | None = None, **data):
        from ckanapi.errors import CKANAPIError
        from requests.exceptions import ConnectionError as RequestsConnectionError
        from requests.exceptions import Timeout

        write = not action.endswith(("_show", "_search"))
        delays = () if action in _NOT_RETRIED else RETRY_DELAYS
        for attempt in range(len(delays) + 1):
            handles = {k: (p.name, p.open("rb"), _MIMETYPES.get(p.suffix, "application/octet-stream"))
                       for k, p in (files or {}).items()}
            try:
                result = self.ckan.call_action(action, data_dict=data, files=handles or None)
                if write:
                    self.writes.append(action)
                return result
            except (CKANAPIError, RequestsConnectionError, Timeout) as exc:
                transient = not isinstance(exc, CKANAPIError) or _server_error(exc)
                if not transient or attempt == len(delays):
                    raise
                log.warning("CKAN %s failed (%s); retrying in %.1f s", action, str(exc)[:200], delays[attempt])
                time.sleep(delays[attempt])
            finally:
                for _, handle, _ in handles.values():
                    handle.close()
        raise AssertionError("unreachable")


def _server_error(exc: Exception) -> bool:
    """A CKANAPIError that is an HTTP 5xx (ckanapi puts [url, status, body] in its message)."""
    from ckanapi.errors import NotAuthorized, NotFound, ValidationError

    if isinstance(exc, (NotFound, NotAuthorized, ValidationError)):
        return False
    match = _STATUS.match(str(exc.args[0]) if exc.args else "")
    return bool(match) and match.group(1).startswith("5")


# ------------------------------------------------------------------ what is published

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


def period_hashes(path: Path, period_column: str) -> dict[str, str]:
    """sha256 of each period's rows in the CSV (the period as the CSV writes it, e.g. '2025')."""
    hashes: dict[str, hashlib._Hash] = {}
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        column = next(reader).index(period_column)
        for row in reader:
            digest = hashes.get(row[column])
            if digest is None:
                digest = hashes[row[column]] = hashlib.sha256()
            digest.update("\x1f".join(row).encode("utf-8") + b"\x1e")
    return {period: digest.hexdigest() for period, digest in sorted(hashes.items())}


def datastore_rows(conn: psycopg.Connection, contract: Contract) -> list[dict]:
    with conn.cursor(row_factory=psycopg.rows.dict_row) as cur:
        return [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
                for row in cur.execute(_export_query(contract))]


_LABELS = {"kode_provinsi": "Kode provinsi", "nama_provinsi": "Nama provinsi",
           "kode_kabupaten_kota": "Kode kabupaten/kota", "nama_kabupaten_kota": "Nama kabupaten/kota",
           "bps_kode_kecamatan": "Kode kecamatan (BPS)", "nama_kecamatan": "Nama kecamatan",
           "kemendagri_kode_kecamatan": "Kode kecamatan (Kemendagri)",
           "bps_kode_desa_kelurahan": "Kode desa/kelurahan (BPS)", "nama_desa_kelurahan": "Nama desa/kelurahan",
           "kemendagri_kode_desa_kelurahan": "Kode desa/kelurahan (Kemendagri)",
           "satuan": "Satuan", "id": "Nomor baris"}
_NOTES = {"kode_provinsi": "Kode provinsi menurut BPS (Jawa Barat: 32)",
          "nama_provinsi": "Nama provinsi", "kode_kabupaten_kota": "Kode kabupaten/kota menurut BPS (3216)",
          "nama_kabupaten_kota": "Nama kabupaten/kota", "id": "Nomor urut baris",
          "bps_kode_kecamatan": "Kode kecamatan menurut BPS", "nama_kecamatan": "Nama kecamatan",
          "bps_kode_desa_kelurahan": "Kode desa/kelurahan menurut BPS",
          "nama_desa_kelurahan": "Nama desa/kelurahan"}


def datastore_fields(contract: Contract) -> list[dict]:
    """DataStore fields: typed, with an Indonesian label and description (`info.label`, `info.notes`)."""
    described = {c.name: c for c in contract.columns}
    fields = [{"id": "id", "type": "int8", "info": {"label": _LABELS["id"], "notes": _NOTES["id"]}}]
    for name, typ in public_columns(contract):
        col = described.get(name)
        label = _LABELS.get(name) or (col.description if col else name)
        if col:
            notes = col.description + (f" (satuan: {col.satuan})" if col.satuan else "")
        elif name == "satuan":
            notes = f"Satuan dari nilai {contract.measure.name}"
        else:
            notes = _NOTES.get(name, label)
        fields.append({"id": name, "type": _DATASTORE_TYPES[typ], "info": {"label": label, "notes": notes}})
    return fields


def write_dictionary(contract: Contract, path: Path) -> str:
    """The data dictionary as a Markdown table (kolom, tipe, label, deskripsi, satuan, kunci utama).

    Markdown, not CSV: the dataset has exactly one CSV resource (the data), which is what a harvester
    or a user looking for "the CSV" picks. Returns the file's sha256.
    """
    described = {c.name: c for c in contract.columns}

    def cell(text: str) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = [f"# Kamus Data: {contract.title}", "",
             f"Satuan: {contract.satuan}. Kunci utama (unik per baris): {', '.join(contract.primary_key)}.", "",
             "| kolom | tipe | tipe DataStore | label | deskripsi | satuan | kunci utama |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for fld in datastore_fields(contract):
        col = described.get(fld["id"])
        unit = (col.satuan if col and col.satuan else contract.satuan if col and col.role == "measure" else "")
        lines.append("| " + " | ".join(cell(v) for v in (
            fld["id"], _TYPE_LABELS[fld["type"]], fld["type"], fld["info"]["label"], fld["info"]["notes"], unit,
            "ya" if fld["id"] in contract.primary_key else "tidak")) + " |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return hashlib.sha256(path.read_bytes()).hexdigest()


def notes(contract: Contract) -> str:
    """Open Data Jabar's description template: what/where/when/who, then one line per column."""
    lines = [contract.description.strip(), "", "Penjelasan kolom:", ""]  # Markdown: a list needs a blank line
    for name, _ in public_columns(contract):
        col = next((c for c in contract.columns if c.name == name), None)
        if col:
            lines.append(f"- {name}: {col.description}" + (f" (satuan: {col.satuan})" if col.satuan else ""))
    lines.append("- satuan: satuan dari nilai " + contract.measure.name)
    return "\n".join(lines)


def _period_bounds(periods: list[str]) -> tuple[str, str]:
    """periode_awal/akhir in the schema's forms (YYYY, YYYY-MM, YYYY-MM-DD)."""
    return (min(periods), max(periods)) if periods else ("", "")


def dataset_metadata(contract: Contract, dinas: Dinas, periods: list, validation: dict | None) -> dict:
    """Every Satu Data field of the dataset, as the schema names them (ckan/README.md)."""
    texts = sorted({str(p) for p in periods})
    periode = (f"{texts[0]}–{texts[-1]}" if len(texts) > 1 else texts[0]) if texts else ""
    start, end = _period_bounds(texts)
    meta = {
        "name": contract.ckan_name,
        "title": contract.title,
        "notes": notes(contract),
        "owner_org": dinas.ckan_organization,
        "private": contract.klasifikasi != "terbuka",
        "license_id": contract.publish.license_id,
        "tags": [{"name": t} for t in contract.publish.tags],
        "groups": [{"name": g} for g in contract.publish.groups],
        "produsen_data": dinas.nama,
        "walidata": WALIDATA,
        "frekuensi": contract.frekuensi,
        "satuan": contract.satuan,
        "tingkat_penyajian": contract.tingkat_penyajian,
        "cakupan": CAKUPAN,
        "kode_wilayah": KODE_WILAYAH,
        "periode": periode,
        "periode_awal": start,
        "periode_akhir": end,
        "klasifikasi": contract.klasifikasi,
        "maintainer": dinas.nama,
        "maintainer_email": dinas.kontak,
    }
    if validation:
        meta["tanggal_validasi"] = str(validation.get("checked_at", ""))[:10]
        meta["hasil_validasi"] = validation.get("summary", "")
    return meta


# Fields that announce the data: written last, and only once the rows are there.
_ANNOUNCING = ("periode", "periode_awal", "periode_akhir", "tanggal_validasi", "hasil_validasi", "groups")


def _current(package: dict, key: str):
    if key == "tags":
        return sorted(t["name"] for t in package.get("tags") or [])
    if key == "groups":
        return sorted(g["name"] for g in package.get("groups") or [])
    if key == "owner_org":
        return (package.get("organization") or {}).get("name") or package.get("owner_org")
    if key == "private":
        return bool(package.get("private"))
    return str(package.get(key) or "")


def _wanted(meta: dict, key: str):
    value = meta[key]
    if key in ("tags", "groups"):
        return sorted(v["name"] for v in value)
    if key == "private":
        return bool(value)
    return str(value or "")


def metadata_changes(package: dict, meta: dict) -> dict:
    """The part of `meta` that differs from what CKAN holds."""
    return {k: v for k, v in meta.items() if k != "name" and _current(package, k) != _wanted(meta, k)}


# ------------------------------------------------------------------ publishing

def publish(ckan, conn: psycopg.Connection, contract: Contract, dinas: Dinas, work_dir: Path,
            validation: dict | None = None) -> Published:
    """Create or patch the CKAN dataset; write nothing when data and metadata are unchanged."""
    from ckanapi import NotFound

    if contract.klasifikasi == "tertutup":
        log.info("%s is tertutup: it never leaves the warehouse", contract.id)
        return Published(contract.id, "skipped")
    call = _Calls(ckan)
    work_dir.mkdir(parents=True, exist_ok=True)
    csv_path = work_dir / f"{contract.ckan_name}.csv"
    dict_path = work_dir / f"{contract.ckan_name}-kamus-data.md"
    digest = export_csv(conn, contract, csv_path)
    hashes = period_hashes(csv_path, contract.period_column)
    dict_digest = write_dictionary(contract, dict_path)
    fields = datastore_fields(contract)
    layout = hashlib.sha256(json.dumps([fields, contract.primary_key], sort_keys=True).encode()).hexdigest()
    meta = dataset_metadata(contract, dinas, list(hashes), validation)

    # 1. the dataset: created private, without what announces data
    try:
        package = call("package_show", id=contract.ckan_name)
        created = False
    except NotFound:
        initial = {k: v for k, v in meta.items() if k not in _ANNOUNCING} | {"private": True}
        package = call("package_create", **initial)
        created = True
    resources = {r.get("name"): r for r in package.get("resources", [])}

    # 2. the CSV resource and its typed DataStore table
    resource = resources.get(CSV_RESOURCE)
    if resource is None:
        resource = call("resource_create", package_id=package["id"], name=CSV_RESOURCE, format="CSV",
                        description=f"Data {contract.title} dalam format CSV (UTF-8, pemisah koma); "
                                    "baris yang sama tersedia di DataStore (pratinjau dan API).")
    full = False
    if not resource.get("datastore_active") or resource.get("datastore_layout_sha256") != layout:
        if resource.get("datastore_active"):
            call("datastore_delete", resource_id=resource["id"], force=True)  # a new layout: reload all
        call("datastore_create", resource_id=resource["id"], fields=fields, primary_key=contract.primary_key,
             force=True)
        full = True

    # 3. rows, CSV file and hashes together
    old = _json(resource.get("period_sha256"))
    changed = sorted(p for p in set(hashes) | set(old) if hashes.get(p) != old.get(p))
    written: dict = {}
    if full or resource.get("sha256") != digest or changed:
        replace = {} if full or not old else {"replace_column": contract.period_column,
                                              "replace_values": json.dumps(changed)}
        patch = {"sha256": digest, "period_sha256": json.dumps(hashes, sort_keys=True),
                 "datastore_layout_sha256": layout, "format": "CSV", "mimetype": "text/csv"}
        written = call("satudata_datastore_copy", files={"upload": csv_path}, resource_id=resource["id"],
                       resource=json.dumps(patch), **replace)
        resource = written.get("resource") or resource
        changed = list(hashes) if not replace else changed
        log.info("%s: DataStore %s (%d rows deleted, %d inserted)", contract.id,
                 "replaced" if not replace else f"periods {', '.join(changed)} replaced",
                 written["deleted"], written["inserted"])

    # 4. the data dictionary
    dictionary = resources.get(DICTIONARY_RESOURCE)
    if dictionary is None or dictionary.get("sha256") != dict_digest:
        fields_d = {"name": DICTIONARY_RESOURCE, "format": "Markdown", "mimetype": "text/markdown",
                    "sha256": dict_digest,
                    "description": "Kamus data: nama kolom, tipe, label, deskripsi, satuan dan kunci utama."}
        if dictionary is None:
            call("resource_create", files={"upload": dict_path}, package_id=package["id"], **fields_d)
        else:
            call("resource_patch", files={"upload": dict_path}, id=dictionary["id"], **fields_d)

    # 5. last: what announces the data (the validation date/result only with new data or when missing)
    if not written and package.get("tanggal_validasi"):
        meta = {k: v for k, v in meta.items() if k not in ("tanggal_validasi", "hasil_validasi")}
    changes = metadata_changes(package, meta)
    if changes:
        package = call("package_patch", id=package["id"], **changes)

    action = "created" if created else "updated" if call.writes else "unchanged"
    if action == "unchanged":
        log.info("%s unchanged on CKAN (sha256 %s): nothing written", contract.id, digest[:12])
    return Published(contract.id, action, package["id"], resource["id"], digest, _url(ckan, package),
                     periods_written=changed if written else [], rows_written=written.get("inserted", 0),
                     writes=call.writes, timings=written.get("timings", {}))


def _json(value) -> dict:
    if isinstance(value, dict):
        return value
    try:
        return json.loads(value) if value else {}
    except ValueError:
        return {}


def _url(ckan, package: dict) -> str:
    return f"{ckan.address}/dataset/{package['name']}"


# ------------------------------------------------------------------ organizations and groups (sysadmin)

def _ensure_member(admin, kind: str, group_id: str, user: str, role: str) -> None:
    members = admin.action.member_list(id=group_id, object_type="user")
    user_id = admin.action.user_show(id=user)["id"]
    if not any(m[0] == user_id and m[2].lower() == role for m in members):
        action = "organization_member_create" if kind == "organization" else "group_member_create"
        getattr(admin.action, action)(id=group_id, username=user, role=role)


def ensure_organizations(admin, dinas_list: list[Dinas], editor: str | None = None,
                         groups: Iterable[str] | None = None) -> dict[str, str]:
    """Create or update one organization per dinas and the topic groups (needs a sysadmin).

    `editor` (the pipeline's CKAN user) becomes editor of every organization and every group, so that
    it can publish datasets and put them in their groups without being a sysadmin. `groups`: the
    group names to ensure; None means every group a contract of the catalog names.
    """
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
            _ensure_member(admin, "organization", org["id"], editor, "editor")
        ids[d.id] = org["id"]
    if groups is None:
        from satudata.contracts import load_catalog

        groups = sorted({g for c in load_catalog().contracts.values() for g in c.publish.groups})
    ensure_groups(admin, groups, editor)
    return ids


def ensure_groups(admin, names: Iterable[str], editor: str | None = None) -> dict[str, str]:
    """Create or update the topic groups with their Indonesian titles; make `editor` their editor."""
    from ckanapi import NotFound

    ids = {}
    for name in names:
        title, description = GROUPS.get(name, (name.replace("-", " ").title(), ""))
        try:
            group = admin.action.group_show(id=name)
            if group.get("title") != title or (description and group.get("description") != description):
                group = admin.action.group_patch(id=group["id"], title=title, description=description)
        except NotFound:
            group = admin.action.group_create(name=name, title=title, description=description)
        if editor:
            _ensure_member(admin, "group", group["id"], editor, "editor")
        ids[name] = group["id"]
    return ids
