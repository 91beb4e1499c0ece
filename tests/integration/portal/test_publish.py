"""Publishing to a real CKAN as a Satu Data portal should (issue 7).

Curated rows are written straight into the warehouse (publish is tested on its own); the pipeline
publishes with its own CKAN user (editor, not sysadmin); a recording client counts every call.
"""
from pathlib import Path

import pytest
import requests
from ckanapi import NotAuthorized, NotFound, RemoteCKAN

from satudata import messages, warehouse
from satudata.catalog import load_catalog
from satudata.connections import ckan_client
from satudata.portal import client as calls
from satudata.portal import publish as pub
from satudata.portal import release_fields

from .conftest import (
    VALIDATION,
    Recording,
    assert_consistent,
    curated_public,
    fill_curated,
    public_state,
    variant,
    with_personal_column,
)

pytestmark = pytest.mark.integration
YEARS = range(2020, 2025)


def run(client, contract, tmp_path: Path, validation=VALIDATION):
    dinas = load_catalog().dinas[contract.dinas]
    with warehouse.connect() as conn:
        return pub.publish(client, conn, contract, dinas, tmp_path, validation)


@pytest.fixture(scope="module")
def pipeline_client(ckan):
    return ckan_client("ckan_default")


@pytest.fixture(scope="module")
def admin(ckan):
    return ckan_client("ckan_admin")


@pytest.fixture(scope="module")
def open_dataset(warehouse_db, ckan, pipeline_client, tmp_path_factory):
    contract = variant("pub_terbuka_kecamatan")
    fill_curated(contract, YEARS)
    client = Recording(pipeline_client)
    first = run(client, contract, tmp_path_factory.mktemp("open"))
    return {"contract": contract, "first": first, "client": client}


def test_pipeline_user_is_an_editor_not_a_sysadmin(ckan, admin):
    user = admin.action.user_show(id="satudata_pipeline")
    assert user["sysadmin"] is False
    orgs = admin.action.organization_list_for_user(id="satudata_pipeline", permission="create_dataset")
    assert {o["name"] for o in orgs} >= {d.ckan_organization for d in load_catalog().dinas.values()}
    for o in orgs:
        assert o["capacity"] == "editor"


def test_organizations_per_dinas_and_topic_groups(ckan):
    anon = RemoteCKAN(ckan["url"])
    for dinas in load_catalog().dinas.values():
        org = anon.action.organization_show(id=dinas.ckan_organization)
        assert org["title"] == dinas.nama and org["description"] == dinas.deskripsi
    group = anon.action.group_show(id="kependudukan", include_users=True)
    assert group["title"] == "Kependudukan" and group["description"]


def test_first_publish_carries_every_satu_data_field(open_dataset, ckan):
    contract, first = open_dataset["contract"], open_dataset["first"]
    assert first.action == "created"
    assert open_dataset["client"].write_actions == [
        "package_create", "resource_create", "datastore_create", "resource_create", "satudata_datastore_copy",
        "resource_create", "package_patch"]  # CSV, its table, the release's archive, rows, dictionary
    package = RemoteCKAN(ckan["url"]).action.package_show(id=contract.ckan_name)  # anonymous: public
    assert package["private"] is False and package["license_id"] == "cc-by"
    assert package["organization"]["name"] == "disdukcapil-kabupaten-bekasi"
    assert {t["name"] for t in package["tags"]} == set(contract.publish.tags)
    assert [g["name"] for g in package["groups"]] == ["kependudukan"]
    assert package["groups"][0]["title"] == "Kependudukan"
    expected = {
        "title": contract.title, "produsen_data": "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Bekasi",
        "walidata": messages.PORTAL["walidata"], "frekuensi": "Tahunan", "satuan": "JIWA", "tingkat_penyajian": "Kecamatan",
        "cakupan": "Kabupaten Bekasi", "kode_wilayah": "3216", "periode": "2020–2024", "periode_awal": "2020",
        "periode_akhir": "2024", "klasifikasi": "terbuka", "tanggal_validasi": "2026-11-28",
        "hasil_validasi": VALIDATION["summary"]}
    assert {k: package.get(k) for k in expected} == expected
    assert "Penjelasan kolom:" in package["notes"] and "jumlah_penduduk" in package["notes"]
    found = RemoteCKAN(ckan["url"]).action.package_search(fq="groups:kependudukan", rows=1000)
    [hit] = [p for p in found["results"] if p["name"] == contract.ckan_name]
    assert hit["produsen_data"] == expected["produsen_data"] and hit["periode"] == "2020–2024"


