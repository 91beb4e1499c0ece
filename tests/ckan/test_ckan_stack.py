"""A real CKAN 2.12 started by scripts/ckan.sh, used the way the pipeline and a visitor use it.

Brings up its own instance (``<session instance>_stack``, port SATUDATA_TEST_CKAN_STACK_PORT or 5066,
Redis DB 3), drops it at the end (databases, roles, files). Needs PostgreSQL and Redis on 127.0.0.1 and
uv (for the first `install`).
"""
from __future__ import annotations

import io
import json
import os
import secrets
import stat
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace

import ckanapi
import psycopg
import pytest
import requests

from .. import support

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

ROOT = support.ROOT
SCRIPT = ROOT / "scripts" / "ckan.sh"
CKAN_PYTHON = ROOT / "var" / "ckan" / "venv" / "bin" / "python"
INSTANCE, PORT = f"{support.INSTANCE}_stack", int(os.environ.get("SATUDATA_TEST_CKAN_STACK_PORT", "5066"))
REDIS_URL = "redis://127.0.0.1:6379/3"
HOME = ROOT / "var" / "ckan" / INSTANCE
DB = f"ckan_{INSTANCE}"
RUN = secrets.token_hex(3)  # names unique per run, whatever an earlier run left behind

CSV = b"kecamatan,tahun,jumlah\nCikarang Utara,2024,12\nTambun Selatan,2024,7\nSetu,2024,3\n"


