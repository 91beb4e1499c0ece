"""Source checks on the Dinkes weighings (e-PPGBM, MariaDB): every injected measurement found once.

The stunting dataset's checks run on the year's weighings (:tahun); over every year of the sample
they find exactly the injected measurements, each under its own rule, through the MariaDB driver.
"""
import secrets
from collections import Counter
from datetime import date

import pytest
from satudata import checks
from satudata.contracts import load_catalog
from satudata.extract import period_params
from satudata.samples import dinkes
from satudata.samples._common import mysql_drop_database

from ...conftest import INSTANCE
from ..catalog.conftest import MYSQL_ADMIN

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
    name = f"satudata_test_{INSTANCE}_dinkes_cek"
    user, password = f"{name}_reader", secrets.token_hex(12)
    report = dinkes.seed(MYSQL_ADMIN, name, scale=0.002, seed=8, defects=INJECTED, reader_user=user,
                         reader_password=password)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AIRFLOW_CONN_DINAS_DINKES", f"mysql://{user}:{password}@127.0.0.1:3306/{name}")
        yield report
    mysql_drop_database(MYSQL_ADMIN, name, reader_user=user)


def test_the_checks_find_exactly_the_injected_measurements(warehouse_db, dinkes_source, tmp_path):
    assert {k: len(v) for k, v in dinkes_source.defects.items()} == INJECTED
    catalog = load_catalog()
    contract = catalog.contract(DATASET)
    found: dict[str, Counter] = {c.rule: Counter() for c in contract.checks}
    for year in YEARS:
        out = tmp_path / str(year)
        summary = checks.run(contract, catalog.conn_id(contract), period_params(date(year, 1, 1), date(year + 1, 1, 1)),
                             out)
        assert summary["run"] == len(contract.checks)
        for result in checks.load_results(out):
            assert result["count"] == len(result["rows"])
            if result["rule"] in WHOLE_TABLE and year != YEARS[0]:
                continue
            found[result["rule"]].update(r["kunci"] for r in result["rows"])
    for kind, keys in dinkes_source.defects.items():
        assert found[RULES[kind]] == Counter(keys), kind
    assert sum(sum(c.values()) for c in found.values()) == sum(INJECTED.values())