def test_csv_dictionary_and_typed_datastore(open_dataset, ckan, admin):
    contract = open_dataset["contract"]
    state = public_state(ckan["url"], contract.ckan_name)
    rows = curated_public(contract)
    assert state["csv"] == rows and state["datastore"] == rows and len(rows) == 5 * 23 * 2
    assert state["csv"][0]["kode_kabupaten_kota"] == "3216" and state["csv"][0]["bps_kode_kecamatan"] == "3216010"
    fields = {f["id"]: f for f in state["fields"]}
    assert fields["jumlah_penduduk"]["type"] == "int8" and fields["tahun"]["type"] == "int8"
    assert fields["kemendagri_kode_kecamatan"]["type"] == "text"
    assert fields["jumlah_penduduk"]["info"]["notes"].startswith("Jumlah penduduk yang terdaftar aktif")
    assert fields["kemendagri_kode_kecamatan"]["info"]["label"] == "Kode kecamatan (Kemendagri)"
    resource = state["resource"]
    assert resource["sha256"] == open_dataset["first"].sha256 and resource["format"] == "CSV"
    # searchable: the DataStore's full text
    hits = RemoteCKAN(ckan["url"]).action.datastore_search(resource_id=resource["id"], q="KECAMATAN 07")
    assert hits["total"] == 10
    # the contract's key is the table's primary key: an upsert on it replaces, never duplicates
    record = {"kemendagri_kode_kecamatan": "32.16.01", "jenis_kelamin": "LAKI-LAKI", "tahun": 2020}
    same = RemoteCKAN(ckan["url"]).action.datastore_search(resource_id=resource["id"], filters=record)["records"]
    admin.action.datastore_upsert(resource_id=resource["id"], method="upsert", force=True,
                                  records=[{k: v for k, v in same[0].items() if k != "_id"}])
    assert RemoteCKAN(ckan["url"]).action.datastore_search(resource_id=resource["id"], limit=0)["total"] == len(rows)
    # the data dictionary
    package = state["package"]
    [dictionary] = [r for r in package["resources"] if r["name"] == pub.DICTIONARY_RESOURCE]
    assert dictionary["format"] == "Markdown"
    text = requests.get(dictionary["url"], timeout=30).content.decode("utf-8")
    assert text.startswith(f"# Kamus Data: {contract.title}")
    lines = [line.strip("| ").split(" | ") for line in text.splitlines() if line.startswith("| ")]
    table = [dict(zip(lines[0], cells, strict=True)) for cells in lines[2:]]
    assert [r["kolom"] for r in table] == [f["id"] for f in state["fields"] if f["id"] != "_id"]
    measure = next(r for r in table if r["kolom"] == "jumlah_penduduk")
    assert measure["satuan"] == "JIWA" and measure["tipe DataStore"] == "int8" and measure["kunci utama"] == "tidak"
    assert measure["deskripsi"].startswith("Jumlah penduduk yang terdaftar aktif")
    assert next(r for r in table if r["kolom"] == "tahun")["kunci utama"] == "ya"


def test_unchanged_rerun_writes_nothing(open_dataset, pipeline_client, tmp_path):
    client = Recording(pipeline_client)
    again = run(client, open_dataset["contract"], tmp_path,
                VALIDATION | {"checked_at": "2026-12-01T08:00:00+07:00"})
    assert again.action == "unchanged" and client.writes == []
    assert set(client.calls) == {"package_show"}
    assert (again.package_id, again.resource_id) == (open_dataset["first"].package_id,
                                                      open_dataset["first"].resource_id)


def test_one_period_changed_writes_only_its_rows(open_dataset, pipeline_client, ckan, tmp_path):
    contract = open_dataset["contract"]
    before = public_state(ckan["url"], contract.ckan_name)
    ids_before = {r["id"]: r for r in before["datastore"]}
    anon = RemoteCKAN(ckan["url"])
    internal_before = {str(r["id"]): r["_id"] for r in anon.action.datastore_search(
        resource_id=before["resource"]["id"], limit=1000)["records"]}
    fill_curated(contract, [2022], bump={2022: 5})
    client = Recording(pipeline_client)
    result = run(client, contract, tmp_path, VALIDATION | {"checked_at": "2026-12-02T08:00:00+07:00"})
    assert result.action == "updated" and result.periods_written == ["2022"] and result.rows_written == 46
    [(_, data)] = [w for w in client.writes if w[0] == "satudata_datastore_copy"]
    assert data["replace_column"] == "tahun" and data["replace_values"] == '["2022"]'
    # the new release's archived CSV, the rows, then versi, change log and validation date
    assert client.write_actions == ["resource_create", "satudata_datastore_copy", "package_patch"]
    assert (result.package_id, result.resource_id) == (open_dataset["first"].package_id,
                                                        open_dataset["first"].resource_id)
    after = public_state(ckan["url"], contract.ckan_name)
    assert after["csv"] == after["datastore"] == curated_public(contract)
    internal_after = {str(r["id"]): r["_id"] for r in anon.action.datastore_search(
        resource_id=after["resource"]["id"], limit=1000)["records"]}
    untouched = [i for i, r in ids_before.items() if r["tahun"] != "2022"]
    assert all(internal_after[i] == internal_before[i] for i in untouched)  # same physical rows
    assert all(internal_after[i] != internal_before[i] for i in ids_before if i not in untouched)
    assert after["package"]["tanggal_validasi"] == "2026-12-02"


