"""Source checks on the Dinas Pertanian SP reports: every injected report found once, by its rule.

Rice (padi sawah, padi ladang) and palawija are two datasets over one table, each with its own checks
over its own commodities: together, over the years 2019-2024, they find exactly the injected reports.
"""
import secrets
from collections import Counter
from datetime import UTC, datetime

import pytest

from satudata import pipeline
from satudata.catalog import load_catalog
from satudata.errors import ValidationFailed

from ...support import seeded_source, session_name
from .conftest import found_by_rule, yearly

pytestmark = pytest.mark.integration
DATASETS = ("produksi_padi_kecamatan", "luas_panen_palawija_kecamatan")
INJECTED = {"negative_area": 4, "null_production": 3, "future_year": 2, "duplicate_report": 3, "unit_error": 3,
            "unknown_region": 3}
RULES = {"negative_area": "luas_panen_negatif", "null_production": "produksi_kosong", "future_year": "tahun_masa_depan",
         "duplicate_report": "laporan_ganda", "unit_error": "satuan_produksi_salah",
         "unknown_region": "wilayah_tidak_dikenal"}
YEARS = range(2019, 2025)


@pytest.fixture(scope="module")
def distan_source():
    with seeded_source("distan", session_name("distan_cek"), scale=0.01, seed=4, defects=INJECTED) as report:
        yield report


def test_the_checks_find_exactly_the_injected_reports(warehouse_db, distan_source, tmp_path):
    assert {k: len(v) for k, v in distan_source.defects.items()} == INJECTED
    found: dict[str, Counter] = {rule: Counter() for rule in RULES.values()}
    for dataset in DATASETS:  # each over its own commodities: together, every report once
        by_rule = found_by_rule(load_catalog().contract(dataset), yearly(YEARS), tmp_path, {"tahun_masa_depan"})
        for rule, keys in by_rule.items():
            found[rule].update(keys)
    for kind, keys in distan_source.defects.items():
        assert found[RULES[kind]] == Counter(keys), kind


def test_a_rice_run_reports_the_checks_of_its_year(warehouse_db, distan_source):
    dataset = "produksi_padi_kecamatan"
    contract = load_catalog().contract(dataset)
    for year in reversed(YEARS):
        run_id = f"distan_{year}_{secrets.token_hex(3)}"
        extracted = pipeline.extract(dataset, run_id, datetime(year, 1, 1, tzinfo=UTC),
                                     datetime(year + 1, 1, 1, tzinfo=UTC))
        expected = extracted["source_checks"]["failed"]
        critical = {c.rule for c in contract.checks if c.severity == "critical"} & set(expected)
        if critical:
            with pytest.raises(ValidationFailed):
                pipeline.validate(extracted)
        else:
            pipeline.validate(extracted)
        validated = pipeline.stage_results(dataset, run_id)["validate"]
        failed = {f["expectation"].removeprefix("source_check:"): f["unexpected_count"]
                  for f in validated["findings"] if not f["success"] and f["expectation"].startswith("source_check:")}
        assert failed == expected
        assert (validated["status"] == "critical") == bool(critical)
        if critical:
            return
    pytest.fail("no year of rice reports carried a critical defect; reseed with more")
