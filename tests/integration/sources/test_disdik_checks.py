"""Source checks on Dapodik (MariaDB): every injected pupil record and school recap found once.

The pupils dataset is read from the schools' recap; its checks cover that recap (both semesters of the
school year) and the snapshot's pupil records (odd semester of 2024/2025).
"""
from collections import Counter
from datetime import date

import pytest

from satudata import pipeline
from satudata.catalog import load_catalog
from satudata.sources import checks, period_params

from ...support import seeded_source, session_name
from .conftest import found_by_rule, yearly

pytestmark = pytest.mark.integration
DATASET = "jumlah_peserta_didik_jenjang_kecamatan"
INJECTED = {"negative_count": 3, "missing_nisn": 2, "duplicate_nisn": 3, "invalid_tingkat": 4, "unknown_school": 2,
            "future_birth": 3, "unknown_region": 2}
RULES = {"negative_count": "jumlah_negatif", "missing_nisn": "nisn_kosong", "duplicate_nisn": "nisn_ganda",
         "invalid_tingkat": "tingkat_tidak_sesuai", "unknown_school": "sekolah_tidak_dikenal",
         "future_birth": "tanggal_lahir_masa_depan"}
SCHOOL_RULES = {"unknown_region": "wilayah_tidak_dikenal"}  # checks of the schools dataset
YEARS = range(2019, 2025)


@pytest.fixture(scope="module")
def disdik_source():
    with seeded_source("disdik", session_name("disdik_cek"), scale=0.002, seed=8, defects=INJECTED) as report:
        yield report


def test_the_checks_find_exactly_the_injected_records(disdik_source, tmp_path):
    assert {k: len(v) for k, v in disdik_source.defects.items()} == INJECTED
    found = found_by_rule(load_catalog().contract(DATASET), yearly(YEARS), tmp_path)
    for kind, keys in disdik_source.defects.items():
        if kind in SCHOOL_RULES:
            continue
        if kind == "duplicate_nisn":
            keys = [f"{k[:3]}****{k[-3:]}" for k in keys]  # a pupil's national number leaves masked
        assert found[RULES[kind]] == Counter(keys), kind
    assert sum(sum(c.values()) for c in found.values()) == sum(n for k, n in INJECTED.items() if k not in SCHOOL_RULES)


def test_the_schools_checks_find_exactly_the_schools_in_unknown_desa(warehouse_db, disdik_source, tmp_path):
    """The school list is master data: every year's run of the schools dataset names the same schools."""
    catalog = load_catalog()
    contract = catalog.contract("jumlah_sekolah_jenjang_kecamatan")
    for year in (YEARS[0], YEARS[-1]):
        out = tmp_path / str(year)
        checks.run(contract, catalog.conn_id(contract), period_params(date(year, 1, 1), date(year + 1, 1, 1))
                   | pipeline.source_check_params(contract), out)
        found = {r["rule"]: sorted(row["kunci"] for row in r["rows"]) for r in checks.load_results(out)}
        assert found == {rule: sorted(disdik_source.defects[kind]) for kind, rule in SCHOOL_RULES.items()}
