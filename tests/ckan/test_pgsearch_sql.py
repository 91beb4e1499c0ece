"""The Solr-subset compiler of ckanext-satudata's search index, run against real PostgreSQL.

No CKAN needed: the compiler (``solrquery.py``) is pure Python; documents go through the same
``prepare_row``/``UPSERT_SQL`` the plugin uses, into a table made by the plugin's own migration,
in a throw-away schema.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import secrets
import sys
import types
from pathlib import Path

import psycopg
import pytest

from .. import support

EXT = support.ROOT / "ckan" / "ckanext-satudata" / "ckanext" / "satudata"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


sq = _load("satudata_solrquery", EXT / "pgsearch" / "solrquery.py")


def _pg(sql: str) -> str:
    """SQLAlchemy ``:name`` binds -> psycopg ``%(name)s``."""
    return re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", sql)


@pytest.fixture(scope="module")
def db():
    conn = psycopg.connect(support.PG_ADMIN, autocommit=True, connect_timeout=5)
    schema = "satudata_sq_" + secrets.token_hex(4)
    conn.execute(f'CREATE SCHEMA "{schema}"')
    conn.execute(f'SET search_path TO "{schema}"')

    statements = []
    fake_alembic = types.SimpleNamespace(op=types.SimpleNamespace(execute=statements.append))
    saved = sys.modules.get("alembic")
    sys.modules["alembic"] = fake_alembic
    try:
        migration = _load("satudata_migration", next((EXT / "migration" / "satudata_pgsearch" / "versions").glob("*.py")))
        migration.upgrade()
    finally:
        if saved is None:
            del sys.modules["alembic"]
        else:
            sys.modules["alembic"] = saved
    for stmt in statements:
        conn.execute(stmt)
    try:
        yield conn
    finally:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.close()


def _doc(i, name, title, org, *, notes="", tags=(), private=False, state="active", modified="2024-01-01T00:00:00",
         res_format=(), labels=None, dataset_type="dataset", **extra):
    doc = {
        "id": f"id-{i}", "index_id": f"ix-{i}", "site_id": "test", "entity_type": "package",
        "name": name, "title": title, "title_string": title, "notes": notes, "tags": list(tags),
        "organization": org, "owner_org": f"uuid-{org}", "capacity": "private" if private else "public",
        "state": state, "private": private, "dataset_type": dataset_type, "type": dataset_type,
        "metadata_modified": modified + "Z", "metadata_created": "2023-01-01T00:00:00Z",
        "num_resources": len(res_format), "res_format": list(res_format), "groups": [],
        "permission_labels": labels or (["member-uuid-" + org] if private else ["public"]),
        "data_dict": json.dumps({"name": name}), "validated_data_dict": json.dumps({"name": name, "v": 1}),
    }
    doc.update(extra)
    return doc


DOCS = [
    _doc(1, "jumlah-penduduk-kecamatan", "Jumlah Penduduk menurut Kecamatan", "disdukcapil",
         notes="Data penduduk Kabupaten Bekasi per kecamatan", tags=["kependudukan"],
         modified="2024-05-01T10:00:00", res_format=["CSV"], frekuensi="Tahunan",
         produsen_data="Dinas Kependudukan dan Pencatatan Sipil"),
    _doc(2, "angka-kematian-bayi", "Angka Kematian Bayi", "dinkes", notes="Kematian bayi per 1000 kelahiran",
         tags=["kesehatan", "bayi"], modified="2024-06-01T10:00:00", res_format=["CSV", "XLSX"],
         frekuensi="Tahunan", produsen_data="Dinas Kesehatan"),
    _doc(3, "anggaran-rahasia", "Anggaran Rahasia", "dinkes", notes="penduduk miskin", private=True,
         tags=["kesehatan"], modified="2023-06-01T10:00:00", frekuensi="Bulanan", produsen_data="Dinas Kesehatan"),
    _doc(4, "dataset-lama", "Dataset Lama Terhapus", "dinkes", state="deleted", modified="2022-01-01T00:00:00"),
    _doc(5, "panen-harvest", "Sumber Panen", "dinkes", dataset_type="harvest", modified="2021-01-01T00:00:00"),
]


@pytest.fixture(scope="module")
def index(db):
    with db.cursor() as cur:
        for doc in DOCS:
            cur.execute(_pg(sq.UPSERT_SQL), sq.prepare_row(doc))
    return db


def search(db, q="*:*", **params):
    plan = sq.plan_search(q, params)
    hits = db.execute(_pg(plan.count_sql), plan.params).fetchone()[0]
    docs = []
    if plan.page_sql:
        docs = [sq.result_doc(*row, plan.fl) for row in db.execute(_pg(plan.page_sql), plan.params)]
    facets = {}
    if plan.facet_sql:
        facets = sq.facet_result(plan.facet_fields, db.execute(_pg(plan.facet_sql), plan.params))["facet_fields"]
    return hits, docs, facets


def names(db, q="*:*", **params):
    params.setdefault("rows", 100)
    params.setdefault("sort", "name asc")
    return [d["name"] for d in search(db, q, fl="name", **params)[1]]


ACTIVE_PUBLIC = ['+site_id:"test"', "+state:active", "+capacity:public"]


def test_match_all_and_filters(index):
    assert search(index)[0] == 5
    assert names(index, fq=ACTIVE_PUBLIC) == ["angka-kematian-bayi", "jumlah-penduduk-kecamatan", "panen-harvest"]
    assert names(index, fq=["+capacity:public  +state:(active OR deleted)"]) == [
        "angka-kematian-bayi", "dataset-lama", "jumlah-penduduk-kecamatan", "panen-harvest"]
    assert names(index, fq=ACTIVE_PUBLIC + ["-dataset_type:harvest"]) == [
        "angka-kematian-bayi", "jumlah-penduduk-kecamatan"]
    assert names(index, fq=['owner_org:"uuid-dinkes" +dataset_type:dataset', "+state:active"]) == [
        "anggaran-rahasia", "angka-kematian-bayi"]
    assert names(index, fq=['+entity_type:package AND +(id:"id-2" OR name:"id-2") AND +site_id:"test"']) == [
        "angka-kematian-bayi"]
    assert names(index, 'name:"anggaran-rahasia" OR id:"anggaran-rahasia"') == ["anggaran-rahasia"]


def test_permission_labels(index):
    anon = ["+state:active", '+permission_labels:("public")']
    member = ["+state:active", '+permission_labels:("public" OR "member-uuid-dinkes" OR "creator-x")']
    assert "anggaran-rahasia" not in names(index, fq=anon)
    assert "anggaran-rahasia" in names(index, fq=member)


def test_fields_exact_multivalued_wildcard_and_exists(index):
    assert names(index, 'tags:"kesehatan"', fq=["+state:active"]) == ["anggaran-rahasia", "angka-kematian-bayi"]
    assert names(index, "res_format:XLSX") == ["angka-kematian-bayi"]
    assert names(index, "tags:Kesehatan") == []  # string fields are exact, as in Solr
    assert names(index, "name:angka*") == ["angka-kematian-bayi"]
    assert names(index, "name:*rahasia") == ["anggaran-rahasia"]
    assert names(index, "res_format:*") == ["angka-kematian-bayi", "jumlah-penduduk-kecamatan"]
    assert names(index, "-res_format:[* TO *] +state:active") == ["anggaran-rahasia", "panen-harvest"]
    assert names(index, 'produsen_data:"Dinas Kesehatan"') == ["anggaran-rahasia", "angka-kematian-bayi"]
    assert names(index, "private:true") == ["anggaran-rahasia"]
    assert names(index, "num_resources:[2 TO *]") == ["angka-kematian-bayi"]
    assert names(index, 'tags:("bayi" OR "kependudukan")') == ["angka-kematian-bayi", "jumlah-penduduk-kecamatan"]


def test_text_fields_are_tokenized(index):
    assert names(index, "title:kematian") == ["angka-kematian-bayi"]
    assert names(index, 'title:"kematian bayi"') == ["angka-kematian-bayi"]
    assert names(index, 'title:"bayi kematian"') == []
    assert names(index, "title:pendud*") == ["jumlah-penduduk-kecamatan"]
    assert names(index, "notes:Miskin") == ["anggaran-rahasia"]


def test_dates_and_date_math(index):
    assert names(index, "metadata_modified:[2024-01-01T00:00:00Z TO NOW]") == [
        "angka-kematian-bayi", "jumlah-penduduk-kecamatan"]
    assert names(index, "metadata_modified:{2024-05-01T10:00:00Z TO *]") == ["angka-kematian-bayi"]
    assert names(index, "metadata_modified:[* TO NOW-1YEAR/DAY]") == [
        "anggaran-rahasia", "angka-kematian-bayi", "dataset-lama", "jumlah-penduduk-kecamatan", "panen-harvest"]
    assert names(index, "metadata_modified:[NOW/DAY TO *]") == []


def test_free_text_dismax_with_min_match_and_rank(index):
    fq = ["+state:active", "+capacity:public"]
    hits, docs, _ = search(index, "penduduk", defType="dismax", fq=fq, fl="name score",
                           sort="score desc, metadata_modified desc")
    assert hits == 1 and docs[0]["name"] == "jumlah-penduduk-kecamatan"
    # 'Penduduk' in the title ranks above 'penduduk' only in the notes
    hits, docs, _ = search(index, "Penduduk", defType="dismax", fq=["+state:active"], fl="name score",
                           sort="score desc, metadata_modified desc")
    assert [d["name"] for d in docs] == ["jumlah-penduduk-kecamatan", "anggaran-rahasia"]
    assert docs[0]["score"] > docs[1]["score"]
    # words of the name (hyphenated) and of tags are searchable
    assert names(index, "kependudukan", defType="dismax") == ["jumlah-penduduk-kecamatan"]
    assert names(index, "kematian", defType="dismax") == ["angka-kematian-bayi"]
    # mm '2<-1 5<80%': two words must both match, three words: two of them
    assert names(index, "kematian penduduk", defType="dismax") == []
    assert names(index, "angka kematian penduduk", defType="dismax") == ["angka-kematian-bayi"]
    assert names(index, '"kematian bayi"', defType="dismax") == ["angka-kematian-bayi"]
    assert names(index, "kesehatan -rahasia", defType="dismax") == ["angka-kematian-bayi"]
    assert names(index, "bayi OR miskin", defType="dismax") == ["anggaran-rahasia", "angka-kematian-bayi"]
    # bare words in a lucene query search the catch-all field
    assert names(index, "penduduk tags:kependudukan") == ["jumlah-penduduk-kecamatan"]


def test_sort_and_paging(index):
    fq = ["+state:active", "+capacity:public", "+dataset_type:dataset"]
    assert names(index, fq=fq, sort="metadata_modified desc") == ["angka-kematian-bayi", "jumlah-penduduk-kecamatan"]
    assert names(index, fq=fq, sort="title_string asc") == ["angka-kematian-bayi", "jumlah-penduduk-kecamatan"]
    assert names(index, fq=fq, sort="name desc") == ["jumlah-penduduk-kecamatan", "angka-kematian-bayi"]
    assert names(index, fq=fq, sort="num_resources desc, name asc") == [
        "angka-kematian-bayi", "jumlah-penduduk-kecamatan"]
    page = [search(index, fq=["+state:active"], sort="name asc", rows=2, start=s, fl="name")[1] for s in (0, 2, 4)]
    assert [[d["name"] for d in p] for p in page] == [
        ["anggaran-rahasia", "angka-kematian-bayi"], ["jumlah-penduduk-kecamatan", "panen-harvest"], []]
    with pytest.raises(sq.QuerySyntaxError, match="Can't determine a Sort Order"):
        sq.plan_search("*:*", {"sort": "name upwards"})


def test_facets(index):
    hits, docs, facets = search(index, fq=["+state:active"], rows=0, facet="true",
                                **{"facet.field": ["organization", "tags", "frekuensi", "groups"],
                                   "facet.limit": 50, "facet.mincount": 1})
    assert hits == 4 and docs == []
    assert facets["organization"] == ["dinkes", 3, "disdukcapil", 1]
    assert facets["tags"] == ["kesehatan", 2, "bayi", 1, "kependudukan", 1]
    assert facets["frekuensi"] == ["Tahunan", 2, "Bulanan", 1]
    assert facets["groups"] == []
    _, _, facets = search(index, fq=["+state:active"], rows=0, facet="true",
                          **{"facet.field": ["tags"], "facet.limit": 1})
    assert facets["tags"] == ["kesehatan", 2]


def test_returned_fields(index):
    _, docs, _ = search(index, 'name:"angka-kematian-bayi"', fl="id validated_data_dict")
    assert docs == [{"id": "id-2", "validated_data_dict": json.dumps({"name": "angka-kematian-bayi", "v": 1})}]
    _, docs, _ = search(index, 'name:"angka-kematian-bayi"')  # no fl: every stored field
    assert docs[0]["metadata_modified"] == "2024-06-01T10:00:00Z"
    assert "permission_labels" not in docs[0] and docs[0]["data_dict"]


def test_update_and_delete(index):
    changed = dict(DOCS[1], title="Angka Kelahiran Hidup", title_string="Angka Kelahiran Hidup")
    index.execute(_pg(sq.UPSERT_SQL), sq.prepare_row(changed))
    assert names(index, "kelahiran", defType="dismax") == ["angka-kematian-bayi"]
    assert names(index, "title:kematian") == []
    sql, params = sq.plan_delete(q='+entity_type:package AND +(id:"panen-harvest" OR name:"panen-harvest") '
                                   'AND +site_id:"test"')
    index.execute(_pg(sql), params)
    assert "panen-harvest" not in names(index)
    index.execute(_pg(sq.UPSERT_SQL), sq.prepare_row(DOCS[1]))
    index.execute(_pg(sq.UPSERT_SQL), sq.prepare_row(DOCS[4]))


@pytest.mark.parametrize("q", ['title:"unterminated', "title:(a OR b", "{!lucene}x", "metadata_modified:[x TO y]",
                               "text:[a TO b]", "field:"])
def test_rejects_what_it_cannot_answer(q):
    with pytest.raises(sq.QuerySyntaxError):
        sq.plan_search(q, {})
