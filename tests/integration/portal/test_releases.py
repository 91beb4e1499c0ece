"""Releases on a real CKAN and warehouse (issue 13): a release only when data changed, its change log,
its archived CSV byte-identical, followers told, an interrupted release healed by a rerun."""
import shutil
import threading
from datetime import date, datetime

import pytest
import requests
from ckanapi import RemoteCKAN
from ckanapi.errors import CKANAPIError
from psycopg import sql

from satudata import pipeline, warehouse
from satudata.catalog import load_catalog
from satudata.connections import ckan_client
from satudata.portal import publish as pub
from satudata.portal.release_fields import archive_name
from satudata.warehouse import releases

from .conftest import VALIDATION, Recording, fill_curated, variant

pytestmark = pytest.mark.integration


class NoPatch(Recording):
    """CKAN down for package_patch: every attempt answers 503."""

    def call_action(self, action, data_dict=None, context=None, apikey=None, files=None, requests_kwargs=None):
        if action == "package_patch":
            self.writes.append((action, dict(data_dict or {})))
            self._fault(action)
        return super().call_action(action, data_dict, context, apikey, files, requests_kwargs)


def run(client, contract, tmp_path, catatan=None, run_id="itest"):
    dinas = load_catalog().dinas[contract.dinas]
    with warehouse.connect() as conn:
        return pub.publish(client, conn, contract, dinas, tmp_path, VALIDATION, run_id=run_id, catatan=catatan)


def riwayat(url, name):
    import json

    package = RemoteCKAN(url).action.package_show(id=name)
    return package, json.loads(package.get("riwayat_perubahan") or "[]")