def test_new_period_extends_periode_last(open_dataset, pipeline_client, ckan, tmp_path):
    contract = open_dataset["contract"]
    fill_curated(contract, [2025])
    client = Recording(pipeline_client)
    result = run(client, contract, tmp_path)
    assert result.periods_written == ["2025"] and client.write_actions[-1] == "package_patch"
    state = public_state(ckan["url"], contract.ckan_name)
    assert state["package"]["periode"] == "2020–2025" and state["package"]["periode_akhir"] == "2025"
    assert_consistent(state)


def test_terbatas_is_private_to_its_organization(warehouse_db, ckan, pipeline_client, tmp_path):
    contract = variant("pub_terbatas_kecamatan", klasifikasi="terbatas")
    fill_curated(contract, [2024])
    result = run(Recording(pipeline_client), contract, tmp_path)
    assert result.action == "created"
    with pytest.raises((NotAuthorized, NotFound)):
        RemoteCKAN(ckan["url"]).action.package_show(id=contract.ckan_name)
    package = pipeline_client.action.package_show(id=contract.ckan_name)
    assert package["private"] is True and package["klasifikasi"] == "terbatas"
    resource = next(r for r in package["resources"] if r["name"] == pub.CSV_RESOURCE)
    with pytest.raises((NotAuthorized, NotFound)):
        RemoteCKAN(ckan["url"]).action.datastore_search(resource_id=resource["id"])
    names = {p["name"] for p in RemoteCKAN(ckan["url"]).action.package_search(q="*:*", rows=1000)["results"]}
    assert contract.ckan_name not in names


def test_tertutup_never_reaches_ckan(warehouse_db, ckan, pipeline_client, admin, tmp_path):
    contract = variant("pub_tertutup_kecamatan", klasifikasi="tertutup")
    fill_curated(contract, [2024])
    client = Recording(pipeline_client)
    result = run(client, contract, tmp_path)
    assert result.action == "skipped" and client.calls == []
    assert list(tmp_path.iterdir()) == []  # not even exported
    with pytest.raises(NotFound):
        admin.action.package_show(id=contract.ckan_name)
    everything = admin.action.package_search(q="*:*", rows=1000, include_private=True, include_drafts=True)
    assert contract.ckan_name not in {p["name"] for p in everything["results"]}


def test_personal_columns_are_never_sent(warehouse_db, ckan, pipeline_client, tmp_path):
    contract = with_personal_column("pub_personal_kecamatan")
    fill_curated(contract, [2024])
    client = Recording(pipeline_client)
    run(client, contract, tmp_path)
    assert "nama_petugas" not in repr(client.writes) and "Petugas Rahasia" not in repr(client.writes)
    state = public_state(ckan["url"], contract.ckan_name)
    assert "nama_petugas" not in state["csv"][0] and "nama_petugas" not in {f["id"] for f in state["fields"]}
    sent = b"".join(p.read_bytes() for p in tmp_path.iterdir())  # every file uploaded
    assert b"nama_petugas" not in sent and b"Petugas Rahasia" not in sent
    assert "nama_petugas" not in state["package"]["notes"]


@pytest.mark.parametrize("mode", ["before", "after"])
@pytest.mark.parametrize("step", range(7))
def test_a_failure_at_any_write_of_a_first_publish_is_healed_by_a_rerun(
        warehouse_db, ckan, pipeline_client, tmp_path, monkeypatch, step, mode):
    monkeypatch.setattr(calls, "RETRY_DELAYS", ())  # retries exhausted: the failure reaches Airflow
    contract = variant(f"pub_fault_{step}_{mode}")
    fill_curated(contract, [2023, 2024])
    client = Recording(pipeline_client, fail_at=step, mode=mode)
    with pytest.raises(Exception, match="503"):
        run(client, contract, tmp_path)
    state = public_state(ckan["url"], contract.ckan_name)
    assert_consistent(state)
    if step < 6:
        assert state is None  # still private: not announced before it is complete
    healed = run(Recording(pipeline_client), contract, tmp_path)
    expected = {(0, "before"): "created", (6, "after"): "unchanged"}  # nothing done / everything done
    assert healed.action == expected.get((step, mode), "updated")
    state = public_state(ckan["url"], contract.ckan_name)
    assert state["csv"] == state["datastore"] == curated_public(contract)
    assert state["package"]["periode"] == "2023–2024"
    package = pipeline_client.action.package_show(id=contract.ckan_name)
    assert [r["name"] for r in package["resources"]] == [
        pub.CSV_RESOURCE, release_fields.archive_name(healed.release["versi"]), pub.DICTIONARY_RESOURCE]
    quiet = Recording(pipeline_client)
    assert run(quiet, contract, tmp_path).action == "unchanged" and quiet.writes == []


