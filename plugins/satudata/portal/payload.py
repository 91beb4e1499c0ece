"""What a dataset looks like on CKAN: Satu Data metadata, DataStore fields, the data dictionary, hashes.

Every field is named as the project's CKAN schema names it (ckan/README.md); the Indonesian labels
and descriptions come from satudata.messages.PORTAL. Pure functions of the contract and the files.
"""
from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from satudata.catalog import Contract, Dinas
from satudata.messages import PORTAL
from satudata.warehouse.curated import public_columns

KODE_WILAYAH = "3216"
_DATASTORE_TYPES = {"text": "text", "bigint": "int8", "numeric": "numeric", "date": "date", "boolean": "bool"}
# Satu Data topic groups (data.go.id / Open Data Jabar topics); a contract's `publish.groups` names them.
GROUPS = PORTAL["groups"]
_LABELS = PORTAL["labels"]
_NOTES = PORTAL["notes"]
_TYPE_LABELS = PORTAL["type_labels"]


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


def _unit(satuan: str | None) -> str:
    return PORTAL["unit_suffix"].format(satuan=satuan) if satuan else ""


def datastore_fields(contract: Contract) -> list[dict]:
    """DataStore fields: typed, with an Indonesian label and description (`info.label`, `info.notes`)."""
    described = {c.name: c for c in contract.columns}
    fields = [{"id": "id", "type": "int8", "info": {"label": _LABELS["id"], "notes": _NOTES["id"]}}]
    for name, typ in public_columns(contract):
        col = described.get(name)
        label = _LABELS.get(name) or (col.description if col else name)
        if col:
            notes = col.description + _unit(col.satuan)
        elif name == "satuan":
            notes = PORTAL["unit_of"].format(measure=contract.measure.name)
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

    lines = [PORTAL["dictionary_title"].format(title=contract.title), "",
             PORTAL["dictionary_intro"].format(satuan=contract.satuan, key=", ".join(contract.primary_key)), "",
             PORTAL["dictionary_header"],
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for fld in datastore_fields(contract):
        col = described.get(fld["id"])
        unit = (col.satuan if col and col.satuan else contract.satuan if col and col.role == "measure" else "")
        lines.append("| " + " | ".join(cell(v) for v in (
            fld["id"], _TYPE_LABELS[fld["type"]], fld["type"], fld["info"]["label"], fld["info"]["notes"], unit,
            PORTAL["yes"] if fld["id"] in contract.primary_key else PORTAL["no"])) + " |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return hashlib.sha256(path.read_bytes()).hexdigest()


def notes(contract: Contract) -> str:
    """Open Data Jabar's description template: what/where/when/who, then one line per column."""
    lines = [contract.description.strip(), "", PORTAL["notes_heading"], ""]  # Markdown: a list needs a blank line
    for name, _ in public_columns(contract):
        col = next((c for c in contract.columns if c.name == name), None)
        if col:
            lines.append(f"- {name}: {col.description}" + _unit(col.satuan))
    lines.append(PORTAL["notes_unit"].format(measure=contract.measure.name))
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
        "walidata": PORTAL["walidata"],
        "frekuensi": contract.frekuensi,
        "satuan": contract.satuan,
        "tingkat_penyajian": contract.tingkat_penyajian,
        "cakupan": PORTAL["cakupan"],
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
