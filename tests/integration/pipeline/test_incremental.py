"""Incremental extraction: a watermark per dataset, advanced after a load, re-extracts only what changed.

A steward's contract over the real Distan database opts in with `source.watermark: true`: the first
run loads every year, a rerun with nothing new extracts nothing, and a report typed in later brings
back exactly its year, which the load replaces while the other years stay as they were.
"""
import json
import secrets
import shutil
from datetime import UTC, date, datetime

import psycopg
import pytest
import yaml

from satudata import pipeline, warehouse

from ...support import ROOT, pg_url, seeded_source, session_name

pytestmark = pytest.mark.integration
DATASET = "luas_panen_padi_inkremental"
SQL = """
SELECT left(l.kode_desa, 8) AS kemendagri_kode_kecamatan,
       round(sum(l.luas_panen_ha), 2) AS luas_panen_ha,
       CAST(l.tahun AS integer) AS tahun
FROM laporan_tanaman_pangan AS l
WHERE l.kode_komoditas IN ('PS', 'PL')
  AND l.tahun IN (SELECT tahun FROM laporan_tanaman_pangan
                  WHERE CAST(:watermark AS date) IS NULL OR tanggal_input > CAST(:watermark AS date))
GROUP BY 1, 3
"""
WATERMARK_SQL = "SELECT max(tanggal_input) FROM laporan_tanaman_pangan"


@pytest.fixture
def distan_source():
    name = session_name("distan_inkremental")
    with seeded_source("distan", name, scale=0.01, seed=3):
        yield pg_url(name)


@pytest.fixture
def home(tmp_path, monkeypatch):
    """The repository's contracts plus one incremental dataset, as a steward would add it."""
    home = tmp_path / "home"
    for folder in ("contracts", "sql", "expectations"):
        shutil.copytree(ROOT / folder, home / folder)
    contract = yaml.safe_load((ROOT / "contracts/datasets/produksi_padi_kecamatan.yaml").read_text())
    contract.update(id=DATASET, title="Luas Panen Padi per Kecamatan di Kabupaten Bekasi (inkremental)",
                    source={"watermark": True}, checks=[], satuan="HEKTAR",
                    columns=[c for c in contract["columns"] if c["name"] in
                             ("kemendagri_kode_kecamatan", "luas_panen_ha", "tahun")],
                    primary_key=["kemendagri_kode_kecamatan", "tahun"])
    for c in contract["columns"]:
        c["role"] = {"luas_panen_ha": "measure"}.get(c["name"], c["role"])
    (home / "contracts/datasets" / f"{DATASET}.yaml").write_text(yaml.safe_dump(contract, allow_unicode=True))
    (home / "sql" / DATASET).mkdir(parents=True, exist_ok=True)
    (home / "sql" / DATASET / "extract.sql").write_text(SQL)
    (home / "sql" / DATASET / "watermark.sql").write_text(WATERMARK_SQL)
    suite = {"name": DATASET, "expectations": [
        {"type": "expect_column_values_to_be_in_set", "severity": "critical",
         "kwargs": {"column": "kemendagri_kode_kecamatan", "value_set": {"$PARAMETER": "kode_kecamatan_referensi"}}},
        {"type": "expect_column_values_to_be_between", "severity": "critical",
         "kwargs": {"column": "luas_panen_ha", "min_value": 0}}]}
    (home / "expectations" / f"{DATASET}.json").write_text(json.dumps(suite))
    monkeypatch.setenv("SATUDATA_HOME", str(home))
    return home


def run(year: int) -> dict:
    run_id = f"ink_{year}_{secrets.token_hex(3)}"
    extracted = pipeline.extract(DATASET, run_id, datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC))
    if extracted["rows"] == 0:
        return extracted
    return pipeline.load(pipeline.validate(extracted))


def curated() -> dict:
    with warehouse.connect() as conn:
        return {(k, t): v for k, t, v in conn.execute(
            f"SELECT kemendagri_kode_kecamatan, tahun, luas_panen_ha FROM curated.{DATASET}").fetchall()}


def test_watermark_extracts_only_what_changed(warehouse_db, distan_source, home):
    first = run(2024)
    assert sorted(first["periods"]) == [2019, 2020, 2021, 2022, 2023, 2024]  # no watermark yet: everything
    before = curated()
    with warehouse.connect() as conn:
        stored = conn.execute("SELECT value FROM audit.watermarks WHERE dataset_id = %s", (DATASET,)).fetchone()[0]
    with psycopg.connect(distan_source) as conn:
        assert stored == conn.execute(WATERMARK_SQL).fetchone()[0].isoformat()

    assert run(2024)["rows"] == 0  # nothing typed in since: nothing extracted, nothing loaded

    with psycopg.connect(distan_source) as conn:  # a late report for 2021, typed in after the watermark
        kode = conn.execute("SELECT kode_desa FROM laporan_tanaman_pangan WHERE tahun = 2021 AND kode_komoditas = 'PS'"
                            " LIMIT 1").fetchone()[0]
        conn.execute("INSERT INTO laporan_tanaman_pangan (id, kode_desa, tahun, bulan, kode_komoditas, luas_panen_ha,"
                     " produksi_ton, tanggal_input) VALUES (999999999, %s, 2021, 12, 'PS', 10.5, 60, %s)",
                     (kode, date.fromisoformat(stored).replace(year=date.fromisoformat(stored).year + 1)))
    third = run(2024)
    assert third["periods"] == [2021]
    after = curated()
    changed = {k for k in after if after[k] != before.get(k)}
    assert changed == {(kode[:8], 2021)}
    assert float(after[(kode[:8], 2021)]) == pytest.approx(float(before[(kode[:8], 2021)]) + 10.5)
