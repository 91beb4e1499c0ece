"""What a release adds to a CKAN dataset: its archived CSV and the fields `versi`, `tanggal_rilis`,
`riwayat_perubahan` (the public change log as JSON, read by the extension's page snippet, Atom feeds
and DCAT profile).

The archive ("Rilis 2026.2 (CSV)") is an upload of exactly the bytes published with the release,
created once and never patched: its URL is the release's stable as-of download.
"""
from __future__ import annotations

import json
from pathlib import Path

from satudata.catalog import Contract
from satudata.messages import RELEASES
from satudata.warehouse import releases


def archive_name(versi: str) -> str:
    return RELEASES["release_resource"].format(versi=versi)


def ensure_archive(call, package: dict, resources: dict, release, csv_path: Path) -> dict[str, str]:
    """Upload the release's CSV when it is not on the dataset yet; {versi: url} of every archive."""
    name = archive_name(release.versi)
    if name not in resources:
        created = call("resource_create", files={"upload": csv_path}, package_id=package["id"], name=name,
                       format="CSV", mimetype="text/csv", sha256=release.content_sha256,
                       description=RELEASES["release_description"].format(versi=release.versi,
                                                                          tanggal=release.tanggal))
        resources[name] = created
    return {r["name"]: r.get("url", "") for r in resources.values() if r.get("name")}


def metadata(conn, contract: Contract, release, archives: dict[str, str]) -> dict:
    """versi, tanggal_rilis and the change log of every published release plus this one, newest first."""
    shown = [release] + [r for r in releases.published(conn, contract.id) if r.seq != release.seq]
    entries = [{"versi": r.versi, "tanggal": r.tanggal, "catatan": r.catatan or "",
                "perubahan": r.changes.get("lines", []), "besar": bool(r.changes.get("large")),
                "baris": r.row_count, "sha256": r.content_sha256,
                "unduh": archives.get(archive_name(r.versi), "")}
               for r in sorted(shown, key=lambda r: -r.seq)]
    return {"versi": release.versi, "tanggal_rilis": release.tanggal,
            "riwayat_perubahan": json.dumps(entries, ensure_ascii=False, sort_keys=True)}
