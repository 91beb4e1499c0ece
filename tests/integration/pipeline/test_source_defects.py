"""Defects injected into the Disdukcapil source at known counts: validation catches exactly them.

The register is aggregated at the source, so a defective resident shows up inside a count: the test
checks that the flagged groups hold exactly the injected residents, and nothing else is flagged.
"""
import secrets
from datetime import UTC, datetime

import pandas as pd
import pytest

from satudata import pipeline
from satudata.errors import ValidationFailed

from ...support import seeded_source, session_name

pytestmark = pytest.mark.integration
DATASET = "jumlah_penduduk_jenis_kelamin_kecamatan"
INJECTED = {"unknown_region": 4, "null_sex": 3}


@pytest.fixture
def defective_source():
    with seeded_source("disdukcapil", session_name("dukcapil_cacat"), scale=0.001, seed=5,
                       defects=INJECTED) as report:
        yield report


def test_validation_catches_exactly_the_injected_residents(warehouse_db, defective_source):
    assert {k: len(v) for k, v in defective_source.defects.items()} == INJECTED
    run_id = f"defects_{secrets.token_hex(4)}"
    extracted = pipeline.extract(DATASET, run_id, datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC))
    with pytest.raises(ValidationFailed):
        pipeline.validate(extracted)
    findings = [f for f in pipeline.stage_results(DATASET, run_id)["validate"]["findings"] if not f["success"]]
    landed = pd.read_parquet(extracted["path"])

    by_check = {(f["expectation"], f["column"]): f for f in findings}
    unknown = by_check[("expect_column_values_to_be_in_set", "kemendagri_kode_kecamatan")]
    flagged = landed[landed.kemendagri_kode_kecamatan.isin(unknown["values"])]
    assert int(flagged.jumlah_penduduk.sum()) == INJECTED["unknown_region"]
    assert set(unknown["values"]) <= {"32.16.99", "32.16.24", "32.17.01"}

    no_sex = by_check[("expect_column_values_to_not_be_null", "jenis_kelamin")]
    nulls = landed[landed.jenis_kelamin.isna()]
    assert no_sex["unexpected_count"] == len(nulls)
    assert int(nulls.jumlah_penduduk.sum()) == INJECTED["null_sex"]
    assert no_sex["message"] == f"Kolom jenis_kelamin kosong pada {len(nulls)} baris."

    # nothing but these two defects (and the row count they disturb) is reported
    assert {(f["expectation"], f["column"]) for f in findings} <= {
        ("expect_column_values_to_be_in_set", "kemendagri_kode_kecamatan"),
        ("expect_column_values_to_not_be_null", "jenis_kelamin"),
        ("expect_table_row_count_to_be_between", None)}
