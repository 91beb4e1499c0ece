"""Source checks on the DPMPTSP permits (OSS-RBA copy): every injected permit found once, by its rule.

The investment dataset is yearly (:tahun): run over every year of the sample, its checks find exactly
the injected rows. The permits-per-sector one is incremental: its checks cover what its extract reads,
every year on the first run, nothing on a run after which nothing was entered.
"""
from collections import Counter
from datetime import date

import pytest

from satudata.catalog import load_catalog
from satudata.sources import period_params

from ...support import seeded_source, session_name
from .conftest import found_by_rule, yearly

pytestmark = pytest.mark.integration
INVESTMENT, PERMITS = "nilai_investasi_status_modal_kecamatan", "jumlah_izin_usaha_sektor_bulan_kecamatan"
INJECTED = {"negative_investment": 3, "duplicate_nib": 4, "invalid_kbli": 5, "null_sector": 3, "future_date": 3,
            "unknown_region": 3}
# kind -> the (dataset, rule) pairs that must each find exactly the injected permits
RULES = {"negative_investment": [(INVESTMENT, "investasi_negatif")],
         "duplicate_nib": [(INVESTMENT, "izin_ganda")],
         "invalid_kbli": [(INVESTMENT, "kbli_tidak_valid")],
         "future_date": [(INVESTMENT, "tanggal_terbit_masa_depan")],
         "null_sector": [(PERMITS, "sektor_kosong")],
         # both tables are summed per kecamatan: a permit in an unknown desa spoils both
         "unknown_region": [(INVESTMENT, "wilayah_tidak_dikenal"), (PERMITS, "wilayah_tidak_dikenal")]}
YEARS = range(2019, 2025)


@pytest.fixture(scope="module")
def dpmptsp_source():
    with seeded_source("dpmptsp", session_name("dpmptsp_cek"), scale=0.005, seed=6, defects=INJECTED) as report:
        yield report


def test_the_checks_find_exactly_the_injected_permits(warehouse_db, dpmptsp_source, tmp_path):
    assert {k: len(v) for k, v in dpmptsp_source.defects.items()} == INJECTED
    catalog = load_catalog()
    found = {
        # yearly: the year's permits, year by year
        INVESTMENT: found_by_rule(catalog.contract(INVESTMENT), yearly(YEARS), tmp_path),
        # monthly and incremental: the first run (no watermark yet) landed and checks every year
        PERMITS: found_by_rule(catalog.contract(PERMITS), [period_params(date(2024, 12, 1), date(2025, 1, 1)) |
                                                           {"watermark": None, "periode_diekstrak": list(YEARS)}],
                               tmp_path),
    }
    for kind, keys in dpmptsp_source.defects.items():
        for dataset, rule in RULES[kind]:
            assert found[dataset][rule] == Counter(keys), (kind, dataset)
    assert sum(sum(c.values()) for rules in found.values() for c in rules.values()) == \
        sum(n * len(RULES[kind]) for kind, n in INJECTED.items())
    # the copy was taken on 31 December 2024: a January run past that watermark has nothing to check
    later = found_by_rule(catalog.contract(PERMITS), [period_params(date(2025, 1, 1), date(2025, 2, 1)) |
                                                      {"watermark": date(2024, 12, 31), "periode_diekstrak": []}],
                          tmp_path / "later")
    assert later == {c.rule: Counter() for c in catalog.contract(PERMITS).checks}
