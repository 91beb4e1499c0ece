"""Classification changes on a real CKAN (issue 15): tighten first, withdraw completely, takedowns hold.

An anonymous client checks what the public sees at every step of terbuka → terbatas → tertutup →
terbuka; every pair of classifications is walked; a takedown by hand stays down.
"""
from datetime import date

import pytest
import requests
from ckanapi import NotFound

from satudata import warehouse
from satudata.connections import ckan_client
from satudata.portal import visibility

from .conftest import VALIDATION, Recording, curated_public, fill_curated, public_state, variant
from .test_publish import run

pytestmark = pytest.mark.integration
ORDER = ["terbuka", "terbatas", "tertutup"]


@pytest.fixture(scope="module")
def pipeline_client(ckan):
    return ckan_client("ckan_default")


@pytest.fixture(scope="module")
def admin(ckan):
    return ckan_client("ckan_admin")


def everything(admin) -> set[str]:
    found = admin.action.package_search(q="*:*", rows=1000, include_private=True, include_drafts=True,
                                        include_deleted=True)
    return {p["name"] for p in found["results"]}


def gone(admin, name) -> bool:
    with pytest.raises(NotFound):
        admin.action.package_show(id=name)  # purged: not even a sysadmin finds it
    return name not in everything(admin)


def test_terbuka_terbatas_tertutup_terbuka_walk(warehouse_db, ckan, pipeline_client, admin, tmp_path):
    contract = variant("vis_walk_kecamatan")
    fill_curated(contract, [2023, 2024])
    assert run(pipeline_client, contract, tmp_path).action == "created"
    seen = public_state(ckan["url"], contract.ckan_name)
    assert seen["csv"] == seen["datastore"] == curated_public(contract)
    csv_url = seen["resource"]["url"]

    # terbuka → terbatas with new rows: private is the first write, before any row is sent
    fill_curated(contract, [2024], bump={2024: 5})
    client = Recording(pipeline_client)
    run(client, contract.model_copy(update={"klasifikasi": "terbatas"}), tmp_path)
    assert client.writes[0] == ("package_patch", {"id": client.writes[0][1]["id"], "private": True})
    assert public_state(ckan["url"], contract.ckan_name) is None
    assert requests.get(csv_url, timeout=30).status_code in (403, 404)

    # terbatas → tertutup: dataset, DataStore table and file purged
    resource_id = seen["resource"]["id"]
    client = Recording(pipeline_client)
    assert run(client, contract.model_copy(update={"klasifikasi": "tertutup"}), tmp_path).action == "withdrawn"
    assert client.write_actions == ["satudata_dataset_withdraw"]
    assert public_state(ckan["url"], contract.ckan_name) is None and gone(admin, contract.ckan_name)
    with pytest.raises(NotFound):
        admin.action.datastore_search(resource_id=resource_id)
    assert requests.get(csv_url, timeout=30).status_code == 404
    quiet = Recording(pipeline_client)  # a rerun: nothing left to do, not one call
    assert run(quiet, contract.model_copy(update={"klasifikasi": "tertutup"}), tmp_path).action == "skipped"
    assert quiet.calls == []

    # tertutup → terbuka: published again, complete before it is public
    client = Recording(pipeline_client)
    assert run(client, contract, tmp_path).action == "created"
    assert client.writes[0][1]["private"] is True and client.writes[-1][1].get("private") is False
    seen = public_state(ckan["url"], contract.ckan_name)
    assert seen["csv"] == seen["datastore"] == curated_public(contract)


@pytest.mark.parametrize("start", ORDER)
@pytest.mark.parametrize("end", ORDER)
def test_every_pair_of_classifications(warehouse_db, ckan, pipeline_client, admin, tmp_path, start, end):
    contract = variant(f"vis_{start}_{end}")
    fill_curated(contract, [2024])
    run(pipeline_client, contract.model_copy(update={"klasifikasi": start}), tmp_path)
    fill_curated(contract, [2024], bump={2024: 3})
    client = Recording(pipeline_client)
    run(client, contract.model_copy(update={"klasifikasi": end}), tmp_path)
    seen = public_state(ckan["url"], contract.ckan_name)
    if end == "terbuka":
        assert seen["csv"] == seen["datastore"] == curated_public(contract)
    else:
        assert seen is None
    if end == "tertutup":
        assert (start == "tertutup" and client.calls == []) or gone(admin, contract.ckan_name)
    elif end == "terbatas":
        assert pipeline_client.action.package_show(id=contract.ckan_name)["private"] is True
    if start == "terbuka" and end != "terbuka":  # tightened before any new row
        assert client.write_actions[0] in ("package_patch", "satudata_dataset_withdraw")
        assert client.writes[0][1].get("private", True) is True
    if start != "terbuka" and end == "terbuka":  # loosened by the last write
        assert client.writes[-1][1].get("private") is False


@pytest.mark.parametrize("how", ["deleted", "private"])
def test_a_takedown_by_hand_stays_down_until_the_contract_says(
        warehouse_db, ckan, pipeline_client, admin, tmp_path, how):
    contract = variant(f"vis_takedown_{how}")
    fill_curated(contract, [2024])
    run(pipeline_client, contract, tmp_path)
    if how == "deleted":
        admin.action.package_delete(id=contract.ckan_name)
    else:
        admin.action.package_patch(id=contract.ckan_name, private=True)
    fill_curated(contract, [2024], bump={2024: 9})
    client = Recording(pipeline_client)
    assert run(client, contract, tmp_path).action == "withheld" and client.writes == []
    assert run(Recording(pipeline_client), contract, tmp_path).action == "withheld"  # and the next run
    assert public_state(ckan["url"], contract.ckan_name) is None
    with warehouse.connect() as conn:
        assert visibility.audit.portal_state(conn, contract.id)["takedown_what"] == how
    back = contract.model_copy(update={"publish": contract.publish.model_copy(
        update={"tayang_ulang": date.today()})})
    assert run(Recording(pipeline_client), back, tmp_path, VALIDATION).action in ("created", "updated")
    seen = public_state(ckan["url"], contract.ckan_name)
    assert seen["csv"] == seen["datastore"] == curated_public(contract)


def test_a_formula_cell_is_escaped_in_the_downloaded_csv(warehouse_db, ckan, pipeline_client, tmp_path):
    from psycopg import sql

    contract = variant("vis_formula_kecamatan")
    fill_curated(contract, [2024])
    formula = '=HYPERLINK("http://contoh.invalid","klik")'
    with warehouse.connect() as conn:
        conn.execute(sql.SQL("UPDATE {} SET nama_kecamatan = %s WHERE nama_kecamatan = 'KECAMATAN 01'").format(
            sql.Identifier("curated", contract.table)), (formula,))
    run(pipeline_client, contract, tmp_path)
    seen = public_state(ckan["url"], contract.ckan_name)
    names = {r["nama_kecamatan"] for r in seen["csv"]}
    assert "'" + formula in names and formula not in names
    assert all(r["jumlah_penduduk"].isdigit() for r in seen["csv"])  # numbers untouched
