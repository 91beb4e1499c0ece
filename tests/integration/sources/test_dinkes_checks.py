"""Source checks on the Dinkes weighings (e-PPGBM, MariaDB): every injected measurement found once.

The stunting dataset's checks run on the year's weighings (:tahun); over every year of the sample
they find exactly the injected measurements, each under its own rule, through the MariaDB driver.
"""
from collections import Counter

import pytest

from satudata.catalog import load_catalog

from ...support import seeded_source, session_name
from .conftest import found_by_rule, yearly

pytestmark = pytest.mark.integration
DATASET = "prevalensi_stunting_balita_kecamatan"
INJECTED = {"implausible_height": 3, "null_height": 4, "negative_weight": 2, "duplicate_measurement": 3,
            "unknown_puskesmas": 2, "future_date": 3, "unknown_region": 3}
RULES = {"implausible_height": "tinggi_tidak_wajar", "null_height": "tinggi_kosong", "negative_weight": "berat_negatif",
         "duplicate_measurement": "pengukuran_ganda", "unknown_puskesmas": "puskesmas_tidak_dikenal",
         "future_date": "tanggal_timbang_tidak_wajar", "unknown_region": "wilayah_tidak_dikenal"}
WHOLE_TABLE = {"tanggal_timbang_tidak_wajar"}  # the same rows at every year's run: counted once
YEARS = range(2019, 2025)


@pytest.fixture(scope="module")
def dinkes_source():
    with seeded_source("dinkes", session_name("dinkes_cek"), scale=0.002, seed=8, defects=INJECTED) as report:
        yield report


def test_the_checks_find_exactly_the_injected_measurements(warehouse_db, dinkes_source, tmp_path):
    assert {k: len(v) for k, v in dinkes_source.defects.items()} == INJECTED
    found = found_by_rule(load_catalog().contract(DATASET), yearly(YEARS), tmp_path, WHOLE_TABLE)
    for kind, keys in dinkes_source.defects.items():
        assert found[RULES[kind]] == Counter(keys), kind
    assert sum(sum(c.values()) for c in found.values()) == sum(INJECTED.values())
