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

import hashlib
import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psycopg

from satudata.catalog import Contract, Dinas
from satudata.messages import PORTAL
from satudata.portal import release_fields, visibility
from satudata.portal.client import Calls
from satudata.portal.payload import (
    _ANNOUNCING,
    dataset_metadata,
    datastore_fields,
    metadata_changes,
    period_hashes,
    write_dictionary,
)
from satudata.warehouse import audit, releases
from satudata.warehouse.export import export_csv

log = logging.getLogger(__name__)
CSV_RESOURCE = PORTAL["csv_resource"]
DICTIONARY_RESOURCE = PORTAL["dictionary_resource"]


@dataclass(frozen=True)
class Published:
    dataset_id: str
    action: str  # created | updated | unchanged | skipped | withdrawn | withheld
    package_id: str | None = None
    resource_id: str | None = None
    sha256: str | None = None
    url: str | None = None
    periods_written: list[str] = field(default_factory=list)
    rows_written: int = 0
    writes: list[str] = field(default_factory=list)
    timings: dict = field(default_factory=dict)  # server side of satudata_datastore_copy
    release: dict | None = None  # the release the dataset now shows (satudata.warehouse.releases)
    release_new: bool = False  # this publish made it public (followers are told)

    def to_dict(self) -> dict:
        return asdict(self)


def publish(ckan, conn: psycopg.Connection, contract: Contract, dinas: Dinas, work_dir: Path,
            validation: dict | None = None, run_id: str = "manual", catatan: str | None = None) -> Published:
    """Create or patch the CKAN dataset; write nothing when data and metadata are unchanged."""
    if contract.klasifikasi == "tertutup" and not visibility.may_be_on_ckan(conn, contract):
        log.info("%s is tertutup: it never leaves the warehouse", contract.id)
        return Published(contract.id, "skipped")
    call = Calls(ckan)
    # 0. the classification's transition (satudata.portal.visibility): withdraw, hold or tighten first
    recorded = audit.portal_state(conn, contract.id)
    package = visibility.find(call, contract)
    plan = visibility.plan(contract, package, recorded)
    if plan.held:
        visibility.record_takedown(conn, contract, recorded, plan.held)
        return Published(contract.id, "withheld", package["id"] if package else None)
    if "withdraw" in plan.steps:
        call("satudata_dataset_withdraw", id=package["id"])
        visibility.record(conn, contract, None, withdrawn=True)
        log.info("%s withdrawn from CKAN (now %s): dataset, files and DataStore purged", contract.id,
                 contract.klasifikasi)
        package = None
        if contract.klasifikasi == "tertutup":
            return Published(contract.id, "withdrawn", writes=call.writes)
    if plan.tighten:
        package = call("package_patch", id=package["id"], private=True)
        visibility.record(conn, contract, package)
    work_dir.mkdir(parents=True, exist_ok=True)
    csv_path = work_dir / f"{contract.ckan_name}.csv"
    dict_path = work_dir / f"{contract.ckan_name}-kamus-data.md"
    digest = export_csv(conn, contract, csv_path)
    hashes = period_hashes(csv_path, contract.period_column)
    dict_digest = write_dictionary(contract, dict_path)
    fields = datastore_fields(contract)
    layout = hashlib.sha256(json.dumps([fields, contract.primary_key], sort_keys=True).encode()).hexdigest()
    meta = dataset_metadata(contract, dinas, list(hashes), validation)
    release = releases.prepare(conn, contract, csv_path, run_id, catatan)  # durable before any portal write

    # 1. the dataset: created private, without what announces data
    created = package is None
    if created:
        initial = {k: v for k, v in meta.items() if k not in _ANNOUNCING} | {"private": True}
        package = call("package_create", **initial)
        visibility.record(conn, contract, package)
    resources = {r.get("name"): r for r in package.get("resources", [])}

    # 2. the CSV resource and its typed DataStore table
    resource = resources.get(CSV_RESOURCE)
    if resource is None:
        resource = call("resource_create", package_id=package["id"], name=CSV_RESOURCE, format="CSV",
                        description=PORTAL["csv_description"].format(title=contract.title))
    full = False
    if not resource.get("datastore_active") or resource.get("datastore_layout_sha256") != layout:
        if resource.get("datastore_active"):
            call("datastore_delete", resource_id=resource["id"], force=True)  # a new layout: reload all
        call("datastore_create", resource_id=resource["id"], fields=fields, primary_key=contract.primary_key,
             force=True)
        full = True

    # 2b. the release's own CSV, never changed afterwards (its stable as-of download)
    archives = release_fields.ensure_archive(call, package, resources, release, csv_path)

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
                    "description": PORTAL["dictionary_description"]}
        if dictionary is None:
            call("resource_create", files={"upload": dict_path}, package_id=package["id"], **fields_d)
        else:
            call("resource_patch", files={"upload": dict_path}, id=dictionary["id"], **fields_d)

    # 5. last: what announces the data (the validation date/result only with new data or when missing)
    if not written and package.get("tanggal_validasi"):
        meta = {k: v for k, v in meta.items() if k not in ("tanggal_validasi", "hasil_validasi")}
    meta |= release_fields.metadata(conn, contract, release, archives)
    changes = metadata_changes(package, meta)
    if changes:
        package = call("package_patch", id=package["id"], **changes)
    visibility.record(conn, contract, package)

    told = releases.mark_published(conn, contract.id, release.seq)
    action = "created" if created else "updated" if call.writes else "unchanged"
    if action == "unchanged":
        log.info("%s unchanged on CKAN (sha256 %s): nothing written", contract.id, digest[:12])
    return Published(contract.id, action, package["id"], resource["id"], digest, _url(ckan, package),
                     periods_written=changed if written else [], rows_written=written.get("inserted", 0),
                     writes=call.writes, timings=written.get("timings", {}), release=release.to_dict(),
                     release_new=told)


def _json(value) -> dict:
    if isinstance(value, dict):
        return value
    try:
        return json.loads(value) if value else {}
    except ValueError:
        return {}


def _url(ckan, package: dict) -> str:
    return f"{ckan.address}/dataset/{package['name']}"