def script(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("CKAN_HOME", "CKAN_DB", "CKAN_DATASTORE_DB", "CKAN_INI")}
    env.update(CKAN_INSTANCE=INSTANCE, CKAN_PORT=str(PORT), CKAN_REDIS_URL=REDIS_URL)
    proc = subprocess.run([str(SCRIPT), *args], check=False, env=env, capture_output=True, text=True,
                          timeout=500)
    if check and proc.returncode != 0:
        pytest.fail(f"scripts/ckan.sh {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def read_env(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


@pytest.fixture(scope="module")
def ckan(request):
    script("drop")  # whatever a crashed run left behind
    request.addfinalizer(lambda: script("drop", check=False))
    started = time.monotonic()
    up = script("up")
    env_file = HOME / "env"
    env = read_env(env_file)
    stack = SimpleNamespace(
        up=up, up_seconds=time.monotonic() - started, env_file=env_file, env=env, url=env["CKAN_URL"],
        admin=ckanapi.RemoteCKAN(env["CKAN_URL"], apikey=env["CKAN_ADMIN_TOKEN"]),
        pipeline=ckanapi.RemoteCKAN(env["CKAN_URL"], apikey=env["CKAN_API_TOKEN"]),
        anon=ckanapi.RemoteCKAN(env["CKAN_URL"]),
    )
    yield stack


@pytest.fixture(scope="module")
def org(ckan):
    """An organization made by the sysadmin, with the pipeline user as editor."""
    org = ckan.admin.action.organization_create(name=f"dinkes-{RUN}", title="Dinas Kesehatan")
    ckan.admin.action.organization_member_create(id=org["id"], username="satudata_pipeline", role="editor")
    return org


def satudata_dataset(org, name: str, title: str, **extra) -> dict:
    data = {
        "name": name, "title": title, "owner_org": org["id"],
        "notes": "Jumlah kasus per kecamatan di Kabupaten Bekasi.",
        "tags": [{"name": "kesehatan"}],
        "produsen_data": "Dinas Kesehatan", "frekuensi": "Tahunan", "satuan": "Kasus",
        "tingkat_penyajian": "Kecamatan", "cakupan": "Kabupaten Bekasi", "kode_wilayah": "3216",
        "periode": "2024", "periode_awal": "2024", "periode_akhir": "2024",
        "klasifikasi": "terbuka", "license_id": "cc-by",
        "tanggal_validasi": "2026-11-28T10:15:00+07:00", "hasil_validasi": "Lulus: 12 dari 12 pemeriksaan",
    }
    data.update(extra)
    return data


def index_rows(name: str) -> int:
    with psycopg.connect(support.pg_url(DB)) as conn:
        return conn.execute("SELECT count(*) FROM satudata_search_index WHERE name = %s", (name,)).fetchone()[0]


def found(api, q="*:*", **params) -> list[str]:
    return [d["name"] for d in api.action.package_search(q=q, rows=100, **params)["results"]]


# ------------------------------------------------------------------------------------------------

def test_up_writes_credentials_privately_and_is_idempotent(ckan):
    assert ckan.url == f"http://127.0.0.1:{PORT}"
    assert stat.S_IMODE(ckan.env_file.stat().st_mode) == 0o600
    for key in ("CKAN_API_TOKEN", "CKAN_ADMIN_TOKEN"):
        assert ckan.env[key] and ckan.env[key] not in ckan.up.stdout + ckan.up.stderr
    assert requests.get(ckan.url + "/api/3/action/status_show", timeout=10).json()["success"]
    started = time.monotonic()
    again = script("up")
    assert time.monotonic() - started < 5, "up on a running instance must be a quick no-op"
    assert ckan.env["CKAN_ADMIN_TOKEN"] not in again.stdout + again.stderr
    assert read_env(ckan.env_file) == ckan.env
    assert "running" in script("status").stdout
    # the pipeline user is no sysadmin; the admin is
    assert ckan.admin.action.user_show(id="admin")["sysadmin"] is True
    assert ckan.admin.action.user_show(id="satudata_pipeline")["sysadmin"] is False


def test_create_with_satudata_fields_and_show(ckan, org):
    name = f"kasus-dbd-{RUN}"
    created = ckan.pipeline.action.package_create(
        **satudata_dataset(org, name, "Jumlah Kasus Demam Berdarah", walidata=None, frekuensi="tahunan"))
    shown = ckan.anon.action.package_show(id=name)
    assert shown["id"] == created["id"]
    expected = {
        "produsen_data": "Dinas Kesehatan",
        "walidata": "Diskominfosantik Kabupaten Bekasi",  # default
        "frekuensi": "Tahunan",  # normalised from 'tahunan'
        "satuan": "Kasus", "tingkat_penyajian": "Kecamatan", "cakupan": "Kabupaten Bekasi",
        "kode_wilayah": "3216", "periode": "2024", "periode_awal": "2024", "periode_akhir": "2024",
        "klasifikasi": "terbuka", "license_id": "cc-by", "tanggal_validasi": "2026-11-28",
        "hasil_validasi": "Lulus: 12 dari 12 pemeriksaan", "private": False,
    }
    assert {k: shown.get(k) for k in expected} == expected
    assert shown["organization"]["name"] == org["name"]
    assert [t["name"] for t in shown["tags"]] == ["kesehatan"]


def test_defaults_and_choices(ckan, org):
    name = f"minimal-{RUN}"
    shown = ckan.pipeline.action.package_create(
        name=name, title="Data Minimal", owner_org=org["id"], produsen_data="Dinas Kesehatan")
    assert (shown["walidata"], shown["kode_wilayah"], shown["license_id"], shown["klasifikasi"]) == (
        "Diskominfosantik Kabupaten Bekasi", "3216", "cc-by", "terbuka")
    with pytest.raises(ckanapi.ValidationError) as err:
        ckan.pipeline.action.package_create(
            name=f"bad-{RUN}", title="Salah", owner_org=org["id"], produsen_data="Dinkes", frekuensi="Dua Kali")
    assert "frekuensi" in err.value.error_dict


def test_search_by_title_word_owner_org_and_facets(ckan, org):
    name = f"imunisasi-{RUN}"
    ckan.pipeline.action.package_create(**satudata_dataset(org, name, "Cakupan Imunisasi Dasar Lengkap"))
    assert found(ckan.anon, "imunisasi") == [name]
    assert found(ckan.anon, "Imunisasi Dasar") == [name]
    assert name in found(ckan.anon, fq=f"owner_org:{org['id']}")
    assert name in found(ckan.anon, fq=f'+organization:"{org["name"]}" +dataset_type:dataset')
    result = ckan.anon.action.package_search(
        fq=f"owner_org:{org['id']}", rows=0,
        **{"facet.field": json.dumps(["organization", "frekuensi", "tingkat_penyajian", "tags"])})
    assert result["count"] >= 1
    assert result["facets"]["organization"][org["name"]] == result["count"]
    assert result["facets"]["frekuensi"]["Tahunan"] >= 1
    assert result["facets"]["tingkat_penyajian"]["Kecamatan"] >= 1
    assert result["facets"]["tags"]["kesehatan"] >= 1
    by_name = found(ckan.anon, fq=f"owner_org:{org['id']}", sort="name asc")
    assert by_name == sorted(by_name)


def test_private_dataset_only_for_the_organization(ckan, org):
    private = f"kasus-hiv-{RUN}"
    ckan.pipeline.action.package_create(**satudata_dataset(org, private, "Kasus Tuberkulosis Tertangani", private=True))
    restricted = f"gizi-buruk-{RUN}"  # terbatas is private even when `private` is not sent
    shown = ckan.pipeline.action.package_create(
        **satudata_dataset(org, restricted, "Balita Gizi Buruk Tertangani", klasifikasi="terbatas"))
    assert shown["private"] is True
    assert found(ckan.anon, "tertangani") == []
    assert found(ckan.anon, "tertangani", include_private=True) == []
    assert sorted(found(ckan.pipeline, "tertangani", include_private=True)) == sorted([private, restricted])
    assert requests.get(f"{ckan.url}/dataset/{private}", timeout=10).status_code == 404


def test_resource_upload_downloads_identical(ckan, org):
    name = f"unggah-{RUN}"
    ckan.pipeline.action.package_create(**satudata_dataset(org, name, "Kasus per Kecamatan"))
    resource = ckan.pipeline.action.resource_create(
        package_id=name, name="kasus.csv", format="CSV", upload=("kasus.csv", io.BytesIO(CSV)))
    download = requests.get(resource["url"], timeout=30)
    assert download.status_code == 200
    assert download.content == CSV
    assert "CSV" in ckan.anon.action.package_search(
        q=f"name:{name}", **{"facet.field": json.dumps(["res_format"])})["facets"]["res_format"]


def test_datastore_typed_table_with_primary_key(ckan, org):
    name = f"datastore-{RUN}"
    ckan.pipeline.action.package_create(**satudata_dataset(org, name, "Kasus per Kecamatan (DataStore)"))
    resource = ckan.pipeline.action.resource_create(
        package_id=name, name="kasus.csv", format="CSV", upload=("kasus.csv", io.BytesIO(CSV)))
    fields = [{"id": "kecamatan", "type": "text", "info": {"label": "Kecamatan"}},
              {"id": "tahun", "type": "int"}, {"id": "jumlah", "type": "numeric"}]
    records = [{"kecamatan": "Cikarang Utara", "tahun": 2024, "jumlah": 12},
               {"kecamatan": "Tambun Selatan", "tahun": 2024, "jumlah": 7}]
    ckan.pipeline.action.datastore_create(resource_id=resource["id"], fields=fields,
                                          primary_key=["kecamatan", "tahun"], records=records, force=True)
    ckan.pipeline.action.datastore_upsert(resource_id=resource["id"], method="upsert", force=True,
                                          records=[{"kecamatan": "Cikarang Utara", "tahun": 2024, "jumlah": 13}])
    result = ckan.anon.action.datastore_search(resource_id=resource["id"], sort="kecamatan")
    assert [f["type"] for f in result["fields"] if f["id"] != "_id"] == ["text", "int4", "numeric"]
    assert [(r["kecamatan"], r["jumlah"]) for r in result["records"]] == [("Cikarang Utara", 13), ("Tambun Selatan", 7)]
    assert result["total"] == 2
    sql = ckan.anon.action.datastore_search_sql(sql=f'SELECT sum(jumlah) AS total FROM "{resource["id"]}"')
    assert float(sql["records"][0]["total"]) == 20
    assert ckan.anon.action.resource_show(id=resource["id"])["datastore_active"] is True


def test_patch_updates_the_index(ckan, org):
    name = f"patch-{RUN}"
    ckan.pipeline.action.package_create(**satudata_dataset(org, name, "Jumlah Puskesmas Keliling", notes="-"))
    assert found(ckan.anon, "keliling") == [name]
    ckan.pipeline.action.package_patch(id=name, title="Jumlah Posyandu Aktif", periode="2025")
    assert found(ckan.anon, "posyandu") == [name]
    assert found(ckan.anon, "keliling") == []
    assert ckan.anon.action.package_search(q=f"name:{name}")["results"][0]["periode"] == "2025"


def test_delete_removes_from_search(ckan, org):
    name = f"hapus-{RUN}"
    ckan.pipeline.action.package_create(**satudata_dataset(org, name, "Rumah Sakit Rujukan"))
    assert found(ckan.anon, "rujukan") == [name]
    ckan.pipeline.action.package_delete(id=name)
    assert found(ckan.anon, "rujukan") == []
    assert found(ckan.pipeline, "rujukan", include_private=True, include_drafts=True) == []
    assert index_rows(name) == 0


def test_pages_answer_and_show_indonesian_labels(ckan, org):
    name = f"halaman-{RUN}"
    ckan.pipeline.action.package_create(**satudata_dataset(org, name, "Tenaga Kesehatan per Puskesmas"))
    page = requests.get(f"{ckan.url}/dataset/{name}", timeout=30)
    assert page.status_code == 200
    for text in ("Produsen Data", "Walidata", "Frekuensi", "Tingkat Penyajian", "Diskominfosantik Kabupaten Bekasi"):
        assert text in page.text
    for path in ("/", "/dataset/", "/dataset/?q=puskesmas&sort=title_string+asc", f"/organization/{org['name']}",
                 "/dataset/?frekuensi=Tahunan", "/catalog.jsonld"):
        assert requests.get(ckan.url + path, timeout=30).status_code == 200, path
    assert "Tenaga Kesehatan per Puskesmas" in requests.get(f"{ckan.url}/dataset/?q=puskesmas", timeout=30).text
    catalog = requests.get(ckan.url + "/catalog.jsonld", timeout=30).text
    assert "Tenaga Kesehatan per Puskesmas" in catalog


def test_failed_create_leaves_no_index_row(ckan, org):
    name = f"gagal-{RUN}"
    with pytest.raises(ckanapi.ValidationError):
        ckan.pipeline.action.package_create(name=name, title="Tanpa Produsen", owner_org=org["id"])
    assert index_rows(name) == 0
    with pytest.raises(ckanapi.NotFound):
        ckan.admin.action.package_show(id=name)


def test_index_write_rolls_back_with_the_dataset(ckan, org):
    """In-process, with CKAN's final commit made to fail: the index row was written in the same
    transaction (visible before the commit) and is gone with the dataset afterwards."""
    name = f"rollback-{RUN}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
    env["CKAN_INI"] = str(HOME / "ckan.ini")
    proc = subprocess.run([str(CKAN_PYTHON), "-I", str(Path(__file__).with_name("ckan_rollback_probe.py")),
                           name, org["id"]], check=False, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen == {"index_rows_before_commit": 1, "error": "simulated failure at commit",
                    "index_rows_after": 0, "packages_after": 0}


def test_search_index_rebuild(ckan, org):
    name = f"rebuild-{RUN}"
    ckan.pipeline.action.package_create(**satudata_dataset(org, name, "Angka Harapan Hidup"))
    script("cli", "search-index", "clear")
    assert found(ckan.anon, "harapan") == []
    script("cli", "search-index", "rebuild")
    assert found(ckan.anon, "harapan") == [name]
    script("cli", "search-index", "clear", name)
    assert found(ckan.anon, "harapan") == []
    script("cli", "search-index", "rebuild", name)
    assert found(ckan.anon, "harapan") == [name]
    assert "Packages not indexed = 0" in script("cli", "search-index", "check").stdout