@pytest.mark.parametrize("mode", ["before", "after"])
@pytest.mark.parametrize("step", range(2))
def test_a_failure_while_updating_leaves_old_or_new_never_a_mix(
        warehouse_db, ckan, pipeline_client, tmp_path, monkeypatch, step, mode):
    monkeypatch.setattr(calls, "RETRY_DELAYS", ())
    contract = variant(f"pub_update_fault_{step}_{mode}")
    fill_curated(contract, [2023, 2024])
    run(Recording(pipeline_client), contract, tmp_path)
    old_rows = curated_public(contract)
    fill_curated(contract, [2024, 2025], bump={2024: 3})  # 2024 revised, 2025 new
    client = Recording(pipeline_client, fail_at=step, mode=mode)
    with pytest.raises(Exception, match="503"):
        run(client, contract, tmp_path)
    state = public_state(ckan["url"], contract.ckan_name)
    assert_consistent(state)
    assert state["datastore"] in (old_rows, curated_public(contract))
    healed = run(Recording(pipeline_client), contract, tmp_path)
    state = public_state(ckan["url"], contract.ckan_name)
    assert state["csv"] == state["datastore"] == curated_public(contract)
    assert state["package"]["periode"] == "2023–2025" and healed.package_id == state["package"]["id"]


def test_a_transient_5xx_is_retried_inside_the_task(warehouse_db, ckan, pipeline_client, tmp_path, monkeypatch):
    monkeypatch.setattr(calls, "RETRY_DELAYS", (0.1, 0.1))
    contract = variant("pub_transient_kecamatan")
    fill_curated(contract, [2024])
    client = Recording(pipeline_client, fail_at=4, mode="before", times=1)  # satudata_datastore_copy, once
    result = run(client, contract, tmp_path)
    assert result.action == "created"
    assert client.write_actions.count("satudata_datastore_copy") == 2
    state = public_state(ckan["url"], contract.ckan_name)
    assert state["csv"] == state["datastore"] == curated_public(contract)


def test_ckan_unreachable_fails_the_task(warehouse_db, tmp_path, monkeypatch):
    monkeypatch.setattr(calls, "RETRY_DELAYS", (0.05,))
    contract = variant("pub_unreachable_kecamatan")
    fill_curated(contract, [2024])
    with pytest.raises(requests.exceptions.ConnectionError):
        run(RemoteCKAN("http://127.0.0.1:9"), contract, tmp_path)


def test_dcat_carries_the_satu_data_fields(open_dataset, ckan):
    name = open_dataset["contract"].ckan_name
    response = requests.get(f"{ckan['url']}/dataset/{name}.jsonld", timeout=30)
    assert response.status_code == 200
    graph = response.json()["@graph"]
    nodes = {n["@id"]: n for n in graph}
    [dataset] = [n for n in graph if n.get("@type") == "dcat:Dataset"]
    assert dataset["dct:accrualPeriodicity"]["@id"].endswith("/frequency/ANNUAL")
    assert nodes[dataset["dct:accrualPeriodicity"]["@id"]]["skos:prefLabel"]["@value"] == "Tahunan"
    publisher = nodes[dataset["dct:publisher"]["@id"]]
    assert publisher["foaf:name"] == "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Bekasi"
    temporal = nodes[dataset["dct:temporal"]["@id"]]
    assert temporal["dcat:startDate"]["@value"] == "2020" and temporal["dcat:endDate"]["@value"] >= "2024"
    spatial = nodes[dataset["dct:spatial"]["@id"]]
    assert spatial["dct:identifier"] == "3216"
    assert dataset["dct:license"]["@id"] == "http://www.opendefinition.org/licenses/cc-by"
    assert dataset["dct:accessRights"]["@id"].endswith("/access-right/PUBLIC")
    catalog = requests.get(f"{ckan['url']}/catalog.jsonld", timeout=30)
    assert catalog.status_code == 200
    text = catalog.text
    assert name in text and "frequency/ANNUAL" in text and "Pencatatan Sipil Kabupaten Bekasi" in text