def test_releases_change_log_archives_and_followers(warehouse_db, ckan, smtp, tmp_path):
    url = ckan["url"]
    contract = variant("rel_kecamatan")
    editor, admin = ckan_client("ckan_default"), ckan_client("ckan_admin")
    fill_curated(contract, range(2021, 2024))

    # first release
    first = run(editor, contract, tmp_path / "1", run_id="run-1")
    year = datetime.now(releases.WIB).year
    assert first.release["versi"] == f"{year}.1" and first.release_new
    published_then = (tmp_path / "first.csv")
    shutil.copy(tmp_path / "1" / f"{contract.ckan_name}.csv", published_then)
    package, log = riwayat(url, contract.ckan_name)
    assert package["versi"] == f"{year}.1" and package["tanggal_rilis"] == first.release["released_at"][:10]
    assert log[0]["perubahan"] == ["Rilis pertama: 138 baris, periode 2021–2023."]

    # a follower (CKAN's follow, with the user's own token)
    admin.action.user_create(name="rel_follower", email="pengikut@example.org", password="Rahasia-12345",
                             fullname="Ibu Pengikut")
    token = admin.action.api_token_create(user="rel_follower", name="itest")["token"]
    RemoteCKAN(url, apikey=token).action.follow_dataset(id=contract.ckan_name)

    # unchanged rerun: no release, no CKAN write, no e-mail
    recording = Recording(editor)
    same = run(recording, contract, tmp_path / "2", run_id="run-2")
    assert recording.write_actions == [] and same.action == "unchanged" and not same.release_new
    assert same.release["versi"] == f"{year}.1"
    assert smtp == []

    # a new period and a revision of earlier values, with the steward's reason
    fill_curated(contract, [2022, 2024], bump={2022: 3})
    second = run(editor, contract, tmp_path / "3", catatan="Koreksi data 2022 dari Disdukcapil", run_id="run-3")
    assert second.release["versi"] == f"{year}.2" and second.release_new
    lines = second.release["changes"]["lines"]
    assert "Data tahun 2024 ditambahkan: 46 baris." in lines
    assert any(line.startswith("Tahun 2022: 46 nilai direvisi di KECAMATAN 01, KECAMATAN 02, KECAMATAN 03 dan 20 "
                               "lainnya.") for line in lines), lines
    assert lines[-1] == "Catatan walidata: Koreksi data 2022 dari Disdukcapil"
    assert pipeline.tell_followers(contract, second) == ["pengikut@example.org"]
    [mail] = smtp
    assert mail["Subject"] == f"[Satu Data Bekasi] Rilis {year}.2: {contract.title}"
    body = mail.get_body().get_content()
    assert "Yth. Ibu Pengikut" in body and "Data tahun 2024 ditambahkan: 46 baris." in body
    assert f"/dataset/{contract.ckan_name}" in body
    package, log = riwayat(url, contract.ckan_name)
    assert [e["versi"] for e in log] == [f"{year}.2", f"{year}.1"] and package["versi"] == f"{year}.2"

    # a re-coded region
    with warehouse.connect() as conn:
        conn.execute(sql.SQL("UPDATE {} SET kemendagri_kode_kecamatan = '32.16.99' WHERE "
                             "kemendagri_kode_kecamatan = '32.16.05'").format(sql.Identifier("curated", contract.table)))
    third = run(editor, contract, tmp_path / "4", run_id="run-4")
    assert third.release["changes"]["lines"] == [
        "Kode wilayah KECAMATAN 05 berubah: 32.16.05 → 32.16.99 (8 baris)."]

    # interrupted before what announces the release: the previous release stays visible; a rerun heals
    fill_curated(contract, [2023], bump={2023: 40000})
    failing = NoPatch(editor)  # archive, rows, then the announcing package_patch fails (every retry)
    with pytest.raises(CKANAPIError):
        run(failing, contract, tmp_path / "5", run_id="run-5")
    assert failing.write_actions[:3] == ["resource_create", "satudata_datastore_copy", "package_patch"]
    package, log = riwayat(url, contract.ckan_name)
    assert package["versi"] == f"{year}.3" and len(log) == 3
    with warehouse.connect() as conn:
        assert releases.latest(conn, contract.id).state == "pending"
    healed = run(editor, contract, tmp_path / "6", run_id="run-6")
    assert healed.release["versi"] == f"{year}.4" and healed.release_new
    assert any(line.startswith("PERHATIAN: 46 revisi mengubah nilai 10× atau lebih") for line in
               healed.release["changes"]["lines"])
    package, log = riwayat(url, contract.ckan_name)
    assert package["versi"] == f"{year}.4" and next(e["versi"] for e in log) == f"{year}.4" and len(log) == 4

    # every release's CSV: downloadable from CKAN and rebuilt from the warehouse, byte-identical
    resources = {r["name"]: r for r in package["resources"]}
    old = requests.get(resources[archive_name(f"{year}.1")]["url"], timeout=30).content
    assert old == published_then.read_bytes()
    assert log[-1]["unduh"] == resources[archive_name(f"{year}.1")]["url"]
    with warehouse.connect() as conn:
        assert releases.rebuild(conn, contract.id, 1) == old
        current = requests.get(resources["Data (CSV)"]["url"], timeout=30).content
        assert releases.rebuild(conn, contract.id, 4) == current
        release, data = releases.as_of(conn, contract.id, datetime.now(releases.WIB).date())
        assert release.versi == f"{year}.4" and data == current
        assert releases.as_of(conn, contract.id, date(2000, 1, 1)) == (None, None)
        # unchanged rows are stored once: the 4 releases publish 138 + 3 × 184 rows, 284 versions are kept
        versions = conn.execute("SELECT count(*) FROM history.rows WHERE dataset_id = %s", (contract.id,)).fetchone()[0]
        assert versions == 138 + 46 + 46 + 8 + 46  # first, 2024 added, 2022 revised, re-coded, 2023 revised


def test_two_runs_at_once_make_one_release(warehouse_db, tmp_path):
    contract = variant("rel_concurrent")
    fill_curated(contract, [2023])
    from satudata.warehouse.export import export_csv

    with warehouse.connect() as conn:
        export_csv(conn, contract, tmp_path / "a.csv")
    made = []

    def prepare(run_id):
        with warehouse.connect() as conn:
            made.append(releases.prepare(conn, contract, tmp_path / "a.csv", run_id))

    threads = [threading.Thread(target=prepare, args=(f"run-{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.new for r in made) == [False, True] and {r.seq for r in made} == {1}
    with warehouse.connect() as conn:
        assert conn.execute("SELECT count(*) FROM history.releases WHERE dataset_id = %s",
                            (contract.id,)).fetchone()[0] == 1
